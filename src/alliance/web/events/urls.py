from django.urls import path

from alliance.web.events import views

app_name = "events"
urlpatterns = [
    path("", views.events, name="list"),
    path("new/", views.event_form, name="add"),
    path("propose/", views.proposal, name="propose"),
    path("<int:pk>/", views.event, name="event"),
    path("<int:pk>/edit/", views.event_form, name="edit"),
    path("<int:pk>/workshops/add/", views.add_workshop, name="workshop-add"),
    path("<int:pk>/themes/", views.find_themes, name="themes"),
    path("workshops/<int:pk>/notes/add/", views.add_note, name="note-add"),
    path("workshops/<int:pk>/notes/upload/", views.upload_notes, name="notes-upload"),
]
