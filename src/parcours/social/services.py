"""Domain operations of social support: the only place that writes signalements, accompaniments,
their interviews, objectives and notes, and referrals. One transaction per operation; every
change of state through core/transitions.py; the writes on a dossier audited (decision 0015)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from parcours.accounts.rules import Perm, has_permission
from parcours.accounts.services import audit_record
from parcours.core.dates import date_fr
from parcours.core.tasks import enqueue_on_commit
from parcours.core.transitions import set_transition, transition_apply
from parcours.core.workflow import SystemActor
from parcours.households.access import staff_covers
from parcours.households.models import Dossier
from parcours.notifications import events
from parcours.notifications.services import notify, site_link

from . import lifecycle
from .models import (
    Accompaniment,
    AccompanimentTransition,
    Interview,
    Objective,
    Partner,
    Referral,
    ReferralTransition,
    Signalement,
    SignalementTransition,
    SocialNote,
    SocialTeam,
)
from .offers import OFFERS, Channel, Origin, SignalementKind

OFFERS_ACTOR = SystemActor("social offres")
EXPIRE = set_transition(SignalementTransition, "expirer")
NOTE_MAX = 5000


def _is_worker_of(user: Any, departement: str) -> bool:
    return has_permission(getattr(user, "role", ""), Perm.SOCIAL) and staff_covers(user, departement)


def _worker_only(user: Any, departement: str) -> None:
    if not _is_worker_of(user, departement):
        raise PermissionDenied("Réservé à l'équipe d'intervention sociale du territoire.")


# --- Signalements --------------------------------------------------------------------------------


@transaction.atomic
def signalement_create(
    *, dossier: Dossier, kind: str, source: str, origin: str = Origin.EVENT, by: Any = None
) -> Signalement:
    """A signalement of this dossier for this reason and origin: created once, then found again
    (idempotent on (dossier, kind, source), which the table keeps unique). It goes to the social
    team of the dossier's territory; a written offer is sent by the task queue once committed."""
    if kind not in SignalementKind.__members__.values():
        raise ValidationError({"kind": "Motif de signalement inconnu."})
    if origin not in Origin.__members__.values():
        raise ValidationError({"origin": "Origine du signalement inconnue."})
    source = source.strip()[:100]
    if origin != Origin.EVENT and not source:
        raise ValidationError({"source": "Indiquez qui signale la famille (service, structure)."})
    offer = OFFERS[SignalementKind(kind)]
    signalement, created = Signalement.objects.get_or_create(
        dossier=dossier,
        kind=kind,
        source=source,
        defaults={
            "origin": origin,
            "created_by": by if getattr(by, "pk", None) else None,
            "team": SocialTeam.objects.filter(departement=dossier.departement).first(),
            "channel": offer.channel,
        },
    )
    if created:
        if by is not None and getattr(by, "pk", None):
            audit_record(
                actor=by,
                action="social.signalement",
                dossier=dossier,
                object_type="signalement",
                object_id=signalement.pk,
                context=f"signalement {kind}",
            )
        if offer.channel == Channel.WRITTEN:
            from .tasks import offer_send_task

            enqueue_on_commit(offer_send_task, signalement_id=signalement.pk)
    return signalement


def parent_accounts(dossier: Dossier) -> list[Any]:
    """The accounts of the dossier's adults today (the parents who can read the offer online)."""
    from django.contrib.auth import get_user_model

    from parcours.households.models import ADULT_ROLES, Membership

    adults = (
        Membership.objects.current()
        .valid_on(timezone.localdate())
        .filter(dossier=dossier, role__in=ADULT_ROLES)
    )
    return list(get_user_model().objects.filter(person_id__in=adults.values("person_id")).order_by("pk"))


@transaction.atomic
def offer_send(*, signalement_id: int) -> str:
    """Send the written offer: the signalement moves to "proposée" with its answer date, and each
    parent with an account is told (e-mail or SMS, by their choice); the others get the letter,
    printed from the signalement's page. Run by the task queue: a second run changes nothing."""
    signalement = Signalement.objects.select_related("dossier").get(pk=signalement_id)
    if signalement.state != lifecycle.A_PROPOSER or signalement.channel != Channel.WRITTEN:
        return "déjà proposé"
    today = timezone.localdate()
    answer_by = today + timedelta(days=OFFERS[SignalementKind(signalement.kind)].answer_days)

    def dates(locked: Signalement) -> None:
        locked.proposed_on, locked.answer_by = today, answer_by

    transition_apply(
        log=SignalementTransition, subject=signalement, action="proposer", by=OFFERS_ACTOR, prepare=dates
    )
    accounts = parent_accounts(signalement.dossier)
    for user in accounts:
        notify(
            user=user,
            event=events.OFFRE_ACCOMPAGNEMENT,
            ref=f"signalement:{signalement.pk}",
            fields={"date": date_fr(answer_by), "lien": site_link(reverse("core:home"))},
        )
    return f"offre envoyée ({len(accounts)} compte(s) prévenu(s))"


@transaction.atomic
def signalement_propose(*, signalement: Signalement, by: Any) -> Signalement:
    """A social worker has called the family back (violence) or handed the offer: proposed."""
    _worker_only(by, signalement.dossier.departement)
    answer_by = timezone.localdate() + timedelta(days=OFFERS[SignalementKind(signalement.kind)].answer_days)

    def dates(locked: Signalement) -> None:
        locked.proposed_on, locked.answer_by = timezone.localdate(), answer_by

    applied = transition_apply(
        log=SignalementTransition,
        subject=signalement,
        action="proposer",
        by=by,
        role=lifecycle.WORKER,
        prepare=dates,
    )
    return applied.subject


@transaction.atomic
def signalement_answer(
    *, signalement: Signalement, accepted: bool, by: Any, reason: str = ""
) -> Accompaniment | None:
    """The family's answer, recorded by a social worker (by phone, at the desk) or given by the
    parent in their space. Accepted: the accompaniment opens (the worker who recorded it takes it;
    from the parent, the team's leader assigns it). Refused: the signalement closes."""
    role = getattr(by, "role", "")
    if role == lifecycle.PARENT:
        if all(user.pk != by.pk for user in parent_accounts(signalement.dossier)):
            raise PermissionDenied
        if signalement.channel != Channel.WRITTEN:
            raise PermissionDenied
    else:
        _worker_only(by, signalement.dossier.departement)
        role = lifecycle.WORKER
    applied = transition_apply(
        log=SignalementTransition,
        subject=signalement,
        action="accepter" if accepted else "refuser",
        by=by,
        role=role,
        reason=reason.strip()[:500],
    )
    if not accepted or applied.entry is None:
        return getattr(applied.subject, "accompaniment", None) if accepted else None
    team = (
        applied.subject.team or SocialTeam.objects.filter(departement=signalement.dossier.departement).first()
    )
    if team is None:
        raise ValidationError(
            {"team": "Aucune équipe d'intervention sociale n'est définie pour ce territoire."}
        )
    accompaniment = Accompaniment.objects.create(
        signalement=applied.subject,
        dossier=signalement.dossier,
        team=team,
        worker=by if role == lifecycle.WORKER else None,
        opened_on=timezone.localdate(),
    )
    audit_record(
        actor=by,
        action="social.accompagnement",
        dossier=signalement.dossier,
        object_type="accompagnement",
        object_id=accompaniment.pk,
        context="offre acceptée",
    )
    return accompaniment


@transaction.atomic
def offers_expire(*, today: date | None = None) -> int:
    """The written offers whose answer date has passed without an answer: "sans réponse"
    (set-based, one log row each). The daily step `social expire`."""
    today = today or timezone.localdate()
    table = Signalement._meta.db_table
    return EXPIRE.run(
        # A call-back (violence) never expires unanswered: a social worker records its outcome.
        ids=f"SELECT id FROM {table} WHERE answer_by < %s AND channel = %s",  # noqa: S608 -- the table's name only
        params=[today, Channel.WRITTEN],
        by=OFFERS_ACTOR,
        reason="Aucune réponse de la famille dans le délai de l'offre.",
    )


# --- Accompaniments ------------------------------------------------------------------------------


def _open(accompaniment: Accompaniment) -> None:
    if not accompaniment.is_open:
        raise ValidationError("Cet accompagnement est clos.")


@transaction.atomic
def accompaniment_act(
    *, accompaniment: Accompaniment, action: str, by: Any, reason: str = "", outcome: str = ""
) -> Accompaniment:
    """Move the accompaniment on: the diagnostic once a first interview was held, the plan once it
    has an objective, the closing with its reason and outcome."""
    _worker_only(by, accompaniment.dossier.departement)

    def check(locked: Accompaniment) -> None:
        if action == "diagnostiquer" and not locked.interviews.filter(held=True).exists():
            raise ValidationError({"action": "Enregistrez d'abord le premier entretien tenu."})
        if action == "etablir_plan" and not locked.objectives.exists():
            raise ValidationError({"action": "Le plan d'accompagnement a besoin d'au moins un objectif."})
        if action == "clore":
            if outcome not in lifecycle.CLOSING_OUTCOMES:
                raise ValidationError({"outcome": "Choisissez le résultat de l'accompagnement."})
            locked.outcome, locked.closed_on = outcome, timezone.localdate()

    applied = transition_apply(
        log=AccompanimentTransition,
        subject=accompaniment,
        action=action,
        by=by,
        role=lifecycle.WORKER,
        reason=reason.strip()[:500],
        prepare=check,
    )
    return applied.subject


@transaction.atomic
def accompaniment_reassign(*, accompaniment: Accompaniment, to: Any, by: Any) -> Accompaniment:
    """A team leader gives the accompaniment to another social worker of the team."""
    _worker_only(by, accompaniment.dossier.departement)
    locked = Accompaniment.objects.select_for_update().get(pk=accompaniment.pk)
    if not locked.team.leaders.filter(pk=by.pk).exists():
        raise PermissionDenied("Seul un responsable de l'équipe réattribue un accompagnement.")
    if to is None or not locked.team.members.filter(pk=to.pk).exists():
        raise ValidationError({"worker": "Choisissez un travailleur social de l'équipe."})
    _open(locked)
    locked.worker = to
    locked.save(update_fields=["worker"])
    audit_record(
        actor=by,
        action="social.reattribution",
        dossier=locked.dossier,
        object_type="accompagnement",
        object_id=locked.pk,
        context=f"confié à l'agent n° {to.pk}",
    )
    return locked


@transaction.atomic
def interview_plan(
    *, accompaniment: Accompaniment, on: datetime, mode: str, place: str, by: Any
) -> Interview:
    _worker_only(by, accompaniment.dossier.departement)
    _open(accompaniment)
    if mode not in Interview.Mode.values:
        raise ValidationError({"mode": "Choisissez la modalité de l'entretien."})
    if mode != Interview.Mode.PHONE and not place.strip():
        raise ValidationError({"place": "Indiquez le lieu de l'entretien."})
    if timezone.is_naive(on):
        on = timezone.make_aware(on)
    if timezone.localdate(on) < _earliest(accompaniment):
        raise ValidationError(
            {
                "on": f"Un entretien ne peut pas précéder l'accompagnement, ouvert le {date_fr(accompaniment.opened_on)}."
            }
        )
    return Interview.objects.create(
        accompaniment=accompaniment, on=on, mode=mode, place=place.strip()[:200], by=by
    )


@transaction.atomic
def interview_record(*, interview: Interview, held: bool, note: str, by: Any) -> Interview:
    """The interview took place (with its confidential note, if any) or the family did not come."""
    accompaniment = interview.accompaniment
    _worker_only(by, accompaniment.dossier.departement)
    _open(accompaniment)
    locked = Interview.objects.select_for_update().get(pk=interview.pk)
    if locked.on > timezone.now():
        raise ValidationError({"held": "Cet entretien n'a pas encore eu lieu."})
    if locked.held is not None:  # a second submit, or a later change of what unlocked a step
        raise ValidationError({"held": "Le compte rendu de cet entretien est déjà enregistré."})
    locked.held = held
    locked.save(update_fields=["held"])
    if note.strip():
        note_add(accompaniment=accompaniment, text=note, by=by, interview=locked)
    return locked


def _earliest(accompaniment: Accompaniment) -> date:
    """The earliest day an interview or a consent of the accompaniment may bear: the eve of its
    opening (a call the evening before the acceptance was recorded), never a date long past."""
    return accompaniment.opened_on - timedelta(days=1)


@transaction.atomic
def objective_add(*, accompaniment: Accompaniment, text: str, by: Any) -> Objective:
    _worker_only(by, accompaniment.dossier.departement)
    _open(accompaniment)
    text = text.strip()
    if not text:
        raise ValidationError({"text": "Décrivez l'objectif convenu avec la famille."})
    if len(text) > 300:
        raise ValidationError({"text": "Un objectif tient en 300 caractères au plus."})
    Accompaniment.objects.select_for_update().filter(pk=accompaniment.pk).first()  # a double submit
    same = Objective.objects.filter(accompaniment=accompaniment, text=text, reached_on__isnull=True).first()
    return same or Objective.objects.create(accompaniment=accompaniment, text=text)


@transaction.atomic
def objective_reach(*, objective: Objective, by: Any) -> Objective:
    _worker_only(by, objective.accompaniment.dossier.departement)
    _open(objective.accompaniment)
    if objective.reached_on is None:
        objective.reached_on = timezone.localdate()
        objective.save(update_fields=["reached_on"])
    return objective


@transaction.atomic
def note_add(
    *, accompaniment: Accompaniment, text: str, by: Any, interview: Interview | None = None
) -> SocialNote:
    """A confidential note, written once (append-only), by a social worker of the territory."""
    _worker_only(by, accompaniment.dossier.departement)
    text = text.strip()
    if not text:
        raise ValidationError({"text": "La note est vide."})
    if len(text) > NOTE_MAX:
        raise ValidationError({"text": f"Une note tient en {NOTE_MAX} caractères au plus."})
    note = SocialNote.objects.create(accompaniment=accompaniment, interview=interview, author=by, text=text)
    audit_record(
        actor=by,
        action="social.note_ecrite",
        dossier=accompaniment.dossier,
        object_type="note_sociale",
        object_id=note.pk,
        context=f"accompagnement n° {accompaniment.pk}",
    )
    return note


def notes_read(*, accompaniment: Accompaniment, user: Any) -> list[SocialNote]:
    """The confidential notes, for a social worker of the accompaniment's team: the read is audited. Anyone
    else is refused (PermissionDenied) and the attempt audited as refused."""
    team = accompaniment.team
    allowed = _is_worker_of(user, accompaniment.dossier.departement) and (
        team is None or team.members.filter(pk=getattr(user, "pk", None)).exists()
    )
    audit_record(
        actor=user,
        action="social.notes_lues",
        dossier=accompaniment.dossier,
        object_type="accompagnement",
        object_id=accompaniment.pk,
        context="notes sociales confidentielles",
        allowed=allowed,
    )
    if not allowed:
        raise PermissionDenied("Les notes sociales sont réservées à l'équipe d'intervention sociale.")
    return list(accompaniment.notes.select_related("author", "interview"))


# --- Referrals -----------------------------------------------------------------------------------


@transaction.atomic
def referral_create(
    *,
    accompaniment: Accompaniment,
    partner: Partner,
    purpose: str,
    contact: str,
    consent_on: date | None,
    by: Any,
) -> Referral:
    """An orientation to a partner of the territory, only with the family's consent (its date)."""
    _worker_only(by, accompaniment.dossier.departement)
    _open(accompaniment)
    errors = {}
    if not partner.active or partner.departement != accompaniment.dossier.departement:
        errors["partner"] = "Choisissez un partenaire actif du territoire."
    if consent_on is None:
        errors["consent_on"] = "Sans l'accord de la famille, aucune orientation n'est possible."
    elif consent_on > timezone.localdate():
        errors["consent_on"] = "La date de l'accord ne peut pas être dans le futur."
    elif consent_on < _earliest(accompaniment):
        errors["consent_on"] = (
            f"L'accord se recueille pendant l'accompagnement, ouvert le {date_fr(accompaniment.opened_on)}."
        )
    if not purpose.strip():
        errors["purpose"] = "Indiquez l'objet de l'orientation."
    if not contact.strip():
        errors["contact"] = "Indiquez comment le partenaire peut joindre la famille (avec son accord)."
    if errors:
        raise ValidationError(errors)
    Accompaniment.objects.select_for_update().filter(pk=accompaniment.pk).first()  # a double submit
    same = Referral.objects.filter(
        accompaniment=accompaniment,
        partner=partner,
        purpose=purpose.strip()[:300],
        state__in=lifecycle.REFERRAL_OPEN,
    ).first()
    if same is not None:  # the same orientation sent twice: the first one stands
        return same
    referral = Referral.objects.create(
        accompaniment=accompaniment,
        partner=partner,
        purpose=purpose.strip()[:300],
        contact=contact.strip()[:200],
        consent_on=consent_on,
        created_by=by,
    )
    audit_record(
        actor=by,
        action="social.orientation",
        dossier=accompaniment.dossier,
        object_type="orientation",
        object_id=referral.pk,
        context=f"vers le partenaire n° {partner.pk}",
    )
    return referral


@transaction.atomic
def referral_act(*, referral: Referral, action: str, by: Any, reason: str = "") -> Referral:
    """The partner accepts or declines, then says whether the support was held (with the reason
    when not); the social worker may cancel. The partner's words are the social worker's feedback."""
    role = getattr(by, "role", "")
    if role == lifecycle.PARTNER:
        if not referral.partner.members.filter(pk=by.pk).exists():
            raise PermissionDenied
    else:
        _worker_only(by, referral.accompaniment.dossier.departement)
        role = lifecycle.WORKER

    def feedback(locked: Referral) -> None:
        if role == lifecycle.PARTNER and reason.strip():
            locked.feedback = reason.strip()[:300]

    applied = transition_apply(
        log=ReferralTransition,
        subject=referral,
        action=action,
        by=by,
        role=role,
        reason=reason.strip()[:500],
        prepare=feedback,
    )
    return applied.subject
