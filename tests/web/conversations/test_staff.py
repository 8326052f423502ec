"""Staff pages: the permission matrix, creating, moderating, results, export and import."""

from __future__ import annotations

import io
import zipfile

import pandas as pd
import pytest

from alliance.voice.opinion import analyse, read_polis_export
from alliance.voice.screening import clean
from alliance.web.audit.models import AuditEvent
from alliance.web.conversations.models import Conversation, Statement, StatementEdit
from alliance.web.conversations.staff_views import PAGE_RULES
from tests.conftest import require_shared

pytestmark = pytest.mark.django_db

ROLES = ("administrator", "analyst", "partner_lead", "board_viewer", "moderator")
#: page -> roles that may open it (from accounts/rules.py)
EXPECTED = {
    "list": set(ROLES), "results": set(ROLES), "themes": set(ROLES),
    "create": {"administrator", "moderator"}, "moderate": {"administrator", "moderator"},
    "export": {"administrator", "analyst"}, "import": {"administrator", "analyst",
                                                       "partner_lead"},
    "safeguarding": {"administrator"},
}


def _page_url(page: str, conversation: Conversation) -> str:
    pk = conversation.pk
    return {"list": "/conversations/", "create": "/conversations/new/",
            "import": "/conversations/import/", "moderate": f"/conversations/{pk}/",
            "results": f"/conversations/{pk}/results/",
            "themes": f"/conversations/{pk}/themes/",
            "export": f"/conversations/{pk}/export.zip",
            "safeguarding": "/conversations/safeguarding/"}[page]


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(client_as, conversation, role) -> None:
    c = client_as(role)
    for page, allowed in EXPECTED.items():
        status = c.get(_page_url(page, conversation)).status_code
        assert status == (200 if role in allowed else 403), (page, role, status)


def test_every_staff_page_is_in_the_matrix() -> None:
    assert set(EXPECTED) <= set(PAGE_RULES) and set(PAGE_RULES) - set(EXPECTED) == {"status"}


def test_signed_out_users_are_sent_to_sign_in(client, conversation) -> None:
    for page in EXPECTED:
        r = client.get(_page_url(page, conversation))
        assert r.status_code == 302 and "/accounts/sign-in" in r["Location"]


def test_create_with_seed_statements(client_as) -> None:
    c = client_as("moderator")
    r = c.post("/conversations/new/", {
        "title": "Night-time economy", "question": "How can town centres be safer at night?",
        "mode": "open", "youth_mode": "", "allow_statements": "on",
        "seed_statements": "More taxi marshals\n\n  Better lighting on the high street  \n"})
    assert r.status_code == 302
    conversation = Conversation.objects.get(title="Night-time economy")
    assert conversation.mode == "open" and conversation.status == "draft"
    assert list(conversation.statements.values_list("text", "state")) == [
        ("More taxi marshals", "accepted"), ("Better lighting on the high street", "accepted")]
    r = c.post(f"/conversations/{conversation.pk}/status/", {"status": "open"})
    conversation.refresh_from_db()
    assert conversation.status == "open"


def test_moderation_by_several_moderators_is_logged(client_as, participant_client,
                                                    conversation) -> None:
    participant_client.post(f"/have-your-say/{conversation.slug}/add/",
                            {"text": "My name is Jordan and the park is unsafe"})
    participant_client.post(f"/have-your-say/{conversation.slug}/add/",
                            {"text": "Buy followers cheap at our site now"})
    participant_client.post(f"/have-your-say/{conversation.slug}/add/",
                            {"text": "How many people have voted so far?"})
    named, spam, meta = Statement.objects.filter(author_participant__isnull=False)
    assert named.flagged == "a person's name"
    moderator, admin = client_as("moderator"), client_as("administrator")
    r = moderator.get(f"/conversations/{conversation.pk}/")
    assert b"May contain a person&#x27;s name" in r.content
    moderator.post(f"/conversations/{conversation.pk}/", {
        "statement": named.pk, "state": "accepted", "reason": "name removed",
        "text": "The park is unsafe"})
    r = admin.post(f"/conversations/{conversation.pk}/", {"statement": spam.pk,
                                                          "state": "rejected", "reason": ""})
    spam.refresh_from_db()
    assert spam.state == "pending"  # a rejection needs a reason
    admin.post(f"/conversations/{conversation.pk}/", {"statement": spam.pk, "state": "rejected",
                                                      "reason": "advertising"})
    admin.post(f"/conversations/{conversation.pk}/", {"statement": meta.pk, "state": "meta",
                                                      "reason": "about the process"})
    named.refresh_from_db()
    spam.refresh_from_db()
    assert (named.text, named.state, named.flagged) == ("The park is unsafe", "accepted", "")
    assert named.moderated_by.membership.role == "moderator"
    assert spam.state == "rejected" and spam.reason == "advertising"
    assert spam.moderated_by.membership.role == "administrator"
    edit = StatementEdit.objects.get(statement=named)
    assert edit.old_text.startswith("My name is Jordan") and edit.new_text == "The park is unsafe"
    assert StatementEdit.objects.count() == 3
    log = moderator.get(f"/conversations/{conversation.pk}/").content.decode()
    assert "advertising" in log and "now “The park is unsafe”" in log


@pytest.fixture
def london(client_as, demo):
    """london.youth.policing imported through the import page, as a zip of its CSVs."""
    folder = require_shared("polis", "london.youth.policing")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in ("comments.csv", "votes.csv", "participants-votes.csv", "summary.csv"):
            archive.write(folder / name, f"london/{name}")
    buffer.seek(0)
    buffer.name = "london.zip"
    c = client_as("analyst")
    r = c.post("/conversations/import/", {"title": "London youth policing", "files": buffer})
    assert r.status_code == 302, r.content[:2000]
    return Conversation.objects.get(title="London youth policing"), folder, c


def test_import_keeps_statements_votes_and_moderation(london) -> None:
    """Reference: the conversation's own Polis export in shared/data/polis."""
    conversation, folder, _ = london
    polis = read_polis_export(folder)
    assert conversation.statements.count() == len(polis.comments)
    rejected = set(conversation.statements.filter(state__in=["rejected", "meta"])
                   .values_list("number", flat=True))
    assert rejected == set(polis.moderated_out)
    latest = polis.votes.sort_values("timestamp", kind="stable").drop_duplicates(
        ["participant_id", "statement_id"], keep="last")
    from alliance.web.conversations.models import Vote
    assert Vote.objects.filter(statement__conversation=conversation).count() == len(latest)
    assert AuditEvent.objects.filter(action="upload").exists()


def _accepted_votes(polis, conversation):
    accepted = set(conversation.statements.filter(state="accepted").values_list("number",
                                                                               flat=True))
    votes = polis.votes.sort_values("timestamp", kind="stable").drop_duplicates(
        ["participant_id", "statement_id"], keep="last")
    return votes[votes["statement_id"].isin(accepted)], accepted


def test_results_on_a_real_conversation(london) -> None:
    """The page shows what alliance.voice.opinion.analyse finds on the votes on accepted
    statements; consensus only where five people besides the author voted."""
    conversation, folder, c = london
    r = c.get(f"/conversations/{conversation.pk}/results/")
    assert r.status_code == 200
    polis = read_polis_export(folder)
    votes, accepted = _accepted_votes(polis, conversation)
    expected = analyse(votes[["participant_id", "statement_id", "vote"]], seed=0)
    assert r.context["k"] == expected.k
    sizes = expected.groups.value_counts()
    for g in r.context["groups"]:
        assert g.size == (sizes[g.group] if sizes[g.group] >= 5 else "[c]")
    texts = dict(zip(polis.comments["statement_id"], polis.comments["body"], strict=True))
    shown = {row["text"] for g in r.context["groups"] for row in g.repness}
    assert shown <= {texts[t] for t in accepted}
    author = dict(zip(polis.comments["statement_id"], polis.comments["author_id"], strict=True))
    others = votes[votes["participant_id"] != votes["statement_id"].map(author)]
    eligible = set(others.groupby("statement_id").size().loc[lambda n: n >= 5].index)
    consensus = {texts[t] for t in expected.consensus["statement_id"] if t in eligible}
    assert {row["text"] for row in r.context["consensus"]} == consensus
    html = r.content.decode()
    assert '<svg role="img"' in html and "Opinion groups" in html and "What unites them" in html
    assert 'x=""' not in html and 'cx=""' not in html  # every mark has coordinates
    drawn = sum(1 for g in r.context["groups"] for _ in g.points)
    assert html.count("<circle") + html.count('width="6" height="6"') == drawn


def test_small_groups_are_suppressed(london, settings) -> None:
    conversation, _, _client = london
    from alliance.web.conversations import results, services

    analysis = services.run_analysis(conversation).analysis
    sizes = analysis.groups.value_counts()
    built = results.build(analysis, services.accepted_texts(conversation),
                          services.consensus_eligible(conversation))
    for g in built["groups"]:
        if sizes[g.group] < built["threshold"]:
            assert g.size == "[c]" and g.points == [] and g.repness == []
        else:
            assert g.size == sizes[g.group] and len(g.points) == sizes[g.group]


def test_export_round_trip(london, tmp_path) -> None:
    """Export (write_polis_export) and read back (read_polis_export): the same latest votes."""
    conversation, folder, c = london
    r = c.get(f"/conversations/{conversation.pk}/export.zip")
    assert r.status_code == 200 and r["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(r.content)) as archive:
        names = set(archive.namelist())
        assert {"comments.csv", "votes.csv", "participants-votes.csv"} <= names
        archive.extractall(tmp_path)
    back = read_polis_export(tmp_path)
    original = read_polis_export(folder)
    latest, accepted = _accepted_votes(original, conversation)
    key = ["participant_id", "statement_id"]
    pd.testing.assert_frame_equal(
        back.votes[[*key, "vote"]].sort_values(key).reset_index(drop=True),
        latest[[*key, "vote"]].sort_values(key).reset_index(drop=True), check_dtype=False)
    # only accepted statements leave: nothing moderated out, no rejected text
    assert set(back.moderated_out) == set()
    assert set(back.comments["statement_id"]) == accepted
    assert dict(zip(back.comments["statement_id"], back.comments["body"], strict=True)) == {
        t: clean(b) for t, b in zip(original.comments["statement_id"],
                                    original.comments["body"], strict=True) if t in accepted}
    assert AuditEvent.objects.filter(action="export").exists()
    # and it imports again as a new conversation
    with open(tmp_path / "comments.csv", "rb") as comments, \
            open(tmp_path / "participants-votes.csv", "rb") as matrix:
        r = c.post("/conversations/import/", {"title": "Again", "files": [comments, matrix]})
    assert r.status_code == 302
    again = Conversation.objects.get(title="Again")
    assert again.statements.count() == len(accepted)


def test_malformed_import_names_the_file(client_as, tmp_path) -> None:
    bad = tmp_path / "comments.csv"
    bad.write_text("comment-id,comment-body\n1,hello\n")
    c = client_as("analyst")
    with open(bad, "rb") as handle:
        r = c.post("/conversations/import/", {"title": "Bad", "files": handle})
    assert r.status_code == 400 and b"comments.csv" in r.content
    assert not Conversation.objects.filter(title="Bad").exists()
    r = c.post("/conversations/import/", {"title": "Bad"})
    assert r.status_code == 400


def test_too_few_votes_says_so(client_as, conversation) -> None:
    r = client_as("board_viewer").get(f"/conversations/{conversation.pk}/results/")
    assert r.status_code == 200 and b"Nobody has voted on an accepted statement yet" in r.content


def test_themes_on_request(london) -> None:
    """Themes of the accepted statements of a real conversation are found and kept as a
    theme set (alliance.web.themes; its own tests cover the theme pages)."""
    from alliance.web.themes.models import ThemeSet
    from alliance.web.themes.store import load_result

    conversation, _, c = london
    assert not c.get(f"/conversations/{conversation.pk}/themes/").context["theme_sets"]
    r = c.post(f"/conversations/{conversation.pk}/themes/")
    theme_set = ThemeSet.objects.get(conversation=conversation)
    assert r.status_code == 302 and r["Location"] == f"/themes/{theme_set.pk}/"
    themes = load_result(theme_set).themes
    print("\n".join(f"{t.label}: {t.n_texts} ({'; '.join(t.quotes[:1])})" for t in themes))
    assert len(themes) >= 2
    accepted = set(conversation.statements.filter(state="accepted").values_list("text",
                                                                               flat=True))
    assert {q for t in themes for q in t.quotes} <= accepted
    assert list(c.get(f"/conversations/{conversation.pk}/themes/").context["theme_sets"]) == [
        theme_set]


def test_a_broken_zip_is_refused(client_as, tmp_path) -> None:
    bad = tmp_path / "export.zip"
    bad.write_bytes(b"not a zip")
    with open(bad, "rb") as handle:
        r = client_as("analyst").post("/conversations/import/", {"title": "Bad", "files": handle})
    assert r.status_code == 400 and b"export.zip: not a readable zip file" in r.content
    assert AuditEvent.objects.filter(action="upload_rejected").exists()


def test_a_zip_with_a_bad_crc_names_the_member(client_as, tmp_path) -> None:
    """A damaged Polis zip used to give a 500: the CRC error now names the file inside."""
    folder = require_shared("polis", "london.youth.policing")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for name in ("comments.csv", "participants-votes.csv"):
            archive.write(folder / name, name)
    data = bytearray(buffer.getvalue())
    data[200] ^= 0x01  # inside comments.csv: its CRC no longer matches
    upload = io.BytesIO(bytes(data))
    upload.name = "london.zip"
    r = client_as("analyst").post("/conversations/import/", {"title": "Bad", "files": upload})
    assert r.status_code == 400
    assert "london.zip!comments.csv: damaged inside the zip" in r.content.decode()
    assert not Conversation.objects.filter(title="Bad").exists()
