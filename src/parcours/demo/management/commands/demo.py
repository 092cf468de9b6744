"""`python -m parcours demo --households N --seed S`: the synthetic département, idempotent."""

from __future__ import annotations

import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from parcours.accounts.models import Role
from parcours.demo import generator, loader
from parcours.demo.accounts import DEMO_PASSWORD, ensure_demo_accounts

DEPARTEMENT = "91"


class Command(BaseCommand):
    help = "Charge un département synthétique déterministe (foyers, historiques, comptes de démonstration)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--households", type=int, default=5000, help="nombre de foyers (défaut : 5000)")
        parser.add_argument("--seed", type=int, default=2026, help="graine du tirage (défaut : 2026)")
        parser.add_argument(
            "--reference-month",
            default=None,
            help="mois de référence AAAA-MM (défaut : le mois courant) ; les dates sont relatives à ce mois",
        )
        parser.add_argument("--chunk", type=int, default=2000, help="foyers par lot d'insertion")
        parser.add_argument(
            "--no-accounts", action="store_true", help="ne pas créer les comptes de démonstration"
        )

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        total, seed = options["households"], options["seed"]
        if not 0 < total <= generator.MAX_HOUSEHOLDS:
            raise CommandError(f"--households doit être compris entre 1 et {generator.MAX_HOUSEHOLDS}.")
        reference = self._reference(options["reference_month"])
        started = time.perf_counter()
        created = skipped = 0
        with tqdm(total=total, desc="Foyers", unit="foyer", disable=options["verbosity"] == 0) as bar:
            for start, stop in loader.chunks(total, options["chunk"]):
                specs = generator.households(seed, start, stop, reference)
                present = loader.existing_numeros([s.numero for s in specs])
                batch = loader.Batch()
                for spec in specs:
                    if spec.numero in present:
                        skipped += 1
                    else:
                        loader.add_household(batch, spec, DEPARTEMENT)
                        created += 1
                loader.save_batch(batch)
                bar.update(stop - start)
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"Département synthétique ({DEPARTEMENT}, graine {seed}, mois de référence {reference:%m/%Y}) : "
            f"{created} foyers créés, {skipped} déjà présents, en {seconds:.1f} s."
        )
        if not options["no_accounts"]:
            self._print_accounts()

    @staticmethod
    def _reference(raw: str | None) -> date:
        if raw is None:
            return timezone.localdate().replace(day=1)
        try:
            year, month = (int(part) for part in raw.split("-"))
            return date(year, month, 1)
        except ValueError as error:
            raise CommandError("--reference-month attend le format AAAA-MM.") from error

    def _print_accounts(self) -> None:
        self.stdout.write(f"\nComptes de démonstration (mot de passe commun : {DEMO_PASSWORD}) :")
        for account, user in ensure_demo_accounts():
            who = Role(account.role).label
            extra = ""
            if user.person_id:
                extra = f" — {user.first_name} {user.last_name}"
            self.stdout.write(f"  {account.username:<11} {who:<22}{extra}")
        self.stdout.write("\nOuvrez http://127.0.0.1:8000 et connectez-vous avec l'un de ces comptes.")
