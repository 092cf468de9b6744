"""The financial intermediation (IFPA, CSS L582-1) and what its monthly cycle records.

Operational rows (dues, allocations, payouts, notices, ...) carry a unique key so that every step
of `ifpa daily` is idempotent; the money itself is in the ledger (`models/ledger.py`), and
`ifpa check` proves the two agree. Amounts are integer cents.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from parcours.core.transitions import TransitionLog
from parcours.intermediation.workflows import RECOVERY, STATUS


class IntermediationStatus(models.TextChoices):
    ACTIVE = "active", "En cours"
    ENDED = "ended", "Terminée"


class RecoveryState(models.TextChoices):
    NORMAL = "normal", "Paiements à jour"
    NOTICE = "notice", "Relance envoyée au débiteur"
    FORCED = "forced", "Recouvrement forcé"


class PaymentMethod(models.TextChoices):
    DEBIT = "debit", "Prélèvement SEPA"
    TRANSFER = "transfer", "Virement du débiteur"


class Intermediation(models.Model):
    reference = models.CharField("référence", max_length=11, unique=True)  # "IF" + 9 digits
    titre = models.ForeignKey("titres.Titre", on_delete=models.PROTECT, related_name="intermediations")
    status = models.CharField(
        "état", max_length=10, choices=IntermediationStatus.choices, default=IntermediationStatus.ACTIVE
    )
    opened_on = models.DateField("ouverte le")
    opened_how = models.CharField("ouverture", max_length=20)  # "automatique" | "demande"
    ended_on = models.DateField("terminée le", null=True, blank=True)
    end_reason = models.CharField("motif de fin", max_length=200, blank=True)
    first_month = models.DateField("premier mois dû")
    monthly_amount_cents = models.BigIntegerField("pension mensuelle en cours (centimes)")
    base_amount_cents = models.BigIntegerField("pension mensuelle fixée par le titre (centimes)")
    # Revaluation (DOMAIN.md §5), copied from the titre: on the 1st of `revaluation_month` each
    # year from `first_revaluation_on`, base amount × index(new) / index(base month).
    index_series = models.CharField("indice", max_length=40)
    index_base_month = models.DateField("mois de l'indice de base")
    revaluation_month = models.PositiveSmallIntegerField("mois de revalorisation")
    first_revaluation_on = models.DateField("première revalorisation")
    children_count = models.PositiveSmallIntegerField("nombre d'enfants")
    due_day = models.PositiveSmallIntegerField("jour d'échéance")
    payment_method = models.CharField("mode de paiement", max_length=10, choices=PaymentMethod.choices)
    # The debtor's side: never shown to the creditor.
    debtor_name = models.CharField("titulaire du compte du débiteur", max_length=140)
    debtor_iban = models.CharField("IBAN du débiteur", max_length=34, db_index=True)
    debtor_bic = models.CharField("BIC du débiteur", max_length=11, blank=True)
    mandate_id = models.CharField("référence unique du mandat", max_length=35, blank=True)
    mandate_signed_on = models.DateField("mandat signé le", null=True, blank=True)
    debtor_employer = models.CharField("employeur du débiteur", max_length=140, blank=True)
    # The creditor's side: the account the Caf pays.
    creditor_name = models.CharField("titulaire du compte du créancier", max_length=140)
    creditor_iban = models.CharField("IBAN du créancier", max_length=34)
    creditor_bic = models.CharField("BIC du créancier", max_length=11, blank=True)
    # ASF: the creditor's household is eligible to the ASF as a recoverable advance (rights engine),
    # and its monthly amount for the children of the titre.
    asf_eligible = models.BooleanField("ASF en avance si impayé", default=False)
    recovery_state = models.CharField(
        "recouvrement", max_length=10, choices=RecoveryState.choices, default=RecoveryState.NORMAL
    )
    # Running figures, changed only by the cycle's steps, in the same database transaction as the
    # ledger movements they follow (`ifpa check` recomputes them from the ledger).
    credit_cents = models.BigIntegerField("versements non encore affectés (centimes)", default=0)
    funded_cents = models.BigIntegerField("encaissé pour le créancier (centimes)", default=0)
    paid_out_cents = models.BigIntegerField("reversé au créancier (centimes)", default=0)

    class Meta:
        db_table = "child_support_intermediation"
        verbose_name = "intermédiation financière"
        verbose_name_plural = "intermédiations financières"
        ordering = ["id"]
        indexes = [models.Index(fields=["status", "recovery_state"])]

    def __str__(self) -> str:
        return f"Intermédiation {self.reference}"


class IntermediationEvent(models.Model):
    """What happened to an intermediation besides its changes of state (those are the transition
    logs below): its opening, arrears asked, a waiting credit assigned — who, when, what."""

    intermediation = models.ForeignKey(Intermediation, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField("le", default=timezone.now)
    on = models.DateField("date d'effet")
    action = models.CharField("action", max_length=30)
    from_state = models.CharField("avant", max_length=20, blank=True)
    to_state = models.CharField("après", max_length=20)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField("commentaire", blank=True)

    class Meta:
        db_table = "child_support_intermediationevent"
        verbose_name = "événement d'intermédiation"
        ordering = ["id"]


class _DatedTransition(TransitionLog):
    """A change of one of an intermediation's two workflows, with the day it takes effect."""

    on = models.DateField("date d'effet")

    class Meta(TransitionLog.Meta):
        abstract = True


class IntermediationTransition(_DatedTransition):
    """Every change of an intermediation's status (intermediation/workflows.py: STATUS)."""

    workflow = STATUS
    subject_field = "intermediation"

    intermediation = models.ForeignKey(
        Intermediation, on_delete=models.PROTECT, related_name="status_transitions"
    )

    class Meta(_DatedTransition.Meta):
        db_table = "intermediation_status_transition"
        verbose_name = "changement d'état d'une intermédiation"
        verbose_name_plural = "changements d'état des intermédiations"


class RecoveryTransition(_DatedTransition):
    """Every change of an intermediation's recovery state (intermediation/workflows.py: RECOVERY)."""

    workflow = RECOVERY
    subject_field = "intermediation"

    intermediation = models.ForeignKey(
        Intermediation, on_delete=models.PROTECT, related_name="recovery_transitions"
    )

    class Meta(_DatedTransition.Meta):
        db_table = "intermediation_recovery_transition"
        verbose_name = "changement d'état du recouvrement"
        verbose_name_plural = "changements d'état du recouvrement"


class Due(models.Model):
    """The pension due by the debtor for one month."""

    intermediation = models.ForeignKey(Intermediation, on_delete=models.PROTECT, related_name="dues")
    month = models.DateField("mois")
    due_on = models.DateField("échéance")
    reference = models.CharField("référence de paiement", max_length=20, unique=True)
    amount_cents = models.BigIntegerField("montant dû (centimes)")
    paid_cents = models.BigIntegerField("payé (centimes)", default=0)
    asf_cents = models.BigIntegerField("avancé par l'ASF (centimes)", default=0)
    notice_on = models.DateField("relance le", null=True, blank=True)

    class Meta:
        db_table = "child_support_due"
        verbose_name = "échéance"
        ordering = ["intermediation_id", "month"]
        constraints = [models.UniqueConstraint(fields=["intermediation", "month"], name="one_due_a_month")]
        indexes = [models.Index(fields=["due_on"])]


class DueAllocation(models.Model):
    """Money of the debtor applied to a due on a day (oldest due first): what went to the creditor,
    and what repaid the Caf's ASF advance for that due."""

    due = models.ForeignKey(Due, on_delete=models.PROTECT, related_name="allocations")
    intermediation = models.ForeignKey(Intermediation, on_delete=models.PROTECT, related_name="+")
    on = models.DateField("le")
    creditor_cents = models.BigIntegerField("pour le créancier (centimes)")
    recovery_cents = models.BigIntegerField("remboursement de l'ASF (centimes)")

    class Meta:
        db_table = "child_support_dueallocation"
        verbose_name = "affectation d'un versement"
        indexes = [models.Index(fields=["on", "intermediation"])]


class Payout(models.Model):
    """A transfer to the creditor (pension collected, or ASF advance), in a pain.001 file."""

    key = models.CharField("clé d'idempotence", max_length=60, unique=True)
    intermediation = models.ForeignKey(Intermediation, on_delete=models.PROTECT, related_name="payouts")
    on = models.DateField("exécuté le")
    amount_cents = models.BigIntegerField("montant (centimes)")
    kind = models.CharField("nature", max_length=20)  # "pension" | "asf"
    payment_file = models.ForeignKey(
        "intermediation.PaymentFile", null=True, on_delete=models.PROTECT, related_name="payouts"
    )

    class Meta:
        db_table = "child_support_payout"
        verbose_name = "reversement au créancier"
        verbose_name_plural = "reversements au créancier"
        indexes = [models.Index(fields=["on"])]


class Collection(models.Model):
    """A SEPA direct debit of one due on the debtor (pain.008)."""

    due = models.OneToOneField(Due, on_delete=models.PROTECT, related_name="collection")
    intermediation = models.ForeignKey(Intermediation, on_delete=models.PROTECT, related_name="+")
    collection_date = models.DateField("date de prélèvement")
    amount_cents = models.BigIntegerField("montant (centimes)")
    sequence = models.CharField("séquence", max_length=4)  # FRST | RCUR
    payment_file = models.ForeignKey(
        "intermediation.PaymentFile", null=True, on_delete=models.PROTECT, related_name="collections"
    )

    class Meta:
        db_table = "child_support_collection"
        verbose_name = "prélèvement"
        indexes = [models.Index(fields=["collection_date"])]


class AsfAdvance(models.Model):
    """The ASF the Caf pays the creditor in place of an unpaid due, recovered from the debtor."""

    due = models.OneToOneField(Due, on_delete=models.PROTECT, related_name="asf_advance")
    intermediation = models.ForeignKey(Intermediation, on_delete=models.PROTECT, related_name="+")
    on = models.DateField("le")
    amount_cents = models.BigIntegerField("montant (centimes)")

    class Meta:
        db_table = "child_support_asfadvance"
        verbose_name = "avance d'ASF"
        verbose_name_plural = "avances d'ASF"


class UnpaidNotice(models.Model):
    """CSS R582-8: the notice to the debtor, within 15 days of a missed due, giving 15 days to pay."""

    intermediation = models.ForeignKey(Intermediation, on_delete=models.PROTECT, related_name="notices")
    sent_on = models.DateField("envoyée le")
    pay_by = models.DateField("à régler avant le")
    amount_cents = models.BigIntegerField("restant dû (centimes)")
    escalated_on = models.DateField("recouvrement forcé le", null=True, blank=True)

    class Meta:
        db_table = "child_support_unpaidnotice"
        verbose_name = "relance d'impayé"
        constraints = [models.UniqueConstraint(fields=["intermediation", "sent_on"], name="one_notice_a_day")]
        indexes = [models.Index(fields=["pay_by"])]


class ForcedRecovery(models.Model):
    """Paiement direct through a third party (CPCE R213-11), lifted after 6 paid months."""

    intermediation = models.ForeignKey(
        Intermediation, on_delete=models.PROTECT, related_name="forced_recoveries"
    )
    started_on = models.DateField("engagé le")
    third_party = models.CharField("tiers saisi", max_length=20)  # employeur | banque | france_travail
    arrears_cents = models.BigIntegerField("arriéré (centimes)")
    instalments = models.PositiveSmallIntegerField("nombre de mensualités")
    instalment_cents = models.BigIntegerField("première mensualité (centimes)")
    lifted_on = models.DateField("levé le", null=True, blank=True)

    class Meta:
        db_table = "child_support_forcedrecovery"
        verbose_name = "recouvrement forcé"
        verbose_name_plural = "recouvrements forcés"
        constraints = [
            models.UniqueConstraint(
                fields=["intermediation"],
                condition=models.Q(lifted_on__isnull=True),
                name="one_open_forced_recovery",
            )
        ]


class Revaluation(models.Model):
    """The yearly revaluation of a pension on the titre's anniversary, with the index used."""

    intermediation = models.ForeignKey(Intermediation, on_delete=models.PROTECT, related_name="revaluations")
    on = models.DateField("le")
    from_cents = models.BigIntegerField("avant (centimes)")
    to_cents = models.BigIntegerField("après (centimes)")
    index_base = models.DecimalField("indice de base", max_digits=10, decimal_places=2)
    index_new = models.DecimalField("nouvel indice", max_digits=10, decimal_places=2)

    class Meta:
        db_table = "child_support_revaluation"
        verbose_name = "revalorisation"
        constraints = [models.UniqueConstraint(fields=["intermediation", "on"], name="one_revaluation_a_day")]
