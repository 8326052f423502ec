"""Browser journeys in headless Chromium, axe-core clean: a resident on a 390-pixel phone finds
the open consultation from /have-your-say/, answers the survey with a pin on the map (and
from the list), and later reads "you said, we did"; staff import an XLSForm, enter a paper
response, see weighted results and whom they missed, and open the map comparison."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from alliance.voice.surveys import load_definition, write_xlsform
from tests.web.surveys.conftest import example, open_consultation
from tests.web.workspace.test_browser import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
PASSWORD = "browser-journey-password"


@pytest.fixture
def async_unsafe_for_this_test(monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _continue(page) -> None:  # type: ignore[no-untyped-def]
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()
    assert_accessible(page)


def test_resident_answers_with_a_pin_on_a_phone_then_reads_you_said_we_did(
        async_unsafe_for_this_test, browser_page, live_server, tmp_path: Path) -> None:
    from alliance.web.accounts.demo import seed_demo
    from alliance.web.consultations.models import Finding
    from alliance.web.surveys.models import Pin, Response

    demo = seed_demo(password=PASSWORD)
    consultation, survey = open_consultation(demo)
    page = browser_page
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/have-your-say/")
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.get_by_role("link", name=consultation.title).click()
    assert_accessible(page)
    page.get_by_role("link", name="Feeling safe survey").click()
    assert_accessible(page)
    page.get_by_role("button", name="Start now").click()  # nothing chosen: errors
    assert "Choose your age group" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page)
    page.get_by_label("13 to 15").check()
    page.get_by_label("I have read what happens to my answers and want to take part").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Start now").click()
    assert_accessible(page)
    page.get_by_label("A bit unsafe").check()
    _continue(page)
    page.get_by_label("Very unsafe").check()
    _continue(page)
    # the map: a click places the pin, the close-up shows it
    assert "Is there a place where you feel unsafe?" in page.content()
    box = page.locator("input[type=image]").bounding_box()
    assert box["width"] <= 320
    with page.expect_navigation():
        page.locator("input[type=image]").click(position={"x": box["width"] * 0.55,
                                                          "y": box["height"] * 0.6})
    assert "marked in red on the close-up map" in page.content()
    assert_accessible(page)
    page.get_by_label("Night").check()
    page.get_by_label("Poor lighting").check()
    _continue(page)
    page.get_by_label("People carrying knives").check()
    _continue(page)
    page.get_by_label("Better street lighting").select_option("1")
    _continue(page)
    page.get_by_label("What would help you feel safer?").fill("More lights by the shops")
    _continue(page)
    page.get_by_label("16 to 24").check()
    _continue(page)
    assert "Check your answers" in page.content()
    assert "the place marked on the map (Night; Poor lighting)" in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    with page.expect_navigation():
        page.get_by_role("button", name="Send my answers").click()
    assert "your answers have been sent" in page.content()
    assert_accessible(page)
    stored = Response.objects.get()
    assert stored.consent_age == "13_15"
    assert Pin.objects.get().lsoa21_code.startswith("E01")
    page.screenshot(path=str(tmp_path / "sent.png"), full_page=True)

    # later: results are published with what the partnership is doing
    Finding.objects.create(consultation=consultation, you_said="The shops feel unsafe at night",
                           we_did="Lighting is being improved", status="doing")
    consultation.phase = "published"
    consultation.save()
    from alliance.web.surveys import public_views

    public_views._recent.clear()  # the public pages keep a survey for a few seconds
    page.goto(f"{live_server.url}/have-your-say/")
    page.get_by_role("link", name=consultation.title).click()
    assert "You said, we did" in page.content()
    assert "Lighting is being improved" in page.content()
    assert_accessible(page)
    page.goto(f"{live_server.url}/have-your-say/s/{survey.slug}/")
    assert "This consultation has closed" in page.content()
    assert_accessible(page)
    page.goto(f"{live_server.url}/have-your-say/c/no-such-consultation/")
    assert "Page not found" in page.content()
    assert_accessible(page)


def test_the_map_has_a_list_instead(async_unsafe_for_this_test, browser_page,
                                    live_server) -> None:
    from alliance.web.accounts.demo import seed_demo
    from alliance.web.surveys.models import Pin

    demo = seed_demo(password=PASSWORD)
    _consultation, survey = open_consultation(demo)
    page = browser_page
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/have-your-say/s/{survey.slug}/")
    page.get_by_label("18 or over").check()
    page.get_by_label("I have read what happens to my answers and want to take part").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Start now").click()
    page.get_by_label("Very unsafe").check()
    _continue(page)
    _continue(page)
    select = page.get_by_label("Choose the area from a list")
    option = select.locator("option").nth(3)
    select.select_option(option.get_attribute("value"))
    _continue(page)
    while "Check your answers" not in page.content():
        _continue(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Send my answers").click()
    assert Pin.objects.get().how == "list"


def test_staff_import_an_xlsform_enter_paper_and_see_whom_they_missed(
        async_unsafe_for_this_test, browser_page, live_server, tmp_path: Path) -> None:
    from alliance.web.accounts.demo import seed_demo
    from alliance.web.surveys.models import Response

    demo = seed_demo(password=PASSWORD)
    page = browser_page
    sign_in(page, live_server.url, demo.emails["analyst"], PASSWORD)
    page.get_by_role("link", name="Consultations").click()
    assert_accessible(page)
    page.get_by_role("link", name="New consultation").click()
    page.get_by_label("Title").fill("Safer parks")
    page.get_by_label("Summary").fill("How safe do the parks feel?")
    page.get_by_label("Closing date and time").fill("2099-03-31 23:59")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    assert_accessible(page)
    xlsx = tmp_path / "parks.xlsx"
    xlsx.write_bytes(write_xlsform(load_definition(example())))
    page.locator("summary", has_text="Add a way to take part").click()
    page.get_by_label("Kind").select_option("survey")
    page.get_by_label("Title", exact=True).last.fill("Parks survey")
    page.get_by_label("Survey definition").set_input_files(str(xlsx))
    with page.expect_navigation():
        page.get_by_role("button", name="Add", exact=True).click()
    assert "Added: Parks survey" in page.content()
    with page.expect_navigation():
        page.get_by_role("button", name="Open it").click()
    page.get_by_role("link", name="Survey, results and entry").click()
    assert_accessible(page)
    page.get_by_role("link", name="Enter paper or workshop responses").click()
    assert_accessible(page)
    for k in range(3):
        page.get_by_label(re.compile(r"^1\. How safe do you feel")).select_option(
            ["very_safe", "a_bit_unsafe", "fairly_safe"][k])
        page.get_by_label(re.compile(r"^7\. Your age")).select_option("65_plus")
        with page.expect_navigation():
            page.get_by_role("button", name="Save and enter the next").click()
        assert "The form is clear for the next one" in page.content()
    assert Response.objects.filter(channel="paper").count() == 3
    page.get_by_role("link", name="Parks survey").click()
    page.get_by_role("link", name="Results").click()
    assert "3 responses so far" in page.content() and "[c]" in page.content()
    assert_accessible(page)
    page.goto(page.url.replace("/results/", "/heard/"))
    assert "Respondents and residents by age" in page.content()
    assert "No age group was clearly under-represented" in page.content()  # 3 is too few
    assert_accessible(page)
    page.goto(page.url.replace("/heard/", "/felt-unsafe/"))
    assert_accessible(page)
    page.goto(page.url.replace("/felt-unsafe/", "/paper/"))
    assert_accessible(page)
