"""One demo login per role, idempotent. The password is printed by the command: demo only."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction

from parcours.accounts.models import Role, User
from parcours.households.models import Membership, Person

from .specs import numero_of, separated_numero_of

DEMO_PASSWORD = "parcours-demo-2026"
DEPARTEMENT = "91"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    first_name: str = ""
    last_name: str = ""
    departement: str = DEPARTEMENT
    numero: str = ""  # for a parent: the dossier whose allocataire they are
    purpose: str = ""  # what to try with it, in French

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN


ACCOUNTS = (
    # The allocataire of household 0: separated about two months ago, two children, pension unpaid.
    DemoAccount(
        "parent", Role.PARENT, numero=numero_of(0), purpose="séparation récente, 2 enfants, pension impayée"
    ),
    DemoAccount(
        "parent2",
        Role.PARENT,
        numero=separated_numero_of(0),
        purpose="l'autre parent, dans son nouveau dossier",
    ),
    DemoAccount(
        "parent3", Role.PARENT, numero=numero_of(1), purpose="en couple, 2 enfants : déclarer une séparation"
    ),
    DemoAccount("agent", Role.AGENT_PRESTATIONS, "Claire", "Agent", purpose="instruire les déclarations"),
    DemoAccount(
        "aripa", Role.AGENT_ARIPA, "Antoine", "Aripa", purpose="pensions alimentaires, intermédiation"
    ),
    DemoAccount(
        "social", Role.TRAVAILLEUR_SOCIAL, "Sophie", "Social", purpose="signalements, accompagnements"
    ),
    DemoAccount("manager", Role.MANAGER, "Marc", "Manager", purpose="tableaux de bord"),
    DemoAccount("partenaire", Role.PARTNER, "Maison", "des familles", purpose="orientations reçues"),
    DemoAccount(
        "admin", Role.ADMIN, "Alex", "Admin", departement="", purpose="administration, tous les départements"
    ),
)


def _allocataire(numero: str) -> Person | None:
    membership = (
        Membership.objects.filter(
            dossier__numero_allocataire=numero, role="allocataire", retired_in__isnull=True
        )
        .select_related("person")
        .order_by("valid_from")
        .first()
    )
    return membership.person if membership else None


@transaction.atomic
def ensure_demo_accounts() -> list[tuple[DemoAccount, User]]:
    """Create the missing demo logins and put the others back in their demo state.

    A second run changes nothing. The password is hashed once for all accounts: it is the same
    public demo password for each, and hashing it nine times would cost seconds.
    """
    hashed = None
    result = []
    for account in ACCOUNTS:
        person = _allocataire(account.numero) if account.numero else None
        if (
            person is not None
            and User.objects.filter(person=person).exclude(username=account.username).exists()
        ):
            person = None  # already someone's account: never take it over
        wanted = {
            "role": account.role,
            "departement": account.departement,
            "is_staff": account.is_admin,
            "is_superuser": account.is_admin,
            "first_name": person.first_names if person else account.first_name,
            "last_name": person.last_name if person else account.last_name,
        }
        if person is not None:
            wanted["person"] = person
        user = User.objects.filter(username=account.username).first()
        if user is None:
            hashed = hashed or make_password(DEMO_PASSWORD)
            user = User(username=account.username, password=hashed, **wanted)
            user.save()
        else:
            changed = [name for name, value in wanted.items() if getattr(user, name) != value]
            if changed:
                for name in changed:
                    setattr(user, name, wanted[name])
                user.save(update_fields=changed)
        result.append((account, user))
    return result


def accounts_table(accounts: list[tuple[DemoAccount, User]]) -> str:
    """The demo logins as a plain-text French table."""
    header = ("Identifiant", "Mot de passe", "Rôle", "Territoire", "Pour essayer")
    lines = []
    for account, user in accounts:
        who = account.purpose
        if user.person_id:
            numero = account.numero
            who = f"{user.first_name} {user.last_name}, dossier {numero} : {account.purpose}"
        territory = f"département {user.departement}" if user.departement else "national"
        lines.append((user.username, DEMO_PASSWORD, Role(user.role).label, territory, who))
    widths = [max(len(row[i]) for row in [header, *lines]) for i in range(len(header))]

    def render(row: tuple[str, ...]) -> str:
        return "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()

    rule = "  ".join("─" * width for width in widths)
    return "\n".join([render(header), rule, *(render(row) for row in lines)])
