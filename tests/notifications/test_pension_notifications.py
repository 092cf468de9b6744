"""The daily IFPA run tells the creditor parent what happened to the pension: paid to them, unpaid
(with the notice to the other parent), the ASF advanced; once each, on the channels they chose,
and only to a parent who has an account."""

from __future__ import annotations

from datetime import date

import pytest

from parcours.core.money import format_cents
from parcours.intermediation.cycle.asf import asf_per_child_cents
from parcours.intermediation.models import Payout
from parcours.notifications import services as notifications
from parcours.notifications.models import Notification
from tests.factories import UserFactory
from tests.intermediation.cycle_helpers import day, make_intermediation, payment
from tests.notifications.test_notifications import run_all

pytestmark = pytest.mark.django_db

JAN = date(2026, 1, 1)


def run(tmp_path, on, capture, lines=None):
    with capture(execute=True):
        summary = day(tmp_path, on, lines)
    run_all(capture)
    return summary


def test_the_creditor_is_told_of_the_pension_paid_then_of_the_unpaid_one_and_the_asf(
    tmp_path, smtp_server, sms_outbox, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    titre, inter = make_intermediation(amount="300.00", asf_eligible=True)
    parent = UserFactory(person=titre.creditor, email="creanciere@exemple.fr")
    notifications.preference_set(user=parent, channels="email_sms", mobile_phone="0612345678")

    # January: the debtor pays on the 5th; the Caf pays the creditor the next business day.
    run(tmp_path, date(2026, 1, 2), capture)
    run(tmp_path, date(2026, 1, 6), capture, [payment(inter, 30000, date(2026, 1, 5), month=JAN)])
    assert smtp_server.messages == []  # received today: paid (and told) tomorrow
    summary = run(tmp_path, date(2026, 1, 7), capture)
    assert summary["parents_told"] == 2  # one e-mail, one SMS
    [paid] = smtp_server.messages
    assert paid["Subject"] == "La Caf vous a versé la pension alimentaire"
    assert paid["To"] == "creanciere@exemple.fr"
    text = paid.get_content()
    assert f"{format_cents(30000)} le 7 janvier 2026" in text.replace("\n", " ")
    assert "/ma-pension/" in text

    # A re-run of the day and the next days' runs (same window) tell no one again.
    run(tmp_path, date(2026, 1, 7), capture)
    run(tmp_path, date(2026, 1, 8), capture)
    assert len(smtp_server.messages) == 1

    # February: nothing paid. The notice to the debtor and the ASF advance are told the same day.
    run(tmp_path, date(2026, 2, 2), capture)
    summary = run(tmp_path, date(2026, 2, 16), capture)
    assert summary["notices"] == 1 and summary["asf_advances"] == 1
    subjects = [m["Subject"] for m in smtp_server.messages[1:]]
    assert sorted(subjects) == [
        "La Caf vous a versé l'allocation de soutien familial",
        "La pension alimentaire n'a pas été payée",
    ]
    unpaid = next(m for m in smtp_server.messages if m["Subject"].startswith("La pension alimentaire"))
    assert f"{format_cents(30000)} restent dus" in unpaid.get_content().replace("\n", " ")
    asf = Payout.objects.get(intermediation=inter, kind="asf")
    assert asf.amount_cents == asf_per_child_cents(date(2026, 2, 1))
    advanced = next(m for m in smtp_server.messages if "soutien familial" in m["Subject"])
    assert format_cents(asf.amount_cents) in advanced.get_content()

    # Each e-mail has its SMS, which says nothing of amounts, dates or the other parent.
    sms = sms_outbox.sent()
    assert len(sms) == 3 and {message["to"] for message in sms} == {"+33612345678"}
    assert not any("€" in message["text"] or "2026" in message["text"] for message in sms)


def test_a_creditor_without_an_account_is_not_told_and_the_run_is_unchanged(
    tmp_path, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    _, inter = make_intermediation(amount="150.00")
    run(tmp_path, date(2026, 1, 2), capture)
    run(tmp_path, date(2026, 1, 6), capture, [payment(inter, 15000, date(2026, 1, 5), month=JAN)])
    summary = run(tmp_path, date(2026, 1, 7), capture)
    assert summary["payouts"] == 1 and summary["parents_told"] == 0
    assert not Notification.objects.exists()
