"""The demo partnership: Northamptonshire's organisations, one member per role, two agreements."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction

from alliance.web.accounts.models import Membership, Organisation, Partnership, Role

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
    password: str
    emails: dict[str, str]  # role -> e-mail

    def describe(self) -> str:
        lines = [f"Demo partnership: {self.partnership}",
                 f"Sign in with any of these e-mail addresses and the password {self.password}"]
        lines += [f"  {role:<14} {email}" for role, email in self.emails.items()]
        return "\n".join(lines)


@transaction.atomic
def seed_demo(*, password: str | None = None, today: date | None = None) -> DemoSignIn:
    """Create (or refresh) the demo partnership; every demo member gets ``password``.

    Safe to run again: organisations and members are reused and the password is reset, so the
    printed sign-in always works.
    """
    from alliance.web.partnerships.models import Agreement

    password = password or secrets.token_urlsafe(12)
    today = today or date.today()
    partnership, _ = Partnership.objects.get_or_create(
        name=DEMO_PARTNERSHIP, defaults={"area_code": DEMO_AREA_CODE})
    orgs = {}
    for name, kind in ORGANISATIONS:
        orgs[name], _ = Organisation.objects.get_or_create(
            partnership=partnership, name=name, defaults={"kind": kind})
    user_model = get_user_model()
    emails: dict[str, str] = {}
    for role, local, org in MEMBERS:
        email = f"{local}@{DEMO_DOMAIN}"
        user, _ = user_model.objects.get_or_create(username=email, defaults={"email": email})
        user.email = email
        user.first_name = dict(Role.choices)[role]
        user.set_password(password)
        user.is_active = True
        user.save()
        Membership.objects.update_or_create(
            user=user, defaults={"partnership": partnership, "organisation": orgs[org],
                                 "role": role})
        emails[str(role)] = email
    police = orgs["Northamptonshire Police"]
    if not Agreement.objects.filter(partnership=partnership).exists():
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
    return DemoSignIn(partnership=partnership.name, password=password, emails=emails)
