"""The titre exécutoire issued by the Caf: whether a joint request is accepted (DOMAIN.md §6).

Sources: CSS L582-2 (the Caf gives enforceable force to an agreement on the pension between
parents who were not married: end of concubinage or PACS, on their joint request), R582-2 and
R582-3 (the request, its documents, the decision and its reasons; four months of silence mean
acceptance), R582-1 (the minimum amount, computed by `scales.caf_threshold`).

Refusals (DOMAIN.md §6): the parents were married; the request is not joint; a titre or a court
procedure already exists for a child; the amount for a child is below the threshold of R582-1;
documents are missing. A refusal gives every reason at once and cannot be appealed (the parents
may go to the family judge).

Plain data in, plain data out: `decide(request, on=..., scales=...)` with the scales in force on
the day the resources are assessed (the caller passes `scales_on(request.submitted_on)`, the usual
choice). Money is Decimal euros, as in `scales.py`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from parcours.child_support.parameters import Scales
from parcours.child_support.scales import CafThreshold, Custody, caf_threshold
from parcours.core.money import format_euros
from parcours.intermediation.rules import ifpa_value
from parcours.intermediation.rules.calendar import add_months


class UnionKind(StrEnum):
    """How the parents lived together."""

    CONCUBINAGE = "concubinage"
    PACS = "pacs"
    MARIAGE = "mariage"


# The documents a request comes with (CSS R582-2; the list is to confirm with the request form
# for the Caf): code → what the agent and the parents read.
DOCUMENT_LABELS: Mapping[str, str] = {
    "identite_parents": "la pièce d'identité de chacun des parents",
    "filiation_enfants": "l'acte de naissance de chaque enfant ou le livret de famille",
    "ressources_debiteur": "les justificatifs des ressources du parent qui verse la pension",
    "fin_union": "le justificatif de la fin du PACS ou de la vie commune",
    "convention_signee": "la convention fixant la pension, signée des deux parents",
}
REQUIRED_DOCUMENTS: frozenset[str] = frozenset(DOCUMENT_LABELS)


@dataclass(frozen=True)
class ParentIdentity:
    first_names: str
    last_name: str
    birth_date: date | None = None
    address: str = ""  # may be confidential: see letters.py

    @property
    def full_name(self) -> str:
        return f"{self.first_names} {self.last_name}".strip()


@dataclass(frozen=True)
class ChildRequest:
    """One child of the request, with the pension asked for and the arrangement agreed."""

    first_names: str
    last_name: str
    birth_date: date
    custody: Custody  # réduit | classique | alterné: the visiting and accommodation arrangement
    monthly_amount: Decimal  # euros
    existing_titre_or_procedure: bool = False  # a titre, or a case before the family judge

    @property
    def full_name(self) -> str:
        return f"{self.first_names} {self.last_name}".strip()


@dataclass(frozen=True)
class TitreRequest:
    creditor: ParentIdentity  # the parent who receives the pension
    debtor: ParentIdentity  # the parent who pays it
    union: UnionKind
    creditor_signed: bool
    debtor_signed: bool
    children: tuple[ChildRequest, ...]
    debtor_monthly_resources: Decimal  # euros: annual resources / 12 (CSS R582-1)
    children_dependent_on_debtor: int  # all of them, from any union (CSS D582-1)
    submitted_on: date
    documents_provided: frozenset[str] = frozenset()
    documents_required: frozenset[str] = field(default=REQUIRED_DOCUMENTS)


@dataclass(frozen=True)
class Decision:
    accepted: bool
    reasons: list[str]  # in French, every reason for a refusal; empty when accepted
    decided_on: date
    thresholds: dict[str, CafThreshold]  # per child's full name, when it could be computed
    silence_accepted: bool  # four months had passed on `decided_on`: silence already meant yes
    to_confirm: bool  # a rate or parameter used was not read in an official text


def deemed_accepted_on(submitted_on: date) -> date:
    """The day silence means acceptance: `submitted_on` + `titre_silence_acceptance_months` (4).

    Source: CSS R582-3 (DOMAIN.md §6). The months are calendar months, clamped to the end of a
    shorter month: a request of 31 October is deemed accepted on 28 February (29 in a leap year),
    one of 30 June on 30 October. Whether acceptance is born on that day or the next is to confirm
    (the parameter is marked so); parcours counts it from that day.
    """
    months = ifpa_value("titre_silence_acceptance_months", submitted_on)
    return add_months(submitted_on, months)


def silence_accepted(submitted_on: date, on: date) -> bool:
    """True when, without a decision, the request is accepted on `on` (CSS R582-3)."""
    return on >= deemed_accepted_on(submitted_on)


def _names(parents: list[ParentIdentity]) -> str:
    return " et ".join(p.full_name for p in parents)


def _document_list(codes: frozenset[str]) -> str:
    return ", ".join(DOCUMENT_LABELS.get(code, code) for code in sorted(codes))


def decide(request: TitreRequest, *, on: date, scales: Scales) -> Decision:
    """Accept or refuse the request, with every reason for a refusal, in French (DOMAIN.md §6).

    Checks, in the order a refusal letter lists them:
    1. the parents were married (CSS L582-2: only the family judge can then set the pension);
    2. both parents signed the joint request (L582-2);
    3. the request names at least one child, no more children than the debtor supports, and a
       positive amount for each;
    4. no titre nor court procedure already exists for a child (L582-2);
    5. each child's amount reaches the threshold of R582-1: `caf_threshold` with the debtor's
       monthly resources, the number of children dependent on the debtor, and that child's
       arrangement (réduit → taux majoré, classique → taux, alterné → taux minoré);
    6. every required document was provided (R582-2).
    """
    reasons: list[str] = []
    if request.union is UnionKind.MARIAGE:
        reasons.append(
            "Les parents étaient mariés : seul le juge aux affaires familiales peut fixer la pension."
        )
    unsigned = [
        parent
        for parent, signed in (
            (request.creditor, request.creditor_signed),
            (request.debtor, request.debtor_signed),
        )
        if not signed
    ]
    if unsigned:
        verb = "ne l'ont pas signée" if len(unsigned) > 1 else "ne l'a pas signée"
        reasons.append(f"La demande doit être faite par les deux parents : {_names(unsigned)} {verb}.")
    if not request.children:
        reasons.append("La demande ne désigne aucun enfant.")
    supported = request.children_dependent_on_debtor
    if supported < max(len(request.children), 1):
        reasons.append(
            f"Le nombre d'enfants à la charge du parent qui verse la pension ({supported}) ne peut être "
            f"inférieur au nombre d'enfants de la demande ({len(request.children)})."
        )
    for child in request.children:
        if child.monthly_amount <= 0:
            reasons.append(
                f"Le montant de la pension demandée pour {child.first_names} doit être supérieur à zéro."
            )
    for child in request.children:
        if child.existing_titre_or_procedure:
            reasons.append(
                f"Un titre exécutoire ou une procédure devant le juge existe déjà pour {child.full_name} : "
                "la Caf ne peut pas délivrer de titre pour cet enfant."
            )
    thresholds: dict[str, CafThreshold] = {}
    if supported >= 1:
        for child in request.children:
            threshold = caf_threshold(
                income=request.debtor_monthly_resources,
                children=supported,
                custody=child.custody,
                rsa=scales.rsa_one_person,
                table=scales.caf,
            )
            thresholds[child.full_name] = threshold
            if 0 < child.monthly_amount < threshold.per_child:
                reasons.append(
                    f"Le montant demandé pour {child.first_names} ({format_euros(child.monthly_amount)}) est "
                    f"inférieur au seuil de {format_euros(threshold.per_child)} fixé par l'article R. 582-1 "
                    "du code de la sécurité sociale."
                )
    missing = request.documents_required - request.documents_provided
    if missing:
        reasons.append(f"Pièces manquantes : {_document_list(frozenset(missing))}.")
    to_confirm = any(t.rate.to_confirm for t in thresholds.values())
    return Decision(
        accepted=not reasons,
        reasons=reasons,
        decided_on=on,
        thresholds=thresholds,
        silence_accepted=silence_accepted(request.submitted_on, on),
        to_confirm=to_confirm,
    )
