"""The financial aid's services: each path of a request (granted, refused, adjourned then decided,
withdrawn, paid), and each refusal: four-eyes, a non-member, over the theme's remaining budget,
over the ceiling, over the income condition, a bad IBAN — each in French, nothing written."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from parcours.accounts.models import AuditEntry
from parcours.aid import lifecycle, rules, services
from parcours.aid.models import AidBudget, AidRequest, AidTransition
from parcours.core.transitions import replayed_state
from parcours.notifications.models import Notification
from tests.accounts.helpers import parent_of
from tests.factories.accounts import UserFactory
from tests.factories.aid import AidCommitteeFactory, budgets, committee_member, granted, request_for
from tests.factories.households import DossierFactory
from tests.factories.social import accepted, social_worker

pytestmark = pytest.mark.django_db


def _snapshot() -> tuple:
    return (
        AidRequest.objects.count(),
        AidTransition.objects.count(),
        list(AidRequest.objects.order_by("pk").values_list("state", "amount_granted_cents")),
        list(AidBudget.objects.order_by("pk").values_list("amount_cents", flat=True)),
    )


def test_a_request_is_submitted_with_the_family_s_quotient_and_audited():
    dossier = DossierFactory()
    request = request_for(dossier)
    assert request.state == lifecycle.SOUMISE and request.departement == "91"
    assert request.qf_cents == 50_000  # 1 500 € for a couple with two children: 3 parts
    assert request.payee_iban.startswith("FR76")
    assert AuditEntry.objects.filter(
        action="aide.demande", dossier=dossier, object_id=str(request.pk)
    ).exists()


def test_a_request_from_an_accompaniment_of_another_family_is_refused():
    accompaniment = accepted()
    with pytest.raises(ValidationError) as error:
        request_for(DossierFactory(), worker=accompaniment.worker, accompaniment=accompaniment)
    assert "n'est pas celui de cette famille" in str(error.value)
    own = request_for(accompaniment.dossier, worker=accompaniment.worker, accompaniment=accompaniment)
    assert own.accompaniment == accompaniment


def test_granted_the_family_is_told_and_the_log_replays():
    request = request_for()
    parent = parent_of(request.dossier)
    member = committee_member()
    done = granted(request, member, cents=35_000)
    assert (done.state, done.amount_granted_cents, done.decided_by, done.budget_year) == (
        lifecycle.ACCORDEE,
        35_000,
        member,
        timezone.localdate().year,
    )
    assert replayed_state(AidTransition, done) == lifecycle.ACCORDEE
    assert Notification.objects.filter(
        user=parent, event="aide_decidee", key__contains=f"aide:{done.pk}"
    ).exists()
    assert AuditEntry.objects.filter(action="aide.decision", actor=member, allowed=True).exists()
    again = services.aid_decide(request=done, action="accorder", by=member, amount_granted_cents=35_000)
    assert again.state == lifecycle.ACCORDEE and AidTransition.objects.filter(request=done).count() == 1


def test_refused_needs_a_reason_and_adjourned_then_granted():
    budgets()
    member = committee_member()
    request = request_for()
    with pytest.raises(ValidationError, match="Un message est obligatoire"):
        services.aid_decide(request=request, action="refuser", by=member)
    refused = services.aid_decide(
        request=request, action="refuser", by=member, reason="Aide déjà reçue cette année"
    )
    assert refused.state == lifecycle.REFUSEE and refused.amount_granted_cents is None
    other = request_for()
    adjourned = services.aid_decide(request=other, action="ajourner", by=member, reason="Devis manquant")
    assert adjourned.state == lifecycle.AJOURNEE
    done = services.aid_decide(request=other, action="accorder", by=member, amount_granted_cents=20_000)
    assert done.state == lifecycle.ACCORDEE
    assert [t.action for t in done.transitions.all()] == ["ajourner", "accorder"]
    with pytest.raises(ValidationError, match="Impossible depuis l'état"):
        services.aid_decide(request=refused, action="accorder", by=member, amount_granted_cents=100)


def test_a_worker_withdraws_an_undecided_request():
    request = request_for()
    done = services.aid_request_withdraw(
        request=request, by=request.requested_by, reason="La famille a trouvé une autre solution"
    )
    assert done.state == lifecycle.RETIREE
    with pytest.raises(ValidationError):
        services.aid_decide(request=done, action="accorder", by=committee_member(), amount_granted_cents=100)


def test_a_colleague_cannot_withdraw_a_request_but_the_team_leader_can_both_audited():
    request = request_for()
    colleague = social_worker()
    before = _snapshot()
    with pytest.raises(PermissionDenied, match="Seul le travailleur social qui a fait la demande"):
        services.aid_request_withdraw(request=request, by=colleague, reason="Doublon")
    assert _snapshot() == before
    assert AuditEntry.objects.filter(action="aide.retrait", actor=colleague, allowed=False).exists()
    leader = social_worker(leader=True)
    assert (
        services.aid_request_withdraw(request=request, by=leader, reason="Doublon").state == lifecycle.RETIREE
    )
    assert AuditEntry.objects.filter(action="aide.retrait", actor=leader, allowed=True).count() == 1


def test_a_second_grant_of_another_amount_is_refused_the_first_stands():
    request = granted(cents=30_000)
    with pytest.raises(ValidationError, match="déjà accordée"):
        granted(request, cents=20_000)
    request.refresh_from_db()
    assert (request.state, request.amount_granted_cents) == (lifecycle.ACCORDEE, 30_000)
    assert granted(request, cents=30_000).amount_granted_cents == 30_000  # the same click twice


def test_four_eyes_the_member_who_requested_cannot_decide_and_the_attempt_is_audited():
    budgets()
    member = committee_member()
    request = request_for(worker=member)
    before = _snapshot()
    with pytest.raises(PermissionDenied, match="quatre yeux"):
        services.aid_decide(request=request, action="accorder", by=member, amount_granted_cents=10_000)
    assert _snapshot() == before
    entry = AuditEntry.objects.filter(action="aide.decision", actor=member).latest("id")
    assert (entry.allowed, entry.dossier_id) == (False, request.dossier_id)


def _manager_on_the_committee():  # type: ignore[no-untyped-def]
    manager = UserFactory(manager=True, departement="91")
    AidCommitteeFactory(departement="91").members.add(manager)  # by mistake, in the administration
    return manager


@pytest.mark.parametrize("who", ["worker", "agent", "other_territory", "parent", "manager"])
def test_a_non_member_cannot_decide(who):
    budgets()
    request = request_for()
    user = {
        "manager": _manager_on_the_committee,
        "worker": lambda: social_worker(),
        "agent": lambda: UserFactory(agent=True),
        "other_territory": lambda: committee_member("33"),
        "parent": lambda: parent_of(request.dossier),
    }[who]()
    before = _snapshot()
    with pytest.raises(PermissionDenied, match="membres de la commission"):
        services.aid_decide(request=request, action="accorder", by=user, amount_granted_cents=10_000)
    assert _snapshot() == before
    assert AuditEntry.objects.filter(action="aide.decision", actor=user, allowed=False).exists()


def test_an_aid_over_its_theme_s_remaining_budget_is_refused_nothing_written():
    budgets(cents=100_000)  # 1 000 € per theme
    member = committee_member()
    granted(request_for(amount_requested_cents=70_000), member)
    request = request_for(amount_requested_cents=40_000)
    notifications, audits = (
        Notification.objects.count(),
        AuditEntry.objects.filter(action="aide.decision").count(),
    )
    before = _snapshot()
    with pytest.raises(ValidationError) as error:
        services.aid_decide(request=request, action="accorder", by=member, amount_granted_cents=40_000)
    message = " ".join(error.value.messages)
    assert "il reste 300,00" in message and "Logement" in message
    assert _snapshot() == before
    assert Notification.objects.count() == notifications
    assert AuditEntry.objects.filter(action="aide.decision").count() == audits
    # What is left can still be granted; another theme's budget is untouched.
    assert (
        services.aid_decide(request=request, action="accorder", by=member, amount_granted_cents=30_000).state
        == lifecycle.ACCORDEE
    )
    vacation = request_for(
        theme=rules.ENFANCE_JEUNESSE, kind="depart_en_vacances", amount_requested_cents=40_000
    )
    assert granted(vacation, member).state == lifecycle.ACCORDEE


def test_no_budget_for_the_theme_is_refused():
    member = committee_member()
    request = request_for()
    with pytest.raises(ValidationError, match=r"Aucun budget .* n'est ouvert"):
        services.aid_decide(request=request, action="accorder", by=member, amount_granted_cents=10_000)


def test_a_grant_over_the_request_is_refused():
    budgets()
    request = request_for(amount_requested_cents=10_000)
    with pytest.raises(ValidationError, match="ne peut pas dépasser le montant demandé"):
        services.aid_decide(
            request=request, action="accorder", by=committee_member(), amount_granted_cents=10_001
        )


def test_over_the_ceiling_is_refused_at_request_time_nothing_written():
    before = _snapshot()
    with pytest.raises(ValidationError) as error:
        request_for(amount_requested_cents=100_001)
    assert "dépasse le plafond" in error.value.message_dict["amount_requested"][0]
    assert _snapshot() == before and not AuditEntry.objects.filter(action="aide.demande").exists()


def test_over_the_income_condition_is_refused_at_request_time():
    rich = DossierFactory(couple=False, children=1, salary=Decimal("4000.00"))  # QF 4 000 × 2 / 5 = 1 600 €
    with pytest.raises(ValidationError) as error:
        request_for(rich)
    assert "condition de ressources" in error.value.message_dict["quotient_familial"][0]
    assert not AidRequest.objects.exists()
    # No income condition on a collective action of a centre social.
    assert request_for(rich, theme=rules.VIE_SOCIALE, kind="action_collective", amount_requested_cents=5_000)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"payee_iban": "FR76 0000 0000 0000"}, "payee_iban"),
        ({"payee_name": "  "}, "payee_name"),
        ({"motive": ""}, "motive"),
        ({"form": rules.LOAN}, "loan_months"),
        ({"kind": "bafa"}, "kind"),
        ({"amount_requested_cents": 0}, "amount_requested"),
    ],
)
def test_bad_input_is_a_french_refusal_on_its_field(overrides, field):
    with pytest.raises(ValidationError) as error:
        request_for(**overrides)
    assert field in error.value.message_dict
    assert not AidRequest.objects.exists()


def test_only_a_social_worker_of_the_territory_requests():
    dossier = DossierFactory()
    for user in (UserFactory(agent=True), social_worker("33"), UserFactory(manager=True)):
        with pytest.raises(PermissionDenied):
            request_for(dossier, worker=user)


def test_a_budget_change_is_audited_and_cannot_fall_below_what_is_granted():
    request = granted(request_for(amount_requested_cents=50_000))
    admin = UserFactory(admin=True)
    year = request.budget_year
    with pytest.raises(ValidationError, match="déjà accordé"):
        services.budget_set(departement="91", theme=rules.LOGEMENT, year=year, amount_cents=49_999, by=admin)
    services.budget_set(departement="91", theme=rules.LOGEMENT, year=year, amount_cents=60_000, by=admin)
    assert AidBudget.objects.get(theme=rules.LOGEMENT, year=year).amount_cents == 60_000
    assert AuditEntry.objects.filter(action="aide.budget", actor=admin).count() == 1
