"""Aides financières individuelles: the committee of a territory, the budgets per theme and year,
the requests and their decisions, the SEPA payment batches and a loan's repayment schedule
(decision 0017). Money is integer cents."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from parcours.core.transitions import TransitionLog

from . import lifecycle, rules

THEME_CHOICES = list(rules.THEMES.items())
KIND_CHOICES = [(code, label) for code, (_, label) in rules.KINDS.items()]
FORM_CHOICES = list(rules.FORMS.items())


class AidCommittee(models.Model):
    """The commission des aides financières of a territory: the social workers who decide
    (managers steer with figures and never open a family's request: selectors.COMMITTEE_ROLES). Its decisions follow the four-eyes rule: never on a request one has filed."""

    name = models.CharField("nom", max_length=100)
    departement = models.CharField("territoire (département)", max_length=3, unique=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="aid_committees", verbose_name="membres"
    )

    class Meta:
        verbose_name = "commission des aides financières"
        verbose_name_plural = "commissions des aides financières"
        ordering = ["departement"]

    def __str__(self) -> str:
        return f"{self.name} ({self.departement})"


class AidBudget(models.Model):
    """The year's budget of a theme on a territory, voted by the board; granted aids count on it."""

    departement = models.CharField("territoire (département)", max_length=3)
    theme = models.CharField("thème", max_length=30, choices=THEME_CHOICES)
    year = models.PositiveSmallIntegerField("année")
    amount_cents = models.PositiveBigIntegerField("budget (centimes)")

    class Meta:
        verbose_name = "budget des aides financières"
        verbose_name_plural = "budgets des aides financières"
        ordering = ["departement", "-year", "theme"]
        constraints = [
            models.UniqueConstraint(
                fields=["departement", "theme", "year"], name="aid_one_budget_per_theme_year"
            )
        ]

    def __str__(self) -> str:
        return f"{rules.theme_label(self.theme)} {self.year} ({self.departement})"


class PaymentBatch(models.Model):
    """One pain.001 file paying granted aids: written once, never changed."""

    departement = models.CharField("territoire (département)", max_length=3)
    message_id = models.CharField("identifiant du message", max_length=35, unique=True)
    created_at = models.DateTimeField("créé le", default=timezone.now)
    execution_date = models.DateField("date d'exécution")
    total_cents = models.PositiveBigIntegerField("total (centimes)")
    count = models.PositiveIntegerField("nombre de virements")
    xml = models.TextField("fichier pain.001")
    sha256 = models.CharField("empreinte SHA-256", max_length=64)

    class Meta:
        verbose_name = "lot de virements d'aides"
        verbose_name_plural = "lots de virements d'aides"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.message_id


class AidRequest(models.Model):
    """A request for an individual financial aid, filed by a social worker for a family, decided by
    the committee, paid by a SEPA credit transfer to the family or to a third party (a landlord, a
    crèche, a holiday centre)."""

    class Payee(models.TextChoices):
        FAMILY = "famille", "La famille"
        THIRD_PARTY = "tiers", "Un tiers (bailleur, crèche, organisme)"

    dossier = models.ForeignKey("households.Dossier", on_delete=models.PROTECT, related_name="+")
    accompaniment = models.ForeignKey(
        "social.Accompaniment", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    departement = models.CharField("territoire (département)", max_length=3)
    theme = models.CharField("thème", max_length=30, choices=THEME_CHOICES)
    kind = models.CharField("nature de l'aide", max_length=30, choices=KIND_CHOICES)
    form = models.CharField("forme", max_length=12, choices=FORM_CHOICES)
    amount_requested_cents = models.PositiveBigIntegerField("montant demandé (centimes)")
    amount_granted_cents = models.PositiveBigIntegerField("montant accordé (centimes)", null=True, blank=True)
    loan_months = models.PositiveSmallIntegerField("durée du prêt (mois)", null=True, blank=True)
    motive = models.TextField("motif de la demande")
    qf_cents = models.PositiveBigIntegerField("quotient familial (centimes)")
    payee_kind = models.CharField("bénéficiaire du versement", max_length=10, choices=Payee.choices)
    payee_name = models.CharField("titulaire du compte", max_length=140)
    payee_iban = models.CharField("IBAN", max_length=34)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="demandé par"
    )
    requested_at = models.DateTimeField("demandé le", default=timezone.now)
    state = models.CharField(
        "état", max_length=20, choices=lifecycle.REQUEST.choices, default=lifecycle.SOUMISE
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="décidé par",
    )
    decided_on = models.DateField("décidé le", null=True, blank=True)
    decision_reason = models.TextField("motif de la décision", blank=True)
    budget_year = models.PositiveSmallIntegerField("année du budget", null=True, blank=True)
    batch = models.ForeignKey(
        PaymentBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="requests"
    )
    paid_on = models.DateField("versé le", null=True, blank=True)

    class Meta:
        verbose_name = "demande d'aide financière"
        verbose_name_plural = "demandes d'aides financières"
        ordering = ["-requested_at", "-id"]
        indexes = [
            models.Index(fields=["departement", "state"], name="aid_request_queue"),
            models.Index(fields=["departement", "theme", "budget_year", "state"], name="aid_request_budget"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(form=rules.GRANT) | models.Q(loan_months__gte=1),
                name="aid_request_loan_has_months",
            ),
        ]

    def __str__(self) -> str:
        return f"Demande d'aide n° {self.pk}"

    @property
    def theme_label(self) -> str:
        return rules.theme_label(self.theme)

    @property
    def kind_label(self) -> str:
        return rules.kind_label(self.kind)

    @property
    def is_loan(self) -> bool:
        return self.form == rules.LOAN


class AidTransition(TransitionLog):
    workflow = lifecycle.REQUEST
    subject_field = "request"

    request = models.ForeignKey(AidRequest, on_delete=models.PROTECT, related_name="transitions")

    class Meta(TransitionLog.Meta):
        verbose_name = "suivi d'une demande d'aide"
        verbose_name_plural = "suivis des demandes d'aides"


class LoanRepayment(models.Model):
    """One instalment of a loan's schedule, recorded when the loan is paid. Its recovery (direct
    debit, reminders) is not done by parcours (decision 0017)."""

    request = models.ForeignKey(AidRequest, on_delete=models.PROTECT, related_name="repayments")
    number = models.PositiveSmallIntegerField("échéance n°")
    due_on = models.DateField("due le")
    amount_cents = models.PositiveBigIntegerField("montant (centimes)")

    class Meta:
        verbose_name = "échéance de remboursement d'un prêt"
        verbose_name_plural = "échéances de remboursement des prêts"
        ordering = ["request", "number"]
        constraints = [
            models.UniqueConstraint(fields=["request", "number"], name="aid_one_repayment_per_number")
        ]
