"""`python -m parcours ifpa daily|check|simulate-bank|seed`: the intermediation's batch commands.

Each prints a JSON summary as its last line on stdout (progress goes to stderr).
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from parcours.intermediation.bank import BankFileError


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"Date invalide « {text} » : le format attendu est AAAA-MM-JJ.") from None


class Command(BaseCommand):
    help = "Intermédiation financière des pensions alimentaires (IFPA) : traitements quotidiens."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        sub = parser.add_subparsers(dest="action", required=True)
        daily = sub.add_parser("daily", help="traite un jour ouvré")
        daily.add_argument("--date", required=True, help="jour traité, AAAA-MM-JJ")
        daily.add_argument("--statement", action="append", default=[], help="relevé camt.053 / camt.054")
        daily.add_argument("--out", required=True, help="dossier des fichiers pain.001 / pain.008")
        sub.add_parser("check", help="vérifie le grand livre")
        bank = sub.add_parser("simulate-bank", help="écrit un relevé camt.053 simulé")
        bank.add_argument("--from", dest="start", required=True, help="premier jour, AAAA-MM-JJ")
        bank.add_argument("--to", dest="end", required=True, help="dernier jour, AAAA-MM-JJ")
        bank.add_argument(
            "--pay-rate", type=float, default=0.7, help="part des débiteurs qui paient à l'heure"
        )
        bank.add_argument("--seed", type=int, default=2026)
        bank.add_argument("--out", required=True, help="fichier écrit")
        seed = sub.add_parser("seed", help="crée des intermédiations fictives (démonstration, mesures)")
        seed.add_argument("--intermediations", type=int, required=True)
        seed.add_argument("--seed", type=int, default=2026)
        seed.add_argument("--first-month", default="2026-01-01", help="premier mois dû, AAAA-MM-01")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        action = options["action"]
        if action == "daily":
            summary = self._daily(options)
        elif action == "check":
            from parcours.intermediation.cycle.check import ledger_check

            summary = ledger_check()
            self.stdout.write(json.dumps(summary))
            if not summary["ok"]:
                sys.exit(1)
            return
        elif action == "simulate-bank":
            from parcours.demo.bank_simulation import simulate_bank

            start, end = _day(options["start"]), _day(options["end"])
            if end < start:
                raise CommandError("--to doit être postérieur ou égal à --from.")
            try:
                summary = simulate_bank(
                    start=start,
                    end=end,
                    pay_rate=options["pay_rate"],
                    seed=options["seed"],
                    out=Path(options["out"]),
                )
            except ValueError as error:
                raise CommandError(str(error)) from None
        else:
            from parcours.demo.ifpa_seed import seed_intermediations

            if options["intermediations"] < 1:
                raise CommandError("--intermediations doit être positif.")
            summary = seed_intermediations(
                count=options["intermediations"],
                seed=options["seed"],
                first_month=_day(options["first_month"]),
            )
        self.stdout.write(json.dumps(summary))

    def _progress(self, day: date):  # type: ignore[no-untyped-def]
        def announce(step: str) -> None:
            self.stderr.write(f"ifpa {day} : {step}")
            self.stderr.flush()  # as the step starts (an operator, or the crash test, watches it)

        return announce

    def _daily(self, options):  # type: ignore[no-untyped-def]
        from parcours.intermediation.cycle.daily import run_day

        day = _day(options["date"])
        paths = [Path(p) for p in options["statement"]]
        for path in paths:
            if not path.is_file():
                raise CommandError(f"Relevé introuvable : {path}. Rien n'a été importé.")
        verbose = options["verbosity"] > 1
        try:
            return run_day(
                day,
                paths,
                Path(options["out"]),
                progress=self._progress(day) if verbose else None,
            )
        except BankFileError as error:
            raise CommandError(f"{error} Rien n'a été importé ni traité.") from None
