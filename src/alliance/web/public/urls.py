from django.urls import path

from alliance.web.public import views

app_name = "site"  # (consultations' front door holds "public")
urlpatterns = [
    path("our-area/", views.our_area, name="our-area"),
    path("our-area/assessment/", views.summary, name="summary"),
    path("our-area/assessment.pdf", views.summary_pdf, name="summary-pdf"),
    path("our-area/you-said/", views.you_said, name="you-said"),
    path("accessibility/", views.accessibility, name="accessibility"),
]
