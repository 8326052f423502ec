"""The demo partnership: Northamptonshire's organisations, one member per role, two agreements,
and its partnership event, strategy, actions, communications plan and directory."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from alliance.web.accounts.models import (
    Membership,
    Organisation,
    Partnership,
    Role,
    SecondPartnershipError,
)

DEMO_PARTNERSHIP = "Northamptonshire Serious Violence Alliance"
#: Northamptonshire police force area (PFA) — the partnership's area
DEMO_AREA_CODE = "E23000022"
DEMO_DOMAIN = "demo.alliance.test"

ORGANISATIONS: tuple[tuple[str, str], ...] = (
    ("Northamptonshire Police", "police"),
    ("Northamptonshire Fire and Rescue Service", "fire"),
    ("Northamptonshire Youth Justice Service", "youth_justice"),
    ("Probation Service (East Midlands)", "probation"),
    ("NHS Northamptonshire Integrated Care Board", "health"),
    ("North Northamptonshire Council", "council"),
    ("West Northamptonshire Council", "council"),
    ("Northamptonshire Community Foundation", "voluntary"),
)

#: (role, e-mail local part, organisation)
MEMBERS: tuple[tuple[str, str, str], ...] = (
    ("administrator", "admin", "Northamptonshire Police"),
    ("analyst", "analyst", "Northamptonshire Police"),
    ("partner_lead", "partner.lead", "West Northamptonshire Council"),
    ("board_viewer", "board", "NHS Northamptonshire Integrated Care Board"),
    ("moderator", "moderator", "Northamptonshire Community Foundation"),
)


@dataclass(frozen=True)
class DemoSignIn:
    partnership: str
    #: the password given to every demo member when the demo was created; None when this call
    #: found the demo already there and changed nothing (passwords are stored only hashed)
    password: str | None
    emails: dict[str, str]  # role -> e-mail
    created: bool = True
    #: the authenticator key of the demo members whose role must sign in with a code (printed
    #: once, like the password); None when the demo was already there
    code_key: str | None = None
    code_roles: tuple[str, ...] = ()

    def describe(self) -> str:
        lines = [f"Demo partnership: {self.partnership}"]
        if self.password is not None:
            lines.append(f"Sign in with any of these e-mail addresses and the password "
                         f"{self.password}")
        else:
            lines.append("Sign in with any of these e-mail addresses and the password printed "
                         "when the demo was created (or use 'Forgotten your password?': the "
                         "demo prints its e-mails here):")
        lines += [f"  {role:<14} {email}" for role, email in self.emails.items()]
        if self.code_key is not None and self.code_roles:
            lines += [f"The {', '.join(self.code_roles)} also enter a code from an authenticator "
                      f"app. Add this key to any authenticator app (one key for all of them):",
                      f"  {self.code_key}",
                      "or print the current code with: alliance partnership demo-code"]
        return "\n".join(lines)


def _emails() -> dict[str, str]:
    return {role: f"{local}@{DEMO_DOMAIN}" for role, local, _ in MEMBERS}


@transaction.atomic
def seed_demo(*, password: str | None = None, today: date | None = None) -> DemoSignIn:
    """Create the demo partnership in an empty store; every demo member gets ``password``.

    Run again, it changes nothing: a demo that is already there keeps its people as the
    administrators left them (deactivated, demoted, passwords changed). A store that holds a
    real partnership is refused (:class:`SecondPartnershipError`): the demo never touches it.
    """
    from alliance.web.audit.services import record
    from alliance.web.partnerships.models import Agreement

    existing = Partnership.objects.select_for_update().first()
    if existing is not None:
        if not existing.is_demo:
            raise SecondPartnershipError(
                f"This store holds the partnership {existing.name}, so no demo partnership "
                f"was made: the demo never touches a real partnership. Use a new ALLIANCE_HOME "
                f"for the demo.")
        return DemoSignIn(partnership=existing.name, password=None, emails=_emails(),
                          created=False)
    password = password or secrets.token_urlsafe(12)
    today = today or date.today()
    partnership = Partnership.objects.create(name=DEMO_PARTNERSHIP, area_code=DEMO_AREA_CODE,
                                             is_demo=True)
    orgs = {name: Organisation.objects.create(partnership=partnership, name=name, kind=kind)
            for name, kind in ORGANISATIONS}
    user_model = get_user_model()
    emails = _emails()
    users = {}
    for role, _, org in MEMBERS:
        email = emails[role]
        user = user_model.objects.create_user(username=email, email=email, password=password,
                                              first_name=dict(Role.choices)[role])
        Membership.objects.create(user=user, partnership=partnership, organisation=orgs[org],
                                  role=role)
        users[role] = user
    record(None, "partnership_created", target=partnership.name, area=partnership.area_code,
           demo=True, members=len(MEMBERS))
    code_key, code_roles = _demo_authenticators(user_model.objects.filter(
        membership__partnership=partnership))
    police = orgs["Northamptonshire Police"]
    current = Agreement.objects.create(
        partnership=partnership, title="Serious Violence Duty core data-sharing agreement",
        purpose="Pool partner data to prepare the Strategic Needs Assessment and monitor "
                "the Serious Violence Reduction Strategy.",
        legal_basis=Agreement.LegalBasis.PUBLIC_TASK,
        datasets=["police_uk_street", "police_local", "youth_justice", "probation"],
        start_date=today - timedelta(days=300), review_date=today + timedelta(days=65),
        expiry_date=today + timedelta(days=430), owner=police,
        renewal_contact=emails["administrator"])
    current.parties.set(orgs.values())
    icb = orgs["NHS Northamptonshire Integrated Care Board"]
    expired = Agreement.objects.create(
        partnership=partnership, title="A&E assault data (ISTV) sharing agreement",
        purpose="Share anonymised A&E assault attendances (ISB 1594) for hotspot analysis.",
        legal_basis=Agreement.LegalBasis.CRIME_DISORDER, datasets=["ae_assaults"],
        start_date=today - timedelta(days=800), review_date=today - timedelta(days=100),
        expiry_date=today - timedelta(days=30), owner=icb,
        renewal_contact=f"ig.team@{DEMO_DOMAIN}")
    expired.parties.set([icb, police])
    from alliance.web.strategy.demo import seed as seed_strategy

    # the partnership event and its three workshops, the strategy, its actions, the
    # communications plan and the partner directory
    seed_strategy(partnership, orgs, today=today, users=users)
    return DemoSignIn(partnership=partnership.name, password=password, emails=emails,
                      code_key=code_key, code_roles=code_roles)


def _demo_authenticators(users: Any) -> tuple[str | None, tuple[str, ...]]:
    """Give the demo members whose role must use a second step one shared authenticator key,
    so the demo can be tried at once; a real partnership's members set up their own."""
    from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

    from alliance.web.accounts import two_factor

    key = default_key()
    roles = []
    for user in users.select_related("membership"):
        if two_factor.required(user):
            TOTPDevice.objects.create(user=user, name=two_factor.APP_DEVICE, key=key,
                                      confirmed=True)
            roles.append(user.membership.get_role_display().lower() + "s")
    if not roles:
        return None, ()
    return two_factor.setup_key(TOTPDevice(key=key)), tuple(roles)


def demo_code() -> str:
    """The current code of the demo's shared authenticator (the demo partnership only)."""
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from alliance.web.accounts import two_factor

    partnership = Partnership.objects.first()
    if partnership is None or not partnership.is_demo:
        raise SecondPartnershipError("This store holds no demo partnership: codes come only from "
                                     "each member's own authenticator app.")
    device = TOTPDevice.objects.filter(user__membership__partnership=partnership,
                                       name=two_factor.APP_DEVICE, confirmed=True).first()
    if device is None:
        raise SecondPartnershipError("No demo member has an authenticator.")
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
