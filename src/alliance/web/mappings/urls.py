from django.urls import path

from alliance.web.mappings import views

app_name = "mappings"

urlpatterns = [
    path("", views.upload, name="upload"),
    path("<str:token>/columns", views.columns, name="columns"),
    path("<str:token>/confirm", views.confirm, name="confirm"),
]
