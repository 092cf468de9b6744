"""What a rights computation returns: the amounts of each benefit, gross and paid, with reasons."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np

from .asf import AsfChild

# parcours benefit -> (openfisca-france variable, the variable of the amount paid, net of CRDS).
# aide_logement is already net of CRDS in openfisca-france; RSA and AAH are not subject to it
# (ordonnance 96-50 art. 14); AEEH: see data/parameters.yaml (aeeh_crds). AJPP is not modelled
# by openfisca-france (parameters only): not computed.
BENEFITS: dict[str, tuple[str, str]] = {
    "asf": ("asf", "asf_nette_crds"),
    "af": ("af", "af_nettes_crds"),
    "cf": ("cf", "cf_net_crds"),
    "ars": ("ars", "ars_nette_crds"),
    "rsa": ("rsa", "rsa"),
    "ppa": ("ppa", "ppa_nette_crds"),
    "aide_logement": ("aide_logement", "aide_logement"),
    "aah": ("aah", "aah"),
    "aeeh": ("aeeh", "aeeh"),
}

# What a person reads for each benefit (pages, letters).
BENEFIT_LABELS: dict[str, str] = {
    "asf": "Allocation de soutien familial (ASF)",
    "af": "Allocations familiales",
    "cf": "Complément familial",
    "ars": "Allocation de rentrée scolaire",
    "rsa": "Revenu de solidarité active",
    "ppa": "Prime d'activité",
    "aide_logement": "Aide au logement",
    "aah": "Allocation aux adultes handicapés",
    "aeeh": "Allocation d'éducation de l'enfant handicapé",
}


@dataclass
class RightsResult:
    month: str
    benefits: dict[str, Decimal]  # paid for the month: net of CRDS, thresholds and ASF rules applied
    benefits_gross: dict[str, Decimal]  # as openfisca-france's variables of the same names
    explanations: dict[str, list[str]] = field(default_factory=dict)
    asf_children: list[AsfChild] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum(self.benefits.values(), Decimal("0.00"))


@dataclass
class Computed:
    """The results of one simulated group: amounts per household, intermediates per entity."""

    gross: dict[str, list[Decimal]]
    net: dict[str, list[Decimal]]
    famille: dict[str, np.ndarray]
    asf_elig_enfant: np.ndarray
