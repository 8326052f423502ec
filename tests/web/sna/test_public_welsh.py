"""Every public page in Welsh (/cy/…) has no English left on it (checked over the rendered
text, proper names allowed), its language switch leads back to the same page in English,
and the compiled catalogue is the one its .po file makes."""

from __future__ import annotations

import ast
import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import Client

from tests.conftest import IN_CI
from tests.web.public.welsh import english_left, visible_text, without_names
from tests.web.sna.test_public_pages import partnership, publish  # noqa: F401  (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
PO = Path(__file__).parents[3] / "src/alliance/web/public/locale/cy/LC_MESSAGES/django.po"
#: names of things, not English words: the service's, programs', laws' and products' names
PROPER = ["Alliance", "police.uk", "JAWS", "NVDA", "VoiceOver", "AbilityNet", "axe-core",
          "WCAG", "PDF", "AA", "GIG"]


def catalogue() -> list[str]:
    """The English text (msgids) of the Welsh catalogue, placeholders cut out."""
    ids, current = [], None
    for line in PO.read_text(encoding="utf-8").splitlines():
        if line.startswith("msgid "):
            current = ast.literal_eval(line[6:])
        elif line.startswith('"') and current is not None:
            current += ast.literal_eval(line)
        elif line.startswith("msgstr ") and current:
            ids.append(current)
            current = None
    parts = []
    for msgid in ids:
        parts += [p.strip() for p in __import__("re").split(r"%\([a-z_]+\)s|<[^>]+>", msgid)]
    return [p for p in parts if p]


def _names() -> list[str]:
    from alliance.web.accounts.models import Partnership
    from alliance.web.pool.publication import publication

    names = [*PROPER, *(p.name for p in Partnership.objects.all())]
    try:
        geo = publication(Partnership.objects.get().area_code).cube.geography
    except Exception:  # no figures yet: only the partnership's name is on the page
        return names
    names.append(geo.name)
    # the wards that name places in the assessment's summary (the ONS best-fit ward names)
    from alliance.web.reports.services import _lsoa_table

    wards = _lsoa_table(tuple(geo.lsoa.index))[0]["ward_name"]
    names += [str(v) for v in wards.dropna().unique()]
    for column in ("name", "csp_name", "lad_name", "ward_name"):
        if column in geo.lsoa.columns:
            names += [str(v) for v in geo.lsoa[column].dropna().unique()]
    return names


PAGES = ["/cy/our-area/", "/cy/our-area/?period=2025-03", "/cy/our-area/assessment/",
         "/cy/accessibility/", "/cy/our-area/you-said/"]


def test_no_english_is_left_on_a_welsh_page(built, partnership, client: Client  # noqa: F811
                                            ) -> None:
    publish(built["dir"])
    names, words = _names(), catalogue()
    assert len(words) > 80
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert '<html lang="cy"' in page, url
        assert english_left(page, names=names, catalogue=words) == [], url
        # the names took out only names: the page's Welsh is still there to check
        left = " ".join(without_names(visible_text(page), names).split())
        assert "Mae niferoedd bach yn gudd fel na ellir adnabod neb." in left, url
        # the checker can fail: the same page in English is full of English
        english = client.get(url.removeprefix("/cy")).content.decode()
        assert len(english_left(english, names=names, catalogue=words)) > 5, url
    page = client.get("/cy/our-area/").content.decode()
    assert "Trais yn Northamptonshire" in visible_text(page)
    assert 'href="/our-area/"' in page and 'hreflang="en"' in page


def test_the_assessment_summary_is_in_welsh(built, partnership, client: Client  # noqa: F811
                                            ) -> None:
    """The summary page on /cy/ is the build's Welsh summary: no 'not yet in Welsh' notice,
    no English outside the names, and the same numbers as the English page (written once)."""
    import json
    import re
    from html import unescape

    build = publish(built["dir"])
    assert "data/summary.cy.json" in build.files and "summary.cy.pdf" in build.files
    page = client.get("/cy/our-area/assessment/").content.decode()
    text = visible_text(page)
    assert "nid yw ar gael yn Gymraeg eto" not in text
    for heading in ("Crynodeb gweithredol", "Prif ganfyddiadau", "Argymhellion",
                    "Mesurau canlyniad craidd", "Llais y gymuned",
                    "Cyfradd fesul 1,000 o drigolion y flwyddyn", "Cyfwng hyder 95%"):
        assert heading in text, heading
    names, words = _names(), catalogue()
    assert english_left(page, names=names, catalogue=words) == []
    # nothing of the real build's summary is left in English (no partnership text is written)
    assert 'lang="en"' not in page.split("<main", 1)[1]
    # the same figures in both languages: every number of the English summary is on the Welsh
    english = client.get("/our-area/assessment/").content.decode()
    number = re.compile(r"[−+]?\d[\d,]*(?:\.\d+)?%?")  # a minus sign is U+2212

    def main_text(html: str) -> str:
        return unescape(re.sub(r"<[^>]+>", " ", html.split("<main", 1)[1]))

    en_numbers = number.findall(main_text(english))
    cy_numbers = number.findall(main_text(page))
    assert set(en_numbers) == set(cy_numbers) and len(en_numbers) > 20
    welsh = json.loads((built["dir"] / "data" / "summary.cy.json").read_text())
    table = welsh["sections"][0]["blocks"][0]
    assert table["columns"] == ["Mesur", "Ffigur", "Cyfwng hyder 95%", "Mewn geiriau"]
    # the PDF in Welsh
    pdf = client.get("/cy/our-area/assessment.pdf")
    assert pdf.status_code == 200 and "-cy.pdf" in pdf["Content-Disposition"]
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_an_older_build_without_welsh_keeps_the_notice(built, partnership,  # noqa: F811
                                                       client: Client) -> None:
    build = publish(built["dir"])
    build.files = [f for f in build.files if ".cy." not in f]
    build.save(update_fields=["files"])
    page = client.get("/cy/our-area/assessment/").content.decode()
    assert "nid yw ar gael yn Gymraeg eto" in visible_text(page)
    assert '<div lang="en">' in page and "Executive summary" in page
    pdf = client.get("/cy/our-area/assessment.pdf")
    assert pdf.status_code == 200 and "-cy.pdf" not in pdf["Content-Disposition"]


def test_the_language_switch_keeps_the_choice(built, partnership, client: Client  # noqa: F811
                                              ) -> None:
    page = client.get("/our-area/", {"period": "2025-03"}).content.decode()
    assert 'href="/cy/our-area/?period=2025-03"' in page
    assert "Mawrth 2025" in visible_text(client.get("/cy/our-area/?period=2025-03")
                                         .content.decode())


def test_staff_pages_stay_english(client: Client, db) -> None:
    page = client.get("/accounts/sign-in/", HTTP_ACCEPT_LANGUAGE="cy").content.decode()
    assert '<html lang="en-GB"' in page and "Sign in" in page
    assert client.get("/cy/accounts/sign-in/").status_code == 404


def test_the_compiled_catalogue_is_up_to_date(tmp_path: Path) -> None:
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        if IN_CI:
            pytest.fail("msgfmt (Debian: gettext) missing in CI")
        pytest.skip("msgfmt is not installed (Debian: gettext)")
    fresh = tmp_path / "django.mo"
    subprocess.run([msgfmt, "--check", "-o", str(fresh), str(PO)], check=True)
    assert fresh.read_bytes() == PO.with_suffix(".mo").read_bytes(), "run scripts/messages"
