"""Bank files in and out of the cycle.

In: the statements (camt.053 / camt.054) of a run are all read and checked before anything is
written (`parse_files`), streamed: each file is read once, its lines go in batches into a temporary
table of the database connection (never all in memory, nor is the XML tree), so that one bad file
refuses the whole import with nothing imported. A statement is known by its account and message id
(GrpHdr/MsgId, unique per account, also by a database constraint) and by the digest of its canonical
content (whatever its encoding): presented again, it is refused with the day of its import, except
when the day being run is that day (a re-run of the day, after a crash: nothing to do). A bank line
already known (same bank reference, from an overlapping statement) is a duplicate and is skipped.
Choices: docs/decisions/0006-bank-files.md (addendum of issue 16).

Out: the payouts and debits of a day are first tied to a PaymentFile row in the database (one
transaction), then the XML is written from those rows alone, to a temporary name renamed into
place; a re-run after a crash writes the same bytes. A file once written is never changed: later
payouts of the same day go into a new file.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Q

from parcours.core.dates import date_fr
from parcours.intermediation.bank import (
    Account,
    BankFileError,
    Debit,
    StatementStream,
    Transfer,
    credit_transfers_xml,
    direct_debits_xml,
    iter_statement_lines,
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
BATCH = 2_000  # statement lines held in memory at once while a file is read into the database
_stages = itertools.count(1)


def caf_account() -> Account:
    name, iban, bic = settings.PARCOURS_CAF_ACCOUNT
    return Account(name=name, iban=iban, bic=bic)


@dataclass(frozen=True)
class Parsed:
    """A statement read and checked; its lines wait in the temporary table `stage` (file `number`)."""

    path: Path
    digest: str  # SHA-256 of the canonical content (camt.StatementStream.digest)
    kind: str
    message_id: str
    account_iban: str
    lines: int
    stage: str
    number: int
    already_imported: bool = False  # imported for the same business day: a re-run, nothing to do


STAGE_COLUMNS = [
    "file_no",
    "seq",
    "entry",
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


def parse_files(paths: list[Path], *, day: date | None = None) -> list[Parsed]:
    """Read and check every statement of the run (`day`, the business day run, when there is one):
    a `BankFileError` (French) stops before anything is written. A statement already imported is
    refused, naming the day of its import, unless it is the same content imported for `day` (a
    re-run); without `day`, the same content already imported is skipped, and only a message id
    re-used for another content is refused."""
    if not paths:
        return []
    stage = f"tmp_bank_lines_{next(_stages)}"
    parsed: list[Parsed] = []
    # One transaction: a refusal takes the temporary table away with it.
    with transaction.atomic():
        temp_table(
            stage,
            "SELECT 0 AS file_no, 0 AS seq, 0 AS entry, line_key, booked_on, amount_cents, credit, "
            "end_to_end_id, remittance, counterparty_name, counterparty_iban, reference_found "
            "FROM {line} WHERE 1 = 0",
        )
        execute(f"CREATE INDEX {stage}_key ON {stage} (file_no, line_key)")
        for number, path in enumerate(paths, start=1):
            parsed.append(_parse_file(Path(path), number, stage, day, parsed))
        if connection.vendor == "postgresql":
            execute(f"ANALYZE {stage}")
    return parsed


def _parse_file(path: Path, number: int, stage: str, day: date | None, before: list[Parsed]) -> Parsed:
    name = path.name
    try:
        stream = iter_statement_lines(path, check_keys=False)
        iban, message_id = stream.account_iban, stream.message_id
        if iban != caf_account().iban.replace(" ", "").upper():
            raise BankFileError(
                f"Relevé refusé : {name} est le relevé du compte {iban}, "
                "qui n'est pas le compte de la Caf pour l'intermédiation."
            )
        for other in before:
            if (other.account_iban, other.message_id) == (iban, message_id):
                raise BankFileError(
                    f"Relevé refusé : {name} et {other.path.name} portent le même identifiant de message "
                    f"(MsgId {message_id}) : un relevé n'est donné qu'une fois."
                )
        earlier = BankStatement.objects.filter(account_iban=iban, message_id=message_id).first()
        if earlier is None:
            _stage(stream, number, stage)
        else:
            for _ in stream:  # read to the end all the same: its digest, and a fault in it
                pass
        digest = stream.digest
    except BankFileError as error:
        raise _named(error, name) from error
    if earlier is None:
        # A statement imported before its account was recorded is known by its digest only.
        earlier = BankStatement.objects.filter(sha256=digest).first()
    already = False
    if earlier is not None:
        when = f"le {date_fr(earlier.imported_on)} (fichier {earlier.file_name})"
        if earlier.sha256 != digest:
            raise BankFileError(
                f"Ce relevé (MsgId {message_id}, fichier {name}) a déjà été importé {when} avec un autre "
                "contenu : un identifiant de message ne sert qu'une fois par compte. Relevé refusé."
            )
        if day is not None and earlier.imported_on != day:
            raise BankFileError(
                f"Ce relevé (MsgId {message_id}, fichier {name}) a déjà été importé {when}. Relevé refusé."
            )
        already = True
    else:
        _check_keys(stage, number, name)
    lines = int(scalar(f"SELECT COUNT(*) FROM {stage} WHERE file_no = %s", [number]) or 0)
    return Parsed(path, digest, stream.kind, message_id, iban, lines, stage, number, already)


def _named(error: BankFileError, name: str) -> BankFileError:
    message = str(error)
    return error if name in message else BankFileError(f"{message.rstrip('.')} (fichier {name}).")


def _stage(stream: StatementStream, number: int, stage: str) -> None:
    """The file's lines into the temporary table, `BATCH` at a time."""
    rows = _rows(stream, number)
    while batch := list(itertools.islice(rows, BATCH)):
        insert_rows(stage, STAGE_COLUMNS, batch)


def _check_keys(stage: str, number: int, name: str) -> None:
    """A bank reference twice in one file is refused (the reader leaves it here: its keys would
    fill the memory)."""
    found = fetch(
        f"SELECT a.line_key, a.entry, b.entry FROM {stage} a JOIN {stage} b "
        "ON b.file_no = a.file_no AND b.line_key = a.line_key AND b.seq < a.seq "
        "WHERE a.file_no = %s ORDER BY a.seq, b.seq LIMIT 1",
        [number],
    )
    if found:
        key, entry, first = found[0]
        raise BankFileError(
            f"Relevé bancaire refusé : dans {name}, la référence bancaire « {key} » de l'écriture "
            f"n° {entry} figure déjà plus haut (écriture n° {first})."
        )


@transaction.atomic
def import_statements(day: date, parsed: list[Parsed]) -> dict[str, int]:
    files = skipped = given = inserted = 0
    for item in parsed:
        if item.already_imported:
            skipped += 1
            continue
        try:
            with transaction.atomic():
                statement = BankStatement.objects.create(
                    sha256=item.digest,
                    account_iban=item.account_iban,
                    kind=item.kind,
                    message_id=item.message_id,
                    imported_on=day,
                    file_name=item.path.name[:255],
                )
        except IntegrityError as error:  # another run imported it since it was read
            raise BankFileError(
                f"Ce relevé (MsgId {item.message_id}, fichier {item.path.name}) vient d'être importé par "
                "un autre traitement. Relevé refusé."
            ) from error
        added = insert_new(
            "SELECT line_key, booked_on, amount_cents, credit, end_to_end_id, remittance, "
            f"counterparty_name, counterparty_iban, reference_found FROM {item.stage} t "
            "WHERE t.file_no = %s AND NOT EXISTS (SELECT 1 FROM {line} l WHERE l.line_key = t.line_key)",
            [item.number],
            "INSERT INTO {line} (statement_id, line_key, booked_on, amount_cents, credit, end_to_end_id, "
            "remittance, counterparty_name, counterparty_iban, reference_found, status, matched_by) "
            "SELECT %s, line_key, booked_on, amount_cents, credit, end_to_end_id, remittance, "
            "counterparty_name, counterparty_iban, reference_found, 'new', '' FROM tmp_new",
            [statement.pk],
        )
        BankStatement.objects.filter(pk=statement.pk).update(lines=added)
        files, given, inserted = files + 1, given + item.lines, inserted + added
    drop(*sorted({item.stage for item in parsed}))
    return {
        "statements_imported": files,
        "statements_already_imported": skipped,
        "lines_imported": inserted,
        "lines_duplicate": given - inserted,
    }


def _rows(stream: StatementStream, number: int) -> Iterator[tuple]:
    for seq, line in enumerate(stream):
        # A credit carrying one of the Caf's own end-to-end ids is a transfer of ours coming back
        # (closed account...): never the debtor's money; it waits in suspense for an agent.
        ours = line.end_to_end_id.startswith(OWN_PREFIXES)
        found = None if ours else REFERENCE.search(f"{line.end_to_end_id} {line.remittance}")
        yield (
            number,
            seq,
            stream.entry_number,
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
