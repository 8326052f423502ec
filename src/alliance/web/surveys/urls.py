from django.urls import path

from alliance.web.surveys import staff_views

app_name = "surveys"
urlpatterns = [
    path("<int:pk>/", staff_views.detail, name="detail"),
    path("<int:pk>/versions/", staff_views.add_version, name="add-version"),
    path("<int:pk>/survey.<str:kind>", staff_views.download, name="download"),
    path("<int:pk>/paper/", staff_views.paper, name="paper"),
    path("<int:pk>/entry/", staff_views.entry, name="entry"),
    path("<int:pk>/import/", staff_views.import_csv, name="import"),
    path("<int:pk>/review/", staff_views.review, name="review"),
    path("<int:pk>/results/", staff_views.results, name="results"),
    path("<int:pk>/results.csv", staff_views.results_csv, name="results-csv"),
    path("<int:pk>/themes/", staff_views.themes, name="themes"),
    path("<int:pk>/heard/", staff_views.heard, name="heard"),
    path("<int:pk>/felt-unsafe/", staff_views.felt_unsafe, name="felt-unsafe"),
]
