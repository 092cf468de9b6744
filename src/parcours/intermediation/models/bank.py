"""Bank files: statements received (camt.053 / camt.054) and payment files sent (pain.001 / pain.008)."""

from django.db import models
from django.utils import timezone


class BankStatement(models.Model):
    """An imported statement, known by its account and message id (GrpHdr/MsgId, once per account)
    and by the SHA-256 of its canonical content (C14N: the same whatever the file's encoding)."""

    sha256 = models.CharField("empreinte du contenu", max_length=64, unique=True)
    kind = models.CharField("format", max_length=10)
    # Empty only on rows imported before the account was recorded under a message id already used.
    account_iban = models.CharField("compte (IBAN)", max_length=34, blank=True)
    message_id = models.CharField("identifiant du message", max_length=35)
    imported_on = models.DateField("importé le (jour de traitement)")
    imported_at = models.DateTimeField("importé à", default=timezone.now)
    file_name = models.CharField("fichier", max_length=255)
    lines = models.PositiveIntegerField("lignes", default=0)

    class Meta:
        db_table = "child_support_bankstatement"
        verbose_name = "relevé bancaire"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["account_iban", "message_id"],
                condition=~models.Q(account_iban=""),
                name="bankstatement_message_once_per_account",
            )
        ]


class BankLineStatus(models.TextChoices):
    NEW = "new", "À rapprocher"
    MATCHED = "matched", "Rapprochée"
    SUSPENSE = "suspense", "En compte d'attente"
    RESOLVED = "resolved", "Attente traitée par un agent"
    REFUNDED = "refunded", "Remboursée à l'émetteur"
    IGNORED = "ignored", "Sans objet (débit)"


class BankLine(models.Model):
    """One credit or debit of a statement, once per bank reference (`line_key`)."""

    statement = models.ForeignKey(BankStatement, on_delete=models.PROTECT, related_name="bank_lines")
    line_key = models.CharField("référence bancaire", max_length=80, unique=True)
    booked_on = models.DateField("comptabilisé le")
    amount_cents = models.BigIntegerField("montant (centimes)")
    credit = models.BooleanField("crédit")
    end_to_end_id = models.CharField("référence de bout en bout", max_length=35, blank=True)
    remittance = models.CharField("libellé", max_length=140, blank=True)
    counterparty_name = models.CharField("émetteur", max_length=140, blank=True)
    counterparty_iban = models.CharField("IBAN émetteur", max_length=34, blank=True)
    reference_found = models.CharField("référence reconnue", max_length=11, blank=True, db_index=True)
    status = models.CharField(
        "état", max_length=10, choices=BankLineStatus.choices, default=BankLineStatus.NEW
    )
    intermediation = models.ForeignKey(
        "intermediation.Intermediation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    matched_by = models.CharField("rapprochement", max_length=20, blank=True)  # reference | amount | agent
    processed_on = models.DateField("traité le", null=True, blank=True)

    class Meta:
        db_table = "child_support_bankline"
        verbose_name = "ligne de relevé"
        verbose_name_plural = "lignes de relevé"
        ordering = ["id"]
        indexes = [models.Index(fields=["status"])]


class PaymentFileKind(models.TextChoices):
    PAIN001 = "pain.001", "Virements (pain.001)"
    PAIN008 = "pain.008", "Prélèvements (pain.008)"


class PaymentFile(models.Model):
    """A payment file written for the bank: its rows are fixed in the database first, then the file
    is written from them (so a re-run after a crash writes the same bytes)."""

    key = models.CharField("clé d'idempotence", max_length=60, unique=True)
    kind = models.CharField("format", max_length=10, choices=PaymentFileKind.choices)
    message_id = models.CharField("identifiant du message", max_length=35, unique=True)
    on = models.DateField("date d'exécution")
    created_at = models.DateTimeField("créé le", default=timezone.now)
    count = models.PositiveIntegerField("opérations", default=0)
    total_cents = models.BigIntegerField("total (centimes)", default=0)
    sha256 = models.CharField("empreinte", max_length=64, blank=True)

    class Meta:
        db_table = "child_support_paymentfile"
        verbose_name = "fichier de paiement"
        ordering = ["id"]
