"""Whose data an upload is: the organisation that owns the data-sharing agreement covering it.

A batch belongs to the data's owner, not to whoever uploaded it: an A&E return loaded by the
partnership's analyst is still the hospital trust's. The governance rules
(:func:`alliance.web.pool.ownership.owner_of`) decide the owner; this names it for the rows'
partition and the batch's description.
"""

from __future__ import annotations

from alliance.web.accounts.models import Organisation
from alliance.web.pool.ownership import owner_of


def data_owner_name(source: str, *, uploader: Organisation) -> str:
    """The name of the organisation owning ``source``'s data; the uploader's organisation when
    no agreement covers it (the rows are then filed under the sender, as before agreements)."""
    owner = owner_of(source, partnership=uploader.partnership)
    return owner.organisation if owner.organisation_id is not None else uploader.name
