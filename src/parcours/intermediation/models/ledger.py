"""The append-only double-entry ledger of the intermediation (IFPA).

Its arithmetic lives in `intermediation/ledger.py` (pure). Writes go through the services only:
`ledger_post` / `ledger_reverse` for one movement, the set-based steps of `cycle/` for a day's
movements in bulk (INSERT ... SELECT, one database transaction per step).

Accounts are strings: a per-intermediation account is "<code>:<intermediation id>" (`debtor`,
`creditor`, `asf_advanced`), a Caf-wide one is a bare code (`caf_bank`, `suspense`, `write_off`).
"""

from django.db import models
from django.utils import timezone

from parcours.core.append_only import AppendOnlyModel

APPEND_ONLY = (
    "Le grand livre de l'intermédiation est en ajout seul : une correction est une contre-passation."
)


class LedgerKind(models.TextChoices):
    # Issue 5, item 5: every movement of the intermediation is one of these.
    DUE = "due", "Échéance due"
    RECEIPT = "receipt", "Encaissement"
    PAYOUT = "payout", "Reversement au créancier"
    ASF_ADVANCE = "asf_advance", "Avance d'ASF"
    RECOVERY = "recovery", "Recouvrement"
    WRITE_OFF = "write_off", "Admission en non-valeur"
    REVERSAL = "reversal", "Contre-passation"


class LedgerTransaction(AppendOnlyModel):
    """One movement: a set of entries summing to zero, posted once per idempotency key."""

    append_only_message = APPEND_ONLY

    key = models.CharField("clé d'idempotence", max_length=200, unique=True)
    kind = models.CharField("nature", max_length=20, choices=LedgerKind.choices)
    intermediation = models.ForeignKey(
        "intermediation.Intermediation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ledger_transactions",
        verbose_name="intermédiation",
    )
    booked_on = models.DateField("date comptable", null=True, blank=True)
    created_at = models.DateTimeField("enregistrée le", default=timezone.now)
    reverses = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
        verbose_name="contre-passe",
    )

    class Meta:
        db_table = "child_support_ledgertransaction"
        verbose_name = "opération du grand livre"
        verbose_name_plural = "opérations du grand livre"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.key}"


class LedgerEntry(AppendOnlyModel):
    """One line of a transaction: an amount in integer cents on an account, > 0 debit, < 0 credit."""

    append_only_message = APPEND_ONLY

    transaction = models.ForeignKey(
        LedgerTransaction, on_delete=models.PROTECT, related_name="entries", verbose_name="opération"
    )
    account = models.CharField("compte", max_length=100)
    amount = models.BigIntegerField("montant (centimes, débit positif)")

    class Meta:
        db_table = "child_support_ledgerentry"
        verbose_name = "écriture du grand livre"
        verbose_name_plural = "écritures du grand livre"
        ordering = ["transaction_id", "id"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(amount=0), name="ledger_entry_amount_not_zero")
        ]

    def __str__(self) -> str:
        return f"{self.account} {self.amount}"
