"""The openfisca-france variables whose value parcours knows to be their default (0, false) for the
households it simulates, so that their formulas are never run (see simulation.ParcoursSimulation).

This is the main lever on speed: without it, one household costs ~45 000 formula calls (the
aides au logement rebuild the ASS, the AAH of 24 past months, the income tax of past years...).
Each entry is exact, for one of three reasons, checked by the golden tests (tests/rights), which
compare every amount with a plain OpenFisca computation that knows none of this list:

1. Resources parcours feeds (`mapping.FED_RESOURCES`): a month without a value is a month
   without that resource — the registry records every resource of a household.
2. Resources and situations the registry does not record at all (capital and property income,
   other kinds of non-salaried or replacement income): none, for every household.
3. Benefits whose eligibility rests on an input parcours never sets, or on facts a household's
   profile rules out (`mapping.Profile`): ASS needs `ass_precondition_remplie`; AAH a disability
   rate; ASPA/ASI someone aged 62+ or with a pension.

Two rules make an entry exact (decision 0003, addendum; tests/rights/test_defaults.py proves both
with plain OpenFisca for every profile): (a) for the households of its profile, the variable's
formula gives its default on every path openfisca takes, inside the loop's spirals too; and (b) its
formula reads, at no depth, the loop RSA / prime d'activité <-> aides au logement (`LOOP`):
openfisca-core resolves that loop by where it is first entered, so cutting a formula that enters
it changes amounts even when the formula's own value is its default.
"""

from __future__ import annotations

from .mapping import FED_RESOURCES, Profile

# 2. Not in the registry: capital, property and savings income, other non-salaried income, other
# replacement incomes and allowances (openfisca-france's input roots of these subtrees).
NOT_IN_REGISTRY = frozenset(
    {
        # capital, property, savings (RSA/ppa "patrimoine", aides au logement's fiscal income)
        "revenus_capital",
        "revenus_capitaux_prelevement_bareme",
        "revenus_capitaux_prelevement_liberatoire",
        "revenus_capitaux_prelevement_forfaitaire_unique_ir",
        "revenus_locatifs",
        "rente_viagere_titre_onereux",
        "rsa_base_ressources_patrimoine_individu",
        "aide_logement_base_ressources_patrimoine",
        "aide_logement_base_revenus_fiscaux",
        "revenu_categoriel_capital",
        "revenu_categoriel_foncier",
        "revenu_categoriel_plus_values",
        "assiette_csg_plus_values",
        "plus_values_prelevement_forfaitaire_unique_ir",
        "glo_taxation_ir_forfaitaire",
        "rente_viagere_titre_onereux_net",
        # other replacement income and allowances
        "hsup",
        "allocation_securisation_professionnelle",
        "dedommagement_victime_amiante",
        "gains_exceptionnels",
        "prestation_compensatoire",
        "prime_forfaitaire_mensuelle_reprise_activite",
        "indemnites_chomage_partiel",
        "indemnites_volontariat",
        "revenus_stage_formation_pro",
        "indemnites_stage",
        "remuneration_apprenti",
        "bourse_recherche",
        "rente_accident_travail",
        "indemnites_journalieres_maternite",
        "indemnites_journalieres_paternite",
        "indemnites_journalieres_adoption",
        "indemnites_journalieres_accident_travail",
        "indemnites_journalieres_maladie_professionnelle",
        # non-salaried income other than a micro-entrepreneur's profit
        "rpns_autres_revenus",
        "rpns_micro_entreprise_benefice",
        "rpns_benefice_exploitant_agricole",
        "rpns_revenus_microBA_agricole",
        "rpns_pvce",
        "rpns_pvct",
        "moins_values_court_terme_non_salaries",
        "moins_values_long_terme_non_salaries",
    }
)

# 3. Never eligible with parcours's inputs: ASS (France Travail) requires
# `ass_precondition_remplie` (5 years of work in the last 10), which parcours never sets.
NEVER_ELIGIBLE = frozenset({"ass"})

ALWAYS = FED_RESOURCES | NOT_IN_REGISTRY | NEVER_ELIGIBLE

# The variables of openfisca-france's loop: RSA and the prime d'activité read the aides au logement
# of their months, the aides au logement last month's RSA (neutralisation of earned income, CCH
# R822-15, R822-17; openfisca aide_logement_condition_neutralisation) — for every occupation status,
# owners included, so the aides au logement of owners are not known defaults either. No known
# default may read these variables (rule b above).
LOOP = frozenset({"rsa", "ppa", "aide_logement", "aide_logement_montant"})


def known_defaults(profile: Profile) -> frozenset[str]:
    """The variables known to be their default for every household of `profile`."""
    known = set(ALWAYS)
    if not profile.disability:
        # AAH needs a disability rate of 50 % at least (CSS L821-1, L821-2; openfisca aah_eligible).
        # Not its complements: openfisca's `mva` is the MVA amount whenever the famille has an aide
        # au logement, disabled or not, and `caah` (0 without AAH) reads it: both enter the loop.
        known |= {"aah"}
    if not profile.old_age_or_invalidity:
        # ASPA from 65 (62 when unfit for work), ASI with an invalidity pension (CSS L815-1,
        # L815-24; openfisca aspa_eligibilite, asi_eligibilite): nobody below 60 without a pension.
        known |= {"aspa", "asi"}
    # Not the student grant (`boursier`) of non-students: 0 for them, but openfisca reads it through
    # the collège and lycée grants, whose resources read the loop (rule b).
    if not profile.self_employed:
        known |= {"rpns_imposables", "revenu_non_salarie", "ppa_rsa_derniers_revenus_tns_annuels_connus"}
    if not profile.children:
        # Every family benefit needs a child (CSS L512-3); RSA and prime d'activité count them as
        # resources, so their subtrees are cut where RSA and PPA read them.
        known |= CHILD_BENEFITS
    if not profile.overseas:
        # openfisca-france reads the overseas residences from the commune code (971..978).
        known |= OVERSEAS
    return frozenset(known)


CHILD_BENEFITS = frozenset(
    {
        "af",
        "af_base",
        "cf",
        "cf_non_majore_avant_cumul",
        "asf",
        "rsa_forfait_asf",
        "ars",
        "paje_base",
        "paje_clca",
        "paje_prepare",
        "paje_colca",
        "aeeh",
    }
)
OVERSEAS = frozenset(
    {
        "residence_dom",
        "residence_guadeloupe",
        "residence_martinique",
        "residence_guyane",
        "residence_reunion",
        "residence_mayotte",
        "residence_saint_pierre_et_miquelon",
        "residence_saint_bartelemy",
        "residence_saint_martin",
    }
)
