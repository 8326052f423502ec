"""What surveys borrow from elsewhere, behind one small door.

The personal-data and safeguarding screen is the core's (:mod:`alliance.voice.screening`, the
one every path that stores participant text uses); the keyed hash of a network address is the
conversations app's. Everything in the surveys app calls these two functions only.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from alliance.voice.screening import Screened
from alliance.voice.screening import screen as _screen
from alliance.web.conversations.services import address_key as _conversation_address_key


def screen(text: str) -> Screened:
    """``text`` cleaned (bidi overrides, control and zero-width characters removed: what is
    stored and shown) with the kinds of personal data and safeguarding concern found in it."""
    return _screen(text)


def address_key(survey: Any, address: str) -> str:
    """Keyed hash of a client's network address for one survey (never the address itself);
    its own domain, so it links to no conversation's keys."""
    stand_in: Any = SimpleNamespace(pk=f"survey-{survey.pk}")
    return _conversation_address_key(stand_in, address)
