"""Public-site fixtures: the one partnership of the store, for the area the data covers."""

from __future__ import annotations

import pytest

from tests.web.conftest import AREA


@pytest.fixture
def partnership(db):  # type: ignore[no-untyped-def]
    from alliance.web.accounts.models import Partnership

    return Partnership.objects.create(name="Northamptonshire Serious Violence Alliance",
                                      area_code=AREA)
