"""Read queries of the back office: queues, a task and why it is there, the weekly priority list,
a team's load, the segments' counts."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from parcours.households.selectors import allocataire_names

from . import lifecycle, risk
from .kinds import catalogue
from .models import Profile, Risk, Segment, SegmentCount, Task, TaskEvent, TaskTransition, Team

VULNERABILITY_FIELDS = {
    "parent_isole": "single_parent",
    "sans_revenu": "no_income",
    "jeune_enfant": "young_child",
    "separation_recente": "recent_separation",
    "violences": "violence",
}
AMOUNTS = ("rsa", "ppa", "aide_logement", "af", "cf", "asf", "aah", "aeeh")


def territory_tasks(user: Any) -> QuerySet[Task]:
    """The tasks of the agent's territory (an agent works on one territory)."""
    return Task.objects.filter(departement=user.departement) if user.departement else Task.objects.none()


def task_for(user: Any, pk: int) -> Task:
    """A task of the agent's territory; any other is "not found" (the uniform 404)."""
    task = territory_tasks(user).filter(pk=pk).select_related("dossier", "team", "owner").first()
    if task is None:
        raise Http404("Tâche introuvable.")
    return task


def my_tasks(user: Any) -> QuerySet[Task]:
    return (
        territory_tasks(user).filter(owner=user, state__in=lifecycle.OPEN).select_related("dossier", "team")
    )


def team_queue(user: Any, *, filters: dict[str, str] | None = None) -> QuerySet[Task]:
    """The open tasks of the agent's teams, riskiest first then by due date; `filters`: kind,
    segment (code), state, owner ("moi", "personne" or a user id), team (id), overdue ("1")."""
    filters = filters or {}
    teams = list(user.casework_teams.values_list("pk", flat=True)) + list(
        user.casework_led_teams.values_list("pk", flat=True)
    )
    rows = territory_tasks(user).filter(state__in=lifecycle.OPEN)
    if filters.get("team"):
        rows = rows.filter(team_id=filters["team"]) if int(filters["team"]) in teams else rows.none()
    else:
        rows = rows.filter(team_id__in=teams)
    if filters.get("kind"):
        rows = rows.filter(kind=filters["kind"])
    if filters.get("state"):
        rows = rows.filter(state=filters["state"])
    if filters.get("segment"):
        rows = rows.filter(dossier__casework_profile__segment__code=filters["segment"])
    owner = filters.get("owner", "")
    if owner == "moi":
        rows = rows.filter(owner=user)
    elif owner == "personne":
        rows = rows.filter(owner__isnull=True)
    elif owner.isdigit():
        rows = rows.filter(owner_id=int(owner))
    if filters.get("overdue") == "1":
        rows = rows.filter(due_on__lt=timezone.localdate())
    return rows.select_related("dossier", "team", "owner").order_by("-score", "due_on", "id")


def names_of(tasks: list[Task]) -> dict[int, str]:
    return allocataire_names(sorted({t.dossier_id for t in tasks}))


@dataclass(frozen=True)
class WhyLine:
    label: str
    reason: str
    weight: str
    amount_cents: int
    breaks_on: date | None


@dataclass(frozen=True)
class Why:
    """ "Pourquoi ce dossier est ici": the score and each of its parts, in French."""

    score: risk.Score
    lines: list[WhyLine]
    vulnerable: list[tuple[str, str, str]]  # label, weight, reason
    amounts_cents: dict[str, int]


def why(dossier_id: int, *, day: date | None = None) -> Why:
    """The dossier's score today, rebuilt from its open tasks and indicators with risk.score (the
    same formula the nightly SQL uses), each factor with its weight, amount and break date."""
    day = day or timezone.localdate()
    profile = Profile.objects.filter(pk=dossier_id).first()
    amounts = {b: getattr(profile, f"{b}_cents") for b in AMOUNTS} if profile else {}
    vulnerable = [c for c, f in VULNERABILITY_FIELDS.items() if profile and getattr(profile, f)]
    present = [
        risk.Present(kind, breaks, cents)
        for kind, breaks, cents in Task.objects.filter(
            dossier_id=dossier_id, state__in=lifecycle.OPEN
        ).values_list("kind", "breaks_on", "amount_cents")
    ]
    factors, vulnerabilities = risk.factors_on(day), risk.vulnerabilities_on(day)
    result = risk.score(amounts_cents=amounts, present=present, vulnerable=vulnerable, day=day)
    lines = [
        WhyLine(
            catalogue()[line.code].label,
            factors[line.code].reason,
            percent(line.weight),
            line.amount_cents,
            line.breaks_on,
        )
        for line in result.lines
    ]
    return Why(
        result,
        lines,
        [
            (
                vulnerabilities[c].label,
                f"+{vulnerabilities[c].weight}".replace(".", ","),
                vulnerabilities[c].reason,
            )
            for c in result.vulnerable
        ],
        {b: a for b, a in amounts.items() if a},
    )


def percent(value: float | Decimal) -> str:
    """0.95 → "95 %" (French: a space before the sign)."""
    return f"{round(float(value) * 100)} %"


def task_history(task: Task) -> list[tuple[Any, str, str, str]]:
    """The task's log, oldest first: (when, who, what, detail)."""
    rows: list[tuple[Any, str, str, str]] = [(task.opened_at, task.opened_by, "Ouverte", task.note)]
    for move in TaskTransition.objects.filter(task=task).select_related("by"):
        rows.append((move.at, move.author, move.action_label, move.reason))
    for event in TaskEvent.objects.filter(task=task).select_related("by"):
        rows.append((event.at, str(event.by or "—"), event.get_what_display(), event.detail))
    return sorted(rows, key=lambda r: r[0])


def weekly_priorities(user: Any, *, weeks: int = 4, day: date | None = None) -> QuerySet[Risk]:
    """The dossiers of the territory whose payments would break in the coming `weeks`, riskiest first."""
    day = day or timezone.localdate()
    if not user.departement:
        return Risk.objects.none()
    return (
        Risk.objects.filter(dossier__departement=user.departement, score__gt=0)
        .filter(Q(breaks_on__isnull=True) | Q(breaks_on__lte=day + timedelta(weeks=weeks)))
        .select_related("dossier")
        .order_by("-score", "breaks_on", "dossier_id")
    )


def open_kinds(dossier_ids: list[int]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for d, kind in Task.objects.filter(dossier_id__in=dossier_ids, state__in=lifecycle.OPEN).values_list(
        "dossier_id", "kind"
    ):
        out.setdefault(d, []).append(catalogue()[kind].label)
    return out


@dataclass(frozen=True)
class KindLoad:
    kind: str
    label: str
    sla_days: int
    open: int
    overdue: int


def team_load(team: Team) -> dict[str, Any]:
    """A team's load: open and overdue tasks per kind (against each kind's delay), per agent."""
    today = timezone.localdate()
    open_ = Task.objects.filter(team=team, state__in=lifecycle.OPEN)
    per_kind = {
        row["kind"]: row
        for row in open_.values("kind").annotate(n=Count("id"), late=Count("id", filter=Q(due_on__lt=today)))
    }
    kinds = [
        KindLoad(
            code,
            spec.label,
            spec.sla_days,
            per_kind.get(code, {}).get("n", 0),
            per_kind.get(code, {}).get("late", 0),
        )
        for code, spec in catalogue().items()
        if code in per_kind
    ]
    agents = Counter(
        dict(
            open_.exclude(owner=None)
            .values("owner__username")
            .annotate(n=Count("id"))
            .values_list("owner__username", "n")
        )
    )
    return {
        "kinds": kinds,
        "open": sum(k.open for k in kinds),
        "overdue": sum(k.overdue for k in kinds),
        "free": open_.filter(owner=None, state=lifecycle.A_TRAITER).count(),
        "agents": sorted(agents.items()),
    }


def segment_counts(departement: str) -> list[dict[str, Any]]:
    """Each segment with its team code and its dossiers on the territory, today and over time."""
    now = dict(
        Profile.objects.filter(departement=departement)
        .values("segment_id")
        .annotate(n=Count("pk"))
        .values_list("segment_id", "n")
    )
    history: dict[int, list[tuple[date, int]]] = {}
    for seg, day, n in SegmentCount.objects.filter(departement=departement).values_list(
        "segment_id", "day", "dossiers"
    ):
        history.setdefault(seg, []).append((day, n))
    teams = {t.code: t for t in Team.objects.filter(departement=departement)}
    return [
        {
            "segment": s,
            "team": teams.get(s.team_code),
            "dossiers": now.get(s.pk, 0),
            "history": history.get(s.pk, [])[-12:],
        }
        for s in Segment.objects.filter(active=True)
    ] + [{"segment": None, "team": None, "dossiers": now.get(None, 0), "history": []}]
