from django.urls import path

from alliance.web.conversations import staff_views

app_name = "conversations"
urlpatterns = [
    path("", staff_views.conversation_list, name="list"),
    path("new/", staff_views.create, name="create"),
    path("import/", staff_views.import_export, name="import"),
    path("safeguarding/", staff_views.safeguarding_settings, name="safeguarding"),
    path("<int:pk>/", staff_views.moderate, name="moderate"),
    path("<int:pk>/status/", staff_views.set_status, name="status"),
    path("<int:pk>/results/", staff_views.results_page, name="results"),
    path("<int:pk>/themes/", staff_views.themes, name="themes"),
    path("<int:pk>/export.zip", staff_views.export, name="export"),
]
