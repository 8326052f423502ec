from django.urls import path
from django.views.generic import RedirectView

from alliance.web.dashboards import views

app_name = "dashboards"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    # the SNA page moved to the reports app (/sna/); old bookmarks still arrive
    path("sna/", RedirectView.as_view(pattern_name="reports:sna", permanent=True)),
    path("<str:table>.csv", views.download, name="download"),
]
