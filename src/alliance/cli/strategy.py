"""`alliance monitor` (the quarterly monitoring report) and `alliance actions remind` (the
day's action reminders, for cron when no worker runs)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.markup import escape

console = Console(stderr=True)
stdout = Console()
actions_app = typer.Typer(help="The strategy's actions.", no_args_is_help=True)


def _fail(message: str) -> NoReturn:
    console.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(1)


def _migrate() -> None:
    from alliance.web.setup import django_setup

    django_setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def monitor(
    period: Annotated[str, typer.Option(help="a quarter (2025-Q3), a reporting year (2025, "
                                             "2025/26) or a month (2025-07)")],
    out: Annotated[Path, typer.Option("--out", help="folder to write the report into")],
    pdf: Annotated[bool, typer.Option("--pdf/--no-pdf", help="also write a PDF")] = True,
) -> None:
    """Write the monitoring report of the strategy in force: index.html, monitoring.docx,
    monitoring.pdf and data/ (narratives in DIR/narrative survive the next build)."""
    try:
        _migrate()
        from alliance.web.monitoring.builds import MonitoringError, build_now
        from alliance.web.pool.publication import NoFigures

        try:
            result = build_now(period, out, pdf=pdf)
        except (MonitoringError, NoFigures) as exc:
            _fail(str(exc))
    except typer.Exit:
        raise
    except (ValueError, LookupError, FileNotFoundError) as exc:
        _fail(str(exc).strip("'\""))
    stdout.print(f"Wrote the monitoring report for {escape(result.report.period)} to "
                 f"{escape(str(out))}:", highlight=False)
    for name in ("index.html", "monitoring.docx", "monitoring.pdf", "data/figures.json"):
        if name in result.files:
            stdout.print(f"  {name}", highlight=False)
    rag = [s.rag for s in result.scores]
    stdout.print(f"  {len(rag)} measure(s): {rag.count('green')} better than target, "
                 f"{rag.count('amber')} too close to call, {rag.count('red')} worse, "
                 f"{rag.count('not rated')} not rated", highlight=False)
    if result.narratives.stale:
        stdout.print("Check: the numbers under narrative(s) "
                     f"{escape(', '.join(result.narratives.stale))} have changed since they "
                     "were written (flagged in the report).", highlight=False)


@actions_app.command("remind")
def remind(
    today: Annotated[str | None, typer.Option(
        help="the day to remind for (YYYY-MM-DD; default today)")] = None,
) -> None:
    """Send the action reminders due today by e-mail (before and after due dates); run it
    daily from cron when no `alliance worker` runs. Sending twice sends nothing twice."""
    try:
        day = date.fromisoformat(today) if today else None
    except ValueError:
        _fail(f"--today must be a date such as 2025-10-01, not {today!r}")
    _migrate()
    from django.utils import timezone

    from alliance.web.actions.reminders import send_reminders
    from alliance.web.audit.services import record

    out = send_reminders(day or timezone.localdate())
    record(None, "reminders_sent", target="action reminders (command line)",
           sent=len(out.sent), failed=len(out.failed))
    stdout.print(out.summary, highlight=False)
    for r in out.failed:
        stdout.print(f"  not sent: {escape(r.action.title)}: {escape(r.problem)}",
                     highlight=False)
