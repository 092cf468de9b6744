"""The IFPA pages: an ARIPA agent's intermediations and suspense account, and each parent's side.

Intermediations are built through the services and run through real IFPA days (cycle_helpers);
staff are signed in past the second factor, as in production.
"""

from __future__ import annotations

from datetime import date
from html import unescape

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from parcours.accounts.models import AuditEntry, Role
from parcours.intermediation.cycle.check import ledger_check
from parcours.intermediation.models import BankLine, Intermediation, LedgerTransaction
from tests.accounts.helpers import parent_of, sign_in_verified, user_with_role
from tests.core.html import unlabelled_inputs
from tests.factories import UserFactory

from .cycle_helpers import CREDITOR_IBAN, DEBTOR_IBAN, day, make_intermediation, payment, refreshed

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"
JAN = date(2026, 1, 1)
LIST_URL = "/pension-alimentaire/agent/intermediations/"
SUSPENSE_URL = "/pension-alimentaire/agent/compte-d-attente/"
PARENT_URL = "/pension-alimentaire/ma-pension/"
EMPLOYER = "BOULANGERIE DUPONT"
UNKNOWN_IBAN = "DE89370400440532013000"


def text(response) -> str:
    """The page as a person reads it (entities such as &#x27; unescaped)."""
    return unescape(response.content.decode())


def detail_url(intermediation: Intermediation) -> str:
    return f"{LIST_URL}{intermediation.reference}/"


def aripa(client, departement: str = "91"):
    agent = user_with_role(Role.AGENT_ARIPA, departement=departement)
    sign_in_verified(client, agent)
    return agent


@pytest.fixture
def paid_january(tmp_path):
    """An intermediation of the 91 whose January was paid on time and passed on to the creditor."""
    titre, inter = make_intermediation(amount="150.00", employer=EMPLOYER)
    day(tmp_path, date(2026, 1, 2))
    day(tmp_path, date(2026, 1, 6), [payment(inter, 15000, date(2026, 1, 5), month=JAN)])
    day(tmp_path, date(2026, 1, 7))
    return titre, refreshed(inter)


@pytest.fixture
def unpaid_january(tmp_path):
    """An intermediation whose January due was missed: the debtor got a notice."""
    titre, inter = make_intermediation(amount="150.00", employer=EMPLOYER, asf_eligible=True)
    day(tmp_path, date(2026, 1, 2))
    day(tmp_path, date(2026, 1, 12))
    return titre, refreshed(inter)


@pytest.fixture
def waiting_line(tmp_path):
    """A credit nobody could be matched to (no reference, unknown IBAN): in the suspense account."""
    _, inter = make_intermediation(amount="150.00")
    day(tmp_path, date(2026, 1, 2))
    line = payment(inter, 4321, date(2026, 1, 5), reference=False, iban=UNKNOWN_IBAN)
    day(tmp_path, date(2026, 1, 6), [line])
    waiting = BankLine.objects.get(status="suspense")
    return inter, waiting


# --- The agent's intermediation page ------------------------------------------------------------


def test_the_agent_sees_the_schedule_the_ledger_and_the_balances(client, paid_january):
    titre, inter = paid_january
    agent = aripa(client)
    response = client.get(detail_url(inter))
    assert response.status_code == 200
    html = text(response)
    assert f"<h1>Intermédiation {inter.reference}</h1>" in html
    # Parents, children and amounts of the titre.
    assert str(titre.creditor) in html and str(titre.debtor) in html
    child = titre.children.get().child
    assert str(child) in html
    # The schedule: January, due on the 5th, 150 € due and paid.
    assert "01/2026" in html and "5 janvier 2026" in html
    assert f"150,00{NBSP}€" in html
    # The ledger: the due, the receipt and the payout, each with its entries, and the balances.
    for label in ("Échéance due", "Encaissement", "Reversement au créancier"):
        assert label in html
    # Accounts and movements in French, never as their codes.
    assert "Débiteur" in html and "Créancier" in html and "Banque de la Caf" in html
    assert "Échéance de janvier 2026" in html and "Reversement au créancier du 7 janvier 2026" in html
    assert f"debtor:{inter.pk}" not in html and "caf_bank" not in html and "due:" not in html
    assert "7 janvier 2026" in html  # the payout to the creditor
    assert EMPLOYER in html  # the agent sees the debtor's employer; the creditor never does
    assert DEBTOR_IBAN not in html  # bank details are masked even for the agent
    entry = AuditEntry.objects.get(actor=agent)
    assert (entry.action, entry.dossier, entry.allowed) == ("dossier.read", titre.creditor_dossier, True)
    assert inter.reference in entry.context


def test_the_intermediation_page_needs_the_same_queries_month_after_month(client, tmp_path):
    _, inter = make_intermediation(amount="150.00", debit=True)
    aripa(client)
    counts = []
    for month in (1, 2, 3):
        first = date(2026, month, 1)
        day(tmp_path, date(2026, month, 2))
        day(tmp_path, date(2026, month, 6), [payment(inter, 15000, date(2026, month, 5), month=first)])
        day(tmp_path, date(2026, month, 9))
        with CaptureQueriesContext(connection) as captured:
            assert client.get(detail_url(inter)).status_code == 200
        counts.append(len(captured))
    # More dues, movements, debits and payouts every month; never more queries.
    assert counts[1] == counts[2] and counts[0] >= counts[1]


def test_notices_forced_recovery_and_asf_are_on_the_agent_page(client, unpaid_january, tmp_path):
    _, inter = unpaid_january
    day(tmp_path, date(2026, 1, 26))  # the notice's 15 days are over: forced recovery
    aripa(client)
    html = text(client.get(detail_url(inter)))
    assert "12 janvier 2026" in html  # the notice
    assert "Recouvrement forcé" in html and "Employeur" in html and "en cours" in html
    assert "Allocation de soutien familial (ASF)" in html  # the ASF advance paid to the creditor
    assert "ASF avancée" in html and "Avance d'ASF sur l'échéance de janvier 2026" in html
    assert f"asf_advanced:{inter.pk}" not in html


def test_an_agent_of_another_territory_is_refused_and_the_attempt_audited(client, paid_january):
    titre, inter = paid_january
    agent = aripa(client, departement="75")
    response = client.get(detail_url(inter))
    assert response.status_code == 404  # as an unknown reference: nothing tells it exists
    assert str(titre.debtor) not in text(response)
    entry = AuditEntry.objects.get(actor=agent)
    assert (entry.action, entry.dossier, entry.allowed) == (
        "dossier.read_refused",
        titre.creditor_dossier,
        False,
    )
    # Nor does it appear in that agent's list.
    assert inter.reference not in text(client.get(LIST_URL))


def test_an_unknown_reference_is_not_found(client):
    aripa(client)
    assert client.get(f"{LIST_URL}IF999999999/").status_code == 404
    assert client.get(f"{LIST_URL}IF12/").status_code == 404


@pytest.mark.parametrize(
    "role",
    [Role.PARENT, Role.AGENT_PRESTATIONS, Role.TRAVAILLEUR_SOCIAL, Role.MANAGER, Role.PARTNER, Role.ADMIN],
)
def test_no_other_role_opens_the_agents_pages(client, paid_january, role):
    titre, inter = paid_january
    user = parent_of(titre.creditor_dossier) if role == Role.PARENT else user_with_role(role)
    sign_in_verified(client, user)
    for url in (LIST_URL, detail_url(inter), SUSPENSE_URL):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Accès refusé" in text(response)
    # The refusal on the intermediation's page is audited against the creditor's dossier.
    assert list(AuditEntry.objects.filter(actor=user).values_list("dossier", "allowed")) == [
        (titre.creditor_dossier.pk, False)
    ]


def test_signed_out_visitors_are_sent_to_sign_in(client, paid_january):
    _, inter = paid_january
    for url in (LIST_URL, detail_url(inter), SUSPENSE_URL, PARENT_URL):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/compte/connexion/"), url


# --- The agent's list ---------------------------------------------------------------------------


def test_the_list_searches_by_reference_or_numero_and_filters_by_recovery(client, paid_january, tmp_path):
    titre, inter = paid_january
    _, late = make_intermediation(amount="90.00")
    day(tmp_path, date(2026, 1, 12))  # late's January is unpaid: notice
    assert refreshed(late).recovery_state == "notice"
    aripa(client)
    html = text(client.get(LIST_URL))
    assert inter.reference in html and late.reference in html
    assert unlabelled_inputs(html) == []
    html = text(client.get(LIST_URL, {"q": inter.reference.lower()}))
    assert inter.reference in html and late.reference not in html
    html = text(client.get(LIST_URL, {"q": titre.creditor_dossier.numero_allocataire}))
    assert inter.reference in html and late.reference not in html
    html = text(client.get(LIST_URL, {"recovery": "notice"}))
    assert inter.reference not in html and late.reference in html
    html = text(client.get(LIST_URL, {"q": "Dupont"}))
    assert "IF suivi de 9 chiffres" in html and "fr-error-text" in html
    assert inter.reference not in html


def test_the_list_needs_the_same_queries_for_2_or_12_intermediations(client):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(LIST_URL)
        assert response.status_code == 200
        return len(captured)

    for _ in range(2):
        make_intermediation()
    aripa(client)
    client.get(LIST_URL)  # the session and the second factor, once
    few = queries()
    for _ in range(10):
        make_intermediation()
    many = queries()
    assert Intermediation.objects.count() == 12
    assert many == few


# --- The suspense account -----------------------------------------------------------------------


def test_the_suspense_account_lists_the_waiting_credits(client, waiting_line):
    _, line = waiting_line
    aripa(client)
    html = text(client.get(SUSPENSE_URL))
    assert f"43,21{NBSP}€" in html and "5 janvier 2026" in html
    assert line.counterparty_name in html and line.remittance in html
    assert unlabelled_inputs(html) == []


def test_a_waiting_credit_is_assigned_to_an_intermediation(client, waiting_line):
    inter, line = waiting_line
    agent = aripa(client)
    response = client.post(
        f"{SUSPENSE_URL}{line.pk}/affecter/", {f"ligne{line.pk}-reference": inter.reference}, follow=True
    )
    assert response.status_code == 200
    assert "est affecté à l'intermédiation" in text(response)
    line.refresh_from_db()
    assert (line.status, line.intermediation_id, line.matched_by) == ("resolved", inter.pk, "agent")
    assert refreshed(inter).credit_cents == 4321
    assert ledger_check()["ok"]
    assert AuditEntry.objects.filter(actor=agent, action="ifpa.suspense_resolve").count() == 1


def test_a_waiting_credit_is_refunded(client, waiting_line):
    _, line = waiting_line
    aripa(client)
    response = client.post(f"{SUSPENSE_URL}{line.pk}/rembourser/", follow=True)
    assert "sera remboursé à son émetteur" in text(response)
    line.refresh_from_db()
    assert line.status == "refunded"
    assert ledger_check()["ok"]
    # Twice is refused, in French, and changes nothing.
    before = LedgerTransaction.objects.count()
    response = client.post(f"{SUSPENSE_URL}{line.pk}/rembourser/", follow=True)
    assert "n'est plus en compte d'attente" in text(response)
    assert LedgerTransaction.objects.count() == before


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("", "Indiquez la référence de l'intermédiation à créditer."),
        ("IF12", "les lettres IF suivies de 9 chiffres"),
        ("IF999999999", "Aucune intermédiation de votre territoire ne porte cette référence."),
        ("elsewhere", "Aucune intermédiation de votre territoire ne porte cette référence."),
    ],
)
def test_a_bad_assignment_is_refused_in_french_and_changes_nothing(client, waiting_line, typed, error):
    inter, line = waiting_line
    if typed == "elsewhere":  # an agent of the 75 names an intermediation of the 91
        aripa(client, departement="75")
        typed = inter.reference
    else:
        aripa(client)
    before = (LedgerTransaction.objects.count(), refreshed(inter).credit_cents)
    response = client.post(f"{SUSPENSE_URL}{line.pk}/affecter/", {f"ligne{line.pk}-reference": typed})
    if typed == inter.reference:  # the 75's agent: the 91 Caf's suspense account is not theirs
        assert response.status_code == 404
    else:
        assert response.status_code == 200
        html = text(response)
        assert error in html and "n'a pas été affecté" in html
    line.refresh_from_db()
    assert line.status == "suspense" and line.intermediation_id is None
    assert (LedgerTransaction.objects.count(), refreshed(inter).credit_cents) == before


def test_the_suspense_forms_need_the_csrf_token(waiting_line):
    inter, line = waiting_line
    client = Client(enforce_csrf_checks=True)
    aripa(client)
    response = client.post(
        f"{SUSPENSE_URL}{line.pk}/affecter/", {f"ligne{line.pk}-reference": inter.reference}
    )
    assert response.status_code == 403
    assert client.post(f"{SUSPENSE_URL}{line.pk}/rembourser/").status_code == 403
    line.refresh_from_db()
    assert line.status == "suspense"


def test_the_suspense_actions_are_post_only(client, waiting_line):
    _, line = waiting_line
    aripa(client)
    assert client.get(f"{SUSPENSE_URL}{line.pk}/rembourser/").status_code == 405
    line.refresh_from_db()
    assert line.status == "suspense"


# --- The parents' side --------------------------------------------------------------------------


def test_the_creditor_sees_dues_receipts_and_payouts_but_nothing_of_the_debtors_bank(client, paid_january):
    titre, inter = paid_january
    client.force_login(parent_of(titre.creditor_dossier))
    response = client.get(PARENT_URL)
    assert response.status_code == 200
    html = text(response)
    assert inter.reference in html
    assert "01/2026" in html and f"150,00{NBSP}€" in html
    assert "7 janvier 2026" in html  # paid to them
    assert "Pension collectée" in html
    for secret in (DEBTOR_IBAN, DEBTOR_IBAN[-4:], "M. DEBITEUR", EMPLOYER, "RUM-"):
        assert secret not in html, secret


def test_the_creditor_sees_the_asf_advanced(client, unpaid_january):
    titre, _ = unpaid_january
    client.force_login(parent_of(titre.creditor_dossier))
    html = text(client.get(PARENT_URL))
    assert "Allocation de soutien familial (ASF)" in html
    assert "la Caf vous verse l'ASF" in html
    assert EMPLOYER not in html


def test_the_debtor_sees_what_they_owe_the_notices_and_how_to_pay(client, unpaid_january):
    titre, inter = unpaid_january
    client.force_login(UserFactory(role=Role.PARENT, person=titre.debtor))
    response = client.get(PARENT_URL)
    assert response.status_code == 200
    html = text(response)
    assert "La pension que vous versez" in html and inter.reference in html
    _, caf_iban, _ = settings.PARCOURS_CAF_ACCOUNT
    assert caf_iban in html
    assert "12 janvier 2026" in html and "27 janvier 2026" in html  # the notice and its deadline
    assert f"{inter.reference}-202601" in html  # the due's own reference
    for secret in (CREDITOR_IBAN, CREDITOR_IBAN[-4:], "MME CREANCIERE", "12 rue des Lilas", "91000", "Évry"):
        assert secret not in html, secret
    assert "La pension que vous recevez" not in html


def test_a_parent_without_intermediation_is_told_so_and_sent_to_the_simulator(client):
    from tests.factories import household

    client.force_login(parent_of(household()))
    html = text(client.get(PARENT_URL))
    assert "Aucune intermédiation financière à votre nom" in html
    assert 'href="/pension-alimentaire/simuler/"' in html


def test_staff_do_not_open_the_parents_page(client):
    aripa(client)
    assert client.get(PARENT_URL).status_code == 403
