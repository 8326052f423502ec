from django.urls import path

from alliance.web.partnerships import views

app_name = "partnerships"
urlpatterns = [
    path("", views.agreements, name="agreements"),
    path("add/", views.add_agreement, name="add"),
    path("documents/<int:pk>/", views.document, name="document"),
]
