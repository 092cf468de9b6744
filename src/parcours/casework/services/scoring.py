"""The dossiers' indicators and risk, set-based in SQL over the whole registry (or a few dossiers
after an event): `profiles_compute` writes one Profile row per dossier with one INSERT … SELECT that
Django's ORM compiles for the database in use; `rescore` writes the Risk rows with the formula of
risk.py in SQL and copies each dossier's score onto its open tasks (the queue's order)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal

from django.db import connection, models, transaction
from django.utils import timezone

from parcours.households.models import (
    ADULT_ROLES,
    Address,
    ChangeKind,
    ChildSupport,
    ChildSupportStatus,
    Dossier,
    Housing,
    Membership,
    Resource,
    ResourceKind,
    Role,
    SituationChange,
)
from parcours.rights.models import RightsRevision

from .. import lifecycle, risk
from ..models import Profile, Risk, Task
from .segments import primary_case

AMOUNT_FIELDS = ("rsa", "ppa", "aide_logement", "af", "cf", "asf", "aah", "aeeh")
# The resources that make a household "with income" (activity or replacement income).
INCOME_KINDS = (
    ResourceKind.SALAIRE_NET,
    ResourceKind.CHOMAGE_NET,
    ResourceKind.RETRAITE_NETTE,
    ResourceKind.PENSIONS_INVALIDITE,
    ResourceKind.INDEMNITES_JOURNALIERES,
    ResourceKind.REVENUS_NON_SALARIES,
)
RECENT_SEPARATION = timedelta(days=365)
YOUNG_CHILD_YEARS = 3


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _day(value: date) -> str:
    return str(connection.ops.adapt_datefield_value(value))


def _in(ids: Sequence[int] | None, column: str) -> str:
    return "" if ids is None else f" AND {column} IN ({', '.join(str(int(i)) for i in ids) or 'NULL'})"


def _valid(alias: str, day: str) -> str:
    """The row is of the current knowledge and valid on `day` (households.valid_on_q, in SQL)."""
    return (
        f"{alias}.retired_in_id IS NULL AND {alias}.valid_from <= '{day}' "
        f"AND ({alias}.valid_until IS NULL OR {alias}.valid_until > '{day}')"
    )


def _table(model: type[models.Model]) -> str:
    return _q(model._meta.db_table)


def profiles_sql(day: date, dossier_ids: Sequence[int] | None) -> tuple[str, list]:
    """The INSERT … SELECT of the profile rows, one per dossier (or per dossier of `dossier_ids`).
    Set-based: each source table is read once, aggregated by dossier, and joined to the dossiers
    (no subquery per dossier); the derived flags and the primary segment (segments.primary_case,
    which reads the row's columns under the profile table's name) in the same pass. Portable SQL
    (PostgreSQL and SQLite); the dates and codes are written by the application, the segments'
    values are parameters."""
    on = _day(day)
    # A typed date where PostgreSQL could not infer it (a literal in a subquery is text there).
    computed_on = f"DATE '{on}'" if connection.vendor == "postgresql" else f"'{on}'"
    segment, params = primary_case()
    profile = _table(Profile)
    adults = ", ".join(f"'{r}'" for r in sorted(ADULT_ROLES))
    incomes = ", ".join(f"'{k}'" for k in INCOME_KINDS)
    cutoff = (
        day.replace(year=day.year - YOUNG_CHILD_YEARS)
        if not (day.month == 2 and day.day == 29)
        else day.replace(year=day.year - YOUNG_CHILD_YEARS, day=28)
    )
    amounts = ", ".join(f"MAX(CASE WHEN x.benefit = '{b}' THEN x.cents END) AS {b}" for b in AMOUNT_FIELDS)
    return (
        f"""
    WITH live AS (
      SELECT m.dossier_id, m.person_id, m.role FROM {_table(Membership)} m
      WHERE {_valid("m", on)}{_in(dossier_ids, "m.dossier_id")}
    ), members AS (
      SELECT l.dossier_id,
             SUM(CASE WHEN l.role IN ({adults}) THEN 1 ELSE 0 END) AS adults,
             SUM(CASE WHEN l.role = '{Role.ENFANT}' THEN 1 ELSE 0 END) AS children,
             MAX(CASE WHEN l.role = '{Role.ENFANT}' THEN p.birth_date END) AS youngest
      FROM live l JOIN {_q("households_person")} p ON p.id = l.person_id GROUP BY l.dossier_id
    ), income AS (
      SELECT DISTINCT l.dossier_id FROM live l JOIN {_table(Resource)} r ON r.person_id = l.person_id
      WHERE l.role IN ({adults}) AND r.kind IN ({incomes}) AND r.monthly_amount > 0 AND {_valid("r", on)}
    ), separated AS (
      SELECT DISTINCT c.dossier_id FROM {_table(SituationChange)} c
      WHERE c.kind = '{ChangeKind.SEPARATION}' AND c.effective_date >= '{_day(day - RECENT_SEPARATION)}'
      {_in(dossier_ids, "c.dossier_id")}
    ), confidential AS (
      SELECT DISTINCT a.dossier_id FROM {_table(Address)} a
      WHERE a.is_confidential AND {_valid("a", on)}{_in(dossier_ids, "a.dossier_id")}
    ), housing AS (
      SELECT h.dossier_id, h.status FROM {_table(Housing)} h JOIN (
        SELECT h1.dossier_id, MIN(h1.id) AS id FROM {_table(Housing)} h1
        WHERE {_valid("h1", on)}{_in(dossier_ids, "h1.dossier_id")} GROUP BY h1.dossier_id
      ) earliest ON earliest.id = h.id
    ), unpaid AS (
      SELECT DISTINCT c.dossier_id FROM {_table(ChildSupport)} c
      WHERE c.status = '{ChildSupportStatus.SET_UNPAID}' AND {_valid("c", on)}{_in(dossier_ids, "c.dossier_id")}
    ), rights AS (
      SELECT x.dossier_id, {amounts} FROM (
        SELECT r.dossier_id, r.benefit, CAST(ROUND(r.amount * 100) AS BIGINT) AS cents
        FROM {_table(RightsRevision)} r JOIN (
          SELECT r1.dossier_id, r1.benefit, MAX(r1.id) AS id FROM {_table(RightsRevision)} r1
          WHERE r1.month = '{_day(day.replace(day=1))}'{_in(dossier_ids, "r1.dossier_id")}
          GROUP BY r1.dossier_id, r1.benefit
        ) latest ON latest.id = r.id
      ) x GROUP BY x.dossier_id
    )
    INSERT INTO {profile} (dossier_id, departement, adults, children, youngest_born,
        single_parent, no_income, recent_separation, violence, handicap, housing_status,
        pension_unpaid, {", ".join(f"{b}_cents" for b in AMOUNT_FIELDS)}, young_child, computed_on,
        segment_id)
    SELECT {profile}.*, {segment} FROM (
      SELECT d.id AS dossier_id, d.departement AS departement, COALESCE(m.adults, 0) AS adults,
             COALESCE(m.children, 0) AS children, m.youngest AS youngest_born,
             (COALESCE(m.adults, 0) = 1 AND COALESCE(m.children, 0) > 0) AS single_parent,
             (i.dossier_id IS NULL) AS no_income, (s.dossier_id IS NOT NULL) AS recent_separation,
             (c.dossier_id IS NOT NULL) AS violence,
             (COALESCE(r.aah, 0) > 0 OR COALESCE(r.aeeh, 0) > 0) AS handicap,
             COALESCE(h.status, '') AS housing_status, (u.dossier_id IS NOT NULL) AS pension_unpaid,
             {", ".join(f"COALESCE(r.{b}, 0) AS {b}_cents" for b in AMOUNT_FIELDS)},
             (m.youngest IS NOT NULL AND m.youngest > '{_day(cutoff)}') AS young_child,
             {computed_on} AS computed_on
      FROM {_table(Dossier)} d
      LEFT JOIN members m ON m.dossier_id = d.id
      LEFT JOIN income i ON i.dossier_id = d.id
      LEFT JOIN separated s ON s.dossier_id = d.id
      LEFT JOIN confidential c ON c.dossier_id = d.id
      LEFT JOIN housing h ON h.dossier_id = d.id
      LEFT JOIN unpaid u ON u.dossier_id = d.id
      LEFT JOIN rights r ON r.dossier_id = d.id
      WHERE 1 = 1{_in(dossier_ids, "d.id")}
    ) {profile}
    """,  # noqa: S608 -- identifiers and enum values only; the ids and dates are bound
        params,
    )


@transaction.atomic
def profiles_compute(*, day: date | None = None, dossier_ids: Sequence[int] | None = None) -> int:
    """Recompute the indicators and the primary segment of every dossier (or of `dossier_ids`)
    as of `day`."""
    day = day or timezone.localdate()
    table = _q(Profile._meta.db_table)
    sql, params = profiles_sql(day, dossier_ids)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE 1 = 1{_in(dossier_ids, 'dossier_id')}")  # noqa: S608
        cursor.execute(sql, params)
        return cursor.rowcount


def refresh(dossier_ids: Sequence[int]) -> None:
    """After an event: the indicators and the score of its dossiers, now (the queue's order)."""
    profiles_compute(dossier_ids=dossier_ids)
    rescore(dossier_ids=dossier_ids)


# --- The score in SQL ---------------------------------------------------------------------------

VULNERABILITY_COLUMNS = {
    "parent_isole": "single_parent",
    "sans_revenu": "no_income",
    "jeune_enfant": "young_child",
    "separation_recente": "recent_separation",
    "violences": "violence",
}
# The benefits of the profile a factor "all" threatens (risk.MONTHLY_BENEFITS), by column.
PROFILE_BENEFITS = tuple(b for b in risk.MONTHLY_BENEFITS if b in AMOUNT_FIELDS)


def _literal(weight: Decimal) -> str:
    # In double precision, as the score column: numeric arithmetic over a million rows is 2.4 times
    # slower on PostgreSQL (bench/results/casework-20261203-1810.md), for no digit that matters.
    return f"CAST({format(Decimal(weight), 'f')} AS DOUBLE PRECISION)"


def score_sql(day: date, dossier_ids: Sequence[int] | None) -> tuple[str, list]:
    """The SELECT of (dossier, score, amount at risk, likelihood, vulnerability, break day) for the
    dossiers with open tasks: risk.score, written in SQL."""
    factors = risk.factors_on(day)
    vulnerabilities = risk.vulnerabilities_on(day)
    limit = _day(day + risk.horizon())
    tasks = _q(Task._meta.db_table)
    profiles = _q(Profile._meta.db_table)
    within = f"(t.breaks_on IS NULL OR t.breaks_on <= '{limit}')"
    states = ", ".join(f"'{s}'" for s in sorted(lifecycle.OPEN))
    flags, cause_expected, cause_at_risk = [], [], []
    for code, f in factors.items():
        flags.append(f"MAX(CASE WHEN t.kind = '{code}' AND {within} THEN 1 ELSE 0 END) AS f_{code}")
        if f.threatens == risk.CAUSE:
            cause_expected.append(
                f"CASE WHEN t.kind = '{code}' AND {within} THEN t.amount_cents * {_literal(f.weight)} ELSE 0 END"
            )
            cause_at_risk.append(f"CASE WHEN t.kind = '{code}' AND {within} THEN t.amount_cents ELSE 0 END")
    aggregate = (
        f"SELECT t.dossier_id, {', '.join(flags)}, "  # noqa: S608
        f"SUM({' + '.join(cause_expected) or '0'}) AS cause_expected, "
        f"SUM({' + '.join(cause_at_risk) or '0'}) AS cause_at_risk, "
        f"MIN(CASE WHEN {within} THEN t.breaks_on END) AS breaks_on "
        f"FROM {tasks} t WHERE t.state IN ({states}){_in(dossier_ids, 't.dossier_id')} GROUP BY t.dossier_id"
    )
    expected, at_risk = ["a.cause_expected"], ["a.cause_at_risk"]
    for b in PROFILE_BENEFITS:
        on_b = [
            c
            for c, f in factors.items()
            if f.threatens == risk.ALL or (isinstance(f.threatens, tuple) and b in f.threatens)
        ]
        if not on_b:
            continue
        survival = " * ".join(f"(1 - {_literal(factors[c].weight)} * a.f_{c})" for c in on_b)
        amount = f"COALESCE(p.{b}_cents, 0)"
        expected.append(f"{amount} * (1 - {survival})")
        at_risk.append(f"CASE WHEN ({' + '.join(f'a.f_{c}' for c in on_b)}) > 0 THEN {amount} ELSE 0 END")
    vulnerability = " + ".join(
        ["1.0"]
        + [
            f"CASE WHEN p.{VULNERABILITY_COLUMNS[c]} THEN {_literal(v.weight)} ELSE 0 END"
            for c, v in vulnerabilities.items()
        ]
    )
    select = (
        "SELECT e.dossier_id, e.expected / 100.0 * e.vulnerability AS score, e.at_risk, "  # noqa: S608
        "CASE WHEN e.at_risk > 0 THEN e.expected / e.at_risk ELSE 0 END AS likelihood, e.vulnerability, e.breaks_on "
        f"FROM (SELECT a.dossier_id, a.breaks_on, ({' + '.join(expected)}) AS expected, "
        f"({' + '.join(at_risk)}) AS at_risk, ({vulnerability}) AS vulnerability "
        f"FROM ({aggregate}) a LEFT JOIN {profiles} p ON p.dossier_id = a.dossier_id) e"
    )
    return select, []


@transaction.atomic
def rescore(*, day: date | None = None, dossier_ids: Sequence[int] | None = None) -> int:
    """Score every dossier with open work (or `dossier_ids`) and copy the scores onto their open
    tasks; a dossier without open work has no Risk row (its score is 0)."""
    day = day or timezone.localdate()
    table, tasks = _q(Risk._meta.db_table), _q(Task._meta.db_table)
    select, params = score_sql(day, dossier_ids)
    states = ", ".join(f"'{s}'" for s in sorted(lifecycle.OPEN))
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE 1 = 1{_in(dossier_ids, 'dossier_id')}")  # noqa: S608
        cursor.execute(
            f"INSERT INTO {table} (dossier_id, score, amount_cents, likelihood, vulnerability, breaks_on, scored_on) "  # noqa: S608
            f"SELECT s.dossier_id, s.score, s.at_risk, s.likelihood, s.vulnerability, s.breaks_on, %s FROM ({select}) s",
            [*params, _day(day)],
        )
        scored = cursor.rowcount
        # Only the tasks whose score moved are written (most do not from one night to the next):
        # UPDATE … FROM, which PostgreSQL and SQLite (3.33 and later) both run.
        cursor.execute(
            f"UPDATE {tasks} SET score = r.score FROM {table} r WHERE r.dossier_id = {tasks}.dossier_id "  # noqa: S608
            f"AND {tasks}.state IN ({states}) AND {tasks}.score <> r.score{_in(dossier_ids, f'{tasks}.dossier_id')}"
        )
        cursor.execute(
            f"UPDATE {tasks} SET score = 0 WHERE state IN ({states}) AND score <> 0 "  # noqa: S608
            f"AND NOT EXISTS (SELECT 1 FROM {table} r WHERE r.dossier_id = {tasks}.dossier_id){_in(dossier_ids, 'dossier_id')}"
        )
    return scored
