"""Tasks: opened by the events other apps announce (core.work), closed by their cause or by an
agent, taken from a queue ordered by risk. Each operation is one transaction."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import timedelta
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from parcours.accounts.rules import Perm, has_permission
from parcours.core.transitions import set_transition, transition_apply
from parcours.core.work import Work
from parcours.core.workflow import SystemActor
from parcours.households.models import Dossier

from .. import lifecycle
from ..kinds import catalogue
from ..models import Follow, Profile, Risk, Segment, Task, TaskEvent, TaskTransition, Team

CAUSE_SETTLED = SystemActor("cause réglée")
CLOSE = set_transition(TaskTransition, "traiter")
WAIT = set_transition(TaskTransition, "attendre")
RESUME = set_transition(TaskTransition, "reprendre")
EVENT_SIZE = 1000  # up to this many dossiers, an announcement rescores them at once
NOT_AN_AGENT = "Seuls les agents qui traitent des dossiers ont une file de tâches."


def _route(
    departement: str, kind: str, segment_team: str | None, teams: dict[tuple[str, str], Team]
) -> Team | None:
    """The team that receives `kind` for this dossier: its segment's team when the segment routes
    to one on its territory, else the team of the territory that receives the kind by default."""
    if segment_team and (departement, segment_team) in teams:
        return teams[(departement, segment_team)]
    return teams.get((departement, catalogue()[kind].team))


@transaction.atomic
def tasks_open(*, sender: str, items: Sequence[Work]) -> int:
    """A task per announced work (kind, cause): an open task of the same kind and cause already
    there is left as it is, and a cause whose task an agent closed is not opened again (a daily
    step announces a DTR still missing every day: the agent who handled it is not given it back).
    Routed, given its delay and its dossier's current score; the dossiers concerned are rescored.
    Returns how many tasks were opened."""
    from .scoring import refresh

    if not items:
        return 0
    by_dossier: dict[int, list[Work]] = {}
    for w in items:
        by_dossier.setdefault(w.dossier_id, []).append(w)
    ids = sorted(by_dossier)
    opened = 0
    today = timezone.localdate()
    now = timezone.now()
    teams = {(t.departement, t.code): t for t in Team.objects.all()}
    segment_teams = dict(Segment.objects.exclude(team_code="").values_list("pk", "team_code"))
    for start in range(0, len(ids), 5000):
        chunk = ids[start : start + 5000]
        places = dict(Dossier.objects.filter(pk__in=chunk).values_list("pk", "departement"))
        segments = dict(Profile.objects.filter(pk__in=chunk).values_list("pk", "segment_id"))
        scores = dict(Risk.objects.filter(pk__in=chunk).values_list("pk", "score"))
        handled = set(
            TaskTransition.objects.filter(
                task__dossier_id__in=chunk, target__in=lifecycle.FINAL, by__isnull=False
            ).values_list("task__kind", "task__cause")
        )
        rows = []
        for w in (w for d in chunk if d in places for w in by_dossier[d]):
            if (str(w.kind), w.cause[:100]) in handled:
                continue
            departement = places[w.dossier_id]
            segment = segments.get(w.dossier_id)
            team = _route(departement, w.kind, segment_teams.get(segment) if segment else None, teams)
            rows.append(
                Task(
                    kind=w.kind,
                    dossier_id=w.dossier_id,
                    departement=departement,
                    cause=w.cause[:100],
                    team=team,
                    opened_at=now,
                    opened_by=sender[:30],
                    due_on=today + timedelta(days=catalogue()[w.kind].sla_days),
                    breaks_on=w.breaks_on,
                    amount_cents=int(w.amount * 100) if w.amount is not None else 0,
                    note=w.note[:200],
                    score=scores.get(w.dossier_id, 0.0),
                )
            )
        before = Task.objects.filter(dossier_id__in=chunk, opened_at=now).count()
        Task.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
        opened += Task.objects.filter(dossier_id__in=chunk, opened_at=now).count() - before
    if len(ids) <= EVENT_SIZE:  # an event's dossiers now; a batch's wait for the nightly rescoring
        refresh(ids)
    return opened


def _open_with_causes(
    causes: list[str], kind: str | None, states: Iterable[str] = lifecycle.OPEN
) -> tuple[str, list]:
    """The SQL of the ids of the open tasks of these causes (and kind)."""
    table = connection.ops.quote_name(Task._meta.db_table)
    states = sorted(states)
    sql = (
        f"SELECT id FROM {table} WHERE cause IN ({', '.join(['%s'] * len(causes))}) "  # noqa: S608
        f"AND state IN ({', '.join(['%s'] * len(states))})"
    )
    params: list = [*causes, *states]
    if kind:
        sql += " AND kind = %s"
        params.append(str(kind))
    return sql, params


@transaction.atomic
def tasks_close(*, causes: Sequence[str], outcome: str, kind: str | None = None) -> int:
    """The causes are settled: their open tasks are "traitée", with the outcome, set-based."""
    from .scoring import refresh

    closed = 0
    dossiers: set[int] = set()
    for start in range(0, len(causes), 500):
        ids, params = _open_with_causes(list(causes[start : start + 500]), kind)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT dossier_id FROM {Task._meta.db_table} WHERE id IN ({ids})", params)  # noqa: S608
            dossiers |= {row[0] for row in cursor.fetchall()}
        closed += CLOSE.run(
            ids=ids,
            params=params,
            by=CAUSE_SETTLED,
            reason=outcome[:200],
            set_values={"closed_at": timezone.now(), "outcome": outcome[:200]},
        )
    if dossiers and len(dossiers) <= EVENT_SIZE:
        refresh(sorted(dossiers))
    return closed


@transaction.atomic
def tasks_wait(*, causes: Sequence[str], waiting: bool) -> int:
    """The agent waits for the family (the declaration went back "à compléter"), or has the
    documents back: the open tasks of these causes follow."""
    move, states = (
        (WAIT, {lifecycle.A_TRAITER, lifecycle.EN_COURS}) if waiting else (RESUME, {lifecycle.EN_ATTENTE})
    )
    ids, params = _open_with_causes(list(causes), None, states)
    reason = "La famille doit envoyer des pièces" if waiting else "La famille a répondu"
    return move.run(ids=ids, params=params, by=CAUSE_SETTLED, reason=reason)


# --- An agent's work -----------------------------------------------------------------------------


def _agent(user: Any) -> None:
    if not has_permission(getattr(user, "role", ""), Perm.TASKS):
        raise ValidationError({"action": NOT_AN_AGENT})


def _in_scope(task: Task, user: Any) -> None:
    if task.departement != user.departement:
        raise ValidationError({"action": "Cette tâche n'est pas de votre territoire."})


@transaction.atomic
def task_take_next(*, user: Any, team: Team | None = None) -> Task | None:
    """The riskiest free task of the agent's teams (or of `team`), assigned to them at once and
    "en cours". Two agents never get the same task: on PostgreSQL one UPDATE locks the candidate
    row with SKIP LOCKED (another agent's candidate is skipped, not waited for) and takes it;
    everywhere the assignment is a compare-and-set (`owner IS NULL`), retried if it lost."""
    _agent(user)
    teams = [team.pk] if team else list(user.casework_teams.values_list("pk", flat=True))
    if not teams:
        return None
    for _ in range(5):
        task = _take(user, teams)
        if task is False:
            return None
        if task is not None:
            TaskTransition.objects.create(
                task=task,
                source=lifecycle.A_TRAITER,
                target=lifecycle.EN_COURS,
                action="prendre",
                by=user,
                reason="Prise dans la file (tâche suivante)",
            )
            return task
    return None


def _take(user: Any, teams: list[int]) -> Task | Literal[False] | None:
    """One try: the task taken, None when another agent won it first (try again), False when the
    teams have no free task."""
    if connection.vendor == "postgresql":
        # One statement: the candidate locked (another agent's skipped, not waited for) and taken.
        table = connection.ops.quote_name(Task._meta.db_table)
        free = f"team_id IN ({', '.join(str(int(t)) for t in teams)}) AND state = %s AND owner_id IS NULL"
        taken = list(
            Task.objects.raw(
                f"UPDATE {table} SET owner_id = %s, state = %s WHERE {free} AND id = ("  # noqa: S608
                f"SELECT id FROM {table} WHERE {free} ORDER BY score DESC, due_on, id "
                "LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING *",
                [user.pk, lifecycle.EN_COURS, lifecycle.A_TRAITER, lifecycle.A_TRAITER],
            )
        )
        if taken:
            return taken[0]
        return None if _any_free(teams) else False
    candidate = (
        Task.objects.filter(team_id__in=teams, state=lifecycle.A_TRAITER, owner__isnull=True)
        .order_by("-score", "due_on", "id")
        .values_list("pk", flat=True)
        .first()
    )
    if candidate is None:
        return False
    won = Task.objects.filter(pk=candidate, state=lifecycle.A_TRAITER, owner__isnull=True).update(
        owner=user, state=lifecycle.EN_COURS
    )
    return Task.objects.get(pk=candidate) if won else None


def _any_free(teams: list[int]) -> bool:
    """Free tasks remain (all locked by other agents' takes at this instant, or one just taken)."""
    return Task.objects.filter(team_id__in=teams, state=lifecycle.A_TRAITER, owner__isnull=True).exists()


@transaction.atomic
def task_act(*, task: Task, action: str, by: Any, reason: str = "") -> Task:
    """An agent's move on a task (take, release, wait, resume, close, close without action)."""
    _agent(by)
    _in_scope(task, by)

    def prepare(locked: Task) -> None:
        if action == "prendre":
            if locked.owner_id not in (None, by.pk):
                raise ValidationError({"action": "Cette tâche est déjà prise par un autre agent."})
            locked.owner = by
        elif action == "rendre":
            locked.owner = None
        elif action in ("traiter", "classer"):
            locked.closed_at = timezone.now()
            locked.outcome = reason.strip()[:200] or "Traitée par l'agent"

    applied = transition_apply(
        log=TaskTransition,
        subject=task,
        action=action,
        by=by,
        role=lifecycle.AGENT,
        reason=reason,
        prepare=prepare,
    )
    if applied.entry is not None and applied.subject.state in lifecycle.FINAL:
        from .scoring import refresh

        refresh([task.dossier_id])  # one factor less: the dossier's other tasks move in the queue
    return applied.subject


@transaction.atomic
def task_assign(*, task: Task, to: Any, by: Any) -> Task:
    """Give an open task to an agent of its team (a team leader's move, or an agent's own)."""
    _agent(by)
    _in_scope(task, by)
    task = Task.objects.select_for_update().get(pk=task.pk)
    if not task.is_open:
        raise ValidationError({"owner": "Une tâche close ne s'attribue plus."})
    if to is not None and not (task.team_id and to.casework_teams.filter(pk=task.team_id).exists()):
        raise ValidationError({"owner": "Cet agent n'est pas membre de l'équipe de la tâche."})
    task.owner = to
    task.save(update_fields=["owner"])
    if to is not None and task.state == lifecycle.A_TRAITER:
        task = transition_apply(
            log=TaskTransition,
            subject=task,
            action="prendre",
            by=by,
            role=lifecycle.AGENT,
            reason=f"Attribuée à {to}",
        ).subject
    TaskEvent.objects.create(
        task=task, by=by, what=TaskEvent.What.ASSIGNED, detail=str(to) if to else "Personne"
    )
    return task


@transaction.atomic
def task_move(*, task: Task, team: Team, by: Any) -> Task:
    """Move an open task to another team of its territory (back to the new team's queue)."""
    _agent(by)
    _in_scope(task, by)
    task = Task.objects.select_for_update().get(pk=task.pk)
    if team.departement != task.departement:
        raise ValidationError({"team": "Cette équipe n'est pas du territoire de la tâche."})
    if not task.is_open:
        raise ValidationError({"team": "Une tâche close ne change plus d'équipe."})
    task.team, task.owner = team, None
    task.save(update_fields=["team", "owner"])
    if task.state == lifecycle.EN_COURS:
        task = transition_apply(
            log=TaskTransition,
            subject=task,
            action="rendre",
            by=by,
            role=lifecycle.AGENT,
            reason=f"Vers {team.name}",
        ).subject
    TaskEvent.objects.create(task=task, by=by, what=TaskEvent.What.MOVED, detail=team.name)
    return task


@transaction.atomic
def task_follow(*, task: Task, user: Any, follow: bool = True) -> None:
    _agent(user)
    _in_scope(task, user)
    if follow:
        _, created = Follow.objects.get_or_create(task=task, user=user)
    else:
        created = bool(Follow.objects.filter(task=task, user=user).delete()[0])
    if created:
        what = TaskEvent.What.FOLLOWED if follow else TaskEvent.What.UNFOLLOWED
        TaskEvent.objects.create(task=task, by=user, what=what, detail=str(user))


BATCH_ACTIONS = {
    "attribuer": "Attribuer",
    "traiter": "Marquer comme traitées",
    "deplacer": "Changer d'équipe",
}


@transaction.atomic
def tasks_batch(
    *,
    task_ids: Sequence[int],
    action: str,
    by: Any,
    to: Any = None,
    team: Team | None = None,
    reason: str = "",
) -> int:
    """One action on many tasks, all or nothing: the first refusal undoes the batch (French error
    naming the task)."""
    _agent(by)
    if action not in BATCH_ACTIONS:
        raise ValidationError({"action": "Action groupée inconnue."})
    tasks = list(Task.objects.filter(pk__in=list(task_ids), departement=by.departement).order_by("pk"))
    if len(tasks) != len(set(task_ids)) or not tasks:
        raise ValidationError({"tasks": "Sélectionnez des tâches de votre territoire."})
    for task in tasks:
        try:
            if action == "attribuer":
                task_assign(task=task, to=to, by=by)
            elif action == "deplacer":
                if team is None:
                    raise ValidationError({"team": "Choisissez l'équipe."})
                task_move(task=task, team=team, by=by)
            else:
                task_act(task=task, action="traiter", by=by, reason=reason)
        except ValidationError as error:
            messages = "; ".join(m for ms in error.message_dict.values() for m in ms)
            raise ValidationError({"tasks": f"Tâche n° {task.pk} : {messages}"}) from None
    return len(tasks)
