"""The client's address through trusted proxies: lockout counts and audit records.

X-Forwarded-For is believed only from ALLIANCE_TRUSTED_PROXIES, and then only up to the first
address that is not a trusted proxy (the rightmost untrusted one): everything left of it is
whatever the client chose to send.
"""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory

from alliance.config import load
from alliance.web.accounts.lockout import ADDRESS
from alliance.web.accounts.network import client_address, parse_address
from alliance.web.audit.models import AuditEvent
from tests.web.workspace.conftest import DEMO_PASSWORD

PROXY = "127.0.0.1"
CLIENT = "203.0.113.9"


def _address(remote: str, forwarded: str | None = None) -> str | None:
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(RequestFactory().get("/", **meta))


@pytest.fixture
def behind_nginx(settings):
    settings.ALLIANCE_TRUSTED_PROXIES = (PROXY, "10.0.0.0/8", "fd00::/8")


def test_no_trusted_proxies_means_the_header_is_ignored(settings) -> None:
    settings.ALLIANCE_TRUSTED_PROXIES = ()
    assert _address(PROXY, CLIENT) == PROXY
    assert _address(CLIENT) == CLIENT


def test_behind_a_trusted_proxy_the_client_is_used(behind_nginx) -> None:
    assert _address(PROXY, CLIENT) == CLIENT
    assert _address(PROXY) == PROXY  # no header: the proxy itself asked


def test_spoofed_header_from_an_untrusted_peer_is_ignored(behind_nginx) -> None:
    assert _address("198.51.100.77", "127.0.0.1") == "198.51.100.77"
    assert _address("198.51.100.77", f"{CLIENT}, 10.0.0.5") == "198.51.100.77"


def test_addresses_the_client_wrote_are_not_believed(behind_nginx) -> None:
    """nginx appends the address it saw; what the client sent is to the left of it."""
    assert _address(PROXY, f"1.2.3.4, {CLIENT}") == CLIENT
    # a client pretending to be behind our own proxy still cannot choose its address
    assert _address(PROXY, f"1.2.3.4, 10.9.9.9, {CLIENT}") == CLIENT


def test_a_chain_of_trusted_proxies_is_walked(behind_nginx) -> None:
    assert _address(PROXY, f"{CLIENT}, 10.1.2.3") == CLIENT
    assert _address(PROXY, "10.0.0.7, 10.1.2.3") == "10.0.0.7"  # all ours: the furthest


def test_a_malformed_entry_stops_the_walk(behind_nginx) -> None:
    assert _address(PROXY, f"{CLIENT}, unknown") == PROXY
    assert _address(PROXY, f"unknown, {CLIENT}") == CLIENT
    assert _address(PROXY, f"{CLIENT}, 10.1.2.3, <script>") == PROXY
    assert _address(PROXY, f"{CLIENT},, 10.1.2.3") == CLIENT  # empty entries are skipped


def test_address_forms(behind_nginx) -> None:
    assert parse_address("203.0.113.9:4711") is not None
    assert str(parse_address("203.0.113.9:4711")) == CLIENT
    assert str(parse_address("[2001:db8::1]:443")) == "2001:db8::1"
    assert str(parse_address("::ffff:203.0.113.9")) == CLIENT
    assert parse_address("not-an-address") is None
    assert _address("::ffff:127.0.0.1", "2001:db8::5") == "2001:db8::5"
    assert _address("fd00::1", CLIENT) == CLIENT
    assert _address("", CLIENT) is None
    assert client_address(None) is None


def test_setting_is_read_and_checked() -> None:
    assert load({}).trusted_proxies == ()
    cfg = load({"ALLIANCE_TRUSTED_PROXIES": " 127.0.0.1, 10.0.0.0/8 ,::1,"})
    assert cfg.trusted_proxies == ("127.0.0.1/32", "10.0.0.0/8", "::1/128")
    with pytest.raises(ValueError, match="ALLIANCE_TRUSTED_PROXIES: 'nginx' is not an IP"):
        load({"ALLIANCE_TRUSTED_PROXIES": "127.0.0.1,nginx"})


def _sign_in(email: str, password: str, *, remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return Client().post("/accounts/sign-in/", {"email": email, "password": password}, **extra)


@pytest.mark.django_db
def test_lockout_counts_each_client_behind_the_proxy(demo, behind_nginx) -> None:
    for i in range(ADDRESS.limit):
        _sign_in(f"nobody{i}@example.org", "wrong", remote=PROXY, forwarded="198.51.100.1")
    # the attacker is locked out; a colleague behind the same proxy is not
    assert _sign_in(demo.emails["analyst"], DEMO_PASSWORD, remote=PROXY,
                    forwarded="198.51.100.1").status_code == 400
    assert _sign_in(demo.emails["analyst"], DEMO_PASSWORD, remote=PROXY,
                    forwarded="198.51.100.2").status_code == 302


@pytest.mark.django_db
def test_rotating_a_spoofed_header_does_not_escape_lockout(demo, behind_nginx) -> None:
    attacker = "192.0.2.7"  # not a trusted proxy
    for i in range(ADDRESS.limit):
        _sign_in(f"nobody{i}@example.org", "wrong", remote=attacker, forwarded=f"10.0.0.{i}")
    assert _sign_in(demo.emails["analyst"], DEMO_PASSWORD, remote=attacker,
                    forwarded="10.0.0.200").status_code == 400


@pytest.mark.django_db
def test_audit_records_the_client_not_the_proxy(demo, behind_nginx) -> None:
    # (a board viewer: a role that signs in with a password only; the code step is audited
    # the same way, tests/web/accounts)
    _sign_in(demo.emails["board_viewer"], DEMO_PASSWORD, remote=PROXY,
             forwarded=f"6.6.6.6, {CLIENT}")
    assert AuditEvent.objects.get(action="sign_in").ip == CLIENT
    _sign_in(demo.emails["analyst"], "wrong", remote="198.51.100.77", forwarded=CLIENT)
    assert AuditEvent.objects.get(action="sign_in_failed").ip == "198.51.100.77"
