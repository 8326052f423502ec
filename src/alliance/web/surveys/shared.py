"""What surveys borrow from the conversations app, behind one small door.

The personal-data screen and the keyed hash of a network address live in
:mod:`alliance.web.conversations` today; the screen is moving into the core
(``alliance.voice.screening``). Everything in the surveys app calls these two functions only,
so that move is a change of this file alone.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from alliance.web.conversations.screening import find_personal_data
from alliance.web.conversations.services import address_key as _conversation_address_key


def screen(text: str) -> list[str]:
    """Kinds of personal data found in ``text`` ('e-mail address', 'phone number', …)."""
    return find_personal_data(text)


def address_key(survey: Any, address: str) -> str:
    """Keyed hash of a client's network address for one survey (never the address itself);
    its own domain, so it links to no conversation's keys."""
    stand_in: Any = SimpleNamespace(pk=f"survey-{survey.pk}")
    return _conversation_address_key(stand_in, address)
