"""JSON API of the rights engine, mounted under /api/v1/."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.security import django_auth
from pydantic import field_validator, model_validator

from .engine import BENEFITS, RightsResult, compute
from .facts import RESOURCE_VARIABLES, HouseholdFacts, PersonFacts

router = Router(tags=["droits"])
MONTH_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
INSEE_RE = re.compile(r"^(\d{5}|2[AB]\d{3})$")
MAX_MONTHS = 60


def _amount(value: Decimal) -> Decimal:
    if value < 0:
        raise ValueError("Le montant ne peut pas être négatif.")
    if value != value.quantize(Decimal("0.01")):
        raise ValueError("Le montant a au plus deux décimales.")
    return value


class PersonIn(Schema):
    id: str = Field(..., min_length=1, max_length=30, description="Identifiant libre, unique dans la requête")
    role: Literal["parent", "child"] = Field(
        ..., description="parent (allocataire ou conjoint) ou child (enfant)"
    )
    birth_date: date = Field(..., description="Date de naissance, AAAA-MM-JJ")
    resources: dict[str, dict[str, Decimal]] = Field(
        default_factory=dict,
        description="Ressources mensuelles par nature puis par mois AAAA-MM ; un mois absent est un mois "
        "sans cette ressource. Les prestations regardent de janvier N-2 au mois du calcul. Natures : "
        + ", ".join(RESOURCE_VARIABLES)
        + ". Le net imposable (salaire_imposable, chomage_imposable, retraite_imposable) est déduit du "
        "net quand il n'est pas donné ; un mois où seul l'imposable est donné, le net est celui "
        "qu'openfisca-france en calcule.",
        max_length=len(RESOURCE_VARIABLES),
    )
    alternating_custody: bool = Field(False, description="Enfant en résidence alternée")
    disability_rate: int | None = Field(None, ge=0, le=100, description="Taux d'incapacité (%)")
    student: bool = Field(False, description="Étudiant")

    @field_validator("resources")
    @classmethod
    def check_resources(cls, value: dict[str, dict[str, Decimal]]) -> dict[str, dict[str, Decimal]]:
        for kind, by_month in value.items():
            if kind not in RESOURCE_VARIABLES:
                raise ValueError(f"Nature de ressource inconnue : {kind}.")
            if len(by_month) > MAX_MONTHS:
                raise ValueError(f"Au plus {MAX_MONTHS} mois par nature de ressource.")
            for month, amount in by_month.items():
                if not MONTH_RE.match(month):
                    raise ValueError(f"Mois invalide « {month} » : format AAAA-MM attendu.")
                _amount(amount)
        return value


class HousingIn(Schema):
    status: Literal["tenant", "owner", "buyer", "hosted"] = Field(..., description="Statut d'occupation")
    rent: Decimal = Field(Decimal("0"), description="Loyer mensuel (ou mensualité d'accession), en euros")
    commune_insee: str = Field("75056", description="Code commune INSEE")

    @field_validator("rent")
    @classmethod
    def check_rent(cls, value: Decimal) -> Decimal:
        return _amount(value)

    @field_validator("commune_insee")
    @classmethod
    def check_insee(cls, value: str) -> str:
        if not INSEE_RE.match(value):
            raise ValueError("Le code commune INSEE comporte 5 caractères (ex. 91228 ou 2A004).")
        return value


class ChildSupportIn(Schema):
    status: Literal["none", "set_paid", "set_unpaid", "debtor_unable"] = "none"
    received_monthly: Decimal = Field(Decimal("0"), description="Pension effectivement reçue ce mois-ci")
    months_without_pension_set: int | None = Field(
        None, ge=0, description="Mois écoulés sans pension fixée (règle des 4 mois de l'ASF)"
    )

    @field_validator("received_monthly")
    @classmethod
    def check_received(cls, value: Decimal) -> Decimal:
        return _amount(value)


class SimulationIn(Schema):
    month: str = Field(..., description="Mois du calcul, AAAA-MM")
    couple: bool = False
    persons: list[PersonIn] = Field(..., min_length=1, max_length=20)
    housing: HousingIn
    child_support: ChildSupportIn = Field(default_factory=ChildSupportIn)

    @field_validator("month")
    @classmethod
    def check_month(cls, value: str) -> str:
        if not MONTH_RE.match(value):
            raise ValueError("Le mois doit être au format AAAA-MM.")
        if not "2019-01" <= value <= "2030-12":
            raise ValueError("Le mois doit être compris entre 2019-01 et 2030-12.")
        return value

    @model_validator(mode="after")
    def check_household(self) -> SimulationIn:
        parents = [p for p in self.persons if p.role == "parent"]
        if len({p.id for p in self.persons}) != len(self.persons):
            raise ValueError("Chaque personne doit avoir un identifiant différent.")
        if len(parents) != (2 if self.couple else 1):
            raise ValueError("Un couple compte deux parents, une personne seule un parent.")
        month_end = date.fromisoformat(f"{self.month}-28")
        if any(p.birth_date > month_end for p in self.persons):
            raise ValueError("Une personne ne peut pas être née après le mois du calcul.")
        return self

    def to_facts(self) -> HouseholdFacts:
        support = self.child_support
        received = support.received_monthly
        first_parent = next(p.id for p in self.persons if p.role == "parent")
        persons = []
        for p in self.persons:
            resources = {kind: dict(months) for kind, months in p.resources.items()}
            if p.id == first_parent and received and "pensions_alimentaires_percues" not in resources:
                # The pension received this month is a resource of the parent who receives it.
                resources["pensions_alimentaires_percues"] = {self.month: received}
            persons.append(
                PersonFacts(
                    id=p.id,
                    role=p.role,
                    birth_date=p.birth_date,
                    resources=resources,
                    alternating_custody=p.alternating_custody,
                    disability_rate=p.disability_rate,
                    student=p.student,
                )
            )
        return HouseholdFacts(
            month=self.month,
            couple=self.couple,
            persons=tuple(persons),
            housing_status=self.housing.status,
            rent=self.housing.rent,
            commune_insee=self.housing.commune_insee,
            child_support_status=support.status,
            child_support_received=received,
            months_without_pension_set=support.months_without_pension_set,
        )


class AsfChildOut(Schema):
    person_id: str
    kind: str
    paid: bool
    explanation: str


class SimulationOut(Schema):
    month: str
    benefits: dict[str, str] = Field(
        ..., description="Montants versés pour le mois (nets de CRDS, seuils appliqués)"
    )
    benefits_gross: dict[str, str] = Field(
        ..., description="Montants des variables openfisca-france de même nom"
    )
    total: str
    explanations: dict[str, list[str]]
    asf_children: list[AsfChildOut]


def result_payload(result: RightsResult) -> dict:
    return {
        "month": result.month,
        "benefits": {name: f"{result.benefits[name]:.2f}" for name in BENEFITS},
        "benefits_gross": {name: f"{result.benefits_gross[name]:.2f}" for name in BENEFITS},
        "total": f"{result.total:.2f}",
        "explanations": result.explanations,
        "asf_children": [c.__dict__ for c in result.asf_children],
    }


@router.post(
    "/simulations/rights",
    response=SimulationOut,
    summary="Simuler les droits d'un foyer pour un mois",
    description="Calcule ASF, AF, CF, ARS, RSA, prime d'activité, aides au logement, AAH et AEEH avec "
    "openfisca-france, et la nature de l'ASF par enfant.",
)
def simulate_rights(request: HttpRequest, payload: SimulationIn) -> dict:
    return result_payload(compute([payload.to_facts()])[0])


class RevisionOut(Schema):
    benefit: str
    amount: str
    previous_amount: str | None
    registry_version: int
    computed_at: str
    source: str


class MonthRightsOut(Schema):
    month: str
    due: dict[str, str]
    rappels: dict[str, str] = Field(
        ..., description="Sommes dues à la famille après révision, par prestation"
    )
    indus: dict[str, str] = Field(..., description="Sommes versées en trop après révision, par prestation")
    revisions: list[RevisionOut]


class PeriodIn(Schema):
    from_month: str = Field(..., alias="from", description="Premier mois, AAAA-MM")
    to_month: str = Field(..., alias="to", description="Dernier mois, AAAA-MM")

    @model_validator(mode="after")
    def check_period(self) -> PeriodIn:
        for value in (self.from_month, self.to_month):
            if not MONTH_RE.match(value):
                raise ValueError("Les mois doivent être au format AAAA-MM.")
        if self.to_month < self.from_month:
            raise ValueError("Le mois de fin doit suivre le mois de début.")
        return self


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


@router.get(
    "/households/{numero}/rights",
    response=list[MonthRightsOut],
    auth=django_auth,
    summary="Droits, révisions, rappels et indus d'un dossier",
    description="`numero` est le numéro allocataire. Accès selon le rôle et le territoire ; "
    "chaque consultation par un agent est tracée dans le journal d'audit.",
)
def household_rights(request: HttpRequest, numero: str, period: Query[PeriodIn]) -> list[dict]:
    from parcours.accounts.access import dossier_for_user

    from .selectors import rights_timeline

    dossier = dossier_for_user(request.user, numero, context="API droits")
    return [
        {
            "month": entry.month,
            "due": {k: _money(v) for k, v in entry.due.items()},
            "rappels": {k: _money(v) for k, v in entry.rappels.items()},
            "indus": {k: _money(v) for k, v in entry.indus.items()},
            "revisions": [
                {
                    "benefit": r.benefit,
                    "amount": _money(r.amount),
                    "previous_amount": _money(r.previous_amount),
                    "registry_version": r.registry_version,
                    "computed_at": r.computed_at.isoformat(),
                    "source": r.source,
                }
                for r in entry.revisions
            ],
        }
        for entry in rights_timeline(dossier, period.from_month, period.to_month)
    ]
