"""python -m parcours casework nightly | dtr | endings — the back office's batch steps.

nightly: the indicators of every dossier, their segments, then the scores (set-based SQL).
dtr: the quarterly resource declarations of the day (expected, missing → tasks).
endings MONTH: the benefits paid last month and not this month → "fin de droit" tasks.
"""

from __future__ import annotations

import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from parcours.rights import services as rights

from ...services.scoring import profiles_compute, rescore
from ...services.segments import segments_apply


class Command(BaseCommand):
    help = "Tâches : calcul nocturne des indicateurs, segments et scores ; déclarations trimestrielles ; fins de droit."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("step", choices=["nightly", "dtr", "endings"])
        parser.add_argument("--day", help="Jour (AAAA-MM-JJ), aujourd'hui par défaut")
        parser.add_argument("--month", help="Mois des fins de droit (AAAA-MM), ce mois par défaut")

    def handle(self, *args, step: str, day: str | None, month: str | None, **options) -> None:  # type: ignore[no-untyped-def]
        try:
            on = date.fromisoformat(day) if day else timezone.localdate()
        except ValueError:
            raise CommandError("La date s'écrit AAAA-MM-JJ.") from None
        if step == "dtr":
            self.stdout.write(str(rights.dtr_cycle(on)))
        elif step == "endings":
            self.stdout.write(f"fins de droit : {rights.rights_endings(month or f'{on:%Y-%m}')}")
        else:
            for label, run in (
                ("indicateurs", lambda: profiles_compute(day=on)),
                ("segments", lambda: segments_apply(day=on)),
                ("scores", lambda: rescore(day=on)),
            ):
                start = time.perf_counter()
                result = run()
                self.stdout.write(f"{label} : {result} ({time.perf_counter() - start:.1f} s)")
