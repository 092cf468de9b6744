"""`python -m parcours rights recompute --month YYYY-MM [--engine local|dask] [--workers N]`."""

from __future__ import annotations

import json
import re

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from parcours.households.models import Dossier
from parcours.rights.batch import ENGINES, recompute


class Command(BaseCommand):
    help = "Droits calculés avec openfisca-france : recalcul mensuel de toute la population."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser("recompute", help="recalcule les droits de tous les foyers pour un mois")
        run.add_argument("--month", required=True, help="mois AAAA-MM")
        run.add_argument(
            "--engine", choices=sorted(ENGINES), default="local", help="local (ce processus) ou dask"
        )
        run.add_argument("--workers", type=int, default=2, help="workers Dask d'un LocalCluster (défaut : 2)")
        run.add_argument(
            "--scheduler", default=None, help="adresse d'un ordonnanceur Dask existant (tcp://…)"
        )
        run.add_argument("--chunk-size", type=int, default=4000, help="foyers par simulation vectorisée")
        run.add_argument("--max-chunks", type=int, default=None, help="s'arrêter après ce nombre de lots")
        run.add_argument("--restart", action="store_true", help="recommencer un mois déjà terminé")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        month = options["month"]
        if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", month):
            raise CommandError("--month attend le format AAAA-MM.")
        if options["workers"] < 1 or options["chunk_size"] < 1:
            raise CommandError("--workers et --chunk-size doivent être positifs.")
        # tqdm writes on stderr: stdout keeps the JSON summary as its last line.
        with tqdm(
            total=Dossier.objects.count(),
            desc=f"Droits {month}",
            unit="foyer",
            disable=options["verbosity"] == 0,
        ) as bar:
            summary = recompute(
                month,
                engine=options["engine"],
                workers=options["workers"],
                chunk_size=options["chunk_size"],
                scheduler=options["scheduler"],
                max_chunks=options["max_chunks"],
                restart=options["restart"],
                progress=bar.update,
            )
        self.stdout.write(json.dumps(summary.as_dict()))
