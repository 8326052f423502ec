"""The strategy pages: the strategy (any version), its priorities and interventions with the
YEF Toolkit ratings, the logic model, and the forms that change a draft."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_POST

from alliance.report.logic_model import (
    LogicIntervention,
    LogicPriority,
    logic_model_svg,
    logic_model_text,
)
from alliance.web.accounts.permissions import requires
from alliance.web.accounts.rules import can
from alliance.web.strategy import services
from alliance.web.strategy.forms import InterventionForm, PriorityForm, StrategyForm, lines
from alliance.web.strategy.models import Intervention, Objective, Priority, Strategy


def mine(request: HttpRequest, pk: int) -> Strategy:
    return get_object_or_404(Strategy, pk=pk, partnership=request.user.membership.partnership)


def _priority(request: HttpRequest, pk: int) -> Priority:
    return get_object_or_404(Priority.objects.select_related("strategy"), pk=pk,
                             strategy__partnership=request.user.membership.partnership)


def logic_model(strategy: Strategy) -> tuple[str, str]:
    """The diagram (SVG) and its text equivalent (Markdown) of ``strategy``."""
    model = tuple(LogicPriority(title=p.title, interventions=tuple(
        LogicIntervention(title=i.title, outputs=tuple(i.output_list()),
                          outcomes=tuple(i.outcome_list()),
                          evidence=_evidence(i.approach)) for i in p.interventions.all()))
        for p in strategy.priorities.prefetch_related("interventions"))
    if not model:
        return "", ""
    return logic_model_svg(model, chart_id=f"logic-model-{strategy.pk}"), logic_model_text(model)


def _evidence(approach: str) -> str:
    if not approach:
        return ""
    rating = services.rating(approach)
    return f"YEF Toolkit: {approach}, " + (rating.impact_words.lower() if rating else
                                           "not in the Toolkit table held")


def _page(request: HttpRequest, strategy: Strategy | None) -> HttpResponse:
    partnership = request.user.membership.partnership
    context: dict[str, Any] = {"strategy": strategy, "versions": Strategy.objects.filter(
        partnership=partnership), "may_manage": can(request.user, "manage_strategy")}
    if strategy is not None:
        priorities = list(strategy.priorities.prefetch_related(
            "objectives", "interventions__partner", "measures"))
        places = services.places(partnership)
        for p in priorities:
            for i in p.interventions.all():
                i.rating = services.rating(i.approach)
                i.place_names = [places[c].name if c in places else c
                                 for c in i.places]
        svg, text = logic_model(strategy)
        context.update(priorities=priorities, logic_svg=mark_safe(svg),
                       logic_text=text, draft=services.draft(partnership),
                       editable=strategy.editable and context["may_manage"])
    return render(request, "strategy/strategy.html", context)


@requires("view_strategy")
def home(request: HttpRequest) -> HttpResponse:
    return _page(request, services.shown(request.user.membership.partnership))


@requires("view_strategy")
def version(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, mine(request, pk))


def _form_page(request: HttpRequest, form: Any, *, heading: str, back: str,
               intro: str = "", button: str = "Save") -> HttpResponse:
    return render(request, "strategy/form.html", {"form": form, "heading": heading,
                                                  "back": back, "intro": intro,
                                                  "button": button},
                  status=400 if form.errors else 200)


def _refused(request: HttpRequest, exc: Exception, to: str, **kwargs: Any) -> HttpResponse:
    messages.error(request, str(exc)[:1].upper() + str(exc)[1:])
    return redirect(to, **kwargs)


@requires("manage_strategy")
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    form = StrategyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            strategy = services.create(request.user.membership.partnership, request.user,
                                       request=request, **form.cleaned_data)
        except services.StrategyError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("strategy:version", pk=strategy.pk)
    return _form_page(request, form, heading="Start the strategy", back="/strategy/",
                      intro="Start with the title, the years it covers and its vision; add "
                            "priorities, interventions and measures next.")


@requires("manage_strategy")
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    strategy = mine(request, pk)
    if not strategy.editable:
        return _refused(request, services.StrategyError(
            "an adopted strategy cannot be changed: start a new version"), "strategy:version",
            pk=pk)
    form = StrategyForm(request.POST or None, instance=strategy)
    if request.method == "POST" and form.is_valid():
        services.save(form.instance, request.user, strategy=strategy, request=request)
        return redirect("strategy:version", pk=pk)
    return _form_page(request, form, heading=f"Change {strategy}", back=f"/strategy/{pk}/")


@requires("manage_strategy")
@require_POST
def adopt(request: HttpRequest, pk: int) -> HttpResponse:
    strategy = mine(request, pk)
    try:
        services.adopt(strategy, request.user, request=request)
    except services.StrategyError as exc:
        return _refused(request, exc, "strategy:version", pk=pk)
    messages.success(request, f"{strategy} is adopted. It can no longer be changed; start a "
                              "new version to change it.")
    return redirect("strategy:version", pk=pk)


@requires("manage_strategy")
@require_POST
def new_version(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        copy = services.new_version(mine(request, pk), request.user, request=request)
    except services.StrategyError as exc:
        return _refused(request, exc, "strategy:version", pk=pk)
    messages.success(request, f"Version {copy.version} started as a draft, copied from the "
                              "adopted version (which stays as it is).")
    return redirect("strategy:version", pk=copy.pk)


@requires("manage_strategy")
@require_http_methods(["GET", "POST"])
def priority(request: HttpRequest, pk: int, priority_pk: int | None = None) -> HttpResponse:
    strategy = mine(request, pk)
    item = _priority(request, priority_pk) if priority_pk else Priority(strategy=strategy)
    if item.strategy_id != strategy.pk:
        return redirect("strategy:version", pk=pk)
    initial = {"objectives": "\n".join(o.text for o in item.objectives.all())} if item.pk \
        else {}
    form = PriorityForm(request.POST or None, instance=item, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.save(form.instance, request.user, strategy=strategy, request=request)
                item.objectives.all().delete()
                for text in lines(form.cleaned_data["objectives"]):
                    Objective.objects.create(priority=item, text=text[:300])
        except services.StrategyError as exc:
            return _refused(request, exc, "strategy:version", pk=pk)
        return redirect("strategy:version", pk=pk)
    return _form_page(request, form, heading=f"Priority of {strategy}",
                      back=f"/strategy/{pk}/")


@requires("manage_strategy")
@require_http_methods(["GET", "POST"])
def intervention(request: HttpRequest, priority_pk: int,
                 intervention_pk: int | None = None) -> HttpResponse:
    p = _priority(request, priority_pk)
    item = (get_object_or_404(Intervention, pk=intervention_pk, priority=p)
            if intervention_pk else Intervention(priority=p))
    partnership = request.user.membership.partnership
    table = services.toolkit()
    form = InterventionForm(request.POST or None, instance=item, partnership=partnership,
                            approaches=list(table.names()) if table else [],
                            places=services.places(partnership))
    if request.method == "POST" and form.is_valid():
        try:
            services.save(form.instance, request.user, strategy=p.strategy, request=request)
        except services.StrategyError as exc:
            return _refused(request, exc, "strategy:version", pk=p.strategy_id)
        return redirect("strategy:version", pk=p.strategy_id)
    return _form_page(request, form, heading=f"Intervention under {p.title}",
                      back=f"/strategy/{p.strategy_id}/",
                      intro="Choose the YEF Toolkit approach it follows: its impact, evidence "
                            "and cost ratings are shown on the strategy, and any the Toolkit "
                            "table does not hold are marked as missing.")
