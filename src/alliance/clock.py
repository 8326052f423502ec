"""Today's date, for every rule that depends on it: future months, expired agreements.

One clock for the whole product, so a test can move "today" for all of them at once
(:func:`frozen`) instead of patching ``date.today`` in each module.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

_frozen: list[date] = []


def today() -> date:
    """The current date (the innermost :func:`frozen` date while one is active)."""
    return _frozen[-1] if _frozen else date.today()


def this_month() -> str:
    """The current month as YYYY-MM."""
    return today().strftime("%Y-%m")


@contextmanager
def frozen(day: date) -> Iterator[date]:
    """Within the block, :func:`today` is ``day`` (for tests)."""
    _frozen.append(day)
    try:
        yield day
    finally:
        _frozen.pop()
