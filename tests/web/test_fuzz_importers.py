"""Fuzz every importer and upload with mutated real files: each case must end in a clean load or
a clear message, never a server error (500) or a traceback.

Importers: the police.uk command-line load and web upload, the partner-extract upload (through
its column mapping), partner statistics (``alliance load indicators``), the Polis import, the
free-text (themes) upload and agreement documents. Each starts from a real file (a synthetic
partner extract where no real one is public) and is fed every mutation of :func:`mutations`:
truncations, flipped bytes, other encodings, NUL bytes, huge fields and lines, padded copies,
formula and mark-up cells, HTML, binary garbage, broken headers, zip and gzip bombs and bad
CRCs. Run with ``-s`` to see the counts::

    uv run --frozen pytest tests/web/test_fuzz_importers.py -m slow -s -p no:cacheprovider
"""

from __future__ import annotations

import gzip
import io
import random
import traceback
import zipfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from typer.testing import CliRunner

from tests.conftest import require_shared
from tests.web.workspace.conftest import (  # noqa: F401
    DEMO_PASSWORD,
    _fast_hashing,
    client_as,
    demo,
)

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

SEED = 20261206
LOADED, REFUSED, UNCLEAR, SERVER_ERROR, TRACEBACK = (
    "clean load", "clear message", "no message", "server error (500)", "traceback")
PARTNER_EXTRACT = (
    "Crime Ref,Committed Date,HO Code,Offence Description,Knife Flag,Easting,Northing,Outcome,"
    "Victim Age,Victim Sex\n" + "".join(
        f"NP/24/{i:05d},2024-01-{1 + i % 28:02d} 22:10,8N,Assault with injury,"
        f"{'Y' if i % 3 else 'N'},{475000 + 37 * i},{260000 + 53 * i},Under investigation,"
        f"{17 + i % 40},{'MF'[i % 2]}\n" for i in range(120)))


# --- mutations --------------------------------------------------------------------------------

def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\n")


def _replace_field(data: bytes, line: int, value: bytes) -> bytes:
    lines = _lines(data)
    if len(lines) > line:
        fields = lines[line].split(b",")
        fields[min(len(fields) - 1, 2)] = value
        lines[line] = b",".join(fields)
    return b"\n".join(lines)


def _zip(name: str, data: bytes, *, level: int = 6) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED,
                         compresslevel=level) as archive:
        archive.writestr(name, data)
    return buffer.getvalue()


def _bad_crc(name: str, data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr(name, data)
    out = bytearray(buffer.getvalue())
    out[len(name) + 40] ^= 0x01  # a byte of the member's data: its CRC no longer matches
    return bytes(out)


def mutations(data: bytes, inner: str) -> list[tuple[str, bytes]]:
    """(what, bytes) for every mutation of ``data``; ``inner`` names the file in archives."""
    rng = random.Random(SEED)
    lines = _lines(data)
    header, first = lines[0], (lines[1] if len(lines) > 1 else b"")

    def flipped(n: int) -> bytes:
        out = bytearray(data)
        for _ in range(n):
            at = rng.randrange(len(out))
            out[at] ^= 1 << rng.randrange(8)
        return bytes(out)

    text = data.decode("utf-8", "replace")
    cases = [
        ("original", data),
        ("empty", b""),
        ("header only", header + b"\n"),
        ("truncated at 10%", data[: len(data) // 10]),
        ("truncated at 50%", data[: len(data) // 2]),
        ("truncated at 99%", data[: len(data) * 99 // 100]),
        ("1 byte flipped", flipped(1)),
        ("8 bytes flipped", flipped(8)),
        ("64 bytes flipped", flipped(64)),
        ("UTF-16", text.encode("utf-16")),
        ("cp1252 accents", text.replace("e", "\u00e9", 3).replace("-", "\u2013", 2)
         .encode("cp1252", "replace")),
        ("latin-1 byte", data.replace(b",", b",\xe9", 1)),
        ("NUL bytes", data.replace(b",", b",\x00", 5)),
        ("CR line endings", data.replace(b"\r\n", b"\n").replace(b"\n", b"\r")),
        ("BOM and CRLF", b"\xef\xbb\xbf" + data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")),
        ("200 KB quoted field", _replace_field(data, 1, b'"' + b"z" * 200_000 + b'"')),
        ("1 MB line", header + b"\n" + b"w" * (1 << 20) + b"\n" + b"\n".join(lines[1:])),
        ("multi-line 150 KB field", _replace_field(
            data, 1, b'"' + b"\n".join([b"q" * 1000] * 150) + b'"')),
        ("2,000 copies of a row", b"\n".join([header] + [first] * 2000) + b"\n"),
        ("formula cells", _replace_field(_replace_field(data, 1, b'=HYPERLINK("http://x")'),
                                         2, b"@SUM(1+1)")),
        ("Rich mark-up cells", _replace_field(data, 1, b"[/x] [bold]b[/bold]")),
        ("HTML cells", _replace_field(data, 1, b"<script>alert(1)</script>")),
        ("binary garbage", bytes(rng.randrange(256) for _ in range(4096))),
        ("duplicate column", header + b"," + header.split(b",")[0] + b"\n"
         + b"\n".join(ln + b",x" for ln in lines[1:] if ln) + b"\n"),
        ("missing column", b"\n".join(b",".join(ln.split(b",")[1:]) for ln in lines)),
        ("extra column", b"\n".join(ln + b",extra" for ln in lines if ln) + b"\n"),
        ("long header", b",".join([b"h" * 200] * 400) + b"\n" + b"\n".join(lines[1:])),
        ("zip of 200,000 copies", _zip(inner, b"\n".join([header] + [first] * 200_000), level=9)),
        ("zip with a bad CRC", _bad_crc(inner, data)),
        ("gzip of 200,000 copies", gzip.compress(b"\n".join([header] + [first] * 200_000), 9)),
    ]
    return cases


# --- outcomes ---------------------------------------------------------------------------------

class Tally:
    def __init__(self) -> None:
        self.counts: dict[str, Counter[str]] = {}
        self.failures: list[str] = []
        self.loaded: dict[str, list[str]] = {}

    def add(self, importer: str, case: str, outcome: str, detail: str = "") -> None:
        self.counts.setdefault(importer, Counter())[outcome] += 1
        if outcome == LOADED:
            self.loaded.setdefault(importer, []).append(case)
        if outcome in (UNCLEAR, SERVER_ERROR, TRACEBACK):
            self.failures.append(f"{importer} / {case}: {outcome} {detail[-1500:]}")

    def report(self) -> str:
        kinds = [LOADED, REFUSED, UNCLEAR, SERVER_ERROR, TRACEBACK]
        width = max(len(k) for k in self.counts)
        rows = [f"{'importer':<{width}}  " + "  ".join(f"{k:>18}" for k in kinds)]
        for importer, counter in self.counts.items():
            rows.append(f"{importer:<{width}}  " + "  ".join(f"{counter[k]:>18}" for k in kinds))
        total = sum((c for c in self.counts.values()), Counter())
        rows.append(f"{'all':<{width}}  " + "  ".join(f"{total[k]:>18}" for k in kinds))
        rows += ["", "cases that loaded (or were accepted):"]
        rows += [f"  {importer}: {', '.join(cases)}" for importer, cases in self.loaded.items()]
        return "\n".join(rows)


def web_outcome(call: Callable[[], object]) -> tuple[str, str, object]:
    try:
        response = call()
    except Exception:  # the test client re-raises a view's exception: a 500 in production
        return TRACEBACK, traceback.format_exc(), None
    status = response.status_code  # type: ignore[attr-defined]
    body = response.content.decode("utf-8", "replace")  # type: ignore[attr-defined]
    if status >= 500:
        return SERVER_ERROR, body[:500], response
    if status in (200, 302):
        return LOADED, "", response
    if status == 400 and ("govuk-error-message" in body or "govuk-error-summary" in body):
        return REFUSED, "", response
    return UNCLEAR, f"status {status}: {body[:800]}", response


def cli_outcome(args: list[str]) -> tuple[str, str]:
    from alliance.cli.main import app

    result = CliRunner().invoke(app, args)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        return TRACEBACK, "".join(traceback.format_exception(result.exception))
    if result.exit_code == 0:
        return LOADED, ""
    lines = [ln for ln in result.output.strip().splitlines() if ln.strip()]
    if result.exit_code == 1 and lines and lines[-1].startswith("error:"):
        return REFUSED, ""
    return UNCLEAR, result.output[-800:]


# --- the importers ------------------------------------------------------------------------------

def _signed_in(email: str) -> Client:
    c = Client(raise_request_exception=True)
    assert c.post("/accounts/sign-in/", {"email": email, "password": DEMO_PASSWORD}
                  ).status_code == 302
    return c


def _documents() -> dict[str, bytes]:
    import docx

    buffer = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("Information sharing agreement: A&E assault data (ISTV).")
    document.save(buffer)
    pdf = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages"
           b"/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
    return {"isa.docx": buffer.getvalue(), "dpia.pdf": pdf}


def test_every_importer_ends_in_a_load_or_a_clear_message(
        demo, tmp_path: Path, monkeypatch, settings) -> None:  # noqa: F811 (the fixture)
    import alliance.cli.main as cli

    settings.ALLIANCE_TASKS_INLINE = True
    monkeypatch.setenv("ALLIANCE_PSEUDONYM_KEY", "a-test-key-of-sufficient-length")
    monkeypatch.setattr(cli, "_migrate", lambda quiet=True: None)  # the test database is ready
    tally = Tally()
    analyst = _signed_in(demo.emails["analyst"])
    admin = _signed_in(demo.emails["administrator"])
    street_name = "2025-01-northamptonshire-street.csv"
    street = b"\n".join(gzip.decompress(require_shared(
        "policeuk", "street", "northamptonshire", street_name + ".gz").read_bytes())
        .split(b"\n")[:300]) + b"\n"
    neet = require_shared("partners", "dfe_neet_nccis", "UD_NEETNK_LA_dashboard_final_2025.csv")
    polis = require_shared("polis", "london.youth.policing")
    comments = (polis / "comments.csv").read_bytes()
    matrix = (polis / "participants-votes.csv").read_bytes()

    for case, data in mutations(street, street_name):
        is_zip, is_gz = data[:2] == b"PK", data[:2] == b"\x1f\x8b"
        name = street_name + (".gz" if is_gz else "")
        folder = tmp_path / "cli" / str(abs(hash(case)))
        folder.mkdir(parents=True)
        path = folder / ("2025-01.zip" if is_zip else name)
        path.write_bytes(data)
        outcome, detail = cli_outcome(["load", "police-uk", "--from", str(path), "--yes"])
        tally.add("police.uk: alliance load police-uk", case, outcome, detail)
        upload = SimpleUploadedFile("2025-01.zip" if is_zip else name, data)
        outcome, detail, _ = web_outcome(lambda upload=upload: analyst.post(
            "/data/upload/", {"file": upload}))
        tally.add("police.uk: web upload", case, outcome, detail)
    # the reported 190 MB single field, gzip-compressed
    bomb = io.BytesIO()
    with gzip.GzipFile(fileobj=bomb, mode="wb", compresslevel=9) as gz:
        gz.write(street.split(b"\n")[0] + b"\n,2025-01,")
        for _ in range(190):
            gz.write(b"x" * (1 << 20))
    outcome, detail, _ = web_outcome(lambda: analyst.post("/data/upload/", {
        "file": SimpleUploadedFile(street_name + ".gz", bomb.getvalue())}))
    tally.add("police.uk: web upload", "190 MB field", outcome, detail)

    for case, data in mutations(PARTNER_EXTRACT.encode(), "extract.csv"):
        def partner_journey(data: bytes = data) -> object:
            r = analyst.post("/data/partner/", {"dataset": "Local police extract",
                                                "kind": "police_extract",
                                                "file": SimpleUploadedFile("extract.csv", data)})
            if r.status_code != 302:
                return r
            page = analyst.get(r.url)
            assert page.status_code == 200
            import re

            chosen = {m.group(1): m.group(2) for m in re.finditer(
                r'<select name="(\w+)".*?<option value="([^"]*)" selected>',
                page.content.decode(), re.S) if m.group(2)}
            r = analyst.post(r.url, chosen)
            if r.status_code != 302:
                return r
            return analyst.post(r.url, {"confirm_removals": "yes"})
        outcome, detail, _ = web_outcome(partner_journey)
        tally.add("partner extract: web upload + mapping", case, outcome, detail)

    for case, data in mutations(neet.read_bytes(), neet.name):
        folder = tmp_path / "indicators" / str(abs(hash(case)))
        folder.mkdir(parents=True)
        path = folder / neet.name
        path.write_bytes(data)
        outcome, detail = cli_outcome(["load", "indicators", "--from", str(path)])
        tally.add("partner statistics: alliance load indicators", case, outcome, detail)

    for n, (case, data) in enumerate(mutations(comments, "comments.csv")):
        is_zip = data[:2] == b"PK"
        files = ([SimpleUploadedFile("export.zip", data)] if is_zip else
                 [SimpleUploadedFile("comments.csv", data),
                  SimpleUploadedFile("participants-votes.csv", matrix)])
        outcome, detail, _ = web_outcome(lambda files=files, n=n: analyst.post(
            "/conversations/import/", {"title": f"Fuzz {n}", "files": files}))
        tally.add("Polis import", case, outcome, detail)

    for case, data in mutations(comments, "comments.csv"):
        outcome, detail, _ = web_outcome(lambda data=data: analyst.post("/themes/upload/", {
            "title": "Fuzz", "source": "survey", "column": "comment-body",
            "file": SimpleUploadedFile("answers.csv", data)}))
        tally.add("free text: themes upload", case, outcome, detail)

    from alliance.web.partnerships.models import Agreement

    agreement = Agreement.objects.filter(superseded_at=None).first()
    assert agreement is not None
    for name, base in _documents().items():
        for case, data in mutations(base, "word/document.xml"):
            outcome, detail, _ = web_outcome(lambda name=name, data=data: admin.post(
                f"/agreements/{agreement.pk}/documents/add/", {
                    "document_kind": "isa", "document": SimpleUploadedFile(name, data)}))
            tally.add("agreement documents", f"{name}: {case}", outcome, detail)

    print("\n" + tally.report())
    assert not tally.failures, "\n\n".join(tally.failures)
