"""Events and workshops: record them, take notes (typed or uploaded), find the themes of the
notes, and turn a theme or a note into a proposal."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from alliance.voice.themes.reading import MAX_BYTES, FreeTextError
from alliance.web.accounts.permissions import requires
from alliance.web.accounts.rules import can
from alliance.web.audit.services import record
from alliance.web.events import services
from alliance.web.events.forms import EventForm, NoteForm, NotesUploadForm, WorkshopForm
from alliance.web.events.models import Event, Note, Workshop
from alliance.web.events.proposals import ProposalForm, propose
from alliance.web.strategy.views import _form_page
from alliance.web.themes.services import ThemeError


def _event(request: HttpRequest, pk: int) -> Event:
    return get_object_or_404(Event.objects.select_related("theme_set"), pk=pk,
                             partnership=request.user.membership.partnership)


def _workshop(request: HttpRequest, pk: int) -> Workshop:
    return get_object_or_404(Workshop.objects.select_related("event"), pk=pk,
                             event__partnership=request.user.membership.partnership)


@requires("view_strategy")
def events(request: HttpRequest) -> HttpResponse:
    found = Event.objects.filter(partnership=request.user.membership.partnership)
    return render(request, "events/list.html", {
        "events": found.prefetch_related("workshops"),
        "may_record": can(request.user, "record_events")})


@requires("view_strategy")
def event(request: HttpRequest, pk: int) -> HttpResponse:
    item = _event(request, pk)
    partnership = request.user.membership.partnership
    workshops = list(item.workshops.prefetch_related("notes__organisation"))
    may_record = can(request.user, "record_events")
    for w in workshops:  # one form per workshop, each with ids of its own
        w.note_form = (NoteForm(partnership=partnership,
                                auto_id=f"note-{w.pk}-%s") if may_record else None)
    return render(request, "events/event.html", {
        "event": item, "workshops": workshops, "themes": services.themes_of(item),
        "may_record": may_record, "may_moderate": can(request.user, "moderate_voice"),
        "may_theme": can(request.user, "analyse_themes"),
        "may_propose": can(request.user, "manage_strategy"),
        "workshop_form": WorkshopForm() if may_record else None,
        "organisations": services.organisations_at(item),
        "notes": sum(len(w.notes.all()) for w in workshops)})


@requires("record_events")
@require_http_methods(["GET", "POST"])
def event_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    partnership = request.user.membership.partnership
    item = _event(request, pk) if pk else Event(partnership=partnership)
    form = EventForm(request.POST or None, instance=item, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        if item.pk is None:
            form.instance.created_by = request.user
        saved = form.save()
        record(request, "event_change", target=str(saved),
               change="changed" if pk else "recorded")
        return redirect("events:event", pk=saved.pk)
    return _form_page(request, form, heading="Change the event" if pk else "Record an event",
                      back=reverse("events:event", args=[pk]) if pk else reverse(
                          "events:list"),
                      intro="The event's agenda, who came and how many; add its workshops "
                            "and their notes on the event's page.")


@requires("record_events")
@require_POST
def add_workshop(request: HttpRequest, pk: int) -> HttpResponse:
    item = _event(request, pk)
    form = WorkshopForm(request.POST)
    if form.is_valid():
        form.instance.event = item
        form.instance.number = services.next_workshop_number(item)
        form.save()
        record(request, "event_change", target=str(item), change="workshop added",
               workshop=form.instance.number)
        return redirect(reverse("events:event", args=[pk]) + f"#workshop-{form.instance.pk}")
    return _form_page(request, form, heading=f"Add a workshop to {item.title}",
                      back=reverse("events:event", args=[pk]))


def _referred(request: HttpRequest, notes: list[Note]) -> None:
    """Tell the recorder that notes suggesting a safeguarding concern went to the lead."""
    referrals, unreferred = services.refer_concerns(notes, request.user, request=request)
    if referrals:
        messages.warning(request, f"{len(referrals)} notes suggest a safeguarding concern and "
                         f"were referred to {referrals[0].lead_name}. They are withheld from "
                         "the themes and from anyone who does not moderate.")
    if unreferred:
        messages.error(request, f"{unreferred} notes suggest a safeguarding concern, but no "
                       "safeguarding lead is named: ask an administrator to name one, and "
                       "follow the partnership's procedure now.")


@requires("record_events")
@require_POST
def add_note(request: HttpRequest, pk: int) -> HttpResponse:
    workshop = _workshop(request, pk)
    form = NoteForm(request.POST, partnership=request.user.membership.partnership)
    if form.is_valid():
        form.instance.workshop = workshop
        note = services.add_note(form.instance, request.user, request=request)
        if note.safeguarding:
            _referred(request, [note])
        elif note.flagged:
            messages.success(request, f"Note added. It looks as if it holds {note.flagged}, "
                                      "so it will not be quoted outside this page.")
        return redirect(reverse("events:event", args=[workshop.event_id])
                        + f"#workshop-{workshop.pk}")
    return _form_page(request, form, heading=f"Add a note to {workshop}",
                      back=reverse("events:event", args=[workshop.event_id]))


@requires("record_events")
@require_http_methods(["GET", "POST"])
def upload_notes(request: HttpRequest, pk: int) -> HttpResponse:
    workshop = _workshop(request, pk)
    form = NotesUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        name = (uploaded.name or "notes").replace("\\", "/").rsplit("/", 1)[-1][:200]
        try:
            if uploaded.size > MAX_BYTES:
                raise FreeTextError(f"{name} is {uploaded.size / 2**20:.1f} MB; the limit is "
                                    f"{MAX_BYTES // 2**20} MB")
            notes = services.upload_notes(uploaded.read(), name=name, workshop=workshop,
                                          user=request.user, request=request)
        except FreeTextError as exc:
            record(request, "upload_rejected", target=name, reason=str(exc)[:300])
            form.add_error("file", str(exc))
        else:
            messages.success(request, f"{len(notes)} notes added to {workshop} from {name}.")
            _referred(request, notes)
            return redirect(reverse("events:event", args=[workshop.event_id])
                            + f"#workshop-{workshop.pk}")
    return _form_page(request, form, heading=f"Upload notes of {workshop}",
                      back=reverse("events:event", args=[workshop.event_id]),
                      button="Upload the notes")


@requires("analyse_themes")
@require_POST
def find_themes(request: HttpRequest, pk: int) -> HttpResponse:
    item = _event(request, pk)
    try:
        theme_set = services.find_themes(item, request.user, request=request)
    except ThemeError as exc:
        messages.error(request, f"No themes can be found yet: {exc}.")
        return redirect("events:event", pk=pk)
    messages.success(request, "The notes are being read for themes. They appear on this page "
                              "when ready; rename, merge or split them on the themes page.")
    return redirect(reverse("events:event", args=[pk]) + ("#themes" if theme_set else ""))


@requires("manage_strategy")
@require_http_methods(["GET", "POST"])
def proposal(request: HttpRequest) -> HttpResponse:
    partnership = request.user.membership.partnership
    source = request.POST if request.method == "POST" else request.GET
    try:
        if source.get("note", "").isdigit():
            note = get_object_or_404(Note.objects.select_related("workshop__event"),
                                     pk=int(source["note"]),
                                     workshop__event__partnership=partnership)
            said, back = services.said_in_note(note), note.workshop.event_id
        elif source.get("event", "").isdigit() and source.get("theme", "").isdigit():
            item = _event(request, int(source["event"]))
            said, back = services.said_in_theme(item, int(source["theme"])), item.pk
        else:
            return redirect("events:list")
    except services.EventError as exc:
        messages.error(request, str(exc).capitalize() + ".")
        return redirect("events:list")
    form = ProposalForm(request.POST or None, partnership=partnership,
                        initial={"title": said.suggestion[:200]})
    if request.method == "POST" and form.is_valid():
        made = propose(form.cleaned_data, said, partnership=partnership, user=request.user,
                       request=request)
        messages.success(request, f"Proposed: {made.title}. It keeps the link to what was "
                                  "said and which organisations said it.")
        return redirect("events:event", pk=back)
    return render(request, "events/proposal.html", {
        "form": form, "said": said, "back": reverse("events:event", args=[back]),
        "hidden": {k: source[k] for k in ("note", "event", "theme") if k in source}},
        status=400 if form.errors else 200)
