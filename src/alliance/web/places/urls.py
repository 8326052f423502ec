from django.urls import path

from alliance.web.places import views

app_name = "places"

urlpatterns = [
    path("", views.review, name="review"),
    path("venues/", views.venues, name="venues"),
    path("venues/<int:pk>/", views.venue, name="venue"),
    path("venues/<int:pk>/delete/", views.delete_venue, name="delete-venue"),
    path("venues.csv", views.venues_csv, name="venues-csv"),
]
