"""`alliance voice analyse`: the Pol.is analysis of a conversation export, from the command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.table import Table

from alliance import config as alliance_config
from alliance.cli.echo import error, esc
from alliance.privacy.csv_output import write_frame

voice_app = typer.Typer(help="Community voice: statement conversations (Pol.is method).",
                        no_args_is_help=True)
out = Console()


def _size(n: int, threshold: int) -> str:
    return f"fewer than {threshold}" if 0 < n < threshold else str(n)


@voice_app.command("analyse")
def analyse_command(
    folder: Annotated[Path, typer.Argument(help="a Polis export folder (comments.csv, "
                                                "votes.csv, participants-votes.csv ...)")],
    json_out: Annotated[bool, typer.Option("--json")] = False,
    out_dir: Annotated[Path | None, typer.Option("--out", help="write the tables as CSV")]
    = None,
    seed: Annotated[int, typer.Option()] = 0,
) -> None:
    """Opinion groups, what each group thinks, and what unites them."""
    from alliance.voice.opinion import PolisExportError, analyse, read_polis_export

    threshold = alliance_config.load().suppression_threshold
    try:
        conv = read_polis_export(folder)
    except (PolisExportError, FileNotFoundError) as exc:
        error(out, exc)
        raise typer.Exit(1) from None
    result = analyse(conv.votes, moderated_out=conv.moderated_out, seed=seed)
    text = dict(zip(conv.comments["statement_id"], conv.comments["body"], strict=False))
    sizes = result.groups.value_counts().sort_index()
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
        write_frame(result.repness, out_dir / "repness.csv", index=False)
        write_frame(result.consensus, out_dir / "consensus.csv", index=False)
        write_frame(result.group_informed_consensus.rename("group_informed_consensus"),
                    out_dir / "group_informed_consensus.csv")
        # group sizes published with small-number suppression
        published = sizes.rename("participants").map(lambda n: _size(int(n), threshold))
        write_frame(published, out_dir / "groups.csv")
    if json_out:
        out.print_json(json.dumps({
            "k": result.k,
            "groups": {str(g): _size(int(n), threshold) for g, n in sizes.items()},
            "repness": result.repness.astype(str).to_dict("records"),
            "consensus": result.consensus.astype(str).to_dict("records"),
        }))
        return
    out.print(f"[bold]{len(result.groups):,}[/] participants voted; "
              f"{int(result.groups.notna().sum()):,} clustered into {result.k} opinion groups.")
    for g, n in sizes.items():
        table = Table("statement", "group thinks", title=f"Group {g} "
                      f"({_size(int(n), threshold)} participants)", title_justify="left")
        for r in result.repness[result.repness["group"] == g].itertuples():
            table.add_row(esc(text.get(r.statement_id, r.statement_id)),
                          f"{r.repful_for} ({r.p_success:.0%})")
        out.print(table)
    cons = Table("statement", "together", title="What unites them", title_justify="left")
    for r in result.consensus.itertuples():
        cons.add_row(esc(text.get(r.statement_id, r.statement_id)),
                     f"{r.direction} ({r.p_success:.0%})")
    out.print(cons)


@voice_app.command("themes")
def themes_command(
    file: Annotated[Path, typer.Argument(help="a CSV file (choose the text column with "
                                              "--column) or a .txt file, one text per line")],
    column: Annotated[str | None, typer.Option("--column", help="the CSV column holding the "
                                                                "free text")] = None,
    n_themes: Annotated[int | None, typer.Option("--themes", min=2, help="how many themes "
                                                 "(default: chosen automatically)")] = None,
    out_dir: Annotated[Path | None, typer.Option("--out", help="write themes.csv and "
                                                               "assignments.csv here")] = None,
    seed: Annotated[int, typer.Option()] = 0,
) -> None:
    """Themes in free text (survey answers, workshop notes, statements), with quotes."""
    from alliance.voice.themes import EmbeddingEndpointError, EmbeddingModelError, find_themes
    from alliance.voice.themes.reading import FreeTextError, read_free_text

    threshold = alliance_config.load().suppression_threshold
    try:
        data = file.read_bytes()
    except OSError as exc:
        _fail(f"{file}: {exc.strerror or exc}")
    try:
        free = read_free_text(data, name=str(file), column=column,
                              format="csv" if file.suffix.lower() == ".csv" else "text")
        result = find_themes(list(free.texts), ids=list(free.ids), seed=seed,
                             n_themes=None if n_themes is None
                             else min(n_themes, len(free.texts)))
    except (FreeTextError, ValueError, EmbeddingModelError, EmbeddingEndpointError) as exc:
        _fail(str(exc))
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
        frame = result.to_frame().drop(columns=["quote_ids"])
        frame["quotes"] = frame["quotes"].map(" | ".join)
        # counts of 1 to threshold-1 published as "fewer than <threshold>", as in the summary
        frame["n_texts"] = frame["n_texts"].map(lambda n: _size(int(n), threshold))
        write_frame(frame.drop(columns=["n_primary", "share", "suppressed"]),
                    out_dir / "themes.csv")
        assignments = result.assignments()
        assignments.insert(1, "text", assignments["text_id"].map(
            dict(zip(result.ids, result.texts, strict=True))))
        write_frame(assignments, out_dir / "assignments.csv", index=False)
    skipped = f" ({free.skipped_blank} blank skipped)" if free.skipped_blank else ""
    out.print(f"[bold]{len(free.texts):,}[/] texts from {esc(file.name)}{skipped}: "
              f"{len(result.themes)} themes.", highlight=False)
    for theme in result.themes:
        out.print(f"\n[bold]Theme {theme.theme}: {esc(theme.label)}[/] "
                  f"({_size(theme.n_texts, threshold)} texts)", highlight=False, soft_wrap=True)
        out.print(f"  keywords: {esc(', '.join(theme.keywords))}", highlight=False,
                  soft_wrap=True)
        if theme.suppressed:  # a quote from a theme of two texts says much about two people
            out.print("  quotes left out: too few texts", highlight=False)
        for quote in () if theme.suppressed else theme.quotes:
            out.print(f"  “{esc(quote)}”", highlight=False, soft_wrap=True)


def _fail(message: str) -> NoReturn:
    error(Console(stderr=True), message)
    raise typer.Exit(1)
