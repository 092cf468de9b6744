"""JSON API of this app, mounted under /api/v1/."""

from __future__ import annotations

from datetime import date as Date
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema
from pydantic import field_validator

from parcours.core.api_errors import INPUT_ERRORS
from parcours.core.rate_limits import RATE_LIMIT_ERRORS, ClientRateThrottle

from .scales import Custody
from .simulation import (
    MAX_CHILDREN,
    checked_children,
    checked_date,
    income_from_json,
    simulate,
)

router = Router(tags=["pension alimentaire"])

CUSTODY_ERROR = (
    "Le mode de résidence vaut «\u00a0reduit\u00a0», «\u00a0classique\u00a0» ou «\u00a0alterne\u00a0»."
)


def _money_input_schema(schema: dict[str, Any]) -> None:
    # Documented as what it must be: a decimal string (a JSON number is refused, see below).
    schema.pop("anyOf", None)
    schema.update({"type": "string", "pattern": r"^[0-9]+(\.[0-9]{1,2})?$", "example": "2000.00"})


class ChildSupportSimulationIn(Schema):
    debtor_monthly_income: Decimal = Field(
        ...,
        description="Revenu mensuel du parent qui paie (le débiteur), en euros, écrit comme une chaîne "
        'décimale avec au plus deux décimales, par exemple "2000.00" : ses revenus imposables et de '
        "remplacement, sans ceux d'un nouveau conjoint. Ni négatif ni au-delà de 1 000 000.",
        json_schema_extra=lambda schema: _money_input_schema(schema),
    )
    children: int = Field(
        ...,
        description="Nombre d'enfants à la charge du parent qui paie, de toutes ses unions "
        f"(de 1 à {MAX_CHILDREN}).",
        json_schema_extra={"example": 2, "minimum": 1, "maximum": MAX_CHILDREN},
    )
    custody: Literal["reduit", "classique", "alterne"] = Field(
        ...,
        description="Temps passé par les enfants chez le parent qui paie : reduit (moins d'un quart du "
        "temps, ou visites sans hébergement), classique (environ un quart : un week-end sur deux et la "
        "moitié des vacances), alterne (résidence alternée).",
    )
    date: Date = Field(
        ...,
        description="Date du calcul, AAAA-MM-JJ : le montant du RSA et les barèmes en vigueur ce "
        "jour-là sont appliqués. Voir la description de l'opération pour la période couverte.",
        json_schema_extra={"example": "2026-01-15"},
    )

    @field_validator("debtor_monthly_income", mode="before")
    @classmethod
    def check_income(cls, value: Any) -> Decimal:
        # DESIGN.md: money is never a float, from input on; bounds checked before any arithmetic.
        return income_from_json(value)

    @field_validator("children", mode="before")
    @classmethod
    def check_children(cls, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError("Le nombre d'enfants est un nombre entier, par exemple 2.")
        return checked_children(value)

    @field_validator("custody", mode="before")
    @classmethod
    def check_custody(cls, value: Any) -> Any:
        if not isinstance(value, str) or value not in {c.value for c in Custody}:  # [] is unhashable
            raise ValueError(CUSTODY_ERROR)
        return value

    @field_validator("date")
    @classmethod
    def check_date(cls, value: Date) -> Date:
        return checked_date(value)


MONEY = {"pattern": r"^\d+\.\d{2}$"}


class ChildSupportSimulationOut(Schema):
    minimum_vital: str = Field(
        ...,
        description="Minimum laissé au parent qui paie : montant forfaitaire du RSA pour une personne "
        "seule à la date du calcul (openfisca-france).",
        json_schema_extra=MONEY,
    )
    per_child: str = Field(
        ...,
        description="Estimation indicative par enfant et par mois, selon la table de référence du "
        "ministère de la Justice (circulaire du 12 avril 2010), arrondie au centime.",
        json_schema_extra=MONEY,
    )
    total: str = Field(
        ..., description="Estimation indicative pour tous les enfants.", json_schema_extra=MONEY
    )
    caf_threshold_per_child: str = Field(
        ...,
        description="Montant minimum par enfant pour que la Caf donne force exécutoire à un accord "
        "entre parents non mariés (article R. 582-1 du code de la sécurité sociale, arrêté du 25 juin "
        "2018) ; le parent qui paie garde toujours au moins le RSA pour une personne seule.",
        json_schema_extra=MONEY,
    )
    caf_threshold_total: str = Field(
        ..., description="Seuil de la Caf pour tous les enfants.", json_schema_extra=MONEY
    )


def _description() -> str:
    return (
        "Deux barèmes à ne pas confondre. **Estimation** : table de référence indicative du ministère "
        "de la Justice, (revenu − RSA pour une personne seule) × taux selon le nombre d'enfants et le "
        "mode de résidence ; les taux à partir de 4 enfants restent à confirmer. **Seuil de la Caf** : "
        "revenu × taux de l'arrêté du 25 juin 2018 (reduit → taux majoré, classique → taux, alterne → "
        "taux minoré), réduit pour laisser au moins le RSA au parent qui paie. Montants en chaînes "
        "décimales à deux décimales ; le montant par enfant est arrondi au centime le plus proche "
        "(un demi-centime vers le haut), ou au centime inférieur quand le seuil de la Caf est réduit "
        "pour laisser le RSA ; le total est ce montant × le nombre d'enfants. Dates acceptées : du 27 "
        "juillet 2018 (arrêté du 25 juin 2018) à la veille de la prochaine revalorisation annuelle du "
        "RSA connue d'openfisca-france ; au-delà, erreur 422. Erreurs : 422 (donnée refusée) et 400 "
        '(corps qui n\'est pas du JSON), {"detail": [{"field": …, "message": …}]} en français.'
    )


@router.post(
    "/simulations/child-support",
    response={200: ChildSupportSimulationOut, **INPUT_ERRORS, **RATE_LIMIT_ERRORS},
    throttle=ClientRateThrottle("child-support-simulation"),
    summary="Simuler une pension alimentaire",
    description=_description(),
)
def simulate_child_support(request: HttpRequest, payload: ChildSupportSimulationIn) -> dict[str, str]:
    result = simulate(
        income=payload.debtor_monthly_income,
        children=payload.children,
        custody=payload.custody,
        on=payload.date,
    )
    return {
        "minimum_vital": f"{result.estimate.minimum_vital:.2f}",
        "per_child": f"{result.estimate.per_child:.2f}",
        "total": f"{result.estimate.total:.2f}",
        "caf_threshold_per_child": f"{result.threshold.per_child:.2f}",
        "caf_threshold_total": f"{result.threshold.total:.2f}",
    }
