"""Pure rules of effective-dated facts: periods, the state on a date, the changes between dates.

A fact is a value of a component of a household (its members, address, housing, ...) under a
key (a person, a resource kind, or a single slot), valid over the half-open period
[valid_from, valid_until). No database here: the selectors feed these functions.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Fact:
    component: str
    key: Hashable
    value: Hashable
    valid_from: date
    valid_until: date | None = None


@dataclass(frozen=True)
class Change:
    """On `on`, the value of `component`/`key` went from `before` to `after` (None: absent)."""

    on: date
    component: str
    key: Hashable
    before: Hashable | None
    after: Hashable | None


State = dict[str, dict[Hashable, Hashable]]


def covers(valid_from: date, valid_until: date | None, day: date) -> bool:
    return valid_from <= day and (valid_until is None or day < valid_until)


def overlaps(a_from: date, a_until: date | None, b_from: date, b_until: date | None) -> bool:
    """Whether two half-open periods share at least one day."""
    return (b_until is None or a_from < b_until) and (a_until is None or b_from < a_until)


def intersect(
    a_from: date, a_until: date | None, b_from: date, b_until: date | None
) -> tuple[date, date | None] | None:
    start = max(a_from, b_from)
    if a_until is None:
        end = b_until
    elif b_until is None:
        end = a_until
    else:
        end = min(a_until, b_until)
    if end is not None and end <= start:
        return None
    return start, end


def period_error(valid_from: date, valid_until: date | None) -> str | None:
    """A French message when the period is impossible, else None."""
    if valid_until is not None and valid_until <= valid_from:
        return "La date de fin doit être postérieure à la date de début."
    return None


def state_on(facts: Iterable[Fact], day: date) -> State:
    state: State = {}
    for fact in facts:
        if covers(fact.valid_from, fact.valid_until, day):
            state.setdefault(fact.component, {})[fact.key] = fact.value
    return state


def boundaries(facts: Iterable[Fact], after: date, up_to: date) -> list[date]:
    """The dates in (after, up_to] on which some fact starts or ends."""
    dates = set()
    for fact in facts:
        for day in (fact.valid_from, fact.valid_until):
            if day is not None and after < day <= up_to:
                dates.add(day)
    return sorted(dates)


def changes_between(facts: Sequence[Fact], after: date, up_to: date) -> list[Change]:
    """Every change of value in (after, up_to], in date order, then component and key order."""
    changes: list[Change] = []
    for day in boundaries(facts, after, up_to):
        before, now = state_on(facts, day - timedelta(days=1)), state_on(facts, day)
        for component in sorted(set(before) | set(now)):
            old, new = before.get(component, {}), now.get(component, {})
            for key in sorted(set(old) | set(new), key=repr):
                if old.get(key) != new.get(key):
                    changes.append(Change(day, component, key, old.get(key), new.get(key)))
    return changes


@dataclass(frozen=True)
class Replacement:
    """How to record "from `valid_from` on, the value is new": what to retire and re-create.

    `retire`: indexes of the existing records to retire; `keep_before`: (index, new end) for the
    records cut short at valid_from; `new_until`: the end of the new record (the next known change).
    """

    retire: tuple[int, ...]
    keep_before: tuple[tuple[int, date], ...]
    new_until: date | None


def replace_from(
    periods: Sequence[tuple[date, date | None]], valid_from: date, *, ending: bool = False
) -> Replacement:
    """Plan a value set (or ended, with `ending`) from `valid_from` over non-overlapping periods.

    The record covering `valid_from` is retired and re-created cut at `valid_from`; a record that
    starts on that very day is retired. The new value lasts until the covering record's end or the
    next record's start, whichever comes first: a later known change stays in force.
    """
    retire: list[int] = []
    keep: list[tuple[int, date]] = []
    new_until: date | None = None
    for index, (start, end) in enumerate(periods):
        if covers(start, end, valid_from):
            retire.append(index)
            if start < valid_from:
                keep.append((index, valid_from))
            if end is not None:
                new_until = end if new_until is None else min(new_until, end)
        elif start > valid_from:
            new_until = start if new_until is None else min(new_until, start)
    if ending:
        new_until = None
    return Replacement(tuple(retire), tuple(keep), new_until)
