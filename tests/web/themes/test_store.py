"""A stored theme set rebuilds exactly the result that was saved, before and after every edit;
every edit is logged with who, when, before and after, and the counts follow it."""

from __future__ import annotations

import numpy as np
import pytest

from alliance.voice.themes import ThemeResult
from alliance.web.themes import services
from alliance.web.themes.models import ThemeEdit, ThemeSet
from alliance.web.themes.store import load_result

pytestmark = pytest.mark.django_db


def assert_same(a: ThemeResult, b: ThemeResult) -> None:
    """Every field equal; arrays bit for bit."""
    assert a.ids == b.ids and a.texts == b.texts
    for name in ("embeddings", "primary", "membership", "similarity"):
        x, y = getattr(a, name), getattr(b, name)
        assert x.dtype == y.dtype and np.array_equal(x, y), name
    assert a.themes == b.themes
    assert a.settings == b.settings and a.silhouette == b.silhouette
    assert a.recoded == b.recoded and a.label_overrides == b.label_overrides
    assert a.to_frame().equals(b.to_frame()) and a.assignments().equals(b.assignments())


def _fresh(theme_set: ThemeSet) -> ThemeResult:
    return load_result(ThemeSet.objects.get(pk=theme_set.pk))


def test_found_themes_round_trip_exactly(theme_set: ThemeSet, london) -> None:
    from alliance.voice.themes import find_themes
    from alliance.web.conversations.models import Statement

    accepted = list(london.statements.filter(state=Statement.State.ACCEPTED)
                    .order_by("number").values_list("number", "text"))
    direct = find_themes([t for _, t in accepted], ids=[str(n) for n, _ in accepted])
    stored = _fresh(theme_set)
    assert_same(direct, stored)
    assert len(stored.texts) == len(accepted) == 36  # 3 of the 39 were moderated out
    print("\nthemes of london.youth.policing:\n", stored.to_frame()[["label", "n_texts"]])


def test_every_edit_round_trips_logs_and_counts_follow(theme_set: ThemeSet, analyst) -> None:
    result = _fresh(theme_set)
    first, second, third = result.theme_ids[:3]

    log = services.edit(theme_set, "rename", user=analyst, version=0, theme=first,
                        label="Trust in the police")
    expected = result.rename(first, "Trust in the police")
    assert_same(expected, _fresh(theme_set))
    assert (log.number, log.kind, log.editor) == (1, "rename", analyst)
    assert log.before["label"] != "Trust in the police" == log.after["label"]

    log = services.edit(theme_set, "merge", user=analyst, version=1, keep=second, into_it=third)
    merged = expected.merge(second, third)
    assert_same(merged, _fresh(theme_set))
    assert third not in merged.theme_ids
    assert log.after["themes"][0]["n_texts"] == merged.theme(second).n_texts
    assert merged.theme(second).n_primary == (expected.theme(second).n_primary
                                              + expected.theme(third).n_primary)

    log = services.edit(theme_set, "split", user=analyst, version=2, theme=first, n=2)
    split = merged.split(first, 2)
    assert_same(split, _fresh(theme_set))
    parts = [t["theme"] for t in log.after["themes"]]
    assert len(parts) == 2 and first not in split.theme_ids
    assert sum(split.theme(t).n_primary for t in parts) == merged.theme(first).n_primary

    text_id = split.ids[0]
    targets = [t for t in split.theme_ids if t not in split.themes_of(text_id)][:2]
    log = services.edit(theme_set, "recode", user=analyst, version=3, text_id=text_id,
                        themes=targets)
    recoded = split.recode(text_id, targets)
    assert_same(recoded, _fresh(theme_set))
    assert recoded.themes_of(text_id) == tuple(targets)
    assert [t["theme"] for t in log.after["themes"]] == targets
    for t in targets:  # the counts follow: each target theme gained the text
        assert recoded.theme(t).n_texts == split.theme(t).n_texts + 1

    stored = ThemeSet.objects.get(pk=theme_set.pk)
    assert stored.version == 4
    assert list(stored.edits.values_list("number", "kind")) == [
        (1, "rename"), (2, "merge"), (3, "split"), (4, "recode")]


def test_a_stale_or_impossible_edit_changes_nothing(theme_set: ThemeSet, analyst) -> None:
    before = _fresh(theme_set)
    first = before.theme_ids[0]
    services.edit(theme_set, "rename", user=analyst, version=0, theme=first, label="A")
    with pytest.raises(services.ThemeError, match="someone else changed"):
        services.edit(theme_set, "rename", user=analyst, version=0, theme=first, label="B")
    for kind, args in (("split", {"theme": first, "n": 1000}),
                       ("merge", {"keep": first, "into_it": first}),
                       ("rename", {"theme": 999, "label": "x"}),
                       ("rename", {"theme": first, "label": "  "}),
                       ("recode", {"text_id": "no-such-text", "themes": [first]})):
        with pytest.raises(services.ThemeError):
            services.edit(theme_set, kind, user=analyst, version=1, **args)
    assert_same(before.rename(first, "A"), _fresh(theme_set))
    assert ThemeSet.objects.get(pk=theme_set.pk).version == 1
    assert ThemeEdit.objects.filter(theme_set=theme_set).count() == 1


def test_the_edit_log_is_append_only(theme_set: ThemeSet, analyst) -> None:
    log = services.edit(theme_set, "rename", user=analyst, version=0,
                        theme=_fresh(theme_set).theme_ids[0], label="Renamed")
    log.after = {"label": "tampered"}
    with pytest.raises(ValueError, match="append-only"):
        log.save()
    with pytest.raises(ValueError, match="append-only"):
        log.delete()
    assert ThemeEdit.objects.get(pk=log.pk).after["label"] == "Renamed"


def test_too_few_texts_are_refused_and_nothing_is_stored(london, analyst) -> None:
    from alliance.web.conversations.models import Statement

    london.statements.exclude(number__in=[0, 1, 2]).update(state=Statement.State.REJECTED)
    with pytest.raises(services.ThemeError, match="needs at least 5"):
        services.create_from_conversation(london, analyst)
    assert not ThemeSet.objects.exists()
