"""The kinds of signalement and the offer each calls for (DOMAIN.md §7: the national base's offers
séparation, monoparentalité, décès, impayé de loyer, and the local AJPP and handicap offers).

An offer is sent by letter or e-mail proposing a first meeting, and the family has `answer_days`
to answer; a disclosed violence is never answered by a letter (it could be read by the violent
partner): a social worker calls back, on the number the parent gave, within `answer_days`.

Pure: no Django.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class SignalementKind(StrEnum):
    SEPARATION = "separation"
    MONOPARENTALITE = "monoparentalite"
    DECES_CONJOINT = "deces_conjoint"
    DECES_ENFANT = "deces_enfant"
    IMPAYE_LOYER = "impaye_loyer"
    ENFANT_MALADE = "enfant_malade"
    HANDICAP = "handicap"
    VIOLENCES = "violences"


class Channel(StrEnum):
    WRITTEN = "ecrit"  # a letter, or an e-mail to the parent who has an account
    CALL_BACK = "rappel"  # a social worker calls back


class Origin(StrEnum):
    EVENT = "evenement"  # an event of the registry or of another app
    AGENT = "agent"  # a Caf agent, by hand
    PARTNER = "partenaire"  # a partner structure


ORIGIN_LABELS = {
    Origin.EVENT: "Événement du dossier",
    Origin.AGENT: "Agent de la Caf",
    Origin.PARTNER: "Partenaire",
}


@dataclass(frozen=True)
class Offer:
    kind: SignalementKind
    label: str  # the signalement's reason, as the team reads it
    offer: str  # the offer's name, as the family reads it
    channel: Channel
    answer_days: int
    text: str  # what the letter or the call proposes (French, no personal data)


OFFERS: dict[SignalementKind, Offer] = {
    o.kind: o
    for o in (
        Offer(
            SignalementKind.SEPARATION,
            "Séparation",
            "Accompagnement des parents qui se séparent",
            Channel.WRITTEN,
            30,
            "Une séparation bouleverse l'organisation de la famille. Un travailleur social de la Caf "
            "peut vous recevoir pour faire le point sur vos droits, le logement, la pension "
            "alimentaire et l'organisation de la vie des enfants, et vous orienter vers la médiation "
            "familiale si vous le souhaitez.",
        ),
        Offer(
            SignalementKind.MONOPARENTALITE,
            "Monoparentalité",
            "Accompagnement des parents seuls",
            Channel.WRITTEN,
            30,
            "Élever seul ses enfants demande beaucoup. Un travailleur social de la Caf peut vous "
            "recevoir pour vous aider à concilier vie familiale et vie professionnelle, trouver un "
            "mode d'accueil pour vos enfants et faire valoir vos droits.",
        ),
        Offer(
            SignalementKind.DECES_CONJOINT,
            "Décès du conjoint",
            "Accompagnement après le décès d'un conjoint",
            Channel.WRITTEN,
            45,
            "Nous avons appris le décès de votre conjoint et vous présentons nos sincères "
            "condoléances. Un travailleur social de la Caf peut vous recevoir pour vous aider dans "
            "les démarches et faire le point sur vos droits et ceux de vos enfants.",
        ),
        Offer(
            SignalementKind.DECES_ENFANT,
            "Décès d'un enfant",
            "Accompagnement après le décès d'un enfant",
            Channel.WRITTEN,
            45,
            "Nous avons appris le décès de votre enfant et vous présentons nos sincères "
            "condoléances. Un travailleur social de la Caf peut vous recevoir, si vous le "
            "souhaitez, pour vous soutenir dans les démarches et vous orienter vers un soutien.",
        ),
        Offer(
            SignalementKind.IMPAYE_LOYER,
            "Impayé de loyer",
            "Accompagnement en cas d'impayé de loyer",
            Channel.WRITTEN,
            21,
            "Votre bailleur nous a signalé un impayé de loyer. Un travailleur social de la Caf peut "
            "vous recevoir rapidement pour chercher avec vous une solution (plan d'apurement, aides, "
            "fonds de solidarité logement) et éviter que votre aide au logement ne soit suspendue.",
        ),
        Offer(
            SignalementKind.ENFANT_MALADE,
            "Enfant gravement malade",
            "Accompagnement des parents d'un enfant gravement malade",
            Channel.WRITTEN,
            30,
            "La maladie d'un enfant bouleverse la vie de la famille. Un travailleur social de la Caf "
            "peut vous recevoir pour faire le point sur l'allocation journalière de présence "
            "parentale, l'organisation familiale et les soutiens possibles.",
        ),
        Offer(
            SignalementKind.HANDICAP,
            "Handicap d'un enfant",
            "Accompagnement des parents d'un enfant en situation de handicap",
            Channel.WRITTEN,
            30,
            "Un travailleur social de la Caf peut vous recevoir pour faire le point sur vos droits "
            "(allocation d'éducation de l'enfant handicapé), l'accueil de votre enfant en crèche ou "
            "en accueil de loisirs et les solutions de répit.",
        ),
        Offer(
            SignalementKind.VIOLENCES,
            "Violences conjugales",
            "Rappel par un travailleur social",
            Channel.CALL_BACK,
            2,
            "Un travailleur social formé rappelle le parent, au numéro et au moment qu'il a "
            "indiqués, sans laisser de message. Aucun courrier n'est envoyé.",
        ),
    )
}

KIND_CHOICES = [(o.kind.value, o.label) for o in OFFERS.values()]
