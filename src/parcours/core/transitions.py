"""The database side of workflows (decision 0009): the transition log, and the only two ways a
status field changes, each writing one log row per change in the same transaction.

- one object, from a service: `transition_apply` locks the row, checks (`Workflow.check`, French
  refusal as a ValidationError on "action"), sets the field, saves and logs;
- a set of rows, from a set-based step: `set_transition(log, action)`, declared at import (an
  action not open to the role fails there), gives the portable statements that capture the
  "from" state, log and update; the step runs them in its own transaction (`.run(...)` runs them
  and proves that as many rows moved as were logged).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar, Generic, NamedTuple, TypeVar

from django.conf import settings
from django.core import checks
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured, ValidationError
from django.db import connection, models, transaction
from django.utils import timezone

from .append_only import AppendOnlyModel
from .workflow import REASON_REQUIRED, SYSTEM, SystemActor, Transition, TransitionRefused, Workflow, replay

M = TypeVar("M", bound=models.Model)


# --- The log ----------------------------------------------------------------------------------


class TransitionLog(AppendOnlyModel):
    """One change of a workflow's status: who (a user, or a named system actor), when, from, to,
    by which action, and why. A subclass names its workflow and declares the foreign key to its
    object (on_delete=PROTECT) under `subject_field`; its Meta inherits `TransitionLog.Meta`."""

    workflow: ClassVar[Workflow]
    subject_field: ClassVar[str]
    append_only_message = "L'historique des changements d'état est en ajout seul."

    source = models.CharField("état de départ", max_length=30)
    target = models.CharField("état d'arrivée", max_length=30)
    action = models.CharField("action", max_length=40)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="par",
    )
    system_actor = models.CharField("traitement automatique", max_length=50, blank=True)
    at = models.DateTimeField("le", default=timezone.now)
    reason = models.TextField("motif", blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(by__isnull=False, system_actor="")
                | (models.Q(by__isnull=True) & ~models.Q(system_actor="")),
                name="%(app_label)s_%(class)s_one_author",
            )
        ]

    @property
    def author(self) -> str:
        return self.system_actor or str(self.by)

    @property
    def action_label(self) -> str:
        """The French label of the move, as on its button ("Passer en instruction")."""
        transition = self.workflow.transitions.get(self.action)
        return transition.label if transition else self.action

    @classmethod
    def subject_model(cls) -> type[models.Model]:
        return cls._meta.get_field(cls.subject_field).related_model  # type: ignore[return-value]

    @classmethod
    def check(cls, **kwargs: Any) -> list[checks.CheckMessage]:
        errors = super().check(**kwargs)
        try:
            subject = cls.subject_model()
            subject._meta.get_field(cls.workflow.field)
        except (AttributeError, LookupError, FieldDoesNotExist) as error:
            errors.append(
                checks.Error(
                    f"{cls.__name__} must name its workflow and the foreign key to an object that has "
                    f"the workflow's field ({error}).",
                    obj=cls,
                    id="core.E002",
                )
            )
        return errors


def _author(by: Any) -> dict[str, Any]:
    if isinstance(by, SystemActor):
        return {"by": None, "system_actor": by.name}
    return {"by": by, "system_actor": ""}


def history(log: type[TransitionLog], subject: models.Model) -> list[tuple[str, str, str]]:
    """The (action, source, target) moves of one object, in the order they were written (the id:
    a step may log a move at a date of its own)."""
    rows = log.objects.filter(**{log.subject_field: subject}).order_by("id")
    return [tuple(move) for move in rows.values_list("action", "source", "target")]  # type: ignore[misc]


def replayed_state(log: type[TransitionLog], subject: models.Model, *, start: str | None = None) -> str:
    return replay(log.workflow, history(log, subject), start=start)


class Applied(NamedTuple, Generic[M]):
    subject: M  # the locked object, as saved
    entry: TransitionLog | None  # its new log row; None when the request repeated the last move


# --- One object, from a service ---------------------------------------------------------------


@transaction.atomic
def transition_apply(
    *,
    log: type[TransitionLog],
    subject: M,
    action: str,
    by: Any,
    role: str | None = None,
    reason: str = "",
    at: datetime | None = None,
    prepare: Callable[[M], None] | None = None,
    log_values: Mapping[str, Any] | None = None,
) -> Applied[M]:
    """Fire `action` on `subject` and log it, in one transaction: the locked, updated object and
    its log row.

    `by` is a user or a SystemActor; `role` is the workflow role of a user (by default the
    account's role), SYSTEM for a system actor. `prepare(locked)` runs after the check and before
    the save: it may set other fields or raise a French ValidationError (then nothing is written).
    `log_values` fills the log model's own extra fields (an effective date, ...).
    The same request twice (the object is at the target and its last move was this action) changes
    nothing and gives no log row. A refused transition raises ValidationError({"action": ...}) and writes nothing."""
    workflow = log.workflow
    locked = type(subject)._default_manager.select_for_update().get(pk=subject.pk)
    state = getattr(locked, workflow.field)
    if isinstance(by, SystemActor):
        role = SYSTEM
    elif role is None:
        role = getattr(by, "role", "")
    transition = workflow.transitions.get(action)
    if transition is not None and state == transition.target:
        last = log.objects.filter(**{log.subject_field: locked}).order_by("-id").first()
        if last is not None and last.action == action:
            return Applied(locked, None)  # the same click twice: already done
    try:
        transition = workflow.check(state=state, action=action, role=role or "", reason=reason)
    except TransitionRefused as refused:
        raise ValidationError({"action": str(refused)}) from None
    if prepare is not None:
        prepare(locked)
    setattr(locked, workflow.field, transition.target)
    locked.save()
    entry = log.objects.create(
        **{log.subject_field: locked},
        source=state,
        target=transition.target,
        action=action,
        at=at or timezone.now(),
        reason=reason,
        **_author(by),
        **(log_values or {}),
    )
    return Applied(locked, entry)


# --- A set of rows, from a set-based SQL step -------------------------------------------------


def _field(model: type[models.Model], name: str) -> models.Field:
    found = model._meta.get_field(name)
    if not isinstance(found, models.Field) or not found.column:
        raise ImproperlyConfigured(f"{model.__name__}.{name} is not a column.")
    return found


def _column(model: type[models.Model], name: str) -> str:
    return connection.ops.quote_name(str(_field(model, name).column))


class Statement(NamedTuple):
    kind: str  # "drop", "lock" (PostgreSQL), "capture", "log", "move"
    sql: str
    params: list[Any]


@dataclass(frozen=True)
class SetTransition:
    """One transition fired on many rows at once, in SQL both SQLite and PostgreSQL run."""

    log: type[TransitionLog]
    transition: Transition
    role: str

    def statements(
        self,
        *,
        ids: str,
        params: Sequence[Any] = (),
        by: Any,
        at: datetime | None = None,
        reason: str = "",
        log_values: Mapping[str, Any] | None = None,
        set_values: Mapping[str, Any] | None = None,
        vendor: str | None = None,
    ) -> list[Statement]:
        """The statements that move the rows whose id `ids` selects (a SELECT of one column, with
        its `params`) and are in a source state: capture (id, from-state) once in a temporary
        table, log from it, then update from it. On PostgreSQL the rows are first locked, so the
        captured state is the one updated. `log_values` / `set_values` are extra constant columns
        of the log row / of the object (model field names, Python values)."""
        if self.transition.needs_reason and not reason.strip():
            raise ValidationError({"action": REASON_REQUIRED})
        if isinstance(by, SystemActor) != (self.role == SYSTEM):
            raise ValueError("A set transition of the system role is fired by a SystemActor, else a user.")
        quote, log = connection.ops.quote_name, self.log
        subject = log.subject_model()
        table = quote(subject._meta.db_table)
        pk, column = _column(subject, subject._meta.pk.name), _column(subject, log.workflow.field)
        tmp = quote(f"tmp_wf_{log._meta.db_table}"[:60])
        sources = sorted(self.transition.source)
        in_sources = f"s.{column} IN ({', '.join(['%s'] * len(sources))})"
        selection = f"FROM {table} s WHERE s.{pk} IN ({ids}) AND {in_sources}"
        selection_params = [*params, *sources]

        author = _author(by)
        values: dict[str, Any] = {
            "action": self.transition.action,
            "target": self.transition.target,
            "by": getattr(author["by"], "pk", None),
            "system_actor": author["system_actor"],
            "at": at or timezone.now(),
            "reason": reason,
            **(log_values or {}),
        }
        log_columns, log_params = self._columns(log, values)
        subject_column, source_column = _column(log, log.subject_field), _column(log, "source")
        set_columns, set_params = self._columns(
            subject, {log.workflow.field: self.transition.target, **(set_values or {})}
        )

        out = [Statement("drop", f"DROP TABLE IF EXISTS {tmp}", [])]
        if (vendor or connection.vendor) == "postgresql":
            out.append(
                Statement("lock", f"SELECT s.{pk} {selection} ORDER BY s.{pk} FOR UPDATE", selection_params)
            )
        out += [
            Statement(
                "capture",
                f"CREATE TEMPORARY TABLE {tmp} AS SELECT s.{pk} AS id, s.{column} AS source {selection}",
                selection_params,
            ),
            Statement(
                "log",
                f"INSERT INTO {quote(log._meta.db_table)} ({subject_column}, {source_column}, "  # noqa: S608
                f"{', '.join(log_columns)}) SELECT t.id, t.source, {', '.join(['%s'] * len(log_params))} FROM {tmp} t",
                log_params,
            ),
            Statement(
                "move",
                f"UPDATE {table} SET {', '.join(f'{c} = %s' for c in set_columns)} "  # noqa: S608
                f"WHERE {pk} IN (SELECT t.id FROM {tmp} t WHERE t.source = {table}.{column})",
                set_params,
            ),
            Statement("drop", f"DROP TABLE {tmp}", []),
        ]
        return out

    @staticmethod
    def _columns(model: type[models.Model], values: Mapping[str, Any]) -> tuple[list[str], list[Any]]:
        columns, params = [], []
        for name, value in values.items():
            columns.append(_column(model, name))
            params.append(_field(model, name).get_db_prep_save(value, connection))
        return columns, params

    def run(self, **kwargs: Any) -> int:
        """Run `statements(**kwargs)` inside the caller's transaction; the number of rows moved.
        As many rows must move as were logged, else the whole step is undone."""
        if not connection.in_atomic_block:
            raise RuntimeError("A set transition runs inside its step's transaction.atomic().")
        logged = moved = 0
        with connection.cursor() as cursor:
            for statement in self.statements(**kwargs):
                cursor.execute(statement.sql, statement.params)
                if statement.kind == "log":
                    logged = cursor.rowcount
                elif statement.kind == "move":
                    moved = cursor.rowcount
        if logged != moved:
            raise RuntimeError(
                f"« {self.transition.label} » : {logged} changements journalisés mais {moved} objets "
                "changés d'état ; l'étape est annulée."
            )
        return moved


def set_transition(log: type[TransitionLog], action: str, *, role: str = SYSTEM) -> SetTransition:
    """Declare, at import, the set-based firing of `action` by `role` (SYSTEM by default): an
    action the workflow does not declare, or does not open to that role, fails there."""
    transition = log.workflow.transitions.get(action)
    if transition is None or role not in transition.roles:
        raise ImproperlyConfigured(
            f"Workflow {log.workflow.name}: {action} is not a transition open to the role {role}."
        )
    return SetTransition(log, transition, role)
