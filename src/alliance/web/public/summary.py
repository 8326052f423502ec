"""The SNA's public summary: the build of the partnership's area that the partnership has
published (:mod:`alliance.web.reports.publishing`; none until it does), read from the summary
its build wrote (:mod:`alliance.report.sna.public`), so the page shows the report's own blocks
and no number of its own."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from alliance.report.sna.public import SUMMARY_PDF
from alliance.web.public.services import NotReady, the_partnership
from alliance.web.reports.models import SnaBuild
from alliance.web.reports.publishing import SUMMARY_FILE, published_build
from alliance.web.reports.services import build_file


@dataclass(frozen=True)
class PublicSummary:
    build: SnaBuild
    document: dict[str, Any]
    pdf: Path | None


class NotPublished(NotReady):
    """The partnership has published no assessment (or has withdrawn it)."""


def public_summary() -> PublicSummary:
    build = published_build(the_partnership().area_code)
    if build is None:
        raise NotPublished(_("No assessment has been published yet."))
    path = build_file(build, SUMMARY_FILE)
    if path is None:
        raise NotReady(_("The partnership has not published a summary of its assessment "
                         "yet."))
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise NotReady(_("The summary of the assessment cannot be shown at the moment.")) \
            from exc
    return PublicSummary(build=build, document=document, pdf=build_file(build, SUMMARY_PDF))
