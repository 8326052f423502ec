"""Task tests reuse the workspace fixtures: the demo partnership and signed-in clients."""

from tests.web.workspace.conftest import (  # noqa: F401  (fixtures)
    _fast_hashing,
    client_as,
    demo,
    one_month,
)
