"""French messages for the validation errors of API payloads (pydantic error types)."""

from typing import Any

MESSAGES = {
    "missing": "Ce champ est obligatoire.",
    "string_type": "Ce champ doit être une chaîne de caractères.",
    "int_parsing": "Ce champ doit être un nombre entier.",
    "int_type": "Ce champ doit être un nombre entier.",
    "bool_parsing": "Ce champ doit valoir true ou false.",
    "bool_type": "Ce champ doit valoir true ou false.",
    "decimal_parsing": 'Ce champ doit être un montant décimal, par exemple "1200.00".',
    "decimal_type": 'Ce champ doit être un montant décimal, par exemple "1200.00".',
    "decimal_max_places": "Ce montant a au plus deux décimales.",
    "date_from_datetime_parsing": "Cette date doit être au format AAAA-MM-JJ.",
    "date_parsing": "Cette date doit être au format AAAA-MM-JJ.",
    "date_type": "Cette date doit être au format AAAA-MM-JJ.",
    "literal_error": "Cette valeur n'est pas autorisée.",
    "enum": "Cette valeur n'est pas autorisée.",
    "greater_than_equal": "Cette valeur est trop petite.",
    "greater_than": "Cette valeur est trop petite.",
    "less_than_equal": "Cette valeur est trop grande.",
    "less_than": "Cette valeur est trop grande.",
    "string_too_short": "Ce champ est trop court.",
    "string_too_long": "Ce champ est trop long.",
    "string_pattern_mismatch": "Ce champ n'a pas le format attendu.",
    "extra_forbidden": "Ce champ n'est pas attendu.",
    "list_type": "Ce champ doit être une liste.",
    "dict_type": "Ce champ doit être un objet.",
    "model_attributes_type": "Ce champ doit être un objet.",
    "json_invalid": "Le corps de la requête n'est pas un JSON valide.",
}


def french_message(error: dict[str, Any]) -> str:
    """The French message of a pydantic error; a custom error keeps its own (French) text."""
    kind = error.get("type", "")
    if kind == "value_error":
        message = str(error.get("msg", ""))
        return message.removeprefix("Value error, ")
    return MESSAGES.get(kind, "Cette valeur n'est pas valide.")
