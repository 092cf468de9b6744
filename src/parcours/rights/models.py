"""Computed rights, kept as dated revisions: what was due, for which month, from which situation."""

from django.db import models
from django.utils import timezone

from parcours.core.append_only import AppendOnlyModel


class RightsRevision(AppendOnlyModel):
    """The amount due for a benefit and a month, as computed at `computed_at` from the registry at
    `registry_version`. Append-only: a later computation that changes the amount adds a revision;
    the difference with `previous_amount` is a rappel (> 0, owed to the family) or an indu (< 0)."""

    append_only_message = (
        "Une révision de droits ne se modifie ni ne se supprime : un nouveau calcul ajoute une révision."
    )

    dossier = models.ForeignKey(
        "households.Dossier", on_delete=models.PROTECT, related_name="rights_revisions"
    )
    month = models.DateField("mois")
    benefit = models.CharField("prestation", max_length=30)
    amount = models.DecimalField("montant dû (€)", max_digits=10, decimal_places=2)
    previous_amount = models.DecimalField(
        "montant dû auparavant (€)", max_digits=10, decimal_places=2, null=True
    )
    registry_version = models.BigIntegerField("version de la situation")
    computed_at = models.DateTimeField("calculé le", default=timezone.now)
    source = models.CharField("origine", max_length=30)

    class Meta:
        verbose_name = "révision de droits"
        verbose_name_plural = "révisions de droits"
        indexes = [models.Index(fields=["dossier", "month", "benefit", "id"])]

    def __str__(self) -> str:
        return f"{self.benefit} {self.month:%m/%Y} : {self.amount} €"


class RecomputeRun(models.Model):
    """A batch recomputation of one month. Its chunks are recorded as they finish, so that an
    interrupted run resumes where it stopped; `--restart` starts a new run of the same month."""

    month = models.DateField("mois")
    chunk_size = models.PositiveIntegerField("foyers par lot")
    started_at = models.DateTimeField("commencé le", default=timezone.now)
    finished_at = models.DateTimeField("terminé le", null=True)

    class Meta:
        verbose_name = "recalcul mensuel"
        verbose_name_plural = "recalculs mensuels"
        indexes = [models.Index(fields=["month", "id"])]

    def __str__(self) -> str:
        return f"Recalcul {self.month:%m/%Y}"


class RecomputeChunk(models.Model):
    """A finished chunk of a run: the dossiers of ids first..last (inclusive) are computed and
    their revisions written, in the same transaction as this row."""

    run = models.ForeignKey(RecomputeRun, on_delete=models.CASCADE, related_name="chunks")
    first_dossier_id = models.BigIntegerField()
    last_dossier_id = models.BigIntegerField()
    households = models.PositiveIntegerField()
    done_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["run", "first_dossier_id"], name="one_chunk_per_first_dossier")
        ]

    def __str__(self) -> str:
        return f"Lot {self.first_dossier_id}–{self.last_dossier_id}"
