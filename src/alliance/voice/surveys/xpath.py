"""The XLSForm ``relevant`` expressions Alliance reads and writes, as ``show_if`` conditions.

The subset (research wave 2, §1.3): ``${q} = 'x'``, ``${q} != 'x'``, ``selected(${q}, 'x')``,
``${q} != ''`` / ``${q} = ''`` (answered or not), ``string-length(${q}) > 0``, joined with
``and`` / ``or``, ``not(…)`` and brackets. Anything else (arithmetic, other functions,
comparisons of numbers, ``.``) raises :class:`XPathError` naming the part not understood.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any


class XPathError(ValueError):
    """An expression outside the subset; the message names the part."""


_TOKEN = re.compile(r"""\s*(?:(?P<ref>\$\{[A-Za-z_][A-Za-z0-9_.-]*\})|(?P<str>'[^']*'|"[^"]*")
    |(?P<op>!=|=|\(|\)|,|>)|(?P<num>\d+)|(?P<word>[A-Za-z][A-Za-z0-9_-]*)|(?P<bad>\S))""",
                    re.VERBOSE)


def _tokens(text: str) -> list[tuple[str, str]]:
    out = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "bad"
        value = m.group(kind)
        if kind == "bad":
            raise XPathError(f"{value!r} is not part of the conditions Alliance reads")
        out.append((kind, value))
    return out


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokens(text)
        self.pos = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self, value: str | None = None) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise XPathError("the condition ends too soon")
        if value is not None and token[1] != value:
            raise XPathError(f"expected {value!r} but found {token[1]!r}")
        self.pos += 1
        return token

    def expression(self) -> dict[str, Any]:
        parts = [self.conjunction()]
        while self.peek() == ("word", "or"):
            self.take()
            parts.append(self.conjunction())
        return parts[0] if len(parts) == 1 else {"any": parts}

    def conjunction(self) -> dict[str, Any]:
        parts = [self.atom()]
        while self.peek() == ("word", "and"):
            self.take()
            parts.append(self.atom())
        return parts[0] if len(parts) == 1 else {"all": parts}

    def atom(self) -> dict[str, Any]:
        kind, value = self.take()
        if value == "(":
            inner = self.expression()
            self.take(")")
            return inner
        if kind == "word" and value == "not":
            self.take("(")
            inner = self.expression()
            self.take(")")
            return {"not": inner}
        if kind == "word" and value == "selected":
            self.take("(")
            ref = self._ref()
            self.take(",")
            literal = self._literal()
            self.take(")")
            return {"question": ref, "includes": literal}
        if kind == "word" and value == "string-length":
            self.take("(")
            ref = self._ref()
            self.take(")")
            self.take(">")
            if self.take()[1] != "0":
                raise XPathError("string-length is read only as string-length(${q}) > 0")
            return {"question": ref, "answered": True}
        if kind == "ref":
            name = value[2:-1]
            _, op = self.take()
            if op not in ("=", "!="):
                raise XPathError(f"the comparison {op!r} is not read (only = and !=)")
            literal = self._literal()
            if literal == "":
                return {"question": name, "answered": op == "!="}
            return {"question": name, "equals" if op == "=" else "not_equals": literal}
        raise XPathError(f"{value!r} is not part of the conditions Alliance reads")

    def _ref(self) -> str:
        kind, value = self.take()
        if kind != "ref":
            raise XPathError(f"expected a ${{question}} but found {value!r}")
        return value[2:-1]

    def _literal(self) -> str:
        kind, value = self.take()
        if kind != "str":
            raise XPathError(f"expected a quoted value but found {value!r}")
        return value[1:-1]


def parse_relevant(text: str) -> dict[str, Any]:
    """The ``show_if`` condition of an XLSForm ``relevant`` expression."""
    parser = _Parser(text)
    if parser.peek() is None:
        raise XPathError("the condition is empty")
    result = parser.expression()
    if parser.peek() is not None:
        raise XPathError(f"unexpected {parser.peek()[1]!r} after the condition")  # type: ignore[index]
    return result


def write_relevant(cond: Mapping[str, Any], *, nested: bool = False) -> str:
    """The XLSForm ``relevant`` expression of a ``show_if`` condition."""
    for key, joiner in (("all", " and "), ("any", " or ")):
        if key in cond:
            text = joiner.join(write_relevant(c, nested=True) for c in cond[key])
            return f"({text})" if nested else text
    if "not" in cond:
        return f"not({write_relevant(cond['not'])})"
    ref = "${" + cond["question"] + "}"
    if "answered" in cond:
        return f"{ref} {'!=' if cond['answered'] else '='} ''"
    if "includes" in cond:
        return f"selected({ref}, '{cond['includes']}')"
    if "equals" in cond:
        return f"{ref} = '{cond['equals']}'"
    return f"{ref} != '{cond['not_equals']}'"
