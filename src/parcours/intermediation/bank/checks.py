"""Checks and normalisations shared by the bank file writers: identifiers, IBAN, BIC, creditor
identifier, amounts, text in the SEPA character set. Every refusal is a French `BankFileError`."""

from __future__ import annotations

import re
import string
import unicodedata
from datetime import date, datetime
from functools import lru_cache

from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException

from parcours.intermediation.bank.errors import BankFileError

# EPC SEPA rulebooks: the largest amount of one SEPA transaction is 999 999 999,99 EUR.
MAX_AMOUNT_CENTS = 99_999_999_999
MAX_ID = 35  # ISO 20022 Max35Text (MsgId, PmtInfId, EndToEndId, MndtId, AcctSvcrRef)
MAX_NAME = 70  # ISO 20022 Max70Text (Nm)
MAX_REMITTANCE = 140  # ISO 20022 Max140Text (Ustrd)

# EPC guidance on the use of the SEPA character set (EPC217-08): identifiers use the basic Latin set
# without space, must not start or end with "/" nor contain "//".
_ID_RE = re.compile(r"[A-Za-z0-9/\-?:().,'+]+")
_SEPA_CHARS = frozenset(string.ascii_letters + string.digits + "/-?:().,'+ ")
_SEPA_ONLY = re.compile(r"[A-Za-z0-9/\-?:().,'+ ]*")
_SPECIAL = {
    "œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D",
    "ł": "l", "Ł": "L", "&": "+", "’": "'", "‘": "'", "´": "'", "`": "'", "«": "'", "»": "'",
    "_": "-", "–": "-", "—": "-", "\u00a0": " ",
}  # fmt: skip
# XML 1.0 forbids these characters; tabs and new lines are refused too (one-line fields).
_NOT_XML_TEXT = re.compile("[^\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class _SepaTable(dict):
    """`str.translate` table mapping any character to its SEPA-set spelling, filled on demand."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        if char in _SEPA_CHARS:
            out = char
        elif char in _SPECIAL:
            out = _SPECIAL[char]
        else:
            # "é" -> "e" + combining accent -> "e"; a character with no Latin spelling -> space.
            out = "".join(c for c in unicodedata.normalize("NFKD", char) if c in _SEPA_CHARS) or " "
        self[code] = out
        return out


_SEPA_TABLE = _SepaTable()


def sepa_text(value: str) -> str:
    """`value` in the SEPA character set (accents removed, other signs spaced), spaces collapsed:
    the text a French bank accepts in a name or a remittance."""
    if not _SEPA_ONLY.fullmatch(value):
        value = value.translate(_SEPA_TABLE)
    if "  " in value or value[:1] == " " or value[-1:] == " ":
        value = " ".join(value.split())
    return value


def check_id(value: object, what: str) -> str:
    """An ISO 20022 identifier (Max35Text, EPC character set); `what` names it in the error."""
    if not isinstance(value, str) or not value:
        raise BankFileError(f"{what} est obligatoire.")
    if len(value) > MAX_ID:
        raise BankFileError(f"{what} « {value} » dépasse {MAX_ID} caractères ({len(value)}).")
    if not _ID_RE.fullmatch(value):
        raise BankFileError(
            f"{what} « {value} » contient des caractères non admis (seuls les lettres non accentuées, "
            "les chiffres et / - ? : ( ) . , ' + le sont, sans espace)."
        )
    if value.startswith("/") or value.endswith("/") or "//" in value:
        raise BankFileError(
            f"{what} « {value} » ne peut ni commencer ni finir par « / », ni contenir « // »."
        )
    return value


def check_name(value: object, of: str) -> str:
    """A party's name in the SEPA character set, cut to the 70 characters a bank keeps; `of` names
    the party in the error ("du créancier")."""
    text = sepa_text(value) if isinstance(value, str) else ""
    if not text:
        raise BankFileError(f"le nom {of} est obligatoire.")
    return text[:MAX_NAME].rstrip()


def check_remittance(value: object) -> str:
    """An unstructured remittance (libellé): 1 to 140 characters, in the SEPA character set."""
    if not isinstance(value, str) or not (text := sepa_text(value)):
        raise BankFileError("le libellé du paiement est obligatoire.")
    if len(value) > MAX_REMITTANCE:
        raise BankFileError(f"le libellé dépasse {MAX_REMITTANCE} caractères ({len(value)}).")
    # Transliteration may lengthen a text ("œ" -> "oe"): keep what the bank keeps.
    return text[:MAX_REMITTANCE].rstrip()


def check_amount(value: object) -> int:
    """A SEPA amount in integer cents: 1 to 99 999 999 999."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise BankFileError(f"le montant doit être un nombre entier de centimes (reçu {value!r}).")
    if value <= 0:
        raise BankFileError(f"le montant doit être strictement positif (reçu {value} centimes).")
    if value > MAX_AMOUNT_CENTS:
        raise BankFileError("le montant dépasse le plafond SEPA de 999 999 999,99 €.")
    return value


@lru_cache(maxsize=65536)
def _sepa_iban(raw: str) -> str:
    iban = IBAN(raw)  # raises on a bad country, length, checksum or BBAN format
    if not iban.in_sepa_zone:
        raise BankFileError("hors de la zone SEPA")
    return iban.compact


def check_iban(value: object, of: str) -> str:
    """A valid IBAN of the SEPA zone (schwifty), in compact form ("FR76...")."""
    if not isinstance(value, str) or not value.strip():
        raise BankFileError(f"l'IBAN {of} est obligatoire.")
    try:
        return _sepa_iban(value)
    except SchwiftyException as error:
        raise BankFileError(f"l'IBAN {of} « {value} » n'est pas valide ({_why(error)}).") from error
    except BankFileError as error:
        raise BankFileError(f"l'IBAN {of} « {value} » n'est pas valide ({error}).") from error


def check_bic(value: object, of: str) -> str:
    """An empty string, or a valid BIC (schwifty) in compact form ("AGRIFRPP")."""
    if value == "":
        return ""
    if not isinstance(value, str):
        raise BankFileError(f"le BIC {of} doit être un texte (reçu {value!r}).")
    try:
        return _bic(value)
    except SchwiftyException as error:
        raise BankFileError(f"le BIC {of} « {value} » n'est pas valide ({_why(error)}).") from error


@lru_cache(maxsize=4096)
def _bic(raw: str) -> str:
    return BIC(raw).compact


def check_creditor_identifier(value: object) -> str:
    """A SEPA creditor identifier (ICS in France, e.g. "FR72ZZZ123456"): country, check digits,
    business code, national identifier; the check digits are ISO 7064 MOD 97-10 over the national
    identifier followed by the country code and "00" (EPC262-08, the business code is left out)."""
    what = "l'identifiant créancier SEPA (ICS)"
    if not isinstance(value, str) or not value.strip():
        raise BankFileError(f"{what} est obligatoire.")
    compact = value.replace(" ", "").upper()
    match = re.fullmatch(r"([A-Z]{2})(\d{2})[A-Z0-9]{3}([A-Z0-9]{1,28})", compact)
    if not match:
        raise BankFileError(f"{what} « {value} » n'a pas la forme attendue (par exemple FR72ZZZ123456).")
    country, check, national = match.groups()
    digits = "".join(str(int(c, 36)) for c in national + country + "00")
    if 98 - int(digits) % 97 != int(check):
        raise BankFileError(f"{what} « {value} » a une clé de contrôle fausse.")
    return compact


def check_date(value: object, what: str) -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise BankFileError(f"{what} doit être une date (reçu {value!r}).")
    return value


def check_datetime(value: object, what: str) -> datetime:
    if not isinstance(value, datetime):
        raise BankFileError(f"{what} doit être une date et une heure (reçu {value!r}).")
    return value


def check_xml_text(value: object, what: str, *, limit: int) -> str:
    """Free text written as is (statement files): at most `limit` characters, no control character."""
    if not isinstance(value, str):
        raise BankFileError(f"{what} doit être un texte (reçu {value!r}).")
    if len(value) > limit:
        raise BankFileError(f"{what} dépasse {limit} caractères ({len(value)}).")
    if _NOT_XML_TEXT.search(value):
        raise BankFileError(f"{what} contient un caractère de contrôle non admis.")
    return value


def xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _why(error: SchwiftyException) -> str:
    """A French reason for schwifty's English exception."""
    name = type(error).__name__
    return {
        "InvalidChecksumDigits": "clé de contrôle fausse",
        "InvalidLength": "longueur incorrecte",
        "InvalidCountryCode": "code pays inconnu",
        "InvalidStructure": "structure incorrecte",
        "InvalidBBANChecksum": "clé RIB fausse",
        "InvalidBankCode": "code banque inconnu",
        "InvalidBranchCode": "code guichet inconnu",
        "InvalidAccountCode": "numéro de compte incorrect",
    }.get(name, "format incorrect")
