from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from alliance.web.accounts.demo import seed_demo


class Command(BaseCommand):
    help = "Create the demo Northamptonshire partnership and print a demo sign-in."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--password", default=None,
                            help="password for every demo member (default: a random one)")

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(seed_demo(password=options["password"]).describe())
