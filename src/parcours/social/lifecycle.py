"""The three workflows of social support, declared once (core.workflow, decision 0009).

- A signalement: the event that calls for an offer (à proposer) → the offer sent (a letter or an
  e-mail proposing a meeting; for violence, a call-back by a social worker) → accepted (an
  accompaniment opens), refused, or no answer within the offer's delay.
- An accompaniment: premier entretien → diagnostic → plan d'accompagnement (objectives,
  interviews, referrals) → clôture, with a reason and an outcome (from any open state).
- A referral (orientation) to a partner: proposed (the family consented) → accepted or declined by
  the partner → held or not held (with the reason).

Pure: no Django.
"""

from __future__ import annotations

from parcours.core.workflow import SYSTEM, Transition, Workflow

WORKER = "travailleur_social"
PARENT = "parent"
PARTNER = "partenaire"

# --- Signalement ---------------------------------------------------------------------------------

A_PROPOSER = "a_proposer"
PROPOSE = "propose"
ACCEPTE = "accepte"
REFUSE = "refuse"
SANS_REPONSE = "sans_reponse"

SIGNALEMENT = Workflow.declare(
    name="signalement",
    field="state",
    states={
        A_PROPOSER: "Offre à proposer",
        PROPOSE: "Offre proposée",
        ACCEPTE: "Offre acceptée",
        REFUSE: "Offre refusée",
        SANS_REPONSE: "Sans réponse",
    },
    initial=A_PROPOSER,
    final={ACCEPTE, REFUSE, SANS_REPONSE},
    transitions=(
        Transition("proposer", "Proposer l'accompagnement", {A_PROPOSER}, PROPOSE, {WORKER, SYSTEM}),
        Transition("accepter", "La famille accepte", {A_PROPOSER, PROPOSE}, ACCEPTE, {WORKER, PARENT}),
        Transition("refuser", "La famille refuse", {A_PROPOSER, PROPOSE}, REFUSE, {WORKER, PARENT}),
        Transition("expirer", "Sans réponse dans le délai", {PROPOSE}, SANS_REPONSE, {SYSTEM, WORKER}),
    ),
)
SIGNALEMENT_OPEN = frozenset({A_PROPOSER, PROPOSE})

# --- Accompaniment -------------------------------------------------------------------------------

PREMIER_ENTRETIEN = "premier_entretien"
DIAGNOSTIC = "diagnostic"
PLAN = "plan"
CLOS = "clos"

ACCOMPANIMENT = Workflow.declare(
    name="accompagnement",
    field="state",
    states={
        PREMIER_ENTRETIEN: "Premier entretien à tenir",
        DIAGNOSTIC: "Diagnostic",
        PLAN: "Plan d'accompagnement",
        CLOS: "Clos",
    },
    initial=PREMIER_ENTRETIEN,
    final={CLOS},
    transitions=(
        Transition(
            "diagnostiquer", "Premier entretien tenu : diagnostic", {PREMIER_ENTRETIEN}, DIAGNOSTIC, {WORKER}
        ),
        Transition("etablir_plan", "Établir le plan d'accompagnement", {DIAGNOSTIC}, PLAN, {WORKER}),
        Transition(
            "clore", "Clore l'accompagnement", {PREMIER_ENTRETIEN, DIAGNOSTIC, PLAN}, CLOS, {WORKER}, True
        ),
    ),
)
ACCOMPANIMENT_OPEN = frozenset({PREMIER_ENTRETIEN, DIAGNOSTIC, PLAN})

# Why an accompaniment ends, and what came of it.
CLOSING_OUTCOMES = {
    "objectifs_atteints": "Objectifs atteints",
    "objectifs_partiels": "Objectifs atteints en partie",
    "relais_partenaire": "Relais pris par un partenaire",
    "fin_a_la_demande": "Fin à la demande de la famille",
    "sans_nouvelles": "Famille sans nouvelles",
    "demenagement": "Déménagement hors du territoire",
}

# --- Referral (orientation) ----------------------------------------------------------------------

ORIENTEE = "orientee"
ACCEPTEE = "acceptee"
DECLINEE = "declinee"
TENUE = "tenue"
NON_TENUE = "non_tenue"
ANNULEE = "annulee"

REFERRAL = Workflow.declare(
    name="orientation",
    field="state",
    states={
        ORIENTEE: "Orientation envoyée",
        ACCEPTEE: "Acceptée par le partenaire",
        DECLINEE: "Déclinée par le partenaire",
        TENUE: "Prise en charge réalisée",
        NON_TENUE: "Prise en charge non réalisée",
        ANNULEE: "Annulée",
    },
    initial=ORIENTEE,
    final={DECLINEE, TENUE, NON_TENUE, ANNULEE},
    transitions=(
        Transition("accepter", "Accepter l'orientation", {ORIENTEE}, ACCEPTEE, {PARTNER}),
        Transition("decliner", "Décliner l'orientation", {ORIENTEE}, DECLINEE, {PARTNER}, True),
        Transition("tenue", "Prise en charge réalisée", {ACCEPTEE}, TENUE, {PARTNER}),
        Transition("non_tenue", "Prise en charge non réalisée", {ACCEPTEE}, NON_TENUE, {PARTNER}, True),
        Transition("annuler", "Annuler l'orientation", {ORIENTEE, ACCEPTEE}, ANNULEE, {WORKER}, True),
    ),
)
REFERRAL_OPEN = frozenset({ORIENTEE, ACCEPTEE})
