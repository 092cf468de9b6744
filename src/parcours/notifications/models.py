"""A person's choice of channel, and every notification sent (or not) to them: one row per channel."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from .events import EVENTS


class Channel(models.TextChoices):
    EMAIL = "email", "Courriel"
    SMS = "sms", "SMS"


class Channels(models.TextChoices):
    EMAIL = "email", "Par courriel"
    SMS = "sms", "Par SMS"
    EMAIL_SMS = "email_sms", "Par courriel et par SMS"

    @property
    def channels(self) -> list[str]:
        return {"email": [Channel.EMAIL], "sms": [Channel.SMS]}.get(self.value, [Channel.EMAIL, Channel.SMS])


class ContactPreference(models.Model):
    """How a person wants to hear from the Caf. Without a row: by e-mail, to the account's address."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contact", verbose_name="compte"
    )
    channels = models.CharField(
        "être prévenu", max_length=10, choices=Channels.choices, default=Channels.EMAIL
    )
    mobile_phone = models.CharField("téléphone portable", max_length=12, blank=True)  # +33XXXXXXXXX
    updated_at = models.DateTimeField("mis à jour le", default=timezone.now)

    class Meta:
        verbose_name = "préférence de contact"
        verbose_name_plural = "préférences de contact"


class Status(models.TextChoices):
    EN_ATTENTE = "en_attente", "En attente d'envoi"
    ENVOYEE = "envoyee", "Envoyée"
    SANS_ADRESSE = "sans_adresse", "Non envoyée : aucune adresse"


class Notification(models.Model):
    """One message to one person on one channel, once: `key` (event, object, channel) is unique, so a
    retried step or a double click notifies once. The address is read when sending (not stored);
    `recipient_hint` keeps a masked form of it for the record."""

    key = models.CharField("clé d'idempotence", max_length=120, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="notifications",
        verbose_name="destinataire",
    )
    event = models.CharField(
        "événement", max_length=40, choices=[(code, e.label) for code, e in EVENTS.items()]
    )
    channel = models.CharField("canal", max_length=10, choices=Channel.choices)
    subject = models.CharField("objet", max_length=200)
    body = models.TextField("texte")
    status = models.CharField("état", max_length=20, choices=Status.choices, default=Status.EN_ATTENTE)
    recipient_hint = models.CharField("adresse (masquée)", max_length=80, blank=True)
    provider_ref = models.CharField("référence de l'envoi", max_length=200, blank=True)
    created_at = models.DateTimeField("créée le", default=timezone.now)
    sent_at = models.DateTimeField("envoyée le", null=True, blank=True)

    class Meta:
        verbose_name = "notification"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_event_display()} — {self.get_channel_display()}"
