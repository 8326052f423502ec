"""Sending Alliance's e-mails, and saying honestly when they were not sent.

``settings.EMAIL_BACKEND`` is chosen from the environment (docs/settings.md): SMTP when
``ALLIANCE_EMAIL_HOST`` is set, the terminal in the demo, and otherwise
:class:`NotConfiguredBackend`, which sends nothing. Pages that send a link (invitations) show
it to the administrator as well, so a missing or failing mail server never strands anyone.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, send_mail
from django.core.mail.backends.base import BaseEmailBackend

log = logging.getLogger(__name__)

NOT_CONFIGURED = "alliance.web.accounts.mail.NotConfiguredBackend"


class NotConfiguredBackend(BaseEmailBackend):
    """No mail server is set up: nothing is sent, and the log says so (without the message,
    which may hold a sign-in link)."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        for message in email_messages:
            log.warning("e-mail not sent (ALLIANCE_EMAIL_HOST is not set): %r to %d recipient(s)",
                        message.subject, len(message.recipients()))
        return 0


def mail_configured() -> bool:
    """Whether e-mail goes anywhere (a server, the demo's terminal, a test's outbox)."""
    return str(settings.EMAIL_BACKEND) != NOT_CONFIGURED


def deliver(subject: str, body: str, to: str) -> str:
    """Send one e-mail; ``""`` when it went, else why not, in words for the page.

    A refusing or unreachable server is reported, not raised: the caller has already made its
    change (the invitation exists) and shows the link instead.
    """
    if not mail_configured():
        return "this workspace is not set up to send e-mail"
    try:
        sent = send_mail(subject, body, None, [to])
    except (smtplib.SMTPException, OSError) as exc:
        log.warning("e-mail to %s failed: %s", to, exc)
        return f"the mail server refused or could not be reached ({_reason(exc)})"
    return "" if sent else "the mail server did not accept it"


def _reason(exc: Any) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        said = exc.smtp_error
        text = said.decode(errors="replace") if isinstance(said, bytes) else str(said)
        return f"{exc.smtp_code} {text}"[:120]
    return (str(exc) or type(exc).__name__)[:120]
