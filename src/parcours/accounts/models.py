"""Users with one role each, their territory, and the append-only audit log."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone

from parcours.core.append_only import AppendOnlyModel


class Role(models.TextChoices):
    PARENT = "parent", "Parent allocataire"
    AGENT_PRESTATIONS = "agent_prestations", "Agent prestations"
    AGENT_ARIPA = "agent_aripa", "Agent ARIPA"
    TRAVAILLEUR_SOCIAL = "travailleur_social", "Travailleur social"
    MANAGER = "manager", "Manager"
    PARTNER = "partenaire", "Structure partenaire"
    ADMIN = "admin", "Administrateur"


STAFF_ROLES = (
    Role.AGENT_PRESTATIONS,
    Role.AGENT_ARIPA,
    Role.TRAVAILLEUR_SOCIAL,
    Role.MANAGER,
    Role.ADMIN,
)


class User(AbstractUser):
    role = models.CharField("rôle", max_length=30, choices=Role.choices, default=Role.PARENT)
    departement = models.CharField(
        "territoire (département)",
        max_length=3,
        blank=True,
        help_text="Département de la Caf de rattachement ; vide pour un administrateur national.",
    )
    person = models.OneToOneField(
        "households.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="account",
        verbose_name="personne (pour un parent)",
    )

    class Meta:
        verbose_name = "utilisateur"

    @property
    def is_staff_role(self) -> bool:
        return self.role in STAFF_ROLES


# What each audited action means, in French (the audit log's page, the admin).
AUDIT_ACTIONS = {
    "dossier.read": "Consultation d'un dossier",
    "dossier.read_refused": "Consultation d'un dossier refusée",
    "demande.read_refused": "Consultation d'une déclaration refusée",
    "adresse_confidentielle.read": "Consultation d'une adresse confidentielle",
    "titre_request.read_refused": "Consultation d'une demande de titre refusée",
    "titre.decide": "Décision sur une demande de titre exécutoire",
    "ifpa.suspense_resolve": "Affectation d'un versement du compte d'attente",
    "ifpa.suspense_refund": "Remboursement d'un versement du compte d'attente",
    "ifpa.end": "Fin d'une intermédiation",
    "ifpa.reactivate": "Reprise d'une intermédiation",
    "page.read": "Consultation d'une page",
    "admin.read": "Consultation dans l'administration",
    "callback.read": "Consultation d'une demande de rappel",
    "social.signalement": "Signalement d'une famille au service social",
    "social.accompagnement": "Acte sur un accompagnement social",
    "social.reattribution": "Réattribution d'un accompagnement social",
    "social.note_ecrite": "Écriture d'une note sociale confidentielle",
    "social.notes_lues": "Lecture des notes sociales confidentielles",
    "social.orientation": "Orientation vers un partenaire",
    "parentalite.reservation": "Réservation d'une séance de soutien à la parentalité",
    "parentalite.annulation": "Annulation d'une séance de soutien à la parentalité",
    "parentalite.presence": "Présence à une séance de soutien à la parentalité",
    "parentalite.orientation": "Orientation après les séances de soutien à la parentalité",
    "aide.demande": "Demande d'aide financière individuelle",
    "aide.decision": "Décision de la commission sur une aide financière",
    "aide.retrait": "Retrait d'une demande d'aide financière",
    "aide.versement": "Versement d'aides financières",
    "aide.budget": "Budget des aides financières",
}


class AuditEntry(AppendOnlyModel):
    """Who read or did what on which dossier, when, and why. Never updated nor deleted."""

    append_only_message = "Le journal d'audit est en ajout seul."

    at = models.DateTimeField("date", default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", verbose_name="auteur"
    )
    actor_role = models.CharField("rôle", max_length=30)
    action = models.CharField("action", max_length=50)
    dossier = models.ForeignKey(
        "households.Dossier", null=True, on_delete=models.PROTECT, related_name="+", verbose_name="dossier"
    )
    object_type = models.CharField("objet", max_length=50, blank=True)
    object_id = models.CharField("identifiant", max_length=50, blank=True)
    context = models.CharField("contexte", max_length=200, blank=True)
    allowed = models.BooleanField("autorisé", default=True)
    # The territory whose managers see the entry: the dossier's, else what was read belongs to
    # (a bank line of the Caf's account), else the actor's. Empty on entries written before it.
    departement = models.CharField("territoire", max_length=3, blank=True, db_index=True)

    class Meta:
        verbose_name = "entrée du journal d'audit"
        verbose_name_plural = "journal d'audit"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["dossier", "at"]), models.Index(fields=["actor", "at"])]

    @property
    def action_label(self) -> str:
        return AUDIT_ACTIONS.get(self.action, self.action)

    @property
    def role_label(self) -> str:
        return dict(Role.choices).get(self.actor_role, self.actor_role or "—")
