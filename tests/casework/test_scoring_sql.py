"""The set-based SQL of casework/services/scoring.py against the pure formula (risk.score, through
selectors.why): after `profiles_compute` and `rescore`, every Risk row holds what the Python gives
for its dossier, and every open task the score of its dossier. Then the profile's indicators."""

from __future__ import annotations

import math
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parcours.casework import lifecycle, risk
from parcours.casework.models import Profile, Risk, Task, Team
from parcours.casework.selectors import why
from parcours.casework.services.scoring import profiles_compute, rescore
from parcours.casework.services.tasks import tasks_close, tasks_open
from parcours.core.work import Kind, Work
from parcours.households import dtr
from parcours.households import services as registry
from parcours.households.models import IncidentKind
from parcours.rights import services as rights
from tests.factories import DemandeFactory, PersonFactory, household
from tests.factories.casework import reported_on

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def teams():
    return {
        "prestations": Team.objects.create(code="prestations", name="Prestations", departement="91"),
        "aripa": Team.objects.create(code="aripa", name="ARIPA", departement="91"),
    }


def today() -> date:
    return timezone.localdate()


def this_month() -> str:
    return f"{today():%Y-%m}"


def month_before(n: int = 1) -> str:
    day = today().replace(day=1)
    for _ in range(n):
        day = (day - timedelta(days=1)).replace(day=1)
    return f"{day:%Y-%m}"


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9)


def assert_sql_is_the_formula() -> dict[int, Risk]:
    """Recompute the registry's profiles and scores in SQL; each Risk row must be risk.score's."""
    profiles_compute()
    rescore()
    risks = {r.dossier_id: r for r in Risk.objects.all()}
    with_work = set(Task.objects.filter(state__in=lifecycle.OPEN).values_list("dossier_id", flat=True))
    assert set(risks) == with_work  # one row per dossier with open work, none for the others
    for dossier_id, row in risks.items():
        python = why(dossier_id).score
        got = (row.score, row.amount_cents, row.likelihood, row.vulnerability, row.breaks_on)
        want = (
            python.score,
            python.amount_cents,
            python.likelihood,
            float(python.vulnerability),
            python.breaks_on,
        )
        assert close(row.score, python.score), (dossier_id, got, want)
        assert row.amount_cents == python.amount_cents, (dossier_id, got, want)
        assert close(row.likelihood, python.likelihood), (dossier_id, got, want)
        assert close(row.vulnerability, float(python.vulnerability)), (dossier_id, got, want)
        assert row.breaks_on == python.breaks_on, (dossier_id, got, want)
        assert row.scored_on == today()
    for task in Task.objects.all():
        if task.state in lifecycle.OPEN:
            assert task.score == risks[task.dossier_id].score, task
    return risks


def amounts(dossier, month: str, version: int = 0, **benefits: str) -> None:  # type: ignore[no-untyped-def]
    rights.revisions_write(
        {dossier.pk: {b: Decimal(a) for b, a in benefits.items()}},
        month,
        source="test",
        versions={dossier.pk: version},
    )


def open_kinds(dossier) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(
        Task.objects.filter(dossier=dossier, state__in=lifecycle.OPEN).values_list("kind", flat=True)
    )


def test_the_sql_score_of_a_registry_is_the_python_formula_for_every_dossier():
    day, month = today(), this_month()
    # A single parent without income: RSA and aide au logement, a letter back and rent arrears.
    alone = household(couple=False, children=1, salary=Decimal("0"))
    amounts(alone, month, rsa="612.40", aide_logement="301.15")
    registry.incident_report(
        dossier=alone, kind=IncidentKind.RETURNED_MAIL, on=reported_on(), source="La Poste"
    )
    registry.incident_report(
        dossier=alone,
        kind=IncidentKind.RENT_ARREARS,
        on=reported_on(),
        source="Bailleur",
        amount=Decimal("900"),
    )
    # A couple with AF and prime d'activité whose last quarter's declaration is missing; the
    # current quarter's is not due yet.
    couple = household()
    amounts(couple, month, af="148.52", ppa="210.00", aide_logement="120.00")
    last_quarter = (day.replace(day=1) - timedelta(days=40)).replace(day=1)
    registry.declarations_expect(dossier_ids=[couple.pk], quarter=last_quarter)
    registry.declarations_expect(dossier_ids=[couple.pk], quarter=day.replace(day=1))
    registry.declarations_overdue(today=day)
    assert open_kinds(couple) == [Kind.DTR_MISSING]
    # A benefit ended last month (breaks within the horizon, on its own amount), another ends this
    # month (its payment breaks after the horizon), an indu on last month; a confidential address.
    ending = household(couple=False, children=2, confidential=True)
    amounts(ending, month_before(2), ppa="180.00")
    amounts(ending, month_before(1), asf="199.18", aide_logement="250.00", rsa="400.00")
    amounts(ending, month_before(1), version=1, aide_logement="220.00")  # an indu of 30 €
    amounts(ending, month, asf="199.18", aide_logement="220.00")  # the RSA stops this month
    assert rights.rights_endings(month_before(1)) == 1
    assert rights.rights_endings(month) == 1
    assert open_kinds(ending) == sorted([Kind.RIGHT_ENDING, Kind.RIGHT_ENDING, Kind.INDU])
    # A deposited declaration of separation (a couple's dossier with AF).
    demande = DemandeFactory(deposee=True)
    # Deposited as if on `reported_on()`: its break (the next payment) within the horizon whatever
    # today's date (deposited just after a payment day, it would wait a few days to count).
    Task.objects.filter(dossier=demande.dossier, kind=Kind.DECLARATION).update(
        breaks_on=dtr.next_payment(reported_on())
    )
    amounts(demande.dossier, month, af="148.52", cf="0", aah="971.37")
    # A returned payment whose break is beyond the horizon, and one settled (closed: not counted).
    later = household(couple=False, children=0)
    amounts(later, month, rsa="635.71")
    registry.incident_report(dossier=later, kind=IncidentKind.RETURNED_PAYMENT, on=day + timedelta(days=60))
    settled = household()
    amounts(settled, month, af="148.52")
    incident = registry.incident_report(dossier=settled, kind=IncidentKind.RETURNED_MAIL, on=reported_on())
    registry.incident_close(incident=incident, on=day, outcome="Nouvelle adresse")
    # A dossier with money and no work.
    quiet = household()
    amounts(quiet, month, af="148.52")

    risks = assert_sql_is_the_formula()

    assert set(risks) == {alone.pk, couple.pk, ending.pk, demande.dossier_id, later.pk}
    assert risks[later.pk].score == 0 and risks[later.pk].amount_cents == 0  # beyond the horizon
    assert all(risks[d].score > 0 for d in (alone.pk, couple.pk, ending.pk, demande.dossier_id))
    # The parts are the right ones, as well as equal to the formula.
    assert risks[alone.pk].amount_cents == 61_240 + 30_115  # the letter threatens all, the arrears housing
    assert risks[alone.pk].vulnerability == pytest.approx(1 + 0.30 + 0.40)
    assert risks[couple.pk].amount_cents == 21_000  # the DTR threatens the PPA (no RSA)
    assert risks[couple.pk].likelihood == pytest.approx(0.90)
    # RSA ending this month breaks after the horizon; the PPA ended last month (180 €), the indu (30 €)
    assert risks[ending.pk].amount_cents == 18_000 + 3_000
    assert risks[ending.pk].vulnerability == pytest.approx(1 + 0.30 + 0.50)  # single parent, confidential
    assert risks[demande.dossier_id].amount_cents == 14_852 + 97_137
    assert Task.objects.get(kind=Kind.RETURNED_MAIL, dossier=settled).state == lifecycle.TRAITEE
    # The queue's order is the risk's.
    top = Task.objects.filter(state__in=lifecycle.OPEN).order_by("-score").first()
    assert top.dossier_id == max(risks.values(), key=lambda r: r.score).dossier_id


def test_rescoring_a_few_dossiers_leaves_the_others_as_they_were():
    month = this_month()
    first, second = household(couple=False, children=1), household()
    amounts(first, month, rsa="500.00")
    amounts(second, month, af="148.52")
    for dossier in (first, second):
        registry.incident_report(dossier=dossier, kind=IncidentKind.RETURNED_MAIL, on=reported_on())
    assert_sql_is_the_formula()
    before = Risk.objects.get(pk=second.pk).score
    amounts(second, month, version=1, af="300.00")  # a rappel: more money at risk, not yet rescored
    profiles_compute(dossier_ids=[first.pk])
    rescore(dossier_ids=[first.pk])
    assert Risk.objects.get(pk=second.pk).score == before
    assert_sql_is_the_formula()
    assert Risk.objects.get(pk=second.pk).score > before


def test_two_open_tasks_of_one_kind_on_a_dossier_count_once_in_sql_as_in_python():
    """Two letters back on one dossier (two incidents, two tasks of the same kind): one kind of
    threat on the AF, counted once (0.5) by risk.py and by the SQL."""
    day, month = today(), this_month()
    dossier = household()
    amounts(dossier, month, af="100.00")
    registry.incident_report(dossier=dossier, kind=IncidentKind.RETURNED_MAIL, on=reported_on())
    registry.incident_report(
        dossier=dossier, kind=IncidentKind.RETURNED_MAIL, on=reported_on() + timedelta(days=1)
    )
    assert open_kinds(dossier) == [Kind.RETURNED_MAIL, Kind.RETURNED_MAIL]
    weight = float(risk.factors_on(day)[Kind.RETURNED_MAIL].weight)
    assert why(dossier.pk).score.likelihood == pytest.approx(weight)
    profiles_compute()
    rescore()
    assert Risk.objects.get(pk=dossier.pk).likelihood == pytest.approx(weight)
    assert_sql_is_the_formula()


# --- Generated registries ----------------------------------------------------------------------

KINDS = [k for k in Kind]
money = st.integers(0, 120_000).map(lambda c: Decimal(c) / 100)
benefit_amounts = st.dictionaries(
    st.sampled_from(("rsa", "ppa", "aide_logement", "af", "cf", "asf", "aah", "aeeh")), money, max_size=5
)
break_days = st.one_of(st.none(), st.integers(-20, 60))  # days from today: within or beyond the horizon
work_st = st.tuples(
    st.sampled_from(KINDS),
    break_days,
    st.one_of(st.none(), st.integers(0, 90_000).map(lambda c: Decimal(c) / 100)),
    st.booleans(),  # settled (closed) afterwards
)
dossier_st = st.fixed_dictionaries(
    {
        "couple": st.booleans(),
        "children": st.integers(0, 2),
        "salary": st.sampled_from((Decimal("0"), Decimal("1400.00"))),
        "confidential": st.booleans(),
        "amounts": benefit_amounts,
        # distinct kinds: two tasks of one kind are the case above
        "work": st.lists(work_st, max_size=4, unique_by=lambda w: w[0]),
    }
)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(dossier_st, min_size=1, max_size=3))
def test_the_sql_score_is_the_python_formula_on_generated_dossiers(specs):
    day, month = today(), this_month()
    with transaction.atomic():
        for n, spec in enumerate(specs):
            dossier = household(
                couple=spec["couple"],
                children=spec["children"],
                salary=spec["salary"],
                confidential=spec["confidential"],
            )
            if spec["amounts"]:
                rights.revisions_write({dossier.pk: spec["amounts"]}, month, source="test", versions={})
            items = [
                Work(
                    kind,
                    dossier.pk,
                    f"genere:{dossier.pk}:{n}:{i}",
                    breaks_on=None if breaks is None else day + timedelta(days=breaks),
                    amount=amount,
                )
                for i, (kind, breaks, amount, _) in enumerate(spec["work"])
            ]
            tasks_open(sender="test", items=items)
            tasks_close(
                causes=[w.cause for w, (*_, settled) in zip(items, spec["work"], strict=True) if settled],
                outcome="Réglé",
            )
        assert_sql_is_the_formula()
        transaction.set_rollback(True)


# --- The profile's indicators ------------------------------------------------------------------


def profile(dossier) -> Profile:  # type: ignore[no-untyped-def]
    profiles_compute()
    return Profile.objects.get(pk=dossier.pk)


def test_a_single_parent_is_one_adult_with_children():
    alone, couple, no_child = (
        household(couple=False, children=1),
        household(),
        household(couple=False, children=0),
    )
    profiles_compute()
    got = {d: Profile.objects.get(pk=d.pk) for d in (alone, couple, no_child)}
    assert (got[alone].adults, got[alone].children, got[alone].single_parent) == (1, 1, True)
    assert (got[couple].adults, got[couple].children, got[couple].single_parent) == (2, 2, False)
    assert (got[no_child].adults, got[no_child].children, got[no_child].single_parent) == (1, 0, False)
    assert {p.departement for p in got.values()} == {"91"}


def test_no_income_means_no_activity_or_replacement_income_of_an_adult():
    assert profile(household(salary=Decimal("0"))).no_income is True
    assert profile(household(salary=Decimal("1500.00"))).no_income is False
    # a pension received is no income of activity or replacement
    with_pension = household(couple=False, salary=Decimal("0"))
    registry.resource_set(
        dossier=with_pension,
        person=with_pension.memberships.get(role="allocataire").person,
        kind="pensions_alimentaires_percues",
        valid_from=date(2024, 1, 1),
        monthly_amount=Decimal("200.00"),
    )
    assert profile(with_pension).no_income is True
    # unemployment benefit is a replacement income
    unemployed = household(couple=False, salary=Decimal("0"))
    registry.resource_set(
        dossier=unemployed,
        person=unemployed.memberships.get(role="allocataire").person,
        kind="chomage_net",
        valid_from=date(2024, 1, 1),
        monthly_amount=Decimal("980.00"),
    )
    assert profile(unemployed).no_income is False


def test_a_young_child_is_under_three_years_old_today():
    day = today()
    three_years_ago = (
        day.replace(year=day.year - 3) if (day.month, day.day) != (2, 29) else date(day.year - 3, 2, 28)
    )
    older = household(children=1)  # born 2012
    assert profile(older).young_child is False
    just_three = household(children=0)
    turning = household(children=0)
    for dossier, born in ((just_three, three_years_ago), (turning, three_years_ago + timedelta(days=1))):
        child = PersonFactory(child=True, birth_date=born)
        registry.member_add(dossier=dossier, person=child, role="enfant", valid_from=born)
    profiles_compute()
    assert Profile.objects.get(pk=just_three.pk).young_child is False  # 3 today
    assert Profile.objects.get(pk=turning.pk).young_child is True  # 3 tomorrow
    assert Profile.objects.get(pk=turning.pk).youngest_born == three_years_ago + timedelta(days=1)


def test_a_separation_is_recent_for_a_year():
    day = today()
    recent, old = household(), household()
    for n, (dossier, on) in enumerate(
        ((recent, day - timedelta(days=365)), (old, day - timedelta(days=366)))
    ):
        registry.separation_record(
            dossier=dossier,
            leaving=dossier.memberships.get(role="conjoint").person,
            on=on,
            new_numero_allocataire=f"{9_000_001 + n:07d}",
        )
    profiles_compute()
    assert Profile.objects.get(pk=recent.pk).recent_separation is True
    assert Profile.objects.get(pk=old.pk).recent_separation is False
    # the household left with one adult and its two children: a single parent now
    assert Profile.objects.get(pk=recent.pk).single_parent is True


def test_a_validated_declaration_of_separation_is_a_recent_separation():
    demande = DemandeFactory(validee=True)
    untouched = household()
    profiles_compute()
    assert Profile.objects.get(pk=demande.dossier_id).recent_separation is True
    assert Profile.objects.get(pk=untouched.pk).recent_separation is False


def test_a_confidential_address_is_violence():
    assert profile(household(confidential=True)).violence is True
    assert profile(household()).violence is False


def test_the_housing_status_is_the_current_one():
    dossier = household()
    assert profile(dossier).housing_status == "locataire"
    registry.housing_set(dossier=dossier, valid_from=today() - timedelta(days=3), status="heberge")
    assert profile(dossier).housing_status == "heberge"
    assert profile(household(couple=False, children=0, complete=False)).housing_status == ""


def test_the_amounts_are_this_month_s_latest_revision_in_cents():
    dossier = household()
    amounts(dossier, month_before(1), af="999.99")  # another month: not this one's
    amounts(dossier, this_month(), af="148.52", aide_logement="301.15", aah="0.01")
    amounts(dossier, this_month(), version=1, aide_logement="288.07")  # revised: the latest counts
    row = profile(dossier)
    assert (row.af_cents, row.aide_logement_cents, row.aah_cents, row.rsa_cents) == (14_852, 28_807, 1, 0)
    assert row.handicap is True  # an AAH is paid
    assert profile(household()).af_cents == 0  # no revision: 0
