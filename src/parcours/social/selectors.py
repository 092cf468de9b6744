"""Reads of social support, each limited to who may see it: the social team of a territory, a
partner's own referrals, a parent's own offers."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from parcours.accounts.rules import Perm, has_permission
from parcours.households.access import of_territory, own_dossier_ids

from . import lifecycle
from .models import Accompaniment, Referral, Signalement, SocialTeam
from .offers import Channel


def is_social_worker(user: Any) -> bool:
    return has_permission(getattr(user, "role", ""), Perm.SOCIAL)


def territory_signalements(user: Any) -> QuerySet[Signalement]:
    if not is_social_worker(user):
        return Signalement.objects.none()
    return of_territory(user, Signalement.objects.all(), "dossier__departement")


def territory_accompaniments(user: Any) -> QuerySet[Accompaniment]:
    if not is_social_worker(user):
        return Accompaniment.objects.none()
    return of_territory(user, Accompaniment.objects.all(), "dossier__departement")


def caseload(user: Any) -> QuerySet[Accompaniment]:
    """The social worker's own open accompaniments."""
    return territory_accompaniments(user).filter(worker=user, state__in=lifecycle.ACCOMPANIMENT_OPEN)


def led_team(user: Any) -> SocialTeam | None:
    """The team this user leads on their territory, if any."""
    if not is_social_worker(user):
        return None
    return user.social_led_teams.filter(departement=user.departement).first()


def team_caseloads(team: SocialTeam) -> list[dict[str, Any]]:
    """Per social worker of the team: open accompaniments, by step, and those closed this year."""
    year = timezone.localdate().year
    rows = (
        team.members.annotate(
            open=Count("accompaniments", filter=Q(accompaniments__state__in=lifecycle.ACCOMPANIMENT_OPEN)),
            first=Count("accompaniments", filter=Q(accompaniments__state=lifecycle.PREMIER_ENTRETIEN)),
            closed=Count(
                "accompaniments",
                filter=Q(accompaniments__state=lifecycle.CLOS, accompaniments__closed_on__year=year),
            ),
        )
        .order_by("last_name", "username")
        .values("pk", "username", "first_name", "last_name", "open", "first", "closed")
    )
    return list(rows)


def partner_referrals(user: Any) -> QuerySet[Referral]:
    """The referrals made to the partner structures of this account, and nothing else."""
    if not has_permission(getattr(user, "role", ""), Perm.REFERRALS):
        return Referral.objects.none()
    # A referral cancelled by the social worker (the family withdrew its consent) is no longer theirs.
    return Referral.objects.filter(partner__members=user).exclude(state=lifecycle.ANNULEE)


def parent_offers(user: Any) -> QuerySet[Signalement]:
    """The written offers proposed to this parent's own dossiers, awaiting an answer."""
    if not getattr(user, "person_id", None):
        return Signalement.objects.none()
    return Signalement.objects.filter(
        dossier_id__in=own_dossier_ids(user), state=lifecycle.PROPOSE, channel=Channel.WRITTEN
    )


def yearly_figures(departement: str, year: int) -> dict[str, Any]:
    """The figures the annual report gives for social support on a territory and a year (counts
    only, no person): per offer, the signalements received and what came of them; the families
    followed by each social worker (an accompaniment open on any day of the year); the referrals by
    partner and outcome."""
    from datetime import date

    from .offers import OFFERS

    signalements = Signalement.objects.filter(dossier__departement=departement, created_at__year=year)
    per_kind = {
        row["kind"]: row
        for row in signalements.values("kind").annotate(
            received=Count("pk"),
            accepted=Count("pk", filter=Q(state=lifecycle.ACCEPTE)),
            refused=Count("pk", filter=Q(state=lifecycle.REFUSE)),
            unanswered=Count("pk", filter=Q(state=lifecycle.SANS_REPONSE)),
        )
    }
    opened = dict(
        Accompaniment.objects.filter(dossier__departement=departement, opened_on__year=year)
        .values_list("signalement__kind")
        .annotate(n=Count("pk"))
    )
    offers = []
    for kind, offer in OFFERS.items():
        row = per_kind.get(kind, {})
        counts = {k: row.get(k, 0) for k in ("received", "accepted", "refused", "unanswered")}
        offers.append({"kind": kind, "label": offer.label, **counts, "opened": opened.get(kind, 0)})
    during = Accompaniment.objects.filter(
        dossier__departement=departement, opened_on__lte=date(year, 12, 31)
    ).filter(Q(closed_on__isnull=True) | Q(closed_on__gte=date(year, 1, 1)))
    per_worker = list(
        during.exclude(worker=None)
        .values("worker__first_name", "worker__last_name", "worker__username")
        .annotate(families=Count("dossier", distinct=True))
        .order_by("worker__last_name", "worker__username")
    )
    referrals = list(
        Referral.objects.filter(accompaniment__dossier__departement=departement, created_at__year=year)
        .values("partner__name", "state")
        .annotate(count=Count("pk"))
        .order_by("partner__name", "state")
    )
    for row in referrals:
        row["state_label"] = lifecycle.REFERRAL.label(row["state"])
    return {
        "year": year,
        "offers": offers,
        "families": during.values("dossier").distinct().count(),
        "workers": len(per_worker),
        "per_worker": per_worker,
        "referrals": referrals,
    }
