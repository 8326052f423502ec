from django.urls import path

from alliance.web.workspace import views

app_name = "workspace"
urlpatterns = [
    path("batches/", views.batches, name="batches"),
    path("batches/<int:batch_id>/rollback/", views.rollback, name="rollback"),
    path("upload/", views.upload, name="upload"),
    path("upload/<str:token>/replace/", views.confirm_replace, name="confirm-replace"),
]
