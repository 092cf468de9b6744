"""The financial aid's pages: each renders for its roles; a benefits agent or a parent gets 403 (or
404) on the committee's pages; the forms' French refusals change nothing; the parent sees only
the non-confidential facts of the decisions in their space."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from parcours.accounts.models import AuditEntry
from parcours.aid import lifecycle, rules, services
from parcours.aid.models import AidBudget, AidRequest, PaymentBatch
from parcours.core.dates import date_fr
from tests.accounts.helpers import parent_of, sign_in_verified
from tests.factories.accounts import UserFactory
from tests.factories.aid import (
    LANDLORD_IBAN,
    AidCommitteeFactory,
    budgets,
    committee_member,
    granted,
    request_for,
)
from tests.factories.households import DossierFactory
from tests.factories.social import accepted, social_worker

pytestmark = pytest.mark.django_db

COMMITTEE_PAGES = ["/aides/commission/", "/aides/versements/"]


def _form(dossier, **overrides):  # type: ignore[no-untyped-def]
    data = {
        "numero_allocataire": dossier.numero_allocataire,
        "kind": "installation",
        "form": rules.GRANT,
        "amount_requested": "450,00",
        "motive": "Dépôt de garantie du nouveau logement",
        "payee_kind": "tiers",
        "payee_name": "Office public de l'habitat",
        "payee_iban": LANDLORD_IBAN,
    }
    data.update(overrides)
    return data


def test_a_social_worker_files_a_request_from_the_form(client):
    worker = social_worker()
    dossier = DossierFactory()
    sign_in_verified(client, worker)
    assert client.get("/aides/nouvelle/").status_code == 200
    response = client.post("/aides/nouvelle/", _form(dossier))
    request = AidRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/aides/{request.pk}/"
    assert (request.amount_requested_cents, request.theme, request.requested_by) == (
        45_000,
        rules.LOGEMENT,
        worker,
    )
    page = client.get("/aides/")
    assert page.status_code == 200 and f"Demande n° {request.pk}" in page.content.decode()
    detail = client.get(f"/aides/{request.pk}/")
    assert detail.status_code == 200 and "quatre yeux" in detail.content.decode()
    assert AuditEntry.objects.filter(action="dossier.read", actor=worker, object_id=str(request.pk)).exists()


def test_the_form_from_an_accompaniment_is_prefilled(client):
    accompaniment = accepted()
    sign_in_verified(client, accompaniment.worker)
    page = client.get(f"/aides/nouvelle/?accompagnement={accompaniment.pk}")
    assert page.status_code == 200 and accompaniment.dossier.numero_allocataire in page.content.decode()
    client.post("/aides/nouvelle/", _form(accompaniment.dossier, accompaniment=str(accompaniment.pk)))
    assert AidRequest.objects.get().accompaniment == accompaniment


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"amount_requested": "1 000,01"}, "dépasse le plafond"),
        ({"amount_requested": "abc"}, "Saisissez un montant"),
        ({"amount_requested": "1e9"}, "Saisissez un montant"),
        ({"payee_iban": "FR00 1234"}, "IBAN n&#x27;est pas valide"),
        ({"numero_allocataire": "12"}, "7 chiffres"),
        ({"numero_allocataire": "9999999"}, "Aucun dossier de votre territoire"),
        ({"kind": "inconnue"}, "Choisissez la nature"),
        ({"form": rules.LOAN}, "durée de remboursement"),
        ({"motive": ""}, "Indiquez le motif"),
        ({"accompaniment": "99999"}, "accompagnement est introuvable"),
    ],
)
def test_bad_input_gets_a_french_error_and_nothing_changes(client, overrides, message):
    sign_in_verified(client, social_worker())
    response = client.post("/aides/nouvelle/", _form(DossierFactory(), **overrides))
    assert response.status_code == 400 and message in response.content.decode()
    assert not AidRequest.objects.exists()


def test_the_committee_decides_from_its_page_with_the_budget_shown(client):
    budgets()
    request = request_for()
    member = committee_member()
    sign_in_verified(client, member)
    page = client.get("/aides/commission/")
    text = page.content.decode()
    assert page.status_code == 200 and f"Demande n° {request.pk}" in text and "Restant" in text
    detail = client.get(f"/aides/{request.pk}/")
    assert "Décision de la commission" in detail.content.decode()
    bad = client.post(
        f"/aides/{request.pk}/decision/", {"action": "accorder", "amount_granted": "-5"}, follow=True
    )
    assert "ne peut pas être négatif" in bad.content.decode()
    over = client.post(
        f"/aides/{request.pk}/decision/", {"action": "accorder", "amount_granted": "500,00"}, follow=True
    )
    assert "ne peut pas dépasser le montant demandé" in over.content.decode()
    no_reason = client.post(f"/aides/{request.pk}/decision/", {"action": "refuser"}, follow=True)
    assert "Indiquez le motif" in no_reason.content.decode()
    request.refresh_from_db()
    assert request.state == lifecycle.SOUMISE
    done = client.post(f"/aides/{request.pk}/decision/", {"action": "accorder", "amount_granted": "300"})
    assert done.status_code == 302
    request.refresh_from_db()
    assert (request.state, request.amount_granted_cents) == (lifecycle.ACCORDEE, 30_000)


def test_the_member_who_requested_gets_no_decision_form_and_a_forced_post_is_403(client):
    budgets()
    member = committee_member()
    request = request_for(worker=member)
    sign_in_verified(client, member)
    assert "Décision de la commission" not in client.get(f"/aides/{request.pk}/").content.decode()
    response = client.post(f"/aides/{request.pk}/decision/", {"action": "accorder", "amount_granted": "100"})
    assert response.status_code == 403
    request.refresh_from_db()
    assert request.state == lifecycle.SOUMISE


@pytest.mark.parametrize("role", ["agent", "parent", "worker", "aripa"])
def test_others_get_403_or_404_on_the_committee_pages(client, role):
    request = granted()
    services.aid_pay()
    batch = PaymentBatch.objects.get()
    user = {
        "agent": lambda: UserFactory(agent=True),
        "aripa": lambda: UserFactory(aripa=True),
        "parent": lambda: parent_of(request.dossier),
        "worker": lambda: social_worker(),
    }[role]()
    sign_in_verified(client, user)
    for url in [*COMMITTEE_PAGES, f"/aides/versements/{batch.pk}/fichier.xml"]:
        assert client.get(url).status_code == 403, url
    decide = client.post(f"/aides/{request.pk}/decision/", {"action": "refuser", "reason": "x"})
    assert decide.status_code in (403, 404)
    if role in ("agent", "parent", "aripa"):
        assert client.get(f"/aides/{request.pk}/").status_code == 404
        assert client.get("/aides/").status_code == 403


def test_a_member_downloads_the_pain001_audited(client):
    granted()
    [batch] = services.aid_pay()
    member = committee_member()
    sign_in_verified(client, member)
    page = client.get("/aides/versements/")
    assert page.status_code == 200 and batch.message_id in page.content.decode()
    response = client.get(f"/aides/versements/{batch.pk}/fichier.xml")
    assert response.status_code == 200 and response.content == batch.xml.encode("utf-8")
    assert batch.message_id in response["Content-Disposition"]
    assert AuditEntry.objects.filter(action="aide.versement", actor=member).exists()
    assert client.get("/aides/versements/99999/fichier.xml").status_code == 404


@pytest.mark.parametrize("role", ["worker", "member", "manager"])
def test_the_budgets_page_shows_used_and_left_per_theme(client, role):
    granted(request_for(amount_requested_cents=40_000))
    user = {
        "worker": social_worker,
        "member": committee_member,
        "manager": lambda: UserFactory(manager=True),
    }[role]()
    sign_in_verified(client, user)
    page = client.get("/aides/budgets/")
    text = page.content.decode()
    assert page.status_code == 200 and "Logement" in text and "Petite enfance" in text
    assert "400,00" in text and "49\u202f600,00" in text  # used, left of 50 000 €
    for year in ("1900", "abc", "2025"):
        assert client.get(f"/aides/budgets/?year={year}").status_code == 200


def test_an_agent_or_a_parent_cannot_see_the_budgets(client):
    for user in (UserFactory(agent=True), UserFactory(parent=True)):
        sign_in_verified(client, user)
        assert client.get("/aides/budgets/").status_code == 403


def test_the_parent_sees_the_decision_in_their_space_without_the_motive(client):
    request = granted(request_for(motive="Très confidentiel : dette de jeu"))
    parent = parent_of(request.dossier)
    sign_in_verified(client, parent)
    page = client.get("/")
    text = page.content.decode()
    assert "Mes aides financières" in text and "Aide à l&#x27;installation" in text and "400,00" in text
    assert "confidentiel" not in text and LANDLORD_IBAN not in text
    assert "versement à venir" in text

    batch = services.aid_pay(on=timezone.localdate() + timedelta(days=3))[0]
    text = client.get("/").content.decode()
    assert f"virement prévu le {date_fr(batch.execution_date)}" in text.replace("\xa0", " ")


def test_the_administration_refuses_a_budget_below_what_is_granted_in_french(client):
    request = granted(cents=30_000)
    budget = AidBudget.objects.get(theme=request.theme, year=request.budget_year)
    sign_in_verified(client, UserFactory(admin=True))
    response = client.post(f"/admin/aid/aidbudget/{budget.pk}/change/", {"amount_cents": 100})
    assert response.status_code == 200
    assert "inférieur à ce qui est déjà accordé" in response.content.decode()
    budget.refresh_from_db()
    assert budget.amount_cents != 100
    response = client.post(
        "/admin/aid/aidbudget/add/",
        {"departement": "91", "theme": rules.PARENTALITE, "year": 1999, "amount_cents": 100},
    )
    assert response.status_code == 200 and "entre 2000 et 2100" in response.content.decode()


def test_a_manager_put_on_the_committee_reads_no_request(client):
    request = request_for()
    manager = UserFactory(manager=True, departement="91")
    AidCommitteeFactory(departement="91").members.add(manager)
    sign_in_verified(client, manager)
    assert client.get(f"/aides/{request.pk}/").status_code in (403, 404)
    assert client.get("/aides/commission/").status_code == 403
    assert client.get("/aides/versements/").status_code == 403
