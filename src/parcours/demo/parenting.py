"""The demo département's individual parenting support over the last year, played through the
services under a simulated clock (decision 0016): three labelled structures (the first one is the
Maison des familles of the demo "partenaire" account), their professionals, the slots they open,
the families who book 1 to 5 one-hour sessions (most through the structure on the parent's behalf,
by phone, with their consent; some through their social worker), the attendance the structure
records after each session (seen, excused, no-show), a few cancellations, and the orientation
after the fifth session held. The demo parent has a session held and one to come, which they booked
themselves; the next four weeks have free slots to book in the demo.

The orders of magnitude are the seeds' (DOMAIN.md §7): up to 13 000 families over 10 Caf, about
1 300 families in a year for a Caf of 0.5 to 1 million households; the demo takes 3 families per
1 000 households. Each draw comes from its own seeded stream, so a run is reproducible.
Idempotent: once the territory has bookings, a second run changes nothing.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from parcours.accounts.models import Role
from parcours.households.models import Dossier
from parcours.parenting import lifecycle, selectors, services
from parcours.parenting.models import Booking, Professional, Slot, Structure
from parcours.social.models import Accompaniment, Partner

from .playback import simulated_clock
from .social import team_and_partners
from .specs import numero_of

PER_THOUSAND = 3  # families per 1 000 households over the year
STRUCTURES = [  # name, address, commune, phone, account, professionals (first, last, profession)
    (
        "Maison des familles d'Évry",
        "2 rue du Bois Sauvage",
        "Évry-Courcouronnes",
        "01 60 78 00 01",
        "partenaire",
        [("Claire", "Martin", "Psychologue"), ("Samir", "Haddad", "Conseiller conjugal et familial")],
    ),
    (
        "Centre social des Pyramides",
        "5 place de l'Agora",
        "Évry-Courcouronnes",
        "01 60 78 10 20",
        "pyramides-accueil",
        [("Lucie", "Garnier", "Éducatrice de jeunes enfants"), ("Paul", "Renaud", "Psychologue")],
    ),
    (
        "Point écoute parents de Corbeil",
        "12 rue Saint-Spire",
        "Corbeil-Essonnes",
        "01 60 78 10 30",
        "corbeil-ecoute",
        [("Nora", "Benali", "Psychologue clinicienne")],
    ),
]
HOURS = (9, 10, 11, 14, 15, 16, 17)
# After a session booked: the family came, warned it could not (excused), did not come, or the
# session was cancelled before it started.
OUTCOMES = ((lifecycle.VUE, 0.78), (lifecycle.EXCUSEE, 0.08), (lifecycle.ABSENTE, 0.09), ("annulee", 0.05))
BY_WORKER = 0.5  # share of the accompanied families booked by their social worker (the others: the structure)


@dataclass
class Step:
    day: date
    order: int
    run: Callable[[], None]


def _at(day: date, hour: int) -> datetime:
    """`hour` o'clock on `day`, French time."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=timezone.get_current_timezone()).astimezone(
        UTC
    )


def structures(departement: str, today: date) -> list[tuple[Structure, list[Professional], object]]:
    """The territory's labelled structures, each with its professionals and the account that
    records for it (found again on a second run)."""
    _, partners = team_and_partners(departement)
    users = get_user_model().objects
    found = []
    for index, (name, address, commune, phone, username, people) in enumerate(STRUCTURES):
        partner: Partner | None = partners[0] if index == 0 and partners else None
        structure = services.structure_create(
            departement=departement,
            name=name,
            address=address,
            commune=commune,
            labelled_on=today - timedelta(days=540),
            phone=phone,
            partner=partner,
        )
        account = users.filter(username=username).first()
        if account is None:  # no login: the structure's name on the pages, the author in the logs
            account = users.create(
                username=username, first_name="Accueil", last_name=name[:150], role=Role.PARTNER
            )
            account.set_unusable_password()
            account.save(update_fields=["password"])
        services.member_add(structure=structure, user=account)
        professionals = [
            services.professional_add(structure=structure, first_name=f, last_name=last, profession=p)
            for f, last, p in people
        ]
        found.append((structure, professionals, account))
    return found


def parenting_demo(*, reference: date, seed: int, today: date | None = None) -> dict[str, int]:
    """A year of parenting sessions up to `today`, and free slots for the next four weeks; the
    counts of what was played."""
    from .generator import departement as demo_departement

    today = today or timezone.localdate()
    departement = demo_departement()
    if Booking.objects.filter(dossier__departement=departement).exists():
        return {"familles": 0}
    first_day = today - timedelta(days=365)
    places = structures(departement, first_day)
    households = Dossier.objects.filter(departement=departement, opened_on__lt=first_day).count()
    wanted = max(8, households * PER_THOUSAND // 1000)
    rng = random.Random(f"{seed}:parenting")
    # Families with children: those accompanied by a social worker first, then others.
    accompanied = {
        a.dossier_id: a.worker
        for a in Accompaniment.objects.filter(dossier__departement=departement, worker__isnull=False)
        .select_related("worker")
        .order_by("pk")
    }
    candidates = list(
        Dossier.objects.filter(departement=departement, opened_on__lt=first_day)
        .exclude(numero_allocataire=numero_of(0))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    rng.shuffle(candidates)
    candidates.sort(key=lambda pk: pk not in accompanied)  # stable: the accompanied first, shuffled
    candidates = candidates[: wanted * 3]
    dossiers = Dossier.objects.in_bulk(candidates)
    counts = dict.fromkeys(
        ("familles", "seances", "tenues", "absences", "annulees", "orientations", "rappels"), 0
    )
    steps: list[Step] = []
    chosen = 0
    for pk in candidates:
        if chosen >= wanted:
            break
        dossier = dossiers[pk]
        start = first_day + timedelta(days=rng.randrange(330))
        children = selectors.children_of(dossier, start)
        if not [c for c in children if lifecycle.child_refusal(c.first_names, c.birth_date, start) is None]:
            continue
        chosen += 1
        worker = accompanied.get(pk) if rng.random() < BY_WORKER else None
        steps += _family(chosen, dossier, start, today, places, worker, rng, counts)
    parent = Dossier.objects.filter(numero_allocataire=numero_of(0), departement=departement).first()
    parent_account = (
        get_user_model().objects.filter(username="parent", role=Role.PARENT).first() if parent else None
    )
    if parent is not None and parent_account is not None:
        steps += _demo_parent(parent, parent_account, today, places, counts)

    def remind() -> None:  # the daily step: the next day's sessions, once the day's bookings are made
        counts["rappels"] += services.reminders_send()

    steps += [Step(first_day + timedelta(days=offset), 10**9, remind) for offset in range(366)]
    with simulated_clock() as clock:
        for step in sorted(steps, key=lambda s: (s.day, s.order)):
            clock.set(step.day)
            step.run()
        clock.set(today)
        _free_slots(today, places)
    return counts


def _family(
    order: int,
    dossier: Dossier,
    start: date,
    today: date,
    places: list,
    worker: object,
    rng: random.Random,
    counts: dict[str, int],
) -> list[Step]:
    """A family's sessions: one a week or every fortnight, until it has had what it needed (1 to
    5 sessions); each booked a week ahead, its attendance recorded the day after."""
    structure, professionals, account = places[rng.randrange(len(places))]
    professional = rng.choice(professionals)
    wanted = rng.choice((1, 2, 3, 3, 4, 5, 5))
    by = worker or account
    steps: list[Step] = []
    state: dict = {"seen": 0}
    counts["familles"] += 1

    def book(number: int, day: date, hour: int) -> Callable[[], None]:
        def run() -> None:
            slot = services.slot_add(
                structure=structure,
                professional=professional,
                starts_at=_at(day, hour),
                mode=Slot.Mode.ON_SITE,
            )
            try:
                state[number] = services.booking_create(
                    slot=slot, dossier=dossier, by=by, consent_on=timezone.localdate()
                )
            except ValidationError:  # the slot taken, five sessions used, no child of age any more
                return
            counts["seances"] += 1

        return run

    def attend(number: int, outcome: str) -> Callable[[], None]:
        def run() -> None:
            booking = state.get(number)
            if booking is None:
                return
            if outcome == "annulee":
                services.booking_cancel(booking=booking, by=by, reason="Empêchement de la famille")
                counts["annulees"] += 1
                return
            services.attendance_record(booking=booking, outcome=outcome, by=account)
            if outcome == lifecycle.VUE:
                counts["tenues"] += 1
                state["seen"] += 1
            elif outcome == lifecycle.ABSENTE:
                counts["absences"] += 1

        return run

    def orient() -> None:
        if state["seen"] < lifecycle.MAX_SESSIONS:
            return
        partners = list(selectors.territory_partners(dossier.departement))
        target = rng.choice(
            (lifecycle.TO_PARTNER, lifecycle.TO_PARTNER, lifecycle.TO_CAF_SOCIAL, lifecycle.TO_NONE)
        )
        services.orientation_record(
            dossier=dossier,
            structure=structure,
            target=target if partners else lifecycle.TO_NONE,
            partner=rng.choice(partners) if target == lifecycle.TO_PARTNER and partners else None,
            note="Proposée à la fin du cycle de séances",
            by=account,
        )
        counts["orientations"] += 1

    day = start
    for number in range(wanted):
        session = day + timedelta(days=7)
        if session >= today:
            break
        hour = rng.choice(HOURS)
        steps.append(Step(day, order * 10 + number, book(number, session, hour)))
        outcome = rng.choices([o for o, _ in OUTCOMES], weights=[w for _, w in OUTCOMES])[0]
        when = session - timedelta(days=1) if outcome == "annulee" else session + timedelta(days=1)
        steps.append(Step(when, order * 10 + number, attend(number, outcome)))
        day = session + timedelta(days=rng.choice((0, 7)))
    if wanted == lifecycle.MAX_SESSIONS and day + timedelta(days=2) < today:
        steps.append(Step(day + timedelta(days=2), order * 10 + 9, orient))
    return steps


def _demo_parent(
    dossier: Dossier, account: object, today: date, places: list, counts: dict[str, int]
) -> list[Step]:
    """The demo parent booked a first session three weeks ago (held), and a second one next week."""
    structure, professionals, member = places[0]
    professional = professionals[0]
    state: dict = {}
    counts["familles"] += 1

    def book(day: date, key: str) -> Callable[[], None]:
        def run() -> None:
            slot = services.slot_add(
                structure=structure, professional=professional, starts_at=_at(day, 10), mode=Slot.Mode.ON_SITE
            )
            state[key] = services.booking_create(slot=slot, dossier=dossier, by=account)
            counts["seances"] += 1

        return run

    def held() -> None:
        services.attendance_record(booking=state["first"], outcome=lifecycle.VUE, by=member)
        counts["tenues"] += 1

    held_on = today - timedelta(days=14)
    return [
        Step(held_on - timedelta(days=7), 10**8, book(held_on, "first")),
        Step(held_on + timedelta(days=1), 10**8, held),
        Step(today - timedelta(days=1), 10**8 + 1, book(today + timedelta(days=6), "next")),
    ]


def _free_slots(today: date, places: list) -> None:
    """Slots for the next four weeks: two a working day per professional."""
    for offset in range(1, 29):
        day = today + timedelta(days=offset)
        if day.weekday() >= 5:
            continue
        for _, professionals, _ in places:
            for index, professional in enumerate(professionals):
                for hour in (HOURS[(offset + index) % 3], HOURS[3 + (offset + index) % 4]):
                    if not Slot.objects.filter(professional=professional, starts_at=_at(day, hour)).exists():
                        services.slot_add(
                            structure=professional.structure,
                            professional=professional,
                            starts_at=_at(day, hour),
                            mode=Slot.Mode.ON_SITE if hour < 17 else Slot.Mode.PHONE,
                        )
