"""Issue 12 item 10: invitations and resets are delivered, through a real SMTP server too, and
the invitation page always offers the link to copy.

The SMTP tests start an aiosmtpd server on localhost and send to it: once from this process
(the invitation page with Django's SMTP backend), and once from a fresh process configured only
by the documented environment variables, so the settings path (alliance.config ->
alliance.web.settings -> Django) is the one a deployment uses.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
from collections.abc import Iterator
from email import message_from_bytes
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from django.core import mail

from alliance.web.accounts.models import Invitation, Organisation
from alliance.web.audit.models import AuditEvent

NEWCOMER = "new.analyst@fire.test"
# the test server allows AUTH before TLS (loopback only); the STARTTLS test below does TLS
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")


class Inbox:
    """An aiosmtpd handler that keeps what it receives."""

    def __init__(self) -> None:
        self.received: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _authenticate(server: Any, session: Any, envelope: Any, mechanism: str,
                  data: Any) -> AuthResult:
    ok = (isinstance(data, LoginPassword) and data.login == b"alliance"
          and data.password == b"mail-secret")
    return AuthResult(success=ok, handled=False)


@pytest.fixture
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    inbox, port = Inbox(), _free_port()
    # AUTH over plain text is allowed here only because the server is this test's, on loopback
    controller = Controller(inbox, hostname="127.0.0.1", port=port, auth_require_tls=False,
                            authenticator=_authenticate, auth_required=True)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def _invite(admin: Any) -> Any:
    org = Organisation.objects.get(name="Northamptonshire Fire and Rescue Service")
    return admin.post("/accounts/invite/", {"email": NEWCOMER, "organisation": org.pk,
                                            "role": "analyst"}, follow=True)


def _link_on_page(page: Any) -> str:
    found = re.search(r'id="invitation-link"[^>]*value="([^"]+)"', page.content.decode())
    assert found is not None, page.content.decode()[:3000]
    return found.group(1)


@pytest.mark.django_db
def test_the_invitation_page_shows_the_link_that_was_emailed(client_as) -> None:
    page = _invite(client_as("administrator"))
    assert page.status_code == 200 and b"Invitation sent" in page.content
    link = _link_on_page(page)
    assert link in mail.outbox[0].body
    # shown once: reloading the page does not show it again, nor invite again
    again = client_as("administrator").get("/accounts/invitations/sent/")
    assert b"shown once" in again.content and link.encode() not in again.content
    assert Invitation.objects.count() == 1


@pytest.mark.django_db
def test_without_a_mail_server_the_page_says_so_and_gives_the_link(client_as, settings) -> None:
    settings.EMAIL_BACKEND = "alliance.web.accounts.mail.NotConfiguredBackend"
    page = _invite(client_as("administrator"))
    body = page.content.decode()
    assert "no email was sent: this workspace is not set up to send e-mail" in body
    link = _link_on_page(page)
    assert not mail.outbox
    assert AuditEvent.objects.get(action="invite").detail["emailed"] is False
    # the copied link works
    from django.test import Client

    path = link.removeprefix("http://testserver")
    r = Client().post(path, {"name": "New Analyst", "password1": "fire-data-2026-ok",
                             "password2": "fire-data-2026-ok"})
    assert r.status_code == 302


@pytest.mark.django_db
def test_an_unreachable_mail_server_is_reported_not_a_crash(client_as, settings) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", _free_port()  # nothing listens
    settings.EMAIL_TIMEOUT, settings.EMAIL_USE_TLS = 2, False
    page = _invite(client_as("administrator"))
    assert b"the mail server refused or could not be reached" in page.content
    _link_on_page(page)
    assert Invitation.objects.filter(email=NEWCOMER).exists()


@pytest.mark.django_db
def test_invitation_and_reset_go_through_a_real_smtp_server(client_as, settings,
                                                           smtp_server, demo) -> None:
    inbox, port = smtp_server
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 5
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD = "alliance", "mail-secret"
    settings.DEFAULT_FROM_EMAIL = "Alliance <alliance@partnership.test>"
    page = _invite(client_as("administrator"))
    assert b"Invitation sent" in page.content
    sender, recipients, content = inbox.received[-1]
    assert (sender, recipients) == ("alliance@partnership.test", [NEWCOMER])
    message = message_from_bytes(content)
    assert message["Subject"].startswith("You are invited to")
    assert _link_on_page(page) in message.get_payload(decode=True).decode()

    from django.test import Client

    assert Client().post("/accounts/password-reset/",
                         {"email": demo.emails["analyst"]}).status_code == 302
    _, recipients, content = inbox.received[-1]
    assert recipients == [demo.emails["analyst"]]
    assert b"/accounts/reset/" in content


def _deliver_from_a_fresh_process(home: Path, subject: str, body: str,
                                  **settings: str) -> str:
    """``deliver(...)`` in a new process configured only by ALLIANCE_* variables; what it
    returned ("" when the e-mail went, else why not)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALLIANCE_EMAIL_")}
    env.update({"ALLIANCE_HOME": str(home), "DJANGO_SETTINGS_MODULE": "alliance.web.settings",
                **settings})
    code = ("import django; django.setup()\n"
            "from alliance.web.accounts.mail import deliver\n"
            f"print(deliver({subject!r}, {body!r}, 'someone@x.test'))\n")
    r = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0, r.stderr
    return r.stdout.strip()


def test_the_documented_settings_send_through_smtp(smtp_server, tmp_path: Path) -> None:
    """A fresh process configured only by ALLIANCE_EMAIL_* sends to the server."""
    inbox, port = smtp_server
    problem = _deliver_from_a_fresh_process(
        tmp_path, "Test subject", "Hello from Alliance", ALLIANCE_EMAIL_HOST="127.0.0.1",
        ALLIANCE_EMAIL_PORT=str(port), ALLIANCE_EMAIL_SECURITY="none",
        ALLIANCE_EMAIL_USER="alliance", ALLIANCE_EMAIL_PASSWORD="mail-secret",
        ALLIANCE_EMAIL_FROM="Alliance <alliance@partnership.test>")
    assert problem == ""  # it went
    sender, recipients, content = inbox.received[-1]
    assert (sender, recipients) == ("alliance@partnership.test", ["someone@x.test"])
    assert b"Hello from Alliance" in content


def test_a_wrong_smtp_password_is_reported(smtp_server, tmp_path: Path) -> None:
    _, port = smtp_server
    problem = _deliver_from_a_fresh_process(
        tmp_path, "Test", "Body", ALLIANCE_EMAIL_HOST="127.0.0.1",
        ALLIANCE_EMAIL_PORT=str(port), ALLIANCE_EMAIL_SECURITY="none",
        ALLIANCE_EMAIL_USER="alliance", ALLIANCE_EMAIL_PASSWORD="wrong")
    assert problem.startswith("the mail server refused or could not be reached (535")


@pytest.fixture
def tls_smtp_server(tmp_path: Path) -> Iterator[tuple[Inbox, int, Path]]:
    """A server that requires STARTTLS, with a certificate for ``localhost`` made here."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make the test server's certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    inbox, port = Inbox(), _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, server_hostname="localhost",
                            tls_context=context, require_starttls=True,
                            authenticator=_authenticate, auth_required=True)
    controller.start()
    try:
        yield inbox, port, cert
    finally:
        controller.stop()


def test_the_default_starttls_checks_the_certificate(tls_smtp_server, tmp_path: Path) -> None:
    """ALLIANCE_EMAIL_SECURITY's default: STARTTLS, with the server's certificate verified
    (trusted here through SSL_CERT_FILE, as a deployment trusts its CA bundle)."""
    inbox, port, cert = tls_smtp_server
    server = {"ALLIANCE_EMAIL_HOST": "localhost", "ALLIANCE_EMAIL_PORT": str(port),
              "ALLIANCE_EMAIL_USER": "alliance", "ALLIANCE_EMAIL_PASSWORD": "mail-secret"}
    trusted = _deliver_from_a_fresh_process(tmp_path, "Over TLS", "Sent over TLS",
                                            SSL_CERT_FILE=str(cert), **server)
    assert trusted == ""
    assert b"Sent over TLS" in inbox.received[-1][2]
    # a certificate nobody vouches for is refused, and said so
    untrusted = _deliver_from_a_fresh_process(tmp_path, "Over TLS", "Not sent", **server)
    assert "CERTIFICATE_VERIFY_FAILED" in untrusted
    assert len(inbox.received) == 1


@pytest.mark.parametrize(("env", "backend"), [
    ({}, "alliance.web.accounts.mail.NotConfiguredBackend"),
    ({"ALLIANCE_EMAIL_CONSOLE": "1"}, "django.core.mail.backends.console.EmailBackend"),
    ({"ALLIANCE_EMAIL_HOST": "smtp.example.gov.uk"},
     "django.core.mail.backends.smtp.EmailBackend True False 587"),
    ({"ALLIANCE_EMAIL_HOST": "smtp.example.gov.uk", "ALLIANCE_EMAIL_SECURITY": "tls",
      "ALLIANCE_EMAIL_PORT": "465"}, "django.core.mail.backends.smtp.EmailBackend False True 465"),
])
def test_the_environment_chooses_the_backend(tmp_path: Path, env: dict[str, str],
                                             backend: str) -> None:
    """Console only when asked for (the demo asks); no mail server means nothing is sent."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("ALLIANCE_EMAIL_")}
    code = ("import alliance.web.settings as s; print(s.EMAIL_BACKEND, "
            "*([s.EMAIL_USE_TLS, s.EMAIL_USE_SSL, s.EMAIL_PORT] if 'smtp' in s.EMAIL_BACKEND "
            "else []))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       env={**clean, "ALLIANCE_HOME": str(tmp_path), **env}, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == backend
