"""`alliance retention`: delete pooled rows past their data-sharing agreement's retention date
(`alliance scheduled` runs it daily as the job retention_deletions; this runs it now)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from alliance.cli.echo import esc


def retention(
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="Say what would be deleted, delete nothing.")] = False,
) -> None:
    """Delete record-level rows past their agreement's retention date; each deletion is
    audited. Agreements with no retention period keep their rows while in force."""
    from alliance.web.setup import django_setup

    django_setup()
    from alliance.web.pool.retention import apply_retention

    console = Console()
    done = apply_retention(dry_run=dry_run)
    for d in done:
        console.print(("would delete: " if dry_run else "") + esc(d.message), highlight=False,
                      soft_wrap=True)
    if not done:
        console.print("retention: no rows are past their retention date", highlight=False)
