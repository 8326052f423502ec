"""The workspace fixtures (demo partnership, a client per role, two police.uk months)."""

from tests.web.workspace.conftest import _fast_hashing, client_as, demo, one_month  # noqa: F401
