from django.urls import path

from alliance.web.consultations import public_views

app_name = "public"
urlpatterns = [
    path("", public_views.front_door, name="index"),
    path("privacy/", public_views.privacy, name="privacy"),
    path("logo", public_views.logo, name="logo"),
    path("c/<slug:slug>/", public_views.consultation, name="consultation"),
    path("c/<slug:slug>/results/", public_views.results, name="results"),
]
