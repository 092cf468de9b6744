"""The back office's pages: "Mes tâches", the team's queue, a task and why it is there, the weekly
priority list (page and CSV), a team's load and the segments. Thin: forms in, services out."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from parcours.accounts.rules import Perm, has_permission
from parcours.accounts.services import audit_record
from parcours.core.money import cents_text
from parcours.core.pages import page_of

from . import lifecycle, selectors
from .forms import ActionForm, QueueFilter
from .kinds import catalogue
from .models import Task, Team
from .services import tasks as services


def _agent(request: HttpRequest) -> None:
    if not has_permission(request.user.role, Perm.TASKS):
        raise PermissionDenied


def _task(request: HttpRequest, pk: int) -> Task:
    """A task of the agent's territory; any other is "not found" (uniform 404)."""
    task = (
        selectors.territory_tasks(request.user)
        .filter(pk=pk)
        .select_related("dossier", "team", "owner")
        .first()
    )
    if task is None:
        raise Http404("Tâche introuvable.")
    return task


def _decorate(tasks: list[Task]) -> list[Task]:
    names = selectors.names_of(tasks)
    today = timezone.localdate()
    for task in tasks:
        task.name = names.get(task.dossier_id, "")  # type: ignore[attr-defined]
        task.kind_label = catalogue()[task.kind].label  # type: ignore[attr-defined]
        task.state_label = lifecycle.STATES[task.state]  # type: ignore[attr-defined]
        task.overdue = task.due_on < today and task.is_open  # type: ignore[attr-defined]
    return tasks


# The queue page counts up to this many tasks (past it: « plus de 1 000 tâches », the filters narrow it).
QUEUE_CAP = 1000


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    _agent(request)
    tasks = _decorate(list(selectors.my_tasks(request.user).order_by("-score", "due_on", "id")[:200]))
    teams = list(request.user.casework_teams.all())
    return render(request, "casework/mine.html", {"tasks": tasks, "teams": teams, "page_title": "Mes tâches"})


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    _agent(request)
    form = QueueFilter(request.GET or None)
    criteria = {k: str(v) for k, v in (form.cleaned_data if form.is_valid() else {}).items() if v}
    if criteria.get("overdue") == "True":
        criteria["overdue"] = "1"
    page = page_of(
        selectors.team_queue(request.user, filters=criteria), request.GET.get("page"), cap=QUEUE_CAP
    )
    page.object_list = _decorate(list(page.object_list))
    query = request.GET.copy()
    query.pop("page", None)
    members = get_user_model().objects.filter(casework_teams__in=request.user.casework_teams.all()).distinct()
    teams = Team.objects.filter(departement=request.user.departement)
    return render(
        request,
        "casework/queue.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "members": members,
            "teams": teams,
            "batch_actions": services.BATCH_ACTIONS,
            "page_title": "File de l'équipe",
        },
    )


@login_required
@require_POST
def take_next(request: HttpRequest) -> HttpResponse:
    _agent(request)
    team = None
    if request.POST.get("team", "").isdigit():
        team = request.user.casework_teams.filter(pk=int(request.POST["team"])).first()
    try:
        task = services.task_take_next(user=request.user, team=team)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("casework:mine")
    if task is None:
        messages.info(request, "Aucune tâche à prendre dans la file de votre équipe.")
        return redirect("casework:mine")
    return redirect("casework:task", pk=task.pk)


@login_required
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _agent(request)
    task = _task(request, pk)
    # Reading a task shows its dossier's money and situation: a read of the dossier, audited.
    audit_record(
        actor=request.user,
        action="dossier.read",
        dossier=task.dossier,
        object_type="tache",
        object_id=task.pk,
        context=f"tâche n° {task.pk}",
    )
    _decorate([task])
    actions = [t for t in lifecycle.TASK.actions_for(task.state, lifecycle.AGENT)]
    members = (
        get_user_model().objects.filter(casework_teams=task.team).order_by("username") if task.team else []
    )
    return render(
        request,
        "casework/task.html",
        {
            "task": task,
            "why": selectors.why(task.dossier_id),
            "others": _decorate(
                list(Task.objects.filter(dossier=task.dossier, state__in=lifecycle.OPEN).exclude(pk=task.pk))
            ),
            "history": selectors.task_history(task),
            "actions": actions,
            "members": members,
            "teams": Team.objects.filter(departement=task.departement).exclude(pk=task.team_id),
            "following": task.follows.filter(user=request.user).exists(),
            "page_title": f"Tâche n° {task.pk}",
        },
    )


@login_required
@require_POST
def task_action(request: HttpRequest, pk: int) -> HttpResponse:
    _agent(request)
    task = _task(request, pk)
    form = ActionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("Action inconnue.")
        action, reason = form.cleaned_data["action"], form.cleaned_data["reason"]
        services.task_act(task=task, action=action, by=request.user, reason=reason)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("casework:task", pk=pk)
    messages.success(request, f"« {lifecycle.TASK.transitions[action].label} » : c'est fait.")
    if action in ("traiter", "classer") and request.POST.get("next") == "1":
        return take_next(request)
    return redirect("casework:task", pk=pk)


@login_required
@require_POST
def task_assign(request: HttpRequest, pk: int) -> HttpResponse:
    _agent(request)
    task = _task(request, pk)
    try:
        if request.POST.get("team", "").isdigit():
            team = Team.objects.filter(pk=int(request.POST["team"]), departement=task.departement).first()
            if team is None:
                raise ValidationError("Choisissez une équipe de votre territoire.")
            services.task_move(task=task, team=team, by=request.user)
            messages.success(request, f"Tâche confiée à l'équipe {team.name}.")
        else:
            owner = request.POST.get("owner", "")
            to = get_user_model().objects.filter(pk=int(owner)).first() if owner.isdigit() else None
            if owner and to is None:
                raise ValidationError("Agent inconnu.")
            services.task_assign(task=task, to=to, by=request.user)
            messages.success(request, f"Tâche attribuée à {to}." if to else "Tâche remise à personne.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("casework:task", pk=pk)


@login_required
@require_POST
def task_follow(request: HttpRequest, pk: int) -> HttpResponse:
    _agent(request)
    task = _task(request, pk)
    follow = request.POST.get("follow") == "1"
    services.task_follow(task=task, user=request.user, follow=follow)
    messages.success(request, "Vous suivez cette tâche." if follow else "Vous ne suivez plus cette tâche.")
    return redirect("casework:task", pk=pk)


@login_required
@require_POST
def batch(request: HttpRequest) -> HttpResponse:
    _agent(request)
    ids = [int(i) for i in request.POST.getlist("tasks") if i.isdigit()]
    action = request.POST.get("action", "")
    try:
        owner = request.POST.get("owner", "")
        to = get_user_model().objects.filter(pk=int(owner)).first() if owner.isdigit() else None
        team_id = request.POST.get("team", "")
        team = (
            Team.objects.filter(pk=int(team_id), departement=request.user.departement).first()
            if team_id.isdigit()
            else None
        )
        done = services.tasks_batch(
            task_ids=ids,
            action=action,
            by=request.user,
            to=to,
            team=team,
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, f"{done} tâche{'s' if done > 1 else ''} : « {services.BATCH_ACTIONS[action]} » fait."
        )
    return redirect("casework:queue")


def _priorities(request: HttpRequest):  # type: ignore[no-untyped-def]
    _agent(request)
    rows = list(selectors.weekly_priorities(request.user)[:500])
    ids = [r.dossier_id for r in rows]
    names = selectors.allocataire_names(ids)
    kinds = selectors.open_kinds(ids)
    for row in rows:
        row.name = names.get(row.dossier_id, "")  # type: ignore[attr-defined]
        row.kinds = kinds.get(row.dossier_id, [])  # type: ignore[attr-defined]
    return rows


@login_required
def priorities(request: HttpRequest) -> HttpResponse:
    rows = _priorities(request)
    return render(
        request, "casework/priorities.html", {"rows": rows, "page_title": "Liste de priorité de la semaine"}
    )


@login_required
def priorities_csv(request: HttpRequest) -> HttpResponse:
    rows = _priorities(request)
    audit_record(actor=request.user, action="page.read", object_type="priorites_csv", context=request.path)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="priorites-{timezone.localdate():%Y-%m-%d}.csv"'
    response.write("\ufeff")  # Excel reads UTF-8 with its mark
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            "Rang",
            "Numéro allocataire",
            "Allocataire",
            "Score",
            "Montant à risque (€)",
            "Probabilité",
            "Rupture le",
            "Tâches ouvertes",
        ]
    )
    for rank, row in enumerate(rows, start=1):
        writer.writerow(
            [
                rank,
                row.dossier.numero_allocataire,
                row.name,
                f"{row.score:.2f}".replace(".", ","),
                cents_text(row.amount_cents).replace(".", ","),
                selectors.percent(row.likelihood),
                row.breaks_on.strftime("%d/%m/%Y") if row.breaks_on else "",
                " ; ".join(row.kinds),
            ]
        )
    return response


@login_required
def team(request: HttpRequest) -> HttpResponse:
    _agent(request)
    teams = list(Team.objects.filter(departement=request.user.departement).order_by("name"))
    loads = [(t, selectors.team_load(t)) for t in teams]
    return render(
        request,
        "casework/team.html",
        {
            "loads": loads,
            "segments": selectors.segment_counts(request.user.departement),
            "page_title": "Équipes et segments",
        },
    )
