"""Theme pages: who may see and do what, suppression, the edit forms, downloads, the task."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client

from alliance.web.audit.models import AuditEvent
from alliance.web.themes.models import ThemeEdit, ThemeSet
from alliance.web.themes.store import load_result
from alliance.web.themes.views import PAGE_RULES

pytestmark = pytest.mark.django_db

ROLES = ("administrator", "analyst", "partner_lead", "board_viewer", "moderator")
DATA_ROLES = {"administrator", "analyst"}
#: page -> roles that may open it (written out by hand; accounts/rules.py must agree)
EXPECTED = {"list": set(ROLES), "detail": set(ROLES), "themes_csv": set(ROLES),
            "upload": DATA_ROLES, "texts": DATA_ROLES, "assignments_csv": DATA_ROLES}


def _url(page: str, pk: int) -> str:
    return {"list": "/themes/", "upload": "/themes/upload/", "detail": f"/themes/{pk}/",
            "texts": f"/themes/{pk}/texts/", "themes_csv": f"/themes/{pk}/themes.csv",
            "assignments_csv": f"/themes/{pk}/assignments.csv"}[page]


def test_every_page_is_in_the_matrix() -> None:
    assert set(PAGE_RULES) - set(EXPECTED) == {"edit", "sna"}


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(client_as, theme_set, role) -> None:
    c = client_as(role)
    for page, allowed in EXPECTED.items():
        status = c.get(_url(page, theme_set.pk)).status_code
        assert status == (200 if role in allowed else 403), (page, role, status)
    first = load_result(theme_set).theme_ids[0]
    r = c.post(f"/themes/{theme_set.pk}/edit/rename/",
               {"rename-version": 0, "rename-theme": first, "rename-label": "By " + role})
    assert r.status_code == (302 if role in DATA_ROLES else 403)
    r = c.post(f"/conversations/{theme_set.conversation_id}/themes/")
    assert r.status_code == (302 if role in DATA_ROLES else 403)


def test_signed_out_users_are_sent_to_sign_in(client, theme_set) -> None:
    for page in EXPECTED:
        r = client.get(_url(page, theme_set.pk))
        assert r.status_code == 302 and "/accounts/sign-in" in r["Location"]


def test_small_counts_are_suppressed_for_roles_without_record_level_access(
        client_as, theme_set, monkeypatch) -> None:
    monkeypatch.setenv("ALLIANCE_SUPPRESSION_THRESHOLD", "11")
    result = load_result(theme_set)
    small = [t for t in result.themes if t.n_texts < 11]
    large = [t for t in result.themes if t.n_texts >= 11]
    assert small and large
    viewer = client_as("board_viewer").get(f"/themes/{theme_set.pk}/").content.decode()
    analyst = client_as("analyst").get(f"/themes/{theme_set.pk}/").content.decode()
    for t in small:
        assert f"(theme {t.theme}: [c] texts)" in viewer
        assert f"(theme {t.theme}: {t.n_texts} texts)" in analyst
        assert f"“{t.quotes[0]}”" not in viewer and f"“{t.quotes[0]}”" in analyst
    for t in large:
        assert f"(theme {t.theme}: {t.n_texts} texts)" in viewer
    assert AuditEvent.objects.filter(action="view_restricted",
                                     target=f"theme set {theme_set.pk}").count() == 1

    rows = list(csv.DictReader(io.StringIO(client_as("board_viewer").get(
        f"/themes/{theme_set.pk}/themes.csv").content.decode())))
    by_theme = {int(r["theme"]): r for r in rows}
    for t in small:
        assert by_theme[t.theme]["texts"] == "[c]" and by_theme[t.theme]["quote_1"] == ""
    exact = list(csv.DictReader(io.StringIO(client_as("analyst").get(
        f"/themes/{theme_set.pk}/themes.csv").content.decode())))
    assert [int(r["texts"]) for r in exact] == [t.n_texts for t in result.themes]
    assignments = client_as("analyst").get(f"/themes/{theme_set.pk}/assignments.csv")
    table = list(csv.DictReader(io.StringIO(assignments.content.decode())))
    assert len(table) == int(result.membership.sum())
    assert {r["text"] for r in table} == set(result.texts)
    exports = AuditEvent.objects.filter(action="export", target=f"theme set {theme_set.pk}")
    assert sorted(e.detail["format"] for e in exports) == [
        "assignments-csv", "themes-csv", "themes-csv"]


def test_edits_through_the_forms_follow_counts_and_are_logged(client_as, theme_set) -> None:
    c = client_as("analyst")
    base = f"/themes/{theme_set.pk}"
    result = load_result(theme_set)
    first, second, third = result.theme_ids[:3]
    r = c.post(f"{base}/edit/rename/", {"rename-version": 0, "rename-theme": first,
                                        "rename-label": "Trust in the police"}, follow=True)
    assert "Trust in the police" in r.content.decode()
    r = c.post(f"{base}/edit/merge/", {"merge-version": 1, "merge-keep": second,
                                       "merge-into_it": third}, follow=True)
    merged = load_result(ThemeSet.objects.get(pk=theme_set.pk))
    assert third not in merged.theme_ids
    assert f"(theme {second}: {merged.theme(second).n_texts} texts)" in r.content.decode()
    r = c.post(f"{base}/edit/split/", {"split-version": 2, "split-theme": first, "split-n": 2})
    assert r.status_code == 302
    text_id = merged.ids[-1]
    r = c.post(f"{base}/edit/recode/", {"recode-version": 3, "recode-text_id": text_id,
                                        "recode-own": second, "recode-also": [], "back": "texts"})
    assert r["Location"] == f"{base}/texts/"
    final = load_result(ThemeSet.objects.get(pk=theme_set.pk))
    assert final.themes_of(text_id) == (second,)
    page = c.get(f"{base}/").content.decode()
    assert "“Trust in the police” (" in page and ") split into “" in page
    assert f"Text {text_id} moved from" in page
    assert list(ThemeEdit.objects.values_list("kind", flat=True)) == [
        "rename", "merge", "split", "recode"]
    assert AuditEvent.objects.filter(action="theme_edit").count() == 4

    # a form from before these edits changes nothing
    r = c.post(f"{base}/edit/rename/", {"rename-version": 0, "rename-theme": second,
                                        "rename-label": "Stale"}, follow=True)
    assert "someone else changed" in r.content.decode()
    labels = [t.label for t in load_result(ThemeSet.objects.get(pk=theme_set.pk)).themes]
    assert "Stale" not in labels


def test_forms_need_the_csrf_token(demo, theme_set) -> None:
    from django.contrib.auth import get_user_model

    from tests.web.workspace.conftest import force_login_verified

    c = Client(enforce_csrf_checks=True)
    force_login_verified(c, get_user_model().objects.get(email=demo.emails["analyst"]))
    r = c.post(f"/themes/{theme_set.pk}/edit/rename/",
               {"rename-version": 0, "rename-theme": 0, "rename-label": "x"})
    assert r.status_code == 403
    assert not ThemeEdit.objects.exists()


def _upload(c: Client, name: str, data: bytes, **fields: str):  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    return c.post("/themes/upload/", {"title": "Youth survey", "source": "survey",
                                      "include_in_sna": "on", **fields,
                                      "file": SimpleUploadedFile(name, data)})


def test_upload_a_csv_column_of_real_answers(client_as) -> None:
    from tests.conftest import require_shared

    data = (require_shared("polis", "london.youth.policing") / "comments.csv").read_bytes()
    r = _upload(client_as("analyst"), "comments.csv", data, column="comment-body")
    assert r.status_code == 302, r.content.decode()[:2000]
    made = ThemeSet.objects.get()
    assert (made.status, made.source, made.texts.count()) == ("ready", "survey", 39)
    assert made.source_name == "comments.csv (column comment-body)"
    assert AuditEvent.objects.filter(action="upload", target=f"theme set {made.pk}").exists()


@pytest.mark.parametrize(("name", "data", "column", "message"), [
    ("answers.csv", b"id,answer\n1,fine\n2,ok,extra\n", "answer",
     "answers.csv, line 3: 3 fields where the header has 2"),
    ("answers.csv", b"id,answer\n1,fine\n", "", "choose the column that holds the free text"),
    ("answers.csv", b"id,answer\n1,fine\n", "answr", "answers.csv, line 1: no column"),
    ("notes.txt", "caf\u00e9\n".encode("latin-1"), "", "notes.txt, line 1: not UTF-8"),
    ("notes.txt", b"\n\n", "", "notes.txt: no text found"),
    ("notes.txt", b"one\ntwo\nthree\n", "", "there are 3 texts; finding themes needs at least 5"),
    ("notes.xlsx", b"PK\x03\x04", "", "upload a .csv file"),
])
def test_bad_uploads_are_refused_and_change_nothing(client_as, name, data, column,
                                                    message) -> None:
    r = _upload(client_as("analyst"), name, data, column=column)
    assert r.status_code == 400
    assert message in r.content.decode()
    assert not ThemeSet.objects.exists()
    assert AuditEvent.objects.filter(action="upload_rejected").count() == 1


def test_a_huge_upload_is_refused(client_as, monkeypatch) -> None:
    from alliance.voice.themes import reading
    from alliance.web.themes import views

    monkeypatch.setattr(views, "MAX_BYTES", 1024)
    monkeypatch.setattr(reading, "MAX_BYTES", 1024)
    r = _upload(client_as("analyst"), "big.txt", b"a long line of text\n" * 100)
    assert r.status_code == 400 and "the limit is" in r.content.decode()
    assert not ThemeSet.objects.exists()


def test_themes_are_found_by_a_worker_when_tasks_are_queued(client_as, london,
                                                            settings) -> None:
    from alliance.web.tasks.models import Task
    from alliance.web.tasks.services import work

    settings.ALLIANCE_TASKS_INLINE = False
    c = client_as("analyst")
    r = c.post(f"/conversations/{london.pk}/themes/")
    made = ThemeSet.objects.get()
    assert r["Location"] == f"/themes/{made.pk}/"
    assert made.status == "pending" and made.task.kind == "find_themes"
    page = c.get(r["Location"]).content.decode()
    assert "Finding themes" in page and 'http-equiv="refresh"' in page
    assert work(once=True) == 1
    made.refresh_from_db()
    assert made.status == "ready" and Task.objects.get().status == "done"
    page = c.get(f"/themes/{made.pk}/").content.decode()
    assert "36 texts in" in page and 'http-equiv="refresh"' not in page
    listing = c.get(f"/conversations/{london.pk}/themes/").content.decode()
    assert f'href="/themes/{made.pk}/"' in listing


def test_a_wrong_edit_form_says_why_and_changes_nothing(client_as, theme_set) -> None:
    first = load_result(theme_set).theme_ids[0]
    r = client_as("analyst").post(
        f"/themes/{theme_set.pk}/edit/merge/",
        {"merge-version": 0, "merge-keep": first, "merge-into_it": first}, follow=True)
    assert "Nothing was changed" in r.content.decode()
    assert "Choose two different themes" in r.content.decode()
    r = client_as("analyst").post(f"/themes/{theme_set.pk}/edit/delete-everything/", {})
    assert r.status_code == 302 and ThemeSet.objects.get(pk=theme_set.pk).version == 0
    assert not ThemeEdit.objects.exists()


def test_uploaded_themes_can_be_left_out_of_the_sna(client_as) -> None:
    from tests.conftest import require_shared

    data = (require_shared("polis", "london.youth.policing") / "comments.csv").read_bytes()
    _upload(client_as("analyst"), "comments.csv", data, column="comment-body")
    made = ThemeSet.objects.get()
    assert made.include_in_sna
    assert client_as("board_viewer").post(f"/themes/{made.pk}/sna/",
                                          {"include": "0"}).status_code == 403
    r = client_as("analyst").post(f"/themes/{made.pk}/sna/", {"include": "0"}, follow=True)
    assert "left out of the SNA" in r.content.decode()
    made.refresh_from_db()
    assert not made.include_in_sna


def test_rejected_and_referred_texts_are_withheld_from_readers_who_do_not_moderate(
        client_as, theme_set) -> None:
    """A statement rejected after its themes were found keeps its place in the theme set,
    but only a moderating role (administrator here) still reads its text."""
    from alliance.web.conversations import services as conversations
    from alliance.web.conversations.models import Statement
    from alliance.web.themes.services import WITHHELD

    statement = Statement.objects.get(pk=theme_set.texts.first().statement_id)
    conversations.moderate(statement, state="rejected", reason="names a person", user=None)
    analyst = client_as("analyst")
    page = analyst.get(f"/themes/{theme_set.pk}/texts/").content.decode()
    assert statement.text not in page and WITHHELD in page
    csv = analyst.get(f"/themes/{theme_set.pk}/assignments.csv").content.decode()
    assert statement.text not in csv and WITHHELD in csv
    page = client_as("administrator").get(f"/themes/{theme_set.pk}/texts/").content.decode()
    assert statement.text in page


ANSWERS = (b"The park is dark at night\nMore youth clubs please\nBuses after ten\n"
           b"my mum's boyfriend hits me when he drinks\nSafer crossings near school\n"
           b"Street lights on the estate are broken\n")


def test_uploaded_answers_with_a_safeguarding_concern_go_to_the_lead(client_as, demo) -> None:
    from django.core import mail

    from alliance.web.accounts.models import Partnership
    from alliance.web.conversations.models import SafeguardingContact, SafeguardingReferral

    SafeguardingContact.objects.create(
        partnership=Partnership.objects.get(name=demo.partnership), lead_name="Sam Lead",
        lead_email="lead@example.org", procedure="Ring the lead.")
    r = _upload(client_as("analyst"), "notes.txt", ANSWERS)
    assert r.status_code == 302
    referral = SafeguardingReferral.objects.get()
    assert referral.text.startswith("my mum's boyfriend") and referral.emailed
    assert len(mail.outbox) == 1 and "boyfriend" in mail.outbox[0].body
    assert AuditEvent.objects.filter(action="safeguarding_referral").count() == 1
    made = ThemeSet.objects.get()
    assert "a child may be at risk" in made.texts.get(text_id="4").flagged


def test_without_a_lead_the_uploader_is_told_to_follow_the_procedure(client_as) -> None:
    from alliance.web.conversations.models import SafeguardingReferral

    analyst = client_as("analyst")
    r = _upload(analyst, "notes.txt", ANSWERS)
    assert r.status_code == 302 and not SafeguardingReferral.objects.exists()
    page = analyst.get(r["Location"]).content.decode()
    assert "no safeguarding lead is named" in page


def test_theme_csvs_cannot_run_as_formulas(client_as, theme_set, analyst) -> None:
    """themes.csv and assignments.csv: a label or a resident's text that starts like a formula
    reaches the spreadsheet as text (alliance.privacy.csv_output); counts stay numbers."""

    from alliance.web.themes.present import assignments_csv
    from alliance.web.themes.services import edit

    first = load_result(theme_set).theme_ids[0]
    edit(theme_set, "rename", user=analyst, version=0, theme=first,
         label='=HYPERLINK("http://evil.example","help")')
    rows = list(csv.DictReader(io.StringIO(client_as("analyst").get(
        f"/themes/{theme_set.pk}/themes.csv").content.decode())))
    (renamed,) = [r for r in rows if int(r["theme"]) == first]
    assert renamed["label"] == '\'=HYPERLINK("http://evil.example","help")'
    assert all(r["texts"].isdigit() for r in rows)
    result = load_result(ThemeSet.objects.get(pk=theme_set.pk))
    hostile = ["@SUM(1+1)*cmd|' /C calc'!A0", *result.texts[1:]]
    table = list(csv.DictReader(io.StringIO(assignments_csv(result, hostile))))
    first_text = [r["text"] for r in table if r["text_id"] == str(result.ids[0])]
    assert first_text and all(t.startswith("'@SUM") for t in first_text)
    assert all(float(r["similarity"]) <= 1 for r in table)
