"""Staff journeys: build a consultation from an XLSForm, enter paper answers, import another
tool's CSV (bad rows refused whole), moderate written answers, results, whom we heard, the
map comparison, publish results and read "you said, we did"."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from alliance.voice.surveys import load_definition, write_xlsform
from tests.web.surveys.conftest import Respondent, example

pytestmark = pytest.mark.django_db


def test_build_a_consultation_from_an_xlsform(client_as) -> None:
    from alliance.web.audit.models import AuditEvent
    from alliance.web.consultations.models import Consultation
    from alliance.web.surveys.models import Survey

    staff = client_as("analyst")
    r = staff.post("/consultations/new/", {"title": "Safer parks", "summary": "Parks at night",
                                           "closes_at": "2099-03-31 23:59"})
    assert r.status_code == 302, r.content[:800]
    c = Consultation.objects.get()
    xlsx = write_xlsform(load_definition(example()))
    r = staff.post(f"/consultations/{c.pk}/modules/", {
        "kind": "survey", "title": "Parks survey",
        "definition": SimpleUploadedFile("parks.xlsx", xlsx)})
    assert r.status_code == 302
    survey = Survey.objects.get()
    assert survey.current.source == "xlsform"
    assert [q.id for q in survey.current.parsed().questions][:2] == ["feel_safe_day",
                                                                    "feel_safe_night"]
    r = staff.post(f"/consultations/{c.pk}/phase/", {"phase": "open"})
    c.refresh_from_db()
    assert c.phase == "open"
    assert AuditEvent.objects.filter(action="consultation_changed").count() >= 3
    # an XLSForm outside the subset is refused naming the row and the feature
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "survey"
    sheet.append(["type", "name", "label"])
    sheet.append(["text", "a", "A"])
    sheet.append(["audio", "voice", "Record it"])
    out = io.BytesIO()
    book.save(out)
    r = staff.post(f"/surveys/{survey.pk}/versions/", {
        "definition": SimpleUploadedFile("bad.xlsx", out.getvalue())}, follow=True)
    assert "bad.xlsx, survey row 3 (voice): the question type &#x27;audio&#x27; is not " \
           "supported" in r.content.decode()
    assert survey.versions.count() == 1


def test_paper_form_and_fast_entry(client_as, survey) -> None:
    from alliance.web.surveys.models import Response

    staff = client_as("moderator")
    paper = staff.get(f"/surveys/{survey.pk}/paper/").content.decode()
    assert "Tick one." in paper and "Only answer this if" in paper
    assert "you answered “Very unsafe” to “How safe do you feel in your area after dark?”" \
        in paper
    form = staff.get(f"/surveys/{survey.pk}/entry/").content.decode()
    import re

    key = re.search(r'name="key" value="([^"]+)"', form).group(1)
    data = {"key": key, "channel": "paper", "feel_safe_day": "a_bit_unsafe",
            "unsafe_place-typed": "Market Square", "worries": ["gangs"],
            "priorities": "police lighting", "what_would_help": "More patrols"}
    r = staff.post(f"/surveys/{survey.pk}/entry/", data)
    assert r.status_code == 302
    r = staff.post(f"/surveys/{survey.pk}/entry/", data)  # sent twice: stored once
    stored = Response.objects.get()
    assert stored.channel == "paper" and stored.entered_by is not None
    assert stored.answers["priorities"] == ["police", "lighting"]
    bad = staff.post(f"/surveys/{survey.pk}/entry/", {**data, "key": "another",
                                                      "feel_safe_day": ""})
    assert bad.status_code == 400 and "Choose an answer" in bad.content.decode()
    assert Response.objects.count() == 1


CSV_GOOD = ("_id,feel_safe_day,feel_safe_night,worries,where\n"
            "1,very_safe,Fairly safe,knives drugs,\n"
            "2,A bit unsafe,very_unsafe,gangs,52.24 -0.89\n")


def _import(staff, survey, content: bytes, name: str = "kobo.csv") -> str:
    r = staff.post(f"/surveys/{survey.pk}/import/",
                   {"file": SimpleUploadedFile(name, content), "channel": "import"})
    page = r.content.decode()
    if r.status_code != 200:
        return page
    import html
    import re

    held = html.unescape(re.search(r'name="held" value="([^"]+)"', page).group(1))
    header = content.decode("utf-8", "replace").split("\n")[0].split(",")
    wanted = {"feel_safe_day": "feel_safe_day", "feel_safe_night": "feel_safe_night",
              "worries": "worries", "unsafe_place": "where"}
    mapping = {f"map-{q}": c for q, c in wanted.items() if c in header}
    r = staff.post(f"/surveys/{survey.pk}/import/", {"held": held, "confirm": "1", **mapping},
                   follow=True)
    return r.content.decode()


def test_csv_import_through_a_mapping(client_as, survey) -> None:
    from alliance.web.surveys.models import Pin, Response

    staff = client_as("analyst")
    page = _import(staff, survey, CSV_GOOD.encode())
    assert "Imported 2 responses" in page
    answers = [r.answers for r in Response.objects.order_by("pk")]
    assert answers[0]["feel_safe_night"] == "fairly_safe"  # a label accepted for its value
    assert answers[0]["worries"] == ["knives", "drugs"]
    assert answers[1]["unsafe_place"]["how"] == "map"
    assert Pin.objects.get().lsoa21_code.startswith("E01")  # placed by the pooled geography


@pytest.mark.parametrize(("content", "words"), [
    (CSV_GOOD.replace("very_unsafe", "terrified").encode(),
     "kobo.csv, line 3, column &#x27;feel_safe_night&#x27;: Choose one of the options"),
    (b"_id,feel_safe_day\n1,\n",
     "kobo.csv, line 2, column &#x27;feel_safe_day&#x27;: Choose an answer"),
    (b"_id,feel_safe_night\n1,very_safe\n", "kobo.csv, line 2: feel_safe_day: Choose"),
    ("_id,feel_safe_day\n1,Très sûr\n".encode("latin-1"), "line 2: not UTF-8 text"),
    (b"", "The submitted file is empty"),
    (b"_id,feel_safe_day\n", "kobo.csv: no responses in the file"),
    # hostile files meet the limits every reader applies (alliance.sources.limits)
    (b"_id,feel_safe_day\n1," + b"x" * 10_001 + b"\n",
     "kobo.csv, line 2, field &#x27;feel_safe_day&#x27;: the value is 10,001 characters long"),
    (b"_id,feel_safe_day\n1,\"" + b"y" * 70_000 + b"\"\n",
     "kobo.csv, line 2: the line is longer than 65,536 characters"),
    (b"_id,feel_safe_day\n" + b"1,very_safe\n" * 1_002,
     "kobo.csv, line 1002: more than 1,000 identical rows one after another"),
])
def test_bad_csv_rows_refuse_the_whole_file(client_as, survey, content: bytes,
                                            words: str) -> None:
    from alliance.web.surveys.models import Response

    page = _import(client_as("analyst"), survey, content)
    assert words in page, page[-3000:]
    assert Response.objects.count() == 0


def _respond(survey, n: int, *, address_base: str = "192.0.2.") -> None:
    for k in range(n):
        r = Respondent(survey, address=f"{address_base}{k % 250}")
        r.start()
        r.answer(feel_safe_day=["very_safe", "fairly_safe", "a_bit_unsafe"][k % 3])
        r.answer(feel_safe_night=["very_unsafe", "fairly_safe"][k % 2])
        while "Check your answers" not in r.last.content.decode():
            fields = {}
            page = r.last.content.decode()
            if "What would make you feel safer" in page:
                fields["what_would_help"] = f"Better lighting on route {k}"
            if "Your age" in page:
                fields = {"age_band": ["16_24", "25_44", "45_64", "65_plus"][k % 4],
                          "sex": ["female", "male"][k % 2], "area-area": ""}
            if "Where do you feel unsafe" in page:
                fields = {"unsafe_place__typed": "Kettering"}
            r.answer(**fields)
        assert r.send().status_code == 200


def test_results_whom_we_heard_and_moderation(client_as, survey) -> None:
    from alliance.web.audit.models import AuditEvent
    from alliance.web.surveys.models import Response

    _respond(survey, 24)
    board = client_as("board_viewer")
    page = board.get(f"/surveys/{survey.pk}/results/").content.decode()
    assert "24 responses so far" in page and "[c]" in page
    assert "Show all numbers" not in page  # a board member never sees unsuppressed counts
    analyst = client_as("analyst")
    analyst.get(f"/surveys/{survey.pk}/results/?all=1")
    assert AuditEvent.objects.filter(action="view_restricted").exists()
    csv_text = board.get(f"/surveys/{survey.pk}/results.csv").content.decode()
    assert csv_text.startswith("question,grouping,group,answer,count")
    heard = analyst.get(f"/surveys/{survey.pk}/heard/").content.decode()
    assert "Respondents and residents by age" in heard
    assert "Effective sample size" in heard
    # written answers wait for a moderator
    moderator = client_as("moderator")
    review = moderator.get(f"/surveys/{survey.pk}/review/").content.decode()
    assert "Better lighting on route 0" in review
    first = Response.objects.order_by("pk").first()
    moderator.post(f"/surveys/{survey.pk}/review/", {"response": first.pk,
                                                     "question": "what_would_help",
                                                     "decision": "accepted"})
    first.refresh_from_db()
    assert first.text_review["what_would_help"] == "accepted"


def test_csv_export_cannot_carry_a_formula(client_as, survey) -> None:
    """Labels are staff text and may come from anyone's XLSForm: through the one CSV writer."""
    import csv

    from alliance.web.surveys.services import add_version

    hostile = example()
    first = hostile["questions"][0]
    first["label"] = '=HYPERLINK("http://x","y")'
    first["choices"][0]["label"] = "@SUM(1+1)"
    add_version(survey, hostile, filename="hostile.json", user=None)
    _respond(survey, 6)
    text = client_as("board_viewer").get(f"/surveys/{survey.pk}/results.csv").content.decode()
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:5] == ["question", "grouping", "group", "answer", "count"]
    cells = [cell for row in rows for cell in row]
    assert "'=HYPERLINK(\"http://x\",\"y\")" in cells and "'@SUM(1+1)" in cells
    assert not any(cell[:1] in ("=", "+", "@") for cell in cells)
    assert all(row[4] == "[c]" or row[4].isdigit() for row in rows[1:])  # numbers stay numbers


def test_publish_results_and_you_said_we_did(client_as, consultation, survey) -> None:
    from django.test import Client

    _respond(survey, 6)
    staff = client_as("administrator")
    staff.post(f"/consultations/{consultation.pk}/you-said/", {
        "you_said": "Parks feel unsafe after dark", "theme": "Lighting",
        "we_did": "New lights in three parks by March", "status": "planned"})
    resident = Client()
    assert "Results are not published yet" in resident.get(
        f"/have-your-say/c/{consultation.slug}/results/").content.decode()
    staff.post(f"/consultations/{consultation.pk}/phase/", {"phase": "published"})
    page = resident.get(f"/have-your-say/c/{consultation.slug}/results/").content.decode()
    assert "Parks feel unsafe after dark" in page
    assert "New lights in three parks by March" in page
    assert "Whom we heard" in page and "6 people answered" in page
    # once results are published no response may be added (the tables must not change)
    entry = staff.get(f"/surveys/{survey.pk}/entry/").content.decode()
    assert "no more responses can be added" in entry


def test_public_pages_settings(client_as, consultation) -> None:
    from django.test import Client

    png = (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    r = client_as("administrator").post("/consultations/public-pages/", {
        "public_name": "Safer Northants", "contact_email": "voice@example.gov.uk",
        "privacy_notice_url": "", "privacy_notice": "", "safeguarding": "Call Childline 0800 1111",
        "youth_services": "Youth hub, 01604 000000", "feedback_url": "",
        "phase_banner": "beta", "logo_file": SimpleUploadedFile("logo.png", png)})
    assert r.status_code == 302, r.content[:2000]
    page = Client().get("/have-your-say/").content.decode()
    assert "Safer Northants" in page and "voice@example.gov.uk" in page
    assert "Youth hub" in page
    assert Client().get("/have-your-say/logo").content == png
    r = client_as("analyst").get("/consultations/public-pages/")
    assert r.status_code == 403


def test_a_written_answer_suggesting_risk_goes_to_the_safeguarding_lead(client_as, survey) -> None:
    """The screen flags it, the moderator sees it first and refers it; the text then lives only
    in the referral (e-mailed to the lead) and reaches no output."""
    from alliance.web.audit.models import AuditEvent
    from alliance.web.conversations.models import SafeguardingContact, SafeguardingReferral
    from alliance.web.surveys import services

    version = survey.current
    calm = services.submit(survey, version, {"feel_safe_day": "very_safe",
                                             "what_would_help": "More buses at night"},
                           submission_key=services.new_submission_key()).response
    worried = services.submit(survey, version, {
        "feel_safe_day": "very_unsafe",
        "what_would_help": "my stepdad hits me and I am scared to go home"},
        submission_key=services.new_submission_key()).response
    assert "a child may be at risk" in worried.text_flags["what_would_help"]
    assert not calm.text_flags
    moderator = client_as("moderator")
    page = moderator.get(f"/surveys/{survey.pk}/review/").content.decode()
    assert page.index("scared to go home") < page.index("More buses at night")  # risk first
    assert "Refer it to the safeguarding lead" in page
    form = {"response": worried.pk, "question": "what_would_help", "decision": "referred"}
    refused = moderator.post(f"/surveys/{survey.pk}/review/", form, follow=True)
    assert "was not referred: name the partnership" in refused.content.decode()
    worried.refresh_from_db()
    assert worried.text_review["what_would_help"] == "pending"  # nothing changed
    SafeguardingContact.objects.create(partnership=survey.partnership, lead_name="Sam Lead",
                                       lead_email="safeguarding@example.org",
                                       procedure="Call the lead the same day.")
    moderator.post(f"/surveys/{survey.pk}/review/", form)
    worried.refresh_from_db()
    referral = SafeguardingReferral.objects.get()
    assert referral.text == "my stepdad hits me and I am scared to go home"
    assert "scared" not in worried.answers["what_would_help"]
    assert worried.text_review["what_would_help"] == "referred"
    assert AuditEvent.objects.filter(action="safeguarding_referral").exists()
    assert "scared to go home" not in moderator.get(
        f"/surveys/{survey.pk}/review/").content.decode()
