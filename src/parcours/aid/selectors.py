"""Reads of the individual financial aid, each limited to who may see it: the social workers and the
committee of a territory, a parent's own decisions; the family's quotient familial; the figures
(granted per theme and year against the budget, per month)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_FLOOR, Decimal
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import ExtractMonth
from django.utils import timezone

from parcours.accounts.rules import Perm, has_permission
from parcours.households.access import of_territory, own_dossier_ids, staff_covers
from parcours.households.models import Dossier, ResourceKind
from parcours.households.selectors import household_on
from parcours.rights.selectors import latest_revisions

from . import lifecycle, rules
from .models import AidBudget, AidCommittee, AidRequest, PaymentBatch

# Who may sit on the committee: a request is a family's file (its motive, its quotient familial, its
# IBAN), and managers never open an individual dossier (accounts.rules); a manager put on the
# committee by mistake decides nothing and reads nothing.
COMMITTEE_ROLES = frozenset({"travailleur_social"})


def is_social_worker(user: Any) -> bool:
    return has_permission(getattr(user, "role", ""), Perm.SOCIAL)


def committee_of(user: Any) -> AidCommittee | None:
    """The committee of the user's territory if the user sits on it."""
    if getattr(user, "role", "") not in COMMITTEE_ROLES or not getattr(user, "departement", ""):
        return None
    return AidCommittee.objects.filter(departement=user.departement, members=user).first()


def is_committee_member(user: Any, departement: str) -> bool:
    return (
        getattr(user, "role", "") in COMMITTEE_ROLES
        and staff_covers(user, departement)
        and AidCommittee.objects.filter(departement=departement, members=user).exists()
    )


def territory_requests(user: Any) -> QuerySet[AidRequest]:
    """The requests a social worker or a committee member of the territory may open."""
    if not (is_social_worker(user) or committee_of(user) is not None):
        return AidRequest.objects.none()
    return of_territory(user, AidRequest.objects.all(), "departement")


def worker_requests(user: Any) -> QuerySet[AidRequest]:
    return territory_requests(user).filter(requested_by=user)


def requests_to_decide(user: Any) -> QuerySet[AidRequest]:
    if committee_of(user) is None:
        return AidRequest.objects.none()
    return territory_requests(user).filter(state__in=lifecycle.TO_DECIDE).order_by("requested_at", "id")


def territory_batches(user: Any) -> QuerySet[PaymentBatch]:
    if committee_of(user) is None and getattr(user, "role", "") != "admin":
        return PaymentBatch.objects.none()
    return of_territory(user, PaymentBatch.objects.all(), "departement")


# --- The quotient familial ----------------------------------------------------------------------


def _cents(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value(rounding=ROUND_FLOOR))


@dataclass(frozen=True)
class FamilyQuotient:
    resources_cents: int
    benefits_cents: int
    halves: int
    qf_cents: int


def family_quotient(dossier: Dossier, on: date) -> FamilyQuotient:
    """The family's quotient familial on `on`, from what parcours knows: the monthly resources
    declared in the registry (less a child support paid), the month's family benefits due (the
    latest revision of each), and the parts of the household (rules.half_parts)."""
    state = household_on(dossier, on)
    resources = Decimal("0")
    for (_, kind), amount in state.resources.items():
        resources += -amount if kind == ResourceKind.PENSION_ALIMENTAIRE_VERSEE else amount
    benefits = latest_revisions(f"{on:%Y-%m}").filter(
        dossier=dossier, benefit__in=rules.FAMILY_BENEFITS
    ).aggregate(total=Sum("amount"))["total"] or Decimal("0")
    halves = rules.half_parts(adults=len(state.adults), children=len(state.children))
    resources_cents, benefits_cents = _cents(resources), _cents(benefits)
    return FamilyQuotient(
        resources_cents,
        benefits_cents,
        halves,
        rules.quotient_familial_cents(
            monthly_resources_cents=resources_cents, monthly_benefits_cents=benefits_cents, halves=halves
        ),
    )


# --- Budgets and figures ------------------------------------------------------------------------


def granted_cents(*, departement: str, theme: str, year: int) -> int:
    """What is granted on a theme's budget of a year: the granted and paid aids."""
    total = AidRequest.objects.filter(
        departement=departement, theme=theme, budget_year=year, state__in=lifecycle.GRANTED
    ).aggregate(total=Sum("amount_granted_cents"))["total"]
    return int(total or 0)


@dataclass(frozen=True)
class BudgetLine:
    theme: str
    label: str
    budget_cents: int
    used_cents: int
    count: int

    @property
    def left_cents(self) -> int:
        return max(0, self.budget_cents - self.used_cents)

    @property
    def percent(self) -> int:
        """The share used, in whole percent (for a progress bar), 0 without a budget."""
        return min(100, self.used_cents * 100 // self.budget_cents) if self.budget_cents else 0


def budget_lines(*, departement: str, year: int) -> list[BudgetLine]:
    """Per theme: the year's budget, what is granted on it (count, cents), what is left."""
    budgets = dict(
        AidBudget.objects.filter(departement=departement, year=year).values_list("theme", "amount_cents")
    )
    used: dict[str, tuple[int, int]] = {
        row["theme"]: (int(row["cents"] or 0), int(row["count"] or 0))
        for row in AidRequest.objects.filter(
            departement=departement, budget_year=year, state__in=lifecycle.GRANTED
        )
        .values("theme")
        .annotate(cents=Sum("amount_granted_cents"), count=Count("id"))
        .order_by("theme")
    }
    return [
        BudgetLine(theme, label, int(budgets.get(theme, 0)), *used.get(theme, (0, 0)))
        for theme, label in rules.THEMES.items()
    ]


def granted_per_month(*, departement: str, year: int) -> list[dict[str, int]]:
    """Per month of the decision: the aids granted (count, cents) on the year's budgets."""
    rows = (
        AidRequest.objects.filter(
            departement=departement,
            budget_year=year,
            state__in=lifecycle.GRANTED,
            decided_on__year=year,
        )
        .annotate(month=ExtractMonth("decided_on"))
        .values("month")
        .annotate(count=Count("id"), cents=Sum("amount_granted_cents"))
        .order_by("month")
    )
    found: dict[int, tuple[int, int]] = {
        int(row["month"]): (int(row["count"]), int(row["cents"] or 0)) for row in rows
    }
    return [
        {"month": m, "count": found.get(m, (0, 0))[0], "cents": found.get(m, (0, 0))[1]} for m in range(1, 13)
    ]


def decisions_of_year(*, departement: str, year: int) -> dict[str, int]:
    """How many requests of the year were granted, refused, adjourned or wait."""
    rows = (
        AidRequest.objects.filter(departement=departement, requested_at__year=year)
        .values("state")
        .annotate(count=Count("id"))
        .order_by("state")
    )
    return {row["state"]: row["count"] for row in rows}


# --- The parent's space -------------------------------------------------------------------------


def parent_requests(user: Any) -> QuerySet[AidRequest]:
    """The decided requests of the parent's own dossiers (never the motive nor the notes)."""
    if not has_permission(getattr(user, "role", ""), Perm.OWN_DOSSIER):
        return AidRequest.objects.none()
    return AidRequest.objects.filter(
        dossier_id__in=own_dossier_ids(user),
        state__in={lifecycle.ACCORDEE, lifecycle.VERSEE, lifecycle.REFUSEE},
    ).order_by("-decided_on", "-id")


def parent_aid_section(user: Any) -> dict[str, Any] | None:
    """The context of the parent-space section: theme, kind, amount and state of each decision."""
    rows = list(parent_requests(user)[:20])
    if not rows:
        return None
    return {"aids": rows, "today": timezone.localdate()}
