"""Actions: the list (by partner, status, overdue), each action with where it came from and
its progress, assigning, recording progress, and the page of what each partner owes."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from alliance.web.accounts.mail import mail_configured
from alliance.web.accounts.models import Organisation
from alliance.web.accounts.permissions import forbidden, requires
from alliance.web.accounts.rules import can
from alliance.web.actions import services
from alliance.web.actions.forms import ActionForm, FilterForm, ProgressForm
from alliance.web.actions.models import Action
from alliance.web.strategy import services as strategy_services
from alliance.web.strategy.views import _form_page


def _action(request: HttpRequest, pk: int) -> Action:
    return get_object_or_404(Action.objects.select_related(
        "organisation", "owner", "priority", "intervention", "service", "strategy"), pk=pk,
        strategy__partnership=request.user.membership.partnership)


@requires("view_strategy")
def actions(request: HttpRequest) -> HttpResponse:
    partnership = request.user.membership.partnership
    form = FilterForm(request.GET or None, partnership=partnership)
    found = Action.objects.filter(strategy__partnership=partnership).select_related(
        "organisation", "priority", "owner")
    today = timezone.localdate()
    if form.is_valid():
        if form.cleaned_data["organisation"]:
            found = found.filter(organisation=form.cleaned_data["organisation"])
        status = form.cleaned_data["status"]
        if status == "open":
            found = found.filter(status__in=Action.OPEN)
        elif status == "overdue":
            found = found.filter(status__in=Action.OPEN, due__lt=today)
        elif status:
            found = found.filter(status=status)
    return render(request, "actions/list.html", {
        "form": form, "actions": found, "today": today,
        "may_assign": can(request.user, "assign_actions")
        and strategy_services.in_force(partnership) is not None})


@requires("view_strategy")
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = _action(request, pk)
    return render(request, "actions/action.html", {
        "action": item, "origins": services.origins_of(item),
        "updates": item.updates.select_related("by"), "reminders": item.reminders.all(),
        "form": ProgressForm(initial={"status": item.status if item.status != "proposed"
                                      else "not_started"})
        if services.may_update(request.user, item) else None,
        "may_assign": can(request.user, "assign_actions"), "today": timezone.localdate(),
        "mail_on": mail_configured()})


@requires("assign_actions")
@require_http_methods(["GET", "POST"])
def assign(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    partnership = request.user.membership.partnership
    strategy = strategy_services.in_force(partnership)
    if strategy is None:
        messages.error(request, "Start the strategy before assigning actions.")
        return redirect("strategy:home")
    item = _action(request, pk) if pk else Action(strategy=strategy)
    form = ActionForm(request.POST or None, instance=item, partnership=partnership,
                      strategy=item.strategy)
    if request.method == "POST" and form.is_valid():
        saved = services.assign(form.instance, request.user, request=request)
        return redirect("actions:detail", pk=saved.pk)
    return _form_page(request, form, heading="Change the action" if pk else "Assign an action",
                      back="/actions/", intro="Each action is owed by one partner, led by one "
                      "person, and has a due date. The lead person gets an e-mail reminder "
                      "before the due date and, while it is open, after it.")


@requires("update_actions")
@require_POST
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    item = _action(request, pk)
    if not services.may_update(request.user, item):
        return forbidden(request, "update_actions")
    form = ProgressForm(request.POST)
    if form.is_valid():
        services.progress(item, request.user, text=form.cleaned_data["text"],
                          status=form.cleaned_data["status"], request=request)
        messages.success(request, "Progress recorded.")
        return redirect("actions:detail", pk=pk)
    return _form_page(request, form, heading=f"Progress on {item.title}",
                      back=f"/actions/{pk}/")


@requires("view_strategy")
def partners(request: HttpRequest) -> HttpResponse:
    partnership = request.user.membership.partnership
    today = timezone.localdate()
    rows = [services.owed_by(org, today=today)
            for org in Organisation.objects.filter(partnership=partnership)]
    return render(request, "actions/partners.html", {"rows": rows})


@requires("view_strategy")
def partner(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_object_or_404(Organisation, pk=pk, partnership=request.user.membership.partnership)
    return render(request, "actions/partner.html", {
        "owed": services.owed_by(org, today=timezone.localdate()),
        "today": timezone.localdate(), "services": org.services.filter(active=True)})
