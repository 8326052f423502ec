from django.urls import path

from alliance.web.themes import views

app_name = "themes"
urlpatterns = [
    path("", views.theme_set_list, name="list"),
    path("upload/", views.upload, name="upload"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/texts/", views.texts, name="texts"),
    path("<int:pk>/edit/<str:kind>/", views.edit, name="edit"),
    path("<int:pk>/sna/", views.set_in_sna, name="sna"),
    path("<int:pk>/themes.csv", views.themes_csv, name="themes-csv"),
    path("<int:pk>/assignments.csv", views.assignments_csv, name="assignments-csv"),
]
