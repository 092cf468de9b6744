"""What the demo command loaded, so that a later run extends the same département."""

from django.db import models
from django.utils import timezone


class DemoLoad(models.Model):
    """One run of `python -m parcours demo`.

    The first run fixes the seed and the reference month of the base: a later run without
    `--reference-month` reuses them, so the same seed always gives the same persons and dates,
    even a month later, and a larger count extends the same département.
    """

    seed = models.BigIntegerField("graine")
    reference_month = models.DateField("mois de référence")
    households = models.PositiveIntegerField("foyers demandés")
    created = models.PositiveIntegerField("foyers créés")
    loaded_at = models.DateTimeField("chargé le", default=timezone.now)
    seconds = models.DecimalField("durée (s)", max_digits=9, decimal_places=1)

    class Meta:
        verbose_name = "chargement de démonstration"
        verbose_name_plural = "chargements de démonstration"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"Graine {self.seed}, {self.households} foyers, le {self.loaded_at:%d/%m/%Y}"
