"""The one door to a dossier for a signed-in user: scope check, then audit of every staff read."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from parcours.accounts.models import User
from parcours.accounts.rules import Perm, can_see_dossier, covers_territory, has_permission
from parcours.accounts.services import audit_record

from .models import Dossier
from .selectors import dossiers_of_person


def own_dossier_ids(user: User) -> set[int]:
    if user.person_id is None:
        return set()
    return set(dossiers_of_person(user.person).values_list("id", flat=True))


def caf_departement() -> str:
    """The territory of the Caf that runs this instance: what it receives without a dossier (a
    bank line nobody could be matched to, a call-back asked before signing in) belongs to it."""
    return str(getattr(settings, "PARCOURS_CAF_DEPARTEMENT", "91"))


def staff_covers(user: User, departement: str) -> bool:
    """Whether a staff member works on `departement` (their territory; national: an administrator)."""
    return user.is_staff_role and covers_territory(
        role=user.role, user_departement=user.departement, departement=departement
    )


def of_territory(user: User, rows: QuerySet, field: str = "departement") -> QuerySet:
    """`rows` of the staff member's territory (`field` names it); every territory for a national
    administrator, none for any other account without a territory."""
    if not user.departement:
        return rows if user.role == "admin" else rows.none()
    return rows.filter(**{field: user.departement})


def visible_dossiers(user: User) -> QuerySet[Dossier]:
    """The dossiers a user may open: already filtered, so a list can never show too much."""
    if has_permission(user.role, Perm.OWN_DOSSIER):
        return Dossier.objects.filter(id__in=own_dossier_ids(user))
    if not has_permission(user.role, Perm.DOSSIER_READ):
        return Dossier.objects.none()
    return of_territory(user, Dossier.objects.all())


def dossier_for_user(user: User, numero_allocataire: str, *, context: str) -> Dossier:
    """The dossier if the user may see it; every staff read, and every refusal, is audited."""
    dossier = Dossier.objects.filter(numero_allocataire=numero_allocataire).first()
    if dossier is None:
        raise Http404("Dossier introuvable.")
    allowed = can_see_dossier(
        role=user.role,
        user_departement=user.departement,
        dossier_departement=dossier.departement,
        dossier_id=dossier.pk,
        own_dossier_ids=own_dossier_ids(user) if user.person_id else (),
    )
    if user.is_staff_role or not allowed:
        audit_record(
            actor=user,
            action="dossier.read" if allowed else "dossier.read_refused",
            dossier=dossier,
            object_type="dossier",
            object_id=dossier.pk,
            context=context,
            allowed=allowed,
        )
    if not allowed:
        # The same answer as for a numéro that does not exist: a refusal tells nobody it exists.
        raise Http404("Dossier introuvable.")
    return dossier


def dossier_for_staff_page(user: User, numero_allocataire: str, *, context: str) -> Dossier:
    """A dossier through the staff pages: the role first, then the scope.

    A role that may not read dossiers (parent, manager, partner) is refused whether or not the
    number exists, so the refusal reveals nothing; the attempt is audited all the same.
    """
    if not has_permission(user.role, Perm.DOSSIER_READ):
        dossier = Dossier.objects.filter(numero_allocataire=numero_allocataire).first()
        audit_record(
            actor=user,
            action="dossier.read_refused",
            dossier=dossier,
            object_type="dossier",
            object_id=dossier.pk if dossier else numero_allocataire,
            context=context,
            allowed=False,
        )
        raise PermissionDenied("Cette page n'est pas accessible avec votre rôle.")
    return dossier_for_user(user, numero_allocataire, context=context)
