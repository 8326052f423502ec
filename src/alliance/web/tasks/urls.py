from django.urls import path

from alliance.web.tasks import views

app_name = "tasks"
urlpatterns = [
    path("<int:pk>/", views.task, name="task"),
    path("<int:pk>.json", views.task_json, name="task-json"),
]
