"""The community voice chapter: shares by the results page's rule, small groups' statements
left out, sizes suppressed."""

from __future__ import annotations

import dataclasses

from alliance.privacy.suppression import MARKER
from alliance.report.document import Paragraph, Table
from alliance.report.sna.common import Context
from alliance.report.sna.inputs import VoiceSummary
from alliance.report.sna.period import parse_period
from alliance.report.sna.voice import voice_chapter
from alliance.report.wording import percent_of
from tests.report.sna.conftest import make_inputs


def _chapter(conversations: tuple[VoiceSummary, ...]) -> list[object]:
    inputs = dataclasses.replace(make_inputs(), conversations=conversations, theme_sets=())
    ctx = Context(inputs=inputs, period=parse_period("2025"), threshold=5)
    return list(voice_chapter(ctx).blocks)


def test_shares_are_printed_as_computed_by_the_one_rule() -> None:
    """8 of 8 agreeing is "agree 100%" here as on the results page (it was the smoothed 90%)."""
    summary = VoiceSummary(
        title="Safer streets", question="What would help?", participants=40, groups=(30, 10),
        consensus=(("More youth clubs", "agree", percent_of(8, 8)),),
        group_views=((0, "Free buses", "agree", percent_of(7, 8)),
                     (1, "More police", "disagree", percent_of(1, 8))))
    blocks = _chapter((summary,))
    table = next(b for b in blocks if isinstance(b, Table))
    assert table.data.loc[0, "What unites them"] == "“More youth clubs” (agree 100%)"
    views = next(b for b in blocks if isinstance(b, Paragraph) and "each group" in b.text)
    assert "(agree 88%)" in views.text and "(disagree 13%)" in views.text


def test_a_small_groups_statements_are_left_out() -> None:
    summary = VoiceSummary(
        title="Safer streets", question="What would help?", participants=33, groups=(30, 3),
        consensus=(), group_views=((0, "Free buses", "agree", 88),
                                   (1, "Something three people said", "agree", 100)))
    blocks = _chapter((summary,))
    table = next(b for b in blocks if isinstance(b, Table))
    assert table.data.loc[0, "Opinion groups (sizes)"] == f"2 (30, {MARKER})"
    text = " ".join(b.text for b in blocks if isinstance(b, Paragraph))
    assert "Free buses" in text and "Something three people said" not in text
