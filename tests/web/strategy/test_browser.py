"""From workshops to outcomes, as a partnership analyst does it in headless Chromium: record
the event and its three workshops with notes, find the themes and turn one into a priority,
add an intervention with its YEF approach, set a measure and its target, assign an action to a
partner, see it overdue and the reminder sent, read the board view, and produce the monitoring
report. Pages are checked with axe-core."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail

from tests.web.workspace.test_browser import (  # noqa: F401  (fixtures)
    assert_accessible,
    browser_page,
    geography_snapshot,
    sign_in,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]
PASSWORD = "browser-journey-password"
WORKSHOPS = [
    ("Strategic priorities", "What should we prioritise?", [
        ("Northamptonshire Police", "Knife carrying by teenagers in the town centre"),
        ("Northamptonshire Youth Justice Service", "School exclusion comes before most knife "
                                                   "offences we see"),
        ("West Northamptonshire Council", "Violence after dark in the night-time economy"),
    ]),
    ("How to talk with young people and adults", "How should we talk about knives?", [
        ("Northamptonshire Community Foundation", "Young people trust peer messengers more "
                                                  "than posters"),
        ("NHS Northamptonshire Integrated Care Board", "Parents want plain advice on knife "
                                                       "carrying"),
    ]),
    ("How partners collaborate", "Who provides what?", [
        ("North Northamptonshire Council", "A shared directory of services would stop "
                                           "duplication"),
        ("Northamptonshire Youth Justice Service", "Referral routes between schools and youth "
                                                   "justice are unclear"),
    ]),
]


def _menu(page, name: str) -> None:  # type: ignore[no-untyped-def]
    """Follow a menu link and wait for the new page (read before it loads, it is empty)."""
    link = page.get_by_role("navigation", name="Menu").get_by_role("link", name=name, exact=True)
    with page.expect_navigation():
        link.click()
    page.wait_for_load_state()


def _submit(page, name: str) -> None:  # type: ignore[no-untyped-def]
    """Press a form's button and wait for the page it leads to."""
    with page.expect_navigation():
        page.get_by_role("button", name=name).click()
    page.wait_for_load_state()


def _choose(page, label: str, option: str) -> None:  # type: ignore[no-untyped-def]
    page.get_by_label(label, exact=True).select_option(label=option)


def test_from_workshops_to_the_monitoring_report(
        browser_page, live_server, northants_files: list[Path], reference: Path,  # noqa: F811
        settings) -> None:
    from django.utils import timezone

    from alliance.web.accounts.demo import seed_demo
    from alliance.web.actions.models import Action, Reminder
    from alliance.web.monitoring.models import MonitoringBuild
    from alliance.web.pool.services import load_police_uk
    from alliance.web.tasks.schedule import run_due

    settings.ALLIANCE_TASKS_INLINE = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    year = [f for f in northants_files if f.name.startswith("2025-0") and
            int(f.name[5:7]) <= 6]
    load_police_uk(year, reference_dir=reference, created_by="tests")
    demo = seed_demo(password=PASSWORD)
    page, base = browser_page, live_server.url
    sign_in(page, base, demo.emails["analyst"], PASSWORD)

    # 1. the event and its three workshops, with notes
    _menu(page, "Events")
    page.get_by_role("link", name="Record an event").click()
    assert_accessible(page)
    page.get_by_label("Title").fill("Spring partnership event")
    page.get_by_label("Date").fill("2026-03-04")
    page.get_by_label("How many people came").fill("76")
    page.get_by_label("Northamptonshire Police").check()
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r".*/events/\d+/$"))
    for title, question, notes in WORKSHOPS:
        page.get_by_text("Add a workshop", exact=True).click()
        form = page.locator("form[action$='/workshops/add/']")
        form.get_by_label("Title").fill(title)
        form.get_by_label("The question it discussed").fill(question)
        form.get_by_role("button", name="Add the workshop").click()
        page.wait_for_url(re.compile(r".*/events/\d+/#workshop-\d+"))
        section = page.locator("section").filter(has_text=title).last
        for org, text in notes:
            section.get_by_text(re.compile(r"^Add a note to workshop")).click()
            section.get_by_label("What was said").fill(text)
            section.get_by_label("Said by (partner)").select_option(label=org)
            section.get_by_role("button", name="Add the note").click()
            page.wait_for_load_state()
            section = page.locator("section").filter(has_text=title).last
    knives = "Knife carrying by teenagers in the town centre"
    assert page.get_by_role("cell", name=knives).count() == 1
    assert_accessible(page)

    # 2. the themes of the notes; a theme becomes a proposed priority of a new draft
    page.get_by_role("button", name=re.compile(r"^Find themes in the 7 notes")).click()
    page.wait_for_url(re.compile(r".*/events/\d+/#themes"))
    page.goto(page.url.split("#")[0])
    assert page.locator("text=Turn into a proposal").count() >= 1
    _menu(page, "Strategy")
    _submit(page, "Start a new version")
    assert "Version 2 started as a draft" in page.content()
    page.goto(f"{base}/events/")
    page.get_by_role("link", name="Spring partnership event").click()
    page.get_by_role("link", name=re.compile("^Turn into a proposal")).first.click()
    assert_accessible(page)
    page.get_by_label("A proposed priority for the draft strategy").check()
    page.get_by_label("Title").fill("Safe spaces and trusted adults")
    page.get_by_role("button", name="Make the proposal").click()
    page.wait_for_url(re.compile(r".*/events/\d+/$"))
    page.wait_for_load_state()
    assert "It keeps the link to what was said" in page.content()

    # 3. an intervention with its YEF approach under the new priority
    _menu(page, "Strategy")
    assert "Safe spaces and trusted adults" in page.content() and "Proposed" in page.content()
    page.get_by_role("link", name="Add an intervention to priority 4").click()
    page.get_by_label("Title").fill("Youth club mentoring")
    page.get_by_label("YEF Toolkit approach").select_option(label="Mentoring")
    _submit(page, "Save")
    assert "Moderate impact (10%-30% less violence)" in page.content()
    assert "Evidence quality not recorded in the Toolkit table held" in page.content()
    assert_accessible(page)

    # 4. a measure with a baseline and a target
    page.get_by_role("link", name="Outcome measures, baselines and targets").click()
    page.get_by_role("link", name="Add a measure").click()
    page.get_by_label("Title").fill("Robbery in the whole area")
    page.get_by_label("Short name").fill("robbery-area")
    _choose(page, "Priority", "Priority 4: Safe spaces and trusted adults")
    page.get_by_label("Robbery").check()
    page.get_by_label("Baseline period").fill("2025-Q1")
    page.get_by_label("Target", exact=True).fill("1.2")
    page.get_by_label("Target period").fill("2025/26")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Robbery in the whole area", exact=True).click()
    assert "Every reporting year, quarter and month" in page.content()
    assert "April to June 2025 (2025-Q2)" in page.content()
    assert_accessible(page)
    page.get_by_role("link", name="Back to the measures").click()
    page.get_by_role("link", name="Back to the strategy").click()
    _submit(page, "Adopt this version")
    assert "is adopted" in page.content()

    # 5. an action assigned to a partner, already past its due date
    _menu(page, "Actions")
    page.get_by_role("link", name="Assign an action").click()
    page.get_by_label("Title").fill("Open two youth hubs")
    _choose(page, "Priority", "Priority 4: Safe spaces and trusted adults")
    _choose(page, "Intervention", "Youth club mentoring")
    _choose(page, "Partner that owes it", "West Northamptonshire Council")
    page.get_by_label("Due date").fill(str(timezone.localdate() - timedelta(days=2)))
    _submit(page, "Save")
    assert "Overdue: it was due on" in page.content()
    action = Action.objects.get(title="Open two youth hubs")
    # the daily reminders, as `alliance scheduled` runs them
    (sent,) = [o for o in run_due(only="action_reminders")]
    assert sent.ran and sent.ok
    reminders = [m for m in mail.outbox if m.subject == "Action overdue: Open two youth hubs"]
    assert len(reminders) == 1 and demo.emails["partner_lead"] in reminders[0].to
    assert f"/actions/{action.pk}/" in reminders[0].body
    page.reload()
    assert "Overdue reminder 1" in page.content()
    assert Reminder.objects.filter(action=action, problem="").exists()
    assert_accessible(page)

    # 6. the board view, in plain English
    _menu(page, "Board view")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Priority 4: Safe spaces")).click()
    text = page.locator("main").inner_text()
    for heading in ("What was promised", "What was done", "Did violence move?",
                    "What needs a decision"):
        assert heading in text
    assert "Youth club mentoring" in text, text
    assert "Open two youth hubs" in text, text
    # the robbery measure beside England: compared over whole 12 months, never one quarter
    assert "Compared with England" in text, text
    assert "12 months to" in text and "are not all published" in text, text
    assert "E06000" not in text and "LSOA" not in text
    assert_accessible(page)

    # 7. the monitoring report, built in the background and opened in the browser
    page.goto(f"{base}/monitoring/")
    page.get_by_label("Period").select_option(value="2025-Q2")
    page.get_by_role("button", name="Build the monitoring report").click()
    build = MonitoringBuild.objects.get()
    page.wait_for_selector(f"[data-build='{build.pk}'][data-finished='1']", timeout=300_000)
    build.refresh_from_db()
    assert build.status == "done", build.message
    page.get_by_role("link", name=re.compile("^Open the report")).click()
    assert "monitoring report" in page.locator("h1").inner_text()
    assert "You said, we did" in page.content() and "Safe spaces and trusted adults" in \
        page.content()
