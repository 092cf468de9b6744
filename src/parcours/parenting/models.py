"""Individual parenting support (decision 0016): labelled structures with their professionals and
one-hour slots; the sessions a family books (fee frozen at booking), their logged attendance, and
the orientation after the fifth session."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from parcours.core.transitions import TransitionLog

from . import lifecycle


class Structure(models.Model):
    """A local structure labelled by the Caf for individual parenting support; its accounts
    (role "partenaire") record the slots and the attendance."""

    departement = models.CharField("territoire (département)", max_length=3, db_index=True)
    name = models.CharField("nom", max_length=150)
    address = models.CharField("adresse", max_length=200)
    commune = models.CharField("commune", max_length=100)
    label = models.CharField("label", max_length=150, default="Soutien à la parentalité — label Caf")
    labelled_on = models.DateField("labellisée le")
    label_until = models.DateField("label valable jusqu'au", null=True, blank=True)
    active = models.BooleanField("active", default=True)
    phone = models.CharField("téléphone", max_length=20, blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="parenting_structures", verbose_name="comptes"
    )
    partner = models.ForeignKey(
        "social.Partner",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="fiche dans l'annuaire des partenaires",
    )

    class Meta:
        verbose_name = "structure labellisée"
        verbose_name_plural = "structures labellisées"
        ordering = ["departement", "name"]

    def __str__(self) -> str:
        return self.name

    def labelled_at(self, day: date) -> bool:
        return (
            self.active and self.labelled_on <= day and (self.label_until is None or day <= self.label_until)
        )


class Professional(models.Model):
    structure = models.ForeignKey(Structure, on_delete=models.PROTECT, related_name="professionals")
    first_name = models.CharField("prénom", max_length=100)
    last_name = models.CharField("nom", max_length=100)
    profession = models.CharField("profession", max_length=100)
    active = models.BooleanField("actif", default=True)

    class Meta:
        verbose_name = "professionnel"
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} ({self.profession})"


class Slot(models.Model):
    """A one-hour slot of a professional of the structure."""

    class Mode(models.TextChoices):
        ON_SITE = "sur_place", "Sur place"
        VIDEO = "visio", "En visioconférence"
        PHONE = "telephone", "Par téléphone"

    structure = models.ForeignKey(Structure, on_delete=models.PROTECT, related_name="slots")
    professional = models.ForeignKey(Professional, on_delete=models.PROTECT, related_name="slots")
    starts_at = models.DateTimeField("début")
    mode = models.CharField("modalité", max_length=20, choices=Mode.choices, default=Mode.ON_SITE)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = "créneau"
        ordering = ["starts_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["professional", "starts_at"], name="parenting_one_slot_per_hour")
        ]
        indexes = [models.Index(fields=["structure", "starts_at"], name="parenting_slot_agenda")]

    def __str__(self) -> str:
        local = timezone.localtime(self.starts_at)
        return f"{local:%d/%m/%Y %H:%M} — {self.professional}"

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=lifecycle.SESSION_MINUTES)


class Booking(models.Model):
    """A session booked for a family: who booked it (the parent, or a partner or a social worker
    on the parent's behalf with their consent), the children concerned, the fee frozen at booking
    with the income and the scale it came from."""

    class OnBehalf(models.TextChoices):
        PARENT = "parent", "Le parent"
        PARTNER = "partenaire", "La structure, pour le parent"
        WORKER = "travailleur_social", "Un travailleur social, pour le parent"

    dossier = models.ForeignKey("households.Dossier", on_delete=models.PROTECT, related_name="+")
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="bookings")
    children = models.ManyToManyField("households.Person", related_name="+", verbose_name="enfants concernés")
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    on_behalf = models.CharField("réservée par", max_length=20, choices=OnBehalf.choices)
    consent_on = models.DateField("accord du parent recueilli le", null=True, blank=True)
    income_cents = models.BigIntegerField("revenu mensuel retenu (centimes)")
    fee_cents = models.IntegerField("participation (centimes)")
    scale_from = models.DateField("barème en vigueur depuis le")
    state = models.CharField(
        "état", max_length=20, choices=lifecycle.BOOKING.choices, default=lifecycle.RESERVEE
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = "séance réservée"
        verbose_name_plural = "séances réservées"
        ordering = ["-created_at", "-id"]
        constraints = [
            # A slot is booked once; a cancelled booking frees it.
            models.UniqueConstraint(
                fields=["slot"], condition=~Q(state=lifecycle.ANNULEE), name="parenting_slot_booked_once"
            ),
            models.CheckConstraint(condition=Q(fee_cents__gte=0), name="parenting_fee_not_negative"),
        ]
        indexes = [models.Index(fields=["dossier", "state"], name="parenting_family_sessions")]

    def __str__(self) -> str:
        return f"Séance n° {self.pk}"

    @property
    def state_label(self) -> str:
        return lifecycle.BOOKING.label(self.state)


class BookingTransition(TransitionLog):
    workflow = lifecycle.BOOKING
    subject_field = "booking"

    booking = models.ForeignKey(Booking, on_delete=models.PROTECT, related_name="transitions")

    class Meta(TransitionLog.Meta):
        verbose_name = "suivi d'une séance"
        verbose_name_plural = "suivis des séances"


class Orientation(models.Model):
    """Where the family goes after its fifth session, recorded once by the structure."""

    dossier = models.OneToOneField("households.Dossier", on_delete=models.PROTECT, related_name="+")
    structure = models.ForeignKey(Structure, on_delete=models.PROTECT, related_name="orientations")
    target = models.CharField("orientation", max_length=30, choices=list(lifecycle.ORIENTATIONS.items()))
    partner = models.ForeignKey(
        "social.Partner",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="partenaire",
    )
    note = models.CharField("précision", max_length=300, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "orientation après les séances"
        verbose_name_plural = "orientations après les séances"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"Orientation n° {self.pk}"
