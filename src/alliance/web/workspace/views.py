"""The workspace's first page: what the pool holds, aggregate only."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from alliance.web.pool.status import status


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "workspace/home.html", {"status": status()})


def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True})
