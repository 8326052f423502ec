"""The ``build_sna`` task: build a recorded SNA off the request."""

from __future__ import annotations

from typing import Any

from alliance.web.tasks.models import Task
from alliance.web.tasks.services import Progress, TaskFailed, handler


@handler("build_sna")
def build_sna_task(task: Task, progress: Progress) -> dict[str, Any]:
    """Build :class:`~alliance.web.reports.models.SnaBuild` ``build_id``."""
    from alliance.web.reports import services
    from alliance.web.reports.models import SnaBuild

    build = SnaBuild.objects.filter(pk=task.arguments.get("build_id")).first()
    if build is None:
        raise TaskFailed("This SNA build was deleted before it could start.")
    try:
        services.run_build(build, progress=progress)
    except Exception as exc:  # recorded on the build, in plain words (and logged if unexpected)
        raise TaskFailed(build.message) from exc
    return {"build_id": build.pk, "area_name": build.area_name, "period": build.period,
            "files": len(build.files)}
