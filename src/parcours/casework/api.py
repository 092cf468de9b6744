"""JSON API of the back office, mounted under /api/v1/casework/: an agent's tasks, the next task,
a task and why it is there, its moves. The project's error format (parcours/api.py)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Router, Schema
from ninja.security import django_auth

from parcours.accounts.rules import Perm, has_permission
from parcours.accounts.services import audit_record
from parcours.core.api_errors import ErrorOut
from parcours.core.money import cents_text

from . import lifecycle, selectors
from .kinds import catalogue
from .models import Task
from .services import tasks as services

router = Router(tags=["tâches"])


class TaskOut(Schema):
    id: int
    kind: str
    kind_label: str
    numero_allocataire: str
    state: str
    state_label: str
    team: str | None
    owner: str | None
    due_on: date
    breaks_on: date | None
    score: float


class FactorOut(Schema):
    factor: str
    weight: str
    amount: str
    breaks_on: date | None
    reason: str


class TaskDetailOut(TaskOut):
    amount_at_risk: str
    likelihood: float
    vulnerability: str
    factors: list[FactorOut]


class ActionIn(Schema):
    reason: str = ""


def _agent(request: HttpRequest) -> None:
    if not has_permission(request.user.role, Perm.TASKS):
        raise PermissionDenied("Seuls les agents qui traitent des dossiers ont une file de tâches.")


def _out(task: Task) -> dict:
    return {
        "id": task.pk,
        "kind": task.kind,
        "kind_label": catalogue()[task.kind].label,
        "numero_allocataire": task.dossier.numero_allocataire,
        "state": task.state,
        "state_label": lifecycle.STATES[task.state],
        "team": task.team.name if task.team else None,
        "owner": task.owner.username if task.owner else None,
        "due_on": task.due_on,
        "breaks_on": task.breaks_on,
        "score": task.score,
    }


def _task(request: HttpRequest, task_id: int) -> Task:
    task = (
        selectors.territory_tasks(request.user)
        .filter(pk=task_id)
        .select_related("dossier", "team", "owner")
        .first()
    )
    if task is None:
        raise Http404("Tâche introuvable.")
    return task


@router.get(
    "/casework/tasks",
    response={200: list[TaskOut], 401: ErrorOut, 403: ErrorOut},
    auth=django_auth,
    summary="Mes tâches en cours",
)
def my_tasks(request: HttpRequest) -> list[dict]:
    _agent(request)
    return [_out(t) for t in selectors.my_tasks(request.user).order_by("-score", "due_on", "id")[:200]]


@router.get(
    "/casework/next-task",
    response={200: TaskOut, 204: None, 401: ErrorOut, 403: ErrorOut},
    auth=django_auth,
    summary="La prochaine tâche de la file (sans la prendre)",
    description="La tâche libre la plus à risque des équipes de l'agent ; 204 si la file est vide. "
    "Pour la prendre : `POST /casework/next-task`.",
)
def next_task_peek(request: HttpRequest):  # type: ignore[no-untyped-def]
    _agent(request)
    task = selectors.team_queue(
        request.user, filters={"owner": "personne", "state": lifecycle.A_TRAITER}
    ).first()
    return (200, _out(task)) if task else (204, None)


@router.post(
    "/casework/next-task",
    response={200: TaskOut, 204: None, 401: ErrorOut, 403: ErrorOut},
    auth=django_auth,
    summary="Prendre la tâche suivante",
    description="Attribue à l'agent la tâche libre la plus à risque de ses équipes (jamais la même à "
    "deux agents) ; 204 si la file est vide.",
)
def next_task_take(request: HttpRequest):  # type: ignore[no-untyped-def]
    _agent(request)
    task = services.task_take_next(user=request.user)
    if task is None:
        return 204, None
    return 200, _out(Task.objects.select_related("dossier", "team", "owner").get(pk=task.pk))


@router.get(
    "/casework/tasks/{task_id}",
    response={200: TaskDetailOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    auth=django_auth,
    summary="Une tâche et pourquoi son dossier est dans la file",
    description="Chaque lecture est tracée dans le journal d'audit (lecture du dossier).",
)
def task_detail(request: HttpRequest, task_id: int) -> dict:
    _agent(request)
    task = _task(request, task_id)
    audit_record(
        actor=request.user,
        action="dossier.read",
        dossier=task.dossier,
        object_type="tache",
        object_id=task.pk,
        context="API tâches",
    )
    why = selectors.why(task.dossier_id)
    return {
        **_out(task),
        "amount_at_risk": cents_text(why.score.amount_cents),
        "likelihood": why.score.likelihood,
        "vulnerability": str(why.score.vulnerability),
        "factors": [
            {
                "factor": line.label,
                "weight": line.weight,
                "amount": cents_text(line.amount_cents),
                "breaks_on": line.breaks_on,
                "reason": line.reason,
            }
            for line in why.lines
        ],
    }


@router.post(
    "/casework/tasks/{task_id}/close",
    response={200: TaskOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    auth=django_auth,
    summary="Marquer une tâche comme traitée",
)
def task_close(request: HttpRequest, task_id: int, payload: ActionIn) -> dict:
    return task_action(request, task_id, "traiter", payload)


@router.post(
    "/casework/tasks/{task_id}/actions/{action}",
    response={200: TaskOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    auth=django_auth,
    summary="Une action sur une tâche",
    description=f"`action` parmi : {', '.join(lifecycle.TASK.transitions)} ; `reason` obligatoire pour « classer ».",
)
def task_action(request: HttpRequest, task_id: int, action: str, payload: ActionIn) -> dict:
    _agent(request)
    task = _task(request, task_id)
    services.task_act(task=task, action=action, by=request.user, reason=payload.reason[:200])
    return _out(Task.objects.select_related("dossier", "team", "owner").get(pk=task.pk))
