"""Read queries of notifications."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .models import ContactPreference, Notification


def notifications_of(user: Any, limit: int = 50) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).order_by("-created_at", "-id")[:limit]


def preference_of(user: Any) -> ContactPreference | None:
    return ContactPreference.objects.filter(user=user).first()
