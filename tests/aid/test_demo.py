"""The demo's year of financial aid: played through the services, reproducible, idempotent; the
budgets are never exceeded, some requests refused, a payment batch per month."""

from __future__ import annotations

import os
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Sum

from parcours.aid import lifecycle
from parcours.aid.models import AidBudget, AidRequest, PaymentBatch
from parcours.demo.aid import aid_demo
from parcours.demo.social import social_demo
from parcours.intermediation.bank import validate_pain

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_the_demo_plays_a_year_of_aid_within_the_budgets():
    call_command(
        "demo",
        households=int(os.environ.get("AID_DEMO_HOUSEHOLDS", "400")),
        seed=7,
        reference_month="2026-11",
        no_ifpa=True,
        no_social=True,  # played below, the social year first: the aid goes to families accompanied
        stdout=StringIO(),
        verbosity=0,
    )
    social_demo(reference=None, seed=7)  # type: ignore[arg-type]
    counts = aid_demo(reference=None, seed=7)  # type: ignore[arg-type]
    assert counts["demandes"] >= 5 and counts["accordees"] > counts["refusees"]  # 12 wanted at 400 households
    assert AidRequest.objects.filter(state=lifecycle.VERSEE).exists()
    assert PaymentBatch.objects.count() >= 6
    for batch in PaymentBatch.objects.all():
        validate_pain(batch.xml.encode("utf-8"))
    for budget in AidBudget.objects.all():
        used = AidRequest.objects.filter(
            departement=budget.departement,
            theme=budget.theme,
            budget_year=budget.year,
            state__in=lifecycle.GRANTED,
        ).aggregate(total=Sum("amount_granted_cents"))["total"]
        assert (used or 0) <= budget.amount_cents
    assert not AidRequest.objects.filter(
        state=lifecycle.ACCORDEE, decided_on__lt=PaymentBatch.objects.latest("execution_date").execution_date
    ).exists()
    before = AidRequest.objects.count()
    assert aid_demo(reference=None, seed=7) == {"demandes": 0}  # type: ignore[arg-type]
    assert AidRequest.objects.count() == before
