"""The partnership's own words in its SNA: summary, key findings and recommendations.

Each text is written against the latest finished build of its area: what it rests on is one
finding, table or figure of that build's ``figures.json``; saving fingerprints its numbers
(:func:`alliance.report.written.entry_fingerprint`), so a later build flags the text when they
change. The SNA build receives the texts as plain :class:`~alliance.report.written.WrittenText`
(:func:`written_for`, called by :func:`alliance.web.reports.services.gather`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils import timezone

from alliance.report.sna.summary import HEADLINE_TABLE
from alliance.report.sna.summary import ORDER as KEY_ORDER
from alliance.report.written import (
    Checked,
    WrittenText,
    baseline_of,
    check,
    entry_fingerprint,
    label_of,
)
from alliance.web.audit.services import record
from alliance.web.reports import services
from alliance.web.reports.models import SnaBuild, SnaText, SnaTextVersion

#: sections whose items a text does not rest on: the texts' own places and the annexes
NOT_CITED = frozenset({"summary", "key-findings", "recommendations", "annexes", "methods",
                       "data-currency", "definition", "suppression", "licences", "batches",
                       "glossary"})
FIGURES = "data/figures.json"
#: longest text, measure (characters)
MAX_TEXT, MAX_MEASURE = 5_000, 300
#: link targets a text may use (as the report's Markdown renderer keeps them)
_LINK = re.compile(r"""\]\(\s*<?([^)\s>]*)          # [text](target) and ![alt](target)
                      | ^\s*\[[^\]]+\]:\s*<?(\S+?)>?\s*$   # [label]: target
                      | <([a-zA-Z][\w+.-]*:[^>]*)>       # <scheme:target>""", re.M | re.X)
_SAFE = re.compile(r"^(https?://|mailto:|#)", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class TextRefused(ValueError):
    """A text that cannot be saved, with what to do, naming the field (``field``)."""

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Citable:
    """An item of the latest build a text may rest on."""

    id: str
    kind: str  # finding, table or figure
    label: str  # how a person recognises it
    baseline: str  # its numbers in words, with their period
    entry: dict[str, Any]


def latest_build(area_code: str) -> SnaBuild | None:
    """The newest finished build of the area whose figures are on this server, preferring a
    build for publication to a draft."""
    builds = SnaBuild.objects.filter(status=SnaBuild.Status.DONE, area_code=area_code)
    for draft in (False, True):
        for build in builds.filter(draft=draft).order_by("-finished_at", "-id")[:20]:
            if services.build_file(build, FIGURES) is not None:
                return build
    return None


def entries_of(build: SnaBuild | None) -> dict[str, dict[str, Any]]:
    """The build's findings, tables and figures by id (empty when its figures are gone)."""
    path = services.build_file(build, FIGURES) if build is not None else None
    if path is None:
        return {}
    try:
        figures = json.loads(path.read_text(encoding="utf-8"))["figures"]
        return {str(e["id"]): e for e in figures if isinstance(e, dict) and "id" in e}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def citable(entries: dict[str, dict[str, Any]]) -> list[Citable]:
    """What a finding or recommendation may rest on: the findings first, in the order of the
    report's key findings, then the chapters' tables and figures, in report order."""
    items = [Citable(id=i, kind=str(e.get("kind")), label=label_of(e), baseline=baseline_of(e),
                     entry=e)
             for i, e in entries.items() if e.get("section") not in NOT_CITED]
    rank = {fid: n for n, fid in enumerate(KEY_ORDER)}
    return sorted(items, key=lambda c: (c.kind != "finding", rank.get(c.id, len(rank))))


def texts_for(partnership: Any, area_code: str) -> list[SnaText]:
    """The area's texts in the report's order (summary, findings, recommendations)."""
    order = {k: i for i, k in enumerate(SnaText.Kind.values)}
    texts = SnaText.objects.filter(partnership=partnership, area_code=area_code,
                                   removed_at__isnull=True).select_related("owner")
    return sorted(texts, key=lambda t: (order[t.kind], t.number, t.pk))


def as_written(text: SnaText) -> WrittenText:
    return WrittenText(key=text.key, kind=text.kind, text=text.text,
                       cites=text.cites, fingerprint=text.fingerprint,
                       baseline=text.baseline or text.checked, checked=text.checked,
                       cited_label=text.cited_label,
                       owner=text.owner.name if text.owner is not None else "",
                       measure=text.measure,
                       written=f"{timezone.localtime(text.updated_at):%-d %B %Y}")


def statuses(texts: list[SnaText],
             entries: dict[str, dict[str, Any]]) -> dict[int, Checked]:
    """Each text (by id) with what has become of its numbers in ``entries`` (a build)."""
    if not entries:
        return {}
    checked = check([as_written(t) for t in texts], entries)
    return {t.pk: c for t, c in zip(texts, checked, strict=True)}


def written_for(area_code: str | None) -> tuple[WrittenText, ...]:
    """The texts an SNA of ``area_code`` carries, in order (the store's one partnership)."""
    from alliance.web.accounts.models import Partnership

    partnership = Partnership.objects.order_by("pk").first()
    if partnership is None or not area_code:
        return ()
    return tuple(as_written(t) for t in texts_for(partnership, area_code))


def check_words(text: str, *, field: str = "text", limit: int = MAX_TEXT) -> str:
    """The words as they will be saved, or :class:`TextRefused` saying what to change."""
    words = text.replace("\r\n", "\n").strip()
    if not words:
        raise TextRefused("Enter the words", field=field)
    if len(words) > limit:
        raise TextRefused(f"Use {limit:,} characters or fewer (this has {len(words):,})",
                          field=field)
    if _CONTROL.search(words):
        raise TextRefused("Remove the characters that cannot be shown (control characters, "
                          "often pasted from another program)", field=field)
    for match in _LINK.finditer(words):
        target = next((g for g in match.groups() if g is not None), "")
        if target and not _SAFE.match(target):
            raise TextRefused(f"A link may go to a web page (https://…), an e-mail address "
                              f"(mailto:…) or a place in the report (#…), not “{target[:60]}”",
                              field=field)
    return words


@transaction.atomic
def save(*, partnership: Any, user: Any, request: HttpRequest | None, kind: str,
         area_code: str, area_name: str, text: str, cites: str = "", owner: Any = None,
         measure: str = "", reset_baseline: bool = False,
         instance: SnaText | None = None) -> SnaText:
    """Write or edit a text against the area's latest build: its numbers are checked again
    (the flag clears), a recommendation keeps its baseline unless what it rests on changes or
    ``reset_baseline``; the version is kept and the change audited."""
    if kind not in SnaText.Kind.values:
        raise TextRefused("Choose a summary, a finding or a recommendation")
    words = check_words(text)
    build = latest_build(area_code)
    entries = entries_of(build)
    if build is None or not entries:
        raise TextRefused("Build the SNA for this area first: what you write rests on its "
                          "figures")
    cites = HEADLINE_TABLE if kind == SnaText.Kind.SUMMARY else cites
    entry = entries.get(cites)
    if entry is None or (kind != SnaText.Kind.SUMMARY
                         and cites not in {c.id for c in citable(entries)}):
        raise TextRefused("Choose what it rests on from the latest build", field="cites")
    if kind == SnaText.Kind.RECOMMENDATION:
        if owner is None or owner.partnership_id != partnership.pk:
            raise TextRefused("Choose the organisation that owns it", field="owner")
        measure = check_words(measure, field="measure", limit=MAX_MEASURE)
    else:
        owner, measure = None, ""
    if kind == SnaText.Kind.SUMMARY and instance is None and SnaText.objects.filter(
            partnership=partnership, area_code=area_code, kind=kind,
            removed_at__isnull=True).exists():
        raise TextRefused("This area already has a summary: edit it instead")
    now = baseline_of(entry)
    item = instance or SnaText(partnership=partnership, area_code=area_code, kind=kind,
                               created_by=user, number=_next_number(partnership, area_code,
                                                                    kind))
    keep = (instance is not None and instance.cites == cites and not reset_baseline
            and kind == SnaText.Kind.RECOMMENDATION and instance.baseline)
    item.area_name = area_name[:200]
    item.text, item.cites, item.cited_label = words, cites, label_of(entry)[:600]
    item.fingerprint, item.checked = entry_fingerprint(entry), now[:300]
    item.baseline = (instance.baseline if keep and instance is not None else
                     now[:300] if kind == SnaText.Kind.RECOMMENDATION else "")
    item.owner, item.measure, item.build, item.updated_by = owner, measure, build, user
    if instance is not None:
        item.version += 1
    item.save()
    _keep_version(item, user, "edited" if instance is not None else "written")
    record(request, "sna_text", target=f"{item.get_kind_display()} {item.pk}",
           area=area_code, change="edited" if instance is not None else "written",
           version=item.version, cites=cites)
    return item


@transaction.atomic
def remove(item: SnaText, *, user: Any, request: HttpRequest | None) -> None:
    """Take a text out of the report; it and its history are kept."""
    item.removed_at, item.updated_by = timezone.now(), user
    item.version += 1
    item.save(update_fields=["removed_at", "updated_by", "version", "updated_at"])
    _keep_version(item, user, "removed")
    record(request, "sna_text", target=f"{item.get_kind_display()} {item.pk}",
           area=item.area_code, change="removed", version=item.version)


def _next_number(partnership: Any, area_code: str, kind: str) -> int:
    top = SnaText.objects.filter(partnership=partnership, area_code=area_code, kind=kind,
                                 removed_at__isnull=True).aggregate(top=Max("number"))["top"]
    return int(top or 0) + 1


def _keep_version(item: SnaText, user: Any, change: str) -> None:
    SnaTextVersion.objects.create(
        sna_text=item, version=item.version, change=change, text=item.text, cites=item.cites,
        cited_label=item.cited_label, checked=item.checked, baseline=item.baseline,
        owner_name=item.owner.name if item.owner is not None else "", measure=item.measure,
        saved_by=user, saved_by_email=getattr(user, "email", "") or "")
