"""Which SNA build the public site shows: the partnership decides, one build at a time.

A build goes public only when someone who may (the ``publish_sna`` rule) publishes it: a
finished build of the partnership's whole area for a reporting year (never a draft), written
with the suppression threshold every other public figure uses. Publishing another build
replaces it; withdrawing leaves the public site with no assessment. Both are audited
(``sna_published``, ``sna_withdrawn``). The public pages read :func:`published_build` and
nothing else.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from alliance import config
from alliance.report.sna.public import SUMMARY_JSON
from alliance.web.accounts.models import Partnership
from alliance.web.audit.services import record
from alliance.web.reports.models import SnaBuild

#: the summary for residents a build writes (what the public page shows)
SUMMARY_FILE = f"data/{SUMMARY_JSON}"


class PublishError(ValueError):
    """The build cannot go on the public site; the message says why, in plain words."""


def why_not(build: SnaBuild, partnership: Partnership) -> str:
    """Why ``build`` cannot be published, in plain words ('' when it can)."""
    if build.status != SnaBuild.Status.DONE:
        return "Only a finished build can be published. This one is not ready."
    if build.draft:
        return ("This build is a draft (its period is not a whole reporting year). Build the "
                "SNA for a reporting year, without the draft box ticked, to publish it.")
    if build.area_code != partnership.area_code:
        return (f"The public site is about the partnership's whole area "
                f"({partnership.name}). This build is for another area.")
    if build.threshold is not None and build.threshold != _threshold():
        return ("This build hides small numbers differently from the rest of the public site. "
                "Build the SNA again to publish it.")
    if SUMMARY_FILE not in build.files:
        return ("This build has no summary for the public (it was made by an older version). "
                "Build the SNA again to publish it.")
    return ""


def _threshold() -> int:
    return config.load().suppression_threshold


def published_build(area_code: str) -> SnaBuild | None:
    """The build the public site shows for ``area_code``, if one is published and still fit to
    show (finished, not a draft, small numbers hidden as the rest of the site hides them)."""
    return (SnaBuild.objects.filter(area_code=area_code, published_at__isnull=False,
                                    status=SnaBuild.Status.DONE, draft=False)
            .filter(Q(threshold__isnull=True) | Q(threshold=_threshold()))
            .select_related("published_by").first())


def publish(build: SnaBuild, *, partnership: Partnership, user: Any,
            request: HttpRequest | None = None) -> SnaBuild | None:
    """Put ``build`` on the public site in place of any other; return the build it replaced.

    Raises :class:`PublishError` when it cannot be published (:func:`why_not`)."""
    with transaction.atomic():
        build = SnaBuild.objects.select_for_update().get(pk=build.pk)
        reason = why_not(build, partnership)
        if reason:
            raise PublishError(reason)
        if build.published:
            return None
        replaced = (SnaBuild.objects.select_for_update()
                    .filter(area_code=build.area_code, published_at__isnull=False).first())
        if replaced is not None:
            replaced.published_at, replaced.published_by, replaced.published_by_name = (
                None, None, "")
            replaced.save(update_fields=["published_at", "published_by", "published_by_name"])
        build.published_at = timezone.now()
        build.published_by = user
        build.published_by_name = getattr(user, "email", "")[:254]
        build.save(update_fields=["published_at", "published_by", "published_by_name"])
        record(request, "sna_published", target=f"SNA build {build.pk}", actor=user,
               area=build.area_code, period=build.period,
               replaced=replaced.pk if replaced is not None else None)
    return replaced


def withdraw(build: SnaBuild, *, user: Any, request: HttpRequest | None = None) -> bool:
    """Take ``build`` off the public site; False when it was not on it."""
    with transaction.atomic():
        build = SnaBuild.objects.select_for_update().get(pk=build.pk)
        if not build.published:
            return False
        since = build.published_at
        build.published_at, build.published_by, build.published_by_name = None, None, ""
        build.save(update_fields=["published_at", "published_by", "published_by_name"])
        record(request, "sna_withdrawn", target=f"SNA build {build.pk}", actor=user,
               area=build.area_code, period=build.period,
               published_since=since.isoformat() if since else None)
    return True
