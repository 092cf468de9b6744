"""Bank file I/O of the financial intermediation (IFPA), on plain data (no Django, no database).

Out: SEPA credit transfers (pain.001.001.09) and SEPA Core direct debits (pain.008.001.08), valid
against the XSD shipped by sepaxml, deterministic. In: bank statements camt.053 / camt.054
(001.02 to 001.08), streamed. Money is integer cents; every refusal is a `BankFileError` whose
message is French. Choices and measured costs: docs/decisions/0006-bank-files.md.
"""

from parcours.intermediation.bank.camt import StatementStream, iter_statement_lines, parse_statement
from parcours.intermediation.bank.errors import BankFileError
from parcours.intermediation.bank.orders import PAIN_001, PAIN_008
from parcours.intermediation.bank.pain import (
    credit_transfers_xml,
    direct_debits_xml,
    iter_credit_transfers_xml,
    iter_direct_debits_xml,
)
from parcours.intermediation.bank.records import (
    Account,
    Debit,
    Statement,
    StatementHeader,
    StatementLine,
    Transfer,
)
from parcours.intermediation.bank.statement import CAMT_053, iter_statement_xml, statement_xml
from parcours.intermediation.bank.validation import validate_pain

__all__ = [
    "CAMT_053",
    "PAIN_001",
    "PAIN_008",
    "Account",
    "BankFileError",
    "Debit",
    "Statement",
    "StatementHeader",
    "StatementLine",
    "StatementStream",
    "Transfer",
    "credit_transfers_xml",
    "direct_debits_xml",
    "iter_credit_transfers_xml",
    "iter_direct_debits_xml",
    "iter_statement_lines",
    "iter_statement_xml",
    "parse_statement",
    "statement_xml",
    "validate_pain",
]
