"""Setting up a real partnership from the command line: the partnership, its first
administrator, and one-time links to set a password (``alliance partnership …``).

No password is ever typed on the command line (it would stay in the shell's history and the
process list). The first administrator gets a link to choose one, made like a password-reset
link: it works once, for ``PASSWORD_RESET_TIMEOUT`` (2 hours), and stops working as soon as
the password is set. Every step is in the audit trail.
"""

from __future__ import annotations

import getpass
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from alliance.web.accounts.models import (
    Membership,
    Organisation,
    Partnership,
    Role,
    SecondPartnershipError,
    refusal_of_second,
)
from alliance.web.audit.services import record

#: an ONS GSS code: country letter and eight digits (E23000022, a police force area)
GSS_CODE = re.compile(r"[EWSN]\d{8}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


@dataclass(frozen=True, kw_only=True)
class SignInLink:
    email: str
    link: str
    expires_at: datetime


@dataclass(frozen=True, kw_only=True)
class Founded:
    partnership: Partnership
    organisation: Organisation
    administrator: SignInLink


def _text(value: str, what: str, *, longest: int = 200) -> str:
    text = " ".join(value.split())
    if not text:
        raise ValueError(f"give the {what}")
    if len(text) > longest or _CONTROL.search(text):
        raise ValueError(f"the {what} must be at most {longest} printable characters")
    return text


def _email(value: str) -> str:
    email = value.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValueError(f"{email!r} is not an email address") from None
    return email


def check_area(code: str) -> str:
    """A well-formed GSS code, and one the loaded ONS geography knows (when it is loaded)."""
    from alliance.web.pool.geography import current_batch
    from alliance.web.pool.models import Area

    code = code.strip().upper()
    if not GSS_CODE.fullmatch(code):
        raise ValueError(f"{code!r} is not an ONS area code (a letter and eight digits, such "
                         f"as E23000022 for a police force area)")
    batch = current_batch()
    if batch is not None and not Area.objects.filter(batch=batch, code=code).exists():
        raise ValueError(f"{code} is not an area in the loaded ONS geography")
    return code


def sign_in_link(user: Any) -> SignInLink:
    """A one-time link for ``user`` to choose a password, at ``ALLIANCE_SITE_URL``."""
    path = reverse("accounts:password-reset-confirm", kwargs={
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user)})
    expires = timezone.now() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)
    return SignInLink(email=user.email, link=settings.ALLIANCE_SITE_URL + path,
                      expires_at=expires)


def _operator() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name (some containers)
        return "unknown"


def create_partnership(*, name: str, area_code: str, organisation: str,
                       organisation_kind: str, admin_email: str,
                       admin_name: str = "") -> Founded:
    """The store's partnership, the administrator's organisation, and the administrator.

    Refused, changing nothing, when the store already holds a partnership (ADR 0002), when an
    account already uses the e-mail address, or when an input is malformed.
    """
    name = _text(name, "partnership's name")
    area_code = check_area(area_code)
    organisation = _text(organisation, "administrator's organisation")
    if organisation_kind not in Organisation.Kind.values:
        raise ValueError(f"the organisation kind must be one of "
                         f"{', '.join(Organisation.Kind.values)}, not {organisation_kind!r}")
    email = _email(admin_email)
    admin_name = _text(admin_name, "administrator's name", longest=150) if admin_name else ""
    user_model = get_user_model()
    with transaction.atomic():
        existing = Partnership.objects.select_for_update().first()
        if existing is not None:
            raise SecondPartnershipError(refusal_of_second(existing))
        if user_model.objects.filter(email__iexact=email).exists():
            raise ValueError(f"an account already uses {email}")
        partnership = Partnership.objects.create(name=name, area_code=area_code)
        org = Organisation.objects.create(partnership=partnership, name=organisation,
                                          kind=organisation_kind)
        user = user_model.objects.create_user(username=email, email=email, password=None,
                                              first_name=admin_name)
        Membership.objects.create(user=user, partnership=partnership, organisation=org,
                                  role=Role.ADMINISTRATOR)
        record(None, "partnership_created", target=name, area=area_code,
               organisation=organisation, administrator=email, via="alliance partnership create",
               operator=_operator())
    return Founded(partnership=partnership, organisation=org, administrator=sign_in_link(user))


def reset_link(email: str) -> SignInLink:
    """A new one-time set-password link for an active member (the first administrator whose
    link expired, or anyone when the workspace cannot send e-mail); audited."""
    email = _email(email)
    user = (get_user_model().objects.filter(email__iexact=email, is_active=True,
                                            membership__isnull=False).first())
    if user is None:
        raise LookupError(f"no active member uses {email}")
    record(None, "password_reset", target=email, via="alliance partnership reset-link",
           operator=_operator())
    return sign_in_link(user)
