"""Pure rules of effective-dated facts, checked day by day against a reference model."""

from datetime import date, timedelta

from hypothesis import assume, given
from hypothesis import strategies as st

from parcours.households import history
from parcours.households.history import Fact

BASE = date(2024, 1, 1)
days = st.integers(min_value=0, max_value=60).map(lambda n: BASE + timedelta(days=n))
ends = st.one_of(st.none(), days)


def day_range(start: date, end: date | None, horizon: int = 70) -> set[date]:
    last = end or BASE + timedelta(days=horizon)
    return {start + timedelta(days=n) for n in range((last - start).days)} if last > start else set()


@given(days, ends, days, ends)
def test_overlaps_and_intersect_agree_with_the_days_covered(a_from, a_until, b_from, b_until):
    # Periods are never empty: the services refuse an end that is not after the start.
    assume(a_until is None or a_until > a_from)
    assume(b_until is None or b_until > b_from)
    a, b = day_range(a_from, a_until), day_range(b_from, b_until)
    assert history.overlaps(a_from, a_until, b_from, b_until) == bool(a & b)
    assert history.overlaps(a_from, a_until, b_from, b_until) == history.overlaps(
        b_from, b_until, a_from, a_until
    )
    both = history.intersect(a_from, a_until, b_from, b_until)
    if both is None:
        assert not (a & b)
    else:
        assert day_range(*both) == a & b
    assert both == history.intersect(b_from, b_until, a_from, a_until)


@given(days, ends, days)
def test_covers_is_half_open(start, end, day):
    assert history.covers(start, end, day) == (day in day_range(start, end, horizon=200))


@given(days, ends)
def test_period_error_refuses_an_end_not_after_the_start(start, end):
    error = history.period_error(start, end)
    assert (error is not None) == (end is not None and end <= start)
    if error:
        assert "date de fin" in error


def non_overlapping_periods():
    """Sorted, non-overlapping periods with values: [(start, end, value)]."""

    @st.composite
    def build(draw):
        cuts = sorted(set(draw(st.lists(st.integers(0, 60), min_size=1, max_size=8))))
        periods = []
        for i, start in enumerate(cuts):
            nxt = cuts[i + 1] if i + 1 < len(cuts) else None
            gap = draw(st.booleans())
            end = nxt
            if gap and nxt is not None and nxt - start > 1:
                end = start + draw(st.integers(1, nxt - start))
            periods.append(
                (
                    BASE + timedelta(days=start),
                    BASE + timedelta(days=end) if end is not None else None,
                    f"v{i}",
                )
            )
        return periods

    return build()


def value_on(periods, day):
    for start, end, value in periods:
        if history.covers(start, end, day):
            return value
    return None


@given(non_overlapping_periods(), days, st.booleans())
def test_replace_from_sets_the_value_until_the_next_known_change(periods, on, ending):
    plan = history.replace_from([(s, e) for s, e, _ in periods], on, ending=ending)
    kept = [p for i, p in enumerate(periods) if i not in plan.retire]
    kept += [(periods[i][0], end, periods[i][2]) for i, end in plan.keep_before]
    if not ending:
        kept.append((on, plan.new_until, "new"))
    # The result is still a set of non-overlapping periods.
    for i, a in enumerate(kept):
        for b in kept[i + 1 :]:
            assert not history.overlaps(a[0], a[1], b[0], b[1])
    for n in range(80):
        day = BASE + timedelta(days=n)
        if day < on:
            assert value_on(kept, day) == value_on(periods, day)
        elif ending:
            # Ending covers only the value in force on `on`: later known values stay.
            covering = value_on(periods, on)
            assert value_on(kept, day) == (
                None if value_on(periods, day) == covering else value_on(periods, day)
            )
        elif plan.new_until is None or day < plan.new_until:
            assert value_on(kept, day) == "new"
        else:
            assert value_on(kept, day) == value_on(periods, day)


facts_strategy = st.lists(
    st.builds(
        lambda comp, key, value, start, length: Fact(
            comp,
            key,
            value,
            BASE + timedelta(days=start),
            None if length is None else BASE + timedelta(days=start + length),
        ),
        st.sampled_from(["members", "address"]),
        st.sampled_from(["k1", "k2"]),
        st.sampled_from(["x", "y", "z"]),
        st.integers(0, 50),
        st.one_of(st.none(), st.integers(1, 20)),
    ),
    max_size=8,
)


def unique_per_day(facts):
    """Keep facts so that no (component, key) has two values on one day (the registry's invariant)."""
    kept = []
    for fact in facts:
        if all(
            (f.component, f.key) != (fact.component, fact.key)
            or not history.overlaps(f.valid_from, f.valid_until, fact.valid_from, fact.valid_until)
            for f in kept
        ):
            kept.append(fact)
    return kept


@given(facts_strategy, days, days)
def test_changes_between_reports_exactly_the_days_the_state_changes(facts, d1, d2):
    facts = unique_per_day(facts)
    after, up_to = min(d1, d2), max(d1, d2)
    changes = history.changes_between(facts, after, up_to)
    reported = {c.on for c in changes}
    for n in range(1, (up_to - after).days + 1):
        day = after + timedelta(days=n)
        differs = history.state_on(facts, day - timedelta(days=1)) != history.state_on(facts, day)
        assert (day in reported) == differs
    for change in changes:
        before = history.state_on(facts, change.on - timedelta(days=1)).get(change.component, {})
        now = history.state_on(facts, change.on).get(change.component, {})
        assert before.get(change.key) == change.before and now.get(change.key) == change.after
        assert change.before != change.after
