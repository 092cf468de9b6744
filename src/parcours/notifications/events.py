"""What parcours tells a person, and when: one event per state change they should hear of.

Pure data (no Django). Each event has the e-mail's subject and body, a `str.format` template over
the named `fields` only (a date, an amount, a link to the person's space: never an address, a name
or a reason typed by an agent, which the person reads once logged in), and the SMS text, which has
no field at all: an SMS can be read by whoever holds the phone, so it only says that something new
waits in the person's space.
"""

from __future__ import annotations

import string
from dataclasses import dataclass

SIGNATURE = "\n\nVotre Caf\n\nCe message est envoyé automatiquement : merci de ne pas y répondre."
SMS_MAX = (
    160  # one SMS: at most 160 characters of the GSM 03.38 alphabet (é, è, à, ù are in it; ê, ç are not)
)
GSM_03_38 = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà"
)


@dataclass(frozen=True)
class Event:
    code: str
    label: str  # French: the person's history, the administration's list
    subject: str
    email: str
    sms: str

    @property
    def fields(self) -> frozenset[str]:
        return frozenset(name for _, name, _, _ in string.Formatter().parse(self.email) if name)

    def email_body(self, values: dict[str, str]) -> str:
        missing, extra = self.fields - values.keys(), values.keys() - self.fields
        if missing or extra:
            raise ValueError(f"Event {self.code}: fields {sorted(self.fields)}, given {sorted(values)}.")
        return self.email.format_map(values) + SIGNATURE


def _event(code: str, label: str, subject: str, email: str, sms: str) -> Event:
    if len(sms) > SMS_MAX or not set(sms) <= GSM_03_38:
        raise ValueError(f"Event {code}: an SMS is one message of at most {SMS_MAX} GSM 03.38 characters.")
    return Event(code, label, subject, "Bonjour,\n\n" + email, sms)


DEMANDE_RECUE = "demande_recue"
DEMANDE_EN_INSTRUCTION = "demande_en_instruction"
COMPLEMENT_DEMANDE = "complement_demande"
COMPLEMENT_RECU = "complement_recu"
PIECE_REFUSEE = "piece_refusee"
DEMANDE_VALIDEE = "demande_validee"
DEMANDE_REFUSEE = "demande_refusee"
DEMANDE_CLASSEE = "demande_classee"
PAIEMENT_PROGRAMME = "paiement_programme"
PENSION_VERSEE = "pension_versee"
PENSION_IMPAYEE = "pension_impayee"
ASF_AVANCEE = "asf_avancee"
OFFRE_ACCOMPAGNEMENT = "offre_accompagnement"
SEANCE_RESERVEE = "seance_reservee"
RAPPEL_SEANCE = "rappel_seance"
AIDE_DECIDEE = "aide_decidee"

_SPACE = "\n\nPour la suivre, connectez-vous à votre espace : {lien}"

EVENTS: dict[str, Event] = {
    e.code: e
    for e in (
        _event(
            DEMANDE_RECUE,
            "Déclaration reçue",
            "Votre déclaration de séparation est bien reçue",
            "La Caf a bien reçu votre déclaration de séparation le {date}. Un agent va l'étudier ; "
            "vous serez prévenu à chaque étape." + _SPACE,
            "Caf : votre déclaration de séparation est enregistrée. Suivez-la dans votre espace parcours.",
        ),
        _event(
            DEMANDE_EN_INSTRUCTION,
            "Déclaration en cours d'étude",
            "Votre déclaration de séparation est en cours d'étude",
            "Un agent de la Caf étudie votre déclaration de séparation depuis le {date}." + _SPACE,
            "Caf : votre déclaration de séparation est à l'étude. Suivez-la dans votre espace parcours.",
        ),
        _event(
            COMPLEMENT_DEMANDE,
            "Complément demandé",
            "La Caf a besoin d'un complément pour votre déclaration",
            "Pour continuer l'étude de votre déclaration de séparation, la Caf vous demande un "
            "complément. Le message de l'agent et le bouton « Envoyer mes compléments » sont dans "
            "votre espace : {lien}",
            "Caf : un complément est demandé pour votre déclaration. Détails dans votre espace parcours.",
        ),
        _event(
            COMPLEMENT_RECU,
            "Compléments reçus",
            "Vos compléments sont bien reçus",
            "La Caf a bien reçu vos compléments le {date} ; l'étude de votre déclaration reprend." + _SPACE,
            "Caf : vos compléments sont enregistrés. Suivez votre déclaration dans votre espace parcours.",
        ),
        _event(
            PIECE_REFUSEE,
            "Pièce justificative à remplacer",
            "Une pièce justificative est à remplacer",
            "La pièce « {piece} » n'a pas pu être acceptée. Le motif, et le moyen d'envoyer une "
            "nouvelle pièce, sont dans votre espace : {lien}",
            "Caf : une pièce justificative est à remplacer. Détails dans votre espace parcours.",
        ),
        _event(
            DEMANDE_VALIDEE,
            "Déclaration validée",
            "Votre déclaration est validée : votre notification de droits est disponible",
            "La Caf a pris en compte votre séparation et révisé vos droits. Votre notification de "
            "droits est disponible dans votre espace : {lien}",
            "Caf : votre déclaration est validée. Votre notification de droits est dans votre espace parcours.",
        ),
        _event(
            DEMANDE_REFUSEE,
            "Déclaration refusée",
            "La Caf a rendu sa décision sur votre déclaration",
            "La Caf a étudié votre déclaration de séparation et ne peut pas la prendre en compte. "
            "La décision et son motif sont dans votre espace : {lien}\n\nVous pouvez la contester "
            "dans un délai de deux mois auprès de la commission de recours amiable de votre Caf.",
            "Caf : une décision a été rendue sur votre déclaration. Détails dans votre espace parcours.",
        ),
        _event(
            DEMANDE_CLASSEE,
            "Déclaration classée sans suite",
            "Votre déclaration est classée sans suite",
            "Votre déclaration de séparation est classée sans suite. Le message de la Caf est dans "
            "votre espace : {lien}",
            "Caf : votre déclaration est classée sans suite. Détails dans votre espace parcours.",
        ),
        _event(
            PAIEMENT_PROGRAMME,
            "Paiement programmé",
            "Votre prochain paiement est programmé",
            "La Caf versera {montant} vers le {date}, pour le mois de {mois}. Le détail de vos "
            "droits est dans votre espace : {lien}",
            "Caf : un paiement est programmé. Montant et date dans votre espace parcours.",
        ),
        _event(
            PENSION_VERSEE,
            "Pension versée",
            "La Caf vous a versé la pension alimentaire",
            "La Caf vous a versé {montant} le {date} au titre de la pension alimentaire." + _SPACE,
            "Caf : la pension alimentaire vous a été versée. Détails dans votre espace parcours.",
        ),
        _event(
            PENSION_IMPAYEE,
            "Pension impayée",
            "La pension alimentaire n'a pas été payée",
            "L'autre parent n'a pas payé à son échéance la pension alimentaire : {montant} restent dus. "
            "La Caf l'a mis en demeure le {date} de payer sous 15 jours ; sans paiement, elle récupère "
            "la somme pour vous (recouvrement forcé). Si vous y avez droit, elle vous verse "
            "l'allocation de soutien familial en avance." + _SPACE,
            "Caf : la pension alimentaire n'a pas été payée, la Caf agit. Détails dans votre espace parcours.",
        ),
        _event(
            ASF_AVANCEE,
            "Allocation de soutien familial versée en avance",
            "La Caf vous a versé l'allocation de soutien familial",
            "La pension alimentaire n'ayant pas été payée, la Caf vous a versé {montant} le {date} "
            "d'allocation de soutien familial, en avance. C'est l'autre parent qui la remboursera à la "
            "Caf : vous n'avez rien à faire." + _SPACE,
            "Caf : l'allocation de soutien familial vous a été versée. Détails dans votre espace parcours.",
        ),
        _event(
            OFFRE_ACCOMPAGNEMENT,
            "Proposition d'accompagnement",
            "Un travailleur social de la Caf vous propose un rendez-vous",
            "La Caf vous propose un accompagnement par un travailleur social : un rendez-vous, gratuit, "
            "pour faire le point avec vous. Vous pouvez l'accepter ou le refuser avant le {date}." + _SPACE,
            "Caf : un rendez-vous avec un travailleur social vous est proposé. Détails dans votre espace parcours.",
        ),
        _event(
            SEANCE_RESERVEE,
            "Séance de soutien à la parentalité réservée",
            "Votre séance de soutien à la parentalité est réservée",
            "Votre séance de soutien à la parentalité du {date} est réservée. Le lieu, le professionnel "
            "et votre participation sont indiqués dans votre espace ; vous pouvez y ajouter le rendez-vous "
            "à votre agenda ou l'annuler." + _SPACE.replace("la suivre", "la retrouver"),
            "Caf : votre séance de soutien à la parentalité est réservée. Détails dans votre espace parcours.",
        ),
        _event(
            RAPPEL_SEANCE,
            "Rappel de séance de soutien à la parentalité",
            "Rappel : votre séance de soutien à la parentalité demain",
            "Nous vous rappelons votre séance de soutien à la parentalité du {date}. Si vous ne pouvez "
            "pas venir, annulez-la depuis votre espace pour que la place serve à une autre famille."
            + _SPACE.replace("la suivre", "la retrouver"),
            "Caf : rappel de votre séance de soutien à la parentalité demain. Détails dans votre espace parcours.",
        ),
        _event(
            AIDE_DECIDEE,
            "Décision sur une aide financière",
            "La Caf a décidé de votre demande d'aide financière",
            "La commission de la Caf a examiné la demande d'aide financière faite avec votre travailleur "
            "social. La décision et, si l'aide est accordée, la date du versement sont dans votre espace."
            + _SPACE.replace("la suivre", "la consulter"),
            "Caf : une décision sur votre demande d'aide financière vous attend dans votre espace parcours.",
        ),
    )
}
