"""Read queries of the titre pages: the Caf titre exécutoire requests (each parent's own, the ARIPA
agents' queue), the other parent found in the registry, the bank accounts the registry knows, the
titres a parent may ask an intermediation for, and the months of arrears an agent may add.

A parent's request is handed to the templates as plain data (`ParentRequest`): never the
creditor's dossier, address or bank account, so a template cannot show them to the other parent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet

from parcours.accounts.models import User
from parcours.child_support.parameters import OutOfPeriod, scales_on
from parcours.child_support.scales import Custody
from parcours.households.access import visible_dossiers
from parcours.households.models import ADULT_ROLES, Dossier, Membership, Person, Union
from parcours.households.selectors import bears_name, dossiers_of_person, household_on
from parcours.intermediation import lifecycle
from parcours.intermediation.models import Intermediation
from parcours.intermediation.rules.calendar import add_months
from parcours.intermediation.rules.recovery import arrears_earliest_month
from parcours.intermediation.services import BankDetails
from parcours.titres import rules as titre_caf
from parcours.titres.models import Arrangement, Titre, TitreDocument, TitreRequest, TitreRequestStatus
from parcours.titres.services.titre_caf import titre_request_examine

UNION_LABELS = {
    "concubinage": "En union libre (concubinage)",
    "pacs": "Pacsés",
    "mariage": "Mariés",
}
ARRANGEMENT_LABELS = dict(Arrangement.choices)


def document_label(code: str) -> str:
    label = titre_caf.DOCUMENT_LABELS.get(code, code)
    return label[:1].upper() + label[1:]


# --- The other parent, found in the registry ---------------------------------------------------


def other_parent_candidates(person: Person) -> list[Person]:
    """The person's partners of the registry (a current or past union, in any dossier) who have a
    parcours account: like the separation's Invitation, the other parent is the other adult of the
    couple, asked to sign online only if they can sign in."""
    unions = Union.objects.filter(
        Q(first_person=person) | Q(second_person=person), retired_in__isnull=True
    ).values_list("first_person_id", "second_person_id")
    ids = {pid for pair in unions for pid in pair} - {person.pk}
    with_account = set(User.objects.filter(person_id__in=ids).values_list("person_id", flat=True))
    return list(Person.objects.filter(pk__in=with_account).order_by("last_name", "first_names", "id"))


def other_parent_by_numero(
    *, numero_allocataire: str, last_name: str, birth_date: date, on: date
) -> Person | None:
    """The adult (allocataire or conjoint on `on`) of the dossier `numero_allocataire` whose name
    (usage or birth name) and birth date match. None otherwise, whatever the reason, so the answer
    never tells whether a dossier exists."""
    dossier = Dossier.objects.filter(numero_allocataire=numero_allocataire).first()
    if dossier is None:
        return None
    adults = (
        Membership.objects.current()
        .valid_on(on)
        .filter(dossier=dossier, role__in=ADULT_ROLES, person__birth_date=birth_date)
        .select_related("person")
    )
    return next((m.person for m in adults if bears_name(m.person, last_name)), None)


def household_children(dossier: Dossier, on: date) -> list[Person]:
    """The children of the requesting parent's household on `on`, eldest first."""
    state = household_on(dossier, on)
    return sorted((m.person for m in state.children), key=lambda p: (p.birth_date, p.pk))


# --- What the rules would say, before anything is stored ---------------------------------------


@dataclass(frozen=True)
class Preview:
    """The Caf threshold per child and every reason the rules would give, on the data typed in."""

    thresholds: dict[int, Decimal]  # child pk -> minimum per child (R582-1)
    reasons: list[str]
    to_confirm: bool
    out_of_period: str = ""


@dataclass(frozen=True)
class PreviewChild:
    person: Person
    monthly_amount: Decimal
    arrangement: str
    existing: bool


def request_preview(
    *,
    union: str,
    children: list[PreviewChild],
    debtor_monthly_resources: Decimal,
    children_dependent_on_debtor: int,
    documents: list[str],
    on: date,
) -> Preview:
    """`rules.titre_caf.decide` on the request as typed, both signatures assumed (the other parent
    signs next): the parents read the threshold and the reasons before they submit."""
    try:
        scales = scales_on(on)
    except OutOfPeriod as error:
        return Preview({}, [], False, out_of_period=str(error))
    nobody = titre_caf.ParentIdentity("", "")
    plain = titre_caf.TitreRequest(
        creditor=nobody,
        debtor=nobody,
        union=titre_caf.UnionKind(union),
        creditor_signed=True,
        debtor_signed=True,
        children=tuple(
            titre_caf.ChildRequest(
                first_names=c.person.first_names,
                last_name=c.person.last_name,
                birth_date=c.person.birth_date,
                custody=Custody(c.arrangement),
                monthly_amount=c.monthly_amount,
                existing_titre_or_procedure=c.existing,
            )
            for c in children
        ),
        debtor_monthly_resources=debtor_monthly_resources,
        children_dependent_on_debtor=children_dependent_on_debtor,
        submitted_on=on,
        documents_provided=frozenset(documents),
    )
    decision = titre_caf.decide(plain, on=on, scales=scales)
    by_name = {f"{c.person.first_names} {c.person.last_name}".strip(): c.person.pk for c in children}
    thresholds = {by_name[name]: t.per_child for name, t in decision.thresholds.items() if name in by_name}
    return Preview(thresholds, decision.reasons, decision.to_confirm)


# --- Each parent's requests --------------------------------------------------------------------


@dataclass(frozen=True)
class RequestChildLine:
    full_name: str
    birth_date: date
    monthly_amount: Decimal
    arrangement: str
    existing: bool


@dataclass(frozen=True)
class ParentRequest:
    """One request as a parent reads it: what both parents signed, its status, and its decision."""

    pk: int
    you_receive: bool  # True: this parent is the creditor
    other_parent: str
    status: str
    status_label: str
    union: str
    children: list[RequestChildLine]
    total: Decimal
    debtor_monthly_resources: Decimal
    children_dependent_on_debtor: int
    documents: list[str]
    missing_documents: list[str]
    refuse_intermediation: bool
    your_signed_on: date | None
    other_signed_on: date | None
    submitted_on: date | None
    deemed_accepted_on: date | None
    decided_on: date | None
    reasons: list[str]
    titre_reference: str

    @property
    def awaiting_your_signature(self) -> bool:
        return self.status == TitreRequestStatus.AWAITING_SIGNATURE and self.your_signed_on is None

    @property
    def accepted(self) -> bool:
        return bool(self.titre_reference)

    @property
    def refused(self) -> bool:
        return self.status == TitreRequestStatus.REFUSED


def as_parent_request(request: TitreRequest, person_id: int) -> ParentRequest:
    creditor = request.creditor_id == person_id
    children = [
        RequestChildLine(
            str(line.child),
            line.child.birth_date,
            line.monthly_amount,
            ARRANGEMENT_LABELS.get(line.arrangement, line.arrangement),
            line.existing_titre_or_procedure,
        )
        for line in sorted(request.children.all(), key=lambda c: (c.child.birth_date, c.pk))
    ]
    provided = set(request.documents_provided)
    return ParentRequest(
        pk=request.pk,
        you_receive=creditor,
        other_parent=str(request.debtor if creditor else request.creditor),
        status=request.status,
        status_label=request.get_status_display(),
        union=UNION_LABELS.get(request.union, request.union),
        children=children,
        total=sum((c.monthly_amount for c in children), Decimal("0.00")),
        debtor_monthly_resources=request.debtor_monthly_resources,
        children_dependent_on_debtor=request.children_dependent_on_debtor,
        documents=[document_label(c) for c in titre_caf.DOCUMENT_LABELS if c in provided],
        missing_documents=[document_label(c) for c in titre_caf.DOCUMENT_LABELS if c not in provided],
        refuse_intermediation=request.refuse_intermediation,
        your_signed_on=request.creditor_signed_on if creditor else request.debtor_signed_on,
        other_signed_on=request.debtor_signed_on if creditor else request.creditor_signed_on,
        submitted_on=request.submitted_on,
        deemed_accepted_on=titre_caf.deemed_accepted_on(request.submitted_on)
        if request.submitted_on
        else None,
        decided_on=request.decided_on,
        reasons=list(request.reasons or []),
        titre_reference=request.titre.reference if request.titre_id else "",
    )


def _requests_of(person_id: int) -> QuerySet[TitreRequest]:
    return (
        TitreRequest.objects.filter(Q(creditor_id=person_id) | Q(debtor_id=person_id))
        .select_related("creditor", "debtor", "titre")
        .prefetch_related("children__child")
    )


def parent_requests(person_id: int) -> list[ParentRequest]:
    """The parent's requests, as creditor or debtor, newest first."""
    return [as_parent_request(r, person_id) for r in _requests_of(person_id).order_by("-id")]


def parent_request(person_id: int, pk: int) -> ParentRequest | None:
    """One request of the parent; None when it is not theirs (or does not exist)."""
    found = _requests_of(person_id).filter(pk=pk).first()
    return as_parent_request(found, person_id) if found else None


@dataclass(frozen=True)
class RequestPiece:
    """A file sent with a request, as its list shows it (never its stored path)."""

    pk: int
    label: str
    original_name: str
    size: int
    content_type: str


def request_pieces(request_id: int) -> list[RequestPiece]:
    """The files sent with a request, in the order of the pieces' list. Shown to the requesting
    parent and to the ARIPA agents only: the views decide who reads them."""
    order = {code: i for i, code in enumerate(titre_caf.DOCUMENT_LABELS)}
    documents = sorted(
        TitreDocument.objects.filter(request_id=request_id).order_by("id"),
        key=lambda d: (order.get(d.code, len(order)), d.pk),
    )
    return [
        RequestPiece(d.pk, document_label(d.code), d.original_name, d.size, d.content_type) for d in documents
    ]


# --- ARIPA agents -----------------------------------------------------------------------------


def submitted_requests(user: Any) -> QuerySet[TitreRequest]:
    """The requests of the agent's territory (the creditor's dossier decides) signed by both
    parents and waiting for a decision, oldest first: the four months run from submission."""
    return (
        TitreRequest.objects.filter(
            status=TitreRequestStatus.SUBMITTED, creditor_dossier__in=visible_dossiers(user)
        )
        .select_related("creditor", "debtor", "creditor_dossier")
        .order_by("submitted_on", "id")
    )


def with_deadline(request: TitreRequest, today: date) -> TitreRequest:
    """Give a row `deemed_accepted_on` and `days_left` (negative: silence already means yes)."""
    deemed = titre_caf.deemed_accepted_on(request.submitted_on) if request.submitted_on else None
    request.deemed_accepted_on = deemed  # type: ignore[attr-defined]
    request.days_left = (deemed - today).days if deemed else None  # type: ignore[attr-defined]
    return request


def request_for_agent(pk: int) -> TitreRequest | None:
    return (
        TitreRequest.objects.select_related("creditor", "debtor", "creditor_dossier", "titre")
        .prefetch_related("children__child")
        .filter(pk=pk)
        .first()
    )


@dataclass(frozen=True)
class AgentExamination:
    """What the rules say of a submitted request today (the agent decides with it in view)."""

    accepted: bool
    reasons: list[str]
    thresholds: dict[str, Decimal]
    to_confirm: bool
    out_of_period: str = ""


def request_examination(request: TitreRequest, on: date) -> AgentExamination:
    """`rules.titre_caf.decide` as `titre_request_decide` will call it (scales of the submission)."""
    try:
        scales_on(request.submitted_on or on)  # out of the scales' period: said, not raised
    except OutOfPeriod as error:
        return AgentExamination(False, [], {}, False, out_of_period=str(error))
    decision = titre_request_examine(request, on=on)
    return AgentExamination(
        decision.accepted,
        decision.reasons,
        {name: t.per_child for name, t in decision.thresholds.items()},
        decision.to_confirm,
    )


# --- Bank accounts the registry knows ---------------------------------------------------------


def registry_bank(dossier: Dossier | None, on: date) -> BankDetails | None:
    """The bank account of a dossier on `on`, from the registry (None when unknown)."""
    if dossier is None:
        return None
    account = household_on(dossier, on).bank_account
    if account is None or not account.iban:
        return None
    return BankDetails(account.holder_name, account.iban, account.bic)


def person_dossier(person: Person, on: date) -> Dossier | None:
    """The dossier in which a person is allocataire or conjoint today, if any."""
    return dossiers_of_person(person, on=on).order_by("id").first()


def debtor_dossier(titre_or_request: Any, on: date) -> Dossier | None:
    dossier = getattr(titre_or_request, "debtor_dossier", None)
    return dossier or person_dossier(titre_or_request.debtor, on)


# --- Parents: titres without intermediation ----------------------------------------------------


@dataclass(frozen=True)
class TitreWithoutIntermediation:
    """A titre of the parent that no intermediation serves: the parent may ask for one."""

    pk: int
    label: str
    reference: str
    you_receive: bool
    other_parent: str
    monthly_amount: Decimal
    reason: str
    own_bank_known: bool
    other_bank_known: bool


def titres_without_intermediation(person: Person, on: date) -> list[TitreWithoutIntermediation]:
    """Titres of the parent (either side) still in force and never served by an intermediation:
    older than 2023 (on request), refused by both parents in the titre (a parent may still ask),
    or a Caf titre accepted by silence (no accounts were known)."""
    titres = (
        Titre.objects.filter(Q(creditor=person) | Q(debtor=person), intermediations__isnull=True)
        .filter(Q(end_on__isnull=True) | Q(end_on__gt=on))
        .select_related("creditor", "debtor", "creditor_dossier", "debtor_dossier")
        .prefetch_related("children")
        .order_by("issued_on", "id")
    )
    rows = []
    for titre in titres:
        creditor = titre.creditor_id == person.pk
        creditor_bank = registry_bank(titre.creditor_dossier, on)
        debtor_bank = registry_bank(debtor_dossier(titre, on), on)
        opening = lifecycle.opening(
            kind=titre.kind,
            issued_on=titre.issued_on,
            refused=titre.intermediation_refused,
            judge_excluded=titre.judge_excluded,
            violence=titre.violence,
        )
        rows.append(
            TitreWithoutIntermediation(
                pk=titre.pk,
                label=str(titre),
                reference=titre.reference,
                you_receive=creditor,
                other_parent=str(titre.debtor if creditor else titre.creditor),
                monthly_amount=sum((c.monthly_amount for c in titre.children.all()), Decimal("0.00")),
                reason=opening.reason,
                own_bank_known=(creditor_bank if creditor else debtor_bank) is not None,
                other_bank_known=(debtor_bank if creditor else creditor_bank) is not None,
            )
        )
    return rows


def titre_of_parent_without_intermediation(person: Person, pk: int, on: date) -> Titre | None:
    return (
        Titre.objects.filter(Q(creditor=person) | Q(debtor=person), pk=pk, intermediations__isnull=True)
        .filter(Q(end_on__isnull=True) | Q(end_on__gt=on))
        .select_related("creditor", "debtor", "creditor_dossier", "debtor_dossier")
        .first()
    )


# --- Agents: arrears before the intermediation ------------------------------------------------


def arrears_months(intermediation: Intermediation, on: date) -> list[date]:
    """The months an agent may add as arrears (CSS L582-1; data/ifpa.yaml arrears_back_months):
    from 24 months back, and not before the pension was due, to the month before the
    intermediation's first month; months already due are left out."""
    start = max(arrears_earliest_month(on), intermediation.titre.start_on.replace(day=1))
    taken = set(intermediation.dues.values_list("month", flat=True))
    months, month = [], start
    while month < intermediation.first_month:
        if month not in taken:
            months.append(month)
        month = add_months(month, 1)
    return months
