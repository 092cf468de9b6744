"""The IFPA cycle over several months, day by day, with real camt statements in and pain files out.

Each scenario runs `run_day` (what `ifpa daily` runs) on the days that matter and checks, after
every day, that `ifpa check` is ok (see cycle_helpers.day).
"""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from parcours.accounts.models import Role
from parcours.core.transitions import replayed_state
from parcours.intermediation.cycle.asf import asf_per_child_cents
from parcours.intermediation.models import (
    AsfAdvance,
    Due,
    ForcedRecovery,
    Intermediation,
    IntermediationTransition,
    Payout,
    RecoveryTransition,
    Revaluation,
    UnpaidNotice,
)
from parcours.intermediation.rules.revaluation import index_value, reference_month
from parcours.intermediation.selectors.ledger import account_balances
from parcours.intermediation.services import intermediation_end
from tests.factories import UserFactory

from .cycle_helpers import day, due, make_intermediation, payment, refreshed


def AGENT():
    return UserFactory(role=Role.AGENT_ARIPA, departement="91")


pytestmark = pytest.mark.django_db

JAN, FEB = date(2026, 1, 1), date(2026, 2, 1)


def pension_payouts(intermediation: Intermediation) -> list[tuple[date, int]]:
    return list(
        Payout.objects.filter(intermediation=intermediation, kind="pension")
        .order_by("on")
        .values_list("on", "amount_cents")
    )


def test_on_time_the_creditor_is_paid_the_next_business_day(tmp_path):
    _, inter = make_intermediation(amount="150.00")
    day(tmp_path, date(2026, 1, 2))
    assert due(inter, JAN).amount_cents == 15000 and due(inter, JAN).due_on == date(2026, 1, 5)
    day(tmp_path, date(2026, 1, 6), [payment(inter, 15000, date(2026, 1, 5), month=JAN)])
    assert due(inter, JAN).paid_cents == 15000
    assert pension_payouts(inter) == []  # received on the 6th: paid on the next business day
    summary = day(tmp_path, date(2026, 1, 7))
    assert pension_payouts(inter) == [(date(2026, 1, 7), 15000)]
    assert summary["payouts"] == 1 and any(name.endswith(".pain.001.xml") for name in summary["files"])
    day(tmp_path, date(2026, 1, 12))
    assert not UnpaidNotice.objects.filter(intermediation=inter).exists()
    assert refreshed(inter).recovery_state == "normal"
    balances = account_balances([f"debtor:{inter.pk}", f"creditor:{inter.pk}"])
    assert balances == {f"debtor:{inter.pk}": 0, f"creditor:{inter.pk}": 0}


def test_re_running_a_day_or_re_importing_a_statement_changes_nothing(tmp_path):
    _, inter = make_intermediation(amount="150.00")
    day(tmp_path, date(2026, 1, 2))
    lines = [payment(inter, 15000, date(2026, 1, 5), month=JAN)]
    from parcours.intermediation.cycle.check import ledger_check
    from parcours.intermediation.cycle.daily import run_day

    from .cycle_helpers import statement

    path = statement(tmp_path, date(2026, 1, 6), lines)
    first = run_day(date(2026, 1, 6), [path], tmp_path / "out")
    before = ledger_check()
    again = run_day(date(2026, 1, 6), [path], tmp_path / "out")
    assert first["lines_imported"] == 1 and again["statements_already_imported"] == 1
    assert ledger_check() == before
    run_day(date(2026, 1, 7), [], tmp_path / "out")
    run_day(date(2026, 1, 7), [], tmp_path / "out")
    assert pension_payouts(inter) == [(date(2026, 1, 7), 15000)]


def test_late_payment_gets_a_notice_then_clears_it(tmp_path):
    _, inter = make_intermediation(amount="150.00")
    day(tmp_path, date(2026, 1, 2))
    day(tmp_path, date(2026, 1, 10))
    notice = UnpaidNotice.objects.get(intermediation=inter)
    assert (notice.sent_on, notice.pay_by, notice.amount_cents) == (
        date(2026, 1, 10),
        date(2026, 1, 25),
        15000,
    )
    assert refreshed(inter).recovery_state == "notice"
    day(tmp_path, date(2026, 1, 21), [payment(inter, 15000, date(2026, 1, 20), month=JAN)])
    day(tmp_path, date(2026, 1, 22))
    assert pension_payouts(inter) == [(date(2026, 1, 22), 15000)]
    day(tmp_path, date(2026, 1, 27))
    assert refreshed(inter).recovery_state == "normal"
    assert not ForcedRecovery.objects.filter(intermediation=inter).exists()


def test_partial_payment_is_passed_on_and_the_rest_is_followed_up(tmp_path):
    _, inter = make_intermediation(amount="150.00")
    day(tmp_path, date(2026, 1, 2))
    day(tmp_path, date(2026, 1, 6), [payment(inter, 10000, date(2026, 1, 5), month=JAN)])
    day(tmp_path, date(2026, 1, 7))
    assert pension_payouts(inter) == [(date(2026, 1, 7), 10000)]
    day(tmp_path, date(2026, 1, 10))
    assert UnpaidNotice.objects.get(intermediation=inter).amount_cents == 5000


def test_payments_go_to_the_oldest_due_first(tmp_path):
    _, inter = make_intermediation(amount="150.00")
    day(tmp_path, date(2026, 1, 2))
    day(tmp_path, date(2026, 2, 2))
    # 200 € paid in February, labelled for February: January is older, it is paid first.
    day(tmp_path, date(2026, 2, 6), [payment(inter, 20000, date(2026, 2, 5), month=FEB)])
    assert (due(inter, JAN).paid_cents, due(inter, FEB).paid_cents) == (15000, 5000)


def test_missing_then_forced_recovery_then_six_paid_months_lift_it(tmp_path):
    _, inter = make_intermediation(amount="150.00", employer="BOULANGERIE DUPONT")
    day(tmp_path, date(2026, 1, 2))
    day(tmp_path, date(2026, 1, 10))
    assert refreshed(inter).recovery_state == "notice"
    day(tmp_path, date(2026, 1, 26))
    forced = ForcedRecovery.objects.get(intermediation=inter)
    assert forced.third_party == "employeur" and forced.arrears_cents == 15000 and forced.lifted_on is None
    assert refreshed(inter).recovery_state == "forced"
    # The employer pays the arrears and then every month on time, from February to July.
    day(tmp_path, date(2026, 2, 2), [payment(inter, 15000, date(2026, 1, 30), month=JAN)])
    for month in range(2, 8):
        first = date(2026, month, 1)
        day(tmp_path, date(2026, month, 2) if month != 5 else date(2026, 5, 4))
        day(tmp_path, date(2026, month, 6), [payment(inter, 15000, date(2026, month, 5), month=first)])
        day(tmp_path, date(2026, month, 12))
        lifted = ForcedRecovery.objects.get(pk=forced.pk).lifted_on
        assert (lifted is not None) == (month == 7), month
    assert refreshed(inter).recovery_state == "normal"
    assert all(d.paid_cents == d.amount_cents for d in Due.objects.filter(intermediation=inter))
    assert list(inter.events.order_by("id").values_list("action", flat=True)) == ["ouverture"]
    moves = list(inter.recovery_transitions.order_by("id").values_list("action", "source", "target"))
    assert moves == [
        ("relance", "normal", "notice"),
        ("recouvrement_force", "notice", "forced"),
        ("levee", "forced", "normal"),
    ]
    assert replayed_state(RecoveryTransition, inter) == refreshed(inter).recovery_state


def test_asf_is_advanced_when_unpaid_and_recovered_from_the_debtor(tmp_path):
    _, inter = make_intermediation(amount="300.00", asf_eligible=True)
    per_child = asf_per_child_cents(JAN)
    assert 19_900 <= per_child <= 19_920  # ASF partial rate, 2025-04 amounts (DOMAIN.md §3)
    day(tmp_path, date(2026, 1, 2))
    summary = day(tmp_path, date(2026, 1, 12))
    advance = AsfAdvance.objects.get(due__intermediation=inter)
    assert advance.amount_cents == per_child and summary["asf_advances"] == 1
    assert Payout.objects.get(intermediation=inter, kind="asf").amount_cents == per_child
    assert account_balances([f"asf_advanced:{inter.pk}"]) == {f"asf_advanced:{inter.pk}": per_child}
    # The debtor pays in full later: the creditor gets the rest, the Caf its advance back.
    day(tmp_path, date(2026, 1, 20), [payment(inter, 30000, date(2026, 1, 19), month=JAN)])
    day(tmp_path, date(2026, 1, 21))
    assert pension_payouts(inter) == [(date(2026, 1, 21), 30000 - per_child)]
    assert account_balances([f"asf_advanced:{inter.pk}"]) == {f"asf_advanced:{inter.pk}": 0}


def test_the_pension_is_revalued_on_the_anniversary(tmp_path):
    _, inter = make_intermediation(amount="200.00", issued_on=date(2025, 2, 10), start_on=date(2025, 3, 1))
    assert refreshed(inter).first_revaluation_on == date(2026, 3, 1)
    day(tmp_path, date(2026, 2, 2))
    assert due(inter, FEB).amount_cents == 20000
    day(tmp_path, date(2026, 3, 2))
    base = index_value("001763852", reference_month(date(2025, 3, 1)))
    new = index_value("001763852", reference_month(date(2026, 3, 1)))
    expected = int((20000 * new / base).quantize(1, rounding="ROUND_HALF_UP"))
    assert due(inter, date(2026, 3, 1)).amount_cents == expected != 20000
    assert Revaluation.objects.get(intermediation=inter).to_cents == expected
    day(tmp_path, date(2026, 3, 3))
    assert Revaluation.objects.filter(intermediation=inter).count() == 1


def test_violence_opens_despite_a_refusal_and_forbids_the_end():
    _titre, inter = make_intermediation(refused=True, violence=True)
    assert inter is not None and inter.opened_how == "automatique"
    with pytest.raises(ValidationError) as refused:
        intermediation_end(
            intermediation=inter, on=date(2026, 3, 1), other_parent_consents=True, reason="accord", by=AGENT()
        )
    assert "violences" in refused.value.message_dict["intermediation"][0]
    assert refreshed(inter).status == "active"


def test_a_joint_refusal_in_the_titre_means_no_intermediation():
    titre, inter = make_intermediation(refused=True)
    assert inter is None and not titre.intermediations.exists()


def test_an_older_titre_opens_only_on_request():
    _titre, inter = make_intermediation(
        issued_on=date(2021, 6, 1), start_on=date(2021, 7, 1), kind="acte_notarie"
    )
    assert inter is None


def test_end_needs_the_other_parents_consent_and_stops_the_dues(tmp_path):
    _, inter = make_intermediation()
    day(tmp_path, date(2026, 1, 2))
    with pytest.raises(ValidationError) as refused:
        intermediation_end(
            intermediation=inter,
            on=date(2026, 1, 20),
            other_parent_consents=False,
            reason="demande",
            by=AGENT(),
        )
    assert "accord de l'autre parent" in refused.value.message_dict["intermediation"][0]
    intermediation_end(
        intermediation=inter,
        on=date(2026, 1, 20),
        other_parent_consents=True,
        reason="accord des deux",
        by=AGENT(),
    )
    day(tmp_path, date(2026, 2, 2))
    assert not Due.objects.filter(intermediation=inter, month=FEB).exists()
    assert inter.status_transitions.filter(action="fin", source="active", target="ended").exists()
    assert replayed_state(IntermediationTransition, inter) == refreshed(inter).status == "ended"


def test_an_unknown_payment_waits_in_suspense_until_an_agent_assigns_it(tmp_path):
    from parcours.intermediation.models import BankLine
    from parcours.intermediation.services import suspense_resolve

    _, inter = make_intermediation(amount="150.00")
    day(tmp_path, date(2026, 1, 2))
    stranger = payment(inter, 15000, date(2026, 1, 5), reference=False, iban="FR7630003000011234567890168")
    day(tmp_path, date(2026, 1, 6), [stranger])
    line = BankLine.objects.get(line_key=stranger.line_key)
    assert line.status == "suspense" and due(inter, JAN).paid_cents == 0
    suspense_resolve(line=line, intermediation=inter, on=date(2026, 1, 6))
    day(tmp_path, date(2026, 1, 7))
    assert due(inter, JAN).paid_cents == 15000
    day(tmp_path, date(2026, 1, 8))
    assert pension_payouts(inter) == [(date(2026, 1, 8), 15000)]


def test_a_payment_without_reference_is_matched_by_iban_and_amount(tmp_path):
    _, inter = make_intermediation(amount="150.00")
    day(tmp_path, date(2026, 1, 2))
    summary = day(tmp_path, date(2026, 1, 6), [payment(inter, 15000, date(2026, 1, 5), reference=False)])
    assert summary["matched_by_amount"] == 1 and due(inter, JAN).paid_cents == 15000


def test_a_direct_debit_is_scheduled_in_a_pain_008(tmp_path):
    _, inter = make_intermediation(amount="150.00", debit=True)
    summary = day(tmp_path, date(2026, 1, 2))
    assert summary["debits_scheduled"] == 1
    assert any(name.endswith(".pain.008.xml") for name in summary["files"])
    assert due(inter, JAN).collection.sequence == "FRST"


def test_it_ends_by_itself_when_no_pension_is_due_and_nothing_is_owed(tmp_path):
    _, inter = make_intermediation(amount="150.00", end_on=date(2026, 2, 1))
    day(tmp_path, date(2026, 1, 2))
    day(tmp_path, date(2026, 2, 2))
    assert refreshed(inter).status == "active"  # January is still owed
    day(tmp_path, date(2026, 2, 6), [payment(inter, 15000, date(2026, 2, 5), month=JAN)])
    assert not Due.objects.filter(intermediation=inter, month=FEB).exists()
    ended = refreshed(inter)
    assert ended.status == "ended" and ended.ended_on == date(2026, 2, 6)
    assert inter.status_transitions.filter(action="fin_automatique", system_actor="ifpa daily").exists()
    day(tmp_path, date(2026, 2, 9))
    assert pension_payouts(inter) == [(date(2026, 2, 9), 15000)]  # what was collected is still paid


def test_an_old_notice_paid_in_time_does_not_force_recovery_on_a_new_one(tmp_path):
    """Regression (review): January noticed then paid, February unpaid: forced recovery only once
    February's own 15 days have passed."""
    _, inter = make_intermediation(amount="150.00")
    day(tmp_path, date(2026, 1, 2))
    day(tmp_path, date(2026, 1, 10))
    day(tmp_path, date(2026, 1, 21), [payment(inter, 15000, date(2026, 1, 20), month=JAN)])
    day(tmp_path, date(2026, 1, 27))
    day(tmp_path, date(2026, 2, 2))
    day(tmp_path, date(2026, 2, 10))
    assert refreshed(inter).recovery_state == "notice" and not ForcedRecovery.objects.exists()
    day(tmp_path, date(2026, 2, 25))
    assert not ForcedRecovery.objects.exists()
    day(tmp_path, date(2026, 2, 26))
    assert ForcedRecovery.objects.get(intermediation=inter).arrears_cents == 15000


def test_re_running_a_past_day_does_not_change_what_the_creditor_is_paid(tmp_path):
    """Regression (review): money collected after a day is not that day's to pay."""
    _, inter = make_intermediation(amount="150.00")
    day(tmp_path, date(2026, 1, 2))
    day(tmp_path, date(2026, 1, 6), [payment(inter, 5000, date(2026, 1, 5), month=JAN)])
    day(tmp_path, date(2026, 1, 7), [payment(inter, 3000, date(2026, 1, 6), month=JAN)])
    day(tmp_path, date(2026, 1, 8), [payment(inter, 7000, date(2026, 1, 7), month=JAN)])
    day(tmp_path, date(2026, 1, 7))  # re-run of a past day
    day(tmp_path, date(2026, 1, 9))
    assert pension_payouts(inter) == [
        (date(2026, 1, 7), 5000),
        (date(2026, 1, 8), 3000),
        (date(2026, 1, 9), 7000),
    ]


def test_a_mandate_has_one_first_debit_even_when_two_dues_are_collected_together(tmp_path):
    _, inter = make_intermediation(
        amount="150.00", debit=True, issued_on=date(2026, 1, 20), start_on=date(2026, 1, 1)
    )
    day(tmp_path, date(2026, 2, 3))
    sequences = sorted(
        Due.objects.filter(intermediation=inter)
        .order_by("month")
        .values_list("month", "collection__sequence")
    )
    assert sequences == [(JAN, "FRST"), (FEB, "RCUR")]


def test_an_asf_advance_decided_on_a_saturday_is_transferred_on_the_monday(tmp_path):
    _, inter = make_intermediation(amount="300.00", asf_eligible=True)
    day(tmp_path, date(2026, 1, 2))
    day(tmp_path, date(2026, 1, 10))  # a Saturday
    assert Payout.objects.get(intermediation=inter, kind="asf").on == date(2026, 1, 12)


def test_a_statement_of_another_account_is_refused_and_nothing_is_imported(tmp_path):
    from dataclasses import replace as _replace

    from parcours.intermediation.bank import Account, BankFileError, statement_xml
    from parcours.intermediation.cycle.daily import run_day
    from parcours.intermediation.models import BankLine

    _, inter = make_intermediation(amount="150.00")
    path = tmp_path / "autre-compte.xml"
    path.write_bytes(
        statement_xml(
            message_id="AUTRE-1",
            created_at=timezone.now(),
            account=Account("UNE AUTRE ASSOCIATION", "FR7630003000011234567890168"),
            from_date=date(2026, 1, 5),
            to_date=date(2026, 1, 5),
            lines=[_replace(payment(inter, 15000, date(2026, 1, 5), month=JAN))],
        )
    )
    with pytest.raises(BankFileError, match="pas le compte de la Caf"):
        run_day(date(2026, 1, 6), [path], tmp_path / "out")
    assert not BankLine.objects.exists()


def test_a_transfer_of_ours_coming_back_is_never_taken_for_the_debtors_money(tmp_path):
    from dataclasses import replace as _replace

    from parcours.intermediation.models import BankLine

    _, inter = make_intermediation(amount="150.00")
    day(tmp_path, date(2026, 1, 2))
    returned = _replace(
        payment(inter, 15000, date(2026, 1, 5), month=JAN),
        end_to_end_id=f"payout:{inter.pk}:2025-12-08",
        remittance=f"RETOUR Pension alimentaire {inter.reference} versée par la Caf",
        counterparty_iban="FR7630006000011234567890189",
    )
    day(tmp_path, date(2026, 1, 6), [returned])
    assert BankLine.objects.get(line_key=returned.line_key).status == "suspense"
    assert due(inter, JAN).paid_cents == 0
