"""Typed settings, read from the environment in one place.

Every setting Alliance reads from the environment is declared here, with its default and what
it is for; nothing else in the code reads ``os.environ``. The Django settings module and the CLI
both build on :func:`load`.
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

_REPO_ROOT = Path(__file__).resolve().parents[2]


def _default_shared_data() -> Path:
    # The partnership's copy of the public files. In a checkout beside ``shared/`` (as in this
    # workplace) that is ../shared/data; elsewhere set ALLIANCE_SHARED_DATA.
    return (_REPO_ROOT.parent / "shared" / "data").resolve()


def _default_reference() -> Path:
    return (_REPO_ROOT.parent / "shared" / "reference").resolve()


#: the first month of each kind of reporting year
REPORTING_YEARS = {"calendar": 1, "financial": 4}


@dataclass(frozen=True, kw_only=True)
class Setting:
    """One environment setting: its name, default (as text) and a line of help."""

    name: str
    default: str | None
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting(name="ALLIANCE_HOME", default="~/.alliance",
            help="Data folder: the SQLite store, uploads, built reports. Created on first use."),
    Setting(name="DATABASE_URL", default=None,
            help="postgresql://user:pass@host:port/db to use PostgreSQL; unset means SQLite "
                 "in ALLIANCE_HOME."),
    Setting(name="ALLIANCE_SHARED_DATA", default=None,
            help="Folder of the public data files (police.uk, ONS geography, IMD, partners, "
                 "Pol.is); defaults to ../shared/data beside the checkout."),
    Setting(name="ALLIANCE_REFERENCE", default=None,
            help="Folder of the reference fact tables (offence codes, harm weights); defaults "
                 "to ../shared/reference beside the checkout."),
    Setting(name="ALLIANCE_SUPPRESSION_THRESHOLD", default="5",
            help="Counts from 1 to this value minus one are suppressed in every output."),
    Setting(name="ALLIANCE_REPORTING_YEAR", default="calendar",
            help="The partnership's reporting year: 'calendar' (January to December) or "
                 "'financial' (April to March). Neighbourhood figures are published for whole "
                 "reporting years only, and an SNA covers one, so that no two published "
                 "figures overlap in a way that reveals a small number."),
    Setting(name="ALLIANCE_PSEUDONYM_KEY", default=None,
            help="Secret key used to pseudonymise person identifiers (HMAC-SHA256). Required "
                 "before any record-level person data is loaded."),
    Setting(name="ALLIANCE_SECRET_KEY", default=None,
            help="Django secret key; a random one is created in ALLIANCE_HOME when unset."),
    Setting(name="ALLIANCE_DEBUG", default="0", help="1 to run the web shell in debug mode."),
    Setting(name="ALLIANCE_ALLOWED_HOSTS", default="localhost,127.0.0.1",
            help="Comma-separated host names the web shell answers to."),
    Setting(name="ALLIANCE_HTTPS", default="0",
            help="1 when served over HTTPS: turns on HSTS and secure cookies."),
    Setting(name="ALLIANCE_TASKS_INLINE", default="1",
            help="1 (the default, for a laptop) runs uploads in the request and SNA builds in a "
                 "background thread of the web process; 0 queues both for `alliance worker`, "
                 "which must then be running."),
    Setting(name="ALLIANCE_REQUIRE_2FA_ROLES", default="administrator,analyst",
            help="Comma-separated roles that must sign in with a second step (a code from an "
                 "authenticator app, or a recovery code): administrator, analyst, partner_lead, "
                 "board_viewer, moderator, or 'all'. Members of other roles may turn it on for "
                 "themselves. Administrators and analysts are always included: they see "
                 "record-level data."),
    Setting(name="ALLIANCE_TRUSTED_PROXIES", default="",
            help="Comma-separated addresses or CIDR ranges of the reverse proxies in front of the "
                 "web shell (e.g. 127.0.0.1 behind a local nginx). X-Forwarded-For is believed "
                 "only from these; empty trusts no proxy and uses the connection's address."),
    Setting(name="ALLIANCE_JOINS_PER_ADDRESS", default="60",
            help="New participants one network address may add to one conversation per hour "
                 "(the public have-your-say pages). A class on school Wi-Fi shares one address."),
    Setting(name="ALLIANCE_REPLACE_CONFIRM_SHARE", default="0.05",
            help="A replacement of a month that would remove more than this share of the "
                 "month's rows (0 to 1) is not made until someone confirms it, having been "
                 "told what will change."),
    Setting(name="ALLIANCE_SITE_URL", default="http://127.0.0.1:8000",
            help="The workspace's address as its members reach it (scheme, host, any port); "
                 "used in links made away from a web request, such as the first "
                 "administrator's link printed by `alliance partnership create`."),
    Setting(name="ALLIANCE_EMAIL_HOST", default="",
            help="SMTP server for invitations and password resets. Empty: no e-mail is sent "
                 "(pages show the links instead); `alliance demo` prints e-mails in the "
                 "terminal."),
    Setting(name="ALLIANCE_EMAIL_PORT", default="587", help="SMTP port."),
    Setting(name="ALLIANCE_EMAIL_SECURITY", default="starttls",
            help="starttls (port 587), tls (implicit TLS, port 465) or none (a relay on the "
                 "same host or network only)."),
    Setting(name="ALLIANCE_EMAIL_USER", default="", help="SMTP user name, if the server asks."),
    Setting(name="ALLIANCE_EMAIL_PASSWORD", default="",
            help="SMTP password, if the server asks."),
    Setting(name="ALLIANCE_EMAIL_FROM", default="alliance@localhost",
            help="The From address of Alliance's e-mails, e.g. "
                 "'Alliance <alliance@example.gov.uk>'."),
    Setting(name="ALLIANCE_EMAIL_TIMEOUT", default="10",
            help="Seconds to wait for the SMTP server before giving up on an e-mail."),
    Setting(name="ALLIANCE_EMAIL_CONSOLE", default="0",
            help="1 prints e-mails in the terminal instead of sending them. `alliance demo` sets "
                 "it; never on a shared deployment (reset links would land in its logs)."),
    Setting(name="ALLIANCE_RESET_EMAILS_PER_HOUR", default="3",
            help="Password-reset requests one e-mail address may have in an hour."),
    Setting(name="ALLIANCE_RESET_REQUESTS_PER_ADDRESS", default="20",
            help="Password-reset requests one network address may make in an hour."),
    Setting(name="ALLIANCE_REMINDER_DAYS_BEFORE", default="7",
            help="Days before an action's due date that its owner is reminded by e-mail."),
    Setting(name="ALLIANCE_REMINDER_EVERY_DAYS", default="7",
            help="Days between reminders about an action that is overdue (the first is the "
                 "day after it was due; at most four)."),
    Setting(name="ALLIANCE_EMBEDDING_URL", default="",
            help="Optional: an embeddings endpoint on the partnership's own network "
                 "(OpenAI-style POST /v1/embeddings, e.g. Ollama or text-embeddings-inference "
                 "serving all-MiniLM-L6-v2). Empty uses the model bundled with Alliance. A host "
                 "that resolves to a public address is refused."),
    Setting(name="ALLIANCE_EMBEDDING_MODEL", default="all-minilm",
            help="The model name sent to ALLIANCE_EMBEDDING_URL; it must give 384-number "
                 "sentence embeddings (all-MiniLM-L6-v2)."),
)


EMAIL_SECURITY = ("starttls", "tls", "none")


@dataclass(frozen=True, kw_only=True)
class EmailConfig:
    """How e-mail leaves Alliance: SMTP when ``host`` is set, else printed (``console``) or
    not sent."""

    host: str = ""
    port: int = 587
    security: str = "starttls"
    user: str = ""
    password: str = ""
    sender: str = "alliance@localhost"
    timeout: int = 10
    console: bool = False


@dataclass(frozen=True, kw_only=True)
class Config:
    """The settings in force, resolved from the environment."""

    home: Path
    database_url: str | None
    shared_data: Path
    reference: Path
    suppression_threshold: int
    reporting_year_start: int = 1
    pseudonym_key: str | None
    secret_key: str | None
    debug: bool
    allowed_hosts: tuple[str, ...] = field(default=("localhost", "127.0.0.1"))
    https: bool = False
    tasks_inline: bool = True
    require_2fa_roles: tuple[str, ...] = ("administrator", "analyst")
    trusted_proxies: tuple[str, ...] = ()
    joins_per_address: int = 60
    embedding_url: str | None = None
    embedding_model: str = "all-minilm"
    replace_confirm_share: float = 0.05
    site_url: str = "http://127.0.0.1:8000"
    public_contact: str = ""
    email: EmailConfig = field(default_factory=EmailConfig)
    reset_emails_per_hour: int = 3
    reset_requests_per_address: int = 20
    reminder_days_before: int = 7
    reminder_every_days: int = 7

    @property
    def sqlite_path(self) -> Path:
        return self.home / "alliance.sqlite3"


#: the roles of alliance.web.accounts.models.Role (the core does not import the web shell)
ROLES = ("administrator", "analyst", "partner_lead", "board_viewer", "moderator")
#: roles that see record-level data: a second step at sign-in is never optional for them
ALWAYS_2FA = ("administrator", "analyst")


def _require_2fa_roles(text: str) -> tuple[str, ...]:
    names = {t.strip().lower() for t in text.split(",") if t.strip()}
    if "all" in names:
        return ROLES
    unknown = sorted(names - set(ROLES))
    if unknown:
        raise ValueError(f"ALLIANCE_REQUIRE_2FA_ROLES: {', '.join(map(repr, unknown))} is not a "
                         f"role; use some of {', '.join(ROLES)}, or all")
    return tuple(r for r in ROLES if r in names or r in ALWAYS_2FA)


def _trusted_proxies(text: str) -> tuple[str, ...]:
    """Each entry checked and written in its canonical form (``10.0.0.0/8``, ``::1/128``)."""
    networks = []
    for entry in (t.strip() for t in text.split(",")):
        if not entry:
            continue
        try:
            networks.append(str(ipaddress.ip_network(entry, strict=False)))
        except ValueError as exc:
            raise ValueError(
                f"ALLIANCE_TRUSTED_PROXIES: {entry!r} is not an IP address or CIDR range"
            ) from exc
    return tuple(networks)


def _whole_number(e: dict[str, str], name: str, default: str, *, least: int = 1) -> int:
    text = e.get(name, default).strip() or default
    if not text.isdigit() or int(text) < least:
        raise ValueError(f"{name} must be a whole number of at least {least}, not {text!r}")
    return int(text)


def _site_url(text: str) -> str:
    url = text.strip().rstrip("/")
    parts = urlparse(url)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ValueError(f"ALLIANCE_SITE_URL must start with http:// or https:// and name a "
                         f"host, not {text!r}")
    return url


def _email(e: dict[str, str]) -> EmailConfig:
    security = e.get("ALLIANCE_EMAIL_SECURITY", "starttls").strip().lower() or "starttls"
    if security not in EMAIL_SECURITY:
        raise ValueError(f"ALLIANCE_EMAIL_SECURITY must be one of {', '.join(EMAIL_SECURITY)}, "
                         f"not {security!r}")
    host = e.get("ALLIANCE_EMAIL_HOST", "").strip()
    console = e.get("ALLIANCE_EMAIL_CONSOLE", "0") == "1"
    if host and console:
        raise ValueError("set ALLIANCE_EMAIL_HOST (send e-mail) or ALLIANCE_EMAIL_CONSOLE=1 "
                         "(print it), not both")
    return EmailConfig(
        host=host, port=_whole_number(e, "ALLIANCE_EMAIL_PORT", "587"), security=security,
        user=e.get("ALLIANCE_EMAIL_USER", ""), password=e.get("ALLIANCE_EMAIL_PASSWORD", ""),
        sender=e.get("ALLIANCE_EMAIL_FROM", "").strip() or "alliance@localhost",
        timeout=_whole_number(e, "ALLIANCE_EMAIL_TIMEOUT", "10"), console=console)


def load(env: dict[str, str] | None = None) -> Config:
    """Read the settings from ``env`` (default: the process environment)."""
    e = dict(os.environ if env is None else env)
    threshold_text = e.get("ALLIANCE_SUPPRESSION_THRESHOLD", "5")
    try:
        threshold = int(threshold_text)
    except ValueError as exc:
        raise ValueError(
            f"ALLIANCE_SUPPRESSION_THRESHOLD must be a whole number, not {threshold_text!r}"
        ) from exc
    if threshold < 1:
        raise ValueError("ALLIANCE_SUPPRESSION_THRESHOLD must be at least 1")
    joins_text = e.get("ALLIANCE_JOINS_PER_ADDRESS", "60").strip() or "60"
    if not joins_text.isdigit() or int(joins_text) < 1:
        raise ValueError(
            f"ALLIANCE_JOINS_PER_ADDRESS must be a whole number of at least 1, not {joins_text!r}")
    share_text = e.get("ALLIANCE_REPLACE_CONFIRM_SHARE", "0.05").strip() or "0.05"
    try:
        share = float(share_text)
    except ValueError:
        share = -1.0
    if not 0 <= share <= 1:
        raise ValueError(f"ALLIANCE_REPLACE_CONFIRM_SHARE must be a share from 0 to 1, such as "
                         f"0.05, not {share_text!r}")
    year_text = e.get("ALLIANCE_REPORTING_YEAR", "calendar").strip().lower() or "calendar"
    if year_text not in REPORTING_YEARS:
        raise ValueError("ALLIANCE_REPORTING_YEAR must be 'calendar' or 'financial', not "
                         f"{year_text!r}")
    shared = e.get("ALLIANCE_SHARED_DATA")
    reference = e.get("ALLIANCE_REFERENCE")
    return Config(
        home=Path(e.get("ALLIANCE_HOME", "~/.alliance")).expanduser(),
        database_url=e.get("DATABASE_URL") or None,
        shared_data=Path(shared).expanduser() if shared else _default_shared_data(),
        reference=Path(reference).expanduser() if reference else _default_reference(),
        suppression_threshold=threshold,
        reporting_year_start=REPORTING_YEARS[year_text],
        pseudonym_key=e.get("ALLIANCE_PSEUDONYM_KEY") or None,
        secret_key=e.get("ALLIANCE_SECRET_KEY") or None,
        debug=e.get("ALLIANCE_DEBUG", "0") == "1",
        allowed_hosts=tuple(
            h.strip() for h in e.get("ALLIANCE_ALLOWED_HOSTS", "localhost,127.0.0.1").split(",")
            if h.strip()
        ),
        https=e.get("ALLIANCE_HTTPS", "0") == "1",
        tasks_inline=e.get("ALLIANCE_TASKS_INLINE", "1") != "0",
        require_2fa_roles=_require_2fa_roles(e.get("ALLIANCE_REQUIRE_2FA_ROLES", "")),
        trusted_proxies=_trusted_proxies(e.get("ALLIANCE_TRUSTED_PROXIES", "")),
        joins_per_address=int(joins_text),
        embedding_url=e.get("ALLIANCE_EMBEDDING_URL", "").strip() or None,
        embedding_model=e.get("ALLIANCE_EMBEDDING_MODEL", "").strip() or "all-minilm",
        replace_confirm_share=share,
        site_url=_site_url(e.get("ALLIANCE_SITE_URL", "") or "http://127.0.0.1:8000"),
        public_contact=e.get("ALLIANCE_PUBLIC_CONTACT", "").strip(),
        email=_email(e),
        reset_emails_per_hour=_whole_number(e, "ALLIANCE_RESET_EMAILS_PER_HOUR", "3"),
        reset_requests_per_address=_whole_number(e, "ALLIANCE_RESET_REQUESTS_PER_ADDRESS", "20"),
        reminder_days_before=_whole_number(e, "ALLIANCE_REMINDER_DAYS_BEFORE", "7"),
        reminder_every_days=_whole_number(e, "ALLIANCE_REMINDER_EVERY_DAYS", "7"),
    )
