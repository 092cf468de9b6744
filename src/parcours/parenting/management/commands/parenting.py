"""python -m parcours parenting remind [--date AAAA-MM-JJ] — the daily step of parenting support:
remind the parents of the sessions of the next day (e-mail or SMS, by their choice; once each)."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from ...services import reminders_send


class Command(BaseCommand):
    help = "Soutien à la parentalité : rappel, la veille, des séances du lendemain."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("step", choices=["remind"])
        parser.add_argument("--date", dest="day", help="Jour du rappel (AAAA-MM-JJ), aujourd'hui par défaut")

    def handle(self, *args, step: str, day: str | None, **options) -> None:  # type: ignore[no-untyped-def]
        try:
            on = date.fromisoformat(day) if day else timezone.localdate()
        except ValueError:
            raise CommandError("--date attend une date AAAA-MM-JJ.") from None
        made = reminders_send(day=on)
        self.stdout.write(f"{made} rappel(s) envoyé(s) le {on:%d/%m/%Y} pour les séances du lendemain.")
