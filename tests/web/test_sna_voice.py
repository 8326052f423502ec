"""The SNA's community voice chapter is built from the partnership's statement conversations."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import require_shared

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_a_real_conversation_reaches_the_community_voice_chapter(tmp_path: Path, reference):
    from alliance.voice.opinion import analyse, read_polis_export
    from alliance.web.accounts.demo import seed_demo
    from alliance.web.accounts.models import Partnership
    from alliance.web.conversations.models import Conversation
    from alliance.web.conversations.polis_transfer import import_conversation
    from alliance.web.pool import services
    from alliance.web.reports.services import build_sna

    street = require_shared("policeuk", "street", "northamptonshire")
    services.load_police_uk(sorted(street.glob("2025-0*-street.csv.gz")), reference_dir=reference)
    seed_demo(password="a-long-demo-password-1")
    partnership = Partnership.objects.get()
    folder = require_shared("polis", "london.youth.policing")
    conv = import_conversation(read_polis_export(folder), partnership=partnership,
                               title="Youth and policing", user=None, source=folder.name)
    assert isinstance(conv, Conversation)
    out = build_sna("E23000022", tmp_path / "sna", period="2025-01:2025-06", pdf=False)
    table = pd.read_csv(tmp_path / "sna" / "data" / "t14-2-voice.csv")
    row = table.iloc[0]
    assert row["Conversation"] == "Youth and policing"
    direct = analyse(read_polis_export(folder).votes,
                     moderated_out=read_polis_export(folder).moderated_out)
    assert row["Opinion groups (sizes)"].startswith(f"{direct.k} (")
    html = (tmp_path / "sna" / "index.html").read_text()
    assert "Pol.is method" in html and "Data request: community voice" not in html
    assert out.report is not None
