"""The workspace fixtures (demo partnership, a client per role, the browser) reused here."""

from tests.web.workspace.conftest import _fast_hashing, client_as, client_for, demo  # noqa: F401
from tests.web.workspace.test_browser import browser_page, geography_snapshot  # noqa: F401
