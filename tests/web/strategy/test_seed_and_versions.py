"""The demo's strategy and the rules of versions: an adopted version is never changed, a new
version copies it, adopting a version supersedes the one before."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_the_three_workshops_and_a_strategy(partnership) -> None:
    from alliance.web.actions.models import Action, Origin
    from alliance.web.events.models import Event, Note
    from alliance.web.strategy.models import Measure, Strategy

    event = Event.objects.get(partnership=partnership)
    assert [w.title for w in event.workshops.all()] == [
        "Strategic priorities", "How to talk with young people and adults",
        "How partners collaborate to prevent youth violence and knife crime"]
    assert event.attendees == 78 and Note.objects.filter(workshop__event=event).count() == 20
    assert all(n.said_by for n in Note.objects.all())
    strategy = Strategy.objects.get(partnership=partnership)
    assert strategy.status == "adopted" and strategy.priorities.count() == 3
    core = Measure.objects.filter(strategy=strategy, core=True)
    assert {m.key for m in core} == {"c1-sharp-admissions", "c2-knife-sv", "c3-homicide"}
    assert all(m.status_note for m in core)
    assert Action.objects.filter(strategy=strategy).count() == 3
    assert Origin.objects.count() == 3  # two actions and a priority came from workshop notes


def test_an_adopted_version_is_kept_and_a_new_one_copies_it(partnership, user_of) -> None:
    from alliance.web.audit.models import AuditEvent
    from alliance.web.strategy import services
    from alliance.web.strategy.models import Priority, Strategy

    adopted = Strategy.objects.get(partnership=partnership)
    with pytest.raises(services.StrategyError, match="adopted and cannot be changed"):
        services.save(Priority(strategy=adopted, title="Sneaked in"), user_of("analyst"),
                      strategy=adopted)
    draft = services.new_version(adopted, user_of("analyst"))
    assert (draft.version, draft.status, draft.previous_id) == (2, "draft", adopted.pk)
    assert [p.title for p in draft.priorities.all()] == [p.title for p in
                                                        adopted.priorities.all()]
    assert draft.measures.count() == adopted.measures.count()
    assert {m.priority.title for m in draft.measures.exclude(priority=None)} <= {
        p.title for p in draft.priorities.all()}
    assert all(m.priority is None or m.priority.strategy_id == draft.pk
               for m in draft.measures.all())
    with pytest.raises(services.StrategyError, match="already a draft"):
        services.new_version(adopted, user_of("analyst"))
    services.save(Priority(strategy=draft, title="Violence against women and girls"),
                  user_of("analyst"), strategy=draft)
    services.adopt(draft, user_of("administrator"))
    adopted.refresh_from_db()
    assert adopted.status == "superseded" and adopted.priorities.count() == 3
    assert draft.priorities.count() == 4
    assert services.in_force(partnership) == draft
    assert AuditEvent.objects.filter(action="strategy_change").count() >= 3


def test_you_said_we_did_traces_each_action_to_what_was_said(partnership) -> None:
    """The rows a public page can show: what was heard, where, which organisations (never a
    person), and what it became, one per kept link."""
    from alliance.web.actions.models import Origin
    from alliance.web.monitoring.services import you_said_we_did
    from alliance.web.strategy.models import Strategy

    rows = you_said_we_did(Strategy.objects.get(partnership=partnership))
    assert len(rows) == Origin.objects.count() >= 2
    assert all(r.said and r.where and r.who and r.did and r.status for r in rows)
    assert {r.did.split(":")[0] for r in rows} >= {"Action", "Priority"}
    assert not any("@" in who for r in rows for who in r.who)
