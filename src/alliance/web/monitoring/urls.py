from django.urls import path

from alliance.web.monitoring import views

app_name = "monitoring"
urlpatterns = [
    path("board/", views.board, name="board"),
    path("board/priorities/<int:pk>/", views.board_priority, name="board-priority"),
    path("board/interventions/<int:pk>/", views.intervention, name="did-it-work"),
    path("monitoring/", views.builds_page, name="builds"),
    path("monitoring/<int:pk>/", views.build_page, name="build"),
    path("monitoring/<int:pk>/index.html", views.report, name="report"),
    path("monitoring/<int:pk>/<path:name>", views.download, name="download"),
]
