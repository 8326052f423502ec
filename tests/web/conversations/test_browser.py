"""A young person's journey on a phone-sized screen, then moderation and results, with axe-core.

Runs in headless Chromium like tests/web/workspace/test_browser.py (whose fixtures it reuses).
"""

from __future__ import annotations

import re

import pytest

from tests.conftest import require_shared
from tests.web.workspace.test_browser import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 667}
PASSWORD = "browser-journey-password"


@pytest.fixture
def async_unsafe_for_this_test(monkeypatch):  # type: ignore[no-untyped-def]
    """Playwright needs DJANGO_ALLOW_ASYNC_UNSAFE; set it here so it is removed afterwards.

    (``browser_page`` only sets it when unset, and would otherwise leak it into later tests,
    such as the ``check --deploy`` subprocess of tests/web/test_settings.py.)
    """
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def test_youth_participant_votes_and_adds_a_statement_on_a_phone(
        async_unsafe_for_this_test, browser_page, live_server) -> None:
    from alliance.voice.opinion import read_polis_export
    from alliance.web.accounts.demo import seed_demo
    from alliance.web.accounts.models import Partnership
    from alliance.web.conversations.models import Conversation, Statement, Vote
    from alliance.web.conversations.polis_transfer import import_conversation
    from alliance.web.conversations.services import seed_statement

    demo = seed_demo(password=PASSWORD)
    partnership = Partnership.objects.get(name=demo.partnership)
    conversation = Conversation.objects.create(
        partnership=partnership, title="Feeling safe", question="What would help you feel safe?",
        status="open", youth_mode=True)
    for text in ("More youth clubs open late", "Free buses at night",
                 "Police who know young people by name"):
        seed_statement(conversation, text, None)

    page = browser_page
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/have-your-say/{conversation.slug}/")
    assert "Your privacy" in page.content()
    assert_accessible(page)
    page.get_by_role("button", name="Start").click()  # without consent: an error
    assert "Tick the box" in page.locator(".govuk-error-message").inner_text()
    assert_accessible(page)
    page.get_by_label("I understand and want to take part").check()
    page.get_by_role("button", name="Start").click()
    page.wait_for_url(re.compile(r".*/vote/$"))
    assert_accessible(page)
    for name in ("Agree", "Disagree", "Not sure"):
        with page.expect_navigation():
            page.get_by_role("button", name=name, exact=True).click()
    assert "You have seen everything for now" in page.content()
    assert Vote.objects.count() == 3
    page.get_by_role("link", name="Add your own statement").click()
    assert_accessible(page)
    page.get_by_label("Your statement (one idea, short)").fill("Youth workers in the park")
    with page.expect_navigation():
        page.get_by_role("button", name="Send").click()
    assert "Someone will check it soon" in page.content()
    assert_accessible(page)
    assert Statement.objects.get(text="Youth workers in the park").state == "pending"

    # a moderator accepts it on a phone too
    moderator = page.context.browser.new_page(viewport=PHONE)
    sign_in(moderator, live_server.url, demo.emails["moderator"], PASSWORD)
    moderator.goto(f"{live_server.url}/conversations/{conversation.pk}/")
    assert_accessible(moderator)
    with moderator.expect_navigation():
        moderator.get_by_role("button", name=re.compile(r"^Accept")).first.click()
    assert Statement.objects.get(text="Youth workers in the park").state == "accepted"

    # results of a real conversation
    london = import_conversation(
        read_polis_export(require_shared("polis", "london.youth.policing")),
        partnership=partnership, title="London youth policing", user=None)
    moderator.goto(f"{live_server.url}/conversations/{london.pk}/results/")
    assert "What unites them" in moderator.content()
    assert moderator.locator("svg[role=img]").count() == 1
    assert_accessible(moderator)
    moderator.close()


def test_safeguarding_referral_and_the_opinion_map_on_a_phone(
        async_unsafe_for_this_test, browser_page, live_server) -> None:
    """A disclosure is held, a moderator refers it on a phone with the procedure in view, it
    is hidden everywhere; on the results page every map marker lies inside the map."""
    from alliance.voice.opinion import read_polis_export
    from alliance.web.accounts.demo import seed_demo
    from alliance.web.accounts.models import Partnership
    from alliance.web.conversations.models import (
        Conversation,
        SafeguardingContact,
        SafeguardingReferral,
        Statement,
    )
    from alliance.web.conversations.polis_transfer import import_conversation
    from alliance.web.conversations.services import seed_statement

    demo = seed_demo(password=PASSWORD)
    partnership = Partnership.objects.get(name=demo.partnership)
    SafeguardingContact.objects.create(
        partnership=partnership, lead_name="Sam Lead", lead_email="lead@example.org",
        procedure="Tell the lead the same day. If someone is in danger now, call 999.")
    conversation = Conversation.objects.create(
        partnership=partnership, title="Feeling safe", question="What would help?",
        status="open", youth_mode=True, mode="open")
    seed_statement(conversation, "More youth clubs open late", None)

    page = browser_page
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/have-your-say/{conversation.slug}/")
    page.get_by_label("I understand and want to take part").check()
    page.get_by_role("button", name="Start").click()
    page.wait_for_url(re.compile(r".*/vote/$"))
    page.goto(f"{live_server.url}/have-your-say/{conversation.slug}/add/")
    page.get_by_label("Your statement (one idea, short)").fill(
        "my mum's boyfriend hits me when he drinks")
    with page.expect_navigation():
        page.get_by_role("button", name="Send").click()
    held = Statement.objects.get(author_participant__isnull=False)
    assert held.state == "pending" and "a child may be at risk" in held.flagged

    moderator = page.context.browser.new_page(viewport=PHONE)
    sign_in(moderator, live_server.url, demo.emails["moderator"], PASSWORD)
    moderator.goto(f"{live_server.url}/conversations/{conversation.pk}/")
    assert "May contain a child may be at risk" in moderator.content()
    moderator.get_by_text("the partnership's procedure").click()
    assert moderator.get_by_text("call 999").first.is_visible()
    assert_accessible(moderator)
    moderator.get_by_label(re.compile("Reason")).first.fill("disclosure")
    with moderator.expect_navigation():
        moderator.get_by_role("button", name=re.compile("^Refer to the safeguarding lead")
                              ).first.click()
    assert "referred to Sam Lead" in moderator.content()
    assert "boyfriend" not in moderator.content()
    assert SafeguardingReferral.objects.get().text.startswith("my mum's boyfriend")
    held.refresh_from_db()
    assert held.state == "referred"
    page.goto(f"{live_server.url}/have-your-say/{conversation.slug}/vote/")
    assert "boyfriend" not in page.content()

    london = import_conversation(
        read_polis_export(require_shared("polis", "london.youth.policing")),
        partnership=partnership, title="London youth policing", user=None)
    moderator.goto(f"{live_server.url}/conversations/{london.pk}/results/")
    outside = moderator.evaluate("""() => {
        const map = document.querySelector("svg[role=img]").getBoundingClientRect();
        const marks = "svg[role=img] circle, svg[role=img] g rect, svg[role=img] text";
        return [...document.querySelectorAll(marks)]
          .map(e => e.getBoundingClientRect())
          .filter(b => b.left < map.left - 0.5 || b.right > map.right + 0.5 ||
                       b.top < map.top - 0.5 || b.bottom > map.bottom + 0.5).length;
    }""")
    assert moderator.locator("svg[role=img] circle").count() > 0
    assert outside == 0
    moderator.close()
