"""Filters for survey tables: hidden counts as [c], percentages, and lookups."""

from __future__ import annotations

import math
from typing import Any

from django import template

register = template.Library()


def _hidden(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


@register.filter
def count(value: Any) -> str:
    """A published count: '[c]' where hidden (the ONS symbol), else with thousands commas."""
    if isinstance(value, str):
        return value
    return "[c]" if _hidden(value) else f"{int(value):,}"


@register.filter
def pct(value: Any) -> str:
    return "[c]" if _hidden(value) else f"{float(value):.0f}%"


@register.filter
def interval(row: Any) -> str:
    """'12% to 20%' from a row with lower and upper (percentages)."""
    lower, upper = row["lower"], row["upper"]
    if _hidden(lower) or _hidden(upper):
        return "[c]"
    return f"{float(lower):.0f}% to {float(upper):.0f}%"


@register.filter
def get(mapping: Any, key: Any) -> Any:
    try:
        return mapping[key]
    except (KeyError, IndexError, TypeError):
        return None


@register.filter
def bar(value: Any) -> int:
    """Width in pixels of a bar of 0-100% on a 200-pixel scale (0 where hidden)."""
    return 0 if _hidden(value) else max(0, min(200, round(float(value) * 2)))


@register.filter
def rows(frame: Any) -> list[tuple[Any, Any]]:
    return list(frame.iterrows())


@register.filter
def get_question(definition: Any, qid: str) -> str:
    try:
        return str(definition.question(qid).label)
    except KeyError:
        return qid


@register.filter
def first_of(raw: Any, key: str) -> str:
    """The first posted value of a field, or ''."""
    values = raw.get(key) if hasattr(raw, "get") else None
    return str(values[0]) if values else ""


@register.filter
def values_of(raw: Any, key: str) -> list[str]:
    values = raw.get(key) if hasattr(raw, "get") else None
    return list(values or [])
