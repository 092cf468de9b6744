"""Pure rules of effective-dated facts (no database), checked day by day against reference models.

A period [start, end) is turned into the set of days it covers (an open end runs to a far
horizon), a history into a dict day -> value; every rule of `history` must agree with them.
"""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import assume, example, given
from hypothesis import strategies as st

from parcours.households import history
from parcours.households.history import Change, Fact

BASE = date(2024, 1, 1)
SPAN = 60  # generated dates are BASE + 0..SPAN
HORIZON = 120  # an open end covers every day up to here: later than any generated date


def at(n: int) -> date:
    return BASE + timedelta(days=n)


def days_of(start: date, end: date | None) -> set[date]:
    """The days covered by [start, end), an open end running to the horizon."""
    last = end if end is not None else at(HORIZON)
    return {start + timedelta(days=n) for n in range((last - start).days)}


ALL_DAYS = [at(n) for n in range(-5, HORIZON)]
day_st = st.integers(0, SPAN).map(at)
end_st = st.one_of(st.none(), day_st)


@st.composite
def periods(draw) -> tuple[date, date | None]:
    """A non-empty period: the services refuse an end that is not after the start."""
    start = draw(day_st)
    length = draw(st.one_of(st.none(), st.integers(1, SPAN)))
    return start, None if length is None else start + timedelta(days=length)


# covers, overlaps, intersect ----------------------------------------------------------------


@given(day_st, end_st, st.integers(-5, HORIZON - 1).map(at))
def test_covers_is_membership_of_the_half_open_period(start, end, day):
    assume(end is None or end > start)
    assert history.covers(start, end, day) == (day in days_of(start, end))


@given(periods(), periods())
@example((at(0), at(10)), (at(10), None))  # touching periods share no day
@example((at(0), None), (at(5), None))
def test_overlaps_is_symmetric_and_means_a_common_day(a, b):
    common = days_of(*a) & days_of(*b)
    assert history.overlaps(*a, *b) == bool(common)
    assert history.overlaps(*a, *b) == history.overlaps(*b, *a)


@given(periods(), periods())
@example((at(0), at(10)), (at(10), at(20)))
@example((at(3), None), (at(0), at(4)))
def test_intersect_is_commutative_and_gives_exactly_the_common_days(a, b):
    both = history.intersect(*a, *b)
    assert both == history.intersect(*b, *a)
    common = days_of(*a) & days_of(*b)
    if both is None:
        assert not common
        assert not history.overlaps(*a, *b)
    else:
        start, end = both
        assert end is None or end > start  # never an empty period
        assert days_of(start, end) == common
        # An open end only when both are open.
        assert (end is None) == (a[1] is None and b[1] is None)


@given(day_st, end_st)
def test_period_error_refuses_exactly_an_end_not_after_the_start(start, end):
    error = history.period_error(start, end)
    assert (error is not None) == (end is not None and end <= start)
    if error:
        assert error == "La date de fin doit être postérieure à la date de début."


# state_on and changes_between ----------------------------------------------------------------

COMPONENTS = {"members": [1, 2], "address": ["address"], "resources": [(1, "salaire_net"), (2, "aah")]}


@st.composite
def histories(draw) -> list[Fact]:
    """Facts of several components and keys; per (component, key) the periods never overlap (the
    registry's invariant), may touch or leave gaps, and neighbours often carry the same value."""
    facts = []
    for component, keys in COMPONENTS.items():
        for key in keys:
            cuts = sorted(draw(st.sets(st.integers(0, SPAN), max_size=6)))
            for index, start in enumerate(cuts):
                following = cuts[index + 1] if index + 1 < len(cuts) else None
                if following is None:
                    end = draw(st.one_of(st.none(), st.integers(start + 1, SPAN + 5)))
                else:
                    end = draw(st.integers(start + 1, following))  # touching or leaving a gap
                if draw(st.booleans()):  # a hole: this period is absent
                    continue
                value = draw(st.sampled_from(["a", "b"]))
                facts.append(Fact(component, key, value, at(start), None if end is None else at(end)))
    return draw(st.permutations(facts))


def reference(facts: list[Fact]) -> dict[date, dict[tuple[str, object], object]]:
    """day -> {(component, key): value}, built day by day."""
    days: dict[date, dict[tuple[str, object], object]] = {day: {} for day in ALL_DAYS}
    for fact in facts:
        for day in days_of(fact.valid_from, fact.valid_until):
            if day in days:
                assert (fact.component, fact.key) not in days[day]  # the generator's invariant
                days[day][fact.component, fact.key] = fact.value
    return days


def flat(state: history.State) -> dict[tuple[str, object], object]:
    return {(component, key): value for component, values in state.items() for key, value in values.items()}


@given(histories())
def test_state_on_is_the_value_of_each_key_on_that_day(facts):
    ref = reference(facts)
    for day in ALL_DAYS:
        state = history.state_on(facts, day)
        assert flat(state) == ref[day]
        assert all(state.values())  # no empty component


@given(histories(), st.integers(-3, SPAN + 8).map(at), st.integers(-3, SPAN + 8).map(at))
@example(
    [Fact("address", "address", "a", at(0), at(10)), Fact("address", "address", "a", at(10), None)],
    at(0),
    at(20),
)  # two records with the same value, touching: no change
def test_changes_between_reports_exactly_the_days_the_state_changes(facts, d1, d2):
    after, up_to = min(d1, d2), max(d1, d2)
    ref = reference(facts)
    changes = history.changes_between(facts, after, up_to)
    expected = []
    day = after + timedelta(days=1)
    while day <= up_to:
        before, now = ref[day - timedelta(days=1)], ref[day]
        for component, key in set(before) | set(now):
            if before.get((component, key)) != now.get((component, key)):
                expected.append(
                    Change(day, component, key, before.get((component, key)), now.get((component, key)))
                )
        day += timedelta(days=1)
    assert sorted(changes, key=repr) == sorted(expected, key=repr)
    assert len(changes) == len(set(changes))  # each change once
    # In date order, then component, then key.
    order = [(c.on, c.component, repr(c.key)) for c in changes]
    assert order == sorted(order)


@given(histories(), st.integers(0, SPAN).map(at))
def test_no_change_over_an_empty_interval(facts, day):
    assert history.changes_between(facts, day, day) == []


# replace_from --------------------------------------------------------------------------------


@st.composite
def records(draw) -> list[tuple[date, date | None, str]]:
    """Non-overlapping records (start, end, name) in any order: touching, with gaps, open-ended."""
    cuts = sorted(draw(st.sets(st.integers(0, SPAN), min_size=0, max_size=8)))
    out = []
    for index, start in enumerate(cuts):
        following = cuts[index + 1] if index + 1 < len(cuts) else None
        if following is None:
            end = draw(st.one_of(st.none(), st.integers(start + 1, SPAN + 5)))
        else:
            end = draw(st.integers(start + 1, following))
        if draw(st.integers(0, 4)) == 0:
            continue
        out.append((at(start), None if end is None else at(end), f"r{index}"))
    return draw(st.permutations(out))


def day_map(recs: list[tuple[date, date | None, str]]) -> dict[date, str]:
    """day -> the name of the record covering it."""
    out: dict[date, str] = {}
    for start, end, name in recs:
        for day in days_of(start, end):
            assert day not in out
            out[day] = name
    return out


def next_known_change(by_day: dict[date, str], on: date) -> date | None:
    """Naively, day by day: the end of the record covering `on`, or else the next record's start.

    This is the "until the next known change" of decision 0002: a change known for a later date
    stays in force. None: nothing is known to change (up to the horizon).
    """
    covering = by_day.get(on)
    day = on + timedelta(days=1)
    while day < at(HORIZON):
        if by_day.get(day) != covering:
            return day
        day += timedelta(days=1)
    return None


def apply(recs, plan: history.Replacement, on: date, value: str | None):
    kept = [r for index, r in enumerate(recs) if index not in plan.retire]
    kept += [(recs[index][0], end, recs[index][2]) for index, end in plan.keep_before]
    if value is not None:
        kept.append((on, plan.new_until, value))
    return kept


@given(records(), st.integers(-2, SPAN + 6).map(at), st.booleans())
@example(  # several records after valid_from: only the first later start bounds the new value
    [(at(0), at(10), "a"), (at(10), at(20), "b"), (at(20), None, "c")], at(5), False
)
@example([(at(10), at(20), "b"), (at(30), None, "c"), (at(0), at(5), "a")], at(7), False)
@example([(at(0), at(10), "a"), (at(10), None, "b")], at(10), False)  # on a record's first day
@example([(at(0), at(10), "a"), (at(10), None, "b")], at(10), True)
@example([(at(0), None, "a")], at(0), True)
def test_replace_from_sets_the_value_from_the_date_until_the_next_known_change(recs, on, ending):
    before = day_map(recs)
    plan = history.replace_from([(start, end) for start, end, _ in recs], on, ending=ending)
    covering = [index for index, (start, end, _) in enumerate(recs) if history.covers(start, end, on)]

    # Only the record covering the date is retired, and re-created cut at the date if it began before.
    assert list(plan.retire) == covering
    assert list(plan.keep_before) == [(i, on) for i in covering if recs[i][0] < on]
    if ending:
        assert plan.new_until is None
    else:
        assert plan.new_until == next_known_change(before, on)

    after = day_map(apply(recs, plan, on, None if ending else "new"))  # still non-overlapping
    end = plan.new_until if not ending else next_known_change(before, on)
    for day in ALL_DAYS:
        if day < on:
            assert after.get(day) == before.get(day), day  # the past is unchanged
        elif end is None or day < end:
            assert after.get(day) == (None if ending else "new"), day
        else:
            assert after.get(day) == before.get(day), day  # later known changes stay in force


@given(records(), st.lists(st.tuples(st.integers(-2, SPAN + 6).map(at), st.booleans()), max_size=8))
def test_replace_from_applied_again_and_again_keeps_periods_apart(recs, steps):
    """A history built by many plans, in any date order, never has two values on one day."""
    current = [(start, end, name) for start, end, name in recs]
    for number, (on, ending) in enumerate(steps):
        plan = history.replace_from([(s, e) for s, e, _ in current], on, ending=ending)
        current = apply(current, plan, on, None if ending else f"n{number}")
        day_map(current)  # asserts no day is covered twice
        for start, end, _ in current:
            assert end is None or end > start  # and no empty record
