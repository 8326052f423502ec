"""`alliance voice analyse` on a real Pol.is conversation export."""

import json

from typer.testing import CliRunner

from alliance.cli.main import app
from tests.conftest import require_shared


def test_analyse_a_real_conversation(tmp_path):
    folder = require_shared("polis", "scoop-hivemind.biodiversity")
    r = CliRunner().invoke(app, ["voice", "analyse", str(folder), "--json",
                                 "--out", str(tmp_path)])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["k"] >= 2
    assert data["consensus"]
    assert (tmp_path / "repness.csv").exists() and (tmp_path / "groups.csv").exists()


def test_a_missing_export_is_refused(tmp_path):
    r = CliRunner().invoke(app, ["voice", "analyse", str(tmp_path / "nope")])
    assert r.exit_code == 1
    assert "error" in r.output
