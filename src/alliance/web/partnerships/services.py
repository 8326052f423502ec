"""Which datasets may be used in new outputs: not one whose agreements have all expired."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from alliance.web.accounts.models import Partnership
from alliance.web.partnerships.models import DATASETS, Agreement


@dataclass(frozen=True)
class BlockedDataset:
    dataset: str
    agreement: str
    expired_on: date
    owner: str
    renewal_contact: str

    @property
    def message(self) -> str:
        label = DATASETS.get(self.dataset, self.dataset)
        return (f"{label} cannot be used in new outputs: the agreement "
                f"\u201c{self.agreement}\u201d expired on {self.expired_on:%d %B %Y}. "
                f"{self.owner} can renew it (contact {self.renewal_contact}).")


def blocked_datasets(partnership: Partnership | None, datasets: Iterable[str], *,
                     today: date | None = None) -> list[BlockedDataset]:
    """The datasets among ``datasets`` covered by agreements that have all expired.

    A dataset no agreement covers is not blocked (open data such as police.uk needs none).
    """
    if partnership is None:
        return []
    today = today or date.today()
    wanted = set(datasets)
    latest: dict[str, Agreement] = {}
    for agreement in Agreement.objects.filter(partnership=partnership).select_related("owner"):
        for d in agreement.datasets:
            if d in wanted and (d not in latest
                                or agreement.expiry_date > latest[d].expiry_date):
                latest[d] = agreement
    return [BlockedDataset(dataset=d, agreement=a.title, expired_on=a.expiry_date,
                           owner=a.owner.name, renewal_contact=a.renewal_contact)
            for d, a in sorted(latest.items()) if a.is_expired(today)]
