"""The language switch: the same page, with its choices, in the other language."""

from __future__ import annotations

import math
from typing import Any

from django import template
from django.urls import translate_url
from django.utils import formats, translation

from alliance.figures.publication import MARKER
from alliance.web.public import services, words

register = template.Library()
WELSH, ENGLISH = "cy", "en-gb"


@register.simple_tag(takes_context=True)
def language_links(context: dict[str, Any]) -> list[dict[str, object]]:
    """[{code, name, url, current}] for English and Welsh (GOV.UK's language switch)."""
    request = context["request"]
    current = translation.get_language()
    query = f"?{request.GET.urlencode()}" if request.GET else ""
    out = []
    for code, name, tag in ((ENGLISH, "English", "en"), (WELSH, "Cymraeg", "cy")):
        out.append({"code": tag, "name": name, "current": current == code,
                    "url": translate_url(request.path, code) + query})
    return out


@register.simple_tag
def html_lang() -> str:
    return "cy" if translation.get_language() == WELSH else "en-GB"


def _hidden(value: object) -> bool:
    return value is None or value == MARKER or (isinstance(value, float) and math.isnan(value))


@register.filter
def count(value: object) -> str:
    """A published count with separators, or the hidden marker."""
    if _hidden(value):
        return MARKER
    return formats.number_format(int(float(value)), 0, force_grouping=True)  # type: ignore[arg-type]


@register.filter
def decimal(value: object, places: int = 1) -> str:
    """A rate or ratio to ``places`` decimals, or the hidden marker."""
    if _hidden(value):
        return MARKER
    return formats.number_format(round(float(value), places), places,  # type: ignore[arg-type]
                                 force_grouping=True)


@register.filter
def signed_percent(value: float) -> str:
    return f"{'+' if value > 0 else ''}{formats.number_format(round(value), 0)}%"


@register.simple_tag
def cell(level: str, code: str, months: tuple[str, ...], category: str = "") -> str:
    """The ``data-cell`` mark of a published count (see alliance.web.public.services.cell)."""
    return services.cell(level, code, tuple(months), category)


@register.filter
def month_words(month: str) -> str:
    return services.month_words(month)


@register.filter
def months_words(months: tuple[str, ...]) -> str:
    if len(months) == 1:
        return services.month_words(months[0])
    return translation.gettext("%(first)s to %(last)s") % {
        "first": services.month_words(months[0]), "last": services.month_words(months[-1])}


@register.filter
def verdict(text: str) -> str:
    return words.verdict(text)
