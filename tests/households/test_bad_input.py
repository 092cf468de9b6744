"""Bad input gets a French error naming the field, and changes nothing in any registry table."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schwifty import IBAN

from parcours.households import services
from parcours.households.models import BankAccount, Dossier, Membership, Person, Resource
from parcours.households.selectors import household_on
from tests.factories import PersonFactory, household

from .helpers import assert_refused, registry_counts

pytestmark = pytest.mark.django_db
D = date(2024, 1, 1)
VALID_IBAN = "FR7630006000011234567890189"


def adult(dossier: Dossier, role: str = "allocataire") -> Person:
    return dossier.memberships.get(role=role).person


# IBAN ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "iban",
    [
        "FR7630006000011234567890188",  # wrong check digits
        "FR76 3000 6000 0112 3456 7890",  # too short
        "FR76300060000112345678901890000",  # too long
        "XX7630006000011234567890189",  # unknown country
        "bonjour",
        "",
    ],
)
def test_an_invalid_iban_is_refused(iban):
    dossier = household()
    assert_refused(
        "iban",
        lambda: services.bank_account_set(dossier=dossier, valid_from=D, holder_name="Léa Martin", iban=iban),
        "IBAN",
    )


def test_a_valid_iban_is_stored_in_electronic_form_with_its_bic():
    dossier = household()
    account = services.bank_account_set(
        dossier=dossier, valid_from=D, holder_name="  Léa Martin ", iban="fr76 3000 6000 0112 3456 7890 189"
    )
    assert (account.iban, account.holder_name) == (VALID_IBAN, "Léa Martin")
    assert account.bic == str(IBAN(VALID_IBAN).bic) and len(account.bic) in (8, 11)
    assert household_on(dossier, D).bank_account.iban == VALID_IBAN


def test_a_bank_account_needs_a_holder():
    dossier = household()
    assert_refused(
        "holder_name",
        lambda: services.bank_account_set(dossier=dossier, valid_from=D, holder_name=" ", iban=VALID_IBAN),
        "titulaire",
    )


# persons -------------------------------------------------------------------------------------


def test_nobody_is_born_after_today_or_before_1900():
    tomorrow = timezone.localdate() + timedelta(days=1)
    person = {"first_names": "Zoé", "last_name": "Martin", "sex": "F"}
    assert_refused("birth_date", lambda: services.person_create(birth_date=tomorrow, **person), "futur")
    assert_refused("birth_date", lambda: services.person_create(birth_date=date(1899, 12, 31), **person))
    # Born today is fine.
    assert services.person_create(birth_date=timezone.localdate(), **person).pk


@pytest.mark.parametrize(
    ("field", "changes"),
    [
        ("first_names", {"first_names": "  "}),
        ("last_name", {"last_name": ""}),
        ("last_name", {"last_name": "M" * 151}),
        ("sex", {"sex": "X"}),
        ("residence_status", {"residence_status": "martien"}),
    ],
)
def test_a_person_needs_names_and_known_choices(field, changes):
    values = {"first_names": "Zoé", "last_name": "Martin", "birth_date": date(2016, 3, 1), "sex": "F"}
    assert_refused(field, lambda: services.person_create(**(values | changes)))


# dossiers and composition --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "changes"),
    [
        ("numero_allocataire", {"numero_allocataire": "123456"}),
        ("numero_allocataire", {"numero_allocataire": "12345678"}),
        ("numero_allocataire", {"numero_allocataire": "12345a7"}),
        ("departement", {"departement": "9100"}),
        ("departement", {"departement": "20"}),  # Corsica is 2A and 2B
        ("departement", {"departement": "00"}),
    ],
)
def test_a_dossier_needs_a_valid_number_and_departement(field, changes):
    parent = PersonFactory()
    values = {"numero_allocataire": "2345678", "departement": "91", "opened_on": D, "allocataire": parent}
    assert_refused(field, lambda: services.dossier_open(**(values | changes)))


def test_a_numero_allocataire_is_given_once():
    dossier, stranger = household(), PersonFactory()
    assert_refused(
        "numero_allocataire",
        lambda: services.dossier_open(
            numero_allocataire=dossier.numero_allocataire,
            departement="2A",
            opened_on=D,
            allocataire=stranger,
        ),
        "déjà",
    )


@pytest.mark.parametrize("until", [date(2024, 4, 1), date(2024, 5, 1)])
def test_an_end_not_after_the_start_is_refused(until):
    dossier = household(children=0)
    child = PersonFactory(child=True)
    assert_refused(
        "valid_until",
        lambda: services.member_add(
            dossier=dossier, person=child, role="enfant", valid_from=date(2024, 5, 1), valid_until=until
        ),
        "date de fin",
    )


def test_nobody_arrives_before_being_born():
    dossier = household(children=0)
    child = PersonFactory(child=True, birth_date=date(2021, 6, 1))
    assert_refused(
        "valid_from",
        lambda: services.member_add(
            dossier=dossier, person=child, role="enfant", valid_from=date(2021, 5, 31)
        ),
        "naissance",
    )


@pytest.mark.parametrize(
    ("start", "until"),
    [
        (date(2021, 6, 1), None),  # inside
        (date(2019, 1, 1), date(2020, 1, 2)),  # overlapping the start by one day
        (date(2021, 12, 31), date(2023, 1, 1)),  # overlapping the end by one day
        (date(2019, 1, 1), None),  # around
        (date(2020, 1, 1), date(2022, 1, 1)),  # the same
    ],
)
def test_overlapping_composition_periods_in_a_dossier_are_refused(start, until):
    dossier = household(children=0, couple=False)
    child = PersonFactory(child=True)
    services.member_add(
        dossier=dossier,
        person=child,
        role="enfant",
        valid_from=date(2020, 1, 1),
        valid_until=date(2022, 1, 1),
    )
    assert_refused(
        "valid_from",
        lambda: services.member_add(
            dossier=dossier, person=child, role="enfant", valid_from=start, valid_until=until
        ),
        "déjà",
    )


def test_periods_that_only_touch_do_not_overlap():
    dossier = household(children=0, couple=False)
    child = PersonFactory(child=True)
    for start, until in [(date(2020, 1, 1), date(2022, 1, 1)), (date(2022, 1, 1), None)]:
        services.member_add(dossier=dossier, person=child, role="enfant", valid_from=start, valid_until=until)
    services.member_add(
        dossier=dossier,
        person=PersonFactory(child=True),
        role="enfant",
        valid_from=D,
        valid_until=D + timedelta(1),
    )


def test_an_adult_is_allocataire_or_conjoint_of_one_dossier_at_a_time():
    first = household(couple=False, children=0)
    second = household(couple=False, children=0)
    parent = adult(first)
    for role in ("conjoint", "allocataire"):
        assert_refused(
            "valid_from" if role == "conjoint" else "role",
            lambda role=role: services.member_add(dossier=second, person=parent, role=role, valid_from=D),
        )
    text = assert_refused(
        "valid_from",
        lambda: services.dossier_open(
            numero_allocataire="2345678", departement="91", opened_on=D, allocataire=parent
        ),
        "autre dossier",
    )
    assert first.numero_allocataire in text
    # Once gone from the first dossier, the same person may head another one.
    partner = PersonFactory(sex="M")
    services.member_add(dossier=first, person=partner, role="conjoint", valid_from=date(2023, 1, 1))
    services.member_leave(dossier=first, person=partner, on=D)
    services.member_add(dossier=second, person=partner, role="conjoint", valid_from=D)
    assert_refused(
        "valid_from",
        lambda: services.member_add(
            dossier=second, person=partner, role="conjoint", valid_from=date(2023, 6, 1), valid_until=D
        ),
    )


def test_a_dossier_has_one_allocataire_and_one_conjoint_at_a_time():
    dossier, newcomer = household(couple=True, children=0), PersonFactory()
    assert_refused(
        "role",
        lambda: services.member_add(dossier=dossier, person=newcomer, role="allocataire", valid_from=D),
        "déjà un allocataire",
    )
    assert_refused(
        "role",
        lambda: services.member_add(dossier=dossier, person=newcomer, role="conjoint", valid_from=D),
        "déjà un conjoint",
    )
    # Once the conjoint has left, another one may come.
    services.member_leave(dossier=dossier, person=adult(dossier, "conjoint"), on=D)
    services.member_add(dossier=dossier, person=newcomer, role="conjoint", valid_from=D)


@pytest.mark.parametrize(
    ("here", "there"),
    [("exclusive", "exclusive"), ("exclusive", "alternee"), ("alternee", "exclusive")],
)
def test_a_child_lives_in_two_households_only_in_alternating_residence_on_both_sides(here, there):
    first = household(couple=False, children=0)
    second = household(couple=False, children=0)
    child = PersonFactory(child=True)
    services.member_add(dossier=first, person=child, role="enfant", valid_from=D, custody=here)
    assert_refused(
        "custody",
        lambda: services.member_add(
            dossier=second, person=child, role="enfant", valid_from=D + timedelta(days=40), custody=there
        ),
        "alternée",
    )


def test_a_child_in_alternating_residence_lives_in_both_households():
    first = household(couple=False, children=0)
    second = household(couple=False, children=0)
    child = PersonFactory(child=True)
    for dossier in (first, second):
        services.member_add(dossier=dossier, person=child, role="enfant", valid_from=D, custody="alternee")
    for dossier in (first, second):
        assert [(m.person, m.custody) for m in household_on(dossier, D).children] == [(child, "alternee")]


def test_alternating_residence_is_between_two_households_never_three():
    first, second, third = (household(couple=False, children=0) for _ in range(3))
    child = PersonFactory(child=True)
    services.member_add(
        dossier=first,
        person=child,
        role="enfant",
        valid_from=D,
        valid_until=date(2024, 7, 1),
        custody="alternee",
    )
    services.member_add(dossier=second, person=child, role="enfant", valid_from=D, custody="alternee")
    assert_refused(
        "custody",
        lambda: services.member_add(
            dossier=third, person=child, role="enfant", valid_from=date(2024, 6, 30), custody="alternee"
        ),
        "deux foyers",
    )
    # Once the first household's stay has ended, the third may take its place.
    services.member_add(
        dossier=third, person=child, role="enfant", valid_from=date(2024, 7, 1), custody="alternee"
    )


def test_leaving_needs_to_have_lived_there_the_day_before():
    dossier = household(children=0, couple=False)
    child, stranger = PersonFactory(child=True), PersonFactory()
    services.member_add(
        dossier=dossier,
        person=child,
        role="enfant",
        valid_from=date(2023, 1, 1),
        valid_until=date(2023, 6, 1),
    )
    assert_refused(
        "person", lambda: services.member_leave(dossier=dossier, person=child, on=date(2023, 6, 1)), "foyer"
    )
    assert_refused(
        "person", lambda: services.member_leave(dossier=dossier, person=child, on=date(2022, 12, 31)), "foyer"
    )
    assert_refused(
        "on", lambda: services.member_leave(dossier=dossier, person=child, on=date(2023, 1, 1)), "arrivée"
    )
    assert_refused(
        "person", lambda: services.member_leave(dossier=dossier, person=stranger, on=date(2023, 2, 1))
    )


def test_leaving_on_the_day_a_stay_changes_of_residence_ends_the_whole_stay():
    """Regression: a child in alternating residence from the separation day could not leave that day."""
    dossier = household(children=0, couple=False)
    child = PersonFactory(child=True)
    services.member_add(
        dossier=dossier,
        person=child,
        role="enfant",
        valid_from=date(2020, 1, 1),
        valid_until=date(2023, 1, 1),
    )
    services.member_add(
        dossier=dossier, person=child, role="enfant", valid_from=date(2023, 1, 1), custody="alternee"
    )
    services.member_leave(dossier=dossier, person=child, on=date(2023, 1, 1))
    assert child in [m.person for m in household_on(dossier, date(2022, 12, 31)).members]
    assert child not in [m.person for m in household_on(dossier, date(2023, 1, 1)).members]
    assert not Membership.objects.filter(
        person=child, retired_in__isnull=True, valid_until__isnull=True
    ).exists()


def test_a_couple_is_two_adults_of_the_dossier():
    dossier, stranger = household(couple=True, children=1), PersonFactory()
    parent, partner = adult(dossier), adult(dossier, "conjoint")
    child = dossier.memberships.get(role="enfant").person
    union = {"dossier": dossier, "kind": "mariage", "valid_from": D}
    assert_refused(
        "second_person",
        lambda: services.union_set(first_person=parent, second_person=parent, **union),
        "deux personnes",
    )
    assert_refused(
        "second_person", lambda: services.union_set(first_person=parent, second_person=child, **union)
    )
    assert_refused(
        "first_person",
        lambda: services.union_set(first_person=stranger, second_person=partner, **union),
    )
    assert_refused(
        "kind",
        lambda: services.union_set(
            **(union | {"kind": "fiançailles"}), first_person=parent, second_person=partner
        ),
    )
    assert_refused(
        "first_person",
        lambda: services.union_set(
            **(union | {"valid_from": date(2019, 12, 31)}), first_person=parent, second_person=partner
        ),
    )
    services.union_set(first_person=parent, second_person=partner, **union)
    assert household_on(dossier, D).union.kind == "mariage"


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("role", {"role": "grand-parent"}),
        ("custody", {"custody": "garde"}),
    ],
)
def test_unknown_roles_and_residences_are_refused(field, kwargs):
    dossier, child = household(children=0), PersonFactory(child=True)
    values = {"role": "enfant", "custody": "exclusive"} | kwargs
    assert_refused(
        field,
        lambda: services.member_add(dossier=dossier, person=child, valid_from=D, **values),
        "autorisée",
    )


# amounts -------------------------------------------------------------------------------------

BAD_AMOUNTS = [
    (Decimal("-1.00"), "négatif"),
    (Decimal("-0.01"), "négatif"),
    (Decimal("10.001"), "deux décimales"),
    (Decimal("0.005"), "deux décimales"),
    (Decimal("NaN"), "nombre"),
    (Decimal("Infinity"), "nombre"),
    (Decimal("-Infinity"), "nombre"),
    (Decimal("1E+12"), "trop élevé"),
    (1000.5, "nombre"),  # never a float
]


@pytest.mark.parametrize(("amount", "word"), BAD_AMOUNTS)
def test_bad_resource_amounts_are_refused(amount, word):
    dossier = household()
    assert_refused(
        "monthly_amount",
        lambda: services.resource_set(
            dossier=dossier, person=adult(dossier), kind="salaire_net", valid_from=D, monthly_amount=amount
        ),
        word,
    )


@pytest.mark.parametrize(("amount", "word"), BAD_AMOUNTS)
def test_bad_rents_and_child_support_amounts_are_refused(amount, word):
    dossier = household()
    assert_refused(
        "monthly_rent",
        lambda: services.housing_set(dossier=dossier, valid_from=D, status="locataire", monthly_rent=amount),
        word,
    )
    assert_refused(
        "monthly_amount_set",
        lambda: services.child_support_set(
            dossier=dossier, valid_from=D, status="set_paid", monthly_amount_set=amount
        ),
        word,
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    amount=st.one_of(
        st.decimals(allow_nan=True, allow_infinity=True),
        st.decimals(min_value=-10, max_value=10**8, places=3),
        st.decimals(min_value=0, max_value=10**8 + 1, places=2),
    )
)
def test_any_amount_is_stored_exactly_or_refused_without_a_trace(amount):
    with transaction.atomic():
        dossier = household(children=0, couple=False)
        person = adult(dossier)
        valid = amount.is_finite() and 0 <= amount < 10**8 and amount == amount.quantize(Decimal("0.01"))
        before = registry_counts()
        try:
            services.resource_set(
                dossier=dossier, person=person, kind="chomage_net", valid_from=D, monthly_amount=amount
            )
        except ValidationError as error:
            assert not valid
            assert list(error.message_dict) == ["monthly_amount"]
            assert registry_counts() == before
        else:
            assert valid
            stored = Resource.objects.filter(person=person, kind="chomage_net", retired_in__isnull=True)
            assert [r.monthly_amount for r in stored] == ([amount] if amount else [])
            assert household_on(dossier, D).resources_of(person.pk).get("chomage_net") == (amount or None)
        transaction.set_rollback(True)


def test_a_resource_is_declared_in_the_dossier_the_person_lives_in_on_that_date():
    """Regression: a person who had left could still declare resources through the old dossier."""
    dossier, elsewhere = household(couple=True, children=0), household(couple=False)
    partner = adult(dossier, "conjoint")
    services.member_leave(dossier=dossier, person=partner, on=D)
    salary = {"person": partner, "kind": "salaire_net", "monthly_amount": Decimal("1800.00")}
    assert_refused("person", lambda: services.resource_set(dossier=dossier, valid_from=D, **salary), "foyer")
    assert_refused(
        "person",
        lambda: services.resource_set(dossier=dossier, valid_from=date(2019, 12, 31), **salary),
    )
    services.resource_set(dossier=dossier, valid_from=D - timedelta(days=1), **salary)
    assert_refused(
        "person",
        lambda: services.resource_set(dossier=elsewhere, valid_from=D, **salary),
    )


@pytest.mark.parametrize(("field", "kwargs"), [("kind", {"kind": "loto"}), ("kind", {"kind": ""})])
def test_unknown_resource_kinds_are_refused(field, kwargs):
    dossier = household()
    values = {"kind": "salaire_net", "monthly_amount": Decimal("1000.00")} | kwargs
    assert_refused(
        field,
        lambda: services.resource_set(dossier=dossier, person=adult(dossier), valid_from=D, **values),
        "autorisée",
    )


# addresses, housing, child support -----------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("postcode", {"postcode": "9100"}),
        ("postcode", {"postcode": "910000"}),
        ("postcode", {"postcode": "9I000"}),
        ("postcode", {"postcode": ""}),
        ("commune_insee", {"commune_insee": "9122X"}),
        ("commune_insee", {"commune_insee": "2C004"}),
        ("commune_insee", {"commune_insee": "912280"}),
        ("commune_insee", {"commune_insee": ""}),
        ("street", {"street": "  "}),
        ("street", {"street": "1 rue " + "A" * 200}),
        ("commune_name", {"commune_name": "É" * 101}),
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
    assert_refused(field, lambda: services.address_set(dossier=dossier, valid_from=D, **values))


def test_corsican_insee_codes_are_accepted():
    dossier = household()
    services.address_set(
        dossier=dossier,
        valid_from=D,
        street="1 cours Napoléon",
        postcode="20000",
        commune_insee="2A004",
        commune_name="Ajaccio",
    )
    assert household_on(dossier, D).address.commune_insee == "2A004"


@pytest.mark.parametrize("status", ["locataire", "accedant"])
def test_a_tenant_or_a_buyer_needs_a_rent(status):
    dossier = household()
    assert_refused(
        "monthly_rent",
        lambda: services.housing_set(dossier=dossier, valid_from=D, status=status),
        "obligatoire",
    )


def test_unknown_housing_and_child_support_statuses_are_refused():
    dossier = household()
    assert_refused(
        "status", lambda: services.housing_set(dossier=dossier, valid_from=D, status="chateau"), "autorisée"
    )
    assert_refused(
        "status",
        lambda: services.child_support_set(dossier=dossier, valid_from=D, status="peut-être"),
        "autorisée",
    )
    assert_refused(
        "monthly_amount_set",
        lambda: services.child_support_set(dossier=dossier, valid_from=D, status="set_unpaid"),
        "obligatoire",
    )
    services.housing_set(dossier=dossier, valid_from=D, status="heberge")
    services.child_support_set(dossier=dossier, valid_from=D, status="none")
    state = household_on(dossier, D)
    assert (state.housing.status, state.child_support.status) == ("heberge", "none")
    assert BankAccount.objects.filter(dossier=dossier).count() == 1
