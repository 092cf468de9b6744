"""Titres recorded through `titre_record` (which opens the intermediation the law makes automatic)
and joint requests for a Caf titre moved along by the titre_caf services."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import factory

from parcours.intermediation.services import BankDetails, ChildLine
from parcours.titres.models import (
    Titre,
    TitreChild,
    TitreDocument,
    TitreRequest,
    TitreRequestChild,
    TitreRequestTransition,
)
from parcours.titres.rules import REQUIRED_DOCUMENTS
from parcours.titres.services import titre_record
from parcours.titres.services.titre_caf import (
    Piece,
    RequestChild,
    titre_request_create,
    titre_request_decide,
    titre_request_sign,
    titre_request_withdraw,
    titre_requests_by_silence,
)
from tests.factories.separation import PDF

from .accounts import UserFactory
from .households import CREDITOR_IBAN, DossierFactory, PersonFactory, allocataire

DEBTOR_IBAN = "FR7630004000031234567890143"
DEBTOR_BANK = BankDetails("M. DEBITEUR", DEBTOR_IBAN)
CREDITOR_BANK = BankDetails("MME CREANCIERE", CREDITOR_IBAN)


def pieces(codes=REQUIRED_DOCUMENTS) -> list[Piece]:  # type: ignore[no-untyped-def]
    """One small real PDF for each piece of `codes` (every required piece by default)."""
    return [Piece(code, f"{code}.pdf", PDF) for code in sorted(codes)]


def _children(dossier) -> list:  # type: ignore[no-untyped-def]
    return [m.person for m in dossier.memberships.filter(role="enfant", retired_in__isnull=True)]


class TitreFactory(factory.django.DjangoModelFactory):
    """A judgment of December 2025 fixing 150 € a month for the child of a single parent: its
    intermediation opens automatically (CSS L582-1), by transfer unless `debit`."""

    class Meta:
        model = Titre

    reference = factory.Sequence(lambda n: f"T-FACT-{n}")
    kind = "jugement"
    issued_on = date(2025, 12, 10)
    start_on = date(2026, 1, 1)
    end_on = None
    creditor_dossier = factory.SubFactory(DossierFactory, single_parent=True, children=1)
    debtor = factory.SubFactory(PersonFactory, man=True)
    amount = Decimal("150.00")
    arrangement = "classique"
    debit = False
    refused = False
    judge_excluded = False
    violence = False
    asf_eligible = False
    debtor_employer = ""

    class Params:
        with_violence = factory.Trait(violence=True, refused=True)  # opens despite the refusal
        refused_by_both = factory.Trait(refused=True)  # no intermediation
        excluded_by_judge = factory.Trait(judge_excluded=True)
        divorce = factory.Trait(kind="divorce")
        older = factory.Trait(  # before the automatic intermediation: opens on request only
            kind="acte_notarie", issued_on=date(2021, 6, 1), start_on=date(2021, 7, 1)
        )
        direct_debit = factory.Trait(debit=True)

    @classmethod
    def _create(cls, model_class, *, creditor_dossier, amount, arrangement, debit, **kwargs):
        titre, _ = titre_record(
            creditor=allocataire(creditor_dossier),
            creditor_dossier=creditor_dossier,
            children=[ChildLine(child, amount, arrangement) for child in _children(creditor_dossier)],
            debtor_bank=DEBTOR_BANK,
            creditor_bank=CREDITOR_BANK,
            mandate_signed_on=kwargs["issued_on"] if debit else None,
            **kwargs,
        )
        return titre


class TitreChildFactory(factory.django.DjangoModelFactory):
    """A child of a titre (written with it: a titre is never changed)."""

    class Meta:
        model = TitreChild

    titre = factory.SubFactory(TitreFactory)

    class Params:
        alternating = factory.Trait(titre=factory.SubFactory(TitreFactory, arrangement="alterne"))

    @classmethod
    def _create(cls, model_class, *, titre):
        return titre.children.first()


class TitreRequestFactory(factory.django.DjangoModelFactory):
    """A joint request of unmarried parents for a Caf titre (CSS L582-2), filled in and signed by
    the creditor on 2 March 2026, then brought to `status`."""

    class Meta:
        model = TitreRequest

    creditor_dossier = factory.SubFactory(DossierFactory, single_parent=True, children=1)
    debtor = factory.SubFactory(PersonFactory, man=True, first_names="Karim", last_name="Benali")
    union = "pacs"
    amount = Decimal("220.00")
    debtor_monthly_resources = Decimal("1500.00")
    children_dependent_on_debtor = 1
    documents = factory.LazyFunction(pieces)
    refuse_intermediation = False
    status = "a_signer"

    class Params:
        deposee = factory.Trait(status="deposee")
        acceptee = factory.Trait(status="acceptee")
        acceptee_silence = factory.Trait(status="acceptee_silence")
        refusee = factory.Trait(status="refusee", union="mariage")  # married parents: not this path
        retiree = factory.Trait(status="retiree")

    @classmethod
    def _create(cls, model_class, *, creditor_dossier, amount, status, **kwargs):
        creditor = allocataire(creditor_dossier)
        request = titre_request_create(
            creditor=creditor,
            creditor_dossier=creditor_dossier,
            children=[RequestChild(child, amount, "classique") for child in _children(creditor_dossier)],
            signed_by=creditor,
            on=date(2026, 3, 2),
            **kwargs,
        )
        if status == "retiree":
            return titre_request_withdraw(request=request, person=request.debtor, on=date(2026, 3, 3))
        if status == "a_signer":
            return request
        request = titre_request_sign(request=request, person=request.debtor, on=date(2026, 3, 4))
        if status in ("acceptee", "refusee"):
            request = titre_request_decide(
                request=request,
                on=date(2026, 3, 20),
                debtor_bank=DEBTOR_BANK,
                creditor_bank=CREDITOR_BANK,
                by=UserFactory(aripa=True),
            )
        elif status == "acceptee_silence":
            titre_requests_by_silence(on=date(2026, 7, 6))
            request.refresh_from_db()
        return request


class TitreRequestChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TitreRequestChild

    request = factory.SubFactory(TitreRequestFactory)

    @classmethod
    def _create(cls, model_class, *, request):
        return request.children.first()


class TitreRequestTransitionFactory(factory.django.DjangoModelFactory):
    """The change of state logged for the last step of a request brought to `status`: the other
    parent's signature by default."""

    class Meta:
        model = TitreRequestTransition

    status = "deposee"

    class Params:
        acceptee = factory.Trait(status="acceptee")
        retiree = factory.Trait(status="retiree")
        acceptee_silence = factory.Trait(status="acceptee_silence")

    @classmethod
    def _create(cls, model_class, *, status):
        return TitreRequestFactory(status=status).transitions.latest("id")


class TitreDocumentFactory(factory.django.DjangoModelFactory):
    """A piece sent with a request: the requests' own service stores it (core/uploads.py)."""

    class Meta:
        model = TitreDocument

    request = factory.SubFactory(TitreRequestFactory)
    code = "identite_parents"

    @classmethod
    def _create(cls, model_class, *, request, code):
        return request.documents.get(code=code)
