"""python -m parcours aid pay [--date AAAA-MM-JJ] — pay every granted aid not yet paid: one SEPA
credit transfer file (pain.001) per territory, stored with its batch. Run twice, it pays nothing
twice."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ...services import aid_pay


class Command(BaseCommand):
    help = "Aides financières individuelles : virements des aides accordées."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("step", choices=["pay"])
        parser.add_argument(
            "--date", dest="day", help="Date d'exécution (AAAA-MM-JJ), aujourd'hui par défaut"
        )

    def handle(self, *args, step: str, day: str | None, **options) -> None:  # type: ignore[no-untyped-def]
        try:
            on = date.fromisoformat(day) if day else None
        except ValueError:
            raise CommandError("--date attend une date AAAA-MM-JJ.") from None
        try:
            batches = aid_pay(on=on)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        if not batches:
            self.stdout.write("Aucune aide accordée à verser.")
        for batch in batches:
            self.stdout.write(
                f"{batch.message_id} : {batch.count} virement(s), {batch.total_cents} centimes, "
                f"exécution le {batch.execution_date:%d/%m/%Y}."
            )
