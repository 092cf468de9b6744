"""The demo département: deterministic, idempotent, plausible, and shaped like the services' writes."""

from collections import Counter
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from schwifty import IBAN

from parcours.accounts.access import own_dossier_ids
from parcours.accounts.models import Role, User
from parcours.demo import generator
from parcours.households import history
from parcours.households.models import (
    ADULT_ROLES,
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
from parcours.households.selectors import household_on

REFERENCE = date(2026, 11, 1)
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


def load(households: int, seed: int = 7) -> str:
    out = StringIO()
    call_command("demo", households=households, seed=seed, reference_month="2026-11", stdout=out, verbosity=0)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def digest() -> list[str]:
    """The registry's content without ids or timestamps: what must not depend on the run."""
    rows = Membership.objects.values_list(
        "dossier__numero_allocataire",
        "person__first_names",
        "person__last_name",
        "person__birth_date",
        "role",
        "custody",
        "valid_from",
        "valid_until",
        "retired_in__kind",
    )
    resources = Resource.objects.values_list(
        "person__first_names", "person__birth_date", "kind", "monthly_amount", "valid_from", "valid_until"
    )
    addresses = Address.objects.values_list(
        "dossier__numero_allocataire", "street", "commune_insee", "is_confidential"
    )
    return sorted(map(repr, rows)) + sorted(map(repr, resources)) + sorted(map(repr, addresses))


def test_generator_is_deterministic_per_seed_and_independent_of_chunking():
    first = generator.households(11, 0, 60, REFERENCE)
    again = generator.households(11, 0, 30, REFERENCE) + generator.households(11, 30, 60, REFERENCE)
    other = generator.households(12, 0, 60, REFERENCE)
    assert first == again
    assert first != other


def test_generated_population_is_plausible():
    specs = generator.households(3, 0, 2000, REFERENCE)
    tags = Counter(tag for spec in specs for tag in spec.tags)
    children = Counter(len(spec.children) for spec in specs)
    assert set(children) == {0, 1, 2, 3, 4, 5}
    assert tags["separated"] > 100
    assert 0.07 <= tags["unpaid_child_support"] / len(specs) <= 0.13
    assert 0 < tags["confidential"] < 0.05 * len(specs)
    ages = [(REFERENCE - c.birth_date).days // 365 for spec in specs for c in spec.children]
    assert min(ages) == 0 and max(ages) >= 19
    for spec in specs:
        assert all(
            IBAN(i).is_valid for i in [spec.iban] + ([spec.separation.new_iban] if spec.separation else [])
        )
        assert all(a.birth_date <= REFERENCE - timedelta(days=20 * 365) for a in spec.adults)
        if spec.separation:
            assert spec.separation.on > spec.opened_on
            assert REFERENCE - timedelta(days=250) < spec.separation.on < REFERENCE


@pytest.mark.django_db
def test_loading_is_idempotent_and_extends_to_a_larger_count():
    load(40)
    first = counts()
    load(40)
    assert counts() == first
    load(50)
    grown = counts()
    main_dossiers = Dossier.objects.filter(numero_allocataire__lt="5000000").count()
    assert main_dossiers == 50
    assert grown["Person"] > first["Person"]
    # The ten new households are exactly households 40..49 of the same seed.
    expected = {s.numero for s in generator.households(7, 40, 50, REFERENCE)}
    assert expected <= set(Dossier.objects.values_list("numero_allocataire", flat=True))


@pytest.mark.django_db
def test_same_seed_gives_the_same_registry_content():
    load(30)
    before = digest()
    User.objects.all().delete()
    for model in reversed(MODELS):
        model.objects.all()._raw_delete(model.objects.db)
    load(30)
    assert digest() == before


@pytest.mark.django_db
def test_loaded_history_follows_the_registry_rules():
    load(300, seed=5)
    memberships = list(Membership.objects.filter(retired_in__isnull=True))
    by_person: dict[int, list[Membership]] = {}
    for m in memberships:
        by_person.setdefault(m.person_id, []).append(m)
    for rows in by_person.values():
        for i, a in enumerate(rows):
            for b in rows[i + 1 :]:
                if not history.overlaps(a.valid_from, a.valid_until, b.valid_from, b.valid_until):
                    continue
                assert a.dossier_id != b.dossier_id
                assert not (a.role in ADULT_ROLES and b.role in ADULT_ROLES)
                assert a.custody == b.custody == "alternee"
    assert all(IBAN(iban).is_valid for iban in BankAccount.objects.values_list("iban", flat=True))


@pytest.mark.django_db
def test_a_separated_household_continues_in_two_dossiers():
    load(200, seed=5)
    new = Dossier.objects.filter(numero_allocataire__gte="5000000").first()
    assert new is not None
    old = Dossier.objects.get(numero_allocataire=f"{int(new.numero_allocataire) - 4_000_000:07d}")
    separated_on = new.opened_on
    before = household_on(old, separated_on - timedelta(days=1))
    after_old = household_on(old, separated_on)
    after_new = household_on(new, separated_on)
    ex_partner = after_new.adults[0].person
    assert ex_partner.pk in {m.person.pk for m in before.adults}
    assert len(before.adults) == 2 and before.union is not None
    assert len(after_old.adults) == 1 and after_old.union is None
    assert ex_partner.pk not in {m.person.pk for m in after_old.members}
    both = {m.person.pk for m in after_old.children} & {m.person.pk for m in after_new.children}
    for member in [*after_old.children, *after_new.children]:
        assert (member.custody == "alternee") == (member.person.pk in both)
    # The separation is one change of the old dossier; the new one has its own creation.
    assert old.changes.filter(kind="separation", effective_date=separated_on).count() == 1
    assert new.changes.filter(kind="creation").count() == 1


@pytest.mark.django_db
def test_one_login_per_role_and_the_parent_sees_their_dossier():
    output = load(5)
    assert "parcours-demo-2026" in output
    roles = set(User.objects.values_list("role", flat=True))
    assert roles == set(Role.values)
    parent = User.objects.get(username="parent")
    assert own_dossier_ids(parent) == {Dossier.objects.get(numero_allocataire="1000000").pk}
    state = household_on(Dossier.objects.get(numero_allocataire="1000000"), REFERENCE)
    assert len(state.children) == 2 and state.is_couple
    assert User.objects.get(username="parent2").person_id in {m.person.pk for m in state.adults}
    load(5)
    assert User.objects.count() == len(Role.values) + 1
