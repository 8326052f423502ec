"""Publishing an SNA build on the public site, and withdrawing it: a confirmation page in plain
words, then the change by POST (CSRF-protected, audited by
:mod:`alliance.web.reports.publishing`)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from alliance.web.accounts.permissions import requires
from alliance.web.reports import publishing
from alliance.web.reports.models import SnaBuild


def _build(pk: int) -> SnaBuild:
    return get_object_or_404(SnaBuild, pk=pk)


@requires("publish_sna")
def publish_build(request: HttpRequest, pk: int) -> HttpResponse:
    build = _build(pk)
    partnership = request.user.membership.partnership
    reason = publishing.why_not(build, partnership)
    current = publishing.published_build(partnership.area_code)
    if request.method == "POST" and not reason:
        try:
            publishing.publish(build, partnership=partnership, user=request.user,
                               request=request)
        except publishing.PublishError as exc:
            reason = str(exc)
        else:
            messages.success(request, f"Build {build.pk} is now on the public site. Residents "
                                      "see its summary on the assessment page.")
            return redirect("reports:build", build.pk)
    return render(request, "reports/publish.html",
                  {"build": build, "reason": reason, "current": current},
                  status=400 if request.method == "POST" else 200)


@requires("publish_sna")
def withdraw_build(request: HttpRequest, pk: int) -> HttpResponse:
    build = _build(pk)
    if request.method == "POST":
        if publishing.withdraw(build, user=request.user, request=request):
            messages.success(request, f"Build {build.pk} is no longer on the public site. The "
                                      "assessment page says that none has been published.")
        return redirect("reports:build", build.pk)
    return render(request, "reports/withdraw.html", {"build": build})
