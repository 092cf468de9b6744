"""The Caf titre exécutoire: joint request, every reason for a refusal, silence, the PDF titre."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from parcours.accounts.models import Role
from parcours.intermediation.models import Intermediation
from parcours.intermediation.services import BankDetails
from parcours.titres.letters import titre_caf_document, titre_caf_pdf
from parcours.titres.models import TitreRequestStatus
from parcours.titres.rules import REQUIRED_DOCUMENTS
from parcours.titres.services.titre_caf import (
    RequestChild,
    titre_caf_letter,
    titre_request_create,
    titre_request_decide,
    titre_request_examine,
    titre_request_sign,
    titre_request_withdraw,
    titre_requests_by_silence,
)
from tests.core.pdf import text_of
from tests.factories import PersonFactory, UserFactory, household
from tests.factories.titres import pieces

pytestmark = pytest.mark.django_db


def AGENT():
    return UserFactory(role=Role.AGENT_ARIPA, departement="91")


BANK = {
    "debtor_bank": BankDetails("M X", "FR7630004000031234567890143"),
    "creditor_bank": BankDetails("MME Y", "FR7630006000011234567890189"),
}


def request(*, amount="220.00", union="pacs", documents=REQUIRED_DOCUMENTS, on=date(2026, 3, 2), **extra):
    dossier = household(couple=False, children=1)
    creditor = dossier.memberships.get(role="allocataire").person
    child = dossier.memberships.get(role="enfant").person
    debtor = PersonFactory(sex="M", first_names="Karim", last_name="Benali")
    return titre_request_create(
        creditor=creditor,
        debtor=debtor,
        creditor_dossier=dossier,
        union=union,
        children=[RequestChild(child, Decimal(amount), "classique")],
        debtor_monthly_resources=Decimal("1500.00"),
        children_dependent_on_debtor=1,
        documents=pieces(documents),
        signed_by=creditor,
        on=on,
        **extra,
    ), debtor


def test_a_joint_request_accepted_issues_the_titre_and_opens_the_intermediation():
    req, debtor = request()
    assert req.status == TitreRequestStatus.AWAITING_SIGNATURE
    with pytest.raises(ValidationError):
        titre_request_decide(request=req, on=date(2026, 3, 3), **BANK, by=AGENT())
    req = titre_request_sign(request=req, person=debtor, on=date(2026, 3, 4))
    assert req.status == TitreRequestStatus.SUBMITTED and req.submitted_on == date(2026, 3, 4)
    req = titre_request_decide(request=req, on=date(2026, 3, 20), **BANK, by=AGENT())
    assert req.status == TitreRequestStatus.ACCEPTED and req.titre.kind == "titre_caf"
    assert Intermediation.objects.get(titre=req.titre).monthly_amount_cents == 22000
    pdf = titre_caf_pdf(titre_caf_letter(req))
    assert pdf.startswith(b"%PDF-")
    text = text_of(titre_caf_document(titre_caf_letter(req)))
    assert "Benali" in text and "220,00" in text


def test_a_refusal_gives_every_reason_at_once():
    req, debtor = request(
        amount="150.00", union="mariage", documents=REQUIRED_DOCUMENTS - {"convention_signee"}
    )
    req = titre_request_sign(request=req, person=debtor, on=date(2026, 3, 4))
    req = titre_request_decide(request=req, on=date(2026, 3, 20), **BANK, by=AGENT())
    assert req.status == TitreRequestStatus.REFUSED and req.titre is None
    text = " ".join(req.reasons)
    assert "mariés" in text and "inférieur au seuil" in text and "Pièces manquantes" in text
    assert len(req.reasons) == 3


def test_four_months_of_silence_mean_acceptance():
    req, debtor = request()
    titre_request_sign(request=req, person=debtor, on=date(2026, 3, 4))
    assert titre_requests_by_silence(on=date(2026, 7, 3)) == []
    accepted = titre_requests_by_silence(on=date(2026, 7, 4))
    assert [r.pk for r in accepted] == [req.pk]
    assert accepted[0].status == TitreRequestStatus.ACCEPTED_BY_SILENCE and accepted[0].titre is not None


def test_only_the_two_parents_sign():
    req, _ = request()
    with pytest.raises(ValidationError):
        titre_request_sign(request=req, person=PersonFactory(), on=date(2026, 3, 4))


def test_one_open_request_per_pair_of_parents_and_two_different_parents():
    req, debtor = request()
    with pytest.raises(ValidationError) as twice:
        titre_request_create(
            creditor=req.creditor,
            debtor=debtor,
            creditor_dossier=req.creditor_dossier,
            union="pacs",
            children=[RequestChild(req.children.first().child, Decimal("220.00"), "classique")],
            debtor_monthly_resources=Decimal("1500.00"),
            children_dependent_on_debtor=1,
            signed_by=debtor,
            on=date(2026, 3, 3),
        )
    assert "déjà en cours" in twice.value.message_dict["request"][0]
    with pytest.raises(ValidationError) as same:
        titre_request_create(
            creditor=debtor,
            debtor=debtor,
            creditor_dossier=req.creditor_dossier,
            union="pacs",
            children=[RequestChild(req.children.first().child, Decimal("220.00"), "classique")],
            debtor_monthly_resources=Decimal("1500.00"),
            children_dependent_on_debtor=1,
            signed_by=debtor,
            on=date(2026, 3, 3),
        )
    assert "debtor" in same.value.message_dict


def test_the_other_parent_can_say_no_by_withdrawing_and_it_cannot_be_decided_after():
    req, debtor = request()
    withdrawn = titre_request_withdraw(request=req, person=debtor, on=date(2026, 3, 5))
    assert withdrawn.status == TitreRequestStatus.WITHDRAWN
    with pytest.raises(ValidationError):
        titre_request_sign(request=req, person=debtor, on=date(2026, 3, 6))
    assert titre_requests_by_silence(on=date(2026, 9, 1)) == []


def test_the_examination_says_what_the_decision_will_say_and_a_refusal_needs_no_bank_account():
    req, debtor = request(amount="150.00")
    req = titre_request_sign(request=req, person=debtor, on=date(2026, 3, 4))
    examined = titre_request_examine(req, on=date(2026, 3, 20))
    decided = titre_request_decide(request=req, on=date(2026, 3, 20), by=AGENT())
    assert not examined.accepted and decided.reasons == examined.reasons


def test_every_change_of_a_request_is_logged_and_its_history_replays():
    from parcours.core.transitions import history, replayed_state
    from parcours.titres.models import TitreRequestTransition

    req, debtor = request()
    req = titre_request_sign(request=req, person=debtor, on=date(2026, 3, 4))
    agent = AGENT()
    req = titre_request_decide(request=req, on=date(2026, 3, 20), by=agent, **BANK)
    assert history(TitreRequestTransition, req) == [
        ("signer", "a_signer", "deposee"),
        ("accepter", "deposee", "acceptee"),
    ]
    signed, decided = TitreRequestTransition.objects.filter(request=req).order_by("id")
    assert signed.person == debtor and decided.by == agent
    assert replayed_state(TitreRequestTransition, req) == req.status
