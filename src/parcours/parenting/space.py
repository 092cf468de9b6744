"""The parenting section of the parent's space: their sessions to come (with the fee), and the
way to book one when a labelled structure works on their territory."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from . import lifecycle, selectors


def parenting_section(user: Any) -> dict[str, Any] | None:
    dossier = selectors.parent_dossier(user)
    if dossier is None:
        return None
    bookings = list(
        selectors.parent_bookings(user)
        .filter(state=lifecycle.RESERVEE, slot__starts_at__gte=timezone.now())
        .select_related("slot__structure", "slot__professional")
        .order_by("slot__starts_at")
    )
    if not bookings and not selectors.structures_of(dossier.departement).exists():
        return None
    for booking in bookings:
        booking.when = selectors.when_fr(booking.slot.starts_at)
    return {"bookings": bookings}
