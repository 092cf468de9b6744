"""python -m parcours social expire [--day AAAA-MM-JJ] — the daily step of social support: the
written offers whose answer date has passed become "sans réponse"."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from ...services import offers_expire


class Command(BaseCommand):
    help = "Accompagnement social : offres restées sans réponse dans leur délai."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("step", choices=["expire"])
        parser.add_argument("--day", help="Jour (AAAA-MM-JJ), aujourd'hui par défaut")

    def handle(self, *args, step: str, day: str | None, **options) -> None:  # type: ignore[no-untyped-def]
        try:
            on = date.fromisoformat(day) if day else timezone.localdate()
        except ValueError:
            raise CommandError("--day attend une date AAAA-MM-JJ.") from None
        moved = offers_expire(today=on)
        self.stdout.write(f"{moved} offre(s) sans réponse au {on:%d/%m/%Y}.")
