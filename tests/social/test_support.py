"""Social support through its services: a signalement from each kind of event gets its offer, the
family answers (or not), the accompaniment moves step by step with its checks, the notes stay
with the social team, a referral needs the family's consent and the partner answers only its own."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from parcours.accounts.models import AuditEntry
from parcours.core.transitions import replayed_state
from parcours.households import services as registry
from parcours.households.models import IncidentKind
from parcours.separation import services as separation
from parcours.social import lifecycle, selectors, services
from parcours.social.models import (
    Accompaniment,
    AccompanimentTransition,
    Objective,
    Referral,
    Signalement,
    SignalementTransition,
)
from parcours.social.offers import Channel, SignalementKind
from tests.factories import (
    PartnerFactory,
    SignalementFactory,
    SocialTeamFactory,
    UserFactory,
    accepted,
    allocataire,
    held_interview,
    household,
    social_worker,
)

pytestmark = pytest.mark.django_db


def run_tasks(capture) -> int:  # type: ignore[no-untyped-def]
    from parcours.core.tasks import run_ready_tasks

    with capture(execute=True):
        return run_ready_tasks()


def test_rent_arrears_are_signalled_to_the_social_team_and_the_offer_is_emailed_to_the_parent(
    django_capture_on_commit_callbacks, mailoutbox
):
    team = SocialTeamFactory(departement="91")
    dossier = household(couple=False, children=2)
    parent = UserFactory(person=allocataire(dossier), email="parent@exemple.fr")
    with django_capture_on_commit_callbacks(execute=True):
        incident = registry.incident_report(
            dossier=dossier, kind=IncidentKind.RENT_ARREARS, on=timezone.localdate()
        )
        # The same notice announced twice is one signalement.
        services.signalement_create(dossier=dossier, kind="impaye_loyer", source=f"incident:{incident.pk}")
    signalement = Signalement.objects.get(dossier=dossier)
    assert (signalement.kind, signalement.team, signalement.state) == (
        "impaye_loyer",
        team,
        lifecycle.A_PROPOSER,
    )

    assert run_tasks(django_capture_on_commit_callbacks) >= 1  # the offer, then its e-mail
    run_tasks(django_capture_on_commit_callbacks)
    signalement.refresh_from_db()
    assert signalement.state == lifecycle.PROPOSE
    assert signalement.answer_by == timezone.localdate() + timedelta(days=21)
    assert [m.subject for m in mailoutbox] == ["Un travailleur social de la Caf vous propose un rendez-vous"]
    assert "loyer" not in mailoutbox[0].body  # the reason is read once signed in, never in a mail
    assert list(selectors.parent_offers(parent)) == [signalement]
    # The offer's task, run again, sends nothing more.
    assert services.offer_send(signalement_id=signalement.pk) == "déjà proposé"


def test_a_violence_disclosed_on_the_unsafe_path_is_a_call_back_never_a_letter(
    django_capture_on_commit_callbacks,
):
    SocialTeamFactory(departement="91")
    dossier = household()
    parent = UserFactory(person=allocataire(dossier))
    agent = UserFactory(agent=True)
    callback = separation.callback_request(phone="06 12 34 56 78", slot="le matin", user=parent)
    separation.callback_take(callback=callback, by=agent)
    with django_capture_on_commit_callbacks(execute=True) as queued:
        separation.callback_close(callback=callback, outcome="oriente", note="", by=agent)
    signalement = Signalement.objects.get(dossier=dossier)
    assert (signalement.kind, signalement.channel) == (SignalementKind.VIOLENCES, Channel.CALL_BACK)
    assert queued == [] and signalement.state == lifecycle.A_PROPOSER
    assert list(selectors.parent_offers(parent)) == []  # nothing shows in the family's space
    worker = social_worker()
    with pytest.raises(PermissionDenied):  # the parent cannot answer a call-back themselves
        services.signalement_answer(signalement=signalement, accepted=True, by=parent)
    services.signalement_propose(signalement=signalement, by=worker)
    assert services.signalement_answer(signalement=signalement, accepted=True, by=worker).worker == worker


def test_a_parent_accepts_the_offer_of_their_own_dossier_only():
    mine, theirs = SignalementFactory(), SignalementFactory()
    services.offer_send(signalement_id=mine.pk)
    services.offer_send(signalement_id=theirs.pk)
    parent = UserFactory(person=allocataire(mine.dossier))
    with pytest.raises(PermissionDenied):
        services.signalement_answer(signalement=theirs, accepted=True, by=parent)
    accompaniment = services.signalement_answer(signalement=mine, accepted=True, by=parent)
    assert accompaniment.worker is None and accompaniment.team.departement == "91"
    assert Signalement.objects.get(pk=theirs.pk).state == lifecycle.PROPOSE
    # Twice the same click: one accompaniment.
    assert services.signalement_answer(signalement=mine, accepted=True, by=parent) == accompaniment
    assert Accompaniment.objects.filter(signalement=mine).count() == 1


def test_an_offer_without_answer_expires_after_its_delay_set_based_with_its_log():
    late, fresh, answered = SignalementFactory(), SignalementFactory(), SignalementFactory()
    for s in (late, fresh, answered):
        services.offer_send(signalement_id=s.pk)
    services.signalement_answer(signalement=answered, accepted=False, by=social_worker())
    Signalement.objects.filter(pk=late.pk).update(answer_by=timezone.localdate() - timedelta(days=1))
    assert services.offers_expire(today=timezone.localdate()) == 1
    states = dict(Signalement.objects.values_list("pk", "state"))
    assert states == {
        late.pk: lifecycle.SANS_REPONSE,
        fresh.pk: lifecycle.PROPOSE,
        answered.pk: lifecycle.REFUSE,
    }
    assert (
        replayed_state(SignalementTransition, Signalement.objects.get(pk=late.pk)) == lifecycle.SANS_REPONSE
    )
    assert services.offers_expire(today=timezone.localdate()) == 0


def test_the_accompaniment_moves_step_by_step_and_refuses_a_step_out_of_order():
    accompaniment = accepted()
    worker = accompaniment.worker
    with pytest.raises(ValidationError, match="premier entretien tenu"):
        services.accompaniment_act(accompaniment=accompaniment, action="diagnostiquer", by=worker)
    held_interview(accompaniment, note="Première rencontre à l'accueil.")
    services.accompaniment_act(accompaniment=accompaniment, action="diagnostiquer", by=worker)
    with pytest.raises(ValidationError, match="au moins un objectif"):
        services.accompaniment_act(accompaniment=accompaniment, action="etablir_plan", by=worker)
    services.objective_add(accompaniment=accompaniment, text="Reprendre le paiement du loyer", by=worker)
    services.accompaniment_act(accompaniment=accompaniment, action="etablir_plan", by=worker)
    with pytest.raises(ValidationError, match="message est obligatoire"):
        services.accompaniment_act(
            accompaniment=accompaniment, action="clore", by=worker, outcome="objectifs_atteints"
        )
    with pytest.raises(ValidationError, match="résultat"):
        services.accompaniment_act(accompaniment=accompaniment, action="clore", by=worker, reason="Fin")
    assert Accompaniment.objects.get(pk=accompaniment.pk).state == lifecycle.PLAN  # nothing written
    services.accompaniment_act(
        accompaniment=accompaniment,
        action="clore",
        by=worker,
        reason="Plan d'apurement signé",
        outcome="objectifs_atteints",
    )
    closed = Accompaniment.objects.get(pk=accompaniment.pk)
    assert (closed.state, closed.outcome, closed.closed_on) == (
        lifecycle.CLOS,
        "objectifs_atteints",
        timezone.localdate(),
    )
    assert replayed_state(AccompanimentTransition, closed) == lifecycle.CLOS
    with pytest.raises(ValidationError, match="clos"):
        services.objective_add(accompaniment=closed, text="Encore un", by=worker)


def test_an_interview_in_the_future_cannot_be_recorded_as_held():
    accompaniment = accepted()
    interview = services.interview_plan(
        accompaniment=accompaniment,
        on=timezone.now() + timedelta(days=2),
        mode="telephone",
        place="",
        by=accompaniment.worker,
    )
    with pytest.raises(ValidationError, match="pas encore eu lieu"):
        services.interview_record(interview=interview, held=True, note="", by=accompaniment.worker)


def test_the_notes_are_read_by_the_social_team_only_and_every_read_is_audited():
    accompaniment = accepted()
    services.note_add(accompaniment=accompaniment, text="Note confidentielle.", by=accompaniment.worker)
    colleague = social_worker()
    assert [n.text for n in services.notes_read(accompaniment=accompaniment, user=colleague)] == [
        "Note confidentielle."
    ]
    for outsider in (
        UserFactory(agent=True),
        UserFactory(aripa=True),
        UserFactory(social=True, departement="33"),
        UserFactory(admin=True),
        UserFactory(person=allocataire(accompaniment.dossier)),
    ):
        with pytest.raises(PermissionDenied):
            services.notes_read(accompaniment=accompaniment, user=outsider)
        with pytest.raises(PermissionDenied):
            services.note_add(accompaniment=accompaniment, text="intrusion", by=outsider)
    reads = AuditEntry.objects.filter(action="social.notes_lues", dossier=accompaniment.dossier)
    assert sorted(reads.values_list("allowed", flat=True)) == [False] * 5 + [True]
    assert accompaniment.notes.count() == 1


def test_a_referral_needs_the_familys_consent_and_an_active_partner_of_the_territory():
    accompaniment = accepted()
    worker = accompaniment.worker
    partner = PartnerFactory(with_account=True)
    elsewhere = PartnerFactory(departement="33")
    base = {"accompaniment": accompaniment, "purpose": "Médiation", "contact": "06 00 00 00 00", "by": worker}
    with pytest.raises(ValidationError) as error:
        services.referral_create(partner=partner, consent_on=None, **base)
    assert "accord de la famille" in str(error.value)
    with pytest.raises(ValidationError, match="futur"):
        services.referral_create(partner=partner, consent_on=timezone.localdate() + timedelta(days=1), **base)
    with pytest.raises(ValidationError, match="partenaire actif du territoire"):
        services.referral_create(partner=elsewhere, consent_on=timezone.localdate(), **base)
    assert Referral.objects.count() == 0
    referral = services.referral_create(partner=partner, consent_on=timezone.localdate(), **base)
    assert referral.state == lifecycle.ORIENTEE


def test_a_partner_answers_its_own_referrals_only():
    accompaniment = accepted()
    ours = PartnerFactory(with_account=True)
    other = PartnerFactory(with_account=True)
    referral = services.referral_create(
        accompaniment=accompaniment,
        partner=ours,
        purpose="Médiation",
        contact="06 00 00 00 00",
        consent_on=timezone.localdate(),
        by=accompaniment.worker,
    )
    stranger = other.members.get()
    assert list(selectors.partner_referrals(stranger)) == []
    with pytest.raises(PermissionDenied):
        services.referral_act(referral=referral, action="accepter", by=stranger)
    member = ours.members.get()
    with pytest.raises(ValidationError, match="obligatoire"):
        services.referral_act(referral=referral, action="decliner", by=member)
    services.referral_act(referral=referral, action="accepter", by=member)
    services.referral_act(
        referral=referral, action="non_tenue", by=member, reason="La famille n'est pas venue"
    )
    referral.refresh_from_db()
    assert (referral.state, referral.feedback) == (lifecycle.NON_TENUE, "La famille n'est pas venue")
    with pytest.raises(ValidationError):  # a final state stays final
        services.referral_act(referral=referral, action="tenue", by=member)


def test_only_a_leader_of_the_team_reassigns_to_a_member_of_the_team():
    accompaniment = accepted()
    leader, colleague = social_worker(leader=True), social_worker()
    outsider = UserFactory(social=True)
    with pytest.raises(PermissionDenied):
        services.accompaniment_reassign(accompaniment=accompaniment, to=colleague, by=colleague)
    with pytest.raises(ValidationError, match="de l'équipe"):
        services.accompaniment_reassign(accompaniment=accompaniment, to=outsider, by=leader)
    assert (
        services.accompaniment_reassign(accompaniment=accompaniment, to=colleague, by=leader).worker
        == colleague
    )
    rows = {r["username"]: r["open"] for r in selectors.team_caseloads(accompaniment.team)}
    assert rows[colleague.username] == 1 and rows[leader.username] == 0


def test_a_signalement_by_hand_needs_who_signals_it_and_a_known_reason():
    dossier = household()
    worker = social_worker()
    with pytest.raises(ValidationError, match="qui signale"):
        services.signalement_create(
            dossier=dossier, kind="deces_conjoint", source=" ", origin="agent", by=worker
        )
    with pytest.raises(ValidationError, match="Motif"):
        services.signalement_create(
            dossier=dossier, kind="inconnu", source="Accueil", origin="agent", by=worker
        )
    assert not Signalement.objects.filter(dossier=dossier).exists()
    made = services.signalement_create(
        dossier=dossier, kind="deces_conjoint", source="Accueil d'Évry", origin="agent", by=worker
    )
    assert made.created_by == worker
    assert AuditEntry.objects.filter(action="social.signalement", dossier=dossier, actor=worker).count() == 1


def test_a_call_back_never_expires_unanswered_and_a_cancelled_referral_leaves_the_partner():
    violence = SignalementFactory(violences=True)
    worker = social_worker()
    services.signalement_propose(signalement=violence, by=worker)
    assert services.offers_expire(today=timezone.localdate() + timedelta(days=60)) == 0
    assert Signalement.objects.get(pk=violence.pk).state == lifecycle.PROPOSE
    accompaniment = accepted()
    partner = PartnerFactory(with_account=True)
    referral = services.referral_create(
        accompaniment=accompaniment,
        partner=partner,
        purpose="Médiation",
        contact="06 00 00 00 00",
        consent_on=timezone.localdate(),
        by=accompaniment.worker,
    )
    member = partner.members.get()
    assert list(selectors.partner_referrals(member)) == [referral]
    services.referral_act(
        referral=referral, action="annuler", by=accompaniment.worker, reason="Accord retiré"
    )
    assert list(selectors.partner_referrals(member)) == []


def test_a_double_submit_makes_one_referral_and_one_objective():
    accompaniment = accepted()
    worker = accompaniment.worker
    partner = PartnerFactory(with_account=True)
    sent = {
        "accompaniment": accompaniment,
        "partner": partner,
        "purpose": "Médiation familiale",
        "contact": "06 12 34 56 78",
        "consent_on": timezone.localdate(),
        "by": worker,
    }
    first, second = services.referral_create(**sent), services.referral_create(**sent)
    assert first.pk == second.pk and Referral.objects.count() == 1
    assert AuditEntry.objects.filter(action="social.orientation").count() == 1
    services.referral_act(referral=first, action="decliner", by=partner.members.get(), reason="Complet")
    assert services.referral_create(**sent).pk != first.pk  # declined: a new one may be sent

    text = "Obtenir une date de médiation"
    one = services.objective_add(accompaniment=accompaniment, text=text, by=worker)
    assert services.objective_add(accompaniment=accompaniment, text=f" {text} ", by=worker).pk == one.pk
    assert Objective.objects.filter(accompaniment=accompaniment).count() == 1


def test_an_interview_or_a_consent_dated_before_the_accompaniment_is_refused():
    accompaniment = accepted()
    worker = accompaniment.worker
    long_ago = timezone.now() - timedelta(days=400)
    with pytest.raises(ValidationError, match="ne peut pas précéder l'accompagnement"):
        services.interview_plan(
            accompaniment=accompaniment, on=long_ago, mode="telephone", place="", by=worker
        )
    with pytest.raises(ValidationError, match="pendant l'accompagnement"):
        services.referral_create(
            accompaniment=accompaniment,
            partner=PartnerFactory(),
            purpose="Médiation familiale",
            contact="06 12 34 56 78",
            consent_on=long_ago.date(),
            by=worker,
        )
    assert not accompaniment.interviews.exists() and not Referral.objects.exists()
