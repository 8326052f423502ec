from django.urls import path

from alliance.web.reports import publish_views, text_views, views

app_name = "reports"
urlpatterns = [
    path("", views.sna, name="sna"),
    path("progress.json", views.progress, name="progress"),
    # the partnership's own words: summary, key findings, recommendations
    path("texts/", text_views.texts_page, name="texts"),
    path("texts/add/<str:kind>/", text_views.add_text, name="add_text"),
    path("texts/<int:pk>/edit/", text_views.edit_text, name="edit_text"),
    path("texts/<int:pk>/history/", text_views.text_history, name="text_history"),
    path("texts/<int:pk>/remove/", text_views.remove_text, name="remove_text"),
    path("builds/<int:pk>/", views.build, name="build"),
    # the partnership's decision: this build's summary on the public site, or none
    path("builds/<int:pk>/publish/", publish_views.publish_build, name="publish"),
    path("builds/<int:pk>/withdraw/", publish_views.withdraw_build, name="withdraw"),
    # the report itself opens in the browser; every other file downloads
    path("builds/<int:pk>/index.html", views.report, name="report"),
    path("builds/<int:pk>/index.cy.html", views.report, {"name": "index.cy.html"},
         name="report-cy"),
    path("builds/<int:pk>/<path:name>", views.download, name="download"),
]
