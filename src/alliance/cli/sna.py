"""`alliance sna`: write the Strategic Needs Assessment of an area from the pooled data.

The lead registers it in ``alliance.cli.main`` (``app.command("sna")(sna)``); it follows the
pattern of the commands there: migrate the store, call one service, print one line per output,
exit 1 with one line on stderr for a refused input.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console

from alliance.cli.echo import error, esc
from alliance.figures.hotspots import DEFAULT_SEED

console = Console(stderr=True)
stdout = Console()


def _fail(message: str) -> NoReturn:
    error(console, message)
    raise typer.Exit(1)


def _migrate() -> None:
    from alliance.web.setup import django_setup

    django_setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def sna(
    area: Annotated[str, typer.Option(help="GSS code or name of the area, e.g. E23000022 or "
                                           "'Northamptonshire'")],
    period: Annotated[str, typer.Option(help="months 2025-01:2025-12, financial year 2025/26 "
                                             "or calendar year 2025")],
    out: Annotated[Path, typer.Option("--out", help="folder to write the SNA into")],
    docx_template: Annotated[Path | None, typer.Option(
        "--docx-template", help="a .docx whose styles the Word version uses")] = None,
    threshold: Annotated[int | None, typer.Option(
        help="suppress counts below this (default: ALLIANCE_SUPPRESSION_THRESHOLD, 5)")] = None,
    seed: Annotated[int, typer.Option(
        help="seed of the hot spot permutations; rebuild with another to check that the "
             "published labels do not move")] = DEFAULT_SEED,
    draft: Annotated[bool, typer.Option(
        "--draft", help="allow a period that is not a whole reporting year; the report is "
                        "marked 'draft, not for publication'")] = False,
) -> None:
    """Write the Strategic Needs Assessment: index.html, sna.docx, sna.pdf and data/."""
    if docx_template is not None and not docx_template.is_file():
        _fail(f"{docx_template}: Word template not found")
    if threshold is not None and threshold < 1:
        _fail("--threshold must be at least 1")
    try:
        _migrate()
        from alliance.report.sna import parse_period

        parse_period(period)  # refuse a bad period before reading the pool
        from alliance.web.reports.services import SnaError, build_sna

        try:
            result = build_sna(area, out, period=period, threshold=threshold,
                               docx_template=docx_template, seed=seed, draft=draft)
        except SnaError as exc:
            _fail(str(exc))
    except typer.Exit:
        raise
    except (ValueError, LookupError, FileNotFoundError) as exc:
        _fail(str(exc).strip("'\""))
    report = result.report
    stdout.print(f"Wrote the SNA for {esc(report.area)} ({esc(report.period)}) to {esc(out)}:",
                 highlight=False)
    for name in ("index.html", "sna.docx", "sna.pdf", "data/figures.json"):
        if name in result.files:
            stdout.print(f"  {name}", highlight=False)
    tables = sum(1 for k in result.files if k.endswith(".csv"))
    stdout.print(f"  data/: {tables} tables as CSV", highlight=False)
    stdout.print("The build is recorded: the workspace's SNA page lists it.", highlight=False)
    if result.narratives.stale:
        stale = esc(", ".join(result.narratives.stale))
        stdout.print(f"[bold]Check:[/] the numbers under narrative(s) {stale} "
                  "have changed since they were written (flagged in the report).")
    if result.narratives.orphans:
        stdout.print(f"Narrative file(s) for unknown sections ignored: "
                  f"{esc(', '.join(result.narratives.orphans))}")


def main() -> None:  # pragma: no cover - for running this command alone
    typer.run(sna)
