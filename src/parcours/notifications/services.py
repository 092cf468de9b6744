"""Domain operations of notifications: the only place that writes them and the contact preferences.

`notify` is called by the other apps' services inside their transaction: it records one row per
channel the person chose and queues the sending once the transaction commits (a rolled-back
change tells no one). `notification_deliver` is what the background task runs.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from parcours.core.tasks import enqueue_on_commit

from .channels import email_send, masked, mobile_normalized, sms_gateway
from .events import EVENTS
from .models import Channel, Channels, ContactPreference, Notification, Status

logger = logging.getLogger("parcours.notifications")


def preference_set(*, user: Any, channels: str, mobile_phone: str) -> ContactPreference:
    """Record how the person wants to be told; an SMS needs a French mobile number."""
    if channels not in Channels.values:
        raise ValidationError({"channels": "Choisissez comment être prévenu."})
    phone = ""
    if mobile_phone.strip():
        normalized = mobile_normalized(mobile_phone)
        if normalized is None:
            raise ValidationError(
                {"mobile_phone": "Indiquez un numéro de portable français, par exemple 06 12 34 56 78."}
            )
        phone = normalized
    if Channel.SMS in Channels(channels).channels and not phone:
        raise ValidationError(
            {"mobile_phone": "Indiquez votre numéro de portable pour être prévenu par SMS."}
        )
    if Channel.EMAIL in Channels(channels).channels and not user.email:
        raise ValidationError({"channels": "Votre compte n'a pas d'adresse de courriel : choisissez le SMS."})
    preference, _ = ContactPreference.objects.update_or_create(
        user=user, defaults={"channels": channels, "mobile_phone": phone, "updated_at": timezone.now()}
    )
    return preference


def site_link(path: str) -> str:
    return settings.PARCOURS_SITE_URL.rstrip("/") + path


def notify(*, user: Any, event: str, ref: str, fields: dict[str, str]) -> list[Notification]:
    """Tell `user` of `event` about the object `ref` ("demande:12"), on each channel they chose:
    once per (event, object, channel), whatever the retries. `fields` fill the e-mail (see events)."""
    spec = EVENTS[event]
    body = spec.email_body(fields)
    preference = ContactPreference.objects.filter(user=user).first()
    channels = Channels(preference.channels).channels if preference else [Channel.EMAIL]
    made = []
    for channel in channels:
        notification, created = Notification.objects.get_or_create(
            key=f"{event}:{ref}:{channel}",
            defaults={
                "user": user,
                "event": event,
                "channel": channel,
                "subject": spec.subject,
                "body": body if channel == Channel.EMAIL else spec.sms,
            },
        )
        if created:
            from .tasks import notification_send

            enqueue_on_commit(notification_send, notification_id=notification.pk)
            made.append(notification)
    return made


def notification_deliver(*, notification_id: int) -> str:
    """Send one notification if it is still waiting; the address is read now. A failure raises (the
    task's retry policy sends it again later); a notification sent is never sent again."""
    notification = Notification.objects.select_related("user").get(pk=notification_id)
    if notification.status != Status.EN_ATTENTE:
        return notification.status
    user = notification.user
    if notification.channel == Channel.EMAIL:
        address = user.email
    else:
        preference = ContactPreference.objects.filter(user=user).first()
        address = preference.mobile_phone if preference else ""
    if not address:
        Notification.objects.filter(pk=notification.pk, status=Status.EN_ATTENTE).update(
            status=Status.SANS_ADRESSE
        )
        return Status.SANS_ADRESSE
    if notification.channel == Channel.EMAIL:
        reference = email_send(to=address, subject=notification.subject, body=notification.body)
    else:
        reference = sms_gateway().send(to=address, text=notification.body)
    with transaction.atomic():
        Notification.objects.filter(pk=notification.pk, status=Status.EN_ATTENTE).update(
            status=Status.ENVOYEE,
            sent_at=timezone.now(),
            provider_ref=reference,
            recipient_hint=masked(address),
        )
    logger.info("Notification %s sent (%s, %s).", notification.pk, notification.event, notification.channel)
    return Status.ENVOYEE
