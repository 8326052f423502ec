from django.urls import path

from alliance.web.conversations import public_views

app_name = "have-your-say"
urlpatterns = [
    path("<slug:slug>/", public_views.start, name="start"),
    path("<slug:slug>/vote/", public_views.vote, name="vote"),
    path("<slug:slug>/add/", public_views.add_statement, name="add"),
]
