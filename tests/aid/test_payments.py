"""Paying the granted aids: one pain.001 valid against the XSD, from the Caf's action-sociale
account, with the right total and count; each aid "versée" with its batch; a loan's schedule; a
second run pays nothing again; the command."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone
from lxml import etree

from parcours.accounts.models import AuditEntry
from parcours.aid import lifecycle, rules, services
from parcours.aid.models import AidRequest, LoanRepayment, PaymentBatch
from parcours.intermediation.bank import validate_pain
from tests.factories.aid import LANDLORD_IBAN, budgets, committee_member, granted, request_for

pytestmark = pytest.mark.django_db
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"}


def _three_granted_one_refused():  # type: ignore[no-untyped-def]
    budgets()
    member = committee_member()
    paid = [
        granted(request_for(amount_requested_cents=40_000), member),
        granted(
            request_for(theme=rules.PETITE_ENFANCE, kind="frais_de_garde", amount_requested_cents=25_050),
            member,
        ),
        granted(
            request_for(
                kind="dette_de_loyer", form=rules.LOAN, amount_requested_cents=100_000, loan_months=3
            ),
            member,
        ),
    ]
    refused = services.aid_decide(request=request_for(), action="refuser", by=member, reason="Hors règlement")
    return paid, refused


def test_pay_builds_one_valid_pain001_with_the_total_and_count_and_a_second_run_pays_nothing():
    paid, refused = _three_granted_one_refused()
    [batch] = services.aid_pay()
    xml = batch.xml.encode("utf-8")
    validate_pain(xml)  # against sepaxml's XSD
    tree = etree.fromstring(xml)
    assert tree.findtext(".//p:GrpHdr/p:NbOfTxs", namespaces=NS) == "3" == str(batch.count)
    assert tree.findtext(".//p:GrpHdr/p:CtrlSum", namespaces=NS) == "1650.50"
    assert batch.total_cents == 165_050 == sum(r.amount_granted_cents for r in paid)
    assert tree.findtext(".//p:Dbtr/p:Nm", namespaces=NS).endswith("ACTION SOCIALE")
    assert LANDLORD_IBAN in batch.xml
    for request in paid:
        request.refresh_from_db()
        assert (request.state, request.batch, request.paid_on) == (
            lifecycle.VERSEE,
            batch,
            timezone.localdate(),
        )
    refused.refresh_from_db()
    assert refused.state == lifecycle.REFUSEE and refused.batch is None
    assert AuditEntry.objects.filter(action="aide.versement", object_id=str(batch.pk)).exists()
    assert services.batch_total_matches(batch)

    assert services.aid_pay() == []
    assert PaymentBatch.objects.count() == 1


def test_a_paid_loan_gets_its_repayment_schedule():
    paid, _ = _three_granted_one_refused()
    services.aid_pay()
    loan = paid[2]
    schedule = list(LoanRepayment.objects.filter(request=loan).values_list("number", "amount_cents"))
    assert schedule == [(1, 33_334), (2, 33_333), (3, 33_333)]
    assert not LoanRepayment.objects.exclude(request=loan).exists()


def test_an_aid_granted_after_a_batch_goes_in_the_next_one():
    _three_granted_one_refused()
    first = services.aid_pay()[0]
    late = granted(request_for(amount_requested_cents=12_300))
    [second] = services.aid_pay()
    assert second.message_id != first.message_id and second.count == 1 and second.total_cents == 12_300
    late.refresh_from_db()
    assert late.batch == second


def test_an_execution_date_in_the_past_is_refused():
    granted()
    with pytest.raises(ValidationError, match="ne peut pas être passée"):
        services.aid_pay(on=timezone.localdate() - timedelta(days=1))
    assert not PaymentBatch.objects.exists()
    assert AidRequest.objects.get().state == lifecycle.ACCORDEE


def test_the_command_pays_then_has_nothing_to_pay(capsys):
    granted()
    tomorrow = timezone.localdate() + timedelta(days=1)
    call_command("aid", "pay", "--date", tomorrow.isoformat())
    assert "1 virement(s)" in capsys.readouterr().out
    assert PaymentBatch.objects.get().execution_date == tomorrow
    call_command("aid", "pay")
    assert "Aucune aide accordée à verser." in capsys.readouterr().out
