"""Start Django for the CLI and scripts (the shell's single entry point)."""

from __future__ import annotations

import os


def django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance.web.settings")
    import django

    django.setup()
