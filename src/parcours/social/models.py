"""Signalements to the social-support team (wave 2 builds the accompaniment on them)."""

from django.db import models
from django.utils import timezone


class Signalement(models.Model):
    class Kind(models.TextChoices):
        SEPARATION = "separation", "Séparation"

    dossier = models.ForeignKey("households.Dossier", on_delete=models.PROTECT, related_name="signalements")
    kind = models.CharField("motif", max_length=30, choices=Kind.choices)
    created_at = models.DateTimeField(default=timezone.now)
    source = models.CharField("origine", max_length=100, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "kind", "source"], name="one_signalement_per_source")
        ]

    def __str__(self) -> str:
        return f"Signalement {self.get_kind_display()} — dossier {self.dossier_id}"
