"""Users (one per role, on a territory) and audit entries, written through the accounts services."""

from __future__ import annotations

import factory

from parcours.accounts.models import AuditEntry, Role, User
from parcours.accounts.services import audit_record

from .households import DossierFactory, allocataire


def _allocataire_of_a_new_household():  # type: ignore[no-untyped-def]
    return allocataire(DossierFactory())


class UserFactory(factory.django.DjangoModelFactory):
    """A parent by default (give `person`, or use the `parent` trait for one with a household);
    a staff member per role with its territory (`departement`, 91 unless told)."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"utilisateur{n}")
    password = factory.PostGenerationMethodCall("set_password", "mot-de-passe-de-test")
    role = Role.PARENT
    departement = ""
    person = factory.Maybe("with_household", factory.LazyFunction(_allocataire_of_a_new_household), None)

    class Params:
        with_household = False
        parent = factory.Trait(role=Role.PARENT, with_household=True)
        agent = factory.Trait(role=Role.AGENT_PRESTATIONS, departement="91")
        aripa = factory.Trait(role=Role.AGENT_ARIPA, departement="91")
        social = factory.Trait(role=Role.TRAVAILLEUR_SOCIAL, departement="91")
        manager = factory.Trait(role=Role.MANAGER, departement="91")
        partner = factory.Trait(role=Role.PARTNER)
        admin = factory.Trait(role=Role.ADMIN, is_staff=True, is_superuser=True)
        # An agent of another territory than the factories' households (91): sees none of them.
        agent_elsewhere = factory.Trait(role=Role.AGENT_PRESTATIONS, departement="33")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class AuditEntryFactory(factory.django.DjangoModelFactory):
    """An agent's read of a dossier, appended through `audit_record` (the log is append-only)."""

    class Meta:
        model = AuditEntry

    actor = factory.SubFactory(UserFactory, agent=True)
    action = "lecture"
    dossier = factory.SubFactory(DossierFactory, bare=True)
    object_type = "dossier"
    object_id = factory.SelfAttribute("dossier.pk")
    context = "/dossiers/"
    allowed = True

    class Params:
        refused = factory.Trait(allowed=False, actor=factory.SubFactory(UserFactory, agent_elsewhere=True))

    @classmethod
    def _create(cls, model_class, **kwargs):
        return audit_record(**kwargs)
