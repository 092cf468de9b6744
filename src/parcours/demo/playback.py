"""A playback of the demo département, day by day, through the services: the Caf's batch steps and
the households' behaviour drawn from a seeded model. Used by the casework back-test
(bench/backtest.py); `make demo` never runs it.

The Caf's calendar (what runs each simulated day, in this order):
- on the 1st of each month X: the monthly rights run of X (the command `rights recompute --month X`
  the Caf's scheduler runs: "les droits du mois", with the declarations missing that day), then
  `rights_endings(X)` (as `casework endings`);
- every day: `rights.services.dtr_cycle(day)` (as `casework dtr`);
- then the households' events of the day (below), each through its service;
- the nightly scoring (`casework nightly`) only on the days the caller asks for: nothing in the
  model reads a score (no agent acts on the queue), so the other nights would change nothing
  measured.
The services read "today" from `django.utils.timezone`: the playback runs under a simulated clock
(`simulated_clock`), the simulated day at 08:00 UTC plus the real seconds elapsed since it began.

The households' behaviour. Each dossier has a hidden propensity π in [0, 1] (the demo generator
draws none, so it is drawn here, Beta(1.2, 6), mean 0.17, from `random.Random(f"{seed}:playback:
{numero}")`: independent of the generator's draws, of the registry and of any score). Every event
is drawn from its own seeded stream (seed, numero, event, period), so a run is reproducible and
one household's draws do not depend on the others'.
- Quarterly resource declaration (DTR), once expected: on time with probability 1 - π, on a day
  drawn uniformly from the 1st to the 15th of its quarter's first month; otherwise never sent with
  probability π (the household gives up the claim or has moved: π² overall), else late, received
  1 + Exp(mean 5 + 60 π) days after its due day (the more disorganised, the later; some arrive
  after the playback ends, i.e. stay missing). Received late through
  `rights.services.dtr_receive` (the suspended months are paid back); on time (nothing is
  suspended yet) through `households.services.declaration_receive`, the rights service's
  revision being a recomputation of the same amounts.
- Each month, for the dossiers paid a monthly benefit the month before, on a day drawn uniformly:
  a letter comes back with probability 0.004 + 0.04 π, a payment is returned by the bank with
  probability 0.002 + 0.02 π; for those paid an aide au logement, the landlord notifies rent
  arrears with probability 0.003 + 0.03 π (`households.services.incident_report`). A returned
  letter is settled by a new address (`address_set`, same commune), a returned payment by new bank
  details (`bank_account_set`), 1 + Exp(mean 10 + 60 π) days later; rent arrears are never settled
  by the household (an agent closes them, and no agent acts here).
In the rights engine only a missing DTR suspends a payment (HouseholdFacts.suspended); letters,
payments and arrears open tasks but stop nothing, so they add risk to the score and no outcome.
Besides the DTRs, the payments that stop come from the demo's own histories (a child past an age
limit, a resource changed, a separation), which the loader wrote in the registry in advance.
"""

from __future__ import annotations

import io
import random
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from django.core.management import call_command
from django.utils import timezone
from schwifty import IBAN

from parcours.households import dtr
from parcours.households import services as registry
from parcours.households.models import Address, BankAccount, Dossier, IncidentKind, QuarterlyDeclaration
from parcours.rights import services as rights
from parcours.rights.facts import month_add
from parcours.rights.selectors import latest_revisions

from .generator import BANKS, months_before, reference_data

SOURCE = "playback"
PROPENSITY_BETA = (1.2, 6.0)
LATE_DAYS = (5.0, 60.0)  # mean delay of a late DTR after its due day: a + b π
SETTLE_DAYS = (10.0, 60.0)  # mean delay before a new address or new bank details: a + b π
MONTHLY_RATES = {  # kind: (a, b), a monthly probability a + b π
    IncidentKind.RETURNED_MAIL: (0.004, 0.04),
    IncidentKind.RETURNED_PAYMENT: (0.002, 0.02),
    IncidentKind.RENT_ARREARS: (0.003, 0.03),
}


class SimulatedClock:
    """`timezone.now()` on the simulated day: 08:00 UTC plus the real seconds since the day began
    (monotonic within a day, so "opened at" stays ordered)."""

    def __init__(self) -> None:
        self.day = timezone.localdate()
        self._began = time.monotonic()

    def set(self, day: date) -> None:
        self.day, self._began = day, time.monotonic()

    def now(self) -> datetime:
        start = datetime(self.day.year, self.day.month, self.day.day, 8, tzinfo=UTC)
        return start + timedelta(seconds=time.monotonic() - self._began)


@contextmanager
def simulated_clock() -> Iterator[SimulatedClock]:
    """Every service reads the simulated day (timezone.localdate() goes through timezone.now())."""
    clock = SimulatedClock()
    real = timezone.now
    timezone.now = clock.now  # type: ignore[assignment]
    try:
        yield clock
    finally:
        timezone.now = real  # type: ignore[assignment]


def propensity(seed: int, numero: str) -> float:
    """The household's hidden propensity to be late, lose letters, change bank... (0 to 1)."""
    return random.Random(f"{seed}:playback:{numero}").betavariate(*PROPENSITY_BETA)


def _stream(seed: int, numero: str, event: str, period: date) -> random.Random:
    return random.Random(f"{seed}:playback:{numero}:{event}:{period:%Y-%m}")


def dtr_received_on(seed: int, numero: str, quarter: date, pi: float) -> date | None:
    """The day the household sends the declaration of `quarter` (perhaps after the playback), or
    None: it never does."""
    rng = _stream(seed, numero, "dtr", quarter)
    if rng.random() >= pi:  # on time: between the quarter's 1st and its due day
        return quarter + timedelta(days=rng.randrange(0, dtr.DUE_DAY))
    if rng.random() < pi:  # the household stops declaring (moved away, gave up the claim…)
        return None
    delay = 1 + int(rng.expovariate(1 / (LATE_DAYS[0] + LATE_DAYS[1] * pi)))
    return dtr.due_on(quarter) + timedelta(days=delay)


def _days_in(month: date) -> int:
    return (months_before(month, -1) - month).days


@dataclass
class Playback:
    """The state of a playback: the seed, the dossiers' numeros and propensities, the events to come."""

    seed: int
    numeros: dict[int, str] = field(default_factory=dict)
    propensities: dict[int, float] = field(default_factory=dict)
    receipts: dict[tuple[int, date], date | None] = field(default_factory=dict)
    incidents: dict[date, list[tuple[int, str]]] = field(default_factory=lambda: defaultdict(list))
    settlements: dict[date, list[tuple[int, str]]] = field(default_factory=lambda: defaultdict(list))
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def pi(self, dossier_id: int) -> float:
        if dossier_id not in self.propensities:
            numero = self.numeros.get(dossier_id) or Dossier.objects.get(pk=dossier_id).numero_allocataire
            self.numeros[dossier_id] = numero
            self.propensities[dossier_id] = propensity(self.seed, numero)
        return self.propensities[dossier_id]

    def load(self) -> None:
        self.numeros = dict(Dossier.objects.values_list("pk", "numero_allocataire"))
        self.propensities = {d: propensity(self.seed, n) for d, n in self.numeros.items()}


def monthly_run(month: str) -> None:
    """The monthly rights run, through its command (quiet: no progress bar, the summary discarded)."""
    call_command("rights", "recompute", "--month", month, verbosity=0, stdout=io.StringIO())


def bootstrap(clock: SimulatedClock, month: date) -> None:
    """The monthly run of the month before the playback, so that its first day knows who is paid."""
    clock.set(month)
    monthly_run(f"{month:%Y-%m}")


def _month_start(state: Playback, day: date) -> None:
    """The 1st: the monthly run and the endings, then the month's incidents are drawn."""
    month = f"{day:%Y-%m}"
    monthly_run(month)
    state.counts["fins de droit"] += rights.rights_endings(month)
    previous = latest_revisions(month_add(month, -1)).filter(benefit__in=rights.PAID_BENEFITS, amount__gt=0)
    paid = set(previous.values_list("dossier_id", flat=True))
    housed = set(previous.filter(benefit="aide_logement").values_list("dossier_id", flat=True))
    for dossier_id in sorted(paid):
        pi = state.pi(dossier_id)
        rng = _stream(state.seed, state.numeros[dossier_id], "incidents", day)
        for kind, (a, b) in MONTHLY_RATES.items():
            happens = rng.random() < a + b * pi
            on = day + timedelta(days=rng.randrange(_days_in(day)))
            if happens and (kind != IncidentKind.RENT_ARREARS or dossier_id in housed):
                state.incidents[on].append((dossier_id, kind))


def _receive_declarations(state: Playback, day: date) -> None:
    pending = QuarterlyDeclaration.objects.filter(received_on__isnull=True).values_list(
        "dossier_id", "quarter_start"
    )
    for dossier_id, quarter in list(pending):
        key = (dossier_id, quarter)
        if key not in state.receipts:
            pi = state.pi(dossier_id)
            state.receipts[key] = dtr_received_on(state.seed, state.numeros[dossier_id], quarter, pi)
        received = state.receipts[key]
        if received is None or received > day:
            continue
        dossier = Dossier.objects.get(pk=dossier_id)
        if day <= dtr.due_on(quarter):
            # On time nothing is suspended (households.dtr.suspended): the registry's service
            # alone; the rights service's revision would recompute the same amounts, at a
            # household's full OpenFisca cost each.
            registry.declaration_receive(dossier=dossier, quarter=quarter, on=day)
            state.counts["DTR reçues à temps"] += 1
        else:
            rights.dtr_receive(dossier=dossier, quarter=quarter, on=day)
            state.counts["DTR reçues en retard"] += 1


def _report_incidents(state: Playback, day: date) -> None:
    for dossier_id, kind in state.incidents.pop(day, []):
        dossier = Dossier.objects.get(pk=dossier_id)
        registry.incident_report(dossier=dossier, kind=kind, on=day, source=SOURCE)
        state.counts[str(kind)] += 1
        if kind == IncidentKind.RENT_ARREARS:
            continue
        rng = _stream(state.seed, state.numeros[dossier_id], f"settle-{kind}", day)
        mean = SETTLE_DAYS[0] + SETTLE_DAYS[1] * state.pi(dossier_id)
        state.settlements[day + timedelta(days=1 + int(rng.expovariate(1 / mean)))].append((dossier_id, kind))


def _settle(state: Playback, day: date) -> None:
    """A new address (same commune, another street) or new bank details, through the registry."""
    for dossier_id, kind in state.settlements.pop(day, []):
        dossier = Dossier.objects.get(pk=dossier_id)
        rng = _stream(state.seed, state.numeros[dossier_id], f"new-{kind}", day)
        if kind == IncidentKind.RETURNED_MAIL:
            current = Address.objects.current().valid_on(day).filter(dossier=dossier).first()
            if current is None:
                continue
            street = f"{rng.randrange(1, 180)} {rng.choice(reference_data()['streets'])}"
            registry.address_set(
                dossier=dossier,
                valid_from=day,
                street=street,
                postcode=current.postcode,
                commune_insee=current.commune_insee,
                commune_name=current.commune_name,
                is_confidential=current.is_confidential,
            )
            state.counts["nouvelles adresses"] += 1
        else:
            account = BankAccount.objects.current().valid_on(day).filter(dossier=dossier).first()
            if account is None:
                continue
            bank, branch = rng.choice(BANKS)
            iban = IBAN.generate(
                "FR", bank_code=bank, branch_code=branch, account_code=f"{rng.randrange(10**10, 10**11)}"
            )
            registry.bank_account_set(
                dossier=dossier, valid_from=day, holder_name=account.holder_name, iban=iban.compact
            )
            state.counts["nouveaux RIB"] += 1


def play(
    *,
    seed: int,
    first: date,
    last: date,
    nights: dict[date, Callable[[date], None]] | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """Play the days first..last (first: a 1st of month), after the monthly run of the month before;
    on each day of `nights`, the nightly scoring then the callback. Returns the events' counts."""
    if first.day != 1:
        raise ValueError("la lecture commence un premier du mois")
    from parcours.casework.services.scoring import profiles_compute, rescore
    from parcours.casework.services.segments import segments_apply

    nights = nights or {}
    state = Playback(seed)
    with simulated_clock() as clock:
        bootstrap(clock, months_before(first, 1))
        state.load()
        day = first
        while day <= last:
            clock.set(day)
            if day.day == 1:
                _month_start(state, day)
            cycle = rights.dtr_cycle(day)
            state.counts["DTR attendues"] += cycle["attendues"]
            _settle(state, day)
            _receive_declarations(state, day)
            _report_incidents(state, day)
            if day in nights:
                profiles_compute(day=day)
                segments_apply(day=day)
                rescore(day=day)
                nights[day](day)
            if progress and (day.day == 1 or day in nights):
                progress(f"{day} : {dict(state.counts)}")
            day += timedelta(days=1)
    return dict(state.counts)
