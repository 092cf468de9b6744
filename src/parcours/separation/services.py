"""The separation declaration: draft, submit once, instruct, validate into the registry and the rights.

Each service is one transaction; a refused step raises a French ValidationError and writes nothing.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from parcours.core.communes import commune_error, commune_lookup
from parcours.core.dates import date_fr
from parcours.core.transitions import transition_apply
from parcours.core.work import Kind, Work, close_work, open_work, wait_work
from parcours.households import dtr
from parcours.households import services as registry
from parcours.households.models import ADULT_ROLES, ChildSupportStatus, Dossier, Person, ResourceKind, Role
from parcours.households.selectors import household_on
from parcours.notifications import events
from parcours.notifications.services import notify, site_link
from parcours.social.models import Signalement
from parcours.social.services import signalement_create

from . import lifecycle
from .models import (
    CallbackRequest,
    CallbackTransition,
    ChildSupportSituation,
    Demande,
    DemandeTransition,
    Document,
    DocumentReview,
    Invitation,
    InvitationTransition,
    Message,
    Residence,
    goes_with_leaver,
)

SENDER = "separation"

# The declaration's child-support situation -> the registry's status (DOMAIN.md §4).
SUPPORT_STATUS = {
    ChildSupportSituation.NONE: ChildSupportStatus.NONE,
    ChildSupportSituation.PROCEDURE: ChildSupportStatus.NONE,
    ChildSupportSituation.AGREEMENT: ChildSupportStatus.SET_PAID,
    ChildSupportSituation.JUDGMENT: ChildSupportStatus.SET_PAID,
    ChildSupportSituation.UNPAID: ChildSupportStatus.SET_UNPAID,
}


def _members_today(dossier: Dossier) -> list:
    return list(household_on(dossier, timezone.localdate()).members)


@transaction.atomic
def declaration_start(*, dossier: Dossier, by: Any) -> Demande:
    """The open draft of this dossier, or a new one: a parent never has two drafts at once."""
    draft = Demande.objects.select_for_update().filter(dossier=dossier, state=lifecycle.BROUILLON).first()
    if draft is not None:
        return draft
    members = _members_today(dossier)
    adults = [m for m in members if m.role in ADULT_ROLES]
    if len(adults) < 2:
        raise ValidationError(
            {"dossier": "Votre dossier ne compte pas de conjoint : aucune séparation à déclarer."}
        )
    other = next((m.person for m in adults if m.role == Role.CONJOINT), None)
    children = {str(m.person.pk): Residence.CHEZ_MOI for m in members if m.role in (Role.ENFANT, Role.AUTRE)}
    return Demande.objects.create(dossier=dossier, declarant=by, leaving=other, children=children)


def _check(demande: Demande, data: dict[str, Any]) -> dict[str, str]:
    errors: dict[str, str] = {}
    today = timezone.localdate()
    on = data.get("separation_date")
    if on is None:
        errors["separation_date"] = "Indiquez la date de la séparation."
    elif on > today:
        errors["separation_date"] = "La date de la séparation ne peut pas être dans le futur."
    elif on <= demande.dossier.opened_on:
        errors["separation_date"] = "La date de la séparation doit suivre l'ouverture du dossier."
    children = data.get("children", {})
    known = {str(m.person.pk) for m in _members_today(demande.dossier) if m.role in (Role.ENFANT, Role.AUTRE)}
    if set(children) - known:
        errors["children"] = "Un enfant déclaré ne fait pas partie du foyer."
    if any(value not in Residence.values for value in children.values()):
        errors["children"] = "Indiquez où vit chaque enfant."
    support = data.get("child_support")
    amount = data.get("child_support_amount")
    set_amount = (
        ChildSupportSituation.AGREEMENT,
        ChildSupportSituation.JUDGMENT,
        ChildSupportSituation.UNPAID,
    )
    if support in set_amount and (amount is None or amount <= 0):
        errors["child_support_amount"] = "Indiquez le montant mensuel de la pension fixée."
    if amount is not None and (amount < 0 or amount != amount.quantize(Decimal("0.01"))):
        errors["child_support_amount"] = "Le montant est positif, avec au plus deux décimales."
    if data.get("new_street"):
        if not registry.postcode_is_valid(data.get("new_postcode", "")):
            errors["new_postcode"] = "Le code postal comporte 5 chiffres."
        code = data.get("new_commune_insee", "")
        if not code or commune_error(code):
            found = commune_lookup(data.get("new_postcode", ""), data.get("new_commune_name", ""))
            if isinstance(found, str):
                errors["new_commune_name"] = found
    if data.get("new_iban"):
        try:
            registry.normalise_iban(data["new_iban"])
        except ValidationError as error:
            errors["new_iban"] = error.message_dict["iban"][0]
    return errors


def draft_errors(demande: Demande) -> dict[str, str]:
    """What the draft still lacks, or gets wrong, before it can be sent (the deposit's own check)."""
    return _check(demande, {name: getattr(demande, name) for name in DRAFT_FIELDS})


DRAFT_FIELDS = (
    "separation_date",
    "children",
    "new_street",
    "new_postcode",
    "new_commune_insee",
    "new_commune_name",
    "new_address_confidential",
    "child_support",
    "child_support_amount",
    "visiting",
    "new_iban",
)


@transaction.atomic
def declaration_save(*, demande: Demande, data: dict[str, Any], by: Any, reached: str = "") -> Demande:
    """Save the draft as typed (even incomplete); only a draft can change. `reached`: the step
    the parent goes on to (kept if it is further than the one before: where the draft resumes)."""
    demande = Demande.objects.select_for_update().get(pk=demande.pk)
    if demande.state != lifecycle.BROUILLON:
        raise ValidationError({"state": "La déclaration est déposée : elle ne peut plus être modifiée."})
    for name in DRAFT_FIELDS:
        if name in data:
            setattr(demande, name, data[name])
    if reached:
        demande.draft_step = reached
    if "new_commune_name" in data or "new_postcode" in data:
        # The parent names the commune; its code INSEE is found from the name and the postcode.
        found = commune_lookup(demande.new_postcode, demande.new_commune_name)
        if isinstance(found, tuple):
            demande.new_commune_insee, demande.new_commune_name = found
        elif not data.get("new_commune_insee"):
            demande.new_commune_insee = ""
    demande.save()
    return demande


@transaction.atomic
def demande_transition(
    *,
    demande: Demande,
    action: str,
    by: Any,
    actor: str,
    reason: str = "",
    notice: tuple[str, dict[str, str]] | None = None,
) -> Demande:
    """Move the demande along its lifecycle (`core.transitions`: locked, checked, logged); a double
    submit of the same step changes nothing. The parent is told of the move (`NOTIFIED`), or of
    `notice` (event, fields) when the caller knows better why it moved."""

    def before_deposit(locked: Demande) -> None:
        if action == "deposer":
            errors = draft_errors(locked)
            if errors:
                raise ValidationError(errors)
            locked.submitted_at = timezone.now()

    demande, moved = transition_apply(
        log=DemandeTransition,
        subject=demande,
        action=action,
        by=by,
        role=actor,
        reason=reason,
        prepare=before_deposit,
    )
    if moved is None:
        return demande  # the same click twice: already done
    if reason:
        Message.objects.create(demande=demande, author=by, body=reason)
    if notice is not None or action in NOTIFIED:
        event, fields = notice or (NOTIFIED[action], {})
        if "date" in events.EVENTS[event].fields:
            fields = {"date": date_fr(timezone.localdate()), **fields}
        demande_notify(demande, event, f"demande:{demande.pk}:{moved.pk}", **fields)
    if action == "deposer":
        _invite_other_parent(demande)
    if action == "valider":
        demande_apply(demande=demande, by=by)
    _announce_work(demande, action)
    return demande


def demande_cause(demande: Demande) -> str:
    return f"demande:{demande.pk}"


def pieces_cause(demande: Demande) -> str:
    return f"demande:{demande.pk}:pieces"


def _announce_work(demande: Demande, action: str) -> None:
    """The back office's work on a declaration (core.work): to instruct once deposited, waiting
    while the parent completes it, settled by the decision. The first payment on the new situation
    is the next one: that is when the family's money breaks if nobody instructs it."""
    causes = [demande_cause(demande), pieces_cause(demande)]
    if action == "deposer":
        breaks = dtr.next_payment(timezone.localdate())
        open_work(SENDER, [Work(Kind.DECLARATION, demande.dossier_id, causes[0], breaks_on=breaks)])
    elif action == "demander_complement":
        wait_work(SENDER, causes, waiting=True)
    elif action == "repondre":
        wait_work(SENDER, causes, waiting=False)
    elif demande.state in lifecycle.FINAL:
        close_work(SENDER, causes, f"Déclaration {lifecycle.STATES[demande.state].lower()}")


def pieces_received(demande: Demande) -> None:
    """Documents sent on a deposited declaration are work (one task until they are all checked)."""
    if demande.state in (lifecycle.DEPOSEE, lifecycle.EN_INSTRUCTION, lifecycle.A_COMPLETER):
        breaks = dtr.next_payment(timezone.localdate())
        open_work(SENDER, [Work(Kind.DOCUMENTS, demande.dossier_id, pieces_cause(demande), breaks_on=breaks)])


NOTIFICATION_CODE = "notification"  # the Document code of the Caf's letter (letters.NOTIFICATION)

# The parent hears of every move of their demande (the validation once its letter is ready:
# letters.letter_render).
NOTIFIED = {
    "deposer": events.DEMANDE_RECUE,
    "instruire": events.DEMANDE_EN_INSTRUCTION,
    "demander_complement": events.COMPLEMENT_DEMANDE,
    "repondre": events.COMPLEMENT_RECU,
    "refuser": events.DEMANDE_REFUSEE,
    "classer_sans_suite": events.DEMANDE_CLASSEE,
}


def demande_notify(demande: Demande, event: str, ref: str, **fields: str) -> None:
    """Tell the declarant of `event` on their demande (queued on commit, once per `ref`)."""
    link = site_link(reverse("separation:demande", args=[demande.pk]))
    notify(user=demande.declarant, event=event, ref=ref, fields={"lien": link, **fields})


def next_numero_allocataire() -> str:
    """The next free number of the separations' series (8 000 000 and up)."""
    last = (
        Dossier.objects.filter(numero_allocataire__gte="8000000")
        .order_by("-numero_allocataire")
        .values_list("numero_allocataire", flat=True)
        .first()
    )
    return f"{int(last) + 1:07d}" if last else "8000000"


def _separation_with_free_numero(**kwargs: Any) -> Dossier:
    """Two validations at once may draw the same next number: the loser retries with the next one."""
    for _ in range(5):
        try:
            with transaction.atomic():
                return registry.separation_record(new_numero_allocataire=next_numero_allocataire(), **kwargs)
        except IntegrityError:
            continue
    raise ValidationError({"numero_allocataire": "Aucun numéro allocataire libre : réessayez."})


def demande_apply(*, demande: Demande, by: Any) -> None:
    """A validated declaration becomes the registry's truth at the separation date, then the rights
    of both households are revised from that month (rappels and indus), and the social team is told."""
    from parcours.rights.services import rights_after_change

    on: date = demande.separation_date
    persons = Person.objects.in_bulk([int(pid) for pid in demande.children])
    residence = {persons[int(pid)]: value for pid, value in demande.children.items()}
    address = None
    if demande.new_street:
        address = registry.NewAddress(
            demande.new_street,
            demande.new_postcode,
            demande.new_commune_insee,
            demande.new_commune_name,
            demande.new_address_confidential,
        )
    new = _separation_with_free_numero(
        dossier=demande.dossier,
        leaving=demande.leaving,
        on=on,
        children_leaving=[c for c, r in residence.items() if goes_with_leaver(demande, r)],
        children_alternating=[c for c, r in residence.items() if r == Residence.ALTERNEE],
        new_address=address,
        by=by,
        source="declaration",
    )
    # The child-support situation belongs to the household where the children mainly live.
    with_leaver = [c for c, r in residence.items() if goes_with_leaver(demande, r)]
    staying = [c for c, r in residence.items() if r != Residence.ALTERNEE and c not in with_leaver]
    if residence:
        creditor_is_leaver = bool(with_leaver) and not staying
        stayer = next(m.person for m in household_on(demande.dossier, on).adults)
        registry.child_support_set(
            dossier=new if creditor_is_leaver else demande.dossier,
            valid_from=on,
            status=SUPPORT_STATUS[demande.child_support],
            monthly_amount_set=demande.child_support_amount,
            debtor=stayer if creditor_is_leaver else demande.leaving,
            by=by,
        )
        if (
            SUPPORT_STATUS[demande.child_support] == ChildSupportStatus.SET_PAID
            and demande.child_support_amount
        ):
            # A pension fixed and paid is a resource of the parent who receives it (openfisca's
            # pensions_alimentaires_percues): the ASF becomes différentielle, as the estimate said.
            registry.resource_set(
                dossier=new if creditor_is_leaver else demande.dossier,
                person=demande.leaving if creditor_is_leaver else stayer,
                kind=ResourceKind.PENSION_ALIMENTAIRE_RECUE,
                valid_from=on,
                monthly_amount=demande.child_support_amount,
                by=by,
            )
    if demande.new_iban:
        declarant = demande.declarant.person
        registry.bank_account_set(
            dossier=new if demande.leaving_id == demande.declarant.person_id else demande.dossier,
            valid_from=on,
            holder_name=f"{declarant.first_names} {declarant.last_name}",
            iban=demande.new_iban,
            by=by,
        )
    demande.new_dossier = new
    demande.save(update_fields=["new_dossier"])
    rights_after_change(dossier=demande.dossier, effective=on)
    rights_after_change(dossier=new, effective=on)
    if residence:
        signalement_create(
            dossier=demande.dossier, kind=Signalement.Kind.SEPARATION, source=f"déclaration n° {demande.pk}"
        )
    from .letters import letter_issue

    letter_issue(demande=demande, by=by)


REVIEW_STATES = {lifecycle.EN_INSTRUCTION, lifecycle.A_COMPLETER}


@transaction.atomic
def document_review(*, document: Document, accepted: bool, reason: str, by: Any) -> Document:
    """The agent accepts a document, or refuses it with a reason: the refusal is a correction
    request (the demande goes back to "à compléter" if it was under instruction, the parent reads
    the reason and can send another document). The letter of the Caf itself is not reviewed."""
    from .checklist import LABELS

    document = Document.objects.select_for_update().select_related("demande").get(pk=document.pk)
    demande = document.demande
    if document.code == NOTIFICATION_CODE:
        raise ValidationError({"review": "La notification de la Caf n'est pas une pièce à vérifier."})
    if demande.state not in REVIEW_STATES:
        raise ValidationError({"review": "Les pièces se vérifient pendant l'instruction de la déclaration."})
    reason = reason.strip()
    if not accepted and not reason:
        raise ValidationError({"reason": "Indiquez au parent pourquoi la pièce est refusée."})
    document.review = DocumentReview.ACCEPTEE if accepted else DocumentReview.REFUSEE
    document.review_reason = "" if accepted else reason
    document.save(update_fields=["review", "review_reason"])
    if (
        not demande.documents.filter(review=DocumentReview.A_VERIFIER)
        .exclude(code=NOTIFICATION_CODE)
        .exists()
    ):
        close_work(SENDER, [pieces_cause(demande)], "Pièces vérifiées", Kind.DOCUMENTS)
    if accepted:
        return document
    label = LABELS.get(document.code, "pièce justificative")
    body = f"Pièce « {label} » refusée : {reason} Merci d'envoyer une nouvelle pièce."
    notice = (events.PIECE_REFUSEE, {"piece": label})
    if demande.state == lifecycle.EN_INSTRUCTION:
        demande_transition(
            demande=demande,
            action="demander_complement",
            by=by,
            actor=lifecycle.AGENT,
            reason=body,
            notice=notice,
        )
    else:  # already waiting for the parent: one more correction, told on its own
        Message.objects.create(demande=demande, author=by, body=body)
        demande_notify(demande, notice[0], f"document:{document.pk}", **notice[1])
    return document


@transaction.atomic
@transaction.atomic
def callback_request(*, phone: str, slot: str, user: Any = None) -> CallbackRequest:
    """A parent who feels unsafe asks to be called back; the agents of their territory see it."""
    from parcours.households.access import caf_departement, own_dossier_ids
    from parcours.households.models import Dossier

    departement = caf_departement()
    if user is not None and getattr(user, "is_authenticated", False) and user.person_id:
        own = Dossier.objects.filter(id__in=own_dossier_ids(user)).order_by("id").first()
        departement = own.departement if own else departement
    return CallbackRequest.objects.create(
        phone=phone,
        slot=slot,
        user=user if getattr(user, "is_authenticated", False) else None,
        departement=departement,
    )


def callback_take(*, callback: CallbackRequest, by: Any) -> CallbackRequest:
    """An agent takes a call-back request: the others see who calls."""

    def assign(locked: CallbackRequest) -> None:
        locked.assigned_to = by

    callback, _ = transition_apply(
        log=CallbackTransition,
        subject=callback,
        action="prendre",
        by=by,
        role=lifecycle.AGENT,
        prepare=assign,
    )
    return callback


@transaction.atomic
def callback_close(*, callback: CallbackRequest, outcome: str, note: str, by: Any) -> CallbackRequest:
    """Close a call-back with what came of it (required) and an optional note (kept in the log)."""
    if outcome not in lifecycle.CALLBACK_OUTCOMES:
        raise ValidationError({"outcome": "Indiquez le résultat de l'appel."})

    def close(locked: CallbackRequest) -> None:
        locked.outcome, locked.handled_at = outcome, timezone.now()
        locked.assigned_to = locked.assigned_to or by

    callback, _ = transition_apply(
        log=CallbackTransition,
        subject=callback,
        action="cloturer",
        by=by,
        role=lifecycle.AGENT,
        reason=note.strip(),
        prepare=close,
    )
    if outcome == "oriente" and callback.user is not None:
        _violence_signalement(callback)
    return callback


def _violence_signalement(callback: CallbackRequest) -> None:
    """A parent who disclosed violence and was oriented: the social team of their territory calls
    back to propose an accompaniment (never a letter: the other parent could read it)."""
    from parcours.households.access import own_dossier_ids
    from parcours.households.models import Dossier

    dossier = Dossier.objects.filter(id__in=own_dossier_ids(callback.user)).order_by("id").first()
    if dossier is not None:
        signalement_create(
            dossier=dossier, kind=Signalement.Kind.VIOLENCES, source=f"rappel n° {callback.pk}"
        )


def demande_message(*, demande: Demande, by: Any, body: str, private: bool = False) -> Message:
    if not body.strip():
        raise ValidationError({"body": "Le message est vide."})
    return Message.objects.create(demande=demande, author=by, body=body.strip(), private=private)


def _invite_other_parent(demande: Demande) -> None:
    """The other adult of the couple, if they have a parcours account, is asked to confirm."""
    from parcours.accounts.models import User

    adults = [m.person for m in household_on(demande.dossier, timezone.localdate()).adults]
    for person in adults:
        if person.pk != demande.declarant.person_id and User.objects.filter(person=person).exists():
            Invitation.objects.get_or_create(demande=demande, person=person)


@transaction.atomic
def invitation_answer(*, invitation: Invitation, confirm: bool, comment: str, by: Any) -> Invitation:
    if Invitation.objects.get(pk=invitation.pk).state != Invitation.State.PENDING:
        raise ValidationError({"state": "Vous avez déjà répondu."})
    if not confirm and not comment.strip():
        raise ValidationError({"comment": "Expliquez ce que vous contestez."})

    def answer(row: Invitation) -> None:
        row.comment, row.answered_at = comment.strip(), timezone.now()

    invitation, _ = transition_apply(
        log=InvitationTransition,
        subject=invitation,
        action="confirmer" if confirm else "contester",
        by=by,
        role=lifecycle.PARENT,
        reason=comment.strip(),
        prepare=answer,
    )
    verdict = "confirme" if confirm else "conteste"
    # Visible to the agent only: the other parent's words are not sent to the declarant.
    Message.objects.create(
        demande=invitation.demande,
        author=by,
        body=f"L'autre parent {verdict} la déclaration."
        + (f" Commentaire : {invitation.comment}" if invitation.comment else ""),
        private=True,
    )
    return invitation
