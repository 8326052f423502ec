from django.urls import path

from alliance.web.actions import views

app_name = "actions"
urlpatterns = [
    path("", views.actions, name="list"),
    path("new/", views.assign, name="add"),
    path("partners/", views.partners, name="partners"),
    path("partners/<int:pk>/", views.partner, name="partner"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.assign, name="edit"),
    path("<int:pk>/progress/", views.progress, name="progress"),
]
