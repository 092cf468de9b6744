"""The titres that fix a pension: a judgment, a divorce agreement, a notarial deed, or the Caf's own
titre exécutoire (CSS L582-2). A titre is a record of a document: written once, never changed; a
new decision is a new titre."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from parcours.core.transitions import TransitionLog

from .lifecycle import TITRE_REQUEST


class TitreKind(models.TextChoices):
    JUGEMENT = "jugement", "Jugement ou ordonnance du juge aux affaires familiales"
    DIVORCE = "divorce", "Convention de divorce par consentement mutuel"
    ACTE_NOTARIE = "acte_notarie", "Acte notarié"
    TRANSACTION = "transaction", "Transaction ou acte d'avocats homologué"
    TITRE_CAF = "titre_caf", "Titre exécutoire délivré par la Caf"


class Arrangement(models.TextChoices):
    """Time the child spends with the debtor (the columns of both scales, DOMAIN.md §2)."""

    REDUIT = "reduit", "Droit de visite réduit (moins d'un quart du temps)"
    CLASSIQUE = "classique", "Droit de visite et d'hébergement classique"
    ALTERNE = "alterne", "Résidence alternée"


class Titre(models.Model):
    reference = models.CharField("référence", max_length=30, unique=True)
    kind = models.CharField("nature", max_length=20, choices=TitreKind.choices)
    issued_on = models.DateField("date du titre")
    start_on = models.DateField("pension due à partir du")
    end_on = models.DateField("fin de la pension", null=True, blank=True)
    debtor = models.ForeignKey(
        "households.Person", on_delete=models.PROTECT, related_name="+", verbose_name="parent débiteur"
    )
    creditor = models.ForeignKey(
        "households.Person", on_delete=models.PROTECT, related_name="+", verbose_name="parent créancier"
    )
    creditor_dossier = models.ForeignKey(
        "households.Dossier", on_delete=models.PROTECT, related_name="titres_as_creditor"
    )
    debtor_dossier = models.ForeignKey(
        "households.Dossier", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Revaluation (DOMAIN.md §5): the index stated in the titre, applied on each anniversary.
    revaluation_index = models.CharField("indice de revalorisation", max_length=40, default="001763852")
    revaluation_anniversary = models.DateField("première date de revalorisation")
    # CSS L582-1: no intermediation when both parents refused it in the titre or the judge excluded
    # it — except when violence is recorded, where neither applies.
    intermediation_refused = models.BooleanField("intermédiation refusée par les deux parents", default=False)
    judge_excluded = models.BooleanField("intermédiation écartée par le juge", default=False)
    violence = models.BooleanField("violences (plainte, condamnation ou décision de justice)", default=False)
    debtor_monthly_resources = models.DecimalField(
        "ressources mensuelles du débiteur (€)", max_digits=10, decimal_places=2, null=True, blank=True
    )
    recorded_at = models.DateTimeField("enregistré le", default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        db_table = "child_support_titre"
        verbose_name = "titre fixant une pension"
        verbose_name_plural = "titres fixant une pension"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} du {self.issued_on:%d/%m/%Y}"


class TitreChild(models.Model):
    titre = models.ForeignKey(Titre, on_delete=models.PROTECT, related_name="children")
    child = models.ForeignKey("households.Person", on_delete=models.PROTECT, related_name="+")
    monthly_amount = models.DecimalField("pension mensuelle (€)", max_digits=9, decimal_places=2)
    arrangement = models.CharField(
        "droit de visite et d'hébergement", max_length=20, choices=Arrangement.choices
    )

    class Meta:
        db_table = "child_support_titrechild"
        verbose_name = "enfant du titre"
        verbose_name_plural = "enfants du titre"
        constraints = [models.UniqueConstraint(fields=["titre", "child"], name="titre_child_once")]


class TitreRequestStatus(models.TextChoices):
    AWAITING_SIGNATURE = "a_signer", "En attente de la signature de l'autre parent"
    SUBMITTED = "deposee", "Déposée, en cours d'examen"
    ACCEPTED = "acceptee", "Acceptée : titre délivré"
    ACCEPTED_BY_SILENCE = "acceptee_silence", "Acceptée (quatre mois sans réponse) : titre délivré"
    REFUSED = "refusee", "Refusée"
    WITHDRAWN = "retiree", "Retirée par un parent"


class TitreRequest(models.Model):
    """The joint request of two unmarried parents for a Caf titre exécutoire (CSS L582-2)."""

    creditor = models.ForeignKey("households.Person", on_delete=models.PROTECT, related_name="+")
    debtor = models.ForeignKey("households.Person", on_delete=models.PROTECT, related_name="+")
    creditor_dossier = models.ForeignKey(
        "households.Dossier", on_delete=models.PROTECT, related_name="titre_requests"
    )
    union = models.CharField("vie commune", max_length=20)  # concubinage | pacs | mariage
    debtor_monthly_resources = models.DecimalField(
        "ressources mensuelles du débiteur (€)", max_digits=10, decimal_places=2
    )
    children_dependent_on_debtor = models.PositiveSmallIntegerField("enfants à la charge du débiteur")
    documents_provided = models.JSONField("pièces fournies", default=list)
    refuse_intermediation = models.BooleanField("les deux parents refusent l'intermédiation", default=False)
    creditor_signed_on = models.DateField("signée par le créancier le", null=True, blank=True)
    debtor_signed_on = models.DateField("signée par le débiteur le", null=True, blank=True)
    submitted_on = models.DateField("déposée le", null=True, blank=True)
    status = models.CharField(
        "état",
        max_length=20,
        choices=TitreRequestStatus.choices,
        default=TitreRequestStatus.AWAITING_SIGNATURE,
    )
    decided_on = models.DateField("décidée le", null=True, blank=True)
    reasons = models.JSONField("motifs du refus", default=list)
    titre = models.OneToOneField(
        Titre, null=True, blank=True, on_delete=models.PROTECT, related_name="request"
    )

    class Meta:
        db_table = "child_support_titrerequest"
        verbose_name = "demande de titre exécutoire"
        verbose_name_plural = "demandes de titre exécutoire"
        ordering = ["id"]


class TitreRequestChild(models.Model):
    request = models.ForeignKey(TitreRequest, on_delete=models.PROTECT, related_name="children")
    child = models.ForeignKey("households.Person", on_delete=models.PROTECT, related_name="+")
    monthly_amount = models.DecimalField("pension mensuelle demandée (€)", max_digits=9, decimal_places=2)
    arrangement = models.CharField(
        "droit de visite et d'hébergement", max_length=20, choices=Arrangement.choices
    )
    existing_titre_or_procedure = models.BooleanField("titre ou procédure existant", default=False)

    class Meta:
        db_table = "child_support_titrerequestchild"


class TitreDocument(models.Model):
    """A piece sent with a titre request (CSS R582-2; its code is a key of rules.DOCUMENT_LABELS).
    The file lives outside the web root under a random name (core/uploads.py); it is served to the
    requesting parent and to the ARIPA agents of the creditor's territory only."""

    request = models.ForeignKey(TitreRequest, on_delete=models.PROTECT, related_name="documents")
    code = models.CharField("pièce", max_length=40)
    original_name = models.CharField("nom du fichier", max_length=200)
    stored_path = models.CharField(max_length=300, unique=True)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField("taille (octets)")
    # The parent's account; empty when the pieces were brought to the Caf's counter.
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("envoyée le", default=timezone.now)

    class Meta:
        verbose_name = "pièce d'une demande de titre exécutoire"
        verbose_name_plural = "pièces des demandes de titre exécutoire"
        ordering = ["uploaded_at", "id"]


class TitreRequestTransition(TransitionLog):
    """Every change of a titre request's state (core/transitions.py). A parent who acts is named
    (`person`): a parent may sign or withdraw at the Caf's counter, without an account."""

    workflow = TITRE_REQUEST
    subject_field = "request"

    request = models.ForeignKey(TitreRequest, on_delete=models.PROTECT, related_name="transitions")
    person = models.ForeignKey(
        "households.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="parent",
    )

    class Meta(TransitionLog.Meta):
        verbose_name = "changement d'état d'une demande de titre"
        verbose_name_plural = "changements d'état des demandes de titre"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(by__isnull=False)
                | ~models.Q(system_actor="")
                | models.Q(person__isnull=False),
                name="titres_titrerequesttransition_author",
            )
        ]
