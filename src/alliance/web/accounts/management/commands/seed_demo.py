from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from alliance.web.accounts.demo import seed_demo
from alliance.web.accounts.models import SecondPartnershipError


class Command(BaseCommand):
    help = ("Create the demo Northamptonshire partnership in an empty store and print a demo "
            "sign-in (a store with a partnership is left as it is).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--password", default=None,
                            help="password for every demo member (default: a random one)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            self.stdout.write(seed_demo(password=options["password"]).describe())
        except SecondPartnershipError as refusal:
            raise CommandError(str(refusal)) from None
