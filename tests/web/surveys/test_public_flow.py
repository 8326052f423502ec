"""A resident answers the example survey without JavaScript: consent by age, one question per
page, show-if, back and change, check, send once; abuse is refused with nothing saved."""

from __future__ import annotations

import pytest

from tests.web.surveys.conftest import Respondent

pytestmark = pytest.mark.django_db


def test_front_door_lists_the_open_consultation_with_who_is_asking(consultation) -> None:
    from django.test import Client

    page = Client().get("/have-your-say/").content.decode()
    assert consultation.title in page
    assert "Young people welcome" in page
    assert "Northamptonshire Serious Violence Alliance" in page  # who is asking
    assert "Privacy notice" in page and "Childline" in page  # on every public page
    assert "govuk-phase-banner" in page


def test_whole_journey_with_a_pin_and_back(survey) -> None:
    from alliance.web.surveys.models import Pin, Response

    r = Respondent(survey)
    page = r.start().content.decode()
    assert "How safe do you feel in your area during the day?" in page
    assert "Question 1 of" in page
    page = r.answer(feel_safe_day="very_safe").content.decode()
    assert "after dark" in page
    page = r.answer(feel_safe_night="very_unsafe").content.decode()
    assert "Where do you feel unsafe?" in page  # shown because they feel unsafe
    page = r.answer(go="back").content.decode()
    assert 'value="very_unsafe" checked' in page  # back keeps the answer
    r.answer(feel_safe_night="very_unsafe")
    page = r.answer(unsafe_place__typed="behind the shops", unsafe_place__time="night",
                    unsafe_place__reason=["groups", "poor_lighting"]).content.decode()
    assert "What worries you most" in page
    for fields in ({"worries": ["knives", "drugs"]}, {"priorities__lighting": "1"},
                   {"what_would_help": "<script>alert(1)</script> more lights"},
                   {"age_band": "25_44", "sex": "female"}):
        page = r.answer(**fields).content.decode()
    assert "Check your answers" in page
    assert "&lt;script&gt;" in page and "<script>alert" not in page
    assert Response.objects.count() == 0  # nothing stored before sending
    sent = r.send()
    assert sent.status_code == 200 and "your answers have been sent" in sent.content.decode()
    stored = Response.objects.get()
    assert stored.answers["worries"] == ["knives", "drugs"]
    assert stored.answers["unsafe_place"]["typed"] == "behind the shops"
    assert stored.text_review == {"what_would_help": "pending"}
    assert Pin.objects.get().time == "night"
    # the same form again (a replay, a double click): nothing more is stored
    again = r.send()
    assert "We already have your answers" in again.content.decode()
    assert Response.objects.count() == 1


def test_changing_an_answer_drops_answers_no_longer_asked(survey) -> None:
    from alliance.web.surveys.models import Response

    r = Respondent(survey)
    r.start()
    r.answer(feel_safe_day="very_unsafe")
    r.answer(feel_safe_night="very_safe")
    r.answer(unsafe_place__typed="the underpass")
    for _ in range(4):
        r.answer()
    page = r.answer().content.decode()
    assert "the underpass" in page
    page = r.answer(go="page-0").content.decode()  # "Change" the first answer
    r.answer(feel_safe_day="very_safe")  # now the pin question is no longer shown
    while "Check your answers" not in (page := r.last.content.decode()):
        r.answer()
    assert "the underpass" not in page
    r.send()
    assert "unsafe_place" not in Response.objects.get().answers


@pytest.mark.parametrize(("age", "extra", "words"), [
    ("under_13", {}, "A parent or carer must agree"),
    ("", {"consent": ""}, "Tick the box"),
])
def test_consent_by_age(survey, age: str, extra: dict, words: str) -> None:
    r = Respondent(survey)
    response = r.start(age=age, **extra)
    assert response.status_code == 400
    assert words in response.content.decode()


def test_under_13_with_a_parent_gets_plain_words_and_no_area_question(survey) -> None:
    r = Respondent(survey)
    page = r.start(age="under_13", parent="yes").content.decode()
    assert "Do you feel safe around where you live in the daytime?" in page  # youth wording
    pages = [page]
    r.answer(feel_safe_day="very_safe")
    for _ in range(6):
        pages.append(r.answer().content.decode())
    assert not any("Where do you live?" in p for p in pages)


def test_a_changed_hidden_field_is_refused_and_nothing_saved(survey) -> None:
    from alliance.web.surveys.models import Response

    r = Respondent(survey)
    r.start()
    r.state = r.state[:-3] + ("AAA" if not r.state.endswith("AAA") else "BBB")
    response = r.answer(feel_safe_day="very_safe")
    assert response.status_code == 400
    assert "Please start again" in response.content.decode()
    assert r.send().status_code == 400
    assert Response.objects.count() == 0


def test_huge_answer_is_refused_with_a_clear_message(survey) -> None:
    r = Respondent(survey)
    r.start()
    for fields in ({"feel_safe_day": "very_safe"}, {}, {}, {}):
        r.answer(**fields)
    response = r.answer(what_would_help="x" * 1_000_000)
    assert response.status_code == 400
    assert "Keep your answer to 2,000 characters or fewer" in response.content.decode()


def test_a_flood_from_one_address_is_limited(survey, settings) -> None:
    from alliance.web.surveys.models import Response

    settings.HAVE_YOUR_SAY_PARTICIPANTS_PER_ADDRESS = 2
    for _ in range(3):
        r = Respondent(survey, address="198.51.100.7")
        r.start()
        r.answer(feel_safe_day="very_safe")
        while "Check your answers" not in r.last.content.decode():
            r.answer()
        response = r.send()
    assert response.status_code == 429
    assert Response.objects.count() == 2
    other = Respondent(survey, address="198.51.100.8")
    other.start()
    other.answer(feel_safe_day="very_safe")
    while "Check your answers" not in other.last.content.decode():
        other.answer()
    assert other.send().status_code == 200


def test_honeypot_stores_nothing(survey) -> None:
    from alliance.web.surveys.models import Response

    r = Respondent(survey)
    r.start()
    r.answer(feel_safe_day="very_safe")
    assert r.send(website="http://spam.example").status_code == 200
    assert Response.objects.count() == 0


def test_closed_and_missing_pages_are_styled(consultation, survey) -> None:
    from datetime import timedelta

    from django.test import Client
    from django.utils import timezone

    consultation.closes_at = timezone.now() - timedelta(minutes=1)
    consultation.save()
    response = Client().get(f"/have-your-say/s/{survey.slug}/")
    assert response.status_code == 410
    assert "This consultation has closed" in response.content.decode()
    assert "Childline" in response.content.decode()


def test_404_is_styled(db, settings) -> None:
    from django.test import Client

    settings.DEBUG = False
    response = Client().get("/have-your-say/c/no-such-thing/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Page not found" in page and "govuk-header" in page


def test_no_answer_is_taken_once_results_are_published(consultation, survey) -> None:
    """Even a form already on a resident's screen (and the survey in the few-seconds copy)."""
    from alliance.web.surveys.models import Response

    r = Respondent(survey)
    r.start()
    r.answer(feel_safe_day="very_safe")
    consultation.phase = "published"
    consultation.save()
    response = r.send()
    assert response.status_code == 410
    assert Response.objects.count() == 0
