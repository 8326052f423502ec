"""The `alliance` command: a thin layer over the shell's services.

Exit codes: 0 success; 1 a refused input or operation (one line on stderr says why);
2 a usage error (typer's own).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from alliance import config as alliance_config
from alliance.cli.echo import error, esc
from alliance.cli.geocode import geocode as geocode_command
from alliance.cli.partnership import partnership_app
from alliance.cli.retention import retention as retention_command
from alliance.cli.scheduled import scheduled as scheduled_command
from alliance.cli.sna import sna as sna_command
from alliance.cli.strategy import actions_app
from alliance.cli.strategy import monitor as monitor_command
from alliance.cli.voice import voice_app
from alliance.cli.worker import worker as worker_command

app = typer.Typer(help="Alliance: pooled data, statistics and the Strategic Needs Assessment "
                       "for a Serious Violence Duty partnership.", no_args_is_help=True,
                  pretty_exceptions_enable=False)
load_app = typer.Typer(help="Load data into the pool.", no_args_is_help=True)
definition_app = typer.Typer(help="The local definition of serious violence.",
                             no_args_is_help=True)
app.add_typer(load_app, name="load")
app.add_typer(voice_app, name="voice")
app.command("sna")(sna_command)
app.command("monitor")(monitor_command)
app.add_typer(actions_app, name="actions")
app.command("worker")(worker_command)
app.command("geocode")(geocode_command)
app.command("retention")(retention_command)
app.command("scheduled")(scheduled_command)
app.add_typer(definition_app, name="definition")
app.add_typer(partnership_app, name="partnership")

console = Console(stderr=True)
out = Console()


def fail(message: str) -> NoReturn:
    error(console, message)
    raise typer.Exit(1)


def _django() -> None:
    from alliance.web.setup import django_setup

    django_setup()


def _migrate(quiet: bool = True) -> None:
    _django()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0 if quiet else 1)


@contextmanager
def _refusals() -> Iterator[None]:
    """Turn the known refusals into one-line messages and exit code 1."""
    from alliance.sources.errors import SourceFileError

    try:
        yield
    except typer.Exit:
        raise
    except SourceFileError as exc:
        fail(str(exc))
    except (ValueError, KeyError, FileNotFoundError, LookupError) as exc:
        fail(str(exc).strip("'\""))
    except Exception as exc:  # known service refusals carry their own message
        # by name (and the names of its bases): importing the services here would start Django
        if {c.__name__ for c in type(exc).__mro__} & {
                "PoolError", "GeographyInputError", "PoliceApiError", "UnpublishedMonthError",
                "TooManyCrimesError", "PartnerFileError", "UnknownFormatError"}:
            fail(str(exc))
        raise


@contextmanager
def _progress() -> Iterator[Callable[[str, int, int], None]]:
    bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                   TimeElapsedColumn(), console=console, transient=True,
                   disable=not console.is_terminal)
    task = bar.add_task("starting", total=None)

    def update(what: str, done: int, total: int) -> None:
        bar.update(task, description=esc(what), completed=done, total=total)

    with bar:
        yield update


def _print_json(data: Any) -> None:
    out.print_json(json.dumps(data, default=str))


@app.command()
def setup() -> None:
    """Create the data folder and the database (safe to run again)."""
    cfg = alliance_config.load()
    with _refusals():
        _migrate()
        from alliance.web.pool.services import active_definition

        row, _ = active_definition(reference_dir=cfg.reference)
    where = cfg.database_url.split("@")[-1] if cfg.database_url else str(cfg.sqlite_path)
    out.print(f"Alliance store ready: {esc(where)}; definition v{row.version} in force.")


@load_app.command("geography")
def load_geography(
    from_: Annotated[Path, typer.Option("--from", help="folder laid out like the ONS files")],
) -> None:
    """Load ONS geography (boundaries, lookups, IMD, population) from a folder."""
    with _refusals():
        if not from_.is_dir():
            fail(f"{from_}: not a folder")
        _migrate()
        from alliance.web.pool.geography import load_geography as load

        batch = load(from_, progress=lambda m: console.print(f"  {esc(m)}", highlight=False))
    q = batch.quality
    levels = ", ".join(f"{n:,} {lvl}" for lvl, n in sorted(q.get("areas_by_level", {}).items()))
    out.print(f"Loaded geography as batch {batch.pk}: {esc(levels)}.")
    if q.get("input_issues"):
        out.print(f"{q['input_issues']} input rows were not used; see `alliance quality`.")


@load_app.command("police-uk")
def load_police_uk(
    from_: Annotated[list[Path] | None, typer.Option(
        "--from", help="CSV file(s), folder(s) or archive zip(s); repeat for more")] = None,
    force: Annotated[str | None, typer.Option(help="download this force from data.police.uk")]
    = None,
    months: Annotated[str | None, typer.Option(help="YYYY-MM:YYYY-MM, with --force")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="print the result as JSON")] = False,
    yes: Annotated[bool, typer.Option(
        "--yes", help="replace months even when that removes many of their rows, without "
                      "asking")] = False,
) -> None:
    """Load police.uk street crime, outcomes and stop-and-search (files or download).

    A month already in the store is replaced by a newer copy; when that would remove more than
    ALLIANCE_REPLACE_CONFIRM_SHARE of the month's rows, the command shows what would change
    and asks first (or needs --yes).
    """
    cfg = alliance_config.load()
    with _refusals():
        _migrate()
        from alliance.web.pool import services

        if force:
            if from_:
                fail("give either --from or --force, not both")
            if not months:
                fail("--force needs --months YYYY-MM:YYYY-MM")
            from alliance.web.pool.download import download_police_uk

            def load(confirmed: bool) -> services.LoadResult:
                with _progress() as progress:
                    return download_police_uk(force=force, months=months,
                                              reference_dir=cfg.reference, progress=progress,
                                              confirm_removals=confirmed)
        else:
            if not from_:
                fail("give --from PATH (file, folder or zip) or --force NAME --months A:B")
            missing = [str(p) for p in from_ if not p.exists()]
            if missing:
                fail(f"not found: {', '.join(missing)}")
            paths = from_

            def load(confirmed: bool) -> services.LoadResult:
                with _progress() as progress:
                    return services.load_police_uk(paths, reference_dir=cfg.reference,
                                                   progress=progress,
                                                   confirm_removals=confirmed)
        try:
            result = load(yes)
        except services.ReplacementNeedsConfirmation as exc:
            _ask(f"This load would remove more than {exc.share:.0%} of the rows of "
                 f"{len(exc.replacements)} month(s) already in the store:",
                 [r.describe() for r in exc.replacements], "Replace these months?")
            result = load(True)
    if json_out:
        _print_json({"batch": result.batch_id, "files_loaded": result.files_loaded,
                     "files_skipped": result.files_skipped, "rows": result.rows,
                     "rows_set_aside": result.rows_set_aside,
                     "rows_superseded": result.rows_superseded, "changes": result.changes})
        return
    for name, why in result.files_skipped:
        out.print(f"skipped {esc(name)}: {esc(why)}", highlight=False)
    if result.nothing_new:
        out.print("Nothing new to load: every file is already in the store.")
        return
    out.print(f"Loaded batch {result.batch_id}: {len(result.files_loaded)} file(s), "
              f"{result.rows:,} rows ({result.rows_set_aside:,} kept but flagged).")
    if result.rows_superseded:
        ch = ", ".join(f"{v:,} {k.replace('_', ' ')}" for k, v in sorted(result.changes.items()))
        out.print(f"Replaced {result.rows_superseded:,} rows of re-issued months ({esc(ch)}).")


@load_app.command("indicators")
def load_indicators(
    from_: Annotated[list[Path], typer.Option("--from", help="partner statistics file(s) or "
                                                             "folder(s)")],
) -> None:
    """Load published partner statistics (youth justice, schools, NEET, CSC ...)."""
    with _refusals():
        _migrate()
        from alliance.web.pool.indicators import load_indicators as load

        result = load(from_)
    if result.batch_id is None:
        out.print("Nothing new to load: every file is already in the store.")
        return
    out.print(f"Loaded batch {result.batch_id}: {result.rows:,} indicator values from "
              f"{len(result.files_loaded)} file(s); {result.problems} rows set aside "
              "(see `alliance quality`).")


@app.command()
def status(json_out: Annotated[bool, typer.Option("--json")] = False) -> None:
    """What the store holds: batches, rows, months, sources, areas."""
    with _refusals():
        _migrate()
        from alliance.web.pool.status import status as get

        data = get()
    if json_out:
        _print_json(data)
        return
    out.print(f"[bold]{data['rows']:,}[/] records in {data['month_count']} months "
              f"({data['rows_set_aside']:,} kept but flagged; "
              f"{data['rows_superseded']:,} superseded by re-issued months).")
    table = Table("source", "partition", "first", "last", "months", "rows")
    for s in data["sources"]:
        table.add_row(esc(s["source"]), esc(s["partition"]), esc(s["first_month"]),
                      esc(s["last_month"]), str(s["months"]), f"{s['rows']:,}")
    out.print(table)
    if data["serious_violence"]:
        sv = Table("counted under the local definition", "proxy?", "rows")
        for c in data["serious_violence"]:
            sv.add_row(esc(c["label"]), "proxy" if c["sv_proxy"] else "", f"{c['rows']:,}")
        out.print(sv)
    _print_flagged({name: info["rows"] for name, info in data["flagged_rows_by_reason"].items()})
    for held in data["withheld"]:
        out.print(f"Withheld from every output: {esc(held['message'])}", highlight=False,
                  soft_wrap=True)
    if data["areas"]:
        out.print("Areas: " + esc(", ".join(f"{n:,} {lvl}" for lvl, n in
                                            sorted(data["areas"].items()))))
    else:
        out.print("No geography loaded yet: `alliance load geography --from DIR`.")


@app.command()
def quality(json_out: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Quality reports of the active batches: flagged rows and why."""
    with _refusals():
        _migrate()
        from alliance.pool.quality import GLOSSARY, flagged_by_term
        from alliance.web.pool.status import quality as get

        data = get()
    if json_out:
        _print_json(data)
        return
    groups = flagged_by_term(data["flag_totals"])
    for term, lines in groups:
        table = Table("rows", "reason", "what this means", title_justify="left",
                      title=f"{term.capitalize()}: {GLOSSARY[term]}")
        for line in lines:
            table.add_row(f"{line.rows:,}", esc(line.reason.label), esc(line.reason.meaning))
        out.print(table)
    if not groups:
        out.print("No rows of the data in use carry a quality flag.")


def _print_flagged(counts: dict[str, int]) -> None:
    """Rows by quality reason in the workspace's words: kept but flagged, then used with a note."""
    from alliance.pool.quality import flagged_by_term

    for term, lines in flagged_by_term(counts):
        out.print(f"{term.capitalize()}:", highlight=False)
        for line in lines:
            out.print(f"  {line.rows:>9,}  {esc(line.reason.label)}", highlight=False)


def _ask(heading: str, lines: list[str], question: str) -> None:
    """Show what a destructive step will change, then ask; without a terminal to ask on,
    refuse and point to --yes."""
    console.print(esc(heading), highlight=False, soft_wrap=True)
    for line in lines:
        console.print(f"  {esc(line)}", highlight=False, soft_wrap=True)
    if not sys.stdin.isatty():
        fail("nothing was changed: run the command again with --yes to go ahead")
    if not typer.confirm(question, default=False, err=True):
        fail("nothing was changed")


@app.command()
def rollback(
    batch: int,
    yes: Annotated[bool, typer.Option("--yes", help="roll back without asking")] = False,
) -> None:
    """Roll back an import batch: its rows go, rows it replaced come back.

    Shows what will change (rows removed and restored in each month) and asks first, unless
    --yes is given.
    """
    with _refusals():
        _migrate()
        from alliance.web.pool.rollback import rollback as undo
        from alliance.web.pool.rollback import rollback_plan

        plan = rollback_plan(batch)
        if not yes:
            _ask(plan.describe(), [f"{m.month} {m.partition}: {m.removed:,} rows removed"
                                   + (f", {m.restored:,} earlier rows used again"
                                      if m.restored else "") for m in plan.months],
                 f"Roll back batch {batch}?")
        b = undo(batch)
    out.print(f"Batch {b.pk} rolled back: {plan.removed:,} rows removed, {plan.restored:,} "
              "earlier rows used again.")


@definition_app.command("show")
def definition_show() -> None:
    """Print the definition in force."""
    cfg = alliance_config.load()
    with _refusals():
        _migrate()
        from alliance.web.pool.services import active_definition

        row, d = active_definition(reference_dir=cfg.reference)
    out.print(f"[bold]v{row.version}[/] {esc(d.name)}")
    table = Table("matches", "value", "category", "counted", "proxy")
    for r in d.rules:
        table.add_row(esc(r.match_field), esc(r.value), esc(r.label),
                      "yes" if r.included else "", "proxy" if r.proxy else "")
    out.print(table)
    out.print(f"[italic]What gives the real measure:[/] {esc(d.real_measure_needs)}")


@definition_app.command("export")
def definition_export(file: Path) -> None:
    """Write the definition in force to FILE as JSON, for editing."""
    cfg = alliance_config.load()
    with _refusals():
        _migrate()
        from alliance.web.pool.services import active_definition

        _, d = active_definition(reference_dir=cfg.reference)
        file.write_text(d.to_json(), encoding="utf-8")
    out.print(f"Wrote {esc(file)}.")


@definition_app.command("import")
def definition_import(file: Path) -> None:
    """Install an edited definition from FILE as the next version."""
    with _refusals():
        _migrate()
        from alliance.pool.definition import Definition
        from alliance.web.pool.services import install_definition

        try:
            text = file.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            fail(f"{file}: not UTF-8 text (byte {exc.start})")
        d = Definition.from_json(text, origin=str(file))
        row = install_definition(d, created_by="cli")
    out.print(f"Definition v{row.version} is now in force. Existing rows keep the version "
              "that classified them until reloaded.")


@app.command()
def serve(port: Annotated[int, typer.Option(help="port on 127.0.0.1")] = 8000,
          host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1") -> None:
    """Serve the workspace locally. It never changes who is in the partnership: restarting
    it keeps every administrator's decision."""
    with _refusals():
        _migrate()
        from django.core.management import call_command

        from alliance.web.accounts.models import Partnership

        if not Partnership.objects.exists():
            out.print("This store holds no partnership yet, so nobody can sign in: create one "
                      "with `alliance partnership create …` (or run `alliance demo`).",
                      highlight=False, soft_wrap=True)
        call_command("collectstatic", interactive=False, verbosity=0)
        out.print(f"Alliance workspace on http://{esc(host)}:{port}/ (Ctrl-C to stop)")
        call_command("runserver", f"{host}:{port}", use_reloader=False, skip_checks=True)


@app.command()
def demo(
    serve_after: Annotated[bool, typer.Option("--serve/--no-serve")] = True,
    port: Annotated[int, typer.Option()] = 8000,
) -> None:
    """The main job on the embedded default: set up, load the real Northamptonshire data
    (geography, police.uk, partner statistics), write the 2025 SNA, show the result, then serve
    the workspace."""
    cfg = alliance_config.load()
    if not cfg.email.host:
        # the demo's e-mails (invitations, password resets) are printed here, in the terminal
        os.environ["ALLIANCE_EMAIL_CONSOLE"] = "1"
    geo_dir = cfg.shared_data / "geo"
    police_dir = cfg.shared_data / "policeuk" / "street" / "northamptonshire"
    partners_dir = cfg.shared_data / "partners"
    if not geo_dir.is_dir() or not police_dir.is_dir():
        fail(f"the public data folder is missing ({cfg.shared_data}); set ALLIANCE_SHARED_DATA")
    setup()
    with _refusals():
        from alliance.web.pool.geography import current_batch

        if current_batch() is None:
            load_geography(geo_dir)
    load_police_uk([police_dir])
    if partners_dir.is_dir():
        load_indicators([partners_dir])
    status()
    sna_dir = cfg.home / "sna" / "northamptonshire-2025"
    sna_command(area="E23000022", period="2025", out=sna_dir, docx_template=None,
                threshold=None)
    out.print(f"Open {esc(sna_dir / 'index.html')} in a browser (or sna.docx, sna.pdf).")
    _demo_partnership()
    if serve_after:
        serve(port=port)


def _demo_partnership() -> None:
    """Create the demo partnership in an empty store and print its sign-in; leave a store that
    has one as it is (the demo's own, as its administrators left it, or a real one)."""
    from alliance.web.accounts.demo import seed_demo
    from alliance.web.accounts.models import SecondPartnershipError

    try:
        demo_sign_in = seed_demo()
    except SecondPartnershipError as refusal:
        out.print(str(refusal), highlight=False, soft_wrap=True)
        return
    # soft_wrap: the terminal wraps, so the password and addresses copy whole
    out.print(esc(demo_sign_in.describe()), highlight=False, soft_wrap=True)
    if demo_sign_in.created:
        _demo_publish(demo_sign_in.emails["administrator"])


def _demo_publish(admin_email: str) -> None:
    """Publish the SNA the demo just wrote, as its administrator would from the workspace, so
    the public pages have an assessment to show (a real partnership publishes by hand)."""
    from django.contrib.auth import get_user_model

    from alliance.web.accounts.models import Partnership
    from alliance.web.reports.models import SnaBuild
    from alliance.web.reports.publishing import PublishError, publish, why_not

    partnership = Partnership.objects.get(is_demo=True)
    admin = get_user_model().objects.get(email=admin_email)
    builds = SnaBuild.objects.filter(area_code=partnership.area_code).order_by("-pk")
    build = next((b for b in builds if not why_not(b, partnership)), None)
    if build is None:
        return
    try:
        publish(build, partnership=partnership, user=admin)
    except PublishError as refusal:
        out.print(esc(str(refusal)), highlight=False, soft_wrap=True)
        return
    out.print(f"Published SNA build {build.pk} ({esc(build.period)}) on the public site, as "
              "the demo administrator: the public site shows it at /our-area/assessment/",
              highlight=False, soft_wrap=True)


def main() -> None:  # pragma: no cover - console entry point
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":  # pragma: no cover
    main()
