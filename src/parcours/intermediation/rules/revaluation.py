"""The yearly revaluation of a pension by the index its titre states (DOMAIN.md §5).

Sources: the titre itself (CSS R582-3 for the Caf's titre: it states the revaluation index; a
judgement states its own); the usual practice — to confirm — is the INSEE consumer price index
excluding tobacco (series 001763852), applied on each anniversary of the titre with the latest
index published on that date. A pension cannot be indexed on an index including tobacco (loi
n° 91-32 of 10 January 1991, to confirm).

    new amount = amount × index(reference month of this anniversary) / index(base month)

where the base month is the reference month of the titre's date. The amount and the base month are
the titre's each year (not last year's result and index), so that roundings never add up
(decision 0007). The reference month of a date is `publication_lag_months` (2, to confirm) before
it: on 1 March the latest published index is January's.

The cycle (`cycle/steps.py:revalue`) revalues on the 1st of the anniversary month
(`revaluation_on`), before the month's due is posted; its SQL is proven equal to `revaluation_on`
and `revaluation` by tests/intermediation/test_oracles.py.

Choices (documented here, to confirm with the ARIPA):
- the amount follows the index both ways: it goes down if the index goes down. An indexation
  clause is symmetrical and the titre states no floor; parcours adds none. The rare fall (the
  index fell over a year in 2009 and 2015) then gives a lower pension;
- the amount is rounded half up to the cent, once, from the exact ratio (never from a rounded
  coefficient);
- the anniversary of a 29 February is 28 February in a year that has none (`add_months`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from parcours.intermediation.rules import DATA_DIR, load_data
from parcours.intermediation.rules.calendar import add_months, first_of_month

DATA = DATA_DIR / "revaluation_index.yaml"
DEFAULT_SERIES = "001763852"
STATUSES = ("published", "derived", "estimated")


class IndexUnknown(LookupError):
    """No value of the index for that month; the message is in French, for the agent."""


@dataclass(frozen=True)
class IndexValue:
    series: str
    month: date  # the first day of the index's month
    value: Decimal
    status: str  # published | derived | estimated (see the data file)
    to_confirm: bool

    @property
    def estimated(self) -> bool:
        """True when no published value was read: the value is a placeholder."""
        return self.status == "estimated"


@dataclass(frozen=True)
class Revaluation:
    """One anniversary's revaluation, with what it was computed from."""

    anniversary: date
    base: IndexValue
    new: IndexValue
    amount_before_cents: int
    amount_cents: int

    @property
    def to_confirm(self) -> bool:
        return self.base.to_confirm or self.new.to_confirm or lag_to_confirm()


def _data() -> dict[str, Any]:
    return load_data(DATA)


def _series(series: str) -> dict[str, Any]:
    try:
        return _data()["series"][series]
    except KeyError:
        raise IndexUnknown(f"L'indice {series} n'est pas connu de parcours.") from None


def series_title(series: str = DEFAULT_SERIES) -> str:
    """The index's name as a titre states it, e.g. "Indice des prix à la consommation, ..."."""
    return " ".join(str(_series(series)["title"]).split())


def publication_lag_months() -> int:
    """How many months before a date its reference index is (parameter, 2, to confirm)."""
    return int(_data()["publication_lag_months"]["value"])


def lag_to_confirm() -> bool:
    return bool(_data()["publication_lag_months"].get("to_confirm", False))


def index_entry(series: str, month: date) -> IndexValue:
    """The value of `series` for the month of `month` (its day is ignored), with its status."""
    entry = _series(series)
    key = f"{month:%Y-%m}"
    raw = entry["values"].get(key)
    if raw is None:
        raise IndexUnknown(f"L'indice {series} du mois {key} n'est pas connu de parcours.")
    value, status = raw["index"], raw["status"]
    if not isinstance(value, str):  # a YAML number would be a float: refuse it loudly
        raise TypeError(f"{DATA.name} : l'indice de {key} doit être écrit entre guillemets.")
    if Decimal(value).as_tuple().exponent < -2:  # type: ignore[operator]
        # INSEE publishes two decimals; the cycle's SQL computes in hundredths of the index.
        raise ValueError(f"{DATA.name} : l'indice de {key} a au plus deux décimales.")
    if status not in STATUSES:
        raise ValueError(f"{DATA.name} : statut inconnu « {status} » pour {key}.")
    return IndexValue(
        series=series,
        month=first_of_month(month),
        value=Decimal(value),
        status=status,
        to_confirm=bool(entry.get("to_confirm", False)) or status != "published",
    )


def index_value(series: str, month: date) -> Decimal:
    """The value of `series` for the month of `month`; IndexUnknown when parcours has none."""
    return index_entry(series, month).value


def reference_month(day: date, *, lag_months: int | None = None) -> date:
    """The month of the index used on `day`: the latest published one, `lag_months` before (the
    `publication_lag_months` parameter by default). 15 March 2026 → 1 January 2026."""
    lag = publication_lag_months() if lag_months is None else lag_months
    return add_months(first_of_month(day), -lag)


def revalued_amount(*, base_cents: int, base_index: Decimal, new_index: Decimal) -> int:
    """`base_cents × new_index / base_index`, rounded half up to the cent.

    It goes down when the index goes down (no floor: see the module's docstring).
    """
    if isinstance(base_cents, bool) or not isinstance(base_cents, int):
        raise TypeError("Le montant est un nombre entier de centimes.")
    if base_cents < 0:
        raise ValueError("Le montant d'une pension ne peut pas être négatif.")
    for index in (base_index, new_index):
        if not isinstance(index, Decimal) or not index.is_finite() or index <= 0:
            raise ValueError("Un indice est un Decimal strictement positif.")
    exact = Decimal(base_cents) * new_index / base_index
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def anniversary_in(start: date, year: int) -> date:
    """The anniversary of `start` in `year` (29 February → 28 February in a common year)."""
    return add_months(start, 12 * (year - start.year))


def next_anniversary(start: date, after: date) -> date:
    """The first anniversary of `start` strictly after `after` (never `start` itself)."""
    candidate = anniversary_in(start, max(after.year, start.year + 1))
    if candidate <= after:
        candidate = anniversary_in(start, candidate.year + 1)
    return candidate


def revaluation_due(anniversary: date, on: date) -> bool:
    """True when `on` is an anniversary of `anniversary` (the titre's date of effect, or the date
    its revaluation is counted from), one year or more later: the day the pension is revalued."""
    return on.year > anniversary.year and on == anniversary_in(anniversary, on.year)


def anniversaries_between(start: date, *, after: date, until: date) -> list[date]:
    """The anniversaries of `start` in (after, until], oldest first: what a batch that last ran on
    `after` still has to apply on `until`."""
    found = []
    day = next_anniversary(start, after)
    while day <= until:
        found.append(day)
        day = next_anniversary(start, day)
    return found


def revaluation_on(first_revaluation_on: date, day: date) -> date | None:
    """The revaluation the cycle applies on `day`: the 1st of `day`'s month when that month is the
    anniversary month of `first_revaluation_on` (the titre's first revaluation), that month or a
    later one; None otherwise. A day's run that missed the 1st still revalues within the month, as
    of the 1st (decision 0007: before the month's due is posted)."""
    on = first_of_month(day)
    if on.month == first_revaluation_on.month and on >= first_of_month(first_revaluation_on):
        return on
    return None


def revaluation(
    *,
    amount_cents: int,
    anniversary: date,
    base_month: date,
    series: str = DEFAULT_SERIES,
    lag_months: int | None = None,
) -> Revaluation:
    """The pension revalued on `anniversary`: from the index of `base_month` (the reference month
    of the previous revaluation, or of the titre's date) to the index of this anniversary's
    reference month. IndexUnknown when either index is unknown to parcours.

    The SQL of `cycle/steps.py:revalue` (base amount × new / base index, half up, in integers) is
    proven equal to this by tests/intermediation/test_oracles.py."""
    base = index_entry(series, base_month)
    new = index_entry(series, reference_month(anniversary, lag_months=lag_months))
    return Revaluation(
        anniversary=anniversary,
        base=base,
        new=new,
        amount_before_cents=amount_cents,
        amount_cents=revalued_amount(base_cents=amount_cents, base_index=base.value, new_index=new.value),
    )
