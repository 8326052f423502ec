"""Printing values safely: Rich reads ``[...]`` as mark-up, so every value from a file, the
store or a person is escaped before it reaches the terminal (a Longitude of ``[/x]`` would
otherwise stop the command with a MarkupError, and ``[link=...]`` could plant a link)."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape


def esc(value: object) -> str:
    """``value`` as text Rich prints literally."""
    return escape(str(value))


def error(console: Console, message: object) -> None:
    """The one-line refusal every command prints on failure."""
    console.print(f"[bold red]error:[/] {esc(message)}", highlight=False, soft_wrap=True)
