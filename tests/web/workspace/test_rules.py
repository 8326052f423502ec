"""Permissions as a matrix: every role x every view x data sensitivity."""

from __future__ import annotations

import pytest

from alliance.web.accounts.models import Role
from alliance.web.accounts.rules import RULES, SENSITIVITIES, can, may_see, role_can
from tests.web.workspace.conftest import force_login_verified

ROLES = [str(r) for r in Role.values]

#: who may see each sensitivity, written out by hand (the rules module must agree)
EXPECTED_SENSITIVITY = {
    "open": set(ROLES),
    "partnership": set(ROLES),
    "restricted": {"administrator", "analyst"},
}

#: (url, rule, sensitivity): every page, with the rule that guards it
VIEWS = [
    ("/dashboard/", "view_dashboard", "partnership"),
    ("/dashboard/?figures=unsuppressed", "view_record_level", "restricted"),
    ("/dashboard/trend.csv", "export_aggregates", "partnership"),
    ("/sna/", "view_dashboard", "partnership"),
    ("/sna/texts/", "view_dashboard", "partnership"),
    ("/sna/texts/add/recommendation/", "write_sna", "partnership"),
    ("/sna/texts/{text}/edit/", "write_sna", "partnership"),
    ("/sna/texts/{text}/history/", "view_dashboard", "partnership"),
    ("/sna/texts/{text}/remove/", "write_sna", "partnership"),
    ("/dashboard/lsoa.csv?figures=unsuppressed", "view_record_level", "restricted"),
    ("/data/batches/", "view_batches", "partnership"),
    ("/data/upload/", "upload_data", "partnership"),
    ("/agreements/", "view_agreements", "partnership"),
    ("/agreements/add/", "manage_agreements", "partnership"),
    ("/accounts/members/", "manage_members", "partnership"),
    ("/accounts/members/{member}/deactivate/", "manage_members", "partnership"),
    ("/accounts/invite/", "invite_members", "partnership"),
    ("/accounts/invitations/sent/", "invite_members", "partnership"),
    ("/accounts/invitations/{invitation}/withdraw/", "invite_members", "partnership"),
    ("/audit/", "view_audit", "restricted"),
    ("/audit/export.csv", "view_audit", "restricted"),
    ("/themes/", "view_dashboard", "partnership"),
    ("/themes/upload/", "analyse_themes", "partnership"),
    # events, the strategy, actions, communications, directory, board (object-level rows and
    # the changes are in tests/web/strategy/test_permissions.py)
    ("/events/", "view_strategy", "partnership"),
    ("/events/new/", "record_events", "partnership"),
    ("/strategy/", "view_strategy", "partnership"),
    ("/strategy/new/", "manage_strategy", "partnership"),
    ("/actions/", "view_strategy", "partnership"),
    ("/actions/new/", "assign_actions", "partnership"),
    ("/actions/partners/", "view_strategy", "partnership"),
    ("/comms/", "view_strategy", "partnership"),
    ("/comms/activity/add/", "manage_comms", "partnership"),
    ("/directory/", "view_strategy", "partnership"),
    ("/directory/add/", "manage_directory", "partnership"),
    ("/board/", "view_strategy", "partnership"),
    ("/monitoring/", "view_strategy", "partnership"),
]

#: (url, rule, form data, audit action): every view that changes something, by POST; the
#: targets are filled in by the ``targets`` fixture
ACTIONS = [
    ("/accounts/members/{member}/role/", "manage_members", {"role": "analyst"},
     "permission_change"),
    ("/accounts/members/{member}/deactivate/", "manage_members", {}, "permission_change"),
    ("/accounts/members/{inactive}/reactivate/", "manage_members", {}, "permission_change"),
    ("/accounts/members/{member}/unlock/", "manage_members", {}, "account_unlocked"),
    ("/accounts/members/{member}/reset-two-factor/", "manage_members", {}, "two_factor_reset"),
    ("/accounts/invitations/{invitation}/resend/", "invite_members", {}, "invite_resent"),
    ("/accounts/invitations/{invitation}/withdraw/", "invite_members", {}, "invite_revoked"),
    ("/sna/texts/{text}/remove/", "write_sna", {}, "sna_text"),
]


@pytest.fixture
def targets(demo) -> dict[str, int]:
    """Ids for the member and invitation views: the board viewer's membership (locked out from
    one outside address, so there is something to unlock), a deactivated member, and a pending
    invitation."""
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from alliance.web.accounts.lockout import ACCOUNT_FROM_ADDRESS, record_attempt
    from alliance.web.accounts.models import Invitation, Membership
    from alliance.web.reports.models import SnaText

    board = Membership.objects.get(user__email=demo.emails["board_viewer"])
    for _ in range(ACCOUNT_FROM_ADDRESS.limit):
        record_attempt(board.user.email, "203.0.113.9", succeeded=False)
    gone = get_user_model().objects.create_user("left@x.test", "left@x.test", "pw",
                                                is_active=False)
    inactive = Membership.objects.create(user=gone, partnership=board.partnership,
                                         organisation=board.organisation, role="analyst")
    invitation = Invitation.objects.create(
        email="invited@x.test", partnership=board.partnership, organisation=board.organisation,
        role="analyst", token_sha256="e" * 64, expires_at=timezone.now() + timedelta(days=3))
    text = SnaText.objects.create(partnership=board.partnership, area_code="E23000022",
                                  kind="finding", text="Violence is concentrated.",
                                  cites="f-concentration", fingerprint="0" * 64)
    return {"member": board.pk, "inactive": inactive.pk, "invitation": invitation.pk,
            "text": text.pk}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("sensitivity", SENSITIVITIES)
def test_sensitivity_matrix(role: str, sensitivity: str) -> None:
    assert role_can(role, {"open": "view_dashboard", "partnership": "view_dashboard",
                           "restricted": "view_record_level"}[sensitivity]) == (
        role in EXPECTED_SENSITIVITY[sensitivity])


def test_open_data_is_for_everyone_and_nothing_else_is() -> None:
    from django.contrib.auth.models import AnonymousUser

    assert may_see(AnonymousUser(), "open")
    assert not may_see(AnonymousUser(), "partnership")
    assert not may_see(AnonymousUser(), "restricted")


def test_unknown_rule_is_an_error_not_a_refusal() -> None:
    with pytest.raises(KeyError, match="no permission rule named 'view_recordlevel'"):
        role_can("administrator", "view_recordlevel")


def test_only_analysts_and_administrators_touch_record_level_data() -> None:
    for rule in ("view_record_level", "build_sna", "analyse_themes", "act_for_partnership",
                 "write_sna", "manage_strategy", "assign_actions", "build_monitoring"):
        assert RULES[rule] == {"administrator", "analyst"}
    # rolling back shows no records: whoever may load data may roll back their own (the object
    # check is test_ownership_matrix)
    assert RULES["rollback_batch"] == RULES["upload_data"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("url", "rule", "sensitivity"), VIEWS)
def test_view_matrix(client_as, targets, role: str, url: str, rule: str,
                     sensitivity: str) -> None:
    """Each view answers 200 to a role its rule allows and 403 to every other role."""
    c = client_as(role)
    response = c.get(url.format(**targets))
    allowed = role_can(role, rule) and (role in EXPECTED_SENSITIVITY[sensitivity]
                                        or sensitivity != "restricted")
    if allowed:
        # the CSV needs data and answers 400 on an empty pool: still past the permission check
        assert response.status_code in (200, 400), (role, url, response.status_code)
    else:
        assert response.status_code == 403, (role, url, response.status_code)


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "rule", "sensitivity"), VIEWS)
def test_anonymous_is_sent_to_sign_in(client, targets, url: str, rule: str,
                                      sensitivity: str) -> None:
    response = client.get(url.format(**targets))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/sign-in/")


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("url", "rule", "data", "action"), ACTIONS)
def test_action_matrix(client_as, targets, role: str, url: str, rule: str,
                       data: dict[str, str], action: str) -> None:
    """Each change is made (and audited) for a role its rule allows; every other role gets 403
    and nothing is changed or recorded as done."""
    from alliance.web.audit.models import AuditEvent

    response = client_as(role).post(url.format(**targets), data)
    done = AuditEvent.objects.filter(action=action).exists()
    if role_can(role, rule):
        assert (response.status_code, done) == (302, True), (role, url, response.status_code)
    else:
        assert (response.status_code, done) == (403, False), (role, url, response.status_code)
        assert AuditEvent.objects.filter(action="refused", detail__rule=rule).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "rule", "data", "action"), ACTIONS)
def test_anonymous_changes_nothing(client, targets, url: str, rule: str,
                                   data: dict[str, str], action: str) -> None:
    from alliance.web.audit.models import AuditEvent

    response = client.post(url.format(**targets), data)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/sign-in/")
    assert not AuditEvent.objects.filter(action=action).exists()


@pytest.mark.parametrize("namespace", ["accounts", "audit"])
def test_every_guarded_view_is_in_the_matrix(namespace: str) -> None:
    """A new members or audit view cannot be added without a row in VIEWS or ACTIONS.

    (Limited to these two apps: the other apps' pages are listed here as their own tests
    cover them.)
    """
    from django.urls import get_resolver, resolve

    ids = {"member": 1, "inactive": 2, "invitation": 3, "text": 4}
    covered = {resolve(url.format(**ids).split("?")[0]).func for url, *_ in [*VIEWS, *ACTIONS]}
    resolver = get_resolver().namespace_dict[namespace][1]
    guarded = {p.callback for p in resolver.url_patterns
               if hasattr(p, "callback") and hasattr(p.callback, "alliance_rule")}
    assert guarded, namespace
    missing = sorted(v.__name__ for v in guarded - covered)
    assert not missing, f"views without a row in the permission matrix: {missing}"


def test_every_sna_text_view_is_in_the_matrix() -> None:
    """The pages where the partnership writes its SNA summary, findings and recommendations."""
    from django.urls import get_resolver, resolve

    from alliance.web.reports import text_views

    ids = {"member": 1, "inactive": 2, "invitation": 3, "text": 4}
    covered = {resolve(url.format(**ids).split("?")[0]).func for url, *_ in [*VIEWS, *ACTIONS]}
    resolver = get_resolver().namespace_dict["reports"][1]
    mine = {p.callback for p in resolver.url_patterns
            if getattr(p.callback, "__module__", "") == text_views.__name__}
    assert len(mine) == 5
    missing = sorted(v.__name__ for v in mine - covered)
    assert not missing, f"SNA text views without a row in the permission matrix: {missing}"


@pytest.mark.django_db
def test_inactive_or_memberless_users_can_do_nothing(demo) -> None:
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(email=demo.emails["administrator"])
    user.is_active = False
    assert not any(can(user, rule) for rule in RULES)
    loner = get_user_model().objects.create_user("x@example.org", "x@example.org", "pw")
    assert not any(can(loner, rule) for rule in RULES)


# --- the agreements register: object-level rows (renewal is for the owner's partner lead) ---

#: (url, rule, roles that get the page): ``{ours}`` is owned by the partner lead's council, with
#: the police as the other party; ``{core}`` is the demo's police-owned agreement. Written out
#: by hand: the object checks may only narrow what the rule allows.
AGREEMENT_VIEWS = [
    ("/agreements/{ours}/", "view_agreements", set(ROLES)),
    ("/agreements/{ours}/edit/", "manage_agreements", {"administrator"}),
    ("/agreements/{ours}/renew/", "renew_agreements", {"administrator", "partner_lead"}),
    ("/agreements/{ours}/documents/add/", "renew_agreements",
     {"administrator", "partner_lead"}),
    ("/agreements/{core}/renew/", "renew_agreements", {"administrator"}),
    ("/agreements/{core}/documents/add/", "renew_agreements", {"administrator"}),
    # documents: administrators and members of the parties (police, council)
    ("/agreements/documents/{document}/", "view_agreements",
     {"administrator", "analyst", "partner_lead"}),
]


@pytest.fixture
def agreement_targets(demo) -> dict[str, int]:
    from datetime import date, timedelta

    from alliance.web.accounts.models import Organisation
    from alliance.web.partnerships.models import Agreement, AgreementDocument

    council = Organisation.objects.get(name="West Northamptonshire Council")
    police = Organisation.objects.get(name="Northamptonshire Police")
    ours = Agreement.objects.create(
        partnership=council.partnership, title="Council data", purpose="p",
        legal_basis="public_task", datasets=["education"],
        start_date=date.today() - timedelta(days=30), review_date=date.today(),
        expiry_date=date.today() + timedelta(days=30), owner=council,
        renewal_contact="c@x.test")
    ours.parties.set([council, police])
    doc = AgreementDocument.objects.create(agreement=ours, kind="isa", name="isa.pdf",
                                           content_type="application/pdf", content=b"%PDF-1.4")
    core = Agreement.objects.get(owner=police)
    return {"ours": ours.pk, "core": core.pk, "document": doc.pk}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("url", "rule", "roles"), AGREEMENT_VIEWS)
def test_agreement_view_matrix(client_as, agreement_targets, role: str, url: str, rule: str,
                               roles: set[str]) -> None:
    assert roles <= RULES[rule], (url, rule)
    response = client_as(role).get(url.format(**agreement_targets))
    assert response.status_code == (200 if role in roles else 403), (role, url)


def _agreement_posts(targets: dict[str, int]) -> list[tuple[str, set[str], dict[str, object]]]:
    """(url, roles allowed, form): one valid POST for each agreement view that changes things
    (renewal last: it makes ``ours`` an earlier, read-only version)."""
    from datetime import date, timedelta

    from django.core.files.uploadedfile import SimpleUploadedFile

    from alliance.web.partnerships.models import Agreement

    ours = Agreement.objects.get(pk=targets["ours"])
    today = date.today()
    return [
        (f"/agreements/{ours.pk}/edit/", {"administrator"}, {
            "title": "Council data (edited)", "parties": [p.pk for p in ours.parties.all()],
            "purpose": "p", "legal_basis": "public_task", "datasets": ["education"],
            "start_date": ours.start_date.isoformat(), "review_date": today.isoformat(),
            "expiry_date": ours.expiry_date.isoformat(), "owner": ours.owner_id,
            "renewal_contact": "c@x.test"}),
        (f"/agreements/{ours.pk}/documents/add/", {"administrator", "partner_lead"}, {
            "document_kind": "dpia",
            "document": SimpleUploadedFile("dpia.pdf", b"%PDF-1.7 dpia\n%%EOF\n")}),
        (f"/agreements/{ours.pk}/renew/", {"administrator", "partner_lead"}, {
            "start_date": today.isoformat(),
            "review_date": (today + timedelta(days=100)).isoformat(),
            "expiry_date": (today + timedelta(days=365)).isoformat(), "document_kind": "isa"}),
        (f"/agreements/{targets['core']}/renew/", {"administrator"}, {
            "start_date": today.isoformat(),
            "review_date": (today + timedelta(days=100)).isoformat(),
            "expiry_date": (today + timedelta(days=900)).isoformat(), "document_kind": "isa"}),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_agreement_action_matrix(client_as, agreement_targets, role: str) -> None:
    """Each change is made and audited for the roles allowed; the others get 403, nothing
    changes and the refusal is audited."""
    from alliance.web.audit.models import AuditEvent
    from alliance.web.partnerships.models import AgreementChange

    for url, roles, data in _agreement_posts(agreement_targets):
        before = (AgreementChange.objects.count(),
                  AuditEvent.objects.filter(action="agreement_change").count())
        response = client_as(role).post(url, data)
        after = (AgreementChange.objects.count(),
                 AuditEvent.objects.filter(action="agreement_change").count())
        if role in roles:
            assert response.status_code == 302, (role, url, response.content[:2000])
            assert after[0] > before[0] and after[1] == before[1] + 1, (role, url)
        else:
            assert response.status_code == 403, (role, url)
            assert after == before, (role, url)
            assert AuditEvent.objects.filter(action="refused", target=url).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "rule", "roles"), AGREEMENT_VIEWS)
def test_anonymous_sees_no_agreement(client, agreement_targets, url: str, rule: str,
                                     roles: set[str]) -> None:
    response = client.get(url.format(**agreement_targets))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/sign-in/")


def test_every_agreement_view_is_in_the_matrix() -> None:
    from django.urls import get_resolver, resolve

    covered = {resolve(url.format(ours=1, core=2, document=3)).func
               for url, *_ in [*VIEWS, *AGREEMENT_VIEWS] if url.startswith("/agreements/")}
    resolver = get_resolver().namespace_dict["partnerships"][1]
    guarded = {p.callback for p in resolver.url_patterns if hasattr(p.callback, "alliance_rule")}
    missing = sorted(v.__name__ for v in guarded - covered)
    assert guarded and not missing, f"agreement views without a matrix row: {missing}"


# --- data ownership: whose data each member may load, replace or roll back -----------------

#: (organisation, role, police.uk street crime (the police's: they own the demo's core
#: agreement), A&E data (the NHS's agreement), data no agreement covers (the partnership's)).
#: Written out by hand: analysts and administrators act for the partnership wherever they sit.
POLICE, COUNCIL = "Northamptonshire Police", "West Northamptonshire Council"
ICB = "NHS Northamptonshire Integrated Care Board"
OWNERSHIP = [
    (POLICE, "administrator", True, True, True),
    (POLICE, "analyst", True, True, True),
    (COUNCIL, "analyst", True, True, True),
    (POLICE, "partner_lead", True, False, False),
    (COUNCIL, "partner_lead", False, False, False),
    (ICB, "partner_lead", False, True, False),
    (ICB, "board_viewer", False, False, False),
    (POLICE, "board_viewer", False, False, False),
    (POLICE, "moderator", False, False, False),
]


def _member(organisation: str, role: str):
    from django.contrib.auth import get_user_model

    from alliance.web.accounts.models import Membership, Organisation

    org = Organisation.objects.get(name=organisation)
    user = get_user_model().objects.create_user(f"{role}.{org.pk}@x.test",
                                                f"{role}.{org.pk}@x.test", "pw")
    Membership.objects.create(user=user, partnership=org.partnership, organisation=org,
                              role=role)
    return get_user_model().objects.get(pk=user.pk)


@pytest.mark.django_db
@pytest.mark.parametrize(("organisation", "role", "police", "nhs", "partnership"), OWNERSHIP)
def test_ownership_matrix(demo, organisation: str, role: str, police: bool, nhs: bool,
                          partnership: bool) -> None:
    from alliance.web.pool.ownership import may_change, owner_of

    user = _member(organisation, role)
    for rule in ("upload_data", "rollback_batch"):
        assert may_change(user, owner_of("police_uk_street"), rule=rule) is police, rule
        assert may_change(user, owner_of("istv_ae"), rule=rule) is nhs, rule
        assert may_change(user, owner_of("partner_survey"), rule=rule) is partnership, rule
    assert may_change(None, owner_of("police_uk_street"))  # the command line acts for all


@pytest.mark.django_db
@pytest.mark.parametrize(("organisation", "role", "police", "nhs", "partnership"), OWNERSHIP)
def test_rollback_page_matrix(demo, organisation: str, role: str, police: bool, nhs: bool,
                              partnership: bool) -> None:
    """The rollback page (which asks first) opens for whoever may roll the batch back; the
    others get 403 and nothing changes."""
    from django.test import Client

    from alliance.web.pool.models import ImportBatch, SourceFile

    batch = ImportBatch.objects.create(kind="incidents", source="police_uk", status="active")
    SourceFile.objects.create(batch=batch, name="f.csv", kind="street", sha256="0" * 64)
    user = _member(organisation, role)
    c = Client()
    force_login_verified(c, user)
    assert c.get(f"/data/batches/{batch.pk}/rollback/").status_code == (200 if police else 403)
    r = c.post(f"/data/batches/{batch.pk}/rollback/", {"confirm": "yes"})
    batch.refresh_from_db()
    assert (r.status_code, batch.status) == ((302, "rolled_back") if police
                                             else (403, "active"))


@pytest.mark.django_db
def test_expired_agreements_stop_loading_whoever_asks(demo) -> None:
    """An expired agreement stops its data for everyone, whatever their role or organisation:
    the message names who can renew it (the demo's A&E agreement has expired)."""
    from alliance.web.pool.ownership import OwnershipError, check_usable

    with pytest.raises(OwnershipError, match=f"{ICB} can renew it"):
        check_usable(["istv_ae"])
    check_usable(["police_uk_street", "partner_survey"])
