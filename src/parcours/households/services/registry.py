"""Write operations of the registry: the only place that changes it.

Each service is one transaction. A change of situation never overwrites a record: it retires
the records it replaces and creates new ones, all tied to one `SituationChange`. Invalid input
raises `ValidationError` with a French message per field, before anything is written.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from schwifty import IBAN
from schwifty.exceptions import SchwiftyException

from .. import history
from ..models import (
    ADULT_ROLES,
    Address,
    BankAccount,
    ChangeKind,
    ChildSupport,
    ChildSupportStatus,
    Custody,
    Dossier,
    Housing,
    HousingStatus,
    IncidentKind,
    Membership,
    Person,
    ResidenceStatus,
    Resource,
    ResourceKind,
    Role,
    Sex,
    SituationChange,
    Union,
    UnionKind,
    numero_allocataire_validator,
)
from .events import changes_processed, incidents_settle

INSEE_RE = re.compile(r"^(\d{5}|2[AB]\d{3})$")
POSTCODE_RE = re.compile(r"^\d{5}$")
# Metropolitan départements (01-95, 2A, 2B) and overseas ones (971-976).
DEPARTEMENT_RE = re.compile(r"^(0[1-9]|1\d|2[1-9AB]|[3-8]\d|9[0-5]|97[1-6])$")


def postcode_is_valid(postcode: str) -> bool:
    """Whether a postcode has the registry's shape: 5 digits. The check every address goes through."""
    return bool(POSTCODE_RE.match(postcode))


def commune_insee_is_valid(commune_insee: str) -> bool:
    """Whether an INSEE commune code has the registry's shape (91228, 2A004)."""
    return bool(INSEE_RE.match(commune_insee))


def _fail(field: str, message: str) -> None:
    raise ValidationError({field: message})


def _check_period(valid_from: date, valid_until: date | None) -> None:
    error = history.period_error(valid_from, valid_until)
    if error:
        _fail("valid_until", error)


def _check_amount(field: str, amount: Decimal | None, *, required: bool = True, max_digits: int = 9) -> None:
    """A monthly amount in euros: a finite Decimal, not negative, in cents, that fits its column."""
    if amount is None:
        if required:
            _fail(field, "Le montant est obligatoire.")
        return
    if not isinstance(amount, Decimal) or not amount.is_finite():
        _fail(field, "Le montant doit être un nombre décimal.")
    if amount < 0:
        _fail(field, "Le montant ne peut pas être négatif.")
    # The column holds max_digits digits of which 2 decimals: a larger amount would not be stored.
    # Checked before the cents, whose quantize fails beyond the context's 28 digits.
    if amount >= Decimal(10) ** (max_digits - 2):
        _fail(field, "Le montant est trop élevé.")
    if amount != amount.quantize(Decimal("0.01")):
        _fail(field, "Le montant a au plus deux décimales.")


def _check_text(field: str, value: str, *, max_length: int, required: str = "") -> None:
    """A text that fits its column; `required`: the message when it is blank (else blank is fine)."""
    if required and not value.strip():
        _fail(field, required)
    if len(value.strip()) > max_length:
        _fail(field, f"Ce texte est trop long ({max_length} caractères au plus).")


def _check_choice(field: str, value: str, choices: type[models.TextChoices]) -> None:
    if value not in choices.values:
        _fail(field, "Cette valeur n'est pas autorisée.")


def situation_change_open(
    *,
    dossier: Dossier,
    kind: str,
    effective_date: date,
    by: Any = None,
    source: str = "agent",
    note: str = "",
) -> SituationChange:
    change = SituationChange.objects.create(
        dossier=dossier, kind=kind, effective_date=effective_date, recorded_by=by, source=source, note=note
    )
    changes_processed(change)
    return change


def _replace_from(
    model: type[models.Model],
    *,
    key: dict[str, Any],
    valid_from: date,
    values: dict[str, Any] | None,
    change: SituationChange,
) -> models.Model | None:
    """From `valid_from` on, the fact identified by `key` takes `values` (None: it ends)."""
    existing = list(
        model.objects.select_for_update().filter(retired_in__isnull=True, **key).order_by("valid_from")
    )
    plan = history.replace_from(
        [(r.valid_from, r.valid_until) for r in existing], valid_from, ending=values is None
    )
    if plan.retire:
        model.objects.filter(pk__in=[existing[i].pk for i in plan.retire]).update(retired_in=change)
    for index, new_end in plan.keep_before:
        kept = existing[index]
        kept.pk = None
        kept.valid_until, kept.created_in, kept.retired_in = new_end, change, None
        kept.save(force_insert=True)
    if values is None:
        return None
    return model.objects.create(
        **key, **values, valid_from=valid_from, valid_until=plan.new_until, created_in=change
    )


@transaction.atomic
def person_create(
    *,
    first_names: str,
    last_name: str,
    birth_date: date,
    sex: str,
    residence_status: str = "francais",
    birth_name: str = "",
) -> Person:
    _check_text("first_names", first_names, max_length=150, required="Le prénom est obligatoire.")
    _check_text("last_name", last_name, max_length=150, required="Le nom est obligatoire.")
    _check_text("birth_name", birth_name, max_length=150)
    if birth_date > timezone.localdate():
        _fail("birth_date", "La date de naissance ne peut pas être dans le futur.")
    if birth_date.year < 1900:
        _fail("birth_date", "La date de naissance est trop ancienne.")
    _check_choice("sex", sex, Sex)
    _check_choice("residence_status", residence_status, ResidenceStatus)
    person = Person(
        first_names=first_names.strip(),
        last_name=last_name.strip(),
        birth_name=birth_name.strip(),
        birth_date=birth_date,
        sex=sex,
        residence_status=residence_status,
    )
    person.full_clean()
    person.save()
    return person


@transaction.atomic
def dossier_open(
    *,
    numero_allocataire: str,
    departement: str,
    opened_on: date,
    allocataire: Person,
    by: Any = None,
    source: str = "agent",
) -> Dossier:
    try:
        numero_allocataire_validator(numero_allocataire)
    except ValidationError:
        _fail("numero_allocataire", "Le numéro allocataire comporte 7 chiffres.")
    if not DEPARTEMENT_RE.match(departement):
        _fail("departement", "Le code département n'existe pas (ex. 91, 2A ou 974).")
    if Dossier.objects.filter(numero_allocataire=numero_allocataire).exists():
        _fail("numero_allocataire", "Ce numéro allocataire est déjà attribué.")
    dossier = Dossier.objects.create(
        numero_allocataire=numero_allocataire, departement=departement, opened_on=opened_on
    )
    change = situation_change_open(
        dossier=dossier, kind=ChangeKind.CREATION, effective_date=opened_on, by=by, source=source
    )
    member_add(
        dossier=dossier, person=allocataire, role=Role.ALLOCATAIRE, valid_from=opened_on, change=change
    )
    return dossier


def _check_membership(
    *, dossier: Dossier, person: Person, role: str, custody: str, valid_from: date, valid_until: date | None
) -> None:
    _check_choice("role", role, Role)
    _check_choice("custody", custody, Custody)
    _check_period(valid_from, valid_until)
    if valid_from < person.birth_date:
        _fail("valid_from", "La date d'arrivée dans le foyer précède la date de naissance.")
    if role in ADULT_ROLES:
        # A dossier has one allocataire, and at most one conjoint, on any day.
        heads = Membership.objects.filter(dossier=dossier, role=role, retired_in__isnull=True)
        if any(
            history.overlaps(valid_from, valid_until, m.valid_from, m.valid_until)
            for m in heads.exclude(person=person)
        ):
            label = "un allocataire" if role == Role.ALLOCATAIRE else "un conjoint"
            _fail("role", f"Ce dossier a déjà {label} sur cette période.")
    others = Membership.objects.filter(person=person, retired_in__isnull=True).select_related("dossier")
    elsewhere: list[tuple[int, date, date | None]] = []  # the stays in other households, within the period
    for other in others:
        overlap = history.intersect(valid_from, valid_until, other.valid_from, other.valid_until)
        if overlap is None:
            continue
        if other.dossier_id == dossier.pk:
            _fail("valid_from", "Cette personne fait déjà partie du foyer sur cette période.")
        if role in ADULT_ROLES and other.role in ADULT_ROLES:
            _fail(
                "valid_from",
                "Cette personne est déjà allocataire ou conjoint d'un autre dossier "
                f"({other.dossier.numero_allocataire}) sur cette période.",
            )
        if not custody == other.custody == Custody.ALTERNATING:
            _fail(
                "custody",
                "Cet enfant réside déjà dans un autre foyer sur cette période : "
                "seule la résidence alternée permet deux foyers.",
            )
        elsewhere.append((other.dossier_id, *overlap))
    # Alternating residence is between two households: never a third one on the same day.
    for index, (first_dossier, first_from, first_until) in enumerate(elsewhere):
        for second_dossier, second_from, second_until in elsewhere[index + 1 :]:
            if first_dossier != second_dossier and history.overlaps(
                first_from, first_until, second_from, second_until
            ):
                _fail("custody", "Cet enfant réside déjà dans deux foyers sur cette période.")


@transaction.atomic
def member_add(
    *,
    dossier: Dossier,
    person: Person,
    role: str,
    valid_from: date,
    valid_until: date | None = None,
    custody: str = Custody.FULL,
    change: SituationChange | None = None,
    by: Any = None,
) -> Membership:
    """Record that `person` lives in the household over [valid_from, valid_until)."""
    _check_membership(
        dossier=dossier,
        person=person,
        role=role,
        custody=custody,
        valid_from=valid_from,
        valid_until=valid_until,
    )
    change = change or situation_change_open(
        dossier=dossier, kind=ChangeKind.COMPOSITION, effective_date=valid_from, by=by
    )
    return Membership.objects.create(
        dossier=dossier,
        person=person,
        role=role,
        custody=custody,
        valid_from=valid_from,
        valid_until=valid_until,
        created_in=change,
    )


def _member_on(memberships: list[Membership], day: date) -> bool:
    return any(history.covers(m.valid_from, m.valid_until, day) for m in memberships)


def _check_adult_on(field: str, dossier: Dossier, person: Person, day: date) -> None:
    adults = Membership.objects.filter(
        dossier=dossier, person=person, role__in=ADULT_ROLES, retired_in__isnull=True
    )
    if not _member_on(list(adults), day):
        _fail(field, f"{person} n'est ni allocataire ni conjoint de ce dossier à cette date.")


@transaction.atomic
def member_leave(
    *, dossier: Dossier, person: Person, on: date, change: SituationChange | None = None, by: Any = None
) -> None:
    """Record that `person` no longer lives in the household from `on`.

    `on` is the first day away: the person must have lived in the household the day before and on
    that day. Leaving on the day a record starts that continues an earlier one (a change of role or
    of residence on that day) ends the whole stay; leaving on the day of arrival is refused.
    """
    current = list(Membership.objects.filter(dossier=dossier, person=person, retired_in__isnull=True))
    if not _member_on(current, on):
        _fail("person", "Cette personne ne fait pas partie du foyer à cette date.")
    if not _member_on(current, on - timedelta(days=1)):
        _fail("on", "La date de départ doit être postérieure à la date d'arrivée.")
    change = change or situation_change_open(
        dossier=dossier, kind=ChangeKind.COMPOSITION, effective_date=on, by=by
    )
    _replace_from(
        Membership, key={"dossier": dossier, "person": person}, valid_from=on, values=None, change=change
    )


@transaction.atomic
def union_set(
    *,
    dossier: Dossier,
    first_person: Person,
    second_person: Person,
    kind: str,
    valid_from: date,
    change: SituationChange | None = None,
    by: Any = None,
) -> Union:
    _check_choice("kind", kind, UnionKind)
    if first_person.pk == second_person.pk:
        _fail("second_person", "Un couple réunit deux personnes différentes.")
    _check_adult_on("first_person", dossier, first_person, valid_from)
    _check_adult_on("second_person", dossier, second_person, valid_from)
    change = change or situation_change_open(
        dossier=dossier, kind=ChangeKind.UNION, effective_date=valid_from, by=by
    )
    values = {"first_person": first_person, "second_person": second_person, "kind": kind}
    return _replace_from(Union, key={"dossier": dossier}, valid_from=valid_from, values=values, change=change)


@transaction.atomic
def address_set(
    *,
    dossier: Dossier,
    valid_from: date,
    street: str,
    postcode: str,
    commune_insee: str,
    commune_name: str,
    is_confidential: bool = False,
    change: SituationChange | None = None,
    by: Any = None,
) -> Address:
    _check_text("street", street, max_length=200, required="L'adresse est obligatoire.")
    _check_text("commune_name", commune_name, max_length=100)
    if not postcode_is_valid(postcode):
        _fail("postcode", "Le code postal comporte 5 chiffres.")
    if not commune_insee_is_valid(commune_insee):
        _fail("commune_insee", "Le code commune INSEE comporte 5 caractères (ex. 91228 ou 2A004).")
    change = change or situation_change_open(
        dossier=dossier, kind=ChangeKind.ADDRESS, effective_date=valid_from, by=by
    )
    values = {
        "street": street.strip(),
        "postcode": postcode,
        "commune_insee": commune_insee,
        "commune_name": commune_name.strip(),
        "is_confidential": is_confidential,
    }
    address = _replace_from(
        Address, key={"dossier": dossier}, valid_from=valid_from, values=values, change=change
    )
    incidents_settle(
        dossier=dossier, kind=IncidentKind.RETURNED_MAIL, on=timezone.localdate(), outcome="Nouvelle adresse"
    )
    return address


@transaction.atomic
def housing_set(
    *,
    dossier: Dossier,
    valid_from: date,
    status: str,
    monthly_rent: Decimal | None = None,
    change: SituationChange | None = None,
    by: Any = None,
) -> Housing:
    _check_choice("status", status, HousingStatus)
    _check_amount(
        "monthly_rent", monthly_rent, required=status in (HousingStatus.TENANT, HousingStatus.BUYER)
    )
    change = change or situation_change_open(
        dossier=dossier, kind=ChangeKind.HOUSING, effective_date=valid_from, by=by
    )
    values = {"status": status, "monthly_rent": monthly_rent}
    return _replace_from(
        Housing, key={"dossier": dossier}, valid_from=valid_from, values=values, change=change
    )


@transaction.atomic
def resource_set(
    *,
    dossier: Dossier,
    person: Person,
    kind: str,
    valid_from: date,
    monthly_amount: Decimal,
    change: SituationChange | None = None,
    by: Any = None,
) -> Resource | None:
    """From `valid_from`, the person's monthly resource of this kind is `monthly_amount` (0 ends it)."""
    _check_choice("kind", kind, ResourceKind)
    _check_amount("monthly_amount", monthly_amount, max_digits=10)
    # The change belongs to the dossier the person lives in on that date: a person who left (an
    # ex-partner) declares in their new dossier, whose version then moves.
    members = Membership.objects.filter(dossier=dossier, person=person, retired_in__isnull=True)
    if not _member_on(list(members), valid_from):
        _fail("person", "Cette personne ne fait pas partie de ce foyer à cette date.")
    change = change or situation_change_open(
        dossier=dossier, kind=ChangeKind.RESOURCES, effective_date=valid_from, by=by
    )
    values = None if monthly_amount == 0 else {"monthly_amount": monthly_amount}
    return _replace_from(
        Resource, key={"person": person, "kind": kind}, valid_from=valid_from, values=values, change=change
    )


def normalise_iban(raw: str) -> tuple[str, str]:
    """The IBAN in electronic form and its BIC when known; a French error when invalid."""
    try:
        iban = IBAN(raw)
    except SchwiftyException:
        _fail("iban", "L'IBAN saisi n'est pas valide : vérifiez sa longueur et sa clé de contrôle.")
    bic = iban.bic
    return iban.compact, str(bic) if bic else ""


@transaction.atomic
def bank_account_set(
    *,
    dossier: Dossier,
    valid_from: date,
    holder_name: str,
    iban: str,
    change: SituationChange | None = None,
    by: Any = None,
) -> BankAccount:
    _check_text(
        "holder_name", holder_name, max_length=140, required="Le titulaire du compte est obligatoire."
    )
    compact, bic = normalise_iban(iban)
    change = change or situation_change_open(
        dossier=dossier, kind=ChangeKind.BANK_ACCOUNT, effective_date=valid_from, by=by
    )
    values = {"holder_name": holder_name.strip(), "iban": compact, "bic": bic}
    account = _replace_from(
        BankAccount, key={"dossier": dossier}, valid_from=valid_from, values=values, change=change
    )
    incidents_settle(
        dossier=dossier,
        kind=IncidentKind.RETURNED_PAYMENT,
        on=timezone.localdate(),
        outcome="Nouvelles coordonnées bancaires",
    )
    return account


@transaction.atomic
def child_support_set(
    *,
    dossier: Dossier,
    valid_from: date,
    status: str,
    monthly_amount_set: Decimal | None = None,
    debtor: Person | None = None,
    change: SituationChange | None = None,
    by: Any = None,
) -> ChildSupport:
    _check_choice("status", status, ChildSupportStatus)
    _check_amount("monthly_amount_set", monthly_amount_set, required=status != ChildSupportStatus.NONE)
    change = change or situation_change_open(
        dossier=dossier, kind=ChangeKind.CHILD_SUPPORT, effective_date=valid_from, by=by
    )
    values = {"status": status, "monthly_amount_set": monthly_amount_set, "debtor": debtor}
    return _replace_from(
        ChildSupport, key={"dossier": dossier}, valid_from=valid_from, values=values, change=change
    )
