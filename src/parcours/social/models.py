"""Social support: signalements → offers → accompaniments (interviews, objectives, confidential
notes), the partners of the territory and the referrals made to them (decision 0015)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from parcours.core.append_only import AppendOnlyModel
from parcours.core.transitions import TransitionLog

from . import lifecycle
from .offers import KIND_CHOICES, Channel, Origin, SignalementKind


class SocialTeam(models.Model):
    """The social-support team of a territory: its social workers (chargé·es d'intervention
    sociale) and the leaders who see every caseload and reassign."""

    name = models.CharField("nom", max_length=100)
    departement = models.CharField("territoire (département)", max_length=3, unique=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="social_teams", verbose_name="travailleurs sociaux"
    )
    leaders = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="social_led_teams", verbose_name="responsables"
    )

    class Meta:
        verbose_name = "équipe d'intervention sociale"
        verbose_name_plural = "équipes d'intervention sociale"
        ordering = ["departement"]

    def __str__(self) -> str:
        return f"{self.name} ({self.departement})"


class Signalement(models.Model):
    """An event that calls for an offer of support: one per (dossier, kind, source)."""

    Kind = SignalementKind

    dossier = models.ForeignKey("households.Dossier", on_delete=models.PROTECT, related_name="signalements")
    kind = models.CharField("motif", max_length=30, choices=KIND_CHOICES)
    created_at = models.DateTimeField(default=timezone.now)
    source = models.CharField("origine", max_length=100, blank=True)
    origin = models.CharField(
        "signalé par",
        max_length=20,
        choices=[(o.value, o.value) for o in Origin],
        default=Origin.EVENT,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    team = models.ForeignKey(
        SocialTeam, null=True, blank=True, on_delete=models.PROTECT, related_name="signalements"
    )
    state = models.CharField(
        "état", max_length=20, choices=lifecycle.SIGNALEMENT.choices, default=lifecycle.A_PROPOSER
    )
    channel = models.CharField(
        "canal de l'offre",
        max_length=10,
        choices=[(c.value, c.value) for c in Channel],
        default=Channel.WRITTEN,
    )
    proposed_on = models.DateField("offre proposée le", null=True, blank=True)
    answer_by = models.DateField("réponse attendue avant le", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "kind", "source"], name="one_signalement_per_source")
        ]
        indexes = [models.Index(fields=["team", "state"], name="social_signalement_queue")]

    def __str__(self) -> str:
        return f"Signalement {self.get_kind_display()} — dossier {self.dossier_id}"

    @property
    def is_open(self) -> bool:
        return self.state in lifecycle.SIGNALEMENT_OPEN


class SignalementTransition(TransitionLog):
    workflow = lifecycle.SIGNALEMENT
    subject_field = "signalement"

    signalement = models.ForeignKey(Signalement, on_delete=models.PROTECT, related_name="transitions")

    class Meta(TransitionLog.Meta):
        verbose_name = "suivi d'un signalement"
        verbose_name_plural = "suivis des signalements"


class Accompaniment(models.Model):
    """The social support of a family that accepted an offer, by one social worker."""

    signalement = models.OneToOneField(Signalement, on_delete=models.PROTECT, related_name="accompaniment")
    dossier = models.ForeignKey("households.Dossier", on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey(SocialTeam, on_delete=models.PROTECT, related_name="accompaniments")
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accompaniments",
        verbose_name="travailleur social",
    )
    state = models.CharField(
        "étape", max_length=20, choices=lifecycle.ACCOMPANIMENT.choices, default=lifecycle.PREMIER_ENTRETIEN
    )
    opened_on = models.DateField("ouvert le")
    closed_on = models.DateField("clos le", null=True, blank=True)
    outcome = models.CharField(
        "résultat", max_length=30, choices=list(lifecycle.CLOSING_OUTCOMES.items()), blank=True
    )

    class Meta:
        verbose_name = "accompagnement"
        ordering = ["-opened_on", "-id"]
        indexes = [models.Index(fields=["worker", "state"], name="social_caseload")]

    def __str__(self) -> str:
        return f"Accompagnement n° {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.state in lifecycle.ACCOMPANIMENT_OPEN


class AccompanimentTransition(TransitionLog):
    workflow = lifecycle.ACCOMPANIMENT
    subject_field = "accompaniment"

    accompaniment = models.ForeignKey(Accompaniment, on_delete=models.PROTECT, related_name="transitions")

    class Meta(TransitionLog.Meta):
        verbose_name = "étape d'un accompagnement"
        verbose_name_plural = "étapes des accompagnements"


class Interview(models.Model):
    class Mode(models.TextChoices):
        ON_SITE = "sur_place", "À l'accueil de la Caf"
        PHONE = "telephone", "Par téléphone"
        HOME = "domicile", "Visite à domicile"
        PARTNER = "partenaire", "Chez un partenaire"

    accompaniment = models.ForeignKey(Accompaniment, on_delete=models.PROTECT, related_name="interviews")
    on = models.DateTimeField("le")
    mode = models.CharField("modalité", max_length=20, choices=Mode.choices)
    place = models.CharField("lieu", max_length=200, blank=True)
    held = models.BooleanField("tenu", null=True, blank=True)  # None: planned
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "entretien"
        ordering = ["on", "id"]


class Objective(models.Model):
    """One objective of the plan d'accompagnement, agreed with the family."""

    accompaniment = models.ForeignKey(Accompaniment, on_delete=models.PROTECT, related_name="objectives")
    text = models.CharField("objectif", max_length=300)
    reached_on = models.DateField("atteint le", null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "objectif"
        ordering = ["id"]


class SocialNote(AppendOnlyModel):
    """A confidential social note: readable by the social team of the territory only (never by a
    benefits agent, the ARIPA, a partner or the parents), every read audited; written once."""

    append_only_message = "Une note sociale ne se modifie pas : ajoutez-en une nouvelle."

    accompaniment = models.ForeignKey(Accompaniment, on_delete=models.PROTECT, related_name="notes")
    interview = models.ForeignKey(
        Interview, null=True, blank=True, on_delete=models.PROTECT, related_name="notes"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    text = models.TextField("note")

    class Meta:
        verbose_name = "note sociale"
        verbose_name_plural = "notes sociales"
        ordering = ["at", "id"]


class Partner(models.Model):
    """A partner structure of the territory (admin-editable directory)."""

    class Kind(models.TextChoices):
        MEDIATION = "mediation", "Médiation familiale"
        ESPACE_RENCONTRE = "espace_rencontre", "Espace rencontre"
        AIDE_DOMICILE = "aide_domicile", "Aide à domicile"
        PSYCHOLOGUE = "psychologue", "Psychologue"
        HANDICAP = "handicap", "Pôle ressources handicap"
        LOGEMENT = "logement", "Logement et accès aux droits"
        VIOLENCES = "violences", "Accueil des victimes de violences"
        PARENTALITE = "parentalite", "Soutien à la parentalité"

    name = models.CharField("nom", max_length=150)
    kind = models.CharField("nature", max_length=30, choices=Kind.choices)
    departement = models.CharField("territoire (département)", max_length=3, db_index=True)
    services = models.TextField("services proposés")
    labels = models.CharField("labels", max_length=200, blank=True)
    email = models.EmailField("courriel", blank=True)
    phone = models.CharField("téléphone", max_length=20, blank=True)
    opening = models.CharField("horaires d'accueil", max_length=200, blank=True)
    active = models.BooleanField("actif", default=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="partner_structures", verbose_name="comptes"
    )

    class Meta:
        verbose_name = "partenaire"
        ordering = ["departement", "name"]

    def __str__(self) -> str:
        return self.name


class Referral(models.Model):
    """An orientation from an accompaniment to a partner, with the family's consent; the partner
    sees only the minimum: the first name and last name, the commune, the purpose, the contact the
    family agreed to give."""

    accompaniment = models.ForeignKey(Accompaniment, on_delete=models.PROTECT, related_name="referrals")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="referrals")
    purpose = models.CharField("objet de l'orientation", max_length=300)
    contact = models.CharField("coordonnées transmises avec l'accord de la famille", max_length=200)
    consent_on = models.DateField("accord de la famille recueilli le")
    state = models.CharField(
        "état", max_length=20, choices=lifecycle.REFERRAL.choices, default=lifecycle.ORIENTEE
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    feedback = models.CharField("retour du partenaire", max_length=300, blank=True)

    class Meta:
        verbose_name = "orientation"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Orientation n° {self.pk}"


class ReferralTransition(TransitionLog):
    workflow = lifecycle.REFERRAL
    subject_field = "referral"

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="transitions")

    class Meta(TransitionLog.Meta):
        verbose_name = "suivi d'une orientation"
        verbose_name_plural = "suivis des orientations"
