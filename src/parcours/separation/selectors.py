"""Reads of the separation journey: the before/after rights estimate, the timeline, and the agent's
reading of a declaration (as declared, beside the registry) and list."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from parcours.core.dates import date_fr
from parcours.core.money import format_euros
from parcours.households.models import Dossier, Person
from parcours.households.selectors import household_on
from parcours.rights.results import BENEFIT_LABELS, BENEFITS, RightsResult
from parcours.rights.selectors import (
    household_facts,
    rights_compute,
    rights_revisions_of_month,
    rights_timeline,
)

from . import lifecycle
from .models import ChildSupportSituation, Demande, Residence, goes_with_leaver

PAYMENT_DAY = 5  # benefits of month M are paid around the 5th of M+1 (the Caf's usual calendar)


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


def declarant_dossier_id(demande: Demande) -> int:
    """The dossier the declarant lives in after the validation: the new one when they left."""
    if demande.new_dossier_id and demande.leaving_id == demande.declarant.person_id:
        return demande.new_dossier_id
    return demande.dossier_id


def rights_retained(demande: Demande, month: str | None = None) -> list[BeforeAfterLine]:
    """After the validation, the registry's figures replace the estimate: for the declarant's
    household this month, "before" is what the couple's dossier was due before the validation (its
    revisions computed until then) and "after" what the declarant's dossier is due now — the same
    revisions the payment calendar and the notification letter read."""
    month = month or f"{timezone.localdate():%Y-%m}"
    validated = demande.transitions.filter(action="valider").values_list("at", flat=True).first()
    before: dict[str, Decimal] = {}
    for revision in rights_revisions_of_month(demande.dossier_id, month):
        if validated is None or revision.computed_at < validated:
            before[revision.benefit] = revision.amount
    timeline = rights_timeline(Dossier.objects.get(pk=declarant_dossier_id(demande)), month, month)
    after = timeline[0].due if timeline else {}
    return [
        BeforeAfterLine(
            name, BENEFIT_LABELS[name], before.get(name, Decimal("0.00")), after.get(name, Decimal("0.00"))
        )
        for name in BENEFITS
        if before.get(name) or after.get(name)
    ]


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
    state: str  # "fait", "en cours", "prévu" (with its day), "à venir"
    on: date | None


def first_payment_on(validated: date) -> date:
    """The first payment after a validation: the next payment day (the 5th) after it."""
    candidate = validated.replace(day=PAYMENT_DAY)
    if candidate <= validated:
        year, month = (
            (validated.year + 1, 1) if validated.month == 12 else (validated.year, validated.month + 1)
        )
        candidate = date(year, month, PAYMENT_DAY)
    return candidate


def timeline(demande: Demande, today: date | None = None) -> list[Step]:
    """The seven steps of the parcours séparation (DOMAIN.md §1), with their state and real dates:
    a step is "fait" only once it has happened (the first payment, once its day has come), the
    completion step stays "en cours" while the Caf waits for documents."""
    today = today or timezone.localdate()
    transitions = {t.action: t.at.date() for t in demande.transitions.all()}
    created = demande.created_at.date()
    submitted = transitions.get("deposer")
    instructed = transitions.get("instruire")
    validated = transitions.get("valider")
    completed = None
    if instructed is not None and demande.state != lifecycle.A_COMPLETER:
        completed = transitions.get("repondre", instructed)
    paid_on = first_payment_on(validated) if validated else None
    done = [
        (True, created),
        (submitted is not None, submitted),
        (submitted is not None, submitted),
        (completed is not None, completed),
        (validated is not None, validated),
        (paid_on is not None and paid_on <= today, paid_on),
        (validated is not None, validated),
    ]
    steps, current_found = [], False
    for label, (finished, on) in zip(STEPS, done, strict=True):
        if finished:
            steps.append(Step(label, "fait", on))
        elif on is not None and label == STEPS[5]:
            steps.append(Step(label, "prévu", on))  # the payment's day has not come yet
        elif not current_found and demande.state not in lifecycle.FINAL:
            steps.append(Step(label, "en cours", None))
            current_found = True
        else:
            steps.append(Step(label, "à venir", None))
    return steps


# --- The agent's reading of a declaration ------------------------------------------------------


@dataclass(frozen=True)
class Compared:
    """One line of "what was declared", beside what the registry held before the separation."""

    label: str
    registry: str
    declared: str
    changed: bool
    confidential: bool = False


def _masked_iban(iban: str) -> str:
    return f"{iban[:4]} •••• •••• {iban[-4:]}" if iban else "—"


def declaration_compared(demande: Demande, *, reveal_address: bool) -> list[Compared]:
    """The declaration as declared, line by line, beside the registry on the eve of the separation.
    A confidential new address is masked unless `reveal_address` (the agent asked, audited)."""
    from parcours.households.models import ChildSupportStatus, Custody, UnionKind

    from .models import Visiting

    on = demande.separation_date or timezone.localdate()
    before = household_on(demande.dossier, on - timedelta(days=1))
    persons = {m.person.pk: m.person for m in before.members}

    def name(person: Person | None) -> str:
        return f"{person.first_names} {person.last_name}" if person else "—"

    union = UnionKind(before.union.kind).label if before.union else "Aucune vie de couple enregistrée"
    lines = [
        Compared(
            "Vie de couple",
            union,
            f"Séparation le {date_fr(demande.separation_date)}" if demande.separation_date else "—",
            True,
        ),
        Compared(
            "Parent qui quitte le logement",
            " et ".join(name(m.person) for m in before.adults) + " vivent ensemble",
            f"{name(demande.leaving)}, qui poursuit dans son propre dossier" if demande.leaving else "—",
            demande.leaving is not None,
        ),
    ]
    address = before.address
    registry_address = f"{address.street}, {address.postcode} {address.commune_name}" if address else "—"
    if demande.new_street:
        declared = f"{demande.new_street}, {demande.new_postcode} {demande.new_commune_name}"
        if demande.new_address_confidential and not reveal_address:
            declared = "Adresse confidentielle (masquée)"
        lines.append(
            Compared(
                "Adresse du parent qui part",
                registry_address,
                declared,
                True,
                confidential=demande.new_address_confidential,
            )
        )
    for pid, residence in demande.children.items():
        child = persons.get(int(pid)) or Person.objects.filter(pk=int(pid)).first()
        member = next((m for m in before.children if m.person.pk == int(pid)), None)
        held = Custody(member.custody).label if member else "Pas dans ce foyer"
        lines.append(
            Compared(
                f"Résidence de {child.first_names if child else 'l’enfant'}",
                held,
                Residence(residence).label,
                True,
            )
        )
    lines.append(Compared("Droit de visite et d'hébergement", "—", Visiting(demande.visiting).label, True))
    support = before.child_support
    held_support = ChildSupportStatus(support.status).label if support else "Non renseignée"
    if support and support.monthly_amount_set:
        held_support += f" — {format_euros(support.monthly_amount_set)} par mois"
    declared_support = ChildSupportSituation(demande.child_support).label
    if demande.child_support_amount:
        declared_support += f" — {format_euros(demande.child_support_amount)} par mois"
    lines.append(Compared("Pension alimentaire", held_support, declared_support, True))
    held_iban = _masked_iban(before.bank_account.iban) if before.bank_account else "—"
    lines.append(
        Compared(
            "Compte bancaire",
            held_iban,
            _masked_iban(demande.new_iban) if demande.new_iban else "Inchangé",
            bool(demande.new_iban),
        )
    )
    return lines


SORTS = {
    "anciennes": ("submitted_at", "id"),
    "recentes": ("-submitted_at", "-id"),
    "nom": ("declarant__person__last_name", "declarant__person__first_names", "id"),
}


def demandes_to_instruct(visible: Any, *, query: str = "", state: str = "", sort: str = "anciennes") -> Any:
    """The declarations of the agent's territory that wait for the Caf (or in `state`), searched by
    name, birth date (jj/mm/aaaa) or numéro allocataire, sorted."""
    from django.db.models import Q

    rows = (
        Demande.objects.filter(dossier__in=visible)
        .exclude(state=lifecycle.BROUILLON)
        .select_related("dossier", "declarant__person")
    )
    rows = rows.filter(state=state) if state else rows.exclude(state__in=lifecycle.FINAL)
    query = query.strip()
    if query:
        birth = parse_date_fr(query)
        if birth is not None:
            rows = rows.filter(declarant__person__birth_date=birth)
        elif query.isdigit():
            rows = rows.filter(Q(dossier__numero_allocataire=query) | Q(pk=int(query)))
        else:
            for word in query.split():
                rows = rows.filter(
                    Q(declarant__person__last_name__icontains=word)
                    | Q(declarant__person__first_names__icontains=word)
                )
    return rows.order_by(*SORTS.get(sort, SORTS["anciennes"]))


def parse_date_fr(text: str) -> date | None:
    """ "15/11/1986" → date(1986, 11, 15); anything else → None."""
    parts = text.strip().split("/")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return None
    try:
        return date(int(parts[2]), int(parts[1]), int(parts[0]))
    except ValueError:
        return None
