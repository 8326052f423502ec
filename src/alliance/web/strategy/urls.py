from django.urls import path

from alliance.web.strategy import measure_views, views

app_name = "strategy"
urlpatterns = [
    path("", views.home, name="home"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.version, name="version"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/adopt/", views.adopt, name="adopt"),
    path("<int:pk>/new-version/", views.new_version, name="new-version"),
    path("<int:pk>/priorities/add/", views.priority, name="priority-add"),
    path("<int:pk>/priorities/<int:priority_pk>/", views.priority, name="priority-edit"),
    path("priorities/<int:priority_pk>/interventions/add/", views.intervention,
         name="intervention-add"),
    path("priorities/<int:priority_pk>/interventions/<int:intervention_pk>/",
         views.intervention, name="intervention-edit"),
    path("<int:pk>/measures/", measure_views.measures, name="measures"),
    path("<int:pk>/measures/add/", measure_views.measure_form, name="measure-add"),
    path("<int:pk>/measures/standard/", measure_views.add_standard, name="measure-standard"),
    path("<int:pk>/measures/<int:measure_pk>/edit/", measure_views.measure_form,
         name="measure-edit"),
    path("measures/<int:pk>/", measure_views.measure, name="measure"),
]
