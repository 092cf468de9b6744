"""`ifpa check`: the ledger proves itself, and proves the cycle's running figures, in SQL.

- every transaction has at least two entries and sums to zero; all entries sum to zero;
- per intermediation, the ledger's debtor + asf_advanced balance equals what the dues table says
  is still owed, less the money received and not yet applied;
- the creditor was never paid more than what was collected for them (no payout without funds),
  ASF payouts equal the ASF advances recorded, and every payout has one ledger movement (a payout
  is never made twice: one key per intermediation and day, one per advanced due);
- the Caf's bank account equals receipts less payouts; the suspense account equals the bank lines
  still waiting for an agent.
"""

from __future__ import annotations

from typing import Any

from parcours.core.money import cents_text
from parcours.intermediation.cycle.sql import scalar


def ledger_check() -> dict[str, Any]:
    transactions = int(scalar("SELECT COUNT(*) FROM {tx}") or 0)
    entries = int(scalar("SELECT COUNT(*) FROM {entry}") or 0)
    imbalance = int(scalar("SELECT COALESCE(SUM(amount), 0) FROM {entry}") or 0)
    unbalanced = int(
        scalar(
            "SELECT COUNT(*) FROM (SELECT transaction_id FROM {entry} GROUP BY transaction_id "
            "HAVING SUM(amount) <> 0 OR COUNT(*) < 2) x"
        )
        or 0
    )
    without_entries = int(
        scalar(
            "SELECT COUNT(*) FROM {tx} t WHERE NOT EXISTS (SELECT 1 FROM {entry} e WHERE e.transaction_id = t.id)"
        )
        or 0
    )
    per_account = (
        "SELECT t.intermediation_id AS iid, "
        "SUM(CASE WHEN e.account LIKE 'debtor:%%' OR e.account LIKE 'asf_advanced:%%' THEN e.amount ELSE 0 END) AS owed, "
        "SUM(CASE WHEN e.account LIKE 'creditor:%%' THEN e.amount ELSE 0 END) AS creditor "
        "FROM {entry} e JOIN {tx} t ON t.id = e.transaction_id WHERE t.intermediation_id IS NOT NULL "
        "GROUP BY t.intermediation_id"
    )
    dues = (
        "SELECT intermediation_id AS iid, SUM(amount_cents - paid_cents) AS outstanding, "
        "SUM(amount_cents) AS due, SUM(asf_cents) AS asf FROM {due} GROUP BY intermediation_id"
    )
    inconsistent = int(
        scalar(
            f"SELECT COUNT(*) FROM {{intermediation}} i LEFT JOIN ({per_account}) l ON l.iid = i.id "
            f"LEFT JOIN ({dues}) d ON d.iid = i.id "
            "WHERE COALESCE(l.owed, 0) <> COALESCE(d.outstanding, 0) - i.credit_cents "
            "OR -COALESCE(l.creditor, 0) <> COALESCE(d.due, 0) - COALESCE(d.asf, 0) - i.paid_out_cents"
        )
        or 0
    )
    without_funds = int(
        scalar(
            "SELECT COUNT(*) FROM {intermediation} i WHERE i.paid_out_cents > i.funded_cents "
            "OR i.paid_out_cents <> COALESCE((SELECT SUM(p.amount_cents) FROM {payout} p "
            "WHERE p.intermediation_id = i.id AND p.kind = 'pension'), 0) "
            "OR i.funded_cents <> COALESCE((SELECT SUM(a.creditor_cents) FROM {alloc} a "
            "WHERE a.intermediation_id = i.id), 0)"
        )
        or 0
    )
    asf_mismatch = int(
        scalar(
            "SELECT COUNT(*) FROM {asf} a JOIN {due} d ON d.id = a.due_id "
            "WHERE a.amount_cents <> COALESCE((SELECT SUM(p.amount_cents) "
            "FROM {payout} p WHERE p.\"key\" = 'asf:' || d.reference), 0)"
        )
        or 0
    )
    paid_twice = int(
        scalar(
            "SELECT COUNT(*) FROM (SELECT p.intermediation_id, p.\"on\" FROM {payout} p WHERE p.kind = 'pension' "
            'GROUP BY p.intermediation_id, p."on" HAVING COUNT(*) > 1) x'
        )
        or 0
    ) + int(
        scalar(
            'SELECT COUNT(*) FROM {payout} p WHERE 1 <> (SELECT COUNT(*) FROM {tx} t WHERE t."key" = p."key")'
        )
        or 0
    )
    bank = int(scalar("SELECT COALESCE(SUM(amount), 0) FROM {entry} WHERE account = 'caf_bank'") or 0)
    received = int(
        scalar(
            "SELECT COALESCE(SUM(amount_cents), 0) FROM {line} WHERE status IN ('matched', 'suspense', 'resolved', 'refunded')"
        )
        or 0
    )
    refunded = int(scalar("SELECT COALESCE(SUM(amount_cents), 0) FROM {line} WHERE status = 'refunded'") or 0)
    paid = int(scalar("SELECT COALESCE(SUM(amount_cents), 0) FROM {payout}") or 0)
    bank_mismatch = bank - (received - refunded - paid)
    suspense = -int(scalar("SELECT COALESCE(SUM(amount), 0) FROM {entry} WHERE account = 'suspense'") or 0)
    waiting = int(scalar("SELECT COALESCE(SUM(amount_cents), 0) FROM {line} WHERE status = 'suspense'") or 0)
    ok = (
        imbalance == 0
        and unbalanced == 0
        and without_entries == 0
        and inconsistent == 0
        and without_funds == 0
        and asf_mismatch == 0
        and paid_twice == 0
        and bank_mismatch == 0
        and suspense == waiting
    )
    return {
        "ok": ok,
        "transactions": transactions,
        "entries": entries,
        "imbalance": cents_text(imbalance),
        "unbalanced_transactions": unbalanced,
        "transactions_without_entries": without_entries,
        "intermediations_inconsistent": inconsistent,
        "payouts_without_funds": without_funds,
        "asf_payouts_mismatch": asf_mismatch,
        "payouts_twice": paid_twice,
        "caf_bank": cents_text(bank),
        "caf_bank_mismatch": cents_text(bank_mismatch),
        "suspense": cents_text(suspense),
        "suspense_lines": cents_text(waiting),
    }
