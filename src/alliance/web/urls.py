from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from django.views.generic import RedirectView

from alliance.web.workspace import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("alliance.web.accounts.urls")),
    path("dashboard/", include("alliance.web.dashboards.urls")),
    path("sna/", include("alliance.web.reports.urls")),
    path("data/partner/", include("alliance.web.mappings.urls")),
    path("data/", include("alliance.web.workspace.urls")),
    path("agreements/", include("alliance.web.partnerships.urls")),
    path("audit/", include("alliance.web.audit.urls")),
    path("conversations/", include("alliance.web.conversations.urls")),
    path("themes/", include("alliance.web.themes.urls")),
    path("have-your-say/", include("alliance.web.conversations.public_urls")),
    path("tasks/", include("alliance.web.tasks.urls")),
    # GOV.UK Frontend's compiled CSS looks for its fonts and images under /assets/.
    path("assets/<path:rest>", RedirectView.as_view(url="/static/govuk/assets/%(rest)s",
                                                    permanent=True)),
]
# the public site: English at /our-area/, Welsh at /cy/our-area/ (the only translated pages)
urlpatterns += i18n_patterns(path("", include("alliance.web.public.urls")),
                             prefix_default_language=False)
