"""You said, we did: what residents and partners told the partnership, and what it is doing.

Two sources, both already published elsewhere in their own place:

* a consultation's findings (:class:`alliance.web.consultations.models.Finding`), once the
  consultation's results are published (the same rows as its results page);
* what workshops and events became in the strategy in force (the links kept by
  :class:`alliance.web.actions.models.Origin`, read through
  :func:`alliance.web.monitoring.services.you_said_we_did`, the rows of the monitoring report).
  Only an adopted strategy is shown, and nothing still only proposed: a resident reads what the
  partnership has agreed to do, not its drafts.

Nothing here is a count, so no suppression applies; the words are the screened text the
workspace already holds (organisations, never people).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from alliance.web.accounts.models import Partnership


@dataclass(frozen=True)
class Heard:
    """One thing the partnership heard and what it is doing about it."""

    said: str
    where: str
    did: str
    status: str
    link: str = ""  # where to read more ("" when there is no public page for it)


#: statuses of a strategy item that are not yet a commitment
NOT_YET = frozenset({"Proposed"})


def from_consultations(partnership: Partnership | None) -> list[Heard]:
    """Findings of every consultation whose results are published, in its own order."""
    from alliance.web.consultations.models import Consultation
    from alliance.web.consultations.services import findings

    if partnership is None:
        return []
    rows: list[Heard] = []
    for consultation in Consultation.objects.filter(partnership=partnership).order_by("-pk"):
        if consultation.current_phase() != Consultation.Phase.PUBLISHED:
            continue
        link = reverse("public:results", args=[consultation.slug])
        rows += [Heard(said=f.you_said, where=consultation.title, did=f.we_did,
                       status=f.get_status_display(), link=link)
                 for f in findings(consultation)]
    return rows


def from_strategy(partnership: Partnership | None) -> list[Heard]:
    """What workshops and events became in the adopted strategy (agreed items only)."""
    if partnership is None:
        return []
    from alliance.web.monitoring.services import you_said_we_did
    from alliance.web.strategy.models import Strategy

    strategy = Strategy.objects.filter(partnership=partnership,
                                       status=Strategy.Status.ADOPTED).first()
    if strategy is None:
        return []
    return [Heard(said=row.said, where=row.where + (f" ({', '.join(row.who)})" if row.who else ""),
                  did=row.did, status=row.status)
            for row in you_said_we_did(strategy) if row.status not in NOT_YET]
