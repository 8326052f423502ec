from django.urls import path

from alliance.web.surveys import public_views

app_name = "surveys-public"
urlpatterns = [
    path("s/<slug:slug>/", public_views.start, name="start"),
    path("s/<slug:slug>/answer/", public_views.answer, name="answer"),
    path("s/<slug:slug>/send/", public_views.send, name="send"),
    path("s/<slug:slug>/sent/", public_views.sent, name="sent"),
    path("s/<slug:slug>/map.svg", public_views.map_image, name="map"),
]
