"""The intermediation in a real browser: the ARIPA agent follows an unpaid pension and works the
suspense account; the creditor reads their own side, without the debtor's bank or employer."""

from datetime import date

import pytest

from parcours.intermediation.models import BankLine
from tests.factories import UserFactory
from tests.intermediation.cycle_helpers import DEBTOR_IBAN, day, make_intermediation, payment

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "mot-de-passe-de-test"


def sign_in(page, username: str) -> None:
    page.goto("/compte/connexion/")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def test_the_agent_follows_an_unpaid_pension_and_assigns_a_waiting_payment(page, shot, tmp_path):
    titre, inter = make_intermediation(amount="150.00", asf_eligible=True, employer="BOULANGERIE DUPONT")
    day(tmp_path, date(2026, 1, 2))
    stranger = payment(inter, 15000, date(2026, 1, 13), reference=False, iban="FR7630003000011234567890168")
    day(tmp_path, date(2026, 1, 12))  # unpaid: notice and ASF advance
    day(tmp_path, date(2026, 1, 14), [stranger])  # an unidentified transfer: suspense
    UserFactory(username="aripa", aripa=True)
    UserFactory(username="creancier", person=titre.creditor)

    sign_in(page, "aripa")
    page.get_by_role("link", name="Intermédiations").first.click()
    page.get_by_label("Référence ou numéro allocataire").fill(inter.reference)
    page.get_by_role("button", name="Rechercher").click()
    page.get_by_role("link", name=inter.reference).click()
    page.wait_for_url(f"**/{inter.reference}/")
    body = page.content()
    assert "150,00" in body and "BOULANGERIE DUPONT" in body  # the agent sees the employer
    assert "avance" in body.lower()
    shot(page, "intermediation")

    page.get_by_role("link", name="Compte d'attente").first.click()
    page.get_by_label("Référence de l'intermédiation").first.fill(inter.reference)
    page.get_by_role("button", name="Affecter à cette intermédiation").first.click()
    page.wait_for_load_state()
    shot(page, "attente-affectee")
    assert BankLine.objects.get(line_key=stranger.line_key).status == "resolved"
    page.get_by_role("button", name="Se déconnecter").click()

    sign_in(page, "creancier")
    page.get_by_role("link", name="Ma pension alimentaire").first.click()
    page.wait_for_url("**/ma-pension/")
    body = page.content()
    assert inter.reference in body and "BOULANGERIE" not in body and DEBTOR_IBAN not in body
    assert f"•••• {DEBTOR_IBAN[-4:]}" not in body  # not even masked
    shot(page, "creancier")
