"""Simulate a child-support pension: both scales on one date, their explanation in plain French,
and the checks of the input shared by the page and the API (same rules, same French messages)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from parcours.core.dates import date_fr
from parcours.core.money import format_euros
from parcours.core.money_input import money_from_json, money_from_text

from .parameters import OutOfPeriod, period_message, scales_on, simulation_period
from .scales import CafThreshold, Custody, JusticeEstimate, caf_threshold, justice_estimate

MAX_INCOME = Decimal("1000000.00")
MAX_CHILDREN = 20  # an input bound, not a rule: both tables are defined for any number

CUSTODY_LABELS = {
    Custody.REDUIT: "Droit de visite et d'hébergement réduit",
    Custody.CLASSIQUE: "Droit de visite et d'hébergement classique",
    Custody.ALTERNE: "Résidence alternée",
}
CUSTODY_HINTS = {
    Custody.REDUIT: "Moins d'un quart du temps chez le parent qui paie, ou visites sans nuit sur place.",
    Custody.CLASSIQUE: "Environ un quart du temps : un week-end sur deux et la moitié des vacances scolaires.",
    Custody.ALTERNE: "Les enfants vivent autant chez chacun des parents.",
}


@dataclass(frozen=True)
class ChildSupportSimulation:
    on: date
    income: Decimal
    children: int
    custody: Custody
    estimate: JusticeEstimate
    threshold: CafThreshold

    @property
    def to_confirm(self) -> bool:
        return self.estimate.rate.to_confirm or self.threshold.rate.to_confirm


def simulate(
    *,
    income: Decimal,
    children: int,
    custody: Custody | str,
    on: date,
    rsa_one_person: Decimal | None = None,
) -> ChildSupportSimulation:
    """Both scales for a debtor's monthly income on date `on`.

    `rsa_one_person` replaces the RSA amount read from openfisca-france (both scales use the RSA
    for one person): to replay an official example of another year. Raises OutOfPeriod when `on`
    is outside `simulation_period()`.
    """
    custody = Custody(custody)
    scales = scales_on(on)
    rsa = scales.rsa_one_person if rsa_one_person is None else rsa_one_person
    return ChildSupportSimulation(
        on=on,
        income=income,
        children=children,
        custody=custody,
        estimate=justice_estimate(
            income=income, children=children, custody=custody, minimum_vital=rsa, table=scales.justice
        ),
        threshold=caf_threshold(income=income, children=children, custody=custody, rsa=rsa, table=scales.caf),
    )


# The checks of the input, shared by the form and the API. Each raises ValueError in French.


def income_from_json(value: object) -> Decimal:
    """The debtor's income sent to the API: a decimal string or a whole number (core/money_input.py)."""
    return money_from_json(value, noun="Le revenu", maximum=MAX_INCOME)


def parse_amount(text: str) -> Decimal:
    """A French amount as people type it: "1 600,50", "1600.50", "1 600 €" (core/money_input.py)."""
    return money_from_text(text, noun="Le revenu", maximum=MAX_INCOME)


def checked_children(value: int) -> int:
    if value < 1:
        raise ValueError("Indiquez au moins 1 enfant.")
    if value > MAX_CHILDREN:
        raise ValueError(f"Indiquez au plus {MAX_CHILDREN} enfants.")
    return value


def checked_date(value: date) -> date:
    first, last = simulation_period()
    if not first <= value <= last:
        raise ValueError(period_message())
    return value


# The explanation shown under the result.


def percent_fr(percent: Decimal) -> str:
    """Decimal("11.5") → "11,5 %" (no-break space before %)."""
    text = format(percent.normalize(), "f")
    return f"{text.replace('.', ',')}\u00a0%"


def explanation(result: ChildSupportSimulation) -> dict[str, list[str]]:
    """The computation in plain French, step by step, for each scale."""
    estimate, threshold, n = result.estimate, result.threshold, result.children
    children = f"{n} enfant{'s' if n > 1 else ''}"
    rsa = format_euros(estimate.minimum_vital)
    justice = [
        f"Le parent qui paie garde d'abord un minimum pour vivre : le montant du RSA pour une "
        f"personne seule au {date_fr(result.on)}, soit {rsa}.",
    ]
    if estimate.base == 0:
        justice.append(
            f"Son revenu ({format_euros(result.income)}) ne dépasse pas ce minimum : la table "
            "n'indique aucune pension."
        )
    else:
        justice.append(
            f"Il reste {format_euros(result.income)} − {rsa} = {format_euros(estimate.base)}. "
            f"Pour {children} et «\u00a0{CUSTODY_LABELS[result.custody].lower()}\u00a0», la table applique "
            f"{percent_fr(estimate.rate.percent)} par enfant : {format_euros(estimate.base)} × "
            f"{percent_fr(estimate.rate.percent)} = {format_euros(estimate.per_child)} par enfant "
            "(arrondi au centime)."
        )
    justice.append(f"Pour {children} : {format_euros(estimate.total)} par mois.")

    rate = percent_fr(threshold.rate.percent)
    caf = [
        f"La Caf applique à tout le revenu ({format_euros(result.income)}) le taux de l'arrêté du "
        f"25 juin 2018 pour {children} ({rate}, taux {_caf_rate_name(threshold)}) : "
        f"{format_euros(threshold.uncapped_per_child)} par enfant.",
    ]
    if result.income <= threshold.rsa:
        caf.append(
            f"Le revenu ne dépasse pas le RSA pour une personne seule ({format_euros(threshold.rsa)}) : "
            "le parent qui paie doit le garder, aucun montant minimum n'est donc exigé."
        )
    elif threshold.capped:
        caf.append(
            f"Le parent qui paie doit garder au moins le RSA pour une personne seule "
            f"({format_euros(threshold.rsa)}) : le seuil est ramené à ({format_euros(result.income)} − "
            f"{format_euros(threshold.rsa)}) ÷ {n} = {format_euros(threshold.per_child)} par enfant "
            "(arrondi au centime inférieur)."
        )
    else:
        caf.append(
            f"Après ce versement, il garde plus que le RSA pour une personne seule "
            f"({format_euros(threshold.rsa)}) : le seuil n'est pas réduit."
        )
    caf.append(f"Pour {children} : {format_euros(threshold.total)} par mois au minimum.")
    return {"justice": justice, "caf": caf}


@dataclass(frozen=True)
class Comparison:
    """The two amounts side by side (rows of label, estimate, Caf minimum) and, in plain French,
    which one is higher here and why, and what it means for the parents' agreement."""

    rows: list[tuple[str, str, str]]
    verdict: str
    advice: str


def comparison(result: ChildSupportSimulation) -> Comparison:
    estimate, threshold = result.estimate, result.threshold
    income, rsa = format_euros(result.income), format_euros(estimate.minimum_vital)
    rows = [
        (
            "À quoi sert ce montant",
            "Un repère pour en discuter, ou que le juge peut suivre",
            "Le montant le plus bas que la Caf accepte pour rendre votre accord exécutoire",
        ),
        ("Revenu pris en compte", f"{income} moins le RSA ({rsa}) = {format_euros(estimate.base)}", income),
        (
            "Ce que garde le parent qui paie",
            f"Le RSA ({rsa}) est retiré avant le calcul",
            f"Au moins le RSA ({format_euros(threshold.rsa)}), vérifié après le calcul",
        ),
        ("Taux par enfant", percent_fr(estimate.rate.percent), percent_fr(threshold.rate.percent)),
        ("Par enfant et par mois", format_euros(estimate.per_child), format_euros(threshold.per_child)),
        (
            f"Par mois pour {result.children} enfant{'s' if result.children > 1 else ''}",
            format_euros(estimate.total),
            format_euros(threshold.total),
        ),
    ]
    high, low = format_euros(threshold.total), format_euros(estimate.total)
    if threshold.total == 0:
        verdict = (
            f"Le revenu ({income}) ne dépasse pas le RSA : le parent qui paie doit le garder, la Caf "
            "n'exige donc aucun montant minimum."
        )
    elif threshold.total > estimate.total:
        verdict = (
            f"Ici, le minimum de la Caf ({high}) est plus élevé que l'estimation ({low}). C'est normal : "
            f"l'estimation retire d'abord le RSA ({rsa}) du revenu, puis applique son taux ; la Caf "
            "applique son taux, un peu plus élevé, à tout le revenu et vérifie seulement que le parent "
            "qui paie garde au moins le RSA. Le minimum de la Caf est donc en général au-dessus de "
            "l'estimation, et l'écart compte davantage quand le revenu est modeste."
        )
    else:
        verdict = f"Ici, l'estimation est de {low} par mois et le minimum de la Caf de {high}."
    advice = (
        "Vous restez libres de vous accorder sur le montant. Si vous n'étiez pas mariés, la Caf peut "
        f"rendre votre accord exécutoire lorsque la pension prévue atteint au moins {high} par mois ; "
        "en dessous, ou si vous ne vous mettez pas d'accord, c'est le juge aux affaires familiales qui "
        "fixe la pension."
        if threshold.total > 0
        else "Vous pouvez vous accorder sur un montant et demander à la Caf de rendre votre accord "
        "exécutoire, ou vous adresser au juge aux affaires familiales."
    )
    return Comparison(rows=rows, verdict=verdict, advice=advice)


def _caf_rate_name(threshold: CafThreshold) -> str:
    return {"majore": "majoré", "classique": "classique", "minore": "minoré"}[threshold.kind.value]


__all__ = [
    "MAX_CHILDREN",
    "ChildSupportSimulation",
    "OutOfPeriod",
    "checked_children",
    "checked_date",
    "comparison",
    "explanation",
    "income_from_json",
    "parse_amount",
    "simulate",
]
