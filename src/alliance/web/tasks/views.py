"""A background task's page and its JSON, which the page polls to show progress."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse

from alliance.web.accounts.rules import can
from alliance.web.tasks import live, services
from alliance.web.tasks.models import Task

#: seconds between refreshes of the page while the task is unfinished (no-JS fallback)
REFRESH_SECONDS = 3


def _visible_task(request: HttpRequest, pk: int) -> Task:
    """The task, if this user started it or may see everyone's; otherwise 404 (not 403:
    the page should not confirm that someone else's task exists)."""
    task = Task.objects.select_related("created_by").filter(pk=pk).first()
    if task is None or not (task.created_by_id == request.user.pk
                            or can(request.user, "view_all_tasks")):
        raise Http404("no such task")
    return live.overlay(task)


def ready(request: HttpRequest) -> JsonResponse:
    """Readiness for a load balancer or monitor: the database answers, and the task queue's
    length, the age of its oldest waiting task and how many run now (no names, no people).
    503 when the database does not answer."""
    from django.db import DatabaseError, connection
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        waiting = DBTaskResult.objects.ready()
        oldest = waiting.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
        queue = {"waiting": waiting.count(), "running": DBTaskResult.objects.running().count(),
                 "oldest_waiting_seconds": (round((timezone.now() - oldest).total_seconds())
                                            if oldest else 0)}
    except DatabaseError:
        response = JsonResponse({"ok": False, "database": "not answering"}, status=503)
    else:
        response = JsonResponse({"ok": True, "database": "ok", "queue": queue})
    response["Cache-Control"] = "no-store"
    return response


def next_page(task: Task) -> tuple[str, str] | None:
    """Where to go when the task is done: (link text, url)."""
    if task.kind in {"load_police_uk", "load_partner_extract"}:
        return "See the batches", reverse("workspace:batches")
    if task.kind == "build_sna" and task.arguments.get("build_id"):
        return "See the SNA build", reverse("reports:build", args=[task.arguments["build_id"]])
    if task.kind == "find_themes" and task.arguments.get("theme_set"):
        return "See the themes", reverse("themes:detail", args=[task.arguments["theme_set"]])
    return None


def task(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    services.fail_stale()  # a task whose worker died is shown as failed, not running for ever
    item = _visible_task(request, pk)
    return render(request, "tasks/task.html",
                  {"task": item, "next": next_page(item), "refresh": REFRESH_SECONDS})


def task_json(request: HttpRequest, pk: int) -> JsonResponse:
    if not request.user.is_authenticated:
        return JsonResponse({"error": "sign in"}, status=401)
    item = _visible_task(request, pk)
    data = item.as_json()
    data["next"] = next_page(item)
    response = JsonResponse(data)
    response["Cache-Control"] = "no-store"
    return response
