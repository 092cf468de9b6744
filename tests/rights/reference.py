"""The plain OpenFisca path, written here by hand from docs/decisions/0003 and independently of
parcours's adapter: one dict situation, `SimulationBuilder().build_from_entities`, `calculate`.

It knows none of parcours's speed-ups (no known defaults, no grouping by profile, no numpy
builder), so comparing parcours with it checks that they change no amount.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np
import yaml
from openfisca_core.simulation_builder import SimulationBuilder

from parcours.rights.simulation import tax_benefit_system

# The mapping decisions of docs/decisions/0003, restated.
VARIABLES = {
    "salaire_net": ["salaire_net"],
    "salaire_imposable": ["salaire_imposable"],
    "chomage_net": ["chomage_net"],
    "chomage_imposable": ["chomage_imposable"],
    "retraite_nette": ["retraite_nette"],
    "retraite_imposable": ["retraite_imposable"],
    "pensions_invalidite": ["pensions_invalidite"],
    "indemnites_journalieres": ["indemnites_journalieres", "indemnites_journalieres_maladie"],
    "rpns_micro_entreprise": ["rpns_auto_entrepreneur_benefice"],
    "pensions_alimentaires_percues": ["pensions_alimentaires_percues"],
    "pensions_alimentaires_versees_individu": ["pensions_alimentaires_versees_individu"],
}
TAXABLE = {
    "salaire_net": "salaire_imposable",
    "chomage_net": "chomage_imposable",
    "retraite_nette": "retraite_imposable",
}
STATUS = {
    "tenant": "locataire_vide",
    "owner": "proprietaire",
    "buyer": "primo_accedant",
    "hosted": "loge_gratuitement",
}
PARAMETERS = yaml.safe_load(
    (Path(__file__).resolve().parents[2] / "src/parcours/rights/data/parameters.yaml").read_text(
        encoding="utf-8"
    )
)
ORDER = ["asf", "af", "cf", "ars", "rsa", "ppa", "aide_logement", "aah", "aeeh"]
PAID = {
    "asf": "asf_nette_crds",
    "af": "af_nettes_crds",
    "cf": "cf_net_crds",
    "ars": "ars_nette_crds",
    "ppa": "ppa_nette_crds",
}


def last_months(month: str, count: int) -> list[str]:
    year, mon = int(month[:4]), int(month[5:])
    out = []
    for _ in range(count):
        out.append(f"{year:04d}-{mon:02d}")
        mon -= 1
        if mon == 0:
            year, mon = year - 1, 12
    return out


def ratio(kind: str) -> Decimal:
    return Decimal(next(iter(PARAMETERS[f"{TAXABLE[kind]}_ratio"]["values"].values())))


def add_household(situation: dict, key: str, payload: dict) -> None:
    month = payload["month"]
    status_months = last_months(month, 12)
    parents = [p for p in payload["persons"] if p["role"] == "parent"]
    children = [p for p in payload["persons"] if p["role"] == "child"]
    received = Decimal(payload.get("child_support", {}).get("received_monthly", "0"))
    for person in parents + children:
        values: dict = {"date_naissance": {"ETERNITY": person["birth_date"]}}
        resources = {kind: dict(months) for kind, months in person.get("resources", {}).items()}
        if person is parents[0] and received and "pensions_alimentaires_percues" not in resources:
            resources["pensions_alimentaires_percues"] = {month: str(received)}
        for net, taxable in TAXABLE.items():
            # a month with the taxable amount only: the net is openfisca-france's formula of it
            alone = set(resources.get(taxable, {})) - set(resources.get(net, {}))
            if alone:
                computed = openfisca_nets(person["birth_date"], taxable, resources[taxable], net, alone)
                resources[net] = {**resources.get(net, {}), **computed}
        for kind, months in resources.items():
            for variable in VARIABLES[kind]:
                values.setdefault(variable, {}).update({m: float(a) for m, a in months.items()})
            if kind in TAXABLE:
                # "When only the net is known": the months with a net and without a taxable amount.
                given = resources.get(TAXABLE[kind], {})
                taxable = {
                    m: float((Decimal(a) * ratio(kind)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
                    for m, a in months.items()
                    if m not in given
                }
                values.setdefault(TAXABLE[kind], {}).update(taxable)
        if person["role"] == "child" and person.get("alternating_custody"):
            values["garde_alternee"] = dict.fromkeys(status_months, True)
        if person.get("disability_rate"):
            values["handicap"] = dict.fromkeys(status_months, person["disability_rate"] >= 50)
            values["taux_incapacite"] = dict.fromkeys(status_months, person["disability_rate"] / 100)
        if person.get("student"):
            values["etudiant"] = dict.fromkeys(status_months, True)
        situation["individus"][f"{key}_{person['id']}"] = values
    names = [f"{key}_{p['id']}" for p in parents], [f"{key}_{p['id']}" for p in children]
    housing = payload["housing"]
    status = STATUS[housing["status"]]
    rent = float(housing.get("rent", "0")) if status in ("locataire_vide", "primo_accedant") else 0.0
    situation["familles"][key] = {"parents": names[0], "enfants": names[1]}
    situation["foyers_fiscaux"][key] = {"declarants": names[0], "personnes_a_charge": names[1]}
    situation["menages"][key] = {
        "personne_de_reference": names[0][:1],
        "conjoint": names[0][1:],
        "enfants": names[1],
        "statut_occupation_logement": dict.fromkeys(status_months, status),
        "loyer": dict.fromkeys(status_months, rent),
        "depcom": dict.fromkeys(status_months, housing.get("commune_insee", "75056")),
    }


def openfisca_nets(born: str, taxable: str, amounts: dict, net: str, months: set[str]) -> dict[str, str]:
    """The net openfisca-france computes from a taxable amount alone, for one person. In one dict
    situation it cannot be left to the formula: `build_from_entities` sets a month's input for
    every person as soon as one person (a spouse, another household) has it, the others at 0."""
    situation = {
        "individus": {
            "p": {"date_naissance": {"ETERNITY": born}, taxable: {m: float(a) for m, a in amounts.items()}}
        },
        "familles": {"f": {"parents": ["p"]}},
        "foyers_fiscaux": {"f": {"declarants": ["p"]}},
        "menages": {"m": {"personne_de_reference": ["p"]}},
    }
    simulation = SimulationBuilder().build_from_entities(tax_benefit_system(), situation)
    return {
        m: np.format_float_positional(simulation.calculate(net, m)[0], unique=True, trim="-") for m in months
    }


def cents(value) -> Decimal:
    shortest = np.format_float_positional(np.float32(value), unique=True, trim="-")
    return Decimal(shortest).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def plain(payloads: list[dict]) -> list[dict[str, dict[str, Decimal]]]:
    """Gross and paid amounts of each payload (all of the same month), as plain OpenFisca gives them."""
    month = payloads[0]["month"]
    situation: dict = {"individus": {}, "familles": {}, "foyers_fiscaux": {}, "menages": {}}
    for index, payload in enumerate(payloads):
        add_household(situation, f"h{index}", payload)
    simulation = SimulationBuilder().build_from_entities(tax_benefit_system(), situation)
    august = month.endswith("-08")
    gross, paid = {}, {}
    zero = np.zeros(len(payloads))
    for name in ORDER:
        if name == "ars":
            gross[name] = simulation.calculate("ars", month[:4]) if august else zero
            paid[name] = simulation.calculate("ars_nette_crds", month[:4]) if august else zero
        elif name == "aah":
            gross[name] = paid[name] = simulation.populations["famille"].sum(
                simulation.calculate("aah", month)
            )
        else:
            gross[name] = simulation.calculate(name, month)
    for name in ORDER:
        if name not in paid:
            paid[name] = simulation.calculate(PAID[name], month) if name in PAID else gross[name]
    return [
        {"gross": {n: cents(gross[n][i]) for n in ORDER}, "paid": {n: cents(paid[n][i]) for n in ORDER}}
        for i in range(len(payloads))
    ]
