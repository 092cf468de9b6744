"""The Caf's titre exécutoire (CSS L582-2, R582-2, R582-3): a joint request signed online by both
parents, decided on the rules of `rules/titre_caf.py` (every reason for a refusal), accepted by
four months of silence, and issued as a PDF; the titre then opens its intermediation like any
titre since 2023 (unless both parents refused it in the request)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from parcours.child_support.parameters import scales_on
from parcours.child_support.scales import Custody
from parcours.core.transitions import transition_apply
from parcours.core.uploads import content_checked, files_removed_on_error, stored_bytes
from parcours.core.workflow import SYSTEM, SystemActor
from parcours.intermediation.rules.calendar import first_of_month
from parcours.intermediation.services import BankDetails, ChildLine
from parcours.titres import lifecycle
from parcours.titres import rules as titre_caf
from parcours.titres.letters import TitreCafLetter
from parcours.titres.letters import TitreChild as LetterChild
from parcours.titres.models import (
    Titre,
    TitreDocument,
    TitreKind,
    TitreRequest,
    TitreRequestChild,
    TitreRequestStatus,
    TitreRequestTransition,
)
from parcours.titres.services.titre import titre_record

DAILY_RUN = SystemActor("ifpa daily")  # the daily run accepts the requests left four months unanswered


@dataclass(frozen=True)
class RequestChild:
    child: Any  # households.Person
    monthly_amount: Decimal
    arrangement: str  # reduit | classique | alterne
    existing_titre_or_procedure: bool = False


@dataclass(frozen=True)
class Piece:
    """A file sent with the request for one of the pieces of rules.DOCUMENT_LABELS."""

    code: str
    name: str  # the file's name on the parent's computer: shown, never used to store it
    content: bytes


def document_field(code: str) -> str:
    """The key of a piece's errors (and the name of its file input)."""
    return f"document_{code}"


def titre_request_create(
    *,
    creditor: Any,
    debtor: Any,
    creditor_dossier: Any,
    union: str,
    children: list[RequestChild],
    debtor_monthly_resources: Decimal,
    children_dependent_on_debtor: int,
    documents: Sequence[Piece] = (),
    signed_by: Any,
    on: date,
    refuse_intermediation: bool = False,
    uploaded_by: Any = None,
) -> TitreRequest:
    """One parent fills in the request, joins its pieces and signs it; it waits for the other
    parent's signature. Each piece is checked as the declaration's documents are (core/uploads/:
    a real PDF, JPEG or PNG of 10 Mo at most, parsed — no code or embedded file in a PDF, an image
    within its pixel ceiling — and scanned by the antivirus): one bad file and nothing is created,
    no file is left. The pieces provided, read by the decision rules, are the ones really stored."""
    errors: dict[str, Any] = {}
    if union not in {u.value for u in titre_caf.UnionKind}:
        errors["union"] = "Indiquez si vous étiez en concubinage, pacsés ou mariés."
    if creditor.pk == debtor.pk:
        errors["debtor"] = "La demande est faite par deux parents différents."
    if signed_by.pk not in (creditor.pk, debtor.pk):
        errors["signed_by"] = "Seuls les deux parents peuvent signer la demande."
    if not children:
        errors["children"] = "Indiquez au moins un enfant."
    if debtor_monthly_resources < 0:
        errors["debtor_monthly_resources"] = "Les ressources ne peuvent pas être négatives."
    unknown = {piece.code for piece in documents} - set(titre_caf.DOCUMENT_LABELS)
    if unknown:
        errors["documents"] = "Pièce inconnue : " + ", ".join(sorted(unknown)) + "."
    codes = [piece.code for piece in documents]
    if len(codes) != len(set(codes)):
        errors["documents"] = "Chaque pièce est jointe une seule fois."
    content_types = {}
    for piece in documents:
        try:
            content_types[piece.code] = content_checked(piece.content, field=document_field(piece.code))
        except ValidationError as refused:
            errors.update(refused.message_dict)
    if errors:
        raise ValidationError(errors)
    # The files are written inside the transaction and removed if it does not commit.
    with files_removed_on_error() as written, transaction.atomic():
        request = _create(
            creditor=creditor,
            debtor=debtor,
            creditor_dossier=creditor_dossier,
            union=union,
            debtor_monthly_resources=debtor_monthly_resources,
            children_dependent_on_debtor=children_dependent_on_debtor,
            documents_provided=sorted(codes),
            refuse_intermediation=refuse_intermediation,
            creditor_signed_on=on if signed_by.pk == creditor.pk else None,
            debtor_signed_on=on if signed_by.pk == debtor.pk else None,
        )
        TitreRequestChild.objects.bulk_create(
            TitreRequestChild(
                request=request,
                child=line.child,
                monthly_amount=line.monthly_amount,
                arrangement=line.arrangement,
                existing_titre_or_procedure=line.existing_titre_or_procedure,
            )
            for line in children
        )
        by = uploaded_by if uploaded_by is not None else getattr(signed_by, "account", None)
        TitreDocument.objects.bulk_create(
            TitreDocument(
                request=request,
                code=piece.code,
                original_name=Path(piece.name).name[:200],
                stored_path=written.write(
                    folder=Path("titres") / str(request.pk),
                    content=piece.content,
                    content_type=content_types[piece.code],
                ),
                content_type=content_types[piece.code],
                size=len(piece.content),
                uploaded_by=by,
            )
            for piece in documents
        )
    return request


def _create(*, creditor: Any, debtor: Any, **values: Any) -> TitreRequest:
    """The request row, once no other request is open for the same two parents."""
    # One open request per pair of parents: the other parent's rows are locked while we look.
    open_states = [TitreRequestStatus.AWAITING_SIGNATURE, TitreRequestStatus.SUBMITTED]
    Person = type(creditor)
    list(Person.objects.select_for_update().filter(pk__in=[creditor.pk, debtor.pk]).order_by("pk"))
    if TitreRequest.objects.filter(creditor=creditor, debtor=debtor, status__in=open_states).exists():
        raise ValidationError(
            {"request": "Une demande de titre exécutoire est déjà en cours pour ces deux parents."}
        )
    return TitreRequest.objects.create(creditor=creditor, debtor=debtor, **values)


@transaction.atomic
def titre_request_sign(*, request: TitreRequest, person: Any, on: date) -> TitreRequest:
    """The other parent signs: the joint request is then submitted (its four months start)."""
    locked = TitreRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status != TitreRequestStatus.AWAITING_SIGNATURE:
        raise ValidationError({"request": "Cette demande a déjà été déposée."})
    if person.pk == locked.creditor_id:
        locked.creditor_signed_on = locked.creditor_signed_on or on
    elif person.pk == locked.debtor_id:
        locked.debtor_signed_on = locked.debtor_signed_on or on
    else:
        raise ValidationError({"request": "Seuls les deux parents peuvent signer la demande."})
    if not (locked.creditor_signed_on and locked.debtor_signed_on):
        locked.save(update_fields=["creditor_signed_on", "debtor_signed_on"])
        return locked

    def submit(row: TitreRequest) -> None:
        row.creditor_signed_on, row.debtor_signed_on = locked.creditor_signed_on, locked.debtor_signed_on
        row.submitted_on = on

    return _move(locked, "signer", person=person, prepare=submit)


def titre_request_examine(request: TitreRequest, *, on: date) -> titre_caf.Decision:
    """What `titre_request_decide` would answer on `on` (the scales of the day of submission),
    without deciding: the agent reads it before deciding, the parents before sending."""
    return titre_caf.decide(_plain(request), on=on, scales=scales_on(request.submitted_on or on))


@transaction.atomic
def titre_request_withdraw(*, request: TitreRequest, person: Any, on: date) -> TitreRequest:
    """Either parent withdraws a request not yet decided (the other parent's way of saying no)."""
    locked = TitreRequest.objects.select_for_update().get(pk=request.pk)
    if person.pk not in (locked.creditor_id, locked.debtor_id):
        raise ValidationError({"request": "Seuls les deux parents peuvent retirer la demande."})
    if locked.status not in (TitreRequestStatus.AWAITING_SIGNATURE, TitreRequestStatus.SUBMITTED):
        raise ValidationError({"request": "Une demande déjà décidée ne peut plus être retirée."})
    return _move(locked, "retirer", person=person, prepare=lambda row: setattr(row, "decided_on", on))


def _move(
    request: TitreRequest,
    action: str,
    *,
    person: Any = None,
    by: Any = None,
    prepare: Callable[[TitreRequest], None] | None = None,
) -> TitreRequest:
    """Fire `action` through the workflow (titres/lifecycle.py), logged with its author: a parent
    (`person`, and their account if they have one), an ARIPA agent, or the daily run."""
    if person is not None:
        role, by = lifecycle.PARENT, getattr(person, "account", None) if by is None else by
    elif isinstance(by, SystemActor):
        role = SYSTEM
    else:
        role = lifecycle.AGENT
    try:
        moved, _ = transition_apply(
            log=TitreRequestTransition,
            subject=request,
            action=action,
            by=by,
            role=role,
            prepare=prepare,
            log_values={"person": person} if person is not None else None,
        )
    except ValidationError as refused:
        raise ValidationError({"request": refused.message_dict["action"]}) from None
    return moved


def _plain(request: TitreRequest) -> titre_caf.TitreRequest:
    def identity(person: Any) -> titre_caf.ParentIdentity:
        return titre_caf.ParentIdentity(person.first_names, person.last_name, person.birth_date)

    return titre_caf.TitreRequest(
        creditor=identity(request.creditor),
        debtor=identity(request.debtor),
        union=titre_caf.UnionKind(request.union),
        creditor_signed=request.creditor_signed_on is not None,
        debtor_signed=request.debtor_signed_on is not None,
        children=tuple(
            titre_caf.ChildRequest(
                first_names=line.child.first_names,
                last_name=line.child.last_name,
                birth_date=line.child.birth_date,
                custody=Custody(line.arrangement),
                monthly_amount=line.monthly_amount,
                existing_titre_or_procedure=line.existing_titre_or_procedure,
            )
            for line in request.children.select_related("child").order_by("id")
        ),
        debtor_monthly_resources=request.debtor_monthly_resources,
        children_dependent_on_debtor=request.children_dependent_on_debtor,
        submitted_on=request.submitted_on or date.min,
        documents_provided=frozenset(request.documents_provided),
    )


@transaction.atomic
def titre_request_decide(
    *,
    request: TitreRequest,
    on: date,
    debtor_bank: BankDetails | None = None,
    creditor_bank: BankDetails | None = None,
    by: Any,
) -> TitreRequest:
    """The ARIPA agent `by` decides a submitted request: a refusal lists every reason; an acceptance
    issues the titre (and, unless both parents refused it, opens the intermediation)."""
    locked = TitreRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status != TitreRequestStatus.SUBMITTED:
        raise ValidationError(
            {"request": "Seule une demande déposée par les deux parents peut être décidée."}
        )
    decision = titre_request_examine(locked, on=on)
    if not decision.accepted:

        def refuse(row: TitreRequest) -> None:
            row.decided_on, row.reasons = on, decision.reasons

        return _move(locked, "refuser", by=by, prepare=refuse)
    silence = titre_caf.silence_accepted(locked.submitted_on, on)  # type: ignore[arg-type]
    titre = _issue(locked, on=on, debtor_bank=debtor_bank, creditor_bank=creditor_bank, by=by)

    def accept(row: TitreRequest) -> None:
        row.decided_on, row.titre = on, titre

    return _move(locked, "accepter_silence" if silence else "accepter", by=by, prepare=accept)


def titre_requests_by_silence(*, on: date) -> list[TitreRequest]:
    """R582-3: requests submitted four months ago or more without a decision are accepted."""
    due = [
        r
        for r in TitreRequest.objects.filter(status=TitreRequestStatus.SUBMITTED)
        if titre_caf.silence_accepted(r.submitted_on, on)  # type: ignore[arg-type]
    ]
    accepted = []
    for request in due:
        with transaction.atomic():
            locked = TitreRequest.objects.select_for_update().get(pk=request.pk)
            if locked.status != TitreRequestStatus.SUBMITTED:
                continue
            decided_on = titre_caf.deemed_accepted_on(locked.submitted_on)  # type: ignore[arg-type]
            titre = _issue(locked, on=decided_on, debtor_bank=None, creditor_bank=None)

            def accept(row: TitreRequest, decided_on: date = decided_on, titre: Titre = titre) -> None:
                row.decided_on, row.titre = decided_on, titre

            locked = _move(locked, "accepter_silence", by=DAILY_RUN, prepare=accept)
            accepted.append(locked)
    return accepted


def _issue(
    request: TitreRequest,
    *,
    on: date,
    debtor_bank: BankDetails | None,
    creditor_bank: BankDetails | None,
    by: Any = None,
) -> Titre:
    start = first_of_month(on)
    lines = [
        ChildLine(line.child, line.monthly_amount, line.arrangement)
        for line in request.children.select_related("child")
    ]
    if debtor_bank is None or creditor_bank is None:
        # Accepted by silence: no agent entered the accounts; the intermediation opens on a
        # parent's request once they are known (the titre itself is enforceable from today).
        titre = Titre.objects.create(
            reference=f"TC-{request.pk:07d}",
            kind=TitreKind.TITRE_CAF,
            issued_on=on,
            start_on=start,
            debtor=request.debtor,
            creditor=request.creditor,
            creditor_dossier=request.creditor_dossier,
            revaluation_anniversary=start.replace(year=start.year + 1),
            intermediation_refused=request.refuse_intermediation,
            debtor_monthly_resources=request.debtor_monthly_resources,
        )
        from parcours.titres.models import TitreChild

        TitreChild.objects.bulk_create(
            TitreChild(
                titre=titre,
                child=line.child,
                monthly_amount=line.monthly_amount,
                arrangement=line.arrangement,
            )
            for line in lines
        )
        return titre
    titre, _ = titre_record(
        kind=TitreKind.TITRE_CAF,
        reference=f"TC-{request.pk:07d}",
        issued_on=on,
        start_on=start,
        debtor=request.debtor,
        creditor=request.creditor,
        creditor_dossier=request.creditor_dossier,
        children=lines,
        debtor_bank=debtor_bank,
        creditor_bank=creditor_bank,
        refused=request.refuse_intermediation,
        by=by,
    )
    Titre.objects.filter(pk=titre.pk).update(debtor_monthly_resources=request.debtor_monthly_resources)
    return titre


def titre_caf_letter(request: TitreRequest) -> TitreCafLetter:
    """What the PDF titre states, from a request that was accepted."""
    if request.titre is None:
        raise ValidationError({"request": "Aucun titre n'a été délivré pour cette demande."})
    plain = _plain(request)
    children = tuple(
        LetterChild(c.first_names, c.last_name, c.birth_date, c.custody, c.monthly_amount)
        for c in plain.children
    )
    return TitreCafLetter(
        reference=request.titre.reference,
        caf_name=settings.PARCOURS_CAF_ACCOUNT[0].split(" - ")[0].title().replace("Caf De", "Caf de"),
        issued_on=request.titre.issued_on,
        starts_on=request.titre.start_on,
        creditor=plain.creditor,
        debtor=plain.debtor,
        children=children,
        debtor_monthly_resources=request.debtor_monthly_resources,
        children_dependent_on_debtor=request.children_dependent_on_debtor,
        intermediation=not request.refuse_intermediation,
        creditor_address_confidential=True,
    )


def titre_document_bytes(document: TitreDocument) -> bytes:
    """The stored file of a piece (the views check who may read it)."""
    return stored_bytes(document.stored_path)
