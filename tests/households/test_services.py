"""The registry's services: bad input gets a French error naming the field and changes nothing."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from parcours.households import services
from parcours.households.models import (
    Address,
    BankAccount,
    ChildSupport,
    Dossier,
    Housing,
    Membership,
    Person,
    Resource,
    SituationChange,
    Union,
)
from parcours.households.selectors import household_changes, household_on
from tests.factories import PersonFactory, household

pytestmark = pytest.mark.django_db
MODELS = (
    Dossier,
    Person,
    SituationChange,
    Membership,
    Union,
    Address,
    Housing,
    Resource,
    BankAccount,
    ChildSupport,
)
D = date(2024, 1, 1)


def counts():
    return [m.objects.count() for m in MODELS]


def refused(field: str, call, *words: str) -> None:
    before = counts()
    with pytest.raises(ValidationError) as error:
        call()
    messages = error.value.message_dict
    assert field in messages, messages
    text = " ".join(messages[field])
    for word in words:
        assert word in text
    assert counts() == before


def test_invalid_iban_is_refused_and_a_valid_one_is_stored_compact():
    dossier = household()
    refused(
        "iban",
        lambda: services.bank_account_set(
            dossier=dossier, valid_from=D, holder_name="A", iban="FR76 3000 6000 0112 3456 7890 188"
        ),
        "IBAN",
    )
    account = services.bank_account_set(
        dossier=dossier, valid_from=D, holder_name="A", iban="fr76 3000 6000 0112 3456 7890 189"
    )
    assert account.iban == "FR7630006000011234567890189"


def test_a_child_cannot_be_born_after_today():
    tomorrow = timezone.localdate() + timedelta(days=1)
    refused(
        "birth_date",
        lambda: services.person_create(first_names="A", last_name="B", birth_date=tomorrow, sex="F"),
        "futur",
    )


def test_end_before_start_is_refused():
    dossier = household(children=0)
    child = PersonFactory(child=True)
    refused(
        "valid_until",
        lambda: services.member_add(
            dossier=dossier,
            person=child,
            role="enfant",
            valid_from=date(2024, 5, 1),
            valid_until=date(2024, 4, 1),
        ),
        "fin",
    )


def test_overlapping_composition_periods_are_refused():
    dossier = household(children=0, couple=False)
    child = PersonFactory(child=True)
    services.member_add(
        dossier=dossier,
        person=child,
        role="enfant",
        valid_from=date(2020, 1, 1),
        valid_until=date(2022, 1, 1),
    )
    refused(
        "valid_from",
        lambda: services.member_add(
            dossier=dossier, person=child, role="enfant", valid_from=date(2021, 6, 1)
        ),
        "déjà",
    )
    # Right after the first period is fine: periods are half-open.
    services.member_add(dossier=dossier, person=child, role="enfant", valid_from=date(2022, 1, 1))


def test_an_adult_heads_one_household_at_a_time_and_a_child_lives_in_two_only_alternating():
    first = household(couple=False, children=0)
    second = household(couple=False, children=0)
    adult = first.memberships.get().person
    refused(
        "valid_from",
        lambda: services.member_add(dossier=second, person=adult, role="conjoint", valid_from=D),
        "autre dossier",
    )
    child = PersonFactory(child=True)
    services.member_add(dossier=first, person=child, role="enfant", valid_from=D)
    refused(
        "custody",
        lambda: services.member_add(dossier=second, person=child, role="enfant", valid_from=D),
        "alternée",
    )
    refused(
        "custody",
        lambda: services.member_add(
            dossier=second, person=child, role="enfant", valid_from=D, custody="alternee"
        ),
        "alternée",
    )


@pytest.mark.parametrize(
    ("field", "kwargs", "word"),
    [
        ("monthly_amount", {"monthly_amount": Decimal("-1.00")}, "négatif"),
        ("monthly_amount", {"monthly_amount": Decimal("10.001")}, "décimales"),
        ("kind", {"kind": "loto"}, "autorisée"),
    ],
)
def test_bad_resources_are_refused(field, kwargs, word):
    dossier = household()
    person = dossier.memberships.get(role="allocataire").person
    values = {"kind": "salaire_net", "monthly_amount": Decimal("1000.00")} | kwargs
    refused(
        field, lambda: services.resource_set(dossier=dossier, person=person, valid_from=D, **values), word
    )


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("postcode", {"postcode": "9100"}),
        ("commune_insee", {"commune_insee": "9122X"}),
        ("street", {"street": "  "}),
    ],
)
def test_bad_addresses_are_refused(field, kwargs):
    dossier = household()
    values = {
        "street": "1 rue A",
        "postcode": "91000",
        "commune_insee": "91228",
        "commune_name": "Évry",
    } | kwargs
    refused(field, lambda: services.address_set(dossier=dossier, valid_from=D, **values))


def test_a_tenant_needs_a_rent_and_an_unknown_status_is_refused():
    dossier = household()
    refused(
        "monthly_rent",
        lambda: services.housing_set(dossier=dossier, valid_from=D, status="locataire"),
        "obligatoire",
    )
    refused("status", lambda: services.housing_set(dossier=dossier, valid_from=D, status="chateau"))
    services.housing_set(dossier=dossier, valid_from=D, status="heberge")


def test_separation_keeps_one_history_and_continues_in_two_dossiers():
    dossier = household(children=3, opened_on=date(2018, 1, 1))
    adults = {m.role: m.person for m in dossier.memberships.filter(role__in=["allocataire", "conjoint"])}
    children = [m.person for m in dossier.memberships.filter(role="enfant").order_by("person__birth_date")]
    on = date(2026, 6, 15)
    new = services.separation_record(
        dossier=dossier,
        leaving=adults["conjoint"],
        on=on,
        new_numero_allocataire="7777777",
        children_leaving=[children[0]],
        children_alternating=[children[1]],
        new_address=services.NewAddress("2 rue B", "91300", "91377", "Massy", is_confidential=True),
    )
    before, old_after, new_after = (
        household_on(dossier, on - timedelta(days=1)),
        household_on(dossier, on),
        household_on(new, on),
    )
    assert {m.person.pk for m in before.members} == {
        adults["allocataire"].pk,
        adults["conjoint"].pk,
        *[c.pk for c in children],
    }
    assert before.union is not None and old_after.union is None
    assert {(m.person.pk, m.custody) for m in old_after.members} == {
        (adults["allocataire"].pk, "exclusive"),
        (children[1].pk, "alternee"),
        (children[2].pk, "exclusive"),
    }
    assert {(m.person.pk, m.role, m.custody) for m in new_after.members} == {
        (adults["conjoint"].pk, "allocataire", "exclusive"),
        (children[0].pk, "enfant", "exclusive"),
        (children[1].pk, "enfant", "alternee"),
    }
    assert new_after.address.is_confidential
    # The conjoint's salary, if any, follows them; the old household's changes are exactly the separation.
    changes = household_changes(dossier, date(2018, 1, 1), date(2026, 12, 31))
    assert {c.on for c in changes} == {on}
    assert {(c.component, c.key) for c in changes} == {
        ("union", "union"),
        ("members", adults["conjoint"].pk),
        ("members", children[0].pk),
        ("members", children[1].pk),
    }


def test_refused_separations_write_nothing():
    dossier = household(children=2)
    allocataire = dossier.memberships.get(role="allocataire").person
    conjoint = dossier.memberships.get(role="conjoint").person
    child = dossier.memberships.filter(role="enfant").first().person
    stranger = PersonFactory()
    on = date(2026, 6, 1)
    base = {"dossier": dossier, "on": on, "new_numero_allocataire": "7777778"}
    refused("leaving", lambda: services.separation_record(leaving=allocataire, **base))
    refused("leaving", lambda: services.separation_record(leaving=stranger, **base))
    refused(
        "children",
        lambda: services.separation_record(
            leaving=conjoint, children_leaving=[child], children_alternating=[child], **base
        ),
    )


def test_reading_a_household_takes_the_same_number_of_queries_whatever_its_history():
    def queries_for(changes: int) -> int:
        dossier = household(couple=False, children=1)
        person = dossier.memberships.get(role="allocataire").person
        for n in range(changes):
            services.resource_set(
                dossier=dossier,
                person=person,
                kind="salaire_net",
                valid_from=date(2021, 1, 1) + timedelta(days=30 * n),
                monthly_amount=Decimal(1000 + n),
            )
        with CaptureQueriesContext(connection) as context:
            household_on(dossier, date(2025, 1, 1))
        return len(context.captured_queries)

    assert queries_for(2) == queries_for(30) <= 10
