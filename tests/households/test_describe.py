"""Changes of situation in plain French, as the dossier page lists them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from parcours.households.describe import describe_changes
from parcours.households.history import Change
from parcours.households.selectors import (
    AddressValue,
    BankAccountValue,
    ChildSupportValue,
    HousingValue,
    MemberValue,
    UnionValue,
)
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
ON = date(2024, 6, 15)
HOME = AddressValue("2 rue B", "91300", "91377", "Massy", False)


def line(component, key, before, after) -> str:
    [described] = describe_changes([Change(ON, component, key, before, after)])
    assert described.on == ON
    return described.text


def test_members_arrive_leave_and_change_residence_or_role():
    zoe = PersonFactory(first_names="Zoé", last_name="Martin", child=True)
    child, alternating = MemberValue("enfant", "exclusive"), MemberValue("enfant", "alternee")
    assert line("members", zoe.pk, None, child) == "Arrivée dans le foyer : Zoé Martin, enfant à charge"
    assert (
        line("members", zoe.pk, None, alternating)
        == "Arrivée dans le foyer : Zoé Martin, enfant à charge (résidence alternée)"
    )
    assert line("members", zoe.pk, child, None) == "Départ du foyer : Zoé Martin"
    assert line("members", zoe.pk, child, alternating) == "Zoé Martin passe en résidence alternée"
    assert (
        line("members", zoe.pk, alternating, child)
        == "Zoé Martin réside désormais habituellement dans ce foyer"
    )
    assert line("members", zoe.pk, child, MemberValue("autre", "exclusive")) == (
        "Changement de rôle : Zoé Martin, autre personne à charge"
    )
    assert line("members", zoe.pk, child, MemberValue("autre", "alternee")) == (
        "Zoé Martin, désormais autre personne à charge, passe en résidence alternée"
    )
    assert line("members", 987654, None, child).startswith("Arrivée dans le foyer : personne n° 987654")


def test_household_facts_are_described_in_french():
    lea = PersonFactory(first_names="Léa", last_name="Martin")
    assert line("union", "union", None, UnionValue(1, 2, "pacs")) == "Vie de couple : PACS"
    assert line("union", "union", UnionValue(1, 2, "pacs"), None) == "Fin de la vie de couple"
    assert line("address", "address", None, HOME) == "Nouvelle adresse : 2 rue B, 91300 Massy"
    hidden = AddressValue("5 rue C", "91000", "91228", "Évry", True)
    assert line("address", "address", HOME, hidden) == "Nouvelle adresse (confidentielle)"
    assert "5 rue C" not in line("address", "address", HOME, hidden)
    assert (
        line("housing", "housing", None, HousingValue("heberge", None))
        == "Logement : Hébergé à titre gratuit"
    )
    assert line("housing", "housing", None, HousingValue("locataire", Decimal("612.40"))).startswith(
        "Logement : Locataire, loyer 612"
    )
    assert line("bank_account", "bank_account", None, BankAccountValue("Léa", "FR76", "")) == (
        "Nouvelles coordonnées bancaires"
    )
    assert line(
        "child_support", "child_support", None, ChildSupportValue("set_unpaid", Decimal("150"), None)
    ) == ("Pension alimentaire : Pension fixée, impayée ou irrégulière")
    salary = (lea.pk, "salaire_net")
    assert line("resources", salary, None, Decimal("1500.00")).startswith("Salaire net de Léa Martin : 1")
    assert line("resources", salary, Decimal("1500.00"), None) == "Salaire net de Léa Martin : fin"
