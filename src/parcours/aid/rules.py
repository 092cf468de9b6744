"""Aides financières individuelles: the five themes, their kinds of aid and the dated rules of each
kind (decision 0017). Pure: no Django.

The rules of an aid are a Caf's own: its board (conseil d'administration) votes them in its
règlement intérieur d'action sociale, theme by theme, with a ceiling, the forms it may take (a
grant, a loan or both), the longest repayment of a loan, and an income condition on the quotient
familial. They are dated data (`data/regles.yaml`, read through `core.parameters`); the values
shipped are illustrative.

Money is integer cents everywhere in this module.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from parcours.core.money import format_cents
from parcours.core.parameters import ParameterUnknown, dated_parameter

DATA = Path(__file__).resolve().parent / "data" / "regles.yaml"

# --- Themes and kinds ---------------------------------------------------------------------------

PARENTALITE = "parentalite"
PETITE_ENFANCE = "petite_enfance"
ENFANCE_JEUNESSE = "enfance_jeunesse"
VIE_SOCIALE = "animation_vie_sociale"
LOGEMENT = "logement"

THEMES: dict[str, str] = {
    PARENTALITE: "Parentalité",
    PETITE_ENFANCE: "Petite enfance",
    ENFANCE_JEUNESSE: "Enfance et jeunesse",
    VIE_SOCIALE: "Animation de la vie sociale",
    LOGEMENT: "Logement",
}

# kind code -> (theme, French label); the codes are the keys of data/regles.yaml.
KINDS: dict[str, tuple[str, str]] = {
    "mediation_familiale": (PARENTALITE, "Médiation familiale"),
    "droit_de_visite": (PARENTALITE, "Frais liés à l'exercice du droit de visite"),
    "frais_de_garde": (PETITE_ENFANCE, "Frais de garde"),
    "puericulture": (PETITE_ENFANCE, "Équipement de puériculture"),
    "depart_en_vacances": (ENFANCE_JEUNESSE, "Départ en vacances"),
    "loisirs": (ENFANCE_JEUNESSE, "Activités de loisirs"),
    "bafa": (ENFANCE_JEUNESSE, "Formation au BAFA"),
    "action_collective": (VIE_SOCIALE, "Participation à une action collective"),
    "sortie_familiale": (VIE_SOCIALE, "Sortie familiale d'un centre social"),
    "installation": (LOGEMENT, "Aide à l'installation dans un logement"),
    "dette_de_loyer": (LOGEMENT, "Aide au paiement d'une dette de loyer"),
    "equipement_menager": (LOGEMENT, "Équipement ménager"),
}

GRANT = "subvention"
LOAN = "pret"
FORMS: dict[str, str] = {GRANT: "Subvention", LOAN: "Prêt"}


def kinds_of(theme: str) -> list[tuple[str, str]]:
    return [(code, label) for code, (of, label) in KINDS.items() if of == theme]


def kind_label(kind: str) -> str:
    return KINDS[kind][1] if kind in KINDS else kind


def theme_label(theme: str) -> str:
    return THEMES.get(theme, theme)


# --- The dated rule of a kind -------------------------------------------------------------------


@dataclass(frozen=True)
class KindRule:
    kind: str
    in_force_from: date
    ceiling_cents: int
    grant: bool
    loan: bool
    loan_max_months: int  # 0 when no loan
    qf_max_cents: int | None  # None: no income condition
    source: str

    @property
    def forms(self) -> list[str]:
        return [f for f, allowed in ((GRANT, self.grant), (LOAN, self.loan)) if allowed]


class AidRuleError(ValueError):
    """A request the rules refuse; the message is French, for the person."""


def kind_rule(kind: str, on: date) -> KindRule:
    """The rule of `kind` in force on `on`; AidRuleError (French) when there is none."""
    if kind not in KINDS:
        raise AidRuleError("Cette nature d'aide n'existe pas.")
    try:
        parameter = dated_parameter(DATA, kind, on)
    except ParameterUnknown:
        raise AidRuleError(
            f"Aucune règle n'est en vigueur le {on:%d/%m/%Y} pour l'aide « {kind_label(kind)} »."
        ) from None
    version = parameter.value
    qf = version.get("qf_max_euros")
    return KindRule(
        kind=kind,
        in_force_from=parameter.in_force_from,
        ceiling_cents=int(version["plafond_centimes"]),
        grant=bool(version.get("subvention", False)),
        loan=bool(version.get("pret", False)),
        loan_max_months=int(version.get("duree_pret_max_mois", 0)),
        qf_max_cents=None if qf is None else int(qf) * 100,
        source=parameter.source,
    )


def request_refusals(
    *,
    theme: str,
    kind: str,
    form: str,
    amount_cents: int,
    loan_months: int | None,
    qf_cents: int,
    on: date,
) -> dict[str, str]:
    """The French refusals of a request (field -> message), empty when the rules allow it: the
    kind belongs to the theme, the form is allowed, the amount is within the ceiling, a loan's
    length within its maximum, and the family's quotient familial within the income condition."""
    if theme not in THEMES:
        return {"theme": "Choisissez un thème d'aide."}
    if kind not in KINDS or KINDS[kind][0] != theme:
        return {"kind": f"Choisissez une nature d'aide du thème « {theme_label(theme)} »."}
    try:
        rule = kind_rule(kind, on)
    except AidRuleError as error:
        return {"kind": str(error)}
    errors: dict[str, str] = {}
    if form not in FORMS:
        errors["form"] = "Choisissez une subvention ou un prêt."
    elif form not in rule.forms:
        allowed = " ou ".join(FORMS[f].lower() for f in rule.forms)
        errors["form"] = f"L'aide « {kind_label(kind)} » est accordée en {allowed} seulement."
    if isinstance(amount_cents, bool) or not isinstance(amount_cents, int) or amount_cents <= 0:
        errors["amount_requested"] = "Le montant demandé doit être supérieur à zéro."
    elif amount_cents > rule.ceiling_cents:
        errors["amount_requested"] = (
            f"Le montant demandé ({format_cents(amount_cents)}) dépasse le plafond de l'aide "
            f"« {kind_label(kind)} » : {format_cents(rule.ceiling_cents)}."
        )
    if form == LOAN and form in rule.forms:
        if loan_months is None or loan_months < 1:
            errors["loan_months"] = "Indiquez la durée de remboursement du prêt, en mois."
        elif loan_months > rule.loan_max_months:
            errors["loan_months"] = (
                f"Un prêt « {kind_label(kind)} » se rembourse en {rule.loan_max_months} mois au plus."
            )
    if rule.qf_max_cents is not None and qf_cents > rule.qf_max_cents:
        errors["quotient_familial"] = (
            f"Le quotient familial de la famille ({format_cents(qf_cents)}) dépasse la condition de "
            f"ressources de l'aide « {kind_label(kind)} » : {format_cents(rule.qf_max_cents)} au plus."
        )
    return errors


# --- The quotient familial ----------------------------------------------------------------------


def half_parts(*, adults: int, children: int, disabled_children: int = 0) -> int:
    """The family's parts, in halves (CNAF rule of the quotient familial of action sociale): two
    parts for the allocataire, alone or in a couple; half a part for each of the first two
    children, one part for the third, half a part for each further child; half a part more for
    each child with a disability (AEEH). Not the tax rule (where a single parent has 1 part)."""
    if adults < 0 or children < 0 or disabled_children < 0:
        raise ValueError("Les nombres de personnes du foyer ne sont pas négatifs.")
    halves = 4
    for rank in range(1, children + 1):
        halves += 2 if rank == 3 else 1
    return halves + disabled_children


def quotient_familial_cents(*, monthly_resources_cents: int, monthly_benefits_cents: int, halves: int) -> int:
    """QF = (monthly resources + monthly family benefits) / parts, in cents, rounded down (CNAF:
    one twelfth of the year's resources plus the month's benefits, divided by the parts)."""
    if halves <= 0:
        raise ValueError("Un foyer a au moins une part.")
    total = max(0, monthly_resources_cents) + max(0, monthly_benefits_cents)
    return total * 2 // halves


# --- The budget of a theme ----------------------------------------------------------------------


def budget_refusal(
    *, theme: str, year: int, budget_cents: int, used_cents: int, amount_cents: int
) -> str | None:
    """The French refusal of a grant of `amount_cents` on a theme whose year's budget is
    `budget_cents`, `used_cents` already granted; None when it fits."""
    left = max(0, budget_cents - used_cents)
    if amount_cents <= left:
        return None
    return (
        f"Le budget {year} du thème « {theme_label(theme)} » ne permet pas d'accorder "
        f"{format_cents(amount_cents)} : il reste {format_cents(left)} sur {format_cents(budget_cents)}."
    )


# --- A loan's repayments ------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """The same day `months` later, kept within the month (31 January + 1 month → 28 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def repayment_schedule(*, total_cents: int, months: int, paid_on: date) -> list[tuple[date, int]]:
    """The monthly repayments of a loan paid on `paid_on`: `months` instalments differing by at
    most one cent (the larger first) summing exactly to the total, on the 5th of each month from
    the month after the payment."""
    if months < 1 or total_cents <= 0:
        raise ValueError("Un prêt a au moins une échéance et un montant positif.")
    quotient, remainder = divmod(total_cents, months)
    amounts = [quotient + 1] * remainder + [quotient] * (months - remainder)
    first = add_months(date(paid_on.year, paid_on.month, 5), 1)
    return [(add_months(first, n), amount) for n, amount in enumerate(amounts)]


# The monthly benefits that count in the quotient familial: the prestations familiales (CSS
# L511-1), not the minima sociaux (RSA, prime d'activité, AAH) nor the housing benefits.
FAMILY_BENEFITS = ("af", "cf", "asf", "aeeh")
