"""Django settings for the Alliance web shell, built from :mod:`alliance.config`.

SQLite in ``ALLIANCE_HOME`` by default; PostgreSQL when ``DATABASE_URL`` says so.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from urllib.parse import unquote, urlparse

import django

from alliance import config as alliance_config

CONFIG = alliance_config.load()
BASE_DIR = Path(__file__).resolve().parent
CONFIG.home.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    if CONFIG.secret_key:
        return CONFIG.secret_key
    key_file = CONFIG.home / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def database_from_url(url: str | None, sqlite_path: Path) -> dict[str, object]:
    """Django DATABASES['default'] for ``url`` (None = SQLite at ``sqlite_path``)."""
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(sqlite_path),
            "OPTIONS": {
                # WAL lets the web shell read while an import writes; IMMEDIATE avoids
                # "database is locked" upgrades in the middle of a load.
                "init_command": ("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                                 "PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;"),
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
            },
        }
    parts = urlparse(url)
    if parts.scheme not in {"postgres", "postgresql"}:
        raise ValueError(f"DATABASE_URL: only postgresql:// URLs are supported, not {url!r}")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")),
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        "CONN_MAX_AGE": 60,
    }


SECRET_KEY = _secret_key()
DEBUG = CONFIG.debug
ALLOWED_HOSTS = list(CONFIG.allowed_hosts)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "alliance.web.pool",
    "alliance.web.accounts",
    "alliance.web.audit",
    "alliance.web.partnerships",
    "alliance.web.dashboards",
    "alliance.web.reports",
    "alliance.web.workspace",
    "alliance.web.tasks",
    "alliance.web.mappings",
    "alliance.web.conversations",
    "alliance.web.themes",
    "alliance.web.directory",
    "alliance.web.strategy",
    "alliance.web.events",
    "alliance.web.actions",
    "alliance.web.comms",
    "alliance.web.monitoring",
    "alliance.web.places",
    # two-step sign-in: TOTP authenticators and recovery codes (alliance.web.accounts.two_factor)
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # background tasks: Django's task framework (built in from Django 6) and its database backend
    *([] if django.VERSION >= (6, 0) else ["django_tasks"]),
    "django_tasks_db",
    "alliance.web.consultations",
    "alliance.web.surveys",
    "alliance.web.public",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # the public pages are in English and, under /cy/, Welsh; every other page is English
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "alliance.web.accounts.two_factor.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "alliance.web.workspace.security.ContentSecurityPolicyMiddleware",
    "alliance.web.accounts.middleware.IdleTimeoutMiddleware",
]

ROOT_URLCONF = "alliance.web.urls"
WSGI_APPLICATION = "alliance.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {"default": database_from_url(CONFIG.database_url, CONFIG.sqlite_path)}

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # the suppressed figures computed from the pool, shared by every web and task process of
    # one deployment (keyed by the pool's version): one process computes them, the others read
    # them (alliance.web.pool.publication; a load warms them in the task worker)
    "figures": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                "LOCATION": str(CONFIG.home / "cache" / "figures"), "TIMEOUT": 24 * 3600,
                "OPTIONS": {"MAX_ENTRIES": 200}},
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
#: the public pages' languages (alliance.web.public); other pages are English only
LANGUAGES = [("en-gb", "English"), ("cy", "Cymraeg")]
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = CONFIG.home / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# GOV.UK Frontend from npm (scripts/frontend); served by whitenoise straight from the finders so
# `alliance serve` works without collectstatic.
_GOVUK_FRONTEND = BASE_DIR.parents[2] / "node_modules" / "govuk-frontend" / "dist" / "govuk"
STATICFILES_DIRS = [("govuk", _GOVUK_FRONTEND)] if _GOVUK_FRONTEND.is_dir() else []
WHITENOISE_USE_FINDERS = True

# Sign-in: e-mail + password, lockout after repeated failures (alliance.web.accounts.backends).
AUTHENTICATION_BACKENDS = ["alliance.web.accounts.backends.EmailLockoutBackend"]
# Argon2id at OWASP's first setting (46 MiB, 1 pass, 1 lane): alliance.web.accounts.hashers.
# The others only check passwords stored before, which are re-hashed at the next sign-in.
# Cost measured in benchmarks/bench_sign_in.py (docs/deployment.md#sign-in-cost).
PASSWORD_HASHERS = [
    "alliance.web.accounts.hashers.Argon2idHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
#: roles that must sign in with a second step (administrators and analysts always; docs/settings.md)
ALLIANCE_REQUIRE_2FA_ROLES = frozenset(CONFIG.require_2fa_roles)
#: the name authenticator apps show beside the member's e-mail address
OTP_TOTP_ISSUER = "Alliance"
# django-otp's own throttle slows every check of a device after a wrong code, from anywhere:
# an attacker with the password could keep the real member out. Wrong codes count in the
# sign-in lockout instead (per account and address, ADR 0003), so the throttle is off.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "dashboards:dashboard"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 2
#: signed-in sessions end after this many idle seconds (alliance.web.accounts.middleware)
SESSION_IDLE_TIMEOUT = 30 * 60
#: new participants one network address may add to one conversation per hour (the public
#: consent page; alliance.web.conversations.services.join). A class on school Wi-Fi shares one
#: address, so it is generous; it stops a script minting participants without end. The same
#: limit applies to survey responses sent from one address (alliance.web.surveys.services).
HAVE_YOUR_SAY_PARTICIPANTS_PER_ADDRESS = CONFIG.joins_per_address  # ALLIANCE_JOINS_PER_ADDRESS
# Invitation and password-reset e-mails (docs/settings.md): SMTP when ALLIANCE_EMAIL_HOST is
# set; printed in the terminal in the demo; otherwise not sent, and the pages say so and show
# the links (alliance.web.accounts.mail).
_MAIL = CONFIG.email
if _MAIL.host:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST, EMAIL_PORT, EMAIL_TIMEOUT = _MAIL.host, _MAIL.port, _MAIL.timeout
    EMAIL_HOST_USER, EMAIL_HOST_PASSWORD = _MAIL.user, _MAIL.password
    EMAIL_USE_TLS, EMAIL_USE_SSL = _MAIL.security == "starttls", _MAIL.security == "tls"
elif _MAIL.console:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
else:
    EMAIL_BACKEND = "alliance.web.accounts.mail.NotConfiguredBackend"
DEFAULT_FROM_EMAIL = SERVER_EMAIL = _MAIL.sender
#: the workspace's own address, for links made away from a request (alliance partnership create)
ALLIANCE_SITE_URL = CONFIG.site_url
#: where residents write about the public pages (the accessibility statement names it)
ALLIANCE_PUBLIC_CONTACT = CONFIG.public_contact
#: password-reset requests per e-mail address and per network address, each per hour
#: (alliance.web.accounts.reset)
ALLIANCE_RESET_EMAILS_PER_HOUR = CONFIG.reset_emails_per_hour
ALLIANCE_RESET_REQUESTS_PER_ADDRESS = CONFIG.reset_requests_per_address

# Security headers: frame and referrer policies always; HSTS and secure cookies on HTTPS.
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 8
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True
if CONFIG.https:
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^healthz/ready$"]  # plain-HTTP health probes
    # HSTS preloading is a commitment for the organisation's whole domain, not the app's to
    # make: left off deliberately, so the check that asks for it is silenced.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]

#: run background tasks in the request (no worker needed); see alliance.web.tasks
ALLIANCE_TASKS_INLINE = CONFIG.tasks_inline
#: the queue is a table in the store's own database; `alliance worker` runs it (db_worker)
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
#: reverse proxies whose X-Forwarded-For is believed (alliance.web.accounts.network)
ALLIANCE_TRUSTED_PROXIES = CONFIG.trusted_proxies

DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
