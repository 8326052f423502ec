"""The agreements register's rules: which datasets are blocked, who may renew or download,
and the recorded ways an agreement changes (add, edit, renew, attach a document).

Every change is written field by field to :class:`AgreementChange` in the same transaction as
the change itself, so the history cannot miss an edit that happened.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Count, Max, Q
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from alliance import clock
from alliance.web.accounts.models import Partnership
from alliance.web.accounts.rules import can
from alliance.web.partnerships.documents import CheckedDocument
from alliance.web.partnerships.models import (
    DATASETS,
    REVIEW_WINDOW_DAYS,
    Agreement,
    AgreementChange,
    AgreementDocument,
)
from alliance.web.pool.per_request import OncePerRequest

#: (model field, label) of every field whose changes the history records
TRACKED: tuple[tuple[str, str], ...] = (
    ("title", "Title"), ("parties", "Parties"), ("purpose", "Purpose"),
    ("legal_basis", "Legal basis"), ("datasets", "Datasets covered"),
    ("start_date", "Start date"), ("review_date", "Review date"),
    ("expiry_date", "Expiry date"), ("owner", "Organisation that can renew it"),
    ("renewal_contact", "Renewal contact"))


def _day(d: date) -> str:
    """A date as GOV.UK writes it: 1 January 2025."""
    return f"{d.day} {d:%B %Y}"


class AgreementError(ValueError):
    """The change cannot be made (for example: this version was already renewed)."""


@dataclass(frozen=True)
class BlockedDataset:
    dataset: str
    agreement: str
    expired_on: date
    owner: str
    renewal_contact: str
    #: the current version of the agreement (the one to renew) and its owner organisation
    agreement_id: int = 0
    owner_id: int = 0

    @property
    def message(self) -> str:
        label = DATASETS.get(self.dataset, self.dataset)
        return (f"{label} cannot be used in new outputs: the agreement "
                f"\u201c{self.agreement}\u201d expired on {self.expired_on:%d %B %Y}. "
                f"{self.owner} can renew it (contact {self.renewal_contact}).")


@dataclass(frozen=True)
class Governing:
    """The agreement that governs one dataset: the latest-expiring version that covers it
    (``latest``), and the current version of its series (``current``: who owns it now and
    whom to ask to renew)."""

    dataset: str
    latest: Agreement
    current: Agreement


def _read_register() -> list[Agreement]:
    return list(Agreement.objects.select_related("owner"))


#: the register (every version of every agreement, a few dozen rows) is read once per web
#: request, since a page of figures asks which agreements govern its data more than once; an
#: agreement saved or deleted during the request forgets it
_register: OncePerRequest[list[Agreement]] = OncePerRequest("alliance.partnerships.register",
                                                            _read_register)
post_save.connect(_register.forget, sender=Agreement, dispatch_uid="alliance.register.saved")
post_delete.connect(_register.forget, sender=Agreement,
                    dispatch_uid="alliance.register.deleted")


def governing_agreements(partnership: Partnership | None = None,
                         datasets: Iterable[str] | None = None) -> dict[str, Governing]:
    """Dataset -> the agreement that governs it, for the datasets any agreement covers.

    Every version counts, superseded ones too: a renewal (which must expire later) takes over at
    once, but an edit that drops a dataset from a renewed agreement does not free that dataset.
    ``partnership=None`` reads the whole register: the pool is one store for the deployment,
    so the command line and the pool's queries judge by every agreement in it.
    """
    wanted = None if datasets is None else set(datasets)
    rows = _register.get()
    if partnership is not None:
        rows = [a for a in rows if a.partnership_id == partnership.pk]
    latest: dict[str, Agreement] = {}
    current: dict[Any, Agreement] = {}
    for agreement in rows:
        if agreement.is_current:
            current[agreement.series] = agreement
        for d in agreement.datasets:
            if (wanted is None or d in wanted) and (
                    d not in latest or agreement.expiry_date > latest[d].expiry_date):
                latest[d] = agreement
    return {d: Governing(dataset=d, latest=a, current=current.get(a.series, a))
            for d, a in sorted(latest.items())}


def _blocked(governing: dict[str, Governing], today: date) -> list[BlockedDataset]:
    blocked = []
    for d, g in governing.items():
        if g.latest.is_expired(today):
            now = g.current
            blocked.append(BlockedDataset(
                dataset=d, agreement=g.latest.title, expired_on=g.latest.expiry_date,
                owner=now.owner.name, renewal_contact=now.renewal_contact, agreement_id=now.pk,
                owner_id=now.owner_id))
    return blocked


def blocked_datasets(partnership: Partnership | None, datasets: Iterable[str], *,
                     today: date | None = None) -> list[BlockedDataset]:
    """The datasets among ``datasets`` whose latest-expiring agreement has expired.

    A dataset no agreement has ever covered is not blocked (open data such as police.uk needs
    none). See :func:`governing_agreements` for which agreement counts.
    """
    if partnership is None:
        return []
    return _blocked(governing_agreements(partnership, datasets), today or clock.today())


def expired_datasets(*, today: date | None = None) -> list[BlockedDataset]:
    """Every dataset the register blocks: whose governing agreement, in any partnership of this
    deployment, has expired. The pool leaves their rows out of every output."""
    return _blocked(governing_agreements(None), today or clock.today())


@dataclass(frozen=True)
class Attention:
    expired: int
    review_due: int

    @property
    def total(self) -> int:
        return self.expired + self.review_due


def attention(partnership: Partnership, *, today: date | None = None) -> Attention:
    """How many current agreements have expired, and how many (not expired) are due for review
    within :data:`REVIEW_WINDOW_DAYS` days or overdue; one query."""
    today = today or clock.today()
    soon = today + timedelta(days=REVIEW_WINDOW_DAYS)
    counts = Agreement.objects.filter(partnership=partnership, superseded_at=None).aggregate(
        expired=Count("pk", filter=Q(expiry_date__lt=today)),
        review_due=Count("pk", filter=Q(expiry_date__gte=today, review_date__lte=soon)))
    return Attention(expired=counts["expired"], review_due=counts["review_due"])


def _organisation_id(user: Any) -> int | None:
    membership = getattr(user, "membership", None)
    return membership.organisation_id if membership is not None else None


def may_renew_owned_by(user: Any, owner_id: int) -> bool:
    """Administrators renew any agreement; partner leads those their organisation owns."""
    if can(user, "manage_agreements"):
        return True
    return can(user, "renew_agreements") and _organisation_id(user) == owner_id


def may_renew(user: Any, agreement: Agreement) -> bool:
    return agreement.is_current and may_renew_owned_by(user, agreement.owner_id)


def may_download(user: Any, agreement: Agreement) -> bool:
    """Signed agreements and DPIAs go to administrators and to members of the parties."""
    if not can(user, "view_agreements"):
        return False
    if can(user, "manage_agreements"):
        return True
    org = _organisation_id(user)
    return org is not None and (agreement.owner_id == org
                                or agreement.parties.filter(pk=org).exists())


def snapshot(agreement: Agreement) -> dict[str, str]:
    """Each tracked field as the history shows it (saved values, read from the database)."""
    return {
        "title": agreement.title,
        "parties": ", ".join(sorted(p.name for p in agreement.parties.all())),
        "purpose": agreement.purpose,
        "legal_basis": agreement.get_legal_basis_display(),
        "datasets": ", ".join(agreement.dataset_labels()),
        "start_date": _day(agreement.start_date),
        "review_date": _day(agreement.review_date),
        "expiry_date": _day(agreement.expiry_date),
        "owner": agreement.owner.name,
        "renewal_contact": agreement.renewal_contact,
    }


def _log(agreement: Agreement, kind: str, by: Any, rows: list[tuple[str, str, str]]) -> list[
        AgreementChange]:
    email = getattr(by, "email", "") or ""
    actor = by if getattr(by, "is_authenticated", False) else None
    now = timezone.now()
    return AgreementChange.objects.bulk_create(
        AgreementChange(agreement=agreement, kind=kind, field=field, old=old, new=new,
                        changed_by=actor, changed_by_email=email, changed_at=now)
        for field, old, new in rows)


def _attach(agreement: Agreement, kind: str, doc: CheckedDocument, by: Any) -> AgreementDocument:
    """Add ``doc`` as the next version of its kind in the agreement's series."""
    latest = AgreementDocument.objects.filter(agreement__series=agreement.series,
                                              kind=kind).aggregate(v=Max("version"))["v"]
    document = AgreementDocument.objects.create(
        agreement=agreement, kind=kind, name=doc.name, content_type=doc.content_type,
        content=doc.content, size=len(doc.content), sha256=doc.sha256,
        version=(latest or 0) + 1,
        uploaded_by=by if getattr(by, "is_authenticated", False) else None)
    label = AgreementDocument.Kind(kind).label
    _log(agreement, "document", by,
         [(label, "", f"version {document.version}: {doc.name}")])
    return document


def _lock_current(pk: int) -> Agreement:
    """The agreement, locked for this transaction, refusing versions already renewed."""
    agreement = Agreement.objects.select_for_update().get(pk=pk)
    if not agreement.is_current:
        raise AgreementError(f"Version {agreement.version} of \u201c{agreement.title}\u201d was "
                             "replaced by a renewal; earlier versions cannot be changed.")
    return agreement


@transaction.atomic
def create(partnership: Partnership, data: dict[str, Any], *, by: Any,
           document: CheckedDocument | None = None, document_kind: str = "") -> Agreement:
    fields = {name: data[name] for name, _ in TRACKED if name != "parties"}
    agreement = Agreement.objects.create(partnership=partnership, **fields)
    agreement.parties.set(data["parties"])
    _log(agreement, "created", by,
         [("Agreement", "", f"version 1, {_day(agreement.start_date)} to "
                            f"{_day(agreement.expiry_date)}")])
    if document is not None:
        _attach(agreement, document_kind or "other", document, by)
    return agreement


@transaction.atomic
def edit(pk: int, data: dict[str, Any], *, by: Any) -> list[AgreementChange]:
    """Apply the tracked fields in ``data``; one history row per field that changed."""
    agreement = _lock_current(pk)
    before = snapshot(agreement)
    for name, _ in TRACKED:
        if name != "parties" and name in data:
            setattr(agreement, name, data[name])
    agreement.save()
    if "parties" in data:
        agreement.parties.set(data["parties"])
    agreement = Agreement.objects.select_related("owner").get(pk=pk)
    after = snapshot(agreement)
    labels = dict(TRACKED)
    return _log(agreement, "edit", by,
                [(labels[f], before[f], after[f]) for f, _ in TRACKED if before[f] != after[f]])


@transaction.atomic
def renew(pk: int, *, start_date: date, review_date: date, expiry_date: date, by: Any,
          document: CheckedDocument | None = None, document_kind: str = "") -> Agreement:
    """Add the next version with new dates; the old version becomes read-only history."""
    old = _lock_current(pk)
    if expiry_date <= old.expiry_date:
        raise AgreementError("The new expiry date must be later than the current one.")
    parties = list(old.parties.all())
    new = Agreement.objects.create(
        partnership=old.partnership, title=old.title, purpose=old.purpose,
        legal_basis=old.legal_basis, datasets=list(old.datasets), start_date=start_date,
        review_date=review_date, expiry_date=expiry_date, owner=old.owner,
        renewal_contact=old.renewal_contact, series=old.series, version=old.version + 1)
    new.parties.set(parties)
    old.superseded_at = timezone.now()
    old.save(update_fields=["superseded_at"])
    _log(new, "renewal", by, [
        ("Version", str(old.version), str(new.version)),
        ("Start date", _day(old.start_date), _day(start_date)),
        ("Review date", _day(old.review_date), _day(review_date)),
        ("Expiry date", _day(old.expiry_date), _day(expiry_date))])
    if document is not None:
        _attach(new, document_kind or "isa", document, by)
    return new


@transaction.atomic
def attach(pk: int, kind: str, document: CheckedDocument, *, by: Any) -> AgreementDocument:
    return _attach(_lock_current(pk), kind, document, by)


@dataclass(frozen=True)
class History:
    versions: list[Agreement]
    changes: list[AgreementChange]
    documents: list[AgreementDocument]  # newest version of each kind first

    @property
    def current(self) -> Agreement:
        return self.versions[-1]


def history(agreement: Agreement) -> History:
    """Every version, change and document of the agreement's series (three queries)."""
    versions = list(Agreement.objects.filter(series=agreement.series).order_by("version"))
    changes = list(AgreementChange.objects.filter(agreement__series=agreement.series)
                   .select_related("agreement"))
    documents = list(AgreementDocument.objects.filter(agreement__series=agreement.series)
                     .defer("content").select_related("agreement").order_by("kind", "-version"))
    return History(versions=versions, changes=changes, documents=documents)
