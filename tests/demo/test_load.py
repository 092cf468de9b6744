"""The loaded département: same content for a seed, idempotent, extended exactly, coherent histories."""

from collections import defaultdict
from datetime import timedelta

import pytest
from django.core.management.base import CommandError
from django.db.models import F, Q
from schwifty import IBAN

from parcours.demo import generator
from parcours.demo.models import DemoLoad
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

from .conftest import REFERENCE, REGISTRY, counts, digest, load, wipe

pytestmark = pytest.mark.django_db


def test_loading_the_same_seed_twice_gives_the_same_registry():
    load(40)
    before = digest()
    assert sum(map(len, before.values())) > 500
    wipe()
    load(40)
    assert digest() == before


def test_another_seed_gives_another_registry():
    load(20)
    first = digest()
    wipe()
    load(20, seed=8)
    assert digest()["Person"] != first["Person"]


def test_a_second_run_creates_nothing_and_a_larger_one_adds_exactly_the_difference():
    load(40)
    first = counts()
    out = load(40)
    assert counts() == first
    assert "0 foyer créé, 40 déjà présents" in out
    assert DemoLoad.objects.count() == 1  # a run that adds nothing leaves no trace

    load(55)
    added = {name: counts()[name] - first[name] for name in first}
    new = generator.households(7, 40, 55, REFERENCE)
    assert added["Dossier"] == 15 + sum(h.separation is not None for h in new)
    assert added["Person"] == sum(len(h.persons) for h in new)
    assert added["BankAccount"] == added["Dossier"]
    assert added["User"] == 0
    assert set(Dossier.objects.values_list("numero_allocataire", flat=True)) >= {h.numero for h in new}
    grown = digest()
    wipe()
    load(55)
    assert digest() == grown  # 40 then 55 is the same département as 55 at once


def test_the_base_keeps_its_seed_and_reference_month():
    load(5)
    with pytest.raises(CommandError, match="graine 7"):
        load(5, seed=8)
    with pytest.raises(CommandError, match="novembre 2026"):
        load(5, reference_month="2027-01")
    # Without --reference-month, a later run reuses the first one's month.
    out = load(6, reference_month=None, no_accounts=True)
    assert "mois de référence novembre 2026" in out
    assert Dossier.objects.filter(numero_allocataire__lt="5000000").count() == 6


def test_records_are_shaped_like_the_services_writes(loaded):
    assert set(SituationChange.objects.values_list("source", flat=True)) == {"demo"}
    for model in REGISTRY[3:]:
        rows = model.objects.all()
        assert not rows.filter(valid_until__lte=F("valid_from")).exists(), model
        # A record is retired by a later change than the one that created it.
        assert not rows.filter(retired_in__isnull=False, retired_in_id__lte=F("created_in_id")).exists(), (
            model
        )
        if model is not Resource:  # a record belongs to the dossier whose change created it
            assert not rows.exclude(created_in__dossier=F("dossier")).exists(), model
    # One live record at a time for the one-slot facts of a dossier.
    for model in (Union, Address, Housing, BankAccount, ChildSupport):
        by_dossier = defaultdict(list)
        for row in model.objects.filter(retired_in__isnull=True):
            by_dossier[row.dossier_id].append(row)
        for rows in by_dossier.values():
            for i, a in enumerate(rows):
                for b in rows[i + 1 :]:
                    assert not history.overlaps(a.valid_from, a.valid_until, b.valid_from, b.valid_until)
    # Each dossier was opened by exactly one creation change, on its opening date.
    creations = SituationChange.objects.filter(kind="creation")
    assert creations.count() == Dossier.objects.count()
    assert not creations.exclude(effective_date=F("dossier__opened_on")).exists()


def test_nobody_lives_as_an_adult_in_two_households_at_once(loaded):
    by_person = defaultdict(list)
    for m in Membership.objects.filter(retired_in__isnull=True):
        by_person[m.person_id].append(m)
    alternating = 0
    for rows in by_person.values():
        for i, a in enumerate(rows):
            for b in rows[i + 1 :]:
                if not history.overlaps(a.valid_from, a.valid_until, b.valid_from, b.valid_until):
                    continue
                assert a.dossier_id != b.dossier_id
                assert not (a.role in ADULT_ROLES and b.role in ADULT_ROLES)
                assert a.custody == b.custody == "alternee"
                alternating += 1
    assert alternating > 0


def test_the_loaded_population_is_plausible(loaded):
    main = Dossier.objects.filter(numero_allocataire__lt="5000000").count()
    assert main == 500
    separated = Dossier.objects.filter(numero_allocataire__gte="5000000").count()
    assert 0.07 * main < separated < 0.18 * main
    unpaid = ChildSupport.objects.filter(
        retired_in__isnull=True, valid_until__isnull=True, status="set_unpaid"
    )
    assert 0.06 * main <= unpaid.values("dossier").distinct().count() <= 0.14 * main
    confidential = Address.objects.filter(is_confidential=True).values("dossier").distinct().count()
    assert 0 < confidential < 0.04 * main
    ibans = list(BankAccount.objects.values_list("iban", flat=True))
    assert len(ibans) == Dossier.objects.count()
    assert all(IBAN(iban, validate_bban=True).is_valid for iban in ibans)
    assert {p.departement for p in Dossier.objects.all()} == {"91"}
    communes = {insee for insee, _, _ in generator.reference_data()["communes"]}
    assert set(Address.objects.values_list("commune_insee", flat=True)) <= communes
    children = defaultdict(int)
    for m in Membership.objects.filter(retired_in__isnull=True, role="enfant", valid_until__isnull=True):
        if m.dossier.numero_allocataire < "5000000":
            children[m.dossier_id] += 1
    assert max(children.values()) <= 5


def test_a_separated_household_continues_in_two_dossiers(loaded):
    new_dossiers = Dossier.objects.filter(numero_allocataire__gte="5000000")
    checked = {"alternating": 0, "leaving": 0}
    for new in new_dossiers:
        old = Dossier.objects.get(numero_allocataire=f"{int(new.numero_allocataire) - 4_000_000:07d}")
        on = new.opened_on
        before = household_on(old, on - timedelta(days=1))
        after_old, after_new = household_on(old, on), household_on(new, on)
        ex = after_new.adults[0].person
        assert len(before.adults) == 2 and before.union is not None
        assert ex.pk in {m.person.pk for m in before.adults}
        assert len(after_old.adults) == 1 and after_old.union is None and after_old.is_couple is False
        assert ex.pk not in {m.person.pk for m in after_old.members}
        assert household_on(new, on - timedelta(days=1)).members == ()
        # Every child of the couple is in one household or both (alternating residence).
        in_old = {m.person.pk: m.custody for m in after_old.children}
        in_new = {m.person.pk: m.custody for m in after_new.children}
        assert set(in_old) | set(in_new) == {m.person.pk for m in before.children}
        for pk in set(in_old) & set(in_new):
            assert in_old[pk] == in_new[pk] == "alternee"
            checked["alternating"] += 1
        for pk, custody in [*in_old.items(), *in_new.items()]:
            assert custody == "alternee" or not (pk in in_old and pk in in_new)
        checked["leaving"] += len(set(in_new) - set(in_old))
        # One separation change in the old dossier; the new one has its own creation.
        assert old.changes.filter(kind="separation", effective_date=on).count() == 1
        assert list(new.changes.filter(kind="creation").values_list("effective_date", flat=True)) == [on]
        # The ex-partner's resources follow them: counted in the new household, no more in the old.
        assert after_old.resources_of(ex.pk) == {}
        for resource in Resource.objects.filter(person=ex, retired_in__isnull=True):
            if history.covers(resource.valid_from, resource.valid_until, on):
                assert after_new.resources_of(ex.pk)[resource.kind] == resource.monthly_amount
    assert checked["alternating"] > 0 and checked["leaving"] > 0


def test_a_birth_after_the_opening_is_a_change_of_composition(loaded):
    born_later = Membership.objects.filter(role="enfant", valid_from=F("person__birth_date"))
    born_later = born_later.exclude(valid_from=F("dossier__opened_on"))
    # The record the birth created (not its copy cut by a later separation).
    born_later = born_later.filter(created_in__effective_date=F("valid_from"))
    assert born_later.exists()
    assert not born_later.exclude(created_in__kind="composition").exists()
    assert not Person.objects.filter(Q(memberships__isnull=True)).exists()
