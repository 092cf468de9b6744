"""Models of this app: for now, the append-only double-entry ledger of the intermediation (IFPA).

Its arithmetic lives in `ledger.py` (pure); writes go through `services.ledger_post` and
`services.ledger_reverse` only; reads through `selectors`.
"""

from django.db import models
from django.utils import timezone

from parcours.core.append_only import AppendOnlyQuerySet

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


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        # Written once: a saved row is never changed.
        if not self._state.adding:
            raise PermissionError(APPEND_ONLY)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise PermissionError(APPEND_ONLY)


class LedgerTransaction(AppendOnlyModel):
    """One movement: a set of entries summing to zero, posted once per idempotency key."""

    key = models.CharField("clé d'idempotence", max_length=200, unique=True)
    kind = models.CharField("nature", max_length=20, choices=LedgerKind.choices)
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
        verbose_name = "opération du grand livre"
        verbose_name_plural = "opérations du grand livre"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.key}"


class LedgerEntry(AppendOnlyModel):
    """One line of a transaction: an amount in integer cents on an account, > 0 debit, < 0 credit."""

    transaction = models.ForeignKey(
        LedgerTransaction, on_delete=models.PROTECT, related_name="entries", verbose_name="opération"
    )
    account = models.CharField("compte", max_length=100)
    amount = models.BigIntegerField("montant (centimes, débit positif)")

    class Meta:
        verbose_name = "écriture du grand livre"
        verbose_name_plural = "écritures du grand livre"
        ordering = ["transaction_id", "id"]
        indexes = [models.Index(fields=["account", "transaction"])]
        constraints = [
            models.CheckConstraint(condition=~models.Q(amount=0), name="ledger_entry_amount_not_zero")
        ]

    def __str__(self) -> str:
        return f"{self.account} {self.amount}"
