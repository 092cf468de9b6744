"""A realistic local stand-in for the bank: the camt.053 statement the Caf's account would show.

For each active intermediation and each due date in the period, the debtor (or their bank, for a
direct debit) behaves by a seeded draw, the same for the same seed, intermediation and month:
- on time, in full (probability `pay_rate`); a few of those pay twice (a duplicated payment);
- late, in full, 3 to 20 days after the due date (if still within the period);
- partial, 30 % to 90 % of the due;
- missing.
Payments by transfer carry the reference in their label 4 times in 5, else only the debtor's
IBAN and the exact amount; a few credits carry an unknown reference from an unknown account.
(An entry the bank sends twice has the same bank reference: statements that overlap, imported
one after the other, are how the tests exercise that.)
"""

from __future__ import annotations

import hashlib
import random
from datetime import date, datetime, timedelta
from pathlib import Path

from django.utils import timezone

from parcours.intermediation.bank import StatementLine, statement_xml
from parcours.intermediation.cycle.files import caf_account
from parcours.intermediation.cycle.params import due_on_for
from parcours.intermediation.cycle.sql import fetch, iso


def _months(start: date, end: date) -> list[date]:
    months, month = [], start.replace(day=1)
    while month <= end:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return months


def simulate_bank(*, start: date, end: date, pay_rate: float, seed: int, out: Path) -> dict[str, int]:
    lines, counts = simulate_lines(start=start, end=end, pay_rate=pay_rate, seed=seed)
    data = statement_xml(
        message_id=f"SIM-{seed}-{start:%Y%m%d}-{end:%Y%m%d}",
        created_at=datetime.combine(end, datetime.min.time(), tzinfo=timezone.get_current_timezone()),
        account=caf_account(),
        from_date=start,
        to_date=end,
        lines=lines,
    )
    Path(out).write_bytes(data)
    return {"lines": len(lines), **counts}


def simulate_lines(
    *, start: date, end: date, pay_rate: float, seed: int, unpaid_from: dict[int, date] | None = None
) -> tuple[list[StatementLine], dict[str, int]]:
    """The period's lines, sorted by booking date (the benchmark splits them into daily statements).
    `unpaid_from`: intermediations whose debtor stops paying from a month on (the demo follows the
    registry, where a pension is recorded as unpaid from a date)."""
    unpaid_from = unpaid_from or {}
    if not 0 <= pay_rate <= 1:
        raise ValueError("Le taux de paiement est compris entre 0 et 1.")
    rows = fetch(
        "SELECT i.id, i.reference, i.due_day, i.monthly_amount_cents, i.payment_method, i.debtor_name, "
        "i.debtor_iban, i.first_month FROM {intermediation} i WHERE i.status = 'active' ORDER BY i.id"
    )
    posted = {
        (iid, str(month)[:10]): (int(amount), reference)
        for iid, month, amount, reference in fetch(
            "SELECT intermediation_id, month, amount_cents - paid_cents, reference FROM {due} WHERE month >= %s",
            [iso(start.replace(day=1))],
        )
    }
    lines: list[StatementLine] = []
    counts = dict.fromkeys(("on_time", "late", "partial", "missing", "duplicated", "unknown"), 0)
    for iid, reference, due_day, monthly, method, name, iban, first_month in rows:
        first = first_month if isinstance(first_month, date) else date.fromisoformat(first_month)
        for month in _months(start, end):
            due_on = due_on_for(month, int(due_day))
            if month < first or not start <= due_on <= end:
                continue
            amount, due_reference = posted.get((iid, iso(month)), (int(monthly), f"{reference}-{month:%Y%m}"))
            if amount <= 0:
                continue
            draw = random.Random(f"{seed}:{iid}:{month:%Y%m}")
            behaviour = draw.random()
            late_rate = (1 - pay_rate) * 0.35
            partial_rate = (1 - pay_rate) * 0.25
            paid_on, paid = due_on, amount
            if behaviour < pay_rate:
                kind = "on_time"
            elif behaviour < pay_rate + late_rate:
                kind, paid_on = "late", due_on + timedelta(days=draw.randint(3, 20))
            elif behaviour < pay_rate + late_rate + partial_rate:
                kind, paid = "partial", amount * draw.randint(30, 90) // 100
            else:
                kind = "missing"
            if iid in unpaid_from and month >= unpaid_from[iid]:
                kind = "missing"
            if kind == "missing" or paid_on > end or paid <= 0:
                counts["missing"] += 1
                continue
            counts[kind] += 1
            by_debit = method == "debit"
            labelled = by_debit or draw.random() < 0.8
            line = StatementLine(
                line_key=_key(seed, iid, month, 0),
                booked_on=paid_on,
                value_on=paid_on,
                amount_cents=paid,
                credit=True,
                end_to_end_id=due_reference if by_debit else "",
                remittance=f"PENSION ALIMENTAIRE {due_reference}" if labelled else "PENSION",
                counterparty_name=name[:70],
                counterparty_iban=iban,
            )
            lines.append(line)
            if kind == "on_time" and not by_debit and draw.random() < 0.01:
                counts["duplicated"] += 1  # the debtor pays a second time: an overpayment
                lines.append(
                    _replace(line, line_key=_key(seed, iid, month, 1), booked_on=paid_on + timedelta(days=1))
                )
    noise = random.Random(f"{seed}:unknown")
    for n in range(max(1, len(rows) // 200)):
        day = start + timedelta(days=noise.randint(0, max(0, (end - start).days)))
        counts["unknown"] += 1
        lines.append(
            StatementLine(
                line_key=_key(seed, 0, day, n + 2),
                booked_on=day,
                value_on=day,
                amount_cents=noise.randint(1_000, 50_000),
                credit=True,
                end_to_end_id="",
                remittance=f"VIR REF {noise.randint(10**8, 10**9 - 1)}",
                counterparty_name="EMETTEUR INCONNU",
                counterparty_iban="FR7630006000011234567890189",
            )
        )
    lines.sort(key=lambda line: (line.booked_on, line.line_key))
    return lines, counts


def _key(seed: int, iid: int, month: date, n: int) -> str:
    return (
        "SIM"
        + hashlib.sha1(f"{seed}:{iid}:{month}:{n}".encode(), usedforsecurity=False).hexdigest()[:20].upper()
    )


def _replace(line: StatementLine, **changes: object) -> StatementLine:
    from dataclasses import replace

    return replace(line, **changes)  # type: ignore[arg-type]
