"""The review queue of words the geocoder could not place, and the venues the gazetteer knows.

The queue shows partners' free text (record-level): analysts and administrators only, and each
view is audited. An answer is remembered for the same words and places the rows already loaded.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from alliance.sources.errors import SourceFileError
from alliance.web.accounts.permissions import requires
from alliance.web.audit.services import record
from alliance.web.places import services
from alliance.web.places import venues as venue_files
from alliance.web.places.forms import AnswerForm, VenueForm, VenuesFileForm
from alliance.web.places.models import PlaceDecision, Venue

MAX_VENUES_BYTES = 2 * 2**20


@requires("view_record_level")
def review(request: HttpRequest) -> HttpResponse:
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["text"]
        try:
            changed = services.decide(text, answer=form.cleaned_data["answer"],
                                      no_place=form.cleaned_data["no_place"],
                                      by=request.user.email)
        except services.PlaceError as exc:
            form.add_error("answer", str(exc))
        else:
            record(request, "place_decision", target=text[:100],
                   answer="no place" if form.cleaned_data["no_place"]
                   else form.cleaned_data["answer"][:100], rows=changed)
            messages.success(request, f"Saved: {changed} row{'s' if changed != 1 else ''} "
                                      "placed again, and the same words will be placed this "
                                      "way from now on.")
            return redirect("places:review")
    entries, no_place = services.review_queue()
    record(request, "view_restricted", target="place review queue", entries=len(entries))
    recent = PlaceDecision.objects.all()[:20]
    return render(request, "places/review.html",
                  {"entries": entries, "no_place": no_place, "form": form, "recent": recent,
                   "failed_text": form.data.get("text") if form.errors else None},
                  status=400 if form.errors else 200)


def _save_venue(request: HttpRequest, form: VenueForm) -> bool:
    try:
        where = venue_files.locate(postcode=form.cleaned_data["postcode"],
                                   easting=form.cleaned_data["easting"],
                                   northing=form.cleaned_data["northing"])
    except services.PlaceError as exc:
        form.add_error("postcode", str(exc))
        return False
    venue = form.save(commit=False)
    venue.easting, venue.northing, venue.lsoa21_code = (where.easting, where.northing,
                                                        where.lsoa21_code)
    venue.updated_by = request.user.email
    venue.save()
    record(request, "venue_change", target=venue.name[:100], saved=True,
           lsoa=venue.lsoa21_code)
    return True


@requires("view_record_level")
def venues(request: HttpRequest) -> HttpResponse:
    form = VenueForm(request.POST if "name" in request.POST else None)
    upload = VenuesFileForm(request.POST if "file" in request.FILES else None,
                            request.FILES or None)
    if request.method == "POST" and "file" in request.FILES and upload.is_valid():
        f = upload.cleaned_data["file"]
        if f.size > MAX_VENUES_BYTES:
            upload.add_error("file", f"The file is over {MAX_VENUES_BYTES // 2**20} MB.")
        else:
            try:
                n = venue_files.import_csv(f.read(), file=f.name, by=request.user.email)
            except SourceFileError as exc:
                upload.add_error("file", str(exc))
            else:
                record(request, "venue_change", target=f.name[:100], loaded=n)
                messages.success(request, f"{n} venue{'s' if n != 1 else ''} loaded.")
                return redirect("places:venues")
    elif request.method == "POST" and form.is_valid() and _save_venue(request, form):
        messages.success(request, f"{form.cleaned_data['name']} saved.")
        return redirect("places:venues")
    return render(request, "places/venues.html",
                  {"form": form, "upload": upload, "venues": Venue.objects.all()},
                  status=400 if form.errors or upload.errors else 200)


@requires("view_record_level")
def venue(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Venue, pk=pk)
    form = VenueForm(request.POST or None, instance=found,
                     initial={"easting": f"{found.easting:.0f}",
                              "northing": f"{found.northing:.0f}"})
    if request.method == "POST" and form.is_valid() and _save_venue(request, form):
        messages.success(request, f"{found.name} saved.")
        return redirect("places:venues")
    return render(request, "places/venue.html", {"form": form, "venue": found},
                  status=400 if form.errors else 200)


@require_POST
@requires("view_record_level")
def delete_venue(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Venue, pk=pk)
    record(request, "venue_change", target=found.name[:100], deleted=True)
    found.delete()
    messages.success(request, f"{found.name} deleted.")
    return redirect("places:venues")


@requires("view_record_level")
def venues_csv(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(venue_files.export_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="venues.csv"'
    record(request, "export", target="venues file")
    return response
