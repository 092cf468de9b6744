"""JSON API of the rights engine, mounted under /api/v1/."""

from __future__ import annotations

import calendar
import re
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.utils.timezone import localdate
from ninja import Field, Query, Router, Schema
from ninja.security import django_auth
from pydantic import BeforeValidator, ValidationInfo, WithJsonSchema, field_validator, model_validator

from parcours.core.api_errors import INPUT_ERRORS, ErrorOut
from parcours.core.api_inputs import CommuneCode, Money, Month, birth_date_error, checked_month
from parcours.core.rate_limits import RATE_LIMIT_ERRORS, ClientRateThrottle

from .engine import BENEFITS, RightsResult, compute
from .facts import RESOURCE_VARIABLES, HouseholdFacts, PersonFacts

router = Router(tags=["droits"])
MAX_MONTHS = 60
# The oldest child a benefit of this API can count. DOMAIN.md gives the ASF's (under 20, like the
# prestations familiales, CSS R512-2); the widest are the RSA's (a child under 25, CASF R262-3)
# and the prime d'activité's, which openfisca-france follows. Decision: a "child" aged more than
# 25 on the first day of the month computed (openfisca's `age` is taken on that day) is an input
# error, refused in French rather than silently counted by no benefit.
MAX_CHILD_AGE = 25


def _age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _echo(text: str) -> str:
    """A refused key, quoted back only when short and printable (never a whole payload)."""
    return text if len(text) <= 40 and text.isprintable() else "(illisible)"


class PersonIn(Schema):
    id: str = Field(..., min_length=1, max_length=30, description="Identifiant libre, unique dans la requête")
    role: Literal["parent", "child"] = Field(
        ..., description="parent (allocataire ou conjoint) ou child (enfant)"
    )
    birth_date: date = Field(..., description="Date de naissance, AAAA-MM-JJ")
    resources: dict[str, dict[str, Money]] = Field(
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

    @field_validator("birth_date")
    @classmethod
    def check_birth_date(cls, value: date, info: ValidationInfo) -> date:
        # A child may be expected (born after today, within a future month computed); a parent not.
        today = None if info.data.get("role") == "child" else localdate()
        error = birth_date_error(value, today=today)
        if error:
            raise ValueError(error)
        return value

    @field_validator("resources")
    @classmethod
    def check_resources(cls, value: dict[str, dict[str, Decimal]]) -> dict[str, dict[str, Decimal]]:
        # The amounts are already checked (Money); the natures and months here, echoed only when short.
        for kind, by_month in value.items():
            if kind not in RESOURCE_VARIABLES:
                raise ValueError(f"Nature de ressource inconnue « {_echo(kind)} ».")
            if len(by_month) > MAX_MONTHS:
                raise ValueError(f"Au plus {MAX_MONTHS} mois par nature de ressource.")
            for month in by_month:
                try:
                    checked_month(month)
                except ValueError:
                    raise ValueError(f"Le mois « {_echo(month)} » n'est pas au format AAAA-MM.") from None
        return value


class HousingIn(Schema):
    status: Literal["tenant", "owner", "buyer", "hosted"] = Field(..., description="Statut d'occupation")
    rent: Money = Field(Decimal("0"), description="Loyer mensuel (ou mensualité d'accession), en euros")
    commune_insee: CommuneCode = Field(
        "75056", description="Code commune INSEE, de la liste des communes des zones d'aide au logement"
    )


class ChildSupportIn(Schema):
    status: Literal["none", "set_paid", "set_unpaid", "debtor_unable"] = "none"
    received_monthly: Money = Field(Decimal("0"), description="Pension effectivement reçue ce mois-ci")
    months_without_pension_set: int | None = Field(
        None, ge=0, description="Mois écoulés sans pension fixée (règle des 4 mois de l'ASF)"
    )


class SimulationIn(Schema):
    month: Month = Field(..., description="Mois du calcul, AAAA-MM")
    couple: bool = False
    persons: list[PersonIn] = Field(..., min_length=1, max_length=20)
    housing: HousingIn
    child_support: ChildSupportIn = Field(default_factory=ChildSupportIn)

    @field_validator("month")
    @classmethod
    def check_month(cls, value: str) -> str:
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
        first = date.fromisoformat(f"{self.month}-01")
        month_end = first.replace(day=calendar.monthrange(first.year, first.month)[1])
        if any(p.birth_date > month_end for p in self.persons):
            raise ValueError("Une personne ne peut pas être née après le mois du calcul.")
        for p in self.persons:
            if p.role == "child" and _age_on(p.birth_date, first) > MAX_CHILD_AGE:
                raise ValueError(
                    f"Un enfant a au plus {MAX_CHILD_AGE} ans au mois du calcul : aucune prestation ne "
                    f"compte comme enfant une personne plus âgée (personne « {_echo(p.id)} »)."
                )
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
    response={200: SimulationOut, **INPUT_ERRORS, **RATE_LIMIT_ERRORS},
    throttle=ClientRateThrottle("rights-simulation"),
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
    from_month: Month = Field(..., alias="from", description="Premier mois, AAAA-MM")
    to_month: Month = Field(..., alias="to", description="Dernier mois, AAAA-MM")

    @model_validator(mode="after")
    def check_period(self) -> PeriodIn:
        if self.to_month < self.from_month:
            raise ValueError("Le mois de fin doit suivre le mois de début.")
        return self


NUMERO_RE = re.compile(r"[0-9]{7}\Z")  # ASCII digits only (the model's \d also takes other scripts' digits)


def checked_numero(value: Any) -> str:
    """A numéro allocataire is 7 digits: anything else is refused before the database is asked
    (PostgreSQL refuses a NUL character in a query's text, a 500 on that database only)."""
    if not isinstance(value, str) or not NUMERO_RE.match(value):
        raise ValueError("Le numéro allocataire comporte 7 chiffres.")
    return value


NumeroAllocataire = Annotated[
    str,
    BeforeValidator(checked_numero),
    WithJsonSchema({"type": "string", "pattern": r"^[0-9]{7}$", "example": "9100001"}),
]


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


@router.get(
    "/households/{numero}/rights",
    # 404 for a numéro that does not exist and for a dossier the user may not see alike.
    response={200: list[MonthRightsOut], 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    auth=django_auth,
    summary="Droits, révisions, rappels et indus d'un dossier",
    description="`numero` est le numéro allocataire. Accès selon le rôle et le territoire ; "
    "chaque consultation par un agent est tracée dans le journal d'audit.",
)
def household_rights(request: HttpRequest, numero: NumeroAllocataire, period: Query[PeriodIn]) -> list[dict]:
    from parcours.households.access import dossier_for_user

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
