"""`python -m parcours demo --households N --seed S`: the synthetic département, idempotent."""

from __future__ import annotations

import time
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from tqdm import tqdm

from parcours.demo import generator, loader
from parcours.demo.accounts import DEMO_PASSWORD, accounts_table, ensure_demo_accounts
from parcours.demo.bulk import Batch
from parcours.demo.models import DemoLoad
from parcours.demo.specs import MAX_HOUSEHOLDS, numero_of
from parcours.households.models import Dossier, Person

MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def number(value: float, decimals: int = 0) -> str:
    """French number formatting: narrow no-break space for thousands, decimal comma."""
    return f"{value:,.{decimals}f}".replace(",", "\u202f").replace(".", ",")


def count(value: int, singular: str, plural: str) -> str:
    """French agreement: singular for 0 and 1."""
    return f"{number(value)} {singular if value < 2 else plural}"


def month_name(day: date) -> str:
    return f"{MONTHS[day.month - 1]} {day.year}"


class Command(BaseCommand):
    help = "Charge un département synthétique déterministe (foyers, historiques, comptes de démonstration)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--households", type=int, default=5000, help="nombre de foyers (défaut : 5000)")
        parser.add_argument("--seed", type=int, default=2026, help="graine du tirage (défaut : 2026)")
        parser.add_argument(
            "--reference-month",
            default=None,
            help="mois de référence AAAA-MM (défaut : celui du premier chargement, sinon le mois courant)",
        )
        parser.add_argument(
            "--chunk", type=int, default=2000, help="foyers par lot d'insertion (défaut : 2000)"
        )
        parser.add_argument(
            "--no-accounts", action="store_true", help="ne pas créer les comptes de démonstration"
        )
        parser.add_argument(
            "--no-ifpa",
            action="store_true",
            help="ne pas ouvrir d'intermédiations financières ni simuler leurs derniers mois",
        )
        parser.add_argument(
            "--no-social",
            action="store_true",
            help=(
                "ne pas simuler l'année d'accompagnement social (signalements, accompagnements, "
                "orientations, séances de soutien à la parentalité, aides financières)"
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        total, seed, chunk = options["households"], options["seed"], options["chunk"]
        if not 0 < total <= MAX_HOUSEHOLDS:
            raise CommandError(f"--households doit être compris entre 1 et {MAX_HOUSEHOLDS}.")
        if chunk < 1:
            raise CommandError("--chunk doit être au moins 1.")
        reference = self._reference(seed, options["reference_month"])
        departement = generator.departement()
        started = time.perf_counter()
        dossiers_before, persons_before = Dossier.objects.count(), Person.objects.count()
        created = separations = unpaid = 0
        progress = tqdm(
            total=total, desc="Foyers", unit=" foyers", disable=options["verbosity"] == 0 or None, leave=False
        )
        with progress:
            for start, stop in loader.chunks(0, total, chunk):
                # What exists is skipped before drawing anything: re-running a million costs little.
                present = loader.existing_numeros([numero_of(i) for i in range(start, stop)])
                batch = Batch()
                for index in range(start, stop):
                    if numero_of(index) in present:
                        continue
                    spec = generator.household(seed, index, reference)
                    loader.add_household(batch, spec, departement)
                    created += 1
                    separations += spec.separation is not None
                    unpaid += spec.has_unpaid_child_support
                loader.save_batch(batch)
                progress.update(stop - start)
        seconds = time.perf_counter() - started
        if created or not DemoLoad.objects.exists():  # a run that adds nothing leaves no trace
            DemoLoad.objects.create(
                seed=seed,
                reference_month=reference,
                households=total,
                created=created,
                seconds=Decimal(f"{seconds:.1f}"),
            )
        self._summary(
            total=total,
            seed=seed,
            reference=reference,
            departement=departement,
            created=created,
            separations=separations,
            unpaid=unpaid,
            dossiers=Dossier.objects.count() - dossiers_before,
            persons=Person.objects.count() - persons_before,
            seconds=seconds,
        )
        accounts = [] if options["no_accounts"] else ensure_demo_accounts()  # told by the IFPA run
        if not options["no_ifpa"]:
            from parcours.demo.ifpa import ifpa_demo

            ifpa = ifpa_demo(reference=reference, seed=seed)
            opened = count(ifpa["intermediations_opened"], "pension ouverte", "pensions ouvertes")
            days = count(ifpa["days_run"], "journée", "journées")
            self.stdout.write(f"  intermédiation financière : {opened}, {days} de traitement simulées")
        if not options["no_social"]:
            from parcours.demo.social import social_demo

            social = social_demo(reference=reference, seed=seed)
            if social["signalements"]:
                signalements = count(social["signalements"], "signalement", "signalements")
                accompaniments = count(social["accompagnements"], "accompagnement", "accompagnements")
                referrals = count(social["orientations"], "orientation", "orientations")
                self.stdout.write(
                    f"  accompagnement social sur un an : {signalements}, {accompaniments}, {referrals}"
                )
            from parcours.demo.aid import aid_demo
            from parcours.demo.parenting import parenting_demo

            parenting = parenting_demo(reference=reference, seed=seed)
            if parenting["familles"]:
                families = count(parenting["familles"], "famille", "familles")
                sessions = count(parenting["seances"], "séance réservée", "séances réservées")
                held = count(parenting["tenues"], "tenue", "tenues")
                self.stdout.write(
                    f"  soutien à la parentalité sur un an : {families}, {sessions} dont {held}"
                )
            aid = aid_demo(reference=reference, seed=seed)
            if aid["demandes"]:
                requests = count(aid["demandes"], "demande", "demandes")
                granted = count(aid["accordees"], "accordée", "accordées")
                batches = count(aid["lots"], "virement SEPA", "virements SEPA")
                self.stdout.write(f"  aides financières sur un an : {requests}, {granted}, {batches}")
        if not options["no_accounts"]:
            self.stdout.write("")
            self.stdout.write(f"Comptes de démonstration (mot de passe commun : {DEMO_PASSWORD})")
            self.stdout.write("")
            self.stdout.write(accounts_table(accounts))
            self.stdout.write("")
            self.stdout.write("Ouvrez http://127.0.0.1:8000 et connectez-vous avec l'un de ces comptes.")

    @staticmethod
    def _reference(seed: int, raw: str | None) -> date:
        """The reference month: given, else that of the first load, else the current month."""
        requested = None
        if raw is not None:
            try:
                year, month = (int(part) for part in raw.split("-"))
                requested = date(year, month, 1)
            except ValueError as error:
                raise CommandError(
                    "--reference-month attend le format AAAA-MM (par exemple 2026-11)."
                ) from error
        first = DemoLoad.objects.order_by("id").first()
        if first is None:
            return requested or timezone.localdate().replace(day=1)
        if first.seed != seed:
            raise CommandError(
                f"Cette base contient déjà le département de démonstration de la graine {first.seed} : "
                f"relancez avec --seed {first.seed}, ou partez d'une base vide."
            )
        if requested is not None and requested != first.reference_month:
            raise CommandError(
                "Cette base a été chargée avec le mois de référence "
                f"{month_name(first.reference_month)} : relancez sans --reference-month, "
                "ou partez d'une base vide."
            )
        return first.reference_month

    def _summary(self, **figures: Any) -> None:
        f = figures
        kept = f["total"] - f["created"]
        rate = f" ({number(f['created'] / f['seconds'])} foyers/s)" if f["created"] else ""
        self.stdout.write(
            f"Département de démonstration {f['departement']} — graine {f['seed']}, "
            f"mois de référence {month_name(f['reference'])}"
        )
        self.stdout.write(
            f"  {count(f['created'], 'foyer créé', 'foyers créés')}, "
            f"{count(kept, 'déjà présent', 'déjà présents')} (sur {number(f['total'])} demandés), "
            f"en {number(f['seconds'], 1)} s{rate}"
        )
        if f["created"]:
            self.stdout.write(
                f"  {count(f['dossiers'], 'dossier', 'dossiers')} dont "
                f"{count(f['separations'], 'ouvert', 'ouverts')} par une séparation récente, "
                f"{count(f['persons'], 'personne', 'personnes')}, "
                f"{count(f['unpaid'], 'pension alimentaire impayée', 'pensions alimentaires impayées')}"
                " ou irrégulière" + ("s" if f["unpaid"] > 1 else "")
            )
