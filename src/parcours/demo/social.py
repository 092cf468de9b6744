"""The demo département's social support over the last year, played through the services under a
simulated clock: the team (the demo "social" account leads it, with eight colleagues: the seeds'
Caf has 9 chargées d'intervention sociale), the partners' directory (the demo "partenaire" account
is the Maison des familles), and a year of signalements, offers, answers, accompaniments with
their interviews, objectives, notes and referrals, and the partners' answers.

The orders of magnitude are the seeds' (DOMAIN.md §7): one Caf's 1 376 separation signalements led
to 516 accompaniments (37.5 %), its 76 spouse deaths to 55 (72 %). Every separation of the demo's
last year is signalled; the other kinds are drawn per separation at the rates below. Each draw
comes from its own seeded stream, so a run is reproducible. Idempotent: a second run, once the
demo's signalements exist, changes nothing.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from parcours.accounts.models import Role
from parcours.households.models import ChangeKind, Dossier, SituationChange
from parcours.social import services
from parcours.social.models import Interview, Partner, Signalement, SocialTeam
from parcours.social.offers import OFFERS, SignalementKind

from .playback import simulated_clock

SOURCE = "démo"
# kind: (signalements per separation signalement, share accepted, share refused); the rest of the
# written offers go unanswered (sans réponse once their delay has passed).
RATES = {
    SignalementKind.SEPARATION: (1.0, 516 / 1376, 0.30),
    SignalementKind.DECES_CONJOINT: (76 / 1376, 55 / 76, 0.10),
    SignalementKind.DECES_ENFANT: (12 / 1376, 0.60, 0.15),
    SignalementKind.MONOPARENTALITE: (0.25, 0.35, 0.30),
    SignalementKind.IMPAYE_LOYER: (0.20, 0.45, 0.25),
    SignalementKind.ENFANT_MALADE: (0.04, 0.55, 0.20),
    SignalementKind.HANDICAP: (0.08, 0.50, 0.20),
    SignalementKind.VIOLENCES: (0.05, 0.65, 0.15),
}
WORKERS = [  # the eight colleagues of the demo "social" account (no login: names on the pages)
    ("nbernard", "Nadia", "Bernard"),
    ("jpetit", "Julien", "Petit"),
    ("adurand", "Amélie", "Durand"),
    ("kleroy", "Karim", "Leroy"),
    ("emoreau", "Élodie", "Moreau"),
    ("tsimon", "Thomas", "Simon"),
    ("ilaurent", "Inès", "Laurent"),
    ("cmichel", "Chloé", "Michel"),
]
PARTNERS = [  # name, kind, services, labels, phone, opening; the first one is the demo account's
    (
        "Maison des familles d'Évry",
        Partner.Kind.PARENTALITE,
        "Groupes de parole de parents, accompagnement individuel à la parentalité, ateliers parents-enfants.",
        "Réseau parentalité 91",
        "01 60 78 00 01",
        "Du lundi au vendredi, 9 h – 18 h",
    ),
    (
        "Association de médiation familiale de l'Essonne",
        Partner.Kind.MEDIATION,
        "Médiation familiale, entretien d'information gratuit, barème national.",
        "Service conventionné Caf",
        "01 60 78 00 02",
        "Sur rendez-vous",
    ),
    (
        "Espace rencontre parents-enfants de Corbeil",
        Partner.Kind.ESPACE_RENCONTRE,
        "Droits de visite dans un lieu neutre, remise d'enfants accompagnée.",
        "Service conventionné Caf",
        "01 60 78 00 03",
        "Mercredi et samedi",
    ),
    (
        "Aide à domicile Familles 91",
        Partner.Kind.AIDE_DOMICILE,
        "Technicienne d'intervention sociale et familiale, aide aux familles après une naissance, un décès, une séparation.",
        "",
        "01 60 78 00 04",
        "Du lundi au vendredi",
    ),
    (
        "Consultations de psychologues — Point écoute familles",
        Partner.Kind.PSYCHOLOGUE,
        "Soutien psychologique des parents et des enfants, deuil.",
        "",
        "01 60 78 00 05",
        "Sur rendez-vous",
    ),
    (
        "Pôle ressources handicap de l'Essonne",
        Partner.Kind.HANDICAP,
        "Accueil des enfants en situation de handicap en crèche et en accueil de loisirs, solutions de répit.",
        "Pôle ressources handicap",
        "01 60 78 00 06",
        "Du lundi au vendredi",
    ),
    (
        "Agence départementale d'information sur le logement",
        Partner.Kind.LOGEMENT,
        "Conseil juridique sur le logement, prévention des expulsions, plans d'apurement.",
        "",
        "01 60 78 00 07",
        "Permanences le mardi et le jeudi",
    ),
    (
        "Centre d'information sur les droits des femmes et des familles",
        Partner.Kind.VIOLENCES,
        "Accueil et accompagnement des victimes de violences conjugales, information juridique.",
        "",
        "01 60 78 00 08",
        "Du lundi au vendredi",
    ),
]
# The partner a referral goes to, per kind of signalement (by index in PARTNERS).
REFERRED_TO = {
    SignalementKind.SEPARATION: (1, 2, 0),
    SignalementKind.MONOPARENTALITE: (0, 3),
    SignalementKind.DECES_CONJOINT: (4, 3),
    SignalementKind.DECES_ENFANT: (4,),
    SignalementKind.IMPAYE_LOYER: (6,),
    SignalementKind.ENFANT_MALADE: (3, 4),
    SignalementKind.HANDICAP: (5,),
    SignalementKind.VIOLENCES: (7, 4),
}
OBJECTIVES = {
    SignalementKind.SEPARATION: ("Organiser la résidence des enfants", "Faire fixer la pension alimentaire"),
    SignalementKind.MONOPARENTALITE: (
        "Trouver un mode d'accueil pour les enfants",
        "Reprendre une formation",
    ),
    SignalementKind.DECES_CONJOINT: ("Faire valoir les droits des enfants", "Stabiliser le budget familial"),
    SignalementKind.DECES_ENFANT: ("Être orienté vers un soutien psychologique",),
    SignalementKind.IMPAYE_LOYER: (
        "Signer un plan d'apurement avec le bailleur",
        "Déposer un dossier au FSL",
    ),
    SignalementKind.ENFANT_MALADE: ("Obtenir l'allocation journalière de présence parentale",),
    SignalementKind.HANDICAP: ("Trouver une place en accueil de loisirs adapté", "Déposer le dossier AEEH"),
    SignalementKind.VIOLENCES: (
        "Mettre la famille en sécurité",
        "Être accompagné dans les démarches juridiques",
    ),
}
NOTES = (
    "Premier entretien : point sur les droits, le logement et l'organisation de la famille.",
    "Entretien de suivi : démarches engagées, prochain rendez-vous fixé.",
    "La famille a pu joindre le partenaire ; situation plus stable.",
)
OUTCOMES = (
    ("objectifs_atteints", 0.45),
    ("objectifs_partiels", 0.25),
    ("relais_partenaire", 0.12),
    ("fin_a_la_demande", 0.08),
    ("sans_nouvelles", 0.10),
)


@dataclass
class Step:
    day: date
    order: int  # steps of one signalement run in order, whatever the day
    run: Callable[[], None]


def _user(username: str, first: str, last: str, departement: str, role: str = Role.TRAVAILLEUR_SOCIAL):  # type: ignore[no-untyped-def]
    """An account without a password (no login): a name on the pages, an author in the logs."""
    user, created = get_user_model().objects.get_or_create(
        username=username,
        defaults={"first_name": first, "last_name": last, "role": role, "departement": departement},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def team_and_partners(departement: str) -> tuple[SocialTeam, list[Partner]]:
    """The social team of the territory and its partners (found again on a second run)."""
    team, _ = SocialTeam.objects.get_or_create(
        departement=departement, defaults={"name": "Service d'intervention sociale de la Caf"}
    )
    users = get_user_model().objects
    lead = users.filter(username="social").first()
    workers = [lead] if lead else []
    workers += [_user(u, f, last, departement) for u, f, last in WORKERS]
    team.members.add(*workers)
    if lead:
        team.leaders.add(lead)
    partners = []
    for index, (name, kind, offered, labels, phone, opening) in enumerate(PARTNERS):
        partner, _ = Partner.objects.get_or_create(
            name=name,
            departement=departement,
            defaults={
                "kind": kind,
                "services": offered,
                "labels": labels,
                "phone": phone,
                "opening": opening,
            },
        )
        account = users.filter(username="partenaire").first() if index == 0 else None
        if account is None:  # the other partners answer through an account of their own
            account = _user(f"partenaire-{index}", "Accueil", name[:150], "", Role.PARTNER)
        partner.members.add(account)
        partners.append(partner)
    return team, partners


def _draws(seed: int, numero: str, kind: str) -> random.Random:
    return random.Random(f"{seed}:social:{numero}:{kind}")


def _at(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def social_demo(*, reference: date, seed: int, today: date | None = None) -> dict[str, int]:
    """A year of social support up to `today`; the counts of what was played."""
    from .generator import departement as demo_departement

    today = today or timezone.localdate()
    departement = demo_departement()
    team, partners = team_and_partners(departement)
    if Signalement.objects.filter(source__startswith=SOURCE).exists():
        return {"signalements": 0}
    workers = list(team.members.order_by("pk"))
    first_day = today - timedelta(days=365)
    separated = (
        SituationChange.objects.filter(
            kind=ChangeKind.SEPARATION, effective_date__gte=first_day, effective_date__lte=today
        )
        .filter(dossier__opened_on__lt=first_day, dossier__departement=departement)
        .order_by("dossier_id", "effective_date")
        .values_list("dossier_id", "effective_date")
    )
    separations = dict(reversed(list(separated)))  # each dossier's first separation of the year
    others = list(
        Dossier.objects.filter(departement=departement, opened_on__lt=first_day)
        .exclude(pk__in=separations)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    rng = random.Random(f"{seed}:social")
    planned: list[tuple[int, str, date]] = [
        (d, SignalementKind.SEPARATION, on + timedelta(days=10)) for d, on in separations.items()
    ]
    for kind, (per_separation, _, _) in RATES.items():
        if kind == SignalementKind.SEPARATION:
            continue
        count = round(per_separation * len(separations))
        for dossier_id in rng.sample(others, min(count, len(others))):
            planned.append((dossier_id, kind, first_day + timedelta(days=rng.randrange(365))))
    dossiers = Dossier.objects.in_bulk([d for d, _, _ in planned])
    steps: list[Step] = []
    counts = {"signalements": 0, "accompagnements": 0, "orientations": 0}
    for order, (dossier_id, kind, on) in enumerate(sorted(planned, key=lambda p: (p[2], p[0], p[1]))):
        if on > today:
            continue
        steps += _timeline(
            order, dossiers[dossier_id], SignalementKind(kind), on, today, workers, partners, seed, counts
        )
    with simulated_clock() as clock:
        for step in sorted(steps, key=lambda s: (s.day, s.order)):
            clock.set(step.day)
            step.run()
    return counts


def _timeline(
    order: int,
    dossier: Dossier,
    kind: SignalementKind,
    on: date,
    today: date,
    workers: list,
    partners: list[Partner],
    seed: int,
    counts: dict[str, int],
) -> list[Step]:
    """The steps of one signalement's life, each on its day (only those up to `today`)."""
    rng = _draws(seed, dossier.numero_allocataire, kind)
    offer = OFFERS[kind]
    _, accept, refuse = RATES[kind]
    worker = rng.choice(workers)
    state: dict = {}
    steps: list[Step] = []

    def step(day: date, run: Callable[[], None]) -> None:
        if day <= today:
            steps.append(Step(day, order, run))

    def create() -> None:
        state["s"] = services.signalement_create(
            dossier=dossier, kind=kind, source=f"{SOURCE} n° {order + 1}"
        )
        counts["signalements"] += 1
        if offer.channel == "ecrit":
            services.offer_send(signalement_id=state["s"].pk)

    step(on, create)
    if offer.channel != "ecrit":
        step(on + timedelta(days=1), lambda: services.signalement_propose(signalement=state["s"], by=worker))
    draw = rng.random()
    answered = on + timedelta(days=1 + rng.randrange(max(1, offer.answer_days - 1)))
    if draw >= accept + refuse:
        step(on + timedelta(days=offer.answer_days + 1), lambda: services.offers_expire())
        return steps
    if draw >= accept:
        step(answered, lambda: services.signalement_answer(signalement=state["s"], accepted=False, by=worker))
        return steps

    def open_() -> None:
        state["a"] = services.signalement_answer(signalement=state["s"], accepted=True, by=worker)
        counts["accompagnements"] += 1

    step(answered, open_)
    first = answered + timedelta(days=3 + rng.randrange(12))
    place = "Caf d'Évry, accueil social"

    def plan_interview(day: date, mode: str = Interview.Mode.ON_SITE) -> Callable[[], None]:
        def run() -> None:
            state["i"] = services.interview_plan(
                accompaniment=state["a"], on=_at(day, 10), mode=mode, place=place, by=worker
            )

        return run

    def record(held: bool, note: str) -> Callable[[], None]:
        return lambda: services.interview_record(interview=state["i"], held=held, note=note, by=worker)

    step(answered, plan_interview(first))
    if rng.random() < 0.12:  # the family does not come to the first meeting: a second one
        step(first + timedelta(days=1), record(False, ""))
        first += timedelta(days=14)
        step(first - timedelta(days=13), plan_interview(first, Interview.Mode.PHONE))
    step(first + timedelta(days=1), record(True, NOTES[0]))
    step(
        first + timedelta(days=1),
        lambda: services.accompaniment_act(accompaniment=state["a"], action="diagnostiquer", by=worker),
    )
    plan_day = first + timedelta(days=7 + rng.randrange(14))
    objectives = OBJECTIVES[kind][: 1 + rng.randrange(len(OBJECTIVES[kind]))]

    def plan() -> None:
        state["o"] = [services.objective_add(accompaniment=state["a"], text=t, by=worker) for t in objectives]
        services.accompaniment_act(accompaniment=state["a"], action="etablir_plan", by=worker)

    step(plan_day, plan)
    if rng.random() < 0.35:
        partner = partners[rng.choice(REFERRED_TO[kind])]
        referred = plan_day + timedelta(days=rng.randrange(10))

        def refer() -> None:
            state["r"] = services.referral_create(
                accompaniment=state["a"],
                partner=partner,
                purpose=f"{partner.get_kind_display()} : {objectives[0].lower()}",
                contact="Par téléphone, au numéro donné par la famille",
                consent_on=referred,
                by=worker,
            )
            counts["orientations"] += 1

        step(referred, refer)
        by = partner.members.order_by("pk").first()
        if by is not None:
            answer = rng.random()
            if answer < 0.85:
                step(
                    referred + timedelta(days=3),
                    lambda: services.referral_act(referral=state["r"], action="accepter", by=by),
                )
                held = rng.random() < 0.8
                step(
                    referred + timedelta(days=20),
                    lambda: services.referral_act(
                        referral=state["r"],
                        action="tenue" if held else "non_tenue",
                        by=by,
                        reason="Premier rendez-vous tenu" if held else "La famille ne s'est pas présentée",
                    ),
                )
            else:
                step(
                    referred + timedelta(days=3),
                    lambda: services.referral_act(
                        referral=state["r"], action="decliner", by=by, reason="Pas de place avant trois mois"
                    ),
                )
    follow = plan_day + timedelta(days=30)
    step(follow - timedelta(days=7), plan_interview(follow, Interview.Mode.PHONE))
    step(follow + timedelta(days=1), record(True, NOTES[1]))
    closing = follow + timedelta(days=30 + rng.randrange(120))
    outcome = rng.choices([o for o, _ in OUTCOMES], weights=[w for _, w in OUTCOMES])[0]

    def close() -> None:
        for objective in state["o"][: 1 if outcome != "objectifs_atteints" else None]:
            services.objective_reach(objective=objective, by=worker)
        services.accompaniment_act(
            accompaniment=state["a"],
            action="clore",
            by=worker,
            reason="Fin de l'accompagnement",
            outcome=outcome,
        )

    step(closing, close)
    return steps
