"""Every URL of the site, asked by every identity that has no business with a territory's data.

A world of one territory (91) is built — a dossier, a declaration with a piece and an invitation,
a call-back request, a titre request with its pieces, an intermediation, a line of the Caf's
suspense account, a signalement, an accompaniment with a referral to a partner, a parenting session, a financial aid granted and paid — then each URL pattern of the project (enumerated from the
resolver, so a new page is covered the day it is added) is asked with GET and POST by agents of
another territory (75), staff accounts without a territory, a partner, a parent of another family
and an anonymous visitor. None may get a page that shows the world's data, nor change it.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from parcours.accounts.models import Role
from parcours.aid import services as aid_services
from parcours.aid.models import AidRequest
from parcours.casework.models import Task
from parcours.households.models import IncidentKind
from parcours.households.services import incident_report
from parcours.intermediation.models import BankLine
from parcours.parenting.models import Booking, Slot
from parcours.separation.models import CallbackRequest, Demande
from parcours.social import services as social_services
from parcours.social.models import Accompaniment, Referral, Signalement, SocialNote
from parcours.social.offers import SignalementKind
from parcours.titres.models import TitreRequest
from tests.accounts.helpers import sign_in_verified, user_with_role
from tests.factories import (
    BankLineFactory,
    CallbackRequestFactory,
    DocumentFactory,
    IntermediationFactory,
    InvitationFactory,
    PartnerFactory,
    SignalementFactory,
    TitreRequestFactory,
    UserFactory,
    household,
)
from tests.factories.aid import granted, request_for
from tests.factories.households import allocataire
from tests.factories.parenting import ProfessionalFactory, SlotFactory, StructureFactory, book
from tests.factories.social import accepted

pytestmark = pytest.mark.django_db

PHONE = "06 55 44 33 22"
SKIPPED = {
    "accounts:password_reset_confirm",  # a token, not an object of a territory
    "accounts:logout",
    "api-v1:openapi-json",
    "api-v1:openapi-view",
}


def url_names(resolver=None, namespace: str = "") -> list[str]:
    """Every named URL of the project, namespaced, the administration's aside (its own test)."""
    names = []
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            inner = ":".join(filter(None, [namespace, pattern.namespace or ""]))
            names += url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.append(f"{namespace}:{pattern.name}" if namespace else pattern.name)
    return names


@pytest.fixture
def world(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    invitation = InvitationFactory(dossier=household(departement="91", children=2))
    demande = invitation.demande
    document = DocumentFactory(demande=demande)
    callback = CallbackRequestFactory(phone=PHONE, departement="91")
    titre_request = TitreRequestFactory(deposee=True)
    intermediation = IntermediationFactory(paid=True)
    line = BankLineFactory(in_suspense=True)
    signalement = SignalementFactory(dossier=demande.dossier)
    accompaniment = accepted(
        SignalementFactory(dossier=demande.dossier, kind=SignalementKind.MONOPARENTALITE)
    )
    referral = social_services.referral_create(
        accompaniment=accompaniment,
        partner=PartnerFactory(with_account=True),
        purpose="Médiation familiale",
        contact=PHONE,
        consent_on=timezone.localdate(),
        by=accompaniment.worker,
    )
    structure = StructureFactory(with_account=True)
    slot = SlotFactory(professional=ProfessionalFactory(structure=structure))
    booking = book(SlotFactory(professional=slot.professional), demande.dossier)
    aid_request = granted(request_for(demande.dossier))
    batch = aid_services.aid_pay()[0]
    incident_report(dossier=demande.dossier, kind=IncidentKind.RETURNED_MAIL, on=date(2026, 11, 20))
    task = Task.objects.get(dossier=demande.dossier, kind="courrier_retourne")
    people = [allocataire(demande.dossier), allocataire(titre_request.creditor_dossier)]
    return {
        "demande": demande,
        "document": document,
        "invitation": invitation,
        "callback": callback,
        "titre_request": titre_request,
        "titre_document": titre_request.documents.first(),
        "intermediation": intermediation,
        "line": line,
        "task": task,
        "signalement": signalement,
        "accompaniment": accompaniment,
        "referral": referral,
        "structure": structure,
        "slot": slot,
        "booking": booking,
        "aid_request": aid_request,
        "batch": batch,
        # What nobody outside the 91 may read.
        "secrets": [
            demande.dossier.numero_allocataire,
            titre_request.creditor_dossier.numero_allocataire,
            intermediation.reference,
            PHONE,
            line.counterparty_name,
            *(f"{p.first_names} {p.last_name}" for p in people),
        ],
    }


def kwargs_for(name: str, world: dict) -> dict | None:
    """The URL's arguments, naming the world's objects (None: the URL names no object)."""
    namespace, _, short = name.rpartition(":")
    demande, document = world["demande"], world["document"]
    if name in {"households:dossier_detail", "api-v1:household_rights"}:
        return {"numero": demande.dossier.numero_allocataire}
    if namespace == "separation":
        if short == "invitation":
            return {"pk": world["invitation"].pk}
        if short == "callback_action":
            return {"pk": world["callback"].pk, "action": "prendre"}
        if short == "declare_step":
            return {"step": "separation"}
        if short in {"document", "document_review"}:
            return {"pk": demande.pk, "document_id": document.pk}
        if short == "action":
            return {"pk": demande.pk, "action": "instruire"}
        if short in {"demande", "document_add", "message_add"}:
            return {"pk": demande.pk}
    if namespace == "titres":
        request = world["titre_request"]
        if short == "titre_document":
            return {"pk": request.pk, "document_id": world["titre_document"].pk}
        if short in {"titre_request", "titre_request_sign", "titre_request_withdraw", "titre_pdf"}:
            return {"pk": request.pk}
        if short in {"titre_agent_detail", "titre_agent_decide"}:
            return {"pk": request.pk}
    if namespace == "casework" and short.startswith("task"):
        return {"pk": world["task"].pk}
    if name.startswith("api-v1:task_"):
        return {
            "task_id": world["task"].pk,
            **({"action": "traiter"} if name == "api-v1:task_action" else {}),
        }
    if namespace == "intermediation":
        if short.startswith("ifpa_") and short != "ifpa_list":
            return {"reference": world["intermediation"].reference}
        if short.startswith("suspense_"):
            return {"pk": world["line"].pk}
        if short == "intermediation_request":
            return {"pk": world["intermediation"].titre_id}
    if namespace == "parenting":
        if short == "book":
            return {"pk": world["slot"].pk}
        if short in {"booking", "cancel", "ics", "attendance", "orientation"}:
            return {"pk": world["booking"].pk}
        if short == "slot_new":
            return {"structure": world["structure"].pk}
    if namespace == "aid":
        if short in {"request", "decide", "withdraw"}:
            return {"pk": world["aid_request"].pk}
        if short == "batch_file":
            return {"pk": world["batch"].pk}
    if namespace == "social":
        if short in {"signalement", "signalement_act", "offer_letter", "offer_answer"}:
            return {"pk": world["signalement"].pk}
        if short in {"accompaniment", "reassign"}:
            return {"pk": world["accompaniment"].pk}
        if short == "accompaniment_post":
            return {"pk": world["accompaniment"].pk, "what": "note"}
        if short in {"referral", "referral_act"}:
            return {"pk": world["referral"].pk}
    return None


def identities() -> dict[str, Client | None]:
    clients: dict[str, Client | None] = {"anonymous": None}
    for role in (Role.AGENT_PRESTATIONS, Role.AGENT_ARIPA, Role.TRAVAILLEUR_SOCIAL, Role.MANAGER):
        for departement in ("75", ""):
            clients[f"{role} {departement or 'sans territoire'}"] = user_with_role(
                role, departement=departement
            )
    clients["partner"] = user_with_role(Role.PARTNER)
    clients["parent of another family"] = UserFactory(person=allocataire(household(departement="75")))
    return clients


def state(world: dict) -> tuple:
    return (
        Demande.objects.get(pk=world["demande"].pk).state,
        CallbackRequest.objects.get(pk=world["callback"].pk).state,
        TitreRequest.objects.get(pk=world["titre_request"].pk).status,
        BankLine.objects.get(pk=world["line"].pk).status,
        world["intermediation"].__class__.objects.get(pk=world["intermediation"].pk).status,
        world["document"].__class__.objects.get(pk=world["document"].pk).review,
        Task.objects.get(pk=world["task"].pk).state,
        Task.objects.get(pk=world["task"].pk).owner_id,
        Signalement.objects.get(pk=world["signalement"].pk).state,
        Accompaniment.objects.get(pk=world["accompaniment"].pk).state,
        SocialNote.objects.count(),
        Referral.objects.get(pk=world["referral"].pk).state,
        Booking.objects.get(pk=world["booking"].pk).state,
        Booking.objects.count(),
        Slot.objects.count(),
        AidRequest.objects.get(pk=world["aid_request"].pk).state,
        AidRequest.objects.count(),
    )


def test_no_url_shows_or_changes_a_territory_to_who_is_not_of_it(world):
    names = [n for n in url_names() if n not in SKIPPED]
    assert len(names) > 40  # the walk found the site, not an empty resolver
    before = state(world)
    leaks = []
    for who, user in identities().items():
        client = Client()
        if user is not None:
            sign_in_verified(client, user)
        for name in names:
            kwargs = kwargs_for(name, world)
            url = reverse(name, kwargs=kwargs) if kwargs else reverse(name)
            if name == "api-v1:household_rights":
                url += "?from=2026-01&to=2026-02"
            for method in ("get", "post"):
                response = getattr(client, method)(url, follow=method == "get")
                body = response.content.decode(errors="replace")
                # (what the URL itself names is echoed back by a sign-in page's "next": not a leak)
                shown = [s for s in world["secrets"] if s and s in body and s not in url]
                if response.status_code == 200 and shown:
                    leaks.append(f"{who} {method.upper()} {url}: shows {shown}")
                if method == "post" and kwargs and response.status_code == 302:
                    target = response["Location"]
                    if "/compte/connexion/" not in target:
                        leaks.append(f"{who} POST {url}: accepted (→ {target})")
    assert leaks == [], "\n".join(leaks)
    assert state(world) == before


def test_the_territory_itself_sees_the_same_urls(world):
    """The check above can fail: the 91's own staff do read what the others may not."""
    agent, aripa = user_with_role(Role.AGENT_PRESTATIONS), user_with_role(Role.AGENT_ARIPA)
    pages = {
        agent: [
            reverse(
                "households:dossier_detail", kwargs={"numero": world["demande"].dossier.numero_allocataire}
            ),
            reverse("separation:callbacks"),
        ],
        aripa: [
            reverse("intermediation:suspense"),
            reverse("intermediation:ifpa_detail", kwargs={"reference": world["intermediation"].reference}),
        ],
    }
    for user, urls in pages.items():
        client = Client()
        sign_in_verified(client, user)
        for url in urls:
            response = client.get(url)
            body = response.content.decode()
            assert response.status_code == 200, url
            assert any(s in body for s in world["secrets"]), url


def test_the_suspense_refund_of_the_territory_is_in_its_managers_log(world):
    from parcours.accounts.models import AuditEntry

    client = Client()
    sign_in_verified(client, user_with_role(Role.AGENT_ARIPA))
    line = world["line"]
    response = client.post(reverse("intermediation:suspense_refund", kwargs={"pk": line.pk}))
    assert response.status_code == 302
    assert BankLine.objects.get(pk=line.pk).status == "refunded"
    entry = AuditEntry.objects.get(action="ifpa.suspense_refund")
    assert entry.departement == "91" and entry.dossier is None
    manager = Client()
    sign_in_verified(manager, user_with_role(Role.MANAGER))
    log = manager.get(reverse("accounts:audit_log")).content.decode()
    assert "Remboursement d&#x27;un versement du compte d&#x27;attente" in log
    elsewhere = Client()
    sign_in_verified(elsewhere, user_with_role(Role.MANAGER, departement="75"))
    assert (
        "Remboursement d&#x27;un versement"
        not in elsewhere.get(reverse("accounts:audit_log")).content.decode()
    )
