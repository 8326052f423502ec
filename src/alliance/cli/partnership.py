"""`alliance partnership …`: set up the store's partnership and its first administrator.

A store holds one partnership (docs/adr/0002-one-partnership-per-store.md); a real one is made
here, never by the demo. No password is typed: the administrator gets a one-time link.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.markup import escape

partnership_app = typer.Typer(help="The partnership in this store and its administrators.",
                              no_args_is_help=True)
out = Console(highlight=False, soft_wrap=True)

KINDS = ("police", "fire", "youth_justice", "probation", "health", "council", "voluntary",
         "other")


def _migrate() -> None:
    from alliance.cli.main import _migrate as migrate  # here: main imports this module

    migrate()


def _fail(message: str) -> NoReturn:
    from alliance.cli.main import fail

    fail(escape(message))


def _when(moment: datetime) -> str:
    from django.utils import timezone

    at = timezone.localtime(moment)
    return f"{at:%H:%M} on {at.day} {at:%B %Y}"


def _print_link(email: str, link: str, expires: datetime) -> None:
    from django.conf import settings

    out.print(f"Send {escape(email)} this link to choose a password and sign in. It works "
              f"once, until {_when(expires)}:")
    out.print(f"  {escape(link)}")
    out.print(f"A new link if it expires: alliance partnership reset-link {escape(email)}")
    if settings.ALLIANCE_SITE_URL == "http://127.0.0.1:8000":
        out.print("(The link uses this computer's own address: set ALLIANCE_SITE_URL to the "
                  "workspace's address for a link others can open.)")


@partnership_app.command("create")
def create(
    name: Annotated[str, typer.Option(help="the partnership's name")],
    area: Annotated[str, typer.Option(help="GSS code of its area, e.g. E23000022")],
    organisation: Annotated[str, typer.Option(
        help="the first administrator's organisation, e.g. 'Northamptonshire Police'")],
    admin_email: Annotated[str, typer.Option(help="the first administrator's email address")],
    admin_name: Annotated[str, typer.Option(help="the first administrator's name")] = "",
    organisation_kind: Annotated[str, typer.Option(
        help=f"one of {', '.join(KINDS)}")] = "other",
) -> None:
    """Create the partnership and its first administrator (refused if the store has one)."""
    _migrate()
    from alliance.web.accounts.founding import create_partnership

    try:
        founded = create_partnership(name=name, area_code=area, organisation=organisation,
                                     organisation_kind=organisation_kind,
                                     admin_email=admin_email, admin_name=admin_name)
    except (ValueError, LookupError) as exc:
        _fail(str(exc))
    p, admin = founded.partnership, founded.administrator
    out.print(f"Created the partnership {escape(p.name)} ({p.area_code}), with "
              f"{escape(admin.email)} of {escape(founded.organisation.name)} as its first "
              f"administrator.")
    _print_link(admin.email, admin.link, admin.expires_at)


@partnership_app.command("reset-link")
def reset_link(email: Annotated[str, typer.Argument(help="the member's email address")]) -> None:
    """Print a one-time link for a member to choose a new password (for a first administrator
    whose link expired, or when the workspace cannot send email)."""
    _migrate()
    from alliance.web.accounts.founding import reset_link as make

    try:
        link = make(email)
    except (ValueError, LookupError) as exc:
        _fail(str(exc))
    _print_link(link.email, link.link, link.expires_at)


@partnership_app.command("show")
def show() -> None:
    """The partnership in this store, and its administrators."""
    _migrate()
    from alliance.web.accounts.models import Membership, Partnership, Role

    p = Partnership.objects.first()
    if p is None:
        out.print("This store holds no partnership yet: `alliance partnership create …` makes "
                  "one (`alliance demo` makes the demo).")
        return
    kind = " (the demo)" if p.is_demo else ""
    out.print(f"{escape(p.name)}{kind}, area {p.area_code}")
    admins = (Membership.objects.filter(partnership=p, role=Role.ADMINISTRATOR)
              .select_related("user", "organisation").order_by("user__email"))
    for m in admins:
        state = "" if m.user.is_active else " (deactivated)"
        if m.user.is_active and not m.user.has_usable_password():
            state = " (has not chosen a password yet)"
        out.print(f"  administrator {escape(m.user.email)}, "
                  f"{escape(m.organisation.name)}{state}")


@partnership_app.command("demo-code")
def demo_code() -> None:
    """Print the current sign-in code of the demo partnership's authenticator (demo only)."""
    _migrate()
    from alliance.web.accounts.demo import demo_code as current
    from alliance.web.accounts.models import SecondPartnershipError

    try:
        out.print(current())
    except SecondPartnershipError as refusal:
        _fail(str(refusal))
