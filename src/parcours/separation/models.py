"""A declaration of separation is a demande with a lifecycle, its transitions and its messages."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from parcours.core.transitions import TransitionLog

from .lifecycle import A_RAPPELER, BROUILLON, CALLBACK, CALLBACK_OUTCOMES, DEMANDE, INVITATION, STATES


class Residence(models.TextChoices):
    CHEZ_MOI = "chez_moi", "Chez moi"
    CHEZ_AUTRE = "chez_autre", "Chez l'autre parent"
    ALTERNEE = "alternee", "En résidence alternée"


class ChildSupportSituation(models.TextChoices):
    NONE = "aucune", "Aucune pension n'est fixée"
    AGREEMENT = "accord", "Un accord entre nous fixe une pension"
    JUDGMENT = "jugement", "Un jugement fixe une pension"
    PROCEDURE = "procedure", "Une procédure est en cours"
    UNPAID = "impayee", "Une pension est fixée mais n'est pas (ou mal) payée"


class Visiting(models.TextChoices):
    """The visiting arrangement, as the Justice reference table names it (DOMAIN.md §2a)."""

    REDUIT = "reduit", "Droit de visite réduit (moins d'un quart du temps)"
    CLASSIQUE = "classique", "Droit de visite classique (un week-end sur deux, moitié des vacances)"
    ALTERNE = "alterne", "Résidence alternée"


class Demande(models.Model):
    dossier = models.ForeignKey("households.Dossier", on_delete=models.PROTECT, related_name="demandes")
    declarant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="demandes")
    state = models.CharField("état", max_length=20, choices=list(STATES.items()), default=BROUILLON)
    created_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    separation_date = models.DateField("date de la séparation", null=True, blank=True)
    leaving = models.ForeignKey(
        "households.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="parent qui quitte le logement",
    )
    children = models.JSONField("résidence des enfants", default=dict, blank=True)  # person id -> Residence
    new_street = models.CharField("nouvelle adresse", max_length=200, blank=True)
    new_postcode = models.CharField("code postal", max_length=5, blank=True)
    new_commune_insee = models.CharField("code commune INSEE", max_length=5, blank=True)
    new_commune_name = models.CharField("commune", max_length=100, blank=True)
    new_address_confidential = models.BooleanField("adresse confidentielle", default=False)
    child_support = models.CharField(
        "pension alimentaire",
        max_length=20,
        choices=ChildSupportSituation.choices,
        default=ChildSupportSituation.NONE,
    )
    child_support_amount = models.DecimalField(
        "montant mensuel (€)", max_digits=9, decimal_places=2, null=True, blank=True
    )
    new_dossier = models.ForeignKey(
        "households.Dossier", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    visiting = models.CharField(
        "droit de visite et d'hébergement",
        max_length=20,
        choices=Visiting.choices,
        default=Visiting.CLASSIQUE,
    )
    new_iban = models.CharField("nouveau compte bancaire (IBAN)", max_length=34, blank=True)
    # The furthest step of the declaration the parent reached (forms.STEPS): where a draft resumes.
    draft_step = models.CharField("étape atteinte", max_length=20, blank=True)

    class Meta:
        verbose_name = "déclaration de séparation"
        verbose_name_plural = "déclarations de séparation"
        ordering = ["submitted_at", "id"]

    def __str__(self) -> str:
        return f"Déclaration n° {self.pk} — {STATES[self.state]}"

    @property
    def state_label(self) -> str:
        return STATES[self.state]


class DemandeTransition(TransitionLog):
    """Every change of a demande's state (`core.transitions`): who, when, from, to, why."""

    workflow = DEMANDE
    subject_field = "demande"

    demande = models.ForeignKey(Demande, on_delete=models.PROTECT, related_name="transitions")

    class Meta(TransitionLog.Meta):
        verbose_name = "changement d'état d'une déclaration"
        verbose_name_plural = "changements d'état des déclarations"


class Message(models.Model):
    """A message between the parent and the agent; a private note is never shown to the parent."""

    demande = models.ForeignKey(Demande, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField("message")
    private = models.BooleanField("note interne", default=False)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]


class DocumentReview(models.TextChoices):
    A_VERIFIER = "a_verifier", "À vérifier"
    ACCEPTEE = "acceptee", "Acceptée"
    REFUSEE = "refusee", "Refusée"


class Document(models.Model):
    """A document given for a demande; the file lives outside the web root, under a random name."""

    demande = models.ForeignKey(Demande, on_delete=models.CASCADE, related_name="documents")
    code = models.CharField("pièce", max_length=40)
    original_name = models.CharField("nom du fichier", max_length=200)
    stored_path = models.CharField(max_length=300, unique=True)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField("taille (octets)")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    # The agent's check of the document: accepted, or refused with a reason sent back to the parent.
    review = models.CharField(
        "vérification", max_length=20, choices=DocumentReview.choices, default=DocumentReview.A_VERIFIER
    )
    review_reason = models.TextField("motif du refus", blank=True)

    class Meta:
        verbose_name = "pièce justificative"
        verbose_name_plural = "pièces justificatives"
        ordering = ["uploaded_at", "id"]


def goes_with_leaver(demande: Demande, residence: str) -> bool:
    """Whether a child lives with the parent who leaves (the declarant may be that parent)."""
    declarant_leaves = demande.leaving_id is not None and demande.leaving_id == demande.declarant.person_id
    return residence == (Residence.CHEZ_MOI if declarant_leaves else Residence.CHEZ_AUTRE)


class Invitation(models.Model):
    """The other parent is asked to confirm or contest the facts that concern them. They never see
    the declarant's new address."""

    class State(models.TextChoices):
        PENDING = "en_attente", "En attente de réponse"
        CONFIRMED = "confirmee", "Confirmée"
        CONTESTED = "contestee", "Contestée"

    demande = models.ForeignKey(Demande, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey("households.Person", on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=20, choices=State.choices, default=State.PENDING)
    comment = models.TextField("commentaire", blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["demande", "person"], name="one_invitation_per_person")
        ]


class InvitationTransition(TransitionLog):
    """The other parent's answer (`core.transitions`): who, when, confirmed or contested, why."""

    workflow = INVITATION
    subject_field = "invitation"

    invitation = models.ForeignKey(Invitation, on_delete=models.PROTECT, related_name="transitions")

    class Meta(TransitionLog.Meta):
        verbose_name = "réponse de l'autre parent"
        verbose_name_plural = "réponses de l'autre parent"


class InfoTopic(models.Model):
    """A démarche or a service shown on the "s'informer" page, editable by the Caf in the admin."""

    code = models.SlugField(unique=True)
    title = models.CharField("titre", max_length=200)
    body = models.TextField("texte")
    link_url = models.URLField("lien", blank=True)
    link_label = models.CharField("libellé du lien", max_length=100, blank=True)
    order = models.PositiveIntegerField("ordre", default=100)
    unions = models.CharField(
        "situations concernées",
        max_length=60,
        blank=True,
        help_text="mariage, pacs, concubinage ; vide : toutes",
    )
    children_only = models.BooleanField("seulement avec enfants", default=False)
    without_decision_only = models.BooleanField("seulement sans jugement ni accord", default=False)
    unsafe_only = models.BooleanField("seulement pour un parent en danger", default=False)

    class Meta:
        verbose_name = "fiche « s'informer »"
        verbose_name_plural = "fiches « s'informer »"
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title


class CallbackRequest(models.Model):
    """A parent who feels unsafe asks to be called back by a trained agent (workflow CALLBACK)."""

    phone = models.CharField("téléphone", max_length=20)
    slot = models.CharField("créneau souhaité", max_length=100, blank=True)
    # The territory whose agents call back: the parent's dossier's, else the Caf's own.
    departement = models.CharField("territoire", max_length=3, default="", db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("demandé le", default=timezone.now)
    state = models.CharField("état", max_length=20, choices=list(CALLBACK.states.items()), default=A_RAPPELER)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="pris en charge par",
    )
    outcome = models.CharField("résultat", max_length=20, choices=list(CALLBACK_OUTCOMES.items()), blank=True)
    handled_at = models.DateTimeField("traité le", null=True, blank=True)

    class Meta:
        verbose_name = "demande de rappel"
        verbose_name_plural = "demandes de rappel"
        ordering = ["handled_at", "created_at"]


class CallbackTransition(TransitionLog):
    """Every move of a call-back request: taken by whom, closed with which outcome (reason: the note)."""

    workflow = CALLBACK
    subject_field = "callback"

    callback = models.ForeignKey(CallbackRequest, on_delete=models.PROTECT, related_name="transitions")

    class Meta(TransitionLog.Meta):
        verbose_name = "suivi d'une demande de rappel"
        verbose_name_plural = "suivis des demandes de rappel"
