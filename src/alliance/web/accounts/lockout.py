"""When repeated failed sign-ins stop further attempts, and what unlocks them.

Three rules, each a count of failed attempts in a sliding window (docs/adr/0003):

1. **Account from one network address**: 5 failures for one account from one client address in
   15 minutes stop that address signing in to that account until the window has passed. Someone
   guessing from elsewhere cannot lock the real user out: their failures count against their
   own address.
2. **Account from anywhere**: 50 failures for one account in 24 hours, from any addresses, lock
   the account everywhere (the slower back-off, against guessing spread over many addresses;
   NIST SP 800-63B 5.2.2 allows at most 100 consecutive failures).
3. **Network address**: 20 failures from one client address in 15 minutes, whatever the
   accounts, stop that address (password spraying). Offices share addresses, so it is higher.

A completed password reset unlocks rules 1 and 2 for that account (only the mailbox's owner can
finish one), and so does an administrator on the members page; rule 3 passes with time. A
locked attempt is refused before the password is checked, so it neither counts nor reveals
whether the password was right. Attempts for addresses with no account count the same way, so
a lockout never tells anyone whether an account exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count
from django.utils import timezone

from alliance.web.accounts.models import SignInAttempt


@dataclass(frozen=True, kw_only=True)
class Rule:
    name: str
    limit: int
    window: timedelta
    #: whether a password reset (or an administrator) lifts it
    unlocked_by_reset: bool


ACCOUNT_FROM_ADDRESS = Rule(name="account_from_address", limit=5,
                            window=timedelta(minutes=15), unlocked_by_reset=True)
ACCOUNT = Rule(name="account", limit=50, window=timedelta(hours=24), unlocked_by_reset=True)
ADDRESS = Rule(name="address", limit=20, window=timedelta(minutes=15), unlocked_by_reset=False)
RULES = (ACCOUNT_FROM_ADDRESS, ACCOUNT, ADDRESS)
#: attempts older than this no longer count for any rule and are deleted
KEEP = max(rule.window for rule in RULES)


@dataclass(frozen=True, kw_only=True)
class Lockout:
    """A refusal: which rule, and when it lifts by itself."""

    rule: Rule
    until: datetime

    def message(self) -> str:
        """What the sign-in page says: exactly what happens and how to unlock."""
        at = timezone.localtime(self.until)
        when = f"{at:%H:%M}"
        if at.date() != timezone.localdate():
            when += f" on {at.day} {at:%B}"
        if self.rule is ACCOUNT_FROM_ADDRESS:
            return (f"There have been too many failed attempts to sign in to this account from "
                    f"your network. Try again after {when}, or reset your password to unlock "
                    f"it now.")
        if self.rule is ACCOUNT:
            return (f"This account is locked after too many failed attempts to sign in. Reset "
                    f"your password to unlock it, or ask an administrator of your partnership "
                    f"to unlock it. Otherwise it unlocks at {when}.")
        return (f"There have been too many failed attempts to sign in from your network. Try "
                f"again after {when}.")


def _until(failures: list[datetime], rule: Rule) -> datetime | None:
    """When the count in the window falls below the limit again (None: not locked)."""
    if len(failures) < rule.limit:
        return None
    newest_first = sorted(failures, reverse=True)
    return newest_first[rule.limit - 1] + rule.window


def lockout_for(email: str, ip: str | None, *, now: datetime | None = None) -> Lockout | None:
    """The rule that stops ``email`` signing in from ``ip`` now, the longest-lasting first."""
    now = now or timezone.now()
    failures = SignInAttempt.objects.filter(succeeded=False)
    found: list[Lockout] = []
    checks: list[tuple[Rule, dict[str, object]]] = [(ACCOUNT, {"email": email})]
    if ip is not None:
        checks += [(ACCOUNT_FROM_ADDRESS, {"email": email, "ip": ip}), (ADDRESS, {"ip": ip})]
    for rule, match in checks:
        times = list(failures.filter(at__gt=now - rule.window, **match)
                     .order_by("-at").values_list("at", flat=True)[:rule.limit])
        until = _until(times, rule)
        if until is not None and until > now:
            found.append(Lockout(rule=rule, until=until))
    return max(found, key=lambda lock: lock.until, default=None)


def record_attempt(email: str, ip: str | None, *, succeeded: bool) -> None:
    """Count one attempt, and forget attempts no rule looks at any more."""
    SignInAttempt.objects.create(email=email, ip=ip, succeeded=succeeded)
    SignInAttempt.objects.filter(at__lt=timezone.now() - KEEP).delete()


def clear(email: str) -> int:
    """Lift the account rules for ``email`` (after a password reset, or by an administrator);
    the number of failures forgotten. The audit trail keeps them."""
    deleted, _ = SignInAttempt.objects.filter(email__iexact=email, succeeded=False).delete()
    return deleted


def locked_accounts(emails: list[str], *, now: datetime | None = None) -> set[str]:
    """Which of ``emails`` (lower case) an account rule locks now, in two queries: for the
    members page."""
    now = now or timezone.now()
    failures = SignInAttempt.objects.filter(succeeded=False, email__in=emails)
    locked: set[str] = set()
    for rule, fields in ((ACCOUNT, ("email",)), (ACCOUNT_FROM_ADDRESS, ("email", "ip"))):
        rows = (failures.filter(at__gt=now - rule.window).values(*fields)
                .annotate(n=Count("id")).filter(n__gte=rule.limit))
        locked |= {row["email"] for row in rows}
    return locked
