"""Monitoring report builds: recorded like SNA builds, from the workspace (a background task)
or the command line (``alliance monitor``), each with who, when, period, files and batches."""

from __future__ import annotations

import getpass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from alliance import config
from alliance.report.monitoring import MonitoringOutput, write_monitoring
from alliance.web.monitoring.models import MonitoringBuild
from alliance.web.monitoring.services import gather
from alliance.web.pool.publication import NoFigures
from alliance.web.strategy import services as strategy_services
from alliance.web.strategy.models import Strategy
from alliance.web.tasks import services as tasks
from alliance.web.tasks.services import Progress
from alliance.web.workspace.wording import for_people, unexpected

STEPS = 2
REFUSALS = (ValueError, LookupError, NoFigures)


class MonitoringError(Exception):
    """The report cannot be built; the message says why and what to do."""


def narrative_dir(strategy: Strategy) -> Path:
    """Where the workspace's builds of a strategy keep their narrative, so that it survives
    every rebuild (each build writes into a folder of its own)."""
    return config.load().home / "monitoring" / "narrative" / f"strategy-{strategy.pk}"


def start_build(*, strategy: Strategy, period: str, pdf: bool, user: Any,
                request_origin: dict[str, Any] | None = None) -> MonitoringBuild:
    with transaction.atomic():
        build = MonitoringBuild.objects.create(
            strategy=strategy, period=period[:20], pdf=pdf, started_by=user,
            started_by_name=getattr(user, "email", ""), output_folder="")
        build.output_folder = str(config.load().home / "monitoring" / "builds" / str(build.pk))
        build.task = tasks.start("build_monitoring", created_by=user, build_id=build.pk,
                                 **(request_origin or {}))
        build.save(update_fields=["output_folder", "task"])
    return build


def run_build(build: MonitoringBuild, *, progress: Progress | None = None,
              today: date | None = None, generated: datetime | None = None,
              narrative: Path | None = None) -> MonitoringOutput:
    def step(message: str, done: int) -> None:
        MonitoringBuild.objects.filter(pk=build.pk).update(status=MonitoringBuild.Status.RUNNING,
                                                           message=message)
        if progress is not None:
            progress(message, done, STEPS)

    try:
        if build.strategy is None:
            raise MonitoringError("This report's strategy was deleted.")
        step("Computing the measures", 0)
        inputs = gather(build.strategy, today=today or timezone.localdate())
        if narrative is not None or build.origin == MonitoringBuild.Origin.WORKSPACE:
            inputs = type(inputs)(**{**inputs.__dict__, "narrative_dir": narrative
                                     or narrative_dir(build.strategy)})
        step("Writing the report", 1)
        result = write_monitoring(inputs, Path(build.output_folder), period=build.period,
                                  pdf=build.pdf, generated=generated)
    except MonitoringError as exc:
        _failed(build, str(exc))
        raise
    except REFUSALS as exc:
        _failed(build, for_people(str(exc).strip("'\""), where=str(build)))
        raise
    except Exception:
        _failed(build, unexpected("The monitoring report", ref=f"monitoring build {build.pk}"))
        raise
    build.status, build.message = MonitoringBuild.Status.DONE, ""
    build.files = sorted(result.files)
    build.batch_ids = list(inputs.batches)
    build.finished_at = timezone.now()
    build.save()
    return result


def _failed(build: MonitoringBuild, message: str) -> None:
    build.status, build.message = MonitoringBuild.Status.FAILED, message
    build.finished_at = timezone.now()
    build.save(update_fields=["status", "message", "finished_at"])


def build_now(period: str, out: Path, *, pdf: bool = True, today: date | None = None,
              generated: datetime | None = None) -> MonitoringOutput:
    """The command line's build: the strategy in force, written into ``out`` now."""
    from alliance.web.accounts.models import Partnership

    partnership = Partnership.objects.first()
    if partnership is None:
        raise MonitoringError("no partnership in this store: run `alliance partnership "
                              "create` (or `alliance demo`) first")
    strategy = strategy_services.in_force(partnership)
    if strategy is None:
        raise MonitoringError("the partnership has no strategy yet: write one in the "
                              "workspace's Strategy page first")
    try:
        login = getpass.getuser()
    except (OSError, KeyError):
        login = ""
    build = MonitoringBuild.objects.create(
        strategy=strategy, period=period[:20], pdf=pdf, started_by_name=login,
        origin=MonitoringBuild.Origin.COMMAND_LINE, output_folder=str(Path(out).resolve()))
    return run_build(build, today=today, generated=generated)


def build_file(build: MonitoringBuild, name: str) -> Path | None:
    """A file the build wrote and that is still inside its folder (nothing else is served)."""
    if build.status != MonitoringBuild.Status.DONE or name not in build.files:
        return None
    folder = Path(build.output_folder).resolve()
    path = (folder / name).resolve()
    if folder not in path.parents or not path.is_file():
        return None
    return path
