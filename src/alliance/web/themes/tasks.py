"""The ``find_themes`` task: embed and group a stored theme set's texts off the request."""

from __future__ import annotations

from typing import Any

from alliance.web.tasks.models import Task
from alliance.web.tasks.services import Progress, TaskFailed, handler


@handler("find_themes")
def find_themes_task(task: Task, progress: Progress) -> dict[str, Any]:
    """Find the themes of :class:`~alliance.web.themes.models.ThemeSet` ``theme_set``."""
    from alliance.web.themes import services
    from alliance.web.themes.models import ThemeSet

    theme_set = ThemeSet.objects.filter(pk=task.arguments.get("theme_set")).first()
    if theme_set is None:
        raise TaskFailed(f"theme set {task.arguments.get('theme_set')} no longer exists")
    try:
        result = services.find(theme_set, progress)
    except services.ThemeError as exc:
        raise TaskFailed(f"No themes were found: {exc}") from exc
    except Exception as exc:  # the set must not stay "finding themes" for ever
        ThemeSet.objects.filter(pk=theme_set.pk).update(
            status=ThemeSet.Status.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000])
        raise
    return {"theme_set": theme_set.pk, "title": theme_set.title, "texts": len(result.texts),
            "themes": len(result.themes)}
