"""Individual financial aid: the committee of a territory, the budgets, and the requests as a
social worker files them and the committee decides them, all through parcours.aid.services."""

from __future__ import annotations

from typing import Any

import factory
from django.utils import timezone

from parcours.aid import rules, services
from parcours.aid.models import (
    AidBudget,
    AidCommittee,
    AidRequest,
    AidTransition,
    LoanRepayment,
    PaymentBatch,
)

from .accounts import UserFactory
from .households import CREDITOR_IBAN, DossierFactory
from .social import social_worker

LANDLORD_IBAN = "FR7630001007941234567890185"
YEAR_BUDGET_CENTS = 5_000_000  # 50 000 € per theme


class AidCommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AidCommittee
        django_get_or_create = ("departement",)

    name = "Commission des aides financières"
    departement = "91"


def committee_member(departement: str = "91"):  # type: ignore[no-untyped-def]
    """A social worker of the territory who sits on its committee."""
    user = social_worker(departement)
    AidCommitteeFactory(departement=departement).members.add(user)
    return user


def budgets(departement: str = "91", *, year: int | None = None, cents: int = YEAR_BUDGET_CENTS) -> None:
    """A budget for every theme of the year (this year unless told)."""
    year = year or timezone.localdate().year
    admin = UserFactory(admin=True)
    for theme in rules.THEMES:
        services.budget_set(departement=departement, theme=theme, year=year, amount_cents=cents, by=admin)


class AidBudgetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AidBudget

    departement = "91"
    theme = rules.LOGEMENT
    year = factory.LazyFunction(lambda: timezone.localdate().year)
    amount_cents = YEAR_BUDGET_CENTS

    @classmethod
    def _create(cls, model_class, **kwargs):
        return services.budget_set(by=UserFactory(admin=True), **kwargs)


def request_for(dossier=None, worker=None, **overrides: Any) -> AidRequest:  # type: ignore[no-untyped-def]
    """A request filed by a social worker: by default an aid to settle in a home (logement), a grant
    of 400 €, paid to the landlord."""
    dossier = dossier or DossierFactory()
    worker = worker or social_worker(dossier.departement)
    values: dict[str, Any] = {
        "theme": rules.LOGEMENT,
        "kind": "installation",
        "form": rules.GRANT,
        "amount_requested_cents": 40_000,
        "motive": "Entrée dans un nouveau logement après la séparation : dépôt de garantie.",
        "payee_kind": AidRequest.Payee.THIRD_PARTY,
        "payee_name": "Office public de l'habitat d'Évry",
        "payee_iban": LANDLORD_IBAN,
    }
    values.update(overrides)
    return services.aid_request_create(dossier=dossier, by=worker, **values)


def granted(request: AidRequest | None = None, member=None, cents: int | None = None) -> AidRequest:  # type: ignore[no-untyped-def]
    """A request granted by a committee member (not its author), its theme's budget opened."""
    request = request or request_for()
    if not AidBudget.objects.filter(
        departement=request.departement, theme=request.theme, year=timezone.localdate().year
    ).exists():
        budgets(request.departement)
    member = member or committee_member(request.departement)
    return services.aid_decide(
        request=request,
        action="accorder",
        by=member,
        amount_granted_cents=cents if cents is not None else request.amount_requested_cents,
    )


class AidRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AidRequest

    @classmethod
    def _create(cls, model_class, **kwargs):
        return request_for(**kwargs)


class AidTransitionFactory(factory.django.DjangoModelFactory):
    """A granted request: its "accorder" move."""

    class Meta:
        model = AidTransition

    @classmethod
    def _create(cls, model_class, **kwargs):
        request = granted()
        return AidTransition.objects.filter(request=request).latest("id")


class PaymentBatchFactory(factory.django.DjangoModelFactory):
    """The batch paying one granted aid."""

    class Meta:
        model = PaymentBatch

    @classmethod
    def _create(cls, model_class, **kwargs):
        granted()
        return services.aid_pay()[0]


class LoanRepaymentFactory(factory.django.DjangoModelFactory):
    """The first instalment of a paid loan (a rent-debt loan of 600 € over 6 months)."""

    class Meta:
        model = LoanRepayment

    @classmethod
    def _create(cls, model_class, **kwargs):
        request = request_for(
            kind="dette_de_loyer", form=rules.LOAN, amount_requested_cents=60_000, loan_months=6
        )
        granted(request)
        services.aid_pay()
        return LoanRepayment.objects.filter(request=request).order_by("number").first()


__all__ = [
    "CREDITOR_IBAN",
    "LANDLORD_IBAN",
    "AidBudgetFactory",
    "AidCommitteeFactory",
    "AidRequestFactory",
    "AidTransitionFactory",
    "LoanRepaymentFactory",
    "PaymentBatchFactory",
    "budgets",
    "committee_member",
    "granted",
    "request_for",
]
