"""Issue 12 item 9: running the demo (or serving) again never undoes administrators' decisions."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from alliance.web.accounts.demo import seed_demo
from alliance.web.accounts.models import Membership, Partnership
from alliance.web.audit.models import AuditEvent
from tests.web.workspace.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def _sign_in(email: str, password: str) -> int:
    return Client().post("/accounts/sign-in/", {"email": email, "password": password}).status_code


def test_the_demo_is_marked_and_its_creation_audited(demo) -> None:
    assert Partnership.objects.get().is_demo
    event = AuditEvent.objects.get(action="partnership_created")
    assert event.target == demo.partnership and event.detail["demo"] is True


def test_seeding_again_keeps_every_decision(client_as, demo) -> None:
    admin = client_as("administrator")
    analyst = Membership.objects.get(user__email=demo.emails["analyst"])
    viewer = Membership.objects.get(user__email=demo.emails["board_viewer"])
    assert admin.post(f"/accounts/members/{analyst.pk}/role/",
                      {"role": "board_viewer"}).status_code == 302
    assert admin.post(f"/accounts/members/{viewer.pk}/deactivate/").status_code == 302
    lead = get_user_model().objects.get(email=demo.emails["partner_lead"])
    lead.set_password("the-lead-chose-this-one")
    lead.save()
    last_event = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()

    again = seed_demo()
    assert not again.created and again.password is None
    assert "password printed when the demo was created" in again.describe()

    analyst.refresh_from_db()
    assert analyst.role == "board_viewer"
    assert not get_user_model().objects.get(email=demo.emails["board_viewer"]).is_active
    assert _sign_in(demo.emails["board_viewer"], DEMO_PASSWORD) == 400
    assert _sign_in(demo.emails["partner_lead"], DEMO_PASSWORD) == 400
    assert _sign_in(demo.emails["partner_lead"], "the-lead-chose-this-one") == 302
    # nothing was changed, so nothing new is in the audit trail but the sign-ins just made
    assert not AuditEvent.objects.filter(pk__gt=last_event).exclude(
        action__in=["sign_in", "sign_in_failed"]).exists()
    assert Membership.objects.count() == 5 and Partnership.objects.count() == 1


def test_alliance_demo_seeds_an_empty_store_only_once(capsys) -> None:
    from alliance.cli.main import _demo_partnership

    _demo_partnership()
    first = capsys.readouterr().out
    assert "Sign in with any of these e-mail addresses and the password " in first
    password = first.split("and the password ", 1)[1].split()[0]
    assert _sign_in("admin@demo.alliance.test", password) == 302
    _demo_partnership()
    second = capsys.readouterr().out
    assert password not in second and "printed when the demo was created" in second
    assert Partnership.objects.count() == 1


def test_alliance_demo_leaves_a_real_partnership_alone(capsys) -> None:
    from alliance.cli.main import _demo_partnership
    from alliance.web.accounts.founding import create_partnership

    create_partnership(name="Real", area_code="E23000022", organisation="Police",
                       organisation_kind="police", admin_email="chief@police.test")
    _demo_partnership()
    assert "the demo never touches a real partnership" in capsys.readouterr().out
    assert list(Partnership.objects.values_list("name", flat=True)) == ["Real"]
    assert not get_user_model().objects.filter(email__endswith="@demo.alliance.test").exists()


def test_alliance_demo_publishes_the_sna_it_wrote_as_its_administrator(capsys, tmp_path) -> None:
    """`alliance demo` writes the SNA, then publishes it as the demo administrator would, so the
    public pages have an assessment; a draft is never published."""
    from alliance.cli.main import _demo_partnership
    from alliance.web.audit.models import AuditEvent
    from alliance.web.reports.models import SnaBuild
    from alliance.web.reports.publishing import SUMMARY_FILE, published_build

    def build(period: str, *, draft: bool) -> SnaBuild:
        return SnaBuild.objects.create(
            area_code="E23000022", area_name="Northamptonshire", period=period, draft=draft,
            status=SnaBuild.Status.DONE, origin=SnaBuild.Origin.COMMAND_LINE,
            started_by_name="alliance demo", output_folder=str(tmp_path),
            files=["index.html", SUMMARY_FILE])

    year = build("2025", draft=False)
    build("2025-01", draft=True)  # newer, but a draft
    _demo_partnership()
    assert f"Published SNA build {year.pk} (2025)" in capsys.readouterr().out
    shown = published_build("E23000022")
    assert shown is not None and shown.pk == year.pk
    assert shown.published_by is not None
    assert shown.published_by.email == "admin@demo.alliance.test"
    assert AuditEvent.objects.filter(action="sna_published",
                                     target=f"SNA build {year.pk}").count() == 1
    _demo_partnership()  # the demo is already there: nothing is published again
    assert "Published" not in capsys.readouterr().out
    assert AuditEvent.objects.filter(action="sna_published").count() == 1
