"""Reads of the separation journey: the before/after rights estimate and the timeline."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from django.utils import timezone

from parcours.rights.results import BENEFITS, RightsResult
from parcours.rights.selectors import household_facts, rights_compute

from . import lifecycle
from .models import ChildSupportSituation, Demande, Residence, goes_with_leaver

BENEFIT_LABELS = {
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


@dataclass(frozen=True)
class BeforeAfterLine:
    benefit: str
    label: str
    before: Decimal
    after: Decimal

    @property
    def difference(self) -> Decimal:
        return self.after - self.before


def rights_before_after(
    demande: Demande, month: str | None = None
) -> tuple[list[BeforeAfterLine], RightsResult] | None:
    """An estimate for the declarant's household this month: as registered, and as declared."""
    month = month or f"{timezone.localdate():%Y-%m}"
    facts = household_facts([demande.dossier_id], month).get(demande.dossier_id)
    if facts is None or demande.leaving_id is None:
        return None
    leaving = f"p{demande.leaving_id}"
    going = {f"p{pid}" for pid, r in demande.children.items() if goes_with_leaver(demande, r)}
    alternating = {f"p{pid}" for pid, r in demande.children.items() if r == Residence.ALTERNEE}
    after_housing = {}
    if demande.leaving_id == demande.declarant.person_id:
        # The declarant leaves: their new household is themselves, the children who go with them and
        # the alternating ones; its housing is not known yet (counted as hosted, no rent).
        keep = going | alternating | {leaving}
        after_housing = {"housing_status": "heberge", "rent": Decimal("0")}
    else:
        keep = {p.id for p in facts.persons} - going - {leaving}
    persons = tuple(
        sorted(
            (replace(p, alternating_custody=p.id in alternating) for p in facts.persons if p.id in keep),
            key=lambda p: p.role != "parent",
        )
    )
    support = demande.child_support
    status = {
        ChildSupportSituation.UNPAID: "set_unpaid",
        ChildSupportSituation.AGREEMENT: "set_paid",
        ChildSupportSituation.JUDGMENT: "set_paid",
    }.get(support, "none")
    received = (
        demande.child_support_amount
        if status == "set_paid" and demande.child_support_amount
        else Decimal("0")
    )
    declared = replace(
        facts,
        couple=False,
        persons=persons,
        child_support_status=status,
        child_support_received=received,
        months_without_pension_set=0,
        **after_housing,
    )
    if received:
        first = declared.persons[0]
        resources = {**first.resources, "pensions_alimentaires_percues": {month: received}}
        declared = replace(declared, persons=(replace(first, resources=resources), *declared.persons[1:]))
    before, after = rights_compute([facts, declared])
    lines = [
        BeforeAfterLine(name, BENEFIT_LABELS[name], before.benefits[name], after.benefits[name])
        for name in BENEFITS
        if before.benefits[name] or after.benefits[name]
    ]
    return lines, after


STEPS = [
    "S'informer des démarches",
    "Déclarer la séparation",
    "Être informé de ses droits",
    "Compléter son dossier",
    "Vérification du dossier",
    "Percevoir les premières prestations",
    "Droits révisés",
]


@dataclass(frozen=True)
class Step:
    label: str
    state: str  # "fait", "en cours", "à venir"
    on: date | None


def timeline(demande: Demande) -> list[Step]:
    """The seven steps of the parcours séparation (DOMAIN.md §1), with their state and dates."""
    transitions = {t.action: t.at.date() for t in demande.transitions.all()}
    created = demande.created_at.date()
    submitted = transitions.get("deposer")
    instructed = transitions.get("instruire")
    validated = transitions.get("valider")
    done = [
        (True, created),
        (submitted is not None, submitted),
        (submitted is not None, submitted),
        (instructed is not None, instructed),
        (validated is not None, validated),
        (validated is not None, validated),
        (validated is not None, validated),
    ]
    steps, current_found = [], False
    for label, (finished, on) in zip(STEPS, done, strict=True):
        if finished:
            steps.append(Step(label, "fait", on))
        elif not current_found and demande.state not in lifecycle.FINAL:
            steps.append(Step(label, "en cours", None))
            current_found = True
        else:
            steps.append(Step(label, "à venir", None))
    return steps
