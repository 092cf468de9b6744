"""The steps of one IFPA business day, each one database transaction, set-based in SQL.

Every step is idempotent: it acts only on rows in the state it moves them out of (a bank line
`new`, a due without allocation, an intermediation whose running figures say money is waiting),
and every ledger movement has a key posted once. A crash (even SIGKILL) rolls the step's
transaction back; the re-run redoes exactly what was lost.

Accounts (see models/ledger.py): a due is debtor → creditor; a receipt caf_bank → debtor; a
payout creditor → caf_bank; an ASF advance pays the creditor from the Caf's bank and moves that
part of the debtor's debt to `asf_advanced` (the Caf is subrogated, CSS L581-2); a recovery moves
money the debtor paid from `debtor` back to `asf_advanced`.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from parcours.core.work import Kind, Work, close_work, open_work
from parcours.intermediation.cycle.asf import asf_per_child_cents
from parcours.intermediation.cycle.events import CLEARED, FORCED, LIFTED, NOTICE, recovery_move
from parcours.intermediation.cycle.params import due_on_for, notice_after_days, notice_pay_within_days
from parcours.intermediation.cycle.sql import (
    drop,
    execute,
    fetch,
    insert_new,
    iso,
    ledger_from,
    max2,
    min2,
    refresh_statistics,
    scalar,
    temp_table,
    text,
)
from parcours.intermediation.rules.calendar import add_business_days, is_business_day, next_business_day

IID = "s.intermediation_id"
SENDER = "intermediation"


def debtor(expr: str = IID) -> str:
    return f"'debtor:' || {text(expr)}"


def creditor(expr: str = IID) -> str:
    return f"'creditor:' || {text(expr)}"


def asf_account(expr: str = IID) -> str:
    return f"'asf_advanced:' || {text(expr)}"


def month_start(day: date) -> date:
    return day.replace(day=1)


def unpaid_cause(intermediation_id: int) -> str:
    return f"impaye:{intermediation_id}"


def _unpaid_without_asf(day: date) -> None:
    """A pension unpaid that no ASF advance covers (the creditor is not eligible: in a couple,
    say) is work for an agent: check the ASF and the family's other rights. One task per
    intermediation while the arrears last; the monthly pension is the amount at risk."""
    rows = fetch(
        "SELECT DISTINCT s.intermediation_id, t.creditor_dossier_id, i.monthly_amount_cents "
        "FROM tmp_unpaid s JOIN {intermediation} i ON i.id = s.intermediation_id "
        "JOIN {titre} t ON t.id = i.titre_id WHERE NOT s.asf_eligible"
    )
    open_work(
        SENDER,
        [
            Work(
                Kind.UNPAID_NO_ASF,
                int(dossier),
                unpaid_cause(int(iid)),
                breaks_on=day,
                amount=Decimal(int(cents)) / 100,
            )
            for iid, dossier, cents in rows
        ],
    )


def _settled_unpaid(ids: str, params: list, outcome: str) -> None:
    """The intermediations `ids` selects owe nothing any more: their unpaid-pension tasks close."""
    close_work(SENDER, [unpaid_cause(int(i)) for (i,) in fetch(ids, params)], outcome, Kind.UNPAID_NO_ASF)


# --- 1. Payouts of money received before today ------------------------------------------------


@transaction.atomic
def pay_creditors(day: date) -> dict[str, int]:
    """CSS L582-1: the Caf pays the creditor the business day after it received the money. Money
    allocated to the creditor before `day` and not yet paid out is paid today, once per day."""
    if not is_business_day(day):
        return {"payouts": 0, "payouts_cents": 0}
    rows = temp_table(
        "tmp_pay",
        "SELECT i.id AS intermediation_id, i.funded_cents - i.paid_out_cents - COALESCE(("
        ' SELECT SUM(a.creditor_cents) FROM {alloc} a WHERE a.intermediation_id = i.id AND a."on" >= %s'
        "), 0) AS amount FROM {intermediation} i WHERE i.funded_cents > i.paid_out_cents",
        [iso(day)],
    )
    if not rows:
        return {"payouts": 0, "payouts_cents": 0}
    key = f"'payout:' || {text(IID)} || ':{iso(day)}'"
    # Money collected from `day` on waits for the next business day; a day already paid (a re-run)
    # pays nothing again and changes no running figure.
    execute(
        "DELETE FROM tmp_pay WHERE amount <= 0 OR EXISTS "
        '(SELECT 1 FROM {payout} p WHERE p."key" = ' + key.replace(IID, "tmp_pay.intermediation_id") + ")"
    )
    paid = insert_new(
        f"SELECT {key} AS new_key, s.intermediation_id, s.amount FROM tmp_pay s",
        [],
        'INSERT INTO {payout} ("key", intermediation_id, "on", amount_cents, kind) '
        "SELECT new_key, intermediation_id, %s, amount, 'pension' FROM tmp_new",
        [iso(day)],
    )
    refresh_statistics("payout", paid)
    ledger_from("tmp_pay", "payout", key, day, [(creditor(), "s.amount"), ("'caf_bank'", "-s.amount")])
    execute(
        "UPDATE {intermediation} SET paid_out_cents = paid_out_cents + t.amount "
        "FROM tmp_pay t WHERE t.intermediation_id = {intermediation}.id"
    )
    count, total = fetch("SELECT COUNT(*), COALESCE(SUM(amount), 0) FROM tmp_pay")[0]
    return {"payouts": int(count), "payouts_cents": int(total)}


# --- 2. Matching of imported bank lines -------------------------------------------------------


@transaction.atomic
def match_lines(day: date) -> dict[str, int]:
    """Each new credit line goes to an intermediation: first by the reference it carries, then by
    the debtor's IBAN with the exact monthly amount (only when one intermediation fits), else to
    the suspense account, worked by an agent. Debit lines are not the debtors' money: ignored."""
    # Each new line is matched in one SELECT, then written in one UPDATE (each update of a bank
    # line rewrites all its indexes: one pass rather than one per rule).
    by_amount_id = (
        "(SELECT CASE WHEN COUNT(*) = 1 THEN MIN(i.id) END FROM {intermediation} i "
        "WHERE i.debtor_iban = l.counterparty_iban AND i.monthly_amount_cents = l.amount_cents "
        "AND i.status = 'active')"
    )
    temp_table(
        "tmp_match",
        "SELECT id, line_key, amount_cents, credit, ref_id, "
        "CASE WHEN ref_id IS NOT NULL THEN ref_id ELSE amount_id END AS intermediation_id, "
        "CASE WHEN NOT credit THEN 'ignored' WHEN ref_id IS NOT NULL OR amount_id IS NOT NULL THEN 'matched' "
        "ELSE 'suspense' END AS status FROM ("
        "SELECT l.id, l.line_key, l.amount_cents, l.credit, r.id AS ref_id, "
        f"CASE WHEN l.credit AND r.id IS NULL AND l.counterparty_iban <> '' THEN {by_amount_id} END AS amount_id "
        "FROM {line} l LEFT JOIN {intermediation} r ON l.credit AND l.reference_found <> '' "
        "AND r.reference = l.reference_found WHERE l.status = 'new') x",
        index="id",
    )
    temp_table(
        "tmp_rcv",
        "SELECT id, line_key, intermediation_id, amount_cents FROM tmp_match WHERE status = 'matched'",
        index="intermediation_id",
    )
    ledger_from(
        "tmp_rcv",
        "receipt",
        "'receipt:' || s.line_key",
        day,
        [("'caf_bank'", "s.amount_cents"), (debtor(), "-s.amount_cents")],
    )
    credited = execute(
        "UPDATE {intermediation} SET credit_cents = credit_cents + t.total FROM "
        "(SELECT intermediation_id, SUM(amount_cents) AS total FROM tmp_rcv GROUP BY intermediation_id) t "
        "WHERE t.intermediation_id = {intermediation}.id"
    )
    refresh_statistics("intermediation", credited)
    temp_table(
        "tmp_sus",
        "SELECT id, line_key, CAST(NULL AS BIGINT) AS intermediation_id, amount_cents FROM tmp_match "
        "WHERE status = 'suspense'",
    )
    ledger_from(
        "tmp_sus",
        "receipt",
        "'suspense:' || s.line_key",
        day,
        [("'caf_bank'", "s.amount_cents"), ("'suspense'", "-s.amount_cents")],
    )
    refresh_statistics(
        "line",
        execute(
            "UPDATE {line} SET status = t.status, processed_on = %s, intermediation_id = t.intermediation_id, "
            "matched_by = CASE WHEN t.ref_id IS NOT NULL THEN 'reference' "
            "WHEN t.intermediation_id IS NOT NULL THEN 'amount' ELSE {line}.matched_by END "
            "FROM tmp_match t WHERE t.id = {line}.id",
            [iso(day)],
        ),
    )
    counts = dict(fetch("SELECT status, COUNT(*) FROM tmp_match GROUP BY status"))
    matched = int(counts.get("matched", 0))
    by_reference = int(scalar("SELECT COUNT(*) FROM tmp_match WHERE ref_id IS NOT NULL") or 0)
    by_amount, suspense, ignored = matched - by_reference, counts.get("suspense", 0), counts.get("ignored", 0)
    return {
        "lines_matched": matched,
        "matched_by_reference": by_reference,
        "matched_by_amount": by_amount,
        "lines_suspense": int(suspense),
        "lines_ignored": int(ignored),
    }


# --- 3. Revaluation on the anniversary -------------------------------------------------------


@transaction.atomic
def revalue(day: date) -> dict[str, int]:
    """On the 1st of its revaluation month (from the first anniversary on), the pension becomes
    base × new index / base index, half up to the cent (rules/revaluation.py), before the month's due
    is posted. One revaluation per intermediation and date."""
    from parcours.intermediation.cycle.params import index_for_revaluation

    on = month_start(day)
    # From the month of the first revaluation on, whatever its day (rules/revaluation.py:revaluation_on).
    next_month = month_start(on + timedelta(days=31))
    groups = fetch(
        "SELECT DISTINCT index_series, index_base_month FROM {intermediation} "
        "WHERE status = 'active' AND revaluation_month = %s AND first_revaluation_on < %s "
        'AND NOT EXISTS (SELECT 1 FROM {revaluation} r WHERE r.intermediation_id = {intermediation}.id AND r."on" = %s)',
        [on.month, iso(next_month), iso(on)],
    )
    revalued = 0
    for series, base_month in groups:
        base_month = base_month if isinstance(base_month, date) else date.fromisoformat(base_month)
        base = index_for_revaluation(series, base_month, is_base=True)
        new = index_for_revaluation(series, on)
        num, den = int(new * 100), int(base * 100)
        where = (
            "status = 'active' AND revaluation_month = %s AND first_revaluation_on < %s "
            "AND index_series = %s AND index_base_month = %s AND NOT EXISTS (SELECT 1 FROM {revaluation} r "
            'WHERE r.intermediation_id = {intermediation}.id AND r."on" = %s)'
        )
        params = [on.month, iso(next_month), series, iso(base_month), iso(on)]
        # Half up, in integers: (2·a·num + den) // (2·den), a, num, den > 0.
        new_amount = f"(2 * base_amount_cents * {num} + {den}) / (2 * {den})"
        insert_new(
            f"SELECT id, monthly_amount_cents AS from_cents, {new_amount} AS to_cents "
            f"FROM {{intermediation}} WHERE {where}",
            params,
            'INSERT INTO {revaluation} (intermediation_id, "on", from_cents, to_cents, index_base, index_new) '
            "SELECT id, %s, from_cents, to_cents, %s, %s FROM tmp_new",
            [iso(on), str(base), str(new)],
        )
        revalued += execute(
            "UPDATE {intermediation} SET monthly_amount_cents = r.to_cents FROM {revaluation} r "
            'WHERE r.intermediation_id = {intermediation}.id AND r."on" = %s '
            "AND {intermediation}.monthly_amount_cents <> r.to_cents AND {intermediation}.index_series = %s "
            "AND {intermediation}.index_base_month = %s",
            [iso(on), series, iso(base_month)],
        )
    return {"revalued": revalued}


# --- 4. The month's dues ---------------------------------------------------------------------


@transaction.atomic
def post_dues(day: date) -> dict[str, int]:
    """The dues of the month of `day` (and of the month before, if a run was missed), for every
    active intermediation whose first month has come and whose titre still sets a pension."""
    posted = 0
    for month in (month_start(month_start(day) - timedelta(days=1)), month_start(day)):
        # One pass over the intermediations per month: those still without the month's due (none,
        # most days), then one insert per due day among them.
        if not temp_table(
            "tmp_missing",
            "SELECT i.id, i.reference, i.monthly_amount_cents, i.due_day "
            "FROM {intermediation} i JOIN {titre} t ON t.id = i.titre_id "
            "WHERE i.status = 'active' AND i.first_month <= %s "
            "AND (t.end_on IS NULL OR t.end_on > %s) "
            "AND NOT EXISTS (SELECT 1 FROM {due} d WHERE d.intermediation_id = i.id AND d.month = %s)",
            [iso(month), iso(month), iso(month)],
        ):
            continue
        for (due_day,) in fetch("SELECT DISTINCT due_day FROM tmp_missing ORDER BY due_day"):
            due_on = due_on_for(month, int(due_day))
            posted += execute(
                "INSERT INTO {due} (intermediation_id, month, due_on, reference, amount_cents, paid_cents, asf_cents) "
                "SELECT id, %s, %s, reference || %s, monthly_amount_cents, 0, 0 FROM tmp_missing WHERE due_day = %s",
                [iso(month), iso(due_on), f"-{month:%Y%m}", due_day],
            )
    drop("tmp_missing")
    refresh_statistics("due", posted)
    if posted:
        temp_table(
            "tmp_due",
            "SELECT d.id AS due_id, d.reference, d.intermediation_id, d.amount_cents FROM {due} d "
            "WHERE d.month >= %s AND NOT EXISTS (SELECT 1 FROM {tx} t WHERE t.\"key\" = 'due:' || d.reference)",
            [iso(month_start(month_start(day) - timedelta(days=1)))],
        )
        ledger_from(
            "tmp_due",
            "due",
            "'due:' || s.reference",
            day,
            [(debtor(), "s.amount_cents"), (creditor(), "-s.amount_cents")],
        )
    return {"dues_posted": posted}


# --- 5. Allocation of the debtors' money, oldest due first ----------------------------------


@transaction.atomic
def allocate(day: date) -> dict[str, int]:
    """Money received and not yet applied (`credit_cents`) pays the open dues oldest first (by due
    date, then id); within a due, the creditor's part first, then what repays the Caf's ASF advance
    on it (the creditor's current pension has priority: choice recorded in decision 0007)."""
    outstanding = "d.amount_cents - d.paid_cents"
    room = f"i.credit_cents - (SUM({outstanding}) OVER (PARTITION BY d.intermediation_id ORDER BY d.due_on, d.id) - ({outstanding}))"
    rows = temp_table(
        "tmp_alloc",
        "SELECT due_id, intermediation_id, paid, amount, asf, alloc, "
        f"{min2('alloc', max2('0', 'amount - asf - paid'))} AS to_creditor FROM ("
        "SELECT d.id AS due_id, d.intermediation_id, d.paid_cents AS paid, d.amount_cents AS amount, "
        f"d.asf_cents AS asf, {min2(outstanding, max2('0', room))} AS alloc "
        "FROM {due} d JOIN {intermediation} i ON i.id = d.intermediation_id "
        "WHERE i.credit_cents > 0 AND d.paid_cents < d.amount_cents) x WHERE alloc > 0",
        index="due_id",
    )
    if not rows:
        return {"allocations": 0, "allocated_cents": 0, "recovered_cents": 0}
    refresh_statistics(
        "alloc",
        execute(
            'INSERT INTO {alloc} (due_id, intermediation_id, "on", creditor_cents, recovery_cents) '
            "SELECT due_id, intermediation_id, %s, to_creditor, alloc - to_creditor FROM tmp_alloc",
            [iso(day)],
        ),
    )
    refresh_statistics(
        "due",
        execute(
            "UPDATE {due} SET paid_cents = paid_cents + t.alloc FROM tmp_alloc t WHERE t.due_id = {due}.id"
        ),
    )
    execute(
        "UPDATE {intermediation} SET credit_cents = credit_cents - t.alloc, funded_cents = funded_cents + t.cr "
        "FROM (SELECT intermediation_id, SUM(alloc) AS alloc, SUM(to_creditor) AS cr FROM tmp_alloc "
        "GROUP BY intermediation_id) t WHERE t.intermediation_id = {intermediation}.id"
    )
    temp_table(
        "tmp_rec",
        "SELECT d.reference, a.intermediation_id, a.recovery_cents AS amount FROM {alloc} a "
        "JOIN tmp_alloc t ON t.due_id = a.due_id JOIN {due} d ON d.id = a.due_id "
        'WHERE a."on" = %s AND a.recovery_cents > 0',
        [iso(day)],
    )
    ledger_from(
        "tmp_rec",
        "recovery",
        f"'recovery:' || s.reference || ':{iso(day)}'",
        day,
        [(debtor(), "s.amount"), (asf_account(), "-s.amount")],
    )
    count, total, cr = fetch("SELECT COUNT(*), SUM(alloc), SUM(to_creditor) FROM tmp_alloc")[0]
    return {"allocations": int(count), "allocated_cents": int(total), "recovered_cents": int(total - cr)}


# --- 6. Unpaid: notices, ASF advances, forced recovery, lifting --------------------------------


@transaction.atomic
def send_notices(day: date) -> dict[str, int]:
    """CSS R582-8: a due still unpaid `notice_after_days` after its date (the bank's statements of
    the due date have arrived by then) gets a notice, well within the 15 days, giving 15 days to
    pay; one notice per intermediation and day, for all its newly unpaid dues. The creditor who is
    eligible receives the ASF for each such due as a recoverable advance (CSS L581-2)."""
    late = day - timedelta(days=notice_after_days(day))
    rows = temp_table(
        "tmp_unpaid",
        "SELECT d.id AS due_id, d.reference, d.intermediation_id, d.amount_cents - d.paid_cents AS outstanding, "
        "d.month, i.asf_eligible, i.children_count, d.amount_cents - d.paid_cents - d.asf_cents AS room "
        "FROM {due} d JOIN {intermediation} i ON i.id = d.intermediation_id "
        "WHERE d.notice_on IS NULL AND d.due_on <= %s AND d.paid_cents < d.amount_cents AND i.status = 'active'",
        [iso(late)],
        index="due_id",
    )
    if not rows:
        return {"notices": 0, "asf_advances": 0, "asf_cents": 0}
    pay_by = day + timedelta(days=notice_pay_within_days(day))
    notices = insert_new(
        "SELECT intermediation_id, SUM(outstanding) AS amount FROM tmp_unpaid s GROUP BY intermediation_id "
        "HAVING NOT EXISTS (SELECT 1 FROM {notice} n WHERE n.intermediation_id = s.intermediation_id AND n.sent_on = %s)",
        [iso(day)],
        "INSERT INTO {notice} (intermediation_id, sent_on, pay_by, amount_cents) "
        "SELECT intermediation_id, %s, %s, amount FROM tmp_new",
        [iso(day), iso(pay_by)],
    )
    refresh_statistics("notice", notices)
    refresh_statistics(
        "due",
        execute("UPDATE {due} SET notice_on = %s WHERE id IN (SELECT due_id FROM tmp_unpaid)", [iso(day)]),
    )
    recovery_move(NOTICE, day=day, ids="SELECT intermediation_id FROM tmp_unpaid")
    _unpaid_without_asf(day)
    advances, advanced = 0, 0
    pay_on = day if is_business_day(day) else next_business_day(day)  # transfers on TARGET2 days only
    months = [
        m if isinstance(m, date) else date.fromisoformat(str(m)[:10])
        for (m,) in fetch("SELECT DISTINCT month FROM tmp_unpaid WHERE asf_eligible")
    ]
    for month in months:
        per_child = asf_per_child_cents(month)
        if per_child <= 0:
            continue
        amount = min2(f"{per_child} * children_count", "room")
        temp_table(
            "tmp_asf",
            f"SELECT due_id, reference, intermediation_id, {amount} AS amount FROM tmp_unpaid "
            "WHERE asf_eligible AND month = %s AND room > 0",
            [iso(month)],
        )
        insert_new(
            "SELECT due_id, intermediation_id, amount FROM tmp_asf s "
            "WHERE NOT EXISTS (SELECT 1 FROM {asf} a WHERE a.due_id = s.due_id)",
            [],
            'INSERT INTO {asf} (due_id, intermediation_id, "on", amount_cents) '
            "SELECT due_id, intermediation_id, %s, amount FROM tmp_new",
            [iso(day)],
        )
        execute("UPDATE {due} SET asf_cents = asf_cents + t.amount FROM tmp_asf t WHERE t.due_id = {due}.id")
        key = "'asf:' || s.reference"
        insert_new(
            f"SELECT {key} AS new_key, s.intermediation_id, s.amount FROM tmp_asf s "
            'WHERE NOT EXISTS (SELECT 1 FROM {payout} p WHERE p."key" = ' + key + ")",
            [],
            'INSERT INTO {payout} ("key", intermediation_id, "on", amount_cents, kind) '
            "SELECT new_key, intermediation_id, %s, amount, 'asf' FROM tmp_new",
            [iso(pay_on)],
        )
        ledger_from(
            "tmp_asf",
            "asf_advance",
            key,
            day,
            [
                (creditor(), "s.amount"),
                ("'caf_bank'", "-s.amount"),
                (asf_account(), "s.amount"),
                (debtor(), "-s.amount"),
            ],
        )
        count, total = fetch("SELECT COUNT(*), COALESCE(SUM(amount), 0) FROM tmp_asf")[0]
        advances, advanced = advances + int(count), advanced + int(total)
    return {"notices": notices, "asf_advances": advances, "asf_cents": advanced}


@transaction.atomic
def escalate(day: date) -> dict[str, int]:
    """A notice whose 15 days have passed with the dues still unpaid opens a forced recovery by
    paiement direct (CPCE R213-11: third party = the debtor's employer when known, else the bank),
    the arrears in equal monthly instalments (rules/recovery.py). Paid in time: back to normal."""
    from parcours.intermediation.cycle.params import bmaf
    from parcours.intermediation.rules.recovery import instalment_plan

    paid_in_time = (
        "SELECT i.id FROM {intermediation} i WHERE i.recovery_state = 'notice' AND NOT EXISTS "
        "(SELECT 1 FROM {due} d WHERE d.intermediation_id = i.id AND d.notice_on IS NOT NULL "
        "AND d.paid_cents < d.amount_cents)"
    )
    _settled_unpaid(paid_in_time, [], "Pension payée après la mise en demeure")
    cleared = recovery_move(CLEARED, day=day, ids=paid_in_time)
    # Per intermediation (never per notice: an old notice paid in time must not count): a due that
    # got its notice more than the notice's days to pay ago and is still unpaid.
    expired = day - timedelta(days=notice_pay_within_days(day))
    rows = fetch(
        "SELECT i.id, i.debtor_employer, "
        "(SELECT SUM(d.amount_cents - d.paid_cents) FROM {due} d WHERE d.intermediation_id = i.id "
        " AND d.due_on < %s AND d.paid_cents < d.amount_cents), "
        "(SELECT COUNT(*) FROM {due} d WHERE d.intermediation_id = i.id "
        " AND d.due_on < %s AND d.paid_cents < d.amount_cents) "
        "FROM {intermediation} i WHERE i.recovery_state = 'notice' AND EXISTS (SELECT 1 FROM {due} d "
        "WHERE d.intermediation_id = i.id AND d.notice_on IS NOT NULL AND d.notice_on < %s "
        "AND d.paid_cents < d.amount_cents)",
        [iso(day), iso(day), iso(expired)],
    )
    plans = []
    for iid, employer, arrears, months in rows:
        if not arrears:
            continue
        plan = instalment_plan(arrears_cents=int(arrears), unpaid_months=int(months), bmaf=bmaf(day))
        plans.append((iid, "employeur" if employer else "banque", int(arrears), len(plan), plan[0]))
    if plans:
        temp_table(
            "tmp_forced",
            "SELECT 0 AS intermediation_id, 'banque' AS third_party, 0 AS arrears, "
            "0 AS instalments, 0 AS instalment WHERE 1 = 0",
        )
        from parcours.intermediation.cycle.sql import insert_rows

        insert_rows(
            "tmp_forced",
            ["intermediation_id", "third_party", "arrears", "instalments", "instalment"],
            plans,
        )
        insert_new(
            "SELECT intermediation_id, third_party, arrears, instalments, instalment FROM tmp_forced s "
            "WHERE NOT EXISTS (SELECT 1 FROM {forced} f WHERE f.intermediation_id = s.intermediation_id AND f.lifted_on IS NULL)",
            [],
            "INSERT INTO {forced} (intermediation_id, started_on, third_party, arrears_cents, instalments, instalment_cents) "
            "SELECT intermediation_id, %s, third_party, arrears, instalments, instalment FROM tmp_new",
            [iso(day)],
        )
        recovery_move(FORCED, day=day, ids="SELECT intermediation_id FROM tmp_forced")
    execute(
        "UPDATE {notice} SET escalated_on = %s WHERE escalated_on IS NULL AND pay_by < %s AND intermediation_id IN "
        "(SELECT id FROM {intermediation} WHERE recovery_state = 'forced')",
        [iso(day), iso(day)],
    )
    return {"forced_recoveries": len(plans), "notices_cleared": cleared}


@transaction.atomic
def lift(day: date) -> dict[str, int]:
    """Forced recovery is lifted once the dues of 6 consecutive months since it began (parameter
    lift_after_paid_months, CSS R582-8) have all been paid without a notice, and nothing is owed."""
    from parcours.intermediation.cycle.params import lift_after_paid_months

    months = lift_after_paid_months(day)
    good = "d.paid_cents >= d.amount_cents AND d.notice_on IS NULL"
    temp_table(
        "tmp_lift",
        "SELECT f.id AS forced_id, f.intermediation_id FROM {forced} f WHERE f.lifted_on IS NULL AND %s <= ("
        "SELECT COUNT(*) FROM {due} d WHERE d.intermediation_id = f.intermediation_id AND d.due_on >= f.started_on "
        f"AND d.due_on < %s AND {good} AND d.due_on > COALESCE((SELECT MAX(b.due_on) FROM {{due}} b "
        "WHERE b.intermediation_id = f.intermediation_id AND b.notice_on IS NOT NULL), f.started_on)) "
        "AND NOT EXISTS (SELECT 1 FROM {due} d WHERE d.intermediation_id = f.intermediation_id "
        "AND d.due_on < %s AND d.paid_cents < d.amount_cents)",
        [months, iso(day), iso(day)],
    )
    lifted = execute(
        "UPDATE {forced} SET lifted_on = %s WHERE id IN (SELECT forced_id FROM tmp_lift)", [iso(day)]
    )
    _settled_unpaid("SELECT intermediation_id FROM tmp_lift", [], "Arriérés recouvrés")
    recovery_move(LIFTED, day=day, ids="SELECT intermediation_id FROM tmp_lift")
    return {"forced_recoveries_lifted": lifted}


# --- 7. Direct debits of the coming dues ------------------------------------------------------


@transaction.atomic
def schedule_debits(day: date) -> dict[str, int]:
    """Dues of debtors who signed a SEPA mandate are collected on their due date (or the next
    business day); they are put in a pain.008 file two business days ahead (SEPA core lead time)."""
    earliest, horizon = add_business_days(day, 1), add_business_days(day, 2)
    collected = insert_new(
        "SELECT d.id AS due_id, d.intermediation_id, d.due_on, d.amount_cents - d.paid_cents AS amount, "
        "CASE WHEN EXISTS (SELECT 1 FROM {collection} c WHERE c.intermediation_id = d.intermediation_id) "
        "OR ROW_NUMBER() OVER (PARTITION BY d.intermediation_id ORDER BY d.due_on, d.id) > 1 "
        "THEN 'RCUR' ELSE 'FRST' END AS sequence "
        "FROM {due} d JOIN {intermediation} i ON i.id = d.intermediation_id "
        "WHERE i.payment_method = 'debit' AND i.status = 'active' AND d.due_on <= %s AND d.due_on >= %s "
        "AND d.paid_cents < d.amount_cents AND NOT EXISTS (SELECT 1 FROM {collection} c WHERE c.due_id = d.id)",
        [iso(horizon), iso(day - timedelta(days=31))],
        "INSERT INTO {collection} (due_id, intermediation_id, collection_date, amount_cents, sequence) "
        "SELECT due_id, intermediation_id, CASE WHEN due_on < %s THEN %s ELSE due_on END, amount, sequence "
        "FROM tmp_new",
        [iso(earliest), iso(earliest)],
    )
    refresh_statistics("collection", collected)
    return {"debits_scheduled": collected}


def open_count() -> int:
    return int(scalar("SELECT COUNT(*) FROM {intermediation} WHERE status = 'active'") or 0)
