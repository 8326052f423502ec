"""A store holds one partnership (docs/adr/0002): every path that could add a second refuses.

The model, the ORM's bulk insert, raw SQL, the demo seed, the set-up service, the management
command and the migration that brings an older store up to date are each tried.
"""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction

from alliance.web.accounts.demo import DEMO_PARTNERSHIP, seed_demo
from alliance.web.accounts.founding import create_partnership
from alliance.web.accounts.models import Partnership, SecondPartnershipError
from alliance.web.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

SECOND = {"name": "Elsewhere Violence Reduction Unit", "area_code": "E23000001"}


def _only_the_first() -> None:
    assert list(Partnership.objects.values_list("name", flat=True)) == [DEMO_PARTNERSHIP]


def test_the_model_refuses_a_second_with_what_to_do(demo) -> None:
    with pytest.raises(SecondPartnershipError, match=r"a store holds one partnership.*"
                                                     r"ALLIANCE_HOME to a new folder"):
        Partnership.objects.create(**SECOND)
    with pytest.raises(SecondPartnershipError):
        Partnership(**SECOND).save()
    with pytest.raises(SecondPartnershipError):
        Partnership.objects.get_or_create(name=SECOND["name"], defaults=SECOND)
    _only_the_first()


def test_the_database_refuses_a_second_past_the_model(demo) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Partnership.objects.bulk_create([Partnership(**SECOND)])
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("INSERT INTO accounts_partnership (name, area_code, store, is_demo) "
                       "VALUES (%s, %s, 1, false)", [SECOND["name"], SECOND["area_code"]])
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        # a different store value is refused by the check constraint
        cursor.execute("INSERT INTO accounts_partnership (name, area_code, store, is_demo) "
                       "VALUES (%s, %s, 2, false)", [SECOND["name"], SECOND["area_code"]])
    _only_the_first()


def test_the_set_up_command_refuses_a_second_and_changes_nothing(demo) -> None:
    before = AuditEvent.objects.count()
    with pytest.raises(SecondPartnershipError, match="already holds the demo partnership"):
        create_partnership(name=SECOND["name"], area_code=SECOND["area_code"],
                           organisation="Elsewhere Police", organisation_kind="police",
                           admin_email="chief@elsewhere.test")
    _only_the_first()
    assert AuditEvent.objects.count() == before


def test_the_demo_never_joins_a_real_partnership() -> None:
    founded = create_partnership(name="Real Partnership", area_code="E23000022",
                                 organisation="Northamptonshire Police",
                                 organisation_kind="police", admin_email="chief@police.test")
    with pytest.raises(SecondPartnershipError, match="the demo never touches a real"):
        seed_demo(password="a-long-demo-password")
    with pytest.raises(CommandError, match="the demo never touches a real"):
        call_command("seed_demo", password="a-long-demo-password")
    assert list(Partnership.objects.all()) == [founded.partnership]
    assert not Partnership.objects.get().is_demo


class _Names:
    def __init__(self, names: list[str]) -> None:
        self.names = names

    def order_by(self, *fields: str) -> _Names:
        return self

    def values_list(self, *fields: str, flat: bool = False) -> list[str]:
        return self.names


class _Apps:
    def __init__(self, names: list[str]) -> None:
        self.model = type("Partnership", (), {"objects": _Names(names)})

    def get_model(self, app: str, name: str) -> object:
        return self.model


def test_the_migration_refuses_a_store_that_already_holds_several() -> None:
    from importlib import import_module

    step = import_module("alliance.web.accounts.migrations.0003_one_partnership_per_store")
    step.refuse_several(_Apps(["One"]), None)  # one is fine
    with pytest.raises(RuntimeError, match=r"holds 2 partnerships \(One, Two\).*move each"):
        step.refuse_several(_Apps(["One", "Two"]), None)


def test_the_migration_marks_an_earlier_demo_and_nothing_else(demo) -> None:
    from importlib import import_module

    from django.apps import apps

    step = import_module("alliance.web.accounts.migrations.0003_one_partnership_per_store")
    Partnership.objects.update(is_demo=False)
    step.mark_the_demo(apps, None)
    assert Partnership.objects.get().is_demo
    # a partnership with a real member is not the demo, whatever its name
    from alliance.web.accounts.models import Membership

    Partnership.objects.update(is_demo=False)
    m = Membership.objects.select_related("user").first()
    m.user.email = "real.person@police.test"
    m.user.save()
    step.mark_the_demo(apps, None)
    assert not Partnership.objects.get().is_demo
