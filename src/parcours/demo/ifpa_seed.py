"""Fictitious intermediations for the demo and the benchmark: `python -m parcours ifpa seed`.

Deterministic for a seed: each intermediation's parents, children, titre (2023–2025, so opened
automatically), amounts, payment method and bank accounts come from a draw seeded by its number.
Rows are written in bulk (COPY on PostgreSQL) with explicit ids; sequences are moved past them.
Fictitious IBANs carry a correct ISO 13616 check (mod 97) so that schwifty accepts them.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from parcours.intermediation.cycle.params import debtor_due_day, index_base_month
from parcours.intermediation.cycle.sql import insert_rows, scalar
from parcours.intermediation.models import Intermediation
from parcours.titres.models import Titre, TitreChild

FIRST = [
    "Camille",
    "Dominique",
    "Claude",
    "Sacha",
    "Alex",
    "Morgan",
    "Lou",
    "Noa",
    "Yanis",
    "Inès",
    "Léa",
    "Hugo",
]
LAST = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau"]
SEED_CHUNK = 50_000  # intermediations drawn, then written, at a time
BANKS = ["30002", "30003", "30004", "10278", "20041", "16006", "11315", "18206"]


def fake_iban(bank: str, number: int) -> str:
    bban = f"{bank}00001{number:011d}"
    key = 97 - (int(bban[:10] + bban[10:]) * 100 % 97)  # French RIB key, so the BBAN is valid too
    bban = f"{bban}{key:02d}"
    check = 98 - int(f"{bban}152700") % 97  # "FR00" moved to the end, letters as numbers (F=15, R=27)
    return f"FR{check:02d}{bban}"


def _next_id(model) -> int:  # type: ignore[no-untyped-def]
    return (
        int(
            scalar(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(model._meta.db_table)}") or 0
        )
        + 1
    )


def _move_sequences(*models) -> None:  # type: ignore[no-untyped-def]
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
            )


@transaction.atomic
def seed_intermediations(*, count: int, seed: int, first_month: date) -> dict[str, int]:
    from parcours.households.models import Dossier, Person

    now = timezone.now()
    person_id, dossier_id = _next_id(Person), _next_id(Dossier)
    titre_id, intermediation_id = _next_id(Titre), _next_id(Intermediation)
    numero = max(
        8_000_000,
        int(
            scalar(
                "SELECT COALESCE(MAX(numero_allocataire), '0') FROM {dossier}".replace(
                    "{dossier}", connection.ops.quote_name(Dossier._meta.db_table)
                )
            )
            or 0
        )
        + 1,
    )
    if numero + count > 10_000_000:
        raise ValueError("Plus assez de numéros allocataires libres pour autant d'intermédiations.")
    persons: list[tuple] = []
    dossiers: list[tuple] = []
    titres: list[tuple] = []
    children: list[tuple] = []
    intermediations: list[tuple] = []
    totals = {"persons": 0, "children": 0}

    def flush() -> None:
        """Write the rows drawn so far, and forget them (1 000 000 intermediations: ~3.6 million
        persons, kept in memory a chunk at a time)."""
        _write(persons, dossiers, titres, children, intermediations)
        totals["persons"] += len(persons)
        totals["children"] += len(children)
        for rows in (persons, dossiers, titres, children, intermediations):
            rows.clear()

    due_day = debtor_due_day(first_month)
    for n in range(count):
        draw = random.Random(f"{seed}:ifpa:{n}")
        debtor, creditor = person_id, person_id + 1
        kids = 1 + (draw.random() < 0.45) + (draw.random() < 0.15)
        for k in range(2 + kids):
            adult = k < 2
            born = (
                date(1975 + draw.randint(0, 20), draw.randint(1, 12), draw.randint(1, 28))
                if adult
                else date(2008 + draw.randint(0, 16), draw.randint(1, 12), draw.randint(1, 28))
            )
            persons.append(
                (
                    person_id + k,
                    draw.choice(FIRST),
                    draw.choice(LAST),
                    "",
                    born,
                    draw.choice("MF"),
                    "french",
                    now,
                )
            )
        person_id += 2 + kids
        dossiers.append((dossier_id, f"{numero + n:07d}", "91", date(2015, 1, 1), now))
        issued = date(2023, 1, 1) + timedelta(days=draw.randint(0, 3 * 365 - 1))
        start = (issued.replace(day=1) + timedelta(days=32)).replace(day=1)
        per_child = Decimal(draw.randint(80, 300))
        titres.append(
            (
                titre_id,
                f"T{titre_id:09d}",
                "jugement",
                issued,
                start,
                None,
                debtor,
                creditor,
                dossier_id,
                None,
                "001763852",
                start.replace(year=start.year + 1),
                False,
                False,
                draw.random() < 0.03,
                Decimal(draw.randint(1400, 4000)),
                now,
            )
        )
        for k in range(kids):
            children.append(
                (titre_id, creditor + 1 + k, per_child, draw.choice(["reduit", "classique", "classique"]))
            )
        monthly = int(per_child * 100) * kids
        debit = draw.random() < 0.4
        reference = f"IF{intermediation_id:09d}"
        intermediations.append(
            (
                intermediation_id,
                reference,
                titre_id,
                "active",
                start,
                "automatique",
                None,
                "",
                max(start, first_month),
                monthly,
                monthly,
                "001763852",
                index_base_month(start),
                start.month,
                start.replace(year=start.year + 1),
                kids,
                due_day,
                "debit" if debit else "transfer",
                f"{FIRST[n % len(FIRST)].upper()} {LAST[n % len(LAST)].upper()}",
                fake_iban(BANKS[n % 8], 2 * intermediation_id),
                "",
                f"RUM-{reference}" if debit else "",
                start if debit else None,
                "EMPLOYEUR SA" if draw.random() < 0.5 else "",
                f"CREANCIER {n}",
                fake_iban(BANKS[(n + 3) % 8], 2 * intermediation_id + 1),
                "",
                draw.random() < 0.6,
                "normal",
                0,
                0,
                0,
            )
        )
        dossier_id, titre_id, intermediation_id = dossier_id + 1, titre_id + 1, intermediation_id + 1
        if len(intermediations) == SEED_CHUNK:
            flush()
    flush()
    _move_sequences(Person, Dossier, Titre, TitreChild, Intermediation)
    return {
        "intermediations": count,
        "persons": totals["persons"],
        "titres": count,
        "children": totals["children"],
    }


def _write(persons: list, dossiers: list, titres: list, children: list, intermediations: list) -> None:
    from parcours.households.models import Dossier, Person

    insert_rows(
        Person._meta.db_table,
        [
            "id",
            "first_names",
            "last_name",
            "birth_name",
            "birth_date",
            "sex",
            "residence_status",
            "created_at",
        ],
        persons,
    )
    insert_rows(
        Dossier._meta.db_table,
        ["id", "numero_allocataire", "departement", "opened_on", "created_at"],
        dossiers,
    )
    insert_rows(
        "titre",
        [
            "id",
            "reference",
            "kind",
            "issued_on",
            "start_on",
            "end_on",
            "debtor_id",
            "creditor_id",
            "creditor_dossier_id",
            "debtor_dossier_id",
            "revaluation_index",
            "revaluation_anniversary",
            "intermediation_refused",
            "judge_excluded",
            "violence",
            "debtor_monthly_resources",
            "recorded_at",
        ],
        titres,
    )
    insert_rows(
        TitreChild._meta.db_table, ["titre_id", "child_id", "monthly_amount", "arrangement"], children
    )
    insert_rows(
        "intermediation",
        [
            "id",
            "reference",
            "titre_id",
            "status",
            "opened_on",
            "opened_how",
            "ended_on",
            "end_reason",
            "first_month",
            "monthly_amount_cents",
            "base_amount_cents",
            "index_series",
            "index_base_month",
            "revaluation_month",
            "first_revaluation_on",
            "children_count",
            "due_day",
            "payment_method",
            "debtor_name",
            "debtor_iban",
            "debtor_bic",
            "mandate_id",
            "mandate_signed_on",
            "debtor_employer",
            "creditor_name",
            "creditor_iban",
            "creditor_bic",
            "asf_eligible",
            "recovery_state",
            "credit_cents",
            "funded_cents",
            "paid_out_cents",
        ],
        intermediations,
    )
