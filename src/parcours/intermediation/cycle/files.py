"""Bank files in and out of the cycle.

In: statements (camt.053 / camt.054) are all parsed before anything is written; one bad file
refuses the whole import (nothing imported), a file already imported (same SHA-256) is skipped,
a bank line already known (same bank reference) is a duplicate and is skipped.

Out: the payouts and debits of a day are first tied to a PaymentFile row in the database (one
transaction), then the XML is written from those rows alone, to a temporary name renamed into
place; a re-run after a crash writes the same bytes. A file once written is never changed: later
payouts of the same day go into a new file.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from parcours.intermediation.bank import (
    Account,
    BankFileError,
    Debit,
    Transfer,
    credit_transfers_xml,
    direct_debits_xml,
    parse_statement,
)
from parcours.intermediation.cycle.sql import (
    drop,
    execute,
    fetch,
    insert_new,
    insert_rows,
    iso,
    scalar,
    temp_table,
)
from parcours.intermediation.models import BankStatement, PaymentFile

REFERENCE = re.compile(r"IF\d{9}")
OWN_PREFIXES = ("payout:", "asf:")  # the end-to-end ids of the Caf's pain.001 transfers


def caf_account() -> Account:
    name, iban, bic = settings.PARCOURS_CAF_ACCOUNT
    return Account(name=name, iban=iban, bic=bic)


@dataclass(frozen=True)
class Parsed:
    path: Path
    sha256: str
    statement: object


def parse_files(paths: list[Path]) -> list[Parsed]:
    """Parse every statement first: a BankFileError (French message) stops before any write."""
    parsed = []
    own = caf_account().iban.replace(" ", "")
    for path in paths:
        data = Path(path).read_bytes()
        statement = parse_statement(data)
        if statement.account_iban.replace(" ", "") != own:
            raise BankFileError(
                f"Relevé refusé : {Path(path).name} est le relevé du compte {statement.account_iban}, "
                "qui n'est pas le compte de la Caf pour l'intermédiation."
            )
        parsed.append(Parsed(Path(path), hashlib.sha256(data).hexdigest(), statement))
    return parsed


LINE_COLUMNS = [
    "seq",
    "line_key",
    "booked_on",
    "amount_cents",
    "credit",
    "end_to_end_id",
    "remittance",
    "counterparty_name",
    "counterparty_iban",
    "reference_found",
]


@transaction.atomic
def import_statements(day: date, parsed: list[Parsed]) -> dict[str, int]:
    files = skipped = given = inserted = 0
    for item in parsed:
        if BankStatement.objects.filter(sha256=item.sha256).exists():
            skipped += 1
            continue
        st = item.statement
        statement = BankStatement.objects.create(
            sha256=item.sha256,
            kind=st.kind,  # type: ignore[attr-defined]
            message_id=st.message_id[:35],  # type: ignore[attr-defined]
            imported_on=day,
            file_name=item.path.name[:255],
        )
        temp_table(
            "tmp_lines",
            "SELECT 0 AS seq, line_key, booked_on, amount_cents, credit, end_to_end_id, remittance, "
            "counterparty_name, counterparty_iban, reference_found FROM {line} WHERE 1 = 0",
        )
        lines = st.lines  # type: ignore[attr-defined]
        insert_rows("tmp_lines", LINE_COLUMNS, _rows(lines))
        execute("CREATE INDEX tmp_lines_key ON tmp_lines (line_key)")
        added = insert_new(
            "SELECT line_key, booked_on, amount_cents, credit, end_to_end_id, remittance, "
            "counterparty_name, counterparty_iban, reference_found FROM tmp_lines t "
            "WHERE t.seq = (SELECT MIN(u.seq) FROM tmp_lines u WHERE u.line_key = t.line_key) "
            "AND NOT EXISTS (SELECT 1 FROM {line} l WHERE l.line_key = t.line_key)",
            [],
            "INSERT INTO {line} (statement_id, line_key, booked_on, amount_cents, credit, end_to_end_id, "
            "remittance, counterparty_name, counterparty_iban, reference_found, status, matched_by) "
            "SELECT %s, line_key, booked_on, amount_cents, credit, end_to_end_id, remittance, "
            "counterparty_name, counterparty_iban, reference_found, 'new', '' FROM tmp_new",
            [statement.pk],
        )
        drop("tmp_lines")
        BankStatement.objects.filter(pk=statement.pk).update(lines=added)
        files, given, inserted = files + 1, given + len(lines), inserted + added
    return {
        "statements_imported": files,
        "statements_already_imported": skipped,
        "lines_imported": inserted,
        "lines_duplicate": given - inserted,
    }


def _rows(lines):  # type: ignore[no-untyped-def]
    for seq, line in enumerate(lines):
        # A credit carrying one of the Caf's own end-to-end ids is a transfer of ours coming back
        # (closed account...): never the debtor's money; it waits in suspense for an agent.
        ours = line.end_to_end_id.startswith(OWN_PREFIXES)
        found = None if ours else REFERENCE.search(f"{line.end_to_end_id} {line.remittance}")
        yield (
            seq,
            line.line_key[:80],
            line.booked_on,
            line.amount_cents,
            line.credit,
            line.end_to_end_id[:35],
            line.remittance[:140],
            line.counterparty_name[:140],
            line.counterparty_iban[:34],
            found.group(0) if found else "",
        )


# --- Out -------------------------------------------------------------------------------------


@transaction.atomic
def assign_files(day: date) -> None:
    """Tie the day's unfiled payouts and collections to new PaymentFile rows."""
    if scalar('SELECT COUNT(*) FROM {payout} WHERE payment_file_id IS NULL AND "on" <= %s', [iso(day)]):
        _new_file("pain.001", day, day, "{payout}", '"on" <= %s', [iso(day)])
    for (collection_date,) in fetch(
        "SELECT DISTINCT collection_date FROM {collection} WHERE payment_file_id IS NULL ORDER BY collection_date"
    ):
        on = collection_date if isinstance(collection_date, date) else date.fromisoformat(collection_date)
        _new_file("pain.008", day, on, "{collection}", "collection_date = %s", [iso(on)])


def _new_file(kind: str, day: date, on: date, table: str, where: str, params: list) -> None:
    prefix = "PO" if kind == "pain.001" else "PD"
    seq = PaymentFile.objects.filter(kind=kind, key__startswith=f"{kind}:{day}:{on}:").count() + 1
    payment_file = PaymentFile.objects.create(
        key=f"{kind}:{day}:{on}:{seq}",
        kind=kind,
        message_id=f"CAF-{prefix}-{day:%Y%m%d}-{on:%Y%m%d}-{seq}",
        on=on,
        # The run's business day, not the wall clock: a file for day D is dated D (06:00, Paris),
        # so that re-running D writes the same bytes and the bank never sees a date after D.
        created_at=datetime.combine(day, time(6, 0), tzinfo=ZoneInfo("Europe/Paris")),
    )
    execute(
        f"UPDATE {table} SET payment_file_id = %s WHERE payment_file_id IS NULL AND {where}",
        [payment_file.pk, *params],
    )
    count, total = fetch(
        f"SELECT COUNT(*), COALESCE(SUM(amount_cents), 0) FROM {table} WHERE payment_file_id = %s",
        [payment_file.pk],
    )[0]
    PaymentFile.objects.filter(pk=payment_file.pk).update(count=count, total_cents=total)


def write_files(day: date, out: Path) -> list[str]:
    """Write (or rewrite, identically) every file of the day's run whose bytes are not yet on disk."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    # The day's files, and any earlier file whose bytes were never written (a crash between
    # assign_files and write_files, then another day run instead of a re-run of that one).
    todays = Q(key__startswith=f"pain.001:{day}:") | Q(key__startswith=f"pain.008:{day}:")
    for payment_file in PaymentFile.objects.filter(todays | Q(sha256="")).order_by("id"):
        name = f"{payment_file.message_id}.{payment_file.kind}.xml"
        target = out / name
        if payment_file.sha256 and target.exists() and _digest(target) == payment_file.sha256:
            written.append(name)
            continue
        data = _pain001(payment_file) if payment_file.kind == "pain.001" else _pain008(payment_file)
        digest = hashlib.sha256(data).hexdigest()
        if payment_file.sha256 and payment_file.sha256 != digest:
            raise RuntimeError(f"Le fichier {name} ne se reconstruit pas à l'identique : rien n'est réécrit.")
        temporary = target.with_suffix(".part")
        temporary.write_bytes(data)
        os.replace(temporary, target)
        PaymentFile.objects.filter(pk=payment_file.pk).update(sha256=digest)
        written.append(name)
    return written


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _created(payment_file: PaymentFile) -> datetime:
    return payment_file.created_at.replace(microsecond=0)


def _pain001(payment_file: PaymentFile) -> bytes:
    rows = fetch(
        'SELECT p."key", p.amount_cents, p.kind, i.reference, i.creditor_name, i.creditor_iban, i.creditor_bic '
        "FROM {payout} p JOIN {intermediation} i ON i.id = p.intermediation_id "
        'WHERE p.payment_file_id = %s ORDER BY p."key"',
        [payment_file.pk],
    )
    transfers = [
        Transfer(
            end_to_end_id=key[:35],
            amount_cents=int(amount),
            creditor=Account(name=name[:70], iban=iban, bic=bic or ""),
            remittance=(
                f"Pension alimentaire {reference} versée par la Caf"
                if kind == "pension"
                else f"ASF avance sur pension impayée {reference}"
            ),
        )
        for key, amount, kind, reference, name, iban, bic in rows
    ]
    return credit_transfers_xml(
        message_id=payment_file.message_id,
        created_at=_created(payment_file),
        initiator=caf_account(),
        execution_date=payment_file.on,
        transfers=transfers,
    )


def _pain008(payment_file: PaymentFile) -> bytes:
    rows = fetch(
        "SELECT d.reference, c.amount_cents, c.sequence, i.debtor_name, i.debtor_iban, i.debtor_bic, "
        "i.mandate_id, i.mandate_signed_on FROM {collection} c JOIN {due} d ON d.id = c.due_id "
        "JOIN {intermediation} i ON i.id = c.intermediation_id WHERE c.payment_file_id = %s ORDER BY d.reference",
        [payment_file.pk],
    )
    debits = [
        Debit(
            end_to_end_id=reference,
            amount_cents=int(amount),
            debtor=Account(name=name[:70], iban=iban, bic=bic or ""),
            mandate_id=mandate,
            mandate_signed_on=signed if isinstance(signed, date) else date.fromisoformat(signed),
            sequence=sequence,
            remittance=f"Pension alimentaire {reference}",
        )
        for reference, amount, sequence, name, iban, bic, mandate, signed in rows
    ]
    return direct_debits_xml(
        message_id=payment_file.message_id,
        created_at=_created(payment_file),
        creditor=caf_account(),
        creditor_identifier=settings.PARCOURS_CAF_CREDITOR_ID,
        collection_date=payment_file.on,
        debits=debits,
    )
