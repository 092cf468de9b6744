"""Rate limits per client address, counted in Django's cache (settings.CACHES).

The limits are settings.PARCOURS_RATE_LIMITS, read at each request: "30/min" allows 30 requests
per client address in a window of a minute that opens with the first of them; the next ones get a
429 with a Retry-After header, until the window closes. Two users of one counter:

- the JSON API: `throttle=ClientRateThrottle("rights-simulation")` on an endpoint (django-ninja's
  throttling hook; the French 429 is the API's, parcours/api.py);
- the pages: PageRateLimitMiddleware counts the POSTs of the views whose URL name is a key of
  PARCOURS_RATE_LIMITS, and answers the French page 429.html.

The client address is the connection's, or behind PARCOURS_PROXY_COUNT reverse proxies the one
the nearest proxy saw: never an X-Forwarded-For entry a client could write itself. The sign-in
lockout (django-axes) reads the same address (settings.AXES_CLIENT_IP_CALLABLE).
"""

from __future__ import annotations

import hashlib
import math
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja import Schema
from ninja.throttling import BaseThrottle

from parcours.core.api_errors import ErrorOut

# What a rate-limited endpoint adds to its documented answers.
RATE_LIMIT_ERRORS: dict[int, type[Schema]] = {429: ErrorOut}

PERIODS = {"s": 1, "sec": 1, "min": 60, "m": 60, "h": 3600, "hour": 3600, "day": 86400, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """The rate "30/min" as (30, 60): the number of requests allowed, and the window in seconds."""
    count, _, period = rate.partition("/")
    try:
        return int(count), PERIODS[period.strip()]
    except (KeyError, ValueError):
        raise ValueError(f"Limite de débit illisible « {rate} » : attendu par exemple 30/min.") from None


def client_address(request: HttpRequest) -> str | None:
    """The address of the client, as the nearest trusted machine saw it."""
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = settings.PARCOURS_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    # Each proxy appends the address it saw: the last `proxies` entries are theirs to write.
    return forwarded[-proxies] if len(forwarded) >= proxies else remote


def retry_after(scope: str, request: HttpRequest) -> int | None:
    """Count this request against the scope's limit: None while within it, else the seconds until
    the window closes (at least 1)."""
    rate = settings.PARCOURS_RATE_LIMITS.get(scope)
    if not rate:
        return None
    allowed, period = parse_rate(rate)
    ident = hashlib.sha256((client_address(request) or "-").encode()).hexdigest()[:32]
    key = f"parcours:rate:{scope}:{ident}"
    now = time.time()
    # One value (window start, requests counted), rewritten with the window's remaining time (the
    # database cache's incr() would reset the expiry); a refused request writes nothing. Two requests
    # at the same instant may count once: a limit, not a ledger.
    start, count = cache.get(key) or (now, 0)
    if now >= start + period:
        start, count = now, 0
    remaining = max(1, math.ceil(start + period - now))
    if count >= allowed:
        return remaining
    cache.set(key, (start, count + 1), timeout=remaining)
    return None


class ClientRateThrottle(BaseThrottle):
    """django-ninja's throttle hook on the counter above. ninja asks `wait()` right after a refusal,
    in the same thread: the answer is kept per thread (one instance serves every request)."""

    def __init__(self, scope: str) -> None:
        self.scope = scope
        self._local = threading.local()

    def allow_request(self, request: HttpRequest) -> bool:
        self._local.wait = retry_after(self.scope, request)
        return self._local.wait is None

    def wait(self) -> float | None:
        return getattr(self._local, "wait", None)


def too_many_requests_page(request: HttpRequest, wait: int) -> HttpResponse:
    response = render(
        request,
        "429.html",
        {"retry_after": wait, "page_title": "Trop de demandes"},
        status=429,
    )
    response["Retry-After"] = str(wait)
    return response


class PageRateLimitMiddleware:
    """The POSTs of the pages named in PARCOURS_RATE_LIMITS (by URL name), counted per address."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        view_args: tuple,
        view_kwargs: dict,
    ) -> HttpResponse | None:
        match = request.resolver_match
        if request.method != "POST" or match is None or match.view_name not in settings.PARCOURS_RATE_LIMITS:
            return None
        wait = retry_after(match.view_name, request)
        return None if wait is None else too_many_requests_page(request, wait)
