"""The Caf's titre exécutoire: refusals with their reasons, acceptance, four months of silence
(rules/titre_caf.py, DOMAIN.md §6)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parcours.child_support.scales import Custody
from parcours.core.templatetags.parcours_format import format_euros
from parcours.titres.rules import (
    REQUIRED_DOCUMENTS,
    ChildRequest,
    ParentIdentity,
    TitreRequest,
    UnionKind,
    decide,
    deemed_accepted_on,
    silence_accepted,
)

D = Decimal
ON = date(2026, 1, 15)  # the conftest's `scales` are those of this day: RSA 646,52 €

LEA = ChildRequest("Léa", "Bernard", date(2018, 6, 1), Custody.CLASSIQUE, D("250.00"))
HUGO = ChildRequest("Hugo", "Bernard", date(2020, 2, 29), Custody.ALTERNE, D("170.00"))


def a_request(**changes) -> TitreRequest:
    request = TitreRequest(
        creditor=ParentIdentity("Camille", "Martin", date(1990, 5, 4), "12 rue des Lilas, 33000 Bordeaux"),
        debtor=ParentIdentity("Julien", "Bernard", date(1988, 1, 9), "3 allée des Pins, 33400 Talence"),
        union=UnionKind.PACS,
        creditor_signed=True,
        debtor_signed=True,
        children=(LEA, HUGO),
        debtor_monthly_resources=D("2100.00"),
        children_dependent_on_debtor=2,
        submitted_on=date(2026, 1, 5),
        documents_provided=REQUIRED_DOCUMENTS,
    )
    return replace(request, **changes)


def test_an_agreement_above_the_threshold_is_accepted(scales):
    decision = decide(a_request(), on=ON, scales=scales)
    assert decision.accepted and decision.reasons == []
    # CSS R582-1, N = 2: 2 100 × 11,8 % = 247,80 € (classique), 2 100 × 7,9 % = 165,90 € (alterné).
    assert decision.thresholds["Léa Bernard"].per_child == D("247.80")
    assert decision.thresholds["Hugo Bernard"].per_child == D("165.90")
    assert not decision.silence_accepted and not decision.to_confirm


@pytest.mark.parametrize("union", [UnionKind.CONCUBINAGE, UnionKind.PACS])
def test_unmarried_parents_may_ask(scales, union):
    assert decide(a_request(union=union), on=ON, scales=scales).accepted


def test_married_parents_go_to_the_family_judge(scales):
    decision = decide(a_request(union=UnionKind.MARIAGE), on=ON, scales=scales)
    assert not decision.accepted
    assert decision.reasons == [
        "Les parents étaient mariés : seul le juge aux affaires familiales peut fixer la pension."
    ]


def test_the_request_is_joint(scales):
    decision = decide(a_request(debtor_signed=False), on=ON, scales=scales)
    assert decision.reasons == [
        "La demande doit être faite par les deux parents : Julien Bernard ne l'a pas signée."
    ]
    both = decide(a_request(debtor_signed=False, creditor_signed=False), on=ON, scales=scales)
    assert both.reasons == [
        "La demande doit être faite par les deux parents : Camille Martin et Julien Bernard ne l'ont pas signée."
    ]


def test_an_existing_titre_or_procedure_for_a_child(scales):
    hugo = replace(HUGO, existing_titre_or_procedure=True)
    decision = decide(a_request(children=(LEA, hugo)), on=ON, scales=scales)
    assert decision.reasons == [
        "Un titre exécutoire ou une procédure devant le juge existe déjà pour Hugo Bernard : "
        "la Caf ne peut pas délivrer de titre pour cet enfant."
    ]


def test_an_amount_below_the_threshold_of_r582_1(scales):
    lea = replace(LEA, monthly_amount=D("80.00"))
    decision = decide(a_request(children=(lea, HUGO)), on=ON, scales=scales)
    assert not decision.accepted
    assert decision.reasons == [
        f"Le montant demandé pour Léa ({format_euros(D('80.00'))}) est inférieur au seuil de "
        f"{format_euros(D('247.80'))} fixé par l'article R. 582-1 du code de la sécurité sociale."
    ]
    assert "80,00\u00a0€" in decision.reasons[0] and "247,80\u00a0€" in decision.reasons[0]


def test_the_threshold_keeps_the_rsa_to_the_debtor(scales):
    # 800 € of resources, 2 children: 800 × 11,8 % = 94,40 € each would leave 611,20 € < RSA
    # 646,52 €: the threshold falls to (800 − 646,52) / 2 = 76,74 € (CSS R582-1, II).
    children = (
        replace(LEA, monthly_amount=D("76.74")),
        replace(HUGO, custody=Custody.CLASSIQUE, monthly_amount=D("76.73")),
    )
    decision = decide(
        a_request(children=children, debtor_monthly_resources=D("800.00")), on=ON, scales=scales
    )
    assert decision.thresholds["Léa Bernard"].per_child == D("76.74")
    assert len(decision.reasons) == 1 and decision.reasons[0].startswith(
        "Le montant demandé pour Hugo (76,73"
    )


def test_missing_documents_are_named(scales):
    provided = REQUIRED_DOCUMENTS - {"ressources_debiteur", "fin_union"}
    decision = decide(a_request(documents_provided=provided), on=ON, scales=scales)
    assert decision.reasons == [
        "Pièces manquantes : le justificatif de la fin du PACS ou de la vie commune, "
        "les justificatifs des ressources du parent qui verse la pension."
    ]


def test_the_debtor_supports_at_least_the_children_of_the_request(scales):
    decision = decide(a_request(children_dependent_on_debtor=1), on=ON, scales=scales)
    assert decision.reasons[0] == (
        "Le nombre d'enfants à la charge du parent qui verse la pension (1) ne peut être inférieur "
        "au nombre d'enfants de la demande (2)."
    )


def test_the_amount_is_positive(scales):
    decision = decide(
        a_request(
            children=(replace(LEA, monthly_amount=D("0.00")), HUGO), debtor_monthly_resources=D("600.00")
        ),
        on=ON,
        scales=scales,
    )
    # Below the RSA the threshold is 0 (CSS R582-1, II), but a pension of 0 € is no pension.
    assert decision.reasons == ["Le montant de la pension demandée pour Léa doit être supérieur à zéro."]


def test_a_request_without_a_child(scales):
    decision = decide(a_request(children=()), on=ON, scales=scales)
    assert "La demande ne désigne aucun enfant." in decision.reasons


def test_every_reason_at_once(scales):
    request = a_request(
        union=UnionKind.MARIAGE,
        debtor_signed=False,
        children=(replace(LEA, monthly_amount=D("80.00")), replace(HUGO, existing_titre_or_procedure=True)),
        documents_provided=frozenset({"identite_parents"}),
    )
    decision = decide(request, on=ON, scales=scales)
    assert not decision.accepted
    assert [reason.split(" ")[:3] for reason in decision.reasons] == [
        ["Les", "parents", "étaient"],
        ["La", "demande", "doit"],
        ["Un", "titre", "exécutoire"],
        ["Le", "montant", "demandé"],
        ["Pièces", "manquantes", ":"],
    ]
    assert "Léa" in decision.reasons[3] and "Hugo" in decision.reasons[2]


# --- Four months of silence mean acceptance ---------------------------------------------------


@pytest.mark.parametrize(
    ("submitted_on", "accepted_on"),
    [
        (date(2026, 1, 5), date(2026, 5, 5)),
        (date(2025, 10, 31), date(2026, 2, 28)),  # no 31 February: the month's last day
        (date(2027, 10, 31), date(2028, 2, 29)),  # a leap year
        (date(2026, 6, 30), date(2026, 10, 30)),
        (date(2026, 10, 29), date(2027, 2, 28)),
    ],
)
def test_four_months_of_silence(submitted_on, accepted_on):
    assert deemed_accepted_on(submitted_on) == accepted_on
    assert silence_accepted(submitted_on, accepted_on)
    assert not silence_accepted(submitted_on, date.fromordinal(accepted_on.toordinal() - 1))


def test_the_decision_says_whether_silence_had_already_accepted(scales):
    assert decide(a_request(), on=date(2026, 5, 5), scales=scales).silence_accepted


@given(st.dates(min_value=date(2019, 1, 1), max_value=date(2060, 12, 31)))
def test_silence_accepts_four_calendar_months_later(submitted_on):
    accepted_on = deemed_accepted_on(submitted_on)
    months = (accepted_on.year * 12 + accepted_on.month) - (submitted_on.year * 12 + submitted_on.month)
    assert months == 4
    assert accepted_on.day <= submitted_on.day
    assert 119 <= (accepted_on - submitted_on).days <= 123


@given(st.decimals(min_value=D("0"), max_value=D("20000"), places=2, allow_nan=False, allow_infinity=False))
def test_an_amount_at_the_threshold_is_never_refused_for_its_amount(scales, resources):
    request = a_request(debtor_monthly_resources=resources)
    thresholds = decide(request, on=ON, scales=scales).thresholds
    children = tuple(
        replace(c, monthly_amount=max(thresholds[c.full_name].per_child, D("0.01"))) for c in request.children
    )
    assert decide(replace(request, children=children), on=ON, scales=scales).accepted
