"""The SNA's public summary: the latest finished, non-draft SNA build of the partnership's
area, read from the summary its build wrote (:mod:`alliance.report.sna.public`), so the page
shows the report's own blocks and no number of its own."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from alliance import config
from alliance.report.sna.public import SUMMARY_JSON, SUMMARY_PDF
from alliance.web.public.services import NotReady, the_partnership
from alliance.web.reports.models import SnaBuild
from alliance.web.reports.services import build_file


@dataclass(frozen=True)
class PublicSummary:
    build: SnaBuild
    document: dict[str, Any]
    pdf: Path | None


def latest_build() -> SnaBuild | None:
    """The newest finished build of the area's SNA for a reporting year (never a draft), with
    the suppression threshold every other public figure uses."""
    partnership = the_partnership()
    threshold = config.load().suppression_threshold
    return (SnaBuild.objects.filter(status=SnaBuild.Status.DONE, draft=False,
                                    area_code=partnership.area_code)
            .filter(Q(threshold__isnull=True) | Q(threshold=threshold))
            .order_by("-finished_at", "-id").first())


def public_summary() -> PublicSummary:
    build = latest_build()
    if build is None:
        raise NotReady(_("The partnership has not published its assessment yet."))
    path = build_file(build, f"data/{SUMMARY_JSON}")
    if path is None:
        raise NotReady(_("The partnership has not published a summary of its assessment "
                         "yet."))
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise NotReady(_("The summary of the assessment cannot be shown at the moment.")) \
            from exc
    return PublicSummary(build=build, document=document, pdf=build_file(build, SUMMARY_PDF))
