"""What workspace pages say instead of plumbing.

The core names settings in its messages ("ALLIANCE_PSEUDONYM_KEY is not set"), which is right
at the command line, where the person reading is the one who sets them up. A workspace user
cannot act on a setting's name: pages say what is missing, what to do and whom to ask, and the
technical message goes to the log for the administrator. Quality flag codes become the plain
words of :mod:`alliance.pool.quality`.

Views and services call :func:`for_people` (or :func:`unexpected` for an error nobody
foresaw); the ``plain`` template filter applies it once more to every message a template shows,
so a message from a new code path cannot leak a setting's name.
"""

from __future__ import annotations

import logging
import re

from alliance.pool.quality import REASONS

log = logging.getLogger(__name__)

ASK = "Ask your administrator"
#: any setting, documented or not (a typo in the core's message is still a setting's name)
SETTING_NAME = re.compile(r"\b(?:ALLIANCE_[A-Z0-9_]+|DATABASE_URL)\b")
#: the quality flag names, longest first so that no name matches inside another
FLAG_CODE = re.compile(r"\b(" + "|".join(sorted(REASONS, key=len, reverse=True)) + r")\b")

_SET_UP = f"{ASK} to check how Alliance is set up on the server."

#: each setting of :data:`alliance.config.SETTINGS`: what a workspace user is told when a
#: message names it (what is missing, what to do, whom to ask)
SETTING_ADVICE: dict[str, str] = {
    "ALLIANCE_HOME": "Alliance cannot use its data folder on the server, so it cannot keep "
                     f"files. {ASK} to check that the folder exists and has room.",
    "DATABASE_URL": f"Alliance cannot use its database. {ASK} to check the database "
                    "connection.",
    "ALLIANCE_SHARED_DATA": "Alliance cannot find the folder of public data files (police.uk, "
                            f"ONS geography). {ASK} to check where they are installed.",
    "ALLIANCE_REFERENCE": "Alliance cannot find its reference tables (offence codes, harm "
                          "weights and the starting definition of serious violence). "
                          f"{ASK} to check where they are installed.",
    "ALLIANCE_SUPPRESSION_THRESHOLD": "The small-number suppression setting is not valid, so "
                                      f"no figures can be published safely. {ASK} to correct "
                                      "it.",
    "ALLIANCE_PSEUDONYM_KEY": "This needs the partnership's pseudonym key, which turns "
                              "people's identifiers into codes before anything is stored, and "
                              f"the key has not been set up. {ASK} to set up the pseudonym "
                              "key, then try again. Nothing was stored.",
    "ALLIANCE_REPORTING_YEAR": "The partnership's reporting year (calendar or financial) is "
                               f"not set up correctly. {ASK} to check it.",
    "ALLIANCE_SITE_URL": "Alliance does not know the web address people reach it at, so it "
                         f"cannot put a working link in an e-mail. {ASK} to set it.",
    "ALLIANCE_EMAIL_HOST": "Alliance has no mail server to send e-mail through, so nothing "
                           f"was sent. {ASK} to set one up.",
    "ALLIANCE_EMAIL_PORT": f"The mail server is not set up correctly. {ASK} to check it.",
    "ALLIANCE_EMAIL_SECURITY": f"The mail server is not set up correctly. {ASK} to check it.",
    "ALLIANCE_EMAIL_USER": f"The mail server is not set up correctly. {ASK} to check it.",
    "ALLIANCE_EMAIL_PASSWORD": f"The mail server is not set up correctly. {ASK} to check it.",
    "ALLIANCE_EMAIL_FROM": f"The mail server is not set up correctly. {ASK} to check it.",
    "ALLIANCE_EMAIL_TIMEOUT": f"The mail server is not set up correctly. {ASK} to check it.",
    "ALLIANCE_EMAIL_CONSOLE": _SET_UP,
    "ALLIANCE_RESET_EMAILS_PER_HOUR": _SET_UP,
    "ALLIANCE_RESET_REQUESTS_PER_ADDRESS": _SET_UP,
    "ALLIANCE_SECRET_KEY": _SET_UP,
    "ALLIANCE_DEBUG": _SET_UP,
    "ALLIANCE_ALLOWED_HOSTS": _SET_UP,
    "ALLIANCE_HTTPS": _SET_UP,
    "ALLIANCE_TASKS_INLINE": "No background worker is running to do this work. "
                             f"{ASK} to start one.",
    "ALLIANCE_TRUSTED_PROXIES": _SET_UP,
    "ALLIANCE_REQUIRE_2FA_ROLES": _SET_UP,
    "ALLIANCE_JOINS_PER_ADDRESS": _SET_UP,
    "ALLIANCE_REMINDER_DAYS_BEFORE": _SET_UP,
    "ALLIANCE_REMINDER_EVERY_DAYS": _SET_UP,
    "ALLIANCE_REPLACE_CONFIRM_SHARE": "The setting that decides when replacing a month needs "
                                      f"confirming is not valid. {ASK} to correct it.",
    "ALLIANCE_EMBEDDING_URL": "The language-model service Alliance is set up to use for "
                              f"finding themes could not be used. {ASK} to check it, or to "
                              "switch back to the model that comes with Alliance.",
    "ALLIANCE_EMBEDDING_MODEL": "The language model Alliance is set up to use for finding "
                                f"themes could not be used. {ASK} to check the theme-finding "
                                "settings.",
}


def names_a_setting(text: str) -> bool:
    return SETTING_NAME.search(text) is not None


def for_people(text: str, *, where: str = "") -> str:
    """``text`` as a workspace page may show it.

    A message naming a setting becomes that setting's advice (the original is logged, with
    ``where`` it came from); a quality flag code becomes its plain label.
    """
    text = str(text)
    found = SETTING_NAME.search(text)
    if found is not None:
        log.warning("a message naming a setting was shown in plain words%s: %s",
                    f" ({where})" if where else "", text)
        return SETTING_ADVICE.get(found.group(0), _SET_UP)
    return FLAG_CODE.sub(lambda m: f"“{REASONS[m.group(1)].label}”", text)


def unexpected(what: str, *, ref: str) -> str:
    """What to say when ``what`` stopped on an error nobody foresaw. Call it from an ``except``
    block: the traceback is logged under ``ref``, which the message gives the user to quote."""
    log.exception("%s stopped unexpectedly (%s)", what, ref)
    return (f"{what} stopped because of an unexpected problem. Try again; if it happens "
            f"again, {ASK.lower()} and quote “{ref}”: the details are in the server's log.")
