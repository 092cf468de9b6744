"""factory_boy factories for every model; histories go through the services, never raw rows."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import factory

from parcours.accounts.models import Role, User
from parcours.households import services
from parcours.households.models import Dossier, Person


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    first_names = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    birth_date = date(1988, 5, 10)
    sex = "F"

    class Params:
        child = factory.Trait(birth_date=date(2016, 3, 1))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"utilisateur{n}")
    password = factory.PostGenerationMethodCall("set_password", "mot-de-passe-de-test")
    role = Role.PARENT
    departement = ""

    class Params:
        agent = factory.Trait(role=Role.AGENT_PRESTATIONS, departement="91")
        aripa = factory.Trait(role=Role.AGENT_ARIPA, departement="91")
        social = factory.Trait(role=Role.TRAVAILLEUR_SOCIAL, departement="91")
        manager = factory.Trait(role=Role.MANAGER, departement="91")
        partner = factory.Trait(role=Role.PARTNER)
        admin = factory.Trait(role=Role.ADMIN, is_staff=True, is_superuser=True)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


_numero = iter(range(1_000_000, 9_999_999))


def household(
    *,
    departement: str = "91",
    opened_on: date = date(2020, 1, 1),
    couple: bool = True,
    children: int = 2,
    salary: Decimal = Decimal("1500.00"),
    rent: Decimal = Decimal("700.00"),
    confidential: bool = False,
) -> Dossier:
    """A complete household through the services: couple or single parent, children, address,
    housing, a salary and a bank account."""
    parent = PersonFactory()
    dossier = services.dossier_open(
        numero_allocataire=str(next(_numero)),
        departement=departement,
        opened_on=opened_on,
        allocataire=parent,
    )
    if couple:
        partner = PersonFactory(sex="M", birth_date=date(1986, 1, 2))
        services.member_add(dossier=dossier, person=partner, role="conjoint", valid_from=opened_on)
        services.union_set(
            dossier=dossier, first_person=parent, second_person=partner, kind="pacs", valid_from=opened_on
        )
    for index in range(children):
        child = PersonFactory(child=True, birth_date=date(2012 + index, 3, 1))
        services.member_add(
            dossier=dossier, person=child, role="enfant", valid_from=max(opened_on, child.birth_date)
        )
    services.address_set(
        dossier=dossier,
        valid_from=opened_on,
        street="12 rue des Lilas",
        postcode="91000",
        commune_insee="91228",
        commune_name="Évry-Courcouronnes",
        is_confidential=confidential,
    )
    services.housing_set(dossier=dossier, valid_from=opened_on, status="locataire", monthly_rent=rent)
    services.resource_set(
        dossier=dossier, person=parent, kind="salaire_net", valid_from=opened_on, monthly_amount=salary
    )
    services.bank_account_set(
        dossier=dossier, valid_from=opened_on, holder_name=str(parent), iban="FR7630006000011234567890189"
    )
    return dossier
