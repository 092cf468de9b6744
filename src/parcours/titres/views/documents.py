"""The files sent with a titre request, served from the private storage: to the ARIPA agents of the
creditor's territory (every read audited) and to the requesting parent; anybody else is refused
(403, audited). The other parent never reads them: they may show the requester's address."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from parcours.accounts.rules import Perm, has_permission
from parcours.accounts.services import audit_record
from parcours.titres.models import TitreDocument, TitreRequest
from parcours.titres.services.titre_caf import titre_document_bytes

from .agent import _agent_request
from .parent import _own_request


@login_required
def titre_document_download(request: HttpRequest, pk: int, document_id: int) -> HttpResponse:
    user = request.user
    if has_permission(user.role, Perm.OWN_DOSSIER):
        found = _own_request(request, pk)  # one of the two parents, or refused (audited)
        titre_request = TitreRequest.objects.select_related("creditor_dossier").get(pk=pk)
        document = get_object_or_404(TitreDocument, pk=document_id, request=titre_request)
        if not found.you_receive:
            audit_record(
                actor=user,
                action="titre_request.read_refused",
                dossier=titre_request.creditor_dossier,
                object_type="titre_document",
                object_id=document.pk,
                context=request.path,
                allowed=False,
            )
            raise PermissionDenied("Ces pièces ont été envoyées par l'autre parent.")
    else:
        # An ARIPA agent of the creditor's territory: the read is audited against the creditor's
        # dossier, its context the piece's own address (as a declaration's document). Any other
        # role or territory is refused there, and audited too.
        titre_request = _agent_request(request, pk)
        document = get_object_or_404(TitreDocument, pk=document_id, request=titre_request)
    response = HttpResponse(titre_document_bytes(document), content_type=document.content_type)
    extension = document.stored_path.rsplit(".", 1)[-1]
    response["Content-Disposition"] = f'attachment; filename="piece-{document.pk}.{extension}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
