"""The ``build_monitoring`` task: build a recorded monitoring report off the request."""

from __future__ import annotations

from typing import Any

from alliance.web.tasks.models import Task
from alliance.web.tasks.services import Progress, TaskFailed, handler


@handler("build_monitoring")
def build_monitoring_task(task: Task, progress: Progress) -> dict[str, Any]:
    from alliance.web.monitoring.builds import run_build
    from alliance.web.monitoring.models import MonitoringBuild

    build = MonitoringBuild.objects.filter(pk=task.arguments.get("build_id")).first()
    if build is None:
        raise TaskFailed("This monitoring report was deleted before it could start.")
    try:
        run_build(build, progress=progress)
    except Exception as exc:  # recorded on the build in plain words
        build.refresh_from_db()
        raise TaskFailed(build.message) from exc
    return {"build_id": build.pk, "period": build.period, "files": len(build.files)}
