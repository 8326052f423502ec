"""The workspace's fixtures (the demo partnership, signed-in clients per role), shared here."""

from tests.web.workspace.conftest import (  # noqa: F401  (pytest finds fixtures by name)
    _fast_hashing,
    client_as,
    demo,
    one_month,
)
