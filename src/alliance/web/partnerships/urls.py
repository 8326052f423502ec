from django.urls import path

from alliance.web.partnerships import views

app_name = "partnerships"
urlpatterns = [
    path("", views.agreements, name="agreements"),
    path("add/", views.add_agreement, name="add"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/renew/", views.renew, name="renew"),
    path("<int:pk>/documents/add/", views.add_document, name="add-document"),
    path("documents/<int:pk>/", views.document, name="document"),
]
