"""The registry: persons, dossiers and their effective-dated records, written through the
households services (a change of situation per write, history kept), never as raw rows."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import factory

from parcours.households import services
from parcours.households.models import (
    Address,
    BankAccount,
    ChildSupport,
    Dossier,
    Housing,
    Incident,
    IncidentKind,
    Membership,
    Person,
    QuarterlyDeclaration,
    Resource,
    SituationChange,
    Union,
)

CREDITOR_IBAN = "FR7630006000011234567890189"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    first_names = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    birth_date = date(1988, 5, 10)
    sex = "F"
    residence_status = "francais"

    class Params:
        child = factory.Trait(birth_date=date(2016, 3, 1))
        man = factory.Trait(sex="M", birth_date=date(1986, 1, 2))
        without_permit = factory.Trait(residence_status="sans_titre")

    @classmethod
    def _create(cls, model_class, **kwargs):
        return services.person_create(**kwargs)


class DossierFactory(factory.django.DjangoModelFactory):
    """A household opened through the services: by default a couple in a PACS with two children,
    an address, a rented home, a salary and a bank account."""

    class Meta:
        model = Dossier

    numero_allocataire = factory.Sequence(lambda n: f"{1_000_000 + n:07d}")
    departement = "91"
    opened_on = date(2020, 1, 1)
    couple = True
    children = 2
    salary = Decimal("1500.00")
    rent = Decimal("700.00")
    confidential = False
    complete = True  # address, housing, salary, bank account

    class Params:
        single_parent = factory.Trait(couple=False)
        confidential_address = factory.Trait(confidential=True)
        bare = factory.Trait(couple=False, children=0, complete=False)  # the allocataire only
        corse = factory.Trait(departement="2A")

    @classmethod
    def _create(cls, model_class, **kwargs):
        return _household(**kwargs)


def _household(
    *,
    numero_allocataire: str,
    departement: str,
    opened_on: date,
    couple: bool,
    children: int,
    salary: Decimal,
    rent: Decimal,
    confidential: bool,
    complete: bool,
) -> Dossier:
    parent = PersonFactory()
    dossier = services.dossier_open(
        numero_allocataire=numero_allocataire,
        departement=departement,
        opened_on=opened_on,
        allocataire=parent,
    )
    if couple:
        partner = PersonFactory(man=True)
        services.member_add(dossier=dossier, person=partner, role="conjoint", valid_from=opened_on)
        services.union_set(
            dossier=dossier, first_person=parent, second_person=partner, kind="pacs", valid_from=opened_on
        )
    for index in range(children):
        child = PersonFactory(child=True, birth_date=date(2012 + index, 3, 1))
        services.member_add(
            dossier=dossier, person=child, role="enfant", valid_from=max(opened_on, child.birth_date)
        )
    if not complete:
        return dossier
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
        dossier=dossier, valid_from=opened_on, holder_name=str(parent), iban=CREDITOR_IBAN
    )
    return dossier


def household(**kwargs) -> Dossier:  # type: ignore[no-untyped-def]
    """A complete household (see DossierFactory): household(couple=False, children=1, ...)."""
    return DossierFactory(**kwargs)


def allocataire(dossier: Dossier) -> Person:
    return dossier.memberships.get(role="allocataire", retired_in__isnull=True).person


class SituationChangeFactory(factory.django.DjangoModelFactory):
    """A change of situation recorded without a fact (a note on the dossier's history)."""

    class Meta:
        model = SituationChange

    dossier = factory.SubFactory(DossierFactory, bare=True)
    kind = "ressources"
    effective_date = date(2024, 1, 1)
    note = "Changement déclaré par téléphone."

    class Params:
        from_declaration = factory.Trait(kind="separation", source="declaration")

    source = "agent"

    @classmethod
    def _create(cls, model_class, **kwargs):
        return services.situation_change_open(**kwargs)


class _RegistryFactory(factory.django.DjangoModelFactory):
    """A record written by its `*_set` service on a household that has none of it yet."""

    class Meta:
        abstract = True

    dossier = factory.SubFactory(DossierFactory, bare=True)
    valid_from = date(2024, 1, 1)


class MembershipFactory(_RegistryFactory):
    class Meta:
        model = Membership

    person = factory.SubFactory(PersonFactory, child=True)
    role = "enfant"
    custody = "exclusive"

    class Params:
        alternating = factory.Trait(custody="alternee")
        partner = factory.Trait(role="conjoint", person=factory.SubFactory(PersonFactory, man=True))

    @classmethod
    def _create(cls, model_class, **kwargs):
        return services.member_add(**kwargs)


class UnionFactory(_RegistryFactory):
    """The couple of a dossier: its allocataire and a partner who joins the household."""

    class Meta:
        model = Union

    kind = "pacs"

    class Params:
        marriage = factory.Trait(kind="mariage")
        cohabitation = factory.Trait(kind="concubinage")

    @classmethod
    def _create(cls, model_class, *, dossier, valid_from, kind, **kwargs):
        first = kwargs.pop("first_person", None) or allocataire(dossier)
        second = kwargs.pop("second_person", None)
        if second is None:
            second = PersonFactory(man=True)
            services.member_add(dossier=dossier, person=second, role="conjoint", valid_from=valid_from)
        return services.union_set(
            dossier=dossier, first_person=first, second_person=second, kind=kind, valid_from=valid_from
        )


class AddressFactory(_RegistryFactory):
    class Meta:
        model = Address

    street = "4 place de la Mairie"
    postcode = "91300"
    commune_insee = "91377"
    commune_name = "Massy"
    is_confidential = False

    class Params:
        confidential = factory.Trait(is_confidential=True)

    @classmethod
    def _create(cls, model_class, **kwargs):
        return services.address_set(**kwargs)


class HousingFactory(_RegistryFactory):
    class Meta:
        model = Housing

    status = "locataire"
    monthly_rent = Decimal("650.00")

    class Params:
        owner = factory.Trait(status="proprietaire", monthly_rent=None)
        hosted = factory.Trait(status="heberge", monthly_rent=None)

    @classmethod
    def _create(cls, model_class, **kwargs):
        return services.housing_set(**kwargs)


class ResourceFactory(_RegistryFactory):
    """A monthly resource of the dossier's allocataire (or of `person`, a member)."""

    class Meta:
        model = Resource

    kind = "salaire_net"
    monthly_amount = Decimal("1450.00")

    class Params:
        unemployment = factory.Trait(kind="chomage_net", monthly_amount=Decimal("980.00"))
        pension_received = factory.Trait(
            kind="pensions_alimentaires_percues", monthly_amount=Decimal("200.00")
        )

    @classmethod
    def _create(cls, model_class, **kwargs):
        kwargs.setdefault("person", allocataire(kwargs["dossier"]))
        return services.resource_set(**kwargs)


class BankAccountFactory(_RegistryFactory):
    class Meta:
        model = BankAccount

    holder_name = "Mme Camille Martin"
    iban = "FR76 3000 6000 0112 3456 7890 189"

    @classmethod
    def _create(cls, model_class, **kwargs):
        return services.bank_account_set(**kwargs)


class ChildSupportFactory(_RegistryFactory):
    class Meta:
        model = ChildSupport

    status = "none"
    monthly_amount_set = None
    debtor = None

    class Params:
        paid = factory.Trait(
            status="set_paid",
            monthly_amount_set=Decimal("180.00"),
            debtor=factory.SubFactory(PersonFactory, man=True),
        )
        unpaid = factory.Trait(
            status="set_unpaid",
            monthly_amount_set=Decimal("180.00"),
            debtor=factory.SubFactory(PersonFactory, man=True),
        )
        debtor_unable = factory.Trait(
            status="debtor_unable",
            monthly_amount_set=Decimal("180.00"),
            debtor=factory.SubFactory(PersonFactory, man=True),
        )

    @classmethod
    def _create(cls, model_class, **kwargs):
        return services.child_support_set(**kwargs)


class QuarterlyDeclarationFactory(factory.django.DjangoModelFactory):
    """The quarterly resource declaration expected from a household (received, with the trait)."""

    class Meta:
        model = QuarterlyDeclaration

    dossier = factory.SubFactory(DossierFactory)
    quarter_start = date(2026, 10, 1)
    received = False

    @classmethod
    def _create(cls, model_class, *, dossier, quarter_start, received):
        services.declarations_expect(dossier_ids=[dossier.pk], quarter=quarter_start)
        if received:
            services.declaration_receive(dossier=dossier, quarter=quarter_start, on=date(2026, 10, 10))
        return QuarterlyDeclaration.objects.get(dossier=dossier, quarter_start=quarter_start)


class IncidentFactory(factory.django.DjangoModelFactory):
    """A letter returned by La Poste; rent arrears with their amount, with the trait."""

    class Meta:
        model = Incident

    dossier = factory.SubFactory(DossierFactory)
    kind = IncidentKind.RETURNED_MAIL
    reported_on = date(2026, 11, 20)
    source = "La Poste"
    amount = None

    class Params:
        rent_arrears = factory.Trait(
            kind=IncidentKind.RENT_ARREARS, source="Bailleur", amount=Decimal("1400.00")
        )

    @classmethod
    def _create(cls, model_class, *, dossier, kind, reported_on, source, amount):
        return services.incident_report(
            dossier=dossier, kind=kind, on=reported_on, source=source, amount=amount
        )
