"""The workflow of a request for an individual financial aid, declared once (core.workflow,
decision 0009 and 0017). Pure: no Django.

A social worker files the request for a family: it is submitted at once (the form is the draft;
nothing waits half-filled in the database). The committee (commission des aides) grants it, with
an amount, refuses it, with a reason, or adjourns it (a missing piece, a decision deferred to the
next meeting), after which it grants or refuses. A granted aid is paid by the next SEPA credit
transfer batch (the system's "verser"); a loan is paid the same way and its repayment schedule is
recorded then (the recovery of the repayments is out of scope). A request not yet decided may be
withdrawn by the social worker.
"""

from __future__ import annotations

from parcours.core.workflow import SYSTEM, Transition, Workflow

WORKER = "travailleur_social"
COMMITTEE = "commission"

SOUMISE = "soumise"
AJOURNEE = "ajournee"
ACCORDEE = "accordee"
REFUSEE = "refusee"
VERSEE = "versee"
RETIREE = "retiree"

REQUEST = Workflow.declare(
    name="aide_financiere",
    field="state",
    states={
        SOUMISE: "Soumise à la commission",
        AJOURNEE: "Ajournée",
        ACCORDEE: "Accordée, à verser",
        REFUSEE: "Refusée",
        VERSEE: "Versée",
        RETIREE: "Retirée",
    },
    initial=SOUMISE,
    final={REFUSEE, VERSEE, RETIREE},
    transitions=(
        Transition("accorder", "Accorder l'aide", {SOUMISE, AJOURNEE}, ACCORDEE, {COMMITTEE}),
        Transition("refuser", "Refuser l'aide", {SOUMISE, AJOURNEE}, REFUSEE, {COMMITTEE}, True),
        Transition("ajourner", "Ajourner la décision", {SOUMISE}, AJOURNEE, {COMMITTEE}, True),
        Transition("verser", "Verser l'aide", {ACCORDEE}, VERSEE, {SYSTEM}),
        Transition("retirer", "Retirer la demande", {SOUMISE, AJOURNEE}, RETIREE, {WORKER}, True),
    ),
)
TO_DECIDE = frozenset({SOUMISE, AJOURNEE})
GRANTED = frozenset({ACCORDEE, VERSEE})  # what counts against a theme's budget
DECISIONS = ("accorder", "refuser", "ajourner")
