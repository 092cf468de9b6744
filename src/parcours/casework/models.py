"""Teams, tasks and their logs, the dossiers' indicators and risk, and the population segments."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from parcours.core.append_only import AppendOnlyModel
from parcours.core.transitions import TransitionLog
from parcours.core.work import Kind

from .lifecycle import A_TRAITER, OPEN, STATES, TASK


class Team(models.Model):
    """A team of the Caf on one territory: the kinds of work it receives by default, its members,
    and its offer of service (what its agents do for the publics routed to it)."""

    code = models.SlugField("code", max_length=40)
    name = models.CharField("nom", max_length=100)
    departement = models.CharField("territoire (département)", max_length=3, db_index=True)
    kinds = models.JSONField("natures de tâches reçues par défaut", default=list, blank=True)
    offer = models.TextField("offre de service", blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="casework_teams", verbose_name="membres"
    )
    leaders = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="casework_led_teams", verbose_name="responsables"
    )

    class Meta:
        verbose_name = "équipe"
        ordering = ["departement", "name"]
        constraints = [
            models.UniqueConstraint(fields=["departement", "code"], name="one_team_code_per_territory")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.departement})"


class Task(models.Model):
    """One piece of work on a dossier, created by the event that causes it and closed by its cause
    (or by an agent). `score` is the dossier's risk, copied at each rescoring (the queue's order)."""

    kind = models.CharField("nature", max_length=30, choices=[(k.value, k.value) for k in Kind])
    # The foreign keys' own indexes are left out: a composite index of Meta.indexes starts with
    # each (one index fewer to write for each task whose score moves, bench/results/casework-*).
    dossier = models.ForeignKey(
        "households.Dossier", on_delete=models.PROTECT, related_name="tasks", db_index=False
    )
    departement = models.CharField("territoire", max_length=3)
    cause = models.CharField("cause", max_length=100)
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.PROTECT, related_name="tasks", db_index=False
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="casework_tasks",
        verbose_name="agent",
        db_index=False,
    )
    state = models.CharField("état", max_length=20, choices=list(STATES.items()), default=A_TRAITER)
    opened_at = models.DateTimeField("ouverte le", default=timezone.now)
    opened_by = models.CharField("origine", max_length=30)
    due_on = models.DateField("à traiter avant le")
    breaks_on = models.DateField("rupture de paiement le", null=True, blank=True)
    amount_cents = models.BigIntegerField("montant en jeu (centimes)", default=0)
    note = models.CharField("note", max_length=200, blank=True)
    score = models.FloatField("risque", default=0)
    closed_at = models.DateTimeField("close le", null=True, blank=True)
    outcome = models.CharField("issue", max_length=200, blank=True)

    class Meta:
        verbose_name = "tâche"
        ordering = ["-score", "due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "cause"], condition=Q(state__in=sorted(OPEN)), name="one_open_task_per_cause"
            )
        ]
        indexes = [
            # "prendre la suivante": the team's free tasks, riskiest first
            models.Index(
                models.F("team"),
                models.F("score").desc(),
                models.F("due_on"),
                models.F("id"),
                name="casework_task_next",
                condition=Q(state=A_TRAITER, owner__isnull=True),
            ),
            # the team's queue page: its open tasks in the page's order
            models.Index(
                models.F("team"),
                models.F("score").desc(),
                models.F("due_on"),
                models.F("id"),
                name="casework_task_queue",
                condition=Q(state__in=sorted(OPEN)),
            ),
            models.Index(fields=["owner", "state"], name="casework_task_owner"),
            models.Index(fields=["dossier", "state"], name="casework_task_dossier"),
            models.Index(fields=["team", "state", "due_on"], name="casework_task_team_due"),
        ]

    def __str__(self) -> str:
        return f"Tâche {self.pk} ({self.kind})"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN


class TaskTransition(TransitionLog):
    workflow = TASK
    subject_field = "task"

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="transitions")

    class Meta(TransitionLog.Meta):
        verbose_name = "changement d'état d'une tâche"
        verbose_name_plural = "changements d'état des tâches"


class TaskEvent(AppendOnlyModel):
    """What happened to a task besides its state: assigned, moved to a team, followed, a note."""

    append_only_message = "Le journal d'une tâche est en ajout seul."

    class What(models.TextChoices):
        ASSIGNED = "attribuee", "Attribuée"
        MOVED = "deplacee", "Changée d'équipe"
        FOLLOWED = "suivie", "Suivie"
        UNFOLLOWED = "plus_suivie", "N'est plus suivie"
        NOTE = "note", "Note"

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField("le", default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    what = models.CharField("quoi", max_length=20, choices=What.choices)
    detail = models.CharField("détail", max_length=200, blank=True)

    class Meta:
        verbose_name = "événement d'une tâche"
        ordering = ["at", "id"]


class Follow(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["task", "user"], name="one_follow_per_user")]


class Segment(models.Model):
    """A typology of publics (GAP): the dossiers whose indicators meet every condition, the first
    segment in `rank` order taking each dossier (its primary segment); routed to a team."""

    code = models.SlugField("code", max_length=40, unique=True)
    name = models.CharField("nom", max_length=100)
    description = models.TextField("description", blank=True)
    rank = models.PositiveSmallIntegerField("ordre d'évaluation", default=100)
    team_code = models.SlugField(
        "équipe (code)",
        max_length=40,
        blank=True,
        help_text="Code de l'équipe qui reçoit ces dossiers, sur chaque territoire.",
    )
    active = models.BooleanField("active", default=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    class Meta:
        verbose_name = "segment de population"
        verbose_name_plural = "segments de population"
        ordering = ["rank", "code"]

    def __str__(self) -> str:
        return self.name


class Condition(models.Model):
    """One condition of a segment: an indicator, an operator, a value (all must hold)."""

    segment = models.ForeignKey(Segment, on_delete=models.CASCADE, related_name="conditions")
    indicator = models.CharField("indicateur", max_length=40)
    operator = models.CharField("opérateur", max_length=3)
    value = models.CharField("valeur", max_length=40)

    class Meta:
        verbose_name = "condition"
        ordering = ["id"]


class Profile(models.Model):
    """The indicators of one dossier, recomputed set-based (services/scoring.py): the facts the
    segments and the risk read, and the amounts due this month per benefit (cents)."""

    dossier = models.OneToOneField(
        "households.Dossier", primary_key=True, on_delete=models.CASCADE, related_name="casework_profile"
    )
    departement = models.CharField(max_length=3)
    adults = models.PositiveSmallIntegerField(default=0)
    children = models.PositiveSmallIntegerField(default=0)
    youngest_born = models.DateField(null=True)
    single_parent = models.BooleanField(default=False)
    no_income = models.BooleanField(default=False)
    recent_separation = models.BooleanField(default=False)
    violence = models.BooleanField(default=False)
    handicap = models.BooleanField(default=False)
    housing_status = models.CharField(max_length=20, blank=True)
    pension_unpaid = models.BooleanField(default=False)
    rsa_cents = models.BigIntegerField(default=0)
    ppa_cents = models.BigIntegerField(default=0)
    aide_logement_cents = models.BigIntegerField(default=0)
    af_cents = models.BigIntegerField(default=0)
    cf_cents = models.BigIntegerField(default=0)
    asf_cents = models.BigIntegerField(default=0)
    aah_cents = models.BigIntegerField(default=0)
    aeeh_cents = models.BigIntegerField(default=0)
    young_child = models.BooleanField(default=False)
    segment = models.ForeignKey(
        Segment, null=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )  # indexed by Meta.indexes
    computed_on = models.DateField()

    class Meta:
        indexes = [models.Index(fields=["segment"], name="casework_profile_segment")]


class Risk(models.Model):
    """The dossier's latest score and its parts (services/scoring.py)."""

    dossier = models.OneToOneField(
        "households.Dossier", primary_key=True, on_delete=models.CASCADE, related_name="casework_risk"
    )
    score = models.FloatField(default=0)
    amount_cents = models.BigIntegerField(default=0)
    likelihood = models.FloatField(default=0)
    vulnerability = models.FloatField(default=1)
    breaks_on = models.DateField(null=True)
    scored_on = models.DateField()

    class Meta:
        indexes = [models.Index(fields=["-score"], name="casework_risk_score")]


class SegmentCount(models.Model):
    """How many dossiers each segment took on a day (one row per segment, territory and run day)."""

    segment = models.ForeignKey(Segment, on_delete=models.CASCADE, related_name="counts")
    departement = models.CharField(max_length=3)
    day = models.DateField()
    dossiers = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["segment", "departement", "day"], name="one_count_per_segment_day"
            )
        ]
        ordering = ["day"]
