"""Who may do what: one table of permissions per role, and the dossier-scope rule.

Pure functions on plain values, testable without a database. A view names the permission it
needs; `has_permission` answers; `can_see_dossier` adds the scope (own dossier, or territory).
"""

from __future__ import annotations

from collections.abc import Collection
from enum import StrEnum


class Perm(StrEnum):
    OWN_DOSSIER = "own_dossier"  # a parent's own dossier(s)
    DOSSIER_READ = "dossier_read"  # any dossier of the territory
    DOSSIER_SEARCH = "dossier_search"
    TASKS = "tasks"  # an agent's work queue
    SOCIAL = "social"  # signalements, accompaniments
    CHILD_SUPPORT = "child_support"  # ARIPA: titles, intermediation
    REPORTING = "reporting"  # aggregated figures only
    REFERRALS = "referrals"  # a partner's referrals
    AUDIT_READ = "audit_read"
    ADMIN = "admin"


ROLE_PERMISSIONS: dict[str, frozenset[Perm]] = {
    "parent": frozenset({Perm.OWN_DOSSIER}),
    "agent_prestations": frozenset({Perm.DOSSIER_READ, Perm.DOSSIER_SEARCH, Perm.TASKS}),
    "agent_aripa": frozenset({Perm.DOSSIER_READ, Perm.DOSSIER_SEARCH, Perm.TASKS, Perm.CHILD_SUPPORT}),
    "travailleur_social": frozenset({Perm.DOSSIER_READ, Perm.DOSSIER_SEARCH, Perm.TASKS, Perm.SOCIAL}),
    # Managers steer with aggregated figures: they never open an individual dossier.
    "manager": frozenset({Perm.REPORTING, Perm.AUDIT_READ}),
    "partenaire": frozenset({Perm.REFERRALS}),
    "admin": frozenset({Perm.DOSSIER_READ, Perm.DOSSIER_SEARCH, Perm.AUDIT_READ, Perm.ADMIN, Perm.REPORTING}),
}

# A role whose work is one page lands there: "/" redirects to it, and its link leads the header.
ROLE_HOME: dict[str, str] = {"partenaire": "social:referrals"}


def has_permission(role: str, perm: Perm) -> bool:
    return perm in ROLE_PERMISSIONS.get(role, frozenset())


def covers_territory(*, role: str, user_departement: str, departement: str) -> bool:
    """Whether a staff account works on `departement`: its own territory, or every territory for a
    national administrator. A staff account without a territory covers none."""
    if not user_departement:
        return role == "admin"
    return user_departement == departement


def can_see_dossier(
    *,
    role: str,
    user_departement: str,
    dossier_departement: str,
    dossier_id: int,
    own_dossier_ids: Collection[int],
) -> bool:
    """A parent sees only their own dossiers; staff see the dossiers of their territory.

    An administrator without a territory (national) sees every territory.
    """
    if has_permission(role, Perm.OWN_DOSSIER):
        return dossier_id in own_dossier_ids
    if not has_permission(role, Perm.DOSSIER_READ):
        return False
    if not user_departement:
        # Only an administrator may be national; any other staff account without a territory
        # sees nothing (never "the dossiers whose territory is also empty").
        return role == "admin"
    return user_departement == dossier_departement
