"""Whatever the sequence of requests and decisions: the amount granted on a theme's budget of a
year never exceeds it, money stays integer cents, and each request's log replays to its state."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parcours.aid import lifecycle, rules, services
from parcours.aid.models import AidBudget, AidRequest, AidTransition
from parcours.core.transitions import replayed_state
from tests.factories.aid import committee_member, request_for
from tests.factories.households import DossierFactory
from tests.factories.social import social_worker

pytestmark = pytest.mark.django_db

KINDS = [
    ("logement", "installation"),
    ("petite_enfance", "puericulture"),
    ("parentalite", "mediation_familiale"),
]
STEP = st.tuples(
    st.sampled_from(["demander", "accorder", "refuser", "ajourner", "accorder_soi", "verser"]),
    st.integers(0, 2),  # which kind
    st.integers(1, 120_000),  # an amount in cents
    st.integers(0, 5),  # which request
)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.integers(0, 300_000), st.lists(STEP, min_size=1, max_size=12))
def test_granted_never_exceeds_the_budget(budget_cents, steps):
    year = timezone.localdate().year
    admin_worker = social_worker()
    member = committee_member()
    for theme, _ in KINDS:
        if not AidBudget.objects.filter(departement="91", theme=theme, year=year).exists():
            from tests.factories.accounts import UserFactory

            services.budget_set(
                departement="91",
                theme=theme,
                year=year,
                amount_cents=budget_cents,
                by=UserFactory(admin=True),
            )
    dossier = DossierFactory()
    made: list[AidRequest] = []
    for action, kind_index, cents, which in steps:
        theme, kind = KINDS[kind_index]
        try:
            if action == "demander":
                made.append(
                    request_for(
                        dossier, worker=admin_worker, theme=theme, kind=kind, amount_requested_cents=cents
                    )
                )
            elif action == "verser":
                services.aid_pay()
            elif made:
                request = made[which % len(made)]
                by = request.requested_by if action == "accorder_soi" else member
                decision = "accorder" if action.startswith("accorder") else action
                services.aid_decide(
                    request=request, action=decision, by=by, amount_granted_cents=cents, reason="Motif"
                )
        except (ValidationError, PermissionDenied):
            pass
    for theme, _ in KINDS:
        budget = AidBudget.objects.get(departement="91", theme=theme, year=year).amount_cents
        used = (
            AidRequest.objects.filter(theme=theme, budget_year=year, state__in=lifecycle.GRANTED).aggregate(
                total=Sum("amount_granted_cents")
            )["total"]
            or 0
        )
        assert isinstance(used, int) and used <= budget
    for request in AidRequest.objects.all():
        assert replayed_state(AidTransition, request) == request.state
        if request.state in lifecycle.GRANTED:
            assert request.requested_by_id != request.decided_by_id
            assert isinstance(request.amount_granted_cents, int)
            assert (
                request.amount_granted_cents
                <= rules.kind_rule(request.kind, request.requested_at.date()).ceiling_cents
            )
