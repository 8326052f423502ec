from django.urls import path

from alliance.web.comms import views

app_name = "comms"
urlpatterns = [
    path("", views.plan, name="plan"),
    path("<str:kind>/add/", views.edit, name="add"),
    path("<str:kind>/<int:pk>/", views.edit, name="edit"),
]
