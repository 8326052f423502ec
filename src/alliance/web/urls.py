from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from django.views.generic import RedirectView

from alliance.web.tasks import views as task_views
from alliance.web.workspace import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("healthz/ready", task_views.ready, name="ready"),
    path("accounts/", include("alliance.web.accounts.urls")),
    path("dashboard/", include("alliance.web.dashboards.urls")),
    path("sna/", include("alliance.web.reports.urls")),
    path("data/partner/", include("alliance.web.mappings.urls")),
    path("data/places/", include("alliance.web.places.urls")),
    path("data/", include("alliance.web.workspace.urls")),
    path("agreements/", include("alliance.web.partnerships.urls")),
    path("audit/", include("alliance.web.audit.urls")),
    path("conversations/", include("alliance.web.conversations.urls")),
    path("themes/", include("alliance.web.themes.urls")),
    path("consultations/", include("alliance.web.consultations.urls")),
    path("surveys/", include("alliance.web.surveys.urls")),
    # the front door and surveys first: a conversation's slug is random and never clashes
    path("have-your-say/", include("alliance.web.consultations.public_urls")),
    path("have-your-say/", include("alliance.web.surveys.public_urls")),
    path("have-your-say/", include("alliance.web.conversations.public_urls")),
    path("tasks/", include("alliance.web.tasks.urls")),
    path("events/", include("alliance.web.events.urls")),
    path("strategy/", include("alliance.web.strategy.urls")),
    path("actions/", include("alliance.web.actions.urls")),
    path("comms/", include("alliance.web.comms.urls")),
    path("directory/", include("alliance.web.directory.urls")),
    path("", include("alliance.web.monitoring.urls")),
    # GOV.UK Frontend's compiled CSS looks for its fonts and images under /assets/.
    path("assets/<path:rest>", RedirectView.as_view(url="/static/govuk/assets/%(rest)s",
                                                    permanent=True)),
]
# the public site: English at /our-area/, Welsh at /cy/our-area/ (the only translated pages)
urlpatterns += i18n_patterns(path("", include("alliance.web.public.urls")),
                             prefix_default_language=False)

#: styled "page not found" (public pages and the workspace), shown when DEBUG is off
handler404 = "alliance.web.consultations.public_views.not_found"
