"""The household registry: dossiers, persons and their situation over time.

Every fact about a household (who lives in it, where, in which housing, on which resources,
with which bank account, under which child-support arrangement) is an effective-dated record
valid over the half-open period [valid_from, valid_until). A record is never overwritten: a
change of situation is a `SituationChange` that retires the records it replaces (`retired_in`)
and creates the new ones (`created_in`). Reading the current knowledge means "not retired";
reading what was known at version V means "created at or before V and not retired by then".
Both, and "valid on day D", are written once, in `EffectiveDatedQuerySet` (docs/decisions/0002).
"""

from __future__ import annotations

from datetime import date
from typing import Self

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Sex(models.TextChoices):
    FEMALE = "F", "Femme"
    MALE = "M", "Homme"


class ResidenceStatus(models.TextChoices):
    FRENCH = "francais", "Nationalité française"
    EU = "ue", "Ressortissant UE / EEE / Suisse"
    PERMIT = "titre_sejour", "Titre de séjour en cours de validité"
    REFUGEE = "refugie", "Réfugié ou protection subsidiaire"
    NONE = "sans_titre", "Sans titre de séjour"


class Role(models.TextChoices):
    ALLOCATAIRE = "allocataire", "Allocataire"
    CONJOINT = "conjoint", "Conjoint ou conjointe"
    ENFANT = "enfant", "Enfant à charge"
    AUTRE = "autre", "Autre personne à charge"


ADULT_ROLES = (Role.ALLOCATAIRE, Role.CONJOINT)


class Custody(models.TextChoices):
    FULL = "exclusive", "Résidence habituelle dans ce foyer"
    ALTERNATING = "alternee", "Résidence alternée"


class UnionKind(models.TextChoices):
    MARRIAGE = "mariage", "Mariage"
    PACS = "pacs", "PACS"
    COHABITATION = "concubinage", "Union libre (concubinage)"


class HousingStatus(models.TextChoices):
    TENANT = "locataire", "Locataire"
    OWNER = "proprietaire", "Propriétaire"
    BUYER = "accedant", "Accédant à la propriété"
    HOSTED = "heberge", "Hébergé à titre gratuit"


class ResourceKind(models.TextChoices):
    """Monthly declared resources; the codes follow openfisca-france's variable names."""

    SALAIRE_NET = "salaire_net", "Salaire net"
    CHOMAGE_NET = "chomage_net", "Allocation chômage (ARE)"
    RETRAITE_NETTE = "retraite_nette", "Pension de retraite"
    PENSIONS_INVALIDITE = "pensions_invalidite", "Pension d'invalidité"
    INDEMNITES_JOURNALIERES = "indemnites_journalieres", "Indemnités journalières"
    REVENUS_NON_SALARIES = "rpns_micro_entreprise", "Revenus d'activité non salariée"
    PENSION_ALIMENTAIRE_RECUE = "pensions_alimentaires_percues", "Pension alimentaire reçue"
    PENSION_ALIMENTAIRE_VERSEE = "pensions_alimentaires_versees_individu", "Pension alimentaire versée"


class ChildSupportStatus(models.TextChoices):
    """The child-support situation of the parent who has the children (DOMAIN.md §4)."""

    NONE = "none", "Aucune pension fixée"
    SET_PAID = "set_paid", "Pension fixée et versée"
    SET_UNPAID = "set_unpaid", "Pension fixée, impayée ou irrégulière"
    DEBTOR_UNABLE = "debtor_unable", "Débiteur hors d'état de payer"


class ChangeKind(models.TextChoices):
    CREATION = "creation", "Ouverture du dossier"
    COMPOSITION = "composition", "Composition du foyer"
    SEPARATION = "separation", "Séparation"
    ADDRESS = "adresse", "Adresse"
    HOUSING = "logement", "Logement"
    RESOURCES = "ressources", "Ressources"
    BANK_ACCOUNT = "compte_bancaire", "Coordonnées bancaires"
    CHILD_SUPPORT = "pension_alimentaire", "Pension alimentaire"
    UNION = "union", "Vie de couple"


numero_allocataire_validator = RegexValidator(r"^\d{7}$", "Le numéro allocataire comporte 7 chiffres.")


class Dossier(models.Model):
    """The dossier of an allocataire, identified by their Caf number."""

    numero_allocataire = models.CharField(
        "numéro allocataire", max_length=7, unique=True, validators=[numero_allocataire_validator]
    )
    departement = models.CharField("département", max_length=3, db_index=True)
    opened_on = models.DateField("ouvert le")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = "dossier allocataire"
        verbose_name_plural = "dossiers allocataires"
        ordering = ["numero_allocataire"]

    def __str__(self) -> str:
        return f"Dossier {self.numero_allocataire}"


class Person(models.Model):
    first_names = models.CharField("prénoms", max_length=150)
    last_name = models.CharField("nom d'usage", max_length=150)
    birth_name = models.CharField("nom de naissance", max_length=150, blank=True)
    birth_date = models.DateField("date de naissance")
    sex = models.CharField("sexe", max_length=1, choices=Sex.choices)
    residence_status = models.CharField(
        "nationalité / titre de séjour",
        max_length=20,
        choices=ResidenceStatus.choices,
        default=ResidenceStatus.FRENCH,
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = "personne"
        ordering = ["last_name", "first_names", "id"]

    def __str__(self) -> str:
        return f"{self.first_names} {self.last_name}"


class SituationChange(models.Model):
    """One change of situation of a dossier: the unit of versioning of the registry.

    Its id is the version: the registry as known at version V is every record created by a
    change with id <= V and not retired by a change with id <= V.
    """

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="changes")
    kind = models.CharField("nature", max_length=30, choices=ChangeKind.choices)
    effective_date = models.DateField("date d'effet")
    recorded_at = models.DateTimeField("enregistré le", default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField("origine", max_length=30, default="agent")
    note = models.TextField("commentaire", blank=True)

    class Meta:
        verbose_name = "changement de situation"
        verbose_name_plural = "changements de situation"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} au {self.effective_date:%d/%m/%Y}"


def valid_on_q(day: date, *, prefix: str = "") -> Q:
    """ "Valid on `day`": valid_from <= day < valid_until (no end: still valid), the half-open period
    of decision 0002; `prefix` ("memberships__") reads it through a relation."""
    return Q(**{f"{prefix}valid_from__lte": day}) & (
        Q(**{f"{prefix}valid_until__isnull": True}) | Q(**{f"{prefix}valid_until__gt": day})
    )


def known_at_q(version: int | None, *, prefix: str = "") -> Q:
    """The records of the current knowledge (version None: not retired), or of the knowledge at
    `version`: created at or before it and not retired by then."""
    if version is None:
        return Q(**{f"{prefix}retired_in__isnull": True})
    return Q(**{f"{prefix}created_in_id__lte": version}) & (
        Q(**{f"{prefix}retired_in__isnull": True}) | Q(**{f"{prefix}retired_in_id__gt": version})
    )


class EffectiveDatedQuerySet(models.QuerySet):
    """The two readings of the registry's history, written once (decision 0002)."""

    def known_at(self, version: int | None) -> Self:
        """The records known at `version` (None: the current knowledge)."""
        return self.filter(known_at_q(version))

    def current(self) -> Self:
        """The records of the current knowledge: not retired (`known_at(None)`)."""
        return self.known_at(None)

    def valid_on(self, day: date) -> Self:
        """The records whose period [valid_from, valid_until) contains `day`."""
        return self.filter(valid_on_q(day))

    def valid_between(self, start: date, end: date) -> Self:
        """The records whose period meets [start, end): valid_from < end and valid_until > start."""
        return self.filter(Q(valid_from__lt=end) & (Q(valid_until__isnull=True) | Q(valid_until__gt=start)))


class EffectiveDated(models.Model):
    """A fact valid over [valid_from, valid_until), created and possibly retired by changes."""

    valid_from = models.DateField("du")
    valid_until = models.DateField("jusqu'au (exclu)", null=True, blank=True)
    created_in = models.ForeignKey(SituationChange, on_delete=models.PROTECT, related_name="+")
    retired_in = models.ForeignKey(
        SituationChange, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = EffectiveDatedQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        end = f" au {self.valid_until:%d/%m/%Y} (exclu)" if self.valid_until else ""
        return f"{self._meta.verbose_name} du {self.valid_from:%d/%m/%Y}{end}"


class Membership(EffectiveDated):
    """A person living in a dossier's household, in a role, over a period."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField("rôle", max_length=20, choices=Role.choices)
    custody = models.CharField("résidence", max_length=20, choices=Custody.choices, default=Custody.FULL)

    class Meta:
        verbose_name = "membre du foyer"
        verbose_name_plural = "composition du foyer"
        indexes = [
            models.Index(fields=["dossier", "valid_from"]),
            models.Index(fields=["person", "valid_from"]),
        ]


class Union(EffectiveDated):
    """The couple at the head of a dossier: who lived with whom, married, in a PACS or not."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="unions")
    first_person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    second_person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("nature", max_length=20, choices=UnionKind.choices)

    class Meta:
        verbose_name = "vie de couple"
        verbose_name_plural = "vies de couple"
        indexes = [models.Index(fields=["dossier", "valid_from"])]


class Address(EffectiveDated):
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="addresses")
    street = models.CharField("adresse", max_length=200)
    postcode = models.CharField("code postal", max_length=5)
    commune_insee = models.CharField("code commune INSEE", max_length=5)
    commune_name = models.CharField("commune", max_length=100)
    is_confidential = models.BooleanField("adresse confidentielle", default=False)

    class Meta:
        verbose_name = "adresse"
        indexes = [models.Index(fields=["dossier", "valid_from"])]


class Housing(EffectiveDated):
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="housings")
    status = models.CharField("statut d'occupation", max_length=20, choices=HousingStatus.choices)
    monthly_rent = models.DecimalField(
        "loyer mensuel (€)", max_digits=9, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = "logement"
        indexes = [models.Index(fields=["dossier", "valid_from"])]


class Resource(EffectiveDated):
    """A declared monthly resource of a person, of one kind, constant over its period."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="resources")
    kind = models.CharField("nature", max_length=50, choices=ResourceKind.choices)
    monthly_amount = models.DecimalField("montant mensuel (€)", max_digits=10, decimal_places=2)

    class Meta:
        verbose_name = "ressource déclarée"
        verbose_name_plural = "ressources déclarées"
        indexes = [models.Index(fields=["person", "kind", "valid_from"])]


class BankAccount(EffectiveDated):
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="bank_accounts")
    holder_name = models.CharField("titulaire", max_length=140)
    iban = models.CharField("IBAN", max_length=34)
    bic = models.CharField("BIC", max_length=11, blank=True)

    class Meta:
        verbose_name = "compte bancaire"
        verbose_name_plural = "comptes bancaires"
        indexes = [models.Index(fields=["dossier", "valid_from"])]


class ChildSupport(EffectiveDated):
    """The child-support arrangement the dossier's children are owed (creditor side)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="child_supports")
    status = models.CharField("situation", max_length=20, choices=ChildSupportStatus.choices)
    monthly_amount_set = models.DecimalField(
        "montant fixé par mois (€)", max_digits=9, decimal_places=2, null=True, blank=True
    )
    debtor = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "pension alimentaire"
        verbose_name_plural = "pensions alimentaires"
        indexes = [models.Index(fields=["dossier", "valid_from"])]


class QuarterlyDeclaration(models.Model):
    """The quarterly resource declaration (DTR) a household on RSA or prime d'activité owes each
    quarter (households/dtr.py gives the rule and its sources): expected, due on a date, received
    or not. While it is missing after its due date, RSA and prime d'activité of its quarter are
    suspended (`households.dtr.suspended`); received late, they are paid back."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="quarterly_declarations")
    quarter_start = models.DateField("premier mois du trimestre")
    due_on = models.DateField("à retourner au plus tard le")
    received_on = models.DateField("reçue le", null=True, blank=True)
    expected_at = models.DateTimeField("attendue depuis le", default=timezone.now)

    class Meta:
        verbose_name = "déclaration trimestrielle de ressources"
        verbose_name_plural = "déclarations trimestrielles de ressources"
        ordering = ["dossier", "quarter_start"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "quarter_start"], name="one_dtr_per_quarter")
        ]
        indexes = [models.Index(fields=["due_on", "received_on"])]

    def __str__(self) -> str:
        return f"DTR du trimestre commençant en {self.quarter_start:%m/%Y}"


class IncidentKind(models.TextChoices):
    RETURNED_MAIL = "courrier_retourne", "Courrier retourné (n'habite pas à l'adresse indiquée)"
    RETURNED_PAYMENT = "paiement_retourne", "Paiement retourné par la banque"
    RENT_ARREARS = "impaye_loyer", "Signalement d'impayé de loyer"


class Incident(models.Model):
    """Something that came back to the Caf about a dossier and threatens its payments: a letter
    returned by La Poste, a payment returned by the bank, a landlord's notice of rent arrears.
    Open until its cause is settled (a new address, a new bank account, the arrears settled)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="incidents")
    kind = models.CharField("nature", max_length=30, choices=IncidentKind.choices)
    reported_on = models.DateField("signalé le")
    source = models.CharField("origine", max_length=100, blank=True)
    amount = models.DecimalField("montant (€)", max_digits=10, decimal_places=2, null=True, blank=True)
    ended_on = models.DateField("réglé le", null=True, blank=True)
    outcome = models.CharField("issue", max_length=200, blank=True)

    class Meta:
        verbose_name = "incident"
        ordering = ["-reported_on", "-id"]
        indexes = [models.Index(fields=["dossier", "kind", "ended_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} le {self.reported_on:%d/%m/%Y}"
