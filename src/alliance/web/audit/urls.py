from django.urls import path

from alliance.web.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.events, name="events"),
    path("export.csv", views.export, name="export"),
]
