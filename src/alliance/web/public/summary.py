"""The SNA's public summary: the build of the partnership's area that the partnership has
published (:mod:`alliance.web.reports.publishing`; none until it does), read from the summary
its build wrote (:mod:`alliance.report.sna.public`), so the page shows the report's own blocks
and no number of its own. In Welsh the page reads the Welsh summary the build wrote beside the
English one from the same figures; a build made before there was one has only English."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from alliance.report.sna.public import SUMMARY_JSON_CY, SUMMARY_PDF, SUMMARY_PDF_CY
from alliance.web.public.services import NotReady, the_partnership
from alliance.web.reports.models import SnaBuild
from alliance.web.reports.publishing import SUMMARY_FILE, published_build
from alliance.web.reports.services import build_file


@dataclass(frozen=True)
class PublicSummary:
    build: SnaBuild
    document: dict[str, Any]
    pdf: Path | None
    #: the language the summary is written in ('cy' when the build wrote it in Welsh)
    lang: str = "en"


class NotPublished(NotReady):
    """The partnership has published no assessment (or has withdrawn it)."""


def public_summary(lang: str = "en") -> PublicSummary:
    """The published summary in ``lang`` ('en' or 'cy'), or in English when the published
    build has none in that language."""
    build = published_build(the_partnership().area_code)
    if build is None:
        raise NotPublished(_("No assessment has been published yet."))
    welsh = build_file(build, f"data/{SUMMARY_JSON_CY}") if lang == "cy" else None
    path = welsh or build_file(build, SUMMARY_FILE)
    if path is None:
        raise NotReady(_("The partnership has not published a summary of its assessment "
                         "yet."))
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise NotReady(_("The summary of the assessment cannot be shown at the moment.")) \
            from exc
    if welsh is not None:
        return PublicSummary(build=build, document=document, lang="cy",
                             pdf=build_file(build, SUMMARY_PDF_CY) or build_file(build,
                                                                                SUMMARY_PDF))
    return PublicSummary(build=build, document=document, pdf=build_file(build, SUMMARY_PDF))
