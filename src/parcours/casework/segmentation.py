"""The indicators a segment's conditions read, and how a condition becomes a query (GAP)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Q


@dataclass(frozen=True)
class Indicator:
    field: str
    label: str
    kind: str  # "bool", "int", "cents" (entered in euros), "text"


INDICATORS = {
    "parent_isole": Indicator("single_parent", "Parent isolé", "bool"),
    "adultes": Indicator("adults", "Nombre d'adultes", "int"),
    "enfants": Indicator("children", "Nombre d'enfants", "int"),
    "enfant_moins_3_ans": Indicator("young_child", "Enfant de moins de 3 ans", "bool"),
    "sans_revenu": Indicator("no_income", "Aucun revenu d'activité ou de remplacement", "bool"),
    "separation_recente": Indicator("recent_separation", "Séparation depuis moins d'un an", "bool"),
    "violences": Indicator("violence", "Adresse confidentielle", "bool"),
    "handicap": Indicator("handicap", "AAH ou AEEH versée", "bool"),
    "logement": Indicator(
        "housing_status", "Statut d'occupation (locataire, proprietaire, accedant, heberge)", "text"
    ),
    "pension_impayee": Indicator("pension_unpaid", "Pension alimentaire impayée", "bool"),
    "rsa": Indicator("rsa_cents", "RSA du mois (€)", "cents"),
    "prime_activite": Indicator("ppa_cents", "Prime d'activité du mois (€)", "cents"),
    "aide_logement": Indicator("aide_logement_cents", "Aide au logement du mois (€)", "cents"),
    "asf": Indicator("asf_cents", "ASF du mois (€)", "cents"),
    "af": Indicator("af_cents", "Allocations familiales du mois (€)", "cents"),
    "aah": Indicator("aah_cents", "AAH du mois (€)", "cents"),
}
OPERATORS = {"=": "exact", "!=": "exact", ">": "gt", ">=": "gte", "<": "lt", "<=": "lte"}
TRUE, FALSE = {"oui", "vrai", "1", "true"}, {"non", "faux", "0", "false"}


def condition_q(indicator: str, operator: str, value: str) -> Q:
    """The query of one condition, or a French ValidationError saying what is wrong."""
    spec = INDICATORS.get(indicator)
    if spec is None:
        raise ValidationError({"indicator": f"Indicateur inconnu : « {indicator} »."})
    if operator not in OPERATORS:
        raise ValidationError({"operator": "Opérateur inconnu : utilisez =, !=, >, >=, < ou <=."})
    raw = value.strip().lower()
    parsed: object
    if spec.kind == "bool":
        if operator not in ("=", "!="):
            raise ValidationError({"operator": f"« {spec.label} » est oui ou non : utilisez = ou !=."})
        if raw not in TRUE | FALSE:
            raise ValidationError({"value": f"« {spec.label} » vaut oui ou non."})
        parsed = raw in TRUE
    elif spec.kind in ("int", "cents"):
        try:
            number = float(raw.replace(",", ".").replace(" ", ""))
        except ValueError:
            raise ValidationError({"value": f"« {spec.label} » attend un nombre."}) from None
        parsed = round(number * 100) if spec.kind == "cents" else int(number)
    else:
        if operator not in ("=", "!="):
            raise ValidationError({"operator": f"« {spec.label} » se compare avec = ou !=."})
        parsed = raw
    q = Q(**{f"{spec.field}__{OPERATORS[operator]}": parsed})
    return ~q if operator == "!=" else q


def rule_q(conditions: list[tuple[str, str, str]]) -> Q:
    """Every condition must hold (no condition: every dossier)."""
    q = Q()
    for indicator, operator, value in conditions:
        q &= condition_q(indicator, operator, value)
    return q
