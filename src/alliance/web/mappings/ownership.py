"""Whose data an upload is: the organisation that owns the data-sharing agreement covering it.

A batch belongs to the data's owner, not to whoever uploaded it: an A&E return loaded by the
partnership's analyst is still the hospital trust's. This is the one place the mapping step
asks; it reads the agreements register (the agreement covering the dataset whose expiry is
latest decides). The governance work (``alliance.web.pool.ownership.owner_of``) answers the
same question for every pooled source; when it is merged this function should call it.
"""

from __future__ import annotations

from alliance.web.accounts.models import Organisation

#: the agreements register's dataset for each pooled source of partner data
SOURCE_DATASETS = {"police_extract": "police_local", "istv_ae": "ae_assaults",
                   "ambulance": "ambulance", "yjs": "youth_justice", "probation": "probation",
                   "education": "education", "fire": "fire"}


def data_owner(source: str, *, uploader: Organisation) -> Organisation:
    """The owner of ``source``'s data (the uploader's organisation when no agreement covers
    it: data nobody has agreed to share is the sender's own)."""
    from alliance.web.partnerships.models import Agreement

    dataset = SOURCE_DATASETS.get(source)
    if dataset is None:
        return uploader
    covering = [a for a in Agreement.objects.filter(partnership=uploader.partnership)
                .select_related("owner") if dataset in (a.datasets or [])]
    if not covering:
        return uploader
    return max(covering, key=lambda a: (a.expiry_date, a.pk)).owner
