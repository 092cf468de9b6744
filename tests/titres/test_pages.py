"""The Caf titre exécutoire pages (a parent's joint request, the other parent's signature, the ARIPA
agents' queue and decision), and the intermediation actions: end by consent, re-activation,
arrears before it, and a parent asking an intermediation for an older titre.

The day is fixed (2 March 2026) so the four-month date and the months of arrears are known."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from parcours.accounts.models import AuditEntry, Role
from parcours.child_support.parameters import scales_on
from parcours.child_support.scales import Custody, caf_threshold
from parcours.core.templatetags.parcours_format import date_fr, format_euros
from parcours.intermediation.models import Due, Intermediation
from parcours.intermediation.services import ChildLine
from parcours.titres.models import Titre, TitreRequest, TitreRequestStatus
from parcours.titres.rules import REQUIRED_DOCUMENTS, deemed_accepted_on
from parcours.titres.services import titre_record
from parcours.titres.services.titre_caf import (
    RequestChild,
    document_field,
    titre_request_create,
    titre_request_sign,
)
from tests.accounts.helpers import parent_of, sign_in_verified, user_with_role
from tests.core.html import unlabelled_inputs
from tests.factories import PersonFactory, UserFactory, household
from tests.factories.titres import PDF, pieces
from tests.intermediation.cycle_helpers import CREDITOR_IBAN, DEBTOR_IBAN, make_intermediation

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 2)
NEW_URL = "/pension-alimentaire/titre-executoire/demander/"
PARENT_URL = "/pension-alimentaire/ma-pension/"
AGENT_LIST = "/pension-alimentaire/agent/titres-executoires/"
IFPA_URL = "/pension-alimentaire/agent/intermediations/"
BAD_IBAN = "FR7630004000031234567890000"


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)


def text(response) -> str:
    return unescape(response.content.decode())


def request_url(req) -> str:
    return f"/pension-alimentaire/titre-executoire/{req.pk}/"


def agent_url(req) -> str:
    return f"{AGENT_LIST}{req.pk}/"


def aripa(client, departement: str = "91"):
    agent = user_with_role(Role.AGENT_ARIPA, departement=departement)
    sign_in_verified(client, agent)
    return agent


@pytest.fixture
def parents():
    """A mother alone with her child (dossier of the 91) and the father, in his own dossier, with
    a parcours account."""
    mother_dossier = household(couple=False, children=1)
    father_dossier = household(couple=False, children=0)
    father = father_dossier.memberships.get(role="allocataire").person
    return {
        "dossier": mother_dossier,
        "mother": parent_of(mother_dossier),
        "child": mother_dossier.memberships.get(role="enfant").person,
        "father_dossier": father_dossier,
        "father": father,
        "father_user": UserFactory(role=Role.PARENT, person=father),
    }


def files(codes=REQUIRED_DOCUMENTS) -> dict:
    """A real small PDF for each piece of `codes`, as the browser sends it."""
    return {
        document_field(code): SimpleUploadedFile(f"{code}.pdf", PDF, "application/pdf")
        for code in sorted(codes)
    }


def form_data(parents, *, amount="220,00", button="deposer", **extra) -> dict:
    child, father = parents["child"], parents["father"]
    data = {
        "other_parent": "numero",
        "other_numero": parents["father_dossier"].numero_allocataire,
        "other_last_name": father.last_name.upper(),
        "other_birth_date": father.birth_date.strftime("%d/%m/%Y"),
        "union": "pacs",
        "debtor_resources": "1 500,00",
        "children_dependent": "1",
        f"child_{child.pk}_include": "on",
        f"child_{child.pk}_amount": amount,
        f"child_{child.pk}_arrangement": "classique",
        **files(),
        "certify": "on",
        button: "",
    }
    data.update(extra)
    return data


def submitted(parents, *, amount="220.00", documents=REQUIRED_DOCUMENTS, on=date(2026, 1, 5)):
    """A request signed by both parents on `on`, through the services."""
    mother = parents["dossier"].memberships.get(role="allocataire").person
    req = titre_request_create(
        creditor=mother,
        debtor=parents["father"],
        creditor_dossier=parents["dossier"],
        union="pacs",
        children=[RequestChild(parents["child"], Decimal(amount), "classique")],
        debtor_monthly_resources=Decimal("1500.00"),
        children_dependent_on_debtor=1,
        documents=pieces(documents),
        signed_by=mother,
        on=on,
    )
    return titre_request_sign(request=req, person=parents["father"], on=on)


# --- The parent's request ---------------------------------------------------------------------


def test_the_request_form_lists_the_children_and_the_documents(client, parents):
    client.force_login(parents["mother"])
    response = client.get(NEW_URL)
    assert response.status_code == 200
    html = text(response)
    assert "<h1>Demander un titre exécutoire à la Caf</h1>" in html
    assert f"Pension mensuelle pour {parents['child'].first_names}" in html
    assert "La pièce d'identité de chacun des parents" in html
    assert unlabelled_inputs(html) == []
    assert 'href="/pension-alimentaire/titre-executoire/demander/"' in text(client.get(PARENT_URL))


def test_verifying_shows_the_caf_threshold_and_stores_nothing(client, parents):
    client.force_login(parents["mother"])
    response = client.post(NEW_URL, form_data(parents, amount="150,00", button="verifier", certify=""))
    assert response.status_code == 200
    html = text(response)
    scales = scales_on(TODAY)
    threshold = caf_threshold(
        income=Decimal("1500.00"),
        children=1,
        custody=Custody.CLASSIQUE,
        rsa=scales.rsa_one_person,
        table=scales.caf,
    )
    minimum = (
        f"Montant minimum de la Caf pour {parents['child'].first_names} : {format_euros(threshold.per_child)}"
    )
    assert minimum in html
    assert "En l'état, la Caf refuserait la demande" in html and "inférieur au seuil" in html
    assert TitreRequest.objects.count() == 0


def test_the_request_is_signed_then_the_other_parent_signs_it(client, parents):
    client.force_login(parents["mother"])
    response = client.post(NEW_URL, form_data(parents), follow=True)
    req = TitreRequest.objects.get()
    assert response.redirect_chain[-1][0] == request_url(req)
    assert (req.creditor.pk, req.debtor.pk, req.creditor_dossier) == (
        parents["mother"].person_id,
        parents["father"].pk,
        parents["dossier"],
    )
    assert req.status == TitreRequestStatus.AWAITING_SIGNATURE and req.creditor_signed_on == TODAY
    assert req.children.get().monthly_amount == Decimal("220.00")
    assert "attend maintenant la signature de" in text(response)

    # The father sees it waiting for his signature on his pension page, and signs.
    other = Client()
    other.force_login(parents["father_user"])
    assert "vous demande de signer une demande de titre exécutoire" in text(other.get(PARENT_URL))
    page = text(other.get(request_url(req)))
    assert "Signer la demande" in page and "220,00\u00a0€" in page
    assert "12 rue des Lilas" not in page  # never the mother's address
    refused = other.post(f"{request_url(req)}signer/", {})
    assert "Cochez la case pour signer la demande." in text(refused)
    assert TitreRequest.objects.get().status == TitreRequestStatus.AWAITING_SIGNATURE
    response = other.post(f"{request_url(req)}signer/", {"certify": "on"}, follow=True)
    req.refresh_from_db()
    assert req.status == TitreRequestStatus.SUBMITTED and req.submitted_on == TODAY
    deemed = date_fr(deemed_accepted_on(TODAY))
    assert deemed in text(response)
    # Both parents read the status and the four-month date.
    assert deemed in text(client.get(PARENT_URL)) and "Déposée, en cours d'examen" in text(
        client.get(PARENT_URL)
    )


def test_the_other_parent_is_found_among_the_registry_partners(client):
    dossier = household(couple=True, children=1)
    partner = dossier.memberships.get(role="conjoint").person
    UserFactory(role=Role.PARENT, person=partner)
    client.force_login(parent_of(dossier))
    html = text(client.get(NEW_URL))
    assert str(partner) in html and "je donne son numéro allocataire" in html


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"other_numero": "12ab"}, "Le numéro allocataire comporte 7 chiffres."),
        ({"other_last_name": "Inconnu"}, "Aucun parent allocataire ne correspond à ce numéro"),
        ({"other_birth_date": "31/02/1990"}, "Indiquez une date valide"),
        ({"amount": ""}, "Indiquez le montant mensuel de la pension pour cet enfant"),
        ({"amount": "douze"}, "Saisissez un montant, par exemple 1600,00."),
        ({"debtor_resources": "-5"}, "ne peut pas être négatif"),
        ({"children_dependent": "0"}, "Indiquez au moins 1 enfant."),
        ({"certify": ""}, "Cochez la case pour signer la demande."),
        ({"include": ""}, "Cochez au moins un enfant concerné par la demande."),
    ],
)
def test_bad_input_is_refused_in_french_and_stores_nothing(client, parents, change, error):
    client.force_login(parents["mother"])
    child = parents["child"].pk
    data = form_data(parents, amount=change.pop("amount", "220,00"))
    if "include" in change:
        data.pop(f"child_{child}_include")
        change.pop("include")
    data.update(change)
    response = client.post(NEW_URL, data)
    assert response.status_code == 200
    assert error in text(response)
    assert TitreRequest.objects.count() == 0


def test_a_parent_cannot_read_sign_or_download_another_familys_request(client, parents):
    req = submitted(parents)
    stranger = parent_of(household())
    client.force_login(stranger)
    for url in (request_url(req), f"{request_url(req)}titre.pdf"):
        assert client.get(url).status_code == 404  # as if it did not exist
    assert client.post(f"{request_url(req)}signer/", {"certify": "on"}).status_code == 404
    assert AuditEntry.objects.filter(actor=stranger, allowed=False).count() == 3
    assert str(parents["father"]) not in text(client.get(PARENT_URL))


def test_signing_needs_the_csrf_token_and_a_post(parents):
    client = Client(enforce_csrf_checks=True)
    mother = parents["dossier"].memberships.get(role="allocataire").person
    req = titre_request_create(
        creditor=mother,
        debtor=parents["father"],
        creditor_dossier=parents["dossier"],
        union="pacs",
        children=[RequestChild(parents["child"], Decimal("220.00"), "classique")],
        debtor_monthly_resources=Decimal("1500.00"),
        children_dependent_on_debtor=1,
        documents=pieces(),
        signed_by=mother,
        on=TODAY,
    )
    client.force_login(parents["father_user"])
    assert client.post(f"{request_url(req)}signer/", {"certify": "on"}).status_code == 403
    assert client.get(f"{request_url(req)}signer/").status_code == 405
    req.refresh_from_db()
    assert req.status == TitreRequestStatus.AWAITING_SIGNATURE


# --- The ARIPA agent ---------------------------------------------------------------------------


def test_the_agent_lists_submitted_requests_oldest_first_with_the_silence_date(client, parents):
    newer = submitted(parents, on=date(2026, 2, 20))
    other_father = household(couple=False, children=0).memberships.get(role="allocataire").person
    older = submitted({**parents, "father": other_father}, on=date(2025, 11, 3))  # one open request a pair
    aripa(client)
    html = text(client.get(AGENT_LIST))
    assert html.index(f"Demande n° {older.pk}") < html.index(f"Demande n° {newer.pk}")
    assert date_fr(deemed_accepted_on(date(2025, 11, 3))) in html  # 3 mars 2026
    assert "dans 1 jour" in html
    # Another territory's agent sees neither.
    other = Client()
    aripa(other, departement="75")
    html = text(other.get(AGENT_LIST))
    assert f"Demande n° {older.pk}" not in html and "Aucune demande n'attend de décision." in html
    assert other.get(agent_url(older)).status_code == 404


def test_the_agent_accepts_and_both_parents_download_the_titre(client, parents):
    req = submitted(parents)
    agent = aripa(client)
    html = text(client.get(agent_url(req)))
    assert "Toutes les conditions sont remplies" in html and "Montant minimum par enfant" in html
    assert "FR76 •••• •••• 0189" in html and CREDITOR_IBAN not in html  # known accounts, masked
    assert unlabelled_inputs(html) == []
    assert AuditEntry.objects.filter(actor=agent, action="dossier.read", dossier=parents["dossier"]).exists()

    # A bad IBAN typed: refused in French, nothing decided.
    response = client.post(f"{agent_url(req)}decider/", {"debtor_name": "M X", "debtor_iban": BAD_IBAN})
    assert "Cet IBAN n'est pas valide" in text(response)
    req.refresh_from_db()
    assert req.status == TitreRequestStatus.SUBMITTED and not Titre.objects.exists()

    response = client.post(
        f"{agent_url(req)}decider/", {"debtor_name": "M X", "debtor_iban": DEBTOR_IBAN}, follow=True
    )
    req.refresh_from_db()
    assert req.status == TitreRequestStatus.ACCEPTED and req.titre is not None
    assert "Demande acceptée" in text(response)
    inter = Intermediation.objects.get(titre=req.titre)
    assert (inter.debtor_iban, inter.creditor_iban) == (DEBTOR_IBAN, CREDITOR_IBAN)
    assert AuditEntry.objects.filter(actor=agent, action="titre.decide").count() == 1
    for user in (parents["mother"], parents["father_user"]):
        parent = Client()
        parent.force_login(user)
        assert "Télécharger le titre exécutoire" in text(parent.get(PARENT_URL))
        pdf = parent.get(f"{request_url(req)}titre.pdf")
        assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")


def test_a_refusal_needs_no_account_and_both_parents_read_its_reasons(client, parents):
    req = submitted(parents, amount="150.00", documents=REQUIRED_DOCUMENTS - {"convention_signee"})
    aripa(client)
    html = text(client.get(agent_url(req)))
    assert "La décision sera un refus" in html and "Refuser la demande" in html
    client.post(f"{agent_url(req)}decider/", {})
    req.refresh_from_db()
    assert req.status == TitreRequestStatus.REFUSED and not Titre.objects.exists()
    for user in (parents["mother"], parents["father_user"]):
        parent = Client()
        parent.force_login(user)
        html = text(parent.get(request_url(req)))
        assert "Motifs du refus" in html and "inférieur au seuil" in html and "Pièces manquantes" in html
    # Deciding twice is refused and changes nothing.
    response = client.post(f"{agent_url(req)}decider/", {}, follow=True)
    assert "n'attend pas de décision" in text(response)


@pytest.mark.parametrize("role", [Role.PARENT, Role.AGENT_PRESTATIONS, Role.MANAGER, Role.PARTNER])
def test_no_other_role_opens_the_agents_titre_pages(client, parents, role):
    req = submitted(parents)
    user = parent_of(household()) if role == Role.PARENT else user_with_role(role)
    sign_in_verified(client, user)
    assert client.get(AGENT_LIST).status_code == 403
    assert client.get(agent_url(req)).status_code == 403
    assert client.post(f"{agent_url(req)}decider/", {}).status_code == 403
    req.refresh_from_db()
    assert req.status == TitreRequestStatus.SUBMITTED
    assert AuditEntry.objects.filter(actor=user, allowed=False, dossier=parents["dossier"]).count() == 2


# --- The intermediation: end, re-activation, arrears ---------------------------------------------


def detail(inter) -> str:
    return f"{IFPA_URL}{inter.reference}/"


def test_the_end_needs_the_other_parents_consent(client):
    _, inter = make_intermediation()
    aripa(client)
    response = client.post(f"{detail(inter)}fin/", {"fin-reason": "Demande du père"})
    assert "ne prend fin qu'avec l'accord de l'autre parent" in text(response)
    assert Intermediation.objects.get(pk=inter.pk).status == "active"
    response = client.post(
        f"{detail(inter)}fin/",
        {"fin-reason": "Demande du père", "fin-other_parent_consents": "on"},
        follow=True,
    )
    assert "a pris fin" in text(response)
    assert Intermediation.objects.get(pk=inter.pk).status == "ended"
    # A parent can re-activate it at any time.
    response = client.post(f"{detail(inter)}reprise/", follow=True)
    assert "a repris" in text(response) and Intermediation.objects.get(pk=inter.pk).status == "active"


def test_the_end_is_refused_when_violence_is_recorded(client):
    _, inter = make_intermediation(violence=True)
    aripa(client)
    response = client.post(
        f"{detail(inter)}fin/", {"fin-reason": "Demande du père", "fin-other_parent_consents": "on"}
    )
    assert "Des violences ont été établies" in text(response)
    assert Intermediation.objects.get(pk=inter.pk).status == "active"


@pytest.fixture
def old_titre():
    """A 2021 judgment: its intermediation opens only on request (today, 2 March 2026)."""
    dossier = household(couple=False, children=1)
    father_dossier = household(couple=False, children=0)
    titre, inter = titre_record(
        kind="jugement",
        reference="JAF-2021-1",
        issued_on=date(2021, 3, 1),
        start_on=date(2021, 4, 1),
        debtor=father_dossier.memberships.get(role="allocataire").person,
        creditor=dossier.memberships.get(role="allocataire").person,
        creditor_dossier=dossier,
        children=[ChildLine(dossier.memberships.get(role="enfant").person, Decimal("180.00"), "classique")],
        debtor_bank=None,  # type: ignore[arg-type]
        creditor_bank=None,  # type: ignore[arg-type]
    )
    assert inter is None
    return titre


def test_a_parent_asks_the_intermediation_of_an_older_titre(client, old_titre):
    client.force_login(parent_of(old_titre.creditor_dossier))
    html = text(client.get(PARENT_URL))
    assert "Demander l'intermédiation" in html
    assert "La Caf connaît les comptes bancaires des deux parents" in html
    assert unlabelled_inputs(html) == []
    response = client.post(
        f"/pension-alimentaire/ma-pension/titres/{old_titre.pk}/intermediation/", follow=True
    )
    inter = Intermediation.objects.get(titre=old_titre)
    assert inter.opened_how == "demande" and inter.first_month == date(2026, 3, 1)
    assert f"L'intermédiation {inter.reference} est ouverte" in text(response)
    assert "Demander l'intermédiation" not in text(response)


def test_the_other_parents_unknown_account_is_asked_and_checked(client):
    dossier = household(couple=False, children=1)
    titre, _ = titre_record(
        kind="acte_notarie",
        reference="NOT-2020-1",
        issued_on=date(2020, 6, 1),
        start_on=date(2020, 7, 1),
        debtor=PersonFactory(sex="M"),  # no dossier: the Caf does not know his account
        creditor=dossier.memberships.get(role="allocataire").person,
        creditor_dossier=dossier,
        children=[ChildLine(dossier.memberships.get(role="enfant").person, Decimal("120.00"), "reduit")],
        debtor_bank=None,  # type: ignore[arg-type]
        creditor_bank=None,  # type: ignore[arg-type]
    )
    client.force_login(parent_of(dossier))
    url = f"/pension-alimentaire/ma-pension/titres/{titre.pk}/intermediation/"
    prefix = f"titre{titre.pk}"
    response = client.post(url, {f"{prefix}-other_name": "M X", f"{prefix}-other_iban": BAD_IBAN})
    assert "Cet IBAN n'est pas valide" in text(response)
    assert not Intermediation.objects.exists()
    client.post(url, {f"{prefix}-other_name": "M X", f"{prefix}-other_iban": DEBTOR_IBAN})
    assert Intermediation.objects.get(titre=titre).debtor_iban == DEBTOR_IBAN


def test_arrears_up_to_24_months_back(client, old_titre):
    from parcours.intermediation.services import BankDetails, intermediation_open

    inter = intermediation_open(
        titre=old_titre,
        on=TODAY,
        how="demande",
        debtor_bank=BankDetails("M X", DEBTOR_IBAN),
        creditor_bank=BankDetails("MME Y", CREDITOR_IBAN),
        asf_eligible=False,
    )
    aripa(client)
    html = text(client.get(detail(inter)))
    assert "mars 2024" in html and "février 2026" in html and "février 2024" not in html
    assert unlabelled_inputs(html) == []
    response = client.post(
        f"{detail(inter)}arrieres/", {"arrieres-months": ["2025-12-01", "2026-01-01"]}, follow=True
    )
    assert "Arriérés ajoutés (décembre 2025, janvier 2026)" in text(response)
    assert sorted(Due.objects.filter(intermediation=inter).values_list("month", flat=True)) == [
        date(2025, 12, 1),
        date(2026, 1, 1),
    ]
    for bad in (["2024-01-01"], ["2026-03-01"], []):
        response = client.post(f"{detail(inter)}arrieres/", {"arrieres-months": bad})
        assert "Aucun arriéré n'a été ajouté" in text(response)
    assert Due.objects.filter(intermediation=inter).count() == 2


def test_the_other_parent_withdraws_the_request_instead_of_signing(client, parents):
    mother = parents["dossier"].memberships.get(role="allocataire").person
    req = titre_request_create(
        creditor=mother,
        debtor=parents["father"],
        creditor_dossier=parents["dossier"],
        union="pacs",
        children=[RequestChild(parents["child"], Decimal("220.00"), "classique")],
        debtor_monthly_resources=Decimal("1500.00"),
        children_dependent_on_debtor=1,
        documents=pieces(),
        signed_by=mother,
        on=date(2026, 3, 1),
    )
    client.force_login(parents["father_user"])
    page = text(client.get(f"/pension-alimentaire/titre-executoire/{req.pk}/"))
    assert "Retirer la demande" in page
    response = client.post(f"/pension-alimentaire/titre-executoire/{req.pk}/retirer/", follow=True)
    assert "La demande est retirée" in text(response)
    req.refresh_from_db()
    assert req.status == "retiree"
    stranger = Client()
    stranger.force_login(UserFactory(role=Role.PARENT, person=PersonFactory()))
    assert stranger.post(f"/pension-alimentaire/titre-executoire/{req.pk}/retirer/").status_code == 404
