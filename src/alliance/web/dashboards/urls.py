from django.urls import path

from alliance.web.dashboards import sna, views

app_name = "dashboards"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("sna/", sna.sna, name="sna"),
    path("sna/<int:pk>/<str:kind>/", sna.sna_file, name="sna-file"),
    path("<str:table>.csv", views.download, name="download"),
]
