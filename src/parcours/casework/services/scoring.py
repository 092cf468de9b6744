"""The dossiers' indicators and risk, set-based in SQL over the whole registry (or a few dossiers
after an event): `profiles_compute` writes one Profile row per dossier with one INSERT … SELECT that
Django's ORM compiles for the database in use; `rescore` writes the Risk rows with the formula of
risk.py in SQL and copies each dossier's score onto its open tasks (the queue's order)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import (
    BigIntegerField,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Round
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


def _profile_rows(day: date, dossier_ids: Sequence[int] | None) -> QuerySet:
    """The query of the profile rows, one per dossier, in the order of Profile's columns."""
    live = {"retired_in__isnull": True, "valid_from__lte": day}

    def valid(qs: QuerySet) -> QuerySet:
        from django.db.models import Q

        return qs.filter(**live).filter(Q(valid_until__isnull=True) | Q(valid_until__gt=day))

    members = valid(Membership.objects.filter(dossier=OuterRef("pk")))
    adults = members.filter(role__in=ADULT_ROLES).values("dossier").annotate(c=Count("*")).values("c")
    children = members.filter(role=Role.ENFANT).values("dossier").annotate(c=Count("*")).values("c")
    youngest = (
        members.filter(role=Role.ENFANT).values("dossier").annotate(b=Max("person__birth_date")).values("b")
    )
    income = valid(
        Resource.objects.filter(
            kind__in=INCOME_KINDS,
            monthly_amount__gt=0,
            person__in=valid(
                Membership.objects.filter(dossier=OuterRef(OuterRef("pk")), role__in=ADULT_ROLES)
            ).values("person"),
        )
    )
    separated = SituationChange.objects.filter(
        dossier=OuterRef("pk"), kind=ChangeKind.SEPARATION, effective_date__gte=day - RECENT_SEPARATION
    )
    confidential = valid(Address.objects.filter(dossier=OuterRef("pk"), is_confidential=True))
    housing = valid(Housing.objects.filter(dossier=OuterRef("pk"))).values("status")[:1]
    unpaid = valid(ChildSupport.objects.filter(dossier=OuterRef("pk"), status=ChildSupportStatus.SET_UNPAID))
    month = day.replace(day=1)

    def amount(benefit: str) -> Coalesce:
        latest = RightsRevision.objects.filter(dossier=OuterRef("pk"), month=month, benefit=benefit).order_by(
            "-id"
        )
        cents = Cast(Round(Subquery(latest.values("amount")[:1]) * Value(Decimal(100))), BigIntegerField())
        return Coalesce(cents, Value(0), output_field=BigIntegerField())

    rows = Dossier.objects.all() if dossier_ids is None else Dossier.objects.filter(pk__in=list(dossier_ids))
    zero = Value(0, output_field=IntegerField())
    columns = {
        "p_dossier": F("pk"),
        "p_departement": F("departement"),
        "p_adults": Coalesce(Subquery(adults), zero),
        "p_children": Coalesce(Subquery(children), zero),
        "p_youngest": Subquery(youngest),
        "p_no_income": ~Exists(income),
        "p_recent_separation": Exists(separated),
        "p_violence": Exists(confidential),
        "p_housing": Coalesce(Subquery(housing), Value("")),
        "p_pension_unpaid": Exists(unpaid),
        **{f"p_{b}": amount(b) for b in AMOUNT_FIELDS},
        "p_on": Value(day),
    }
    return rows.annotate(**columns).values(*columns)


PROFILE_COLUMNS = (
    "dossier_id",
    "departement",
    "adults",
    "children",
    "youngest_born",
    "no_income",
    "recent_separation",
    "violence",
    "housing_status",
    "pension_unpaid",
    *(f"{b}_cents" for b in AMOUNT_FIELDS),
    "computed_on",
)


@transaction.atomic
def profiles_compute(*, day: date | None = None, dossier_ids: Sequence[int] | None = None) -> int:
    """Recompute the indicators of every dossier (or of `dossier_ids`) as of `day`."""
    day = day or timezone.localdate()
    table = _q(Profile._meta.db_table)
    select, params = _profile_rows(day, dossier_ids).query.sql_with_params()
    cutoff = (
        day.replace(year=day.year - YOUNG_CHILD_YEARS)
        if not (day.month == 2 and day.day == 29)
        else day.replace(year=day.year - YOUNG_CHILD_YEARS, day=28)
    )
    # A few dossiers (an event) keep their segment until the nightly segmentation runs again.
    segments = (
        {}
        if dossier_ids is None
        else dict(
            Profile.objects.filter(pk__in=list(dossier_ids))
            .exclude(segment=None)
            .values_list("pk", "segment_id")
        )
    )
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE 1 = 1{_in(dossier_ids, 'dossier_id')}")  # noqa: S608
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(_q(c) for c in PROFILE_COLUMNS)}, single_parent, handicap, young_child) "  # noqa: S608
            f"SELECT q.*, FALSE, FALSE, FALSE FROM ({select}) q",
            params,
        )
        inserted = cursor.rowcount
        cursor.execute(
            f"UPDATE {table} SET single_parent = (adults = 1 AND children > 0), "  # noqa: S608
            "handicap = (aah_cents > 0 OR aeeh_cents > 0), "
            f"young_child = (youngest_born IS NOT NULL AND youngest_born > %s) WHERE 1 = 1{_in(dossier_ids, 'dossier_id')}",
            [_day(cutoff)],
        )
    for segment_id in set(segments.values()):
        Profile.objects.filter(pk__in=[d for d, s in segments.items() if s == segment_id]).update(
            segment_id=segment_id
        )
    return inserted


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
    return format(Decimal(weight), "f")


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
