"""Who reads a demande: the declarant parent, or staff of the territory (audited)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from parcours.accounts.rules import Perm, has_permission
from parcours.households.access import dossier_for_user, own_dossier_ids
from parcours.households.models import Dossier

from .. import lifecycle
from ..models import Demande


def parent_dossier_of(request: HttpRequest) -> Dossier:
    if not has_permission(request.user.role, Perm.OWN_DOSSIER):
        raise PermissionDenied("Cette page est réservée aux parents allocataires.")
    dossier = Dossier.objects.filter(id__in=own_dossier_ids(request.user)).order_by("id").first()
    if dossier is None:
        raise PermissionDenied("Aucun dossier n'est rattaché à votre compte.")
    return dossier


def demande_for(request: HttpRequest, pk: int) -> tuple[Demande, str]:
    """The demande and the reader's side: the declarant parent, or staff of the territory (audited)."""
    demande = get_object_or_404(Demande.objects.select_related("dossier"), pk=pk)
    user = request.user
    if has_permission(user.role, Perm.OWN_DOSSIER):
        if demande.declarant_id != user.pk:
            from parcours.accounts.services import audit_record

            audit_record(
                actor=user,
                action="demande.read_refused",
                dossier=demande.dossier,
                object_type="demande",
                object_id=demande.pk,
                context=request.path,
                allowed=False,
            )
            raise Http404("Déclaration introuvable.")  # as if it did not exist
        return demande, lifecycle.PARENT
    if not has_permission(user.role, Perm.TASKS):
        raise PermissionDenied
    dossier_for_user(
        user, demande.dossier.numero_allocataire, context=f"déclaration de séparation {request.path}"
    )
    return demande, lifecycle.AGENT
