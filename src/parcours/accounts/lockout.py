"""The sign-in lockout (django-axes) with one limit per lockout parameter.

settings.AXES_LOCKOUT_PARAMETERS counts the failures of one username from one address, and of one
address whatever the usernames (an address trying passwords across many accounts). django-axes has
a single limit, AXES_FAILURE_LIMIT, compared with the largest count: this handler scales each count
to its own limit (the address alone: PARCOURS_LOGIN_IP_FAILURE_LIMIT), so that each parameter set
locks at its own figure. For integers, floor(count × limit / own) ≥ limit exactly when count ≥ own.

A successful sign-in forgives the failures of that username from that address only: the address's
failures on other usernames still count (django-axes would delete them all).
"""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit, get_lockout_parameters
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest

ADDRESS_ONLY = ("ip_address",)


def _own_limit(parameters: str | list[str], limit: int) -> int:
    names = (parameters,) if isinstance(parameters, str) else tuple(parameters)
    return settings.PARCOURS_LOGIN_IP_FAILURE_LIMIT if names == ADDRESS_ONLY else limit


class LoginLockoutHandler(AxesDatabaseHandler):
    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        limit = get_failure_limit(request, credentials)
        parameter_sets = get_lockout_parameters(request, credentials)
        attempts_list = self.get_user_attempts(request, credentials)
        scaled = 0
        for parameters, attempts in zip(parameter_sets, attempts_list, strict=True):
            failures = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            scaled = max(scaled, failures * limit // _own_limit(parameters, limit))
        return scaled

    def reset_user_attempts(self, request: HttpRequest, credentials: dict | None = None) -> int:
        username = get_client_username(request, credentials)
        count, _ = AccessAttempt.objects.filter(
            username=username, ip_address=getattr(request, "axes_ip_address", None)
        ).delete()
        return count
