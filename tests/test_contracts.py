"""The architecture is a checked rule, not a convention: import-linter contracts."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_core_never_imports_django_and_data_flows_one_way():
    exe = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")
    r = subprocess.run([exe], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "0 broken" in r.stdout


def test_every_setting_is_documented():
    from alliance.config import SETTINGS

    doc = (ROOT / "docs" / "settings.md").read_text()
    missing = [s.name for s in SETTINGS if f"`{s.name}`" not in doc]
    assert not missing, f"undocumented settings: {missing}"


def test_every_cli_command_is_in_the_readme():
    from typer.main import get_command

    from alliance.cli.main import app

    readme = (ROOT / "README.md").read_text()
    group = get_command(app)
    names = []
    for name, cmd in group.commands.items():  # type: ignore[attr-defined]
        subs = getattr(cmd, "commands", None)
        names += [f"alliance {name} {s}" for s in subs] if subs else [f"alliance {name}"]
    missing = [n for n in names if n not in readme and n.rsplit(" ", 1)[0] + " " not in readme]
    assert not missing, f"commands missing from README: {missing}"
