"""Workflows: a status field whose changes are declared once and logged every time (decision 0009).

A `Workflow` is declared once, as plain data, beside its app's rules (`separation/lifecycle.py`):
its states with their French labels, its final states, and its transitions (action, French label,
source states, target, the roles that may fire it, whether a reason is required). This module is
pure (no Django): the declaration, the one check (French refusal), and `replay`, which rebuilds a
state from logged moves and proves the history unbroken.

The database side is `core/transitions.py`: the append-only `TransitionLog` base, `transition_apply`
(one object, from a service) and `set_transition` (many rows, from a set-based SQL step).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass

SYSTEM = "systeme"  # the role of a named system actor (a batch, a command)
UNKNOWN_ACTION = "Cette action n'existe pas."
WRONG_ROLE = "Cette action n'est pas ouverte à votre rôle."
REASON_REQUIRED = "Un message est obligatoire pour cette action."


class WorkflowDeclarationError(ValueError):
    """A workflow declared wrong (a programming error, raised at import)."""


class TransitionRefused(ValueError):
    """A transition that may not be fired; its message is the French reason shown to the person."""


@dataclass(frozen=True)
class SystemActor:
    """Who acts when no person does: a named batch or command ("ifpa daily")."""

    name: str

    def __post_init__(self) -> None:
        if not self.name.strip() or len(self.name) > 50:
            raise ValueError("A system actor has a name of 1 to 50 characters.")


@dataclass(frozen=True)
class Transition:
    action: str
    label: str  # French, on the button and in the history
    source: Set[str]
    target: str
    roles: Set[str]  # who may fire it: workflow roles, or SYSTEM
    needs_reason: bool = False

    def __post_init__(self) -> None:
        for name in ("source", "roles"):
            value = getattr(self, name)
            if isinstance(value, str):  # "brouillon" would be read as a set of letters
                raise TypeError(f"Transition {self.action}: {name} is a set of strings.")
            object.__setattr__(self, name, frozenset(value))


@dataclass(frozen=True)
class Workflow:
    name: str
    field: str  # the status field of the object
    states: Mapping[str, str]  # code -> French label
    initial: str
    final: Set[str]
    transitions: Mapping[str, Transition] = dataclasses.field(repr=False)

    @classmethod
    def declare(
        cls,
        *,
        name: str,
        field: str,
        states: Mapping[str, str],
        initial: str,
        final: Iterable[str],
        transitions: Iterable[Transition],
    ) -> Workflow:
        """A workflow, checked: every state named is declared, each action once, nothing leaves a
        final state. A wrong declaration fails at import, before any request."""
        by_action: dict[str, Transition] = {}
        final_states = frozenset(final)
        for t in transitions:
            if t.action in by_action:
                raise WorkflowDeclarationError(f"Workflow {name}: action {t.action} declared twice.")
            unknown = (t.source | {t.target}) - set(states)
            if unknown:
                raise WorkflowDeclarationError(f"Workflow {name}: {t.action} names unknown states {unknown}.")
            if t.source & final_states:
                raise WorkflowDeclarationError(f"Workflow {name}: {t.action} leaves a final state.")
            if not t.roles:
                raise WorkflowDeclarationError(f"Workflow {name}: nobody may fire {t.action}.")
            by_action[t.action] = t
        if initial not in states or not final_states <= set(states):
            raise WorkflowDeclarationError(f"Workflow {name}: initial or final states are not declared.")
        return cls(name, field, dict(states), initial, final_states, by_action)

    @property
    def choices(self) -> list[tuple[str, str]]:
        return list(self.states.items())

    def label(self, state: str) -> str:
        return self.states.get(state, state)

    def refusal(self, *, state: str, action: str, role: str, reason: str = "") -> str | None:
        """The French reason why `role` may not fire `action` from `state`, else None."""
        transition = self.transitions.get(action)
        if transition is None:
            return UNKNOWN_ACTION
        if role not in transition.roles:
            return WRONG_ROLE
        if state not in transition.source:
            return f"Impossible depuis l'état « {self.label(state)} »."
        if transition.needs_reason and not reason.strip():
            return REASON_REQUIRED
        return None

    def check(self, *, state: str, action: str, role: str, reason: str = "") -> Transition:
        """The transition, or TransitionRefused with the French reason."""
        error = self.refusal(state=state, action=action, role=role, reason=reason)
        if error:
            raise TransitionRefused(error)
        return self.transitions[action]

    def actions_for(self, state: str, role: str) -> list[Transition]:
        return [t for t in self.transitions.values() if role in t.roles and state in t.source]


class HistoryError(ValueError):
    """A log that does not lead, move by declared move, from the initial state to the current one."""


def replay(workflow: Workflow, moves: Iterable[tuple[str, str, str]], *, start: str | None = None) -> str:
    """The state reached from `start` (the initial state) by the logged (action, source, target)
    moves, in order; raises HistoryError (French) on a gap or a move the workflow does not declare."""
    state = workflow.initial if start is None else start
    for number, (action, source, target) in enumerate(moves, start=1):
        transition = workflow.transitions.get(action)
        if source != state:
            raise HistoryError(
                f"Historique rompu au mouvement {number} ({action}) : parti de « {workflow.label(source)} », "
                f"l'objet était « {workflow.label(state)} »."
            )
        if transition is None or source not in transition.source or target != transition.target:
            raise HistoryError(
                f"Mouvement {number} non déclaré : {action} de « {workflow.label(source)} » "
                f"vers « {workflow.label(target)} »."
            )
        state = target
    return state
