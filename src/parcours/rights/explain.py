"""One household's result from its group's arrays: amounts paid, ASF kinds, and the few facts that
decided each amount, in French, from openfisca-france's intermediate variables."""

from __future__ import annotations

from decimal import Decimal

from parcours.core.money import format_euros

from .asf import asf_kinds
from .facts import HouseholdFacts
from .money import to_cents
from .results import Computed, RightsResult

ZERO = Decimal("0.00")


def household_result(
    facts: HouseholdFacts,
    index: int,
    computed: Computed,
    names: list[str],
    child_rows: list[int],
    *,
    explain: bool = True,
) -> RightsResult:
    """The result of the household at position `index` of its simulated group."""
    gross = {name: computed.gross[name][index] for name in names}
    paid = {name: computed.net[name][index] for name in names}
    parent_alone = bool(computed.famille["asf_elig"][index])
    eligible = [bool(computed.asf_elig_enfant[row]) for row in child_rows]
    children = asf_kinds(facts, parent_alone, eligible, gross["asf"])
    if children and not any(c.paid for c in children):
        paid["asf"] = ZERO
    for name in facts.suspended & set(paid):
        paid[name] = ZERO
    if not explain:
        return RightsResult(facts.month, paid, gross, {}, children)
    counted = float(computed.famille["af_nbenf"][index])
    rsa_base = computed.famille["rsa_base_ressources"][index]
    explanations = {
        "asf": [
            "Parent isolé : " + ("oui" if parent_alone else "non (vie de couple)"),
            f"Enfants ouvrant droit : {sum(eligible)}",
            f"Pension alimentaire reçue : {format_euros(facts.child_support_received)} par mois",
            *[f"Enfant {c.person_id} : {c.explanation}" for c in children],
        ],
        "af": [
            f"Enfants à charge comptés : {counted:g}".replace(".", ","),
            "Montant modulé selon les ressources de l'année N-2",
        ],
        "cf": ["Versé à partir de 3 enfants de 3 à 21 ans, sous conditions de ressources"],
        "ars": ["Versée avec les prestations du mois d'août, pour les enfants de 6 à 18 ans"],
        "rsa": [
            "Foyer : " + ("couple" if computed.famille["en_couple"][index] else "personne seule"),
            f"Ressources retenues (moyenne des 3 derniers mois) : {format_euros(to_cents(rsa_base))}",
        ],
        "ppa": ["Calculée sur les revenus d'activité des 3 mois précédents"],
        "aide_logement": [
            f"Loyer déclaré : {format_euros(facts.rent)}",
            "Ressources des 12 mois glissants (M-13 à M-2), montant net de CRDS arrondi à l'euro",
        ],
        "aah": ["Selon le taux d'incapacité (50 % au moins) et les ressources"],
        "aeeh": ["Pour un enfant de moins de 20 ans dont le taux d'incapacité atteint 50 %"],
    }
    for name in facts.suspended & set(explanations):
        explanations[name].insert(
            0, "Versement suspendu : la déclaration trimestrielle de ressources n'a pas été reçue"
        )
    return RightsResult(facts.month, paid, gross, explanations, children)
