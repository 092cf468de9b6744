"""One demo login per role, idempotent. The passwords are printed by `make demo`: demo only."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from parcours.accounts.models import Role, User
from parcours.households.models import Membership

from .generator import FIRST_NUMERO

DEMO_PASSWORD = "parcours-demo-2026"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    first_name: str
    last_name: str
    departement: str = "91"
    person_role: str | None = None  # for parents: the member of demo dossier 0 they are


ACCOUNTS = [
    DemoAccount("parent", Role.PARENT, "", "", person_role="allocataire"),
    DemoAccount("parent2", Role.PARENT, "", "", person_role="conjoint"),
    DemoAccount("agent", Role.AGENT_PRESTATIONS, "Claire", "Agent"),
    DemoAccount("aripa", Role.AGENT_ARIPA, "Antoine", "Aripa"),
    DemoAccount("social", Role.TRAVAILLEUR_SOCIAL, "Sophie", "Social"),
    DemoAccount("manager", Role.MANAGER, "Marc", "Manager"),
    DemoAccount("partenaire", Role.PARTNER, "Maison", "des familles", departement=""),
    DemoAccount("admin", Role.ADMIN, "Alex", "Admin", departement=""),
]


@transaction.atomic
def ensure_demo_accounts() -> list[tuple[DemoAccount, User]]:
    """Create the demo logins that are missing; the parents are the couple of demo dossier 0."""
    members = {
        m.role: m.person
        for m in Membership.objects.filter(
            dossier__numero_allocataire=f"{FIRST_NUMERO:07d}", retired_in__isnull=True
        ).select_related("person")
    }
    result = []
    for account in ACCOUNTS:
        user = User.objects.filter(username=account.username).first()
        if user is None:
            person = members.get(account.person_role) if account.person_role else None
            user = User(
                username=account.username,
                role=account.role,
                departement=account.departement,
                first_name=person.first_names if person else account.first_name,
                last_name=person.last_name if person else account.last_name,
                person=person,
                is_staff=account.role == Role.ADMIN,
                is_superuser=account.role == Role.ADMIN,
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
        result.append((account, user))
    return result
