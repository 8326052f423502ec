from django.urls import path

from alliance.web.consultations import staff_views

app_name = "consultations"
urlpatterns = [
    path("", staff_views.consultation_list, name="list"),
    path("new/", staff_views.create, name="create"),
    path("public-pages/", staff_views.public_pages, name="public-pages"),
    path("<int:pk>/", staff_views.detail, name="detail"),
    path("<int:pk>/phase/", staff_views.set_phase, name="phase"),
    path("<int:pk>/modules/", staff_views.add_module, name="add-module"),
    path("<int:pk>/you-said/", staff_views.finding, name="add-finding"),
    path("<int:pk>/you-said/<int:finding_pk>/", staff_views.finding, name="finding"),
]
