"""The partner collaboration directory: a list and a map of what each partner provides."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods

from alliance.web.accounts.permissions import forbidden, requires
from alliance.web.accounts.rules import can
from alliance.web.audit.services import record
from alliance.web.directory.forms import ServiceForm, organisations_for
from alliance.web.directory.models import Service
from alliance.web.directory.services import coverage
from alliance.web.strategy import services as strategy_services
from alliance.web.strategy.views import _form_page


@requires("view_strategy")
def services(request: HttpRequest) -> HttpResponse:
    partnership = request.user.membership.partnership
    found = list(Service.objects.filter(partnership=partnership, active=True)
                 .select_related("organisation"))
    names = strategy_services.places(partnership)
    for s in found:
        s.place_names = [names[c].name for c in s.places if c in names]
    svg, _ = coverage(found, partnership)
    return render(request, "directory/list.html", {
        "services": found, "map": mark_safe(svg),
        "may_manage": can(request.user, "manage_directory")})


@requires("view_strategy")
def service(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Service.objects.select_related("organisation"), pk=pk,
                             partnership=request.user.membership.partnership)
    may_edit = can(request.user, "manage_directory") and organisations_for(
        request.user).filter(pk=item.organisation_id).exists()
    return render(request, "directory/service.html", {
        "service": item, "rating": strategy_services.rating(item.approach),
        "places": strategy_services.place_names(item.partnership, list(item.places)),
        "may_edit": may_edit, "actions": item.actions.select_related("organisation")})


@requires("manage_directory")
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    partnership = request.user.membership.partnership
    allowed = organisations_for(request.user)
    item = (get_object_or_404(Service, pk=pk, partnership=partnership) if pk
            else Service(partnership=partnership))
    if pk and not allowed.filter(pk=item.organisation_id).exists():
        return forbidden(request, "manage_directory")
    table = strategy_services.toolkit()
    form = ServiceForm(request.POST or None, instance=item, organisations=allowed,
                       approaches=list(table.names()) if table else [],
                       places=strategy_services.places(partnership))
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        record(request, "strategy_change", target=f"partner directory: {saved}",
               change="changed" if pk else "added", item="service")
        return redirect("directory:service", pk=saved.pk)
    return _form_page(request, form, heading="Change the entry" if pk else
                      "Add to the partner directory", back="/directory/",
                      intro="What the partner provides, who for, where, and how to refer "
                            "someone. The directory is offered when assigning actions.")
