"""The demo département's individual financial aid over the last year, played through the services
under a simulated clock (decision 0017): the committee (the demo "social" account, two of its
colleagues), a budget per theme for each calendar year the year touches,
the requests the social workers file (most for families they accompany), the committee's weekly
decisions (most granted; some refused by the committee, some because a theme's budget ran out),
and one SEPA payment batch on the first day of each month.

About 30 requests per 1 000 households (150 for the 5 000-household demo); each draw from its own
seeded stream, so a run is reproducible. A request the rules refuse at once (over the ceiling, over
the income condition) is filed again at the ceiling, or given up: counted, never stored. Idempotent:
once the territory has requests, a second run changes nothing.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.utils import timezone
from schwifty import IBAN

from parcours.aid import rules, selectors, services
from parcours.aid.models import AidBudget, AidCommittee, AidRequest
from parcours.households.models import Dossier
from parcours.households.selectors import household_on
from parcours.social.models import Accompaniment

from .playback import simulated_clock
from .social import WORKERS, team_and_partners
from .specs import numero_of

PER_THOUSAND = 30  # requests per 1 000 households over the year
# theme: (its budget against what the year's requests would take, share of the requests): the
# housing budget runs out before the year ends, the others do not.
BUDGETS = {
    rules.LOGEMENT: (0.7, 0.34),
    rules.PETITE_ENFANCE: (1.4, 0.18),
    rules.ENFANCE_JEUNESSE: (1.4, 0.24),
    rules.PARENTALITE: (1.4, 0.14),
    rules.VIE_SOCIALE: (1.4, 0.10),
}
MEAN_GRANTED = 0.6  # of the ceiling: amounts drawn from a quarter of it to all of it, some cut
QF_FILED_ANYWAY = 0.1  # share of the families over the income condition whose request is filed
COMMITTEE_REFUSALS = (
    "Une aide de même nature a déjà été accordée cette année.",
    "Le projet ne relève pas du règlement intérieur d'action sociale.",
    "D'autres dispositifs sont mobilisables en premier (FSL, fonds départemental).",
)
MOTIVES = {
    "installation": "Entrée dans un logement après la séparation : dépôt de garantie et premier loyer.",
    "dette_de_loyer": "Dette de loyer après une baisse de ressources ; plan d'apurement signé avec le bailleur.",
    "equipement_menager": "Équipement du nouveau logement : réfrigérateur et lave-linge.",
    "frais_de_garde": "Reprise d'emploi : frais de garde en attendant une place en crèche.",
    "puericulture": "Naissance : lit et poussette.",
    "depart_en_vacances": "Premier départ en colonie de vacances des enfants.",
    "loisirs": "Inscription des enfants au club sportif de la commune.",
    "bafa": "Formation BAFA de l'aîné, projet professionnel dans l'animation.",
    "mediation_familiale": "Séances de médiation familiale après la séparation.",
    "droit_de_visite": "Trajets pour exercer le droit de visite et d'hébergement.",
    "action_collective": "Participation au projet de vacances familiales du centre social.",
    "sortie_familiale": "Sortie familiale d'été organisée par l'espace de vie sociale.",
}
THIRD_PARTIES = {  # kinds paid to a third party rather than to the family, with the payee's name
    "installation": "Office public de l'habitat de l'Essonne",
    "dette_de_loyer": "Office public de l'habitat de l'Essonne",
    "frais_de_garde": "Micro-crèche Les Petits Pas",
    "depart_en_vacances": "Association Vacances et Loisirs 91",
    "bafa": "Organisme de formation Animation Jeunesse",
    "mediation_familiale": "Association de médiation familiale de l'Essonne",
    "action_collective": "Centre social des Pyramides",
    "sortie_familiale": "Espace de vie sociale du Canal",
}


@dataclass
class Step:
    day: date
    order: int
    run: Callable[[], None]


def _third_party_iban(name: str) -> str:
    number = sum(ord(c) for c in name) * 7919 % 10**11
    return str(IBAN.generate("FR", bank_code="30004", account_code=f"{number:011d}"))


def _member(username: str, departement: str):  # type: ignore[no-untyped-def]
    return get_user_model().objects.filter(username=username, departement=departement).first()


def _budget_cents(theme: str, wanted: int) -> int:
    factor, share = BUDGETS[theme]
    ceilings = [rules.kind_rule(kind, date(2024, 1, 1)).ceiling_cents for kind, _ in rules.kinds_of(theme)]
    expected = wanted * share * MEAN_GRANTED * sum(ceilings) / len(ceilings)
    return max(100_000, int(expected * factor) // 10_000 * 10_000)


def committee_and_budgets(departement: str, today: date, wanted: int) -> tuple[list, list]:
    """The territory's committee and budgets (found again on a second run): the social workers who
    file, the members who decide."""
    team, _ = team_and_partners(departement)
    workers = list(team.members.order_by("pk"))
    committee, _ = AidCommittee.objects.get_or_create(
        departement=departement, defaults={"name": "Commission des aides financières individuelles"}
    )
    members = [
        u
        for u in (_member(n, departement) for n in ("social", WORKERS[0][0], WORKERS[1][0], WORKERS[2][0]))
        if u is not None
    ]
    committee.members.add(*members)
    for year in sorted({(today - timedelta(days=365)).year, today.year}):
        for theme in BUDGETS:
            if not AidBudget.objects.filter(departement=departement, theme=theme, year=year).exists():
                services.budget_set(
                    departement=departement,
                    theme=theme,
                    year=year,
                    amount_cents=_budget_cents(theme, wanted),
                    by=members[0],
                )
    return workers, members


def aid_demo(*, reference: date, seed: int, today: date | None = None) -> dict[str, int]:
    """A year of individual financial aid up to `today`; the counts of what was played."""
    from .generator import departement as demo_departement

    today = today or timezone.localdate()
    departement = demo_departement()
    if AidRequest.objects.filter(departement=departement).exists():
        return {"demandes": 0}
    first_day = today - timedelta(days=365)
    households = Dossier.objects.filter(departement=departement, opened_on__lt=first_day).count()
    wanted = max(10, households * PER_THOUSAND // 1000)
    workers, members = committee_and_budgets(departement, today, wanted)
    if len(members) < 2 or not workers:
        return {"demandes": 0}
    rng = random.Random(f"{seed}:aid")
    # Families accompanied during the year first, by their social worker; then others.
    accompaniments = list(
        Accompaniment.objects.filter(
            dossier__departement=departement, opened_on__gte=first_day, worker__isnull=False
        ).order_by("pk")
    )
    rng.shuffle(accompaniments)
    planned: list[tuple[Dossier, Accompaniment | None, object, date]] = []
    parent_dossier = Dossier.objects.filter(numero_allocataire=numero_of(0)).first()
    if parent_dossier is not None:  # the demo parent: an aid to settle in, early in the year
        planned.append((parent_dossier, None, workers[0], first_day + timedelta(days=20)))
    for accompaniment in accompaniments:
        if len(planned) >= wanted * 2 // 3:
            break
        day = accompaniment.opened_on + timedelta(days=15 + rng.randrange(45))
        if day <= today - timedelta(days=3) and _modest(accompaniment.dossier, day, rng):
            planned.append((accompaniment.dossier, accompaniment, accompaniment.worker, day))
    others = list(
        Dossier.objects.filter(departement=departement, opened_on__lt=first_day)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    rng.shuffle(others)
    for pk in others:
        if len(planned) >= wanted:
            break
        day = first_day + timedelta(days=rng.randrange(362))
        dossier = Dossier.objects.get(pk=pk)
        if _modest(dossier, day, rng):
            planned.append((dossier, None, rng.choice(workers), day))
    counts = {
        "demandes": 0,
        "refus_a_la_demande": 0,
        "accordees": 0,
        "refusees": 0,
        "refus_budget": 0,
        "ajournees": 0,
        "lots": 0,
    }
    steps: list[Step] = []
    for order, (dossier, accompaniment, worker, day) in enumerate(planned):
        steps += _timeline(order, dossier, accompaniment, worker, day, today, members, seed, counts)
    month = date(first_day.year, first_day.month, 1)
    while month <= today:
        if month > first_day:
            steps.append(Step(month, 10**9, lambda: _pay(counts)))
        month = rules.add_months(month, 1)
    with simulated_clock() as clock:
        for step in sorted(steps, key=lambda s: (s.day, s.order)):
            clock.set(step.day)
            step.run()
    return counts


def _modest(dossier: Dossier, day: date, rng: random.Random) -> bool:
    """Whether a social worker would ask for an aid for this family: its quotient familial within
    the strictest income condition, or (rarely) not, and the rules then refuse the request."""
    qf = selectors.family_quotient(dossier, day).qf_cents
    return qf <= 70_000 or rng.random() < QF_FILED_ANYWAY


def _pay(counts: dict[str, int]) -> None:
    counts["lots"] += len(services.aid_pay())


def _choose(rng: random.Random) -> tuple[str, str]:
    themes = list(BUDGETS)
    theme = rng.choices(themes, weights=[BUDGETS[t][1] for t in themes])[0]
    kinds = [code for code, _ in rules.kinds_of(theme)]
    return theme, rng.choice(kinds)


def _timeline(
    order: int,
    dossier: Dossier,
    accompaniment: Accompaniment | None,
    worker,  # type: ignore[no-untyped-def]
    on: date,
    today: date,
    members: list,
    seed: int,
    counts: dict[str, int],
) -> list[Step]:
    rng = random.Random(f"{seed}:aid:{dossier.numero_allocataire}:{order}")
    theme, kind = (rules.LOGEMENT, "installation") if order == 0 and accompaniment is None else _choose(rng)
    rule = rules.kind_rule(kind, on)
    form = rules.GRANT if rule.grant and (not rule.loan or rng.random() < 0.7) else rules.LOAN
    # A few requests are typed above the ceiling (refused at once, then filed at the ceiling).
    over = rng.random() < 0.06
    amount = (
        rule.ceiling_cents + 5_000
        if over
        else 100 * rng.randrange(rule.ceiling_cents // 400, rule.ceiling_cents // 100 + 1)
    )
    months = rng.randrange(3, rule.loan_max_months + 1) if form == rules.LOAN else None
    deciders = [m for m in members if m.pk != worker.pk]
    member = rng.choice(deciders)
    decision_day = on + timedelta(days=(1 - on.weekday()) % 7 + 7 * rng.randrange(1, 3))  # a Tuesday
    draw = rng.random()
    state: dict = {}
    steps: list[Step] = []

    def step(day: date, run: Callable[[], None]) -> None:
        if day <= today:
            steps.append(Step(day, order, run))

    def file() -> None:
        payee = THIRD_PARTIES.get(kind) if rng.random() < 0.8 else None
        account = household_on(dossier, timezone.localdate()).bank_account
        if payee is None and account is None:
            payee = THIRD_PARTIES.get(kind, "Centre social des Pyramides")
        values = {
            "dossier": dossier,
            "by": worker,
            "theme": theme,
            "kind": kind,
            "form": form,
            "loan_months": months,
            "motive": MOTIVES[kind],
            "payee_kind": "tiers" if payee else "famille",
            "payee_name": payee or (account.holder_name if account else ""),
            "payee_iban": _third_party_iban(payee) if payee else (account.iban if account else ""),
            "accompaniment": accompaniment,
        }
        try:
            state["r"] = services.aid_request_create(amount_requested_cents=amount, **values)
        except ValidationError as error:
            counts["refus_a_la_demande"] += 1
            if set(error.message_dict) != {"amount_requested"}:
                return  # the income condition (perhaps beside the ceiling): directed elsewhere
            state["r"] = services.aid_request_create(amount_requested_cents=rule.ceiling_cents, **values)
        counts["demandes"] += 1

    def decide() -> None:
        request = state.get("r")
        if request is None:
            return
        request.refresh_from_db()  # adjourned at the last meeting, perhaps
        try:
            if draw < 0.08:
                services.aid_decide(
                    request=request, action="refuser", by=member, reason=rng.choice(COMMITTEE_REFUSALS)
                )
                counts["refusees"] += 1
                return
            if draw < 0.14 and request.state == "soumise":
                services.aid_decide(request=request, action="ajourner", by=member, reason="Devis à fournir.")
                counts["ajournees"] += 1
                step_later()
                return
            granted = request.amount_requested_cents
            if rng.random() < 0.25:  # the committee grants part of it
                granted = max(100, granted * rng.choice((50, 75, 80)) // 100 // 100 * 100)
            services.aid_decide(request=request, action="accorder", by=member, amount_granted_cents=granted)
            counts["accordees"] += 1
        except ValidationError as error:
            if "amount_granted" not in error.message_dict:
                raise
            counts["refus_budget"] += 1
            services.aid_decide(
                request=request, action="refuser", by=member, reason=" ".join(error.messages)[:500]
            )
            counts["refusees"] += 1
        except PermissionDenied:
            return

    def step_later() -> None:
        # Adjourned: decided at the meeting two weeks later (played when that day comes).
        pending.append(Step(timezone.localdate() + timedelta(days=14), order, decide))

    pending: list[Step] = []
    step(on, file)
    step(decision_day, decide)
    steps.append(Step(decision_day + timedelta(days=14), order, lambda: _run_pending(pending, today)))
    return steps


def _run_pending(pending: list[Step], today: date) -> None:
    due, pending[:] = list(pending), []
    for item in due:
        if item.day <= today:
            item.run()


def granted_total(departement: str) -> int:
    """Everything granted on the territory's budgets (a check for the demo's tests)."""
    return int(
        AidRequest.objects.filter(departement=departement, amount_granted_cents__isnull=False).aggregate(
            total=Sum("amount_granted_cents")
        )["total"]
        or 0
    )
