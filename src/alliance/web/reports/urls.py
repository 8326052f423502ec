from django.urls import path

from alliance.web.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.sna, name="sna"),
    path("progress.json", views.progress, name="progress"),
    path("builds/<int:pk>/", views.build, name="build"),
    # the report itself opens in the browser; every other file downloads
    path("builds/<int:pk>/index.html", views.report, name="report"),
    path("builds/<int:pk>/<path:name>", views.download, name="download"),
]
