from django.urls import path

from alliance.web.directory import views

app_name = "directory"
urlpatterns = [
    path("", views.services, name="list"),
    path("add/", views.edit, name="add"),
    path("<int:pk>/", views.service, name="service"),
    path("<int:pk>/edit/", views.edit, name="edit"),
]
