"""Individual parenting support, as rules (decision 0016): a session booked (réservée) becomes
seen (vue), excused (excusée) or a no-show (absente) when the structure records the attendance,
or is cancelled (annulée) before it starts; at most five sessions per family; children aged 0 to
21 on the session day; after the fifth session seen, an orientation.

Pure: no Django.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from parcours.core.workflow import SYSTEM, Transition, Workflow

PARENT = "parent"
WORKER = "travailleur_social"
PARTNER = "partenaire"

SESSION_MINUTES = 60  # "about an hour" (DOMAIN.md §7): one-hour slots
MAX_SESSIONS = 5  # 1 to 5 sessions per family (DOMAIN.md §7)
CHILD_MAX_AGE = 21  # parents of children aged 0–21 (DOMAIN.md §7)

RESERVEE = "reservee"
VUE = "vue"
EXCUSEE = "excusee"
ABSENTE = "absente"
ANNULEE = "annulee"

BOOKING = Workflow.declare(
    name="seance_parentalite",
    field="state",
    states={
        RESERVEE: "Réservée",
        VUE: "Séance tenue",
        EXCUSEE: "Absence excusée",
        ABSENTE: "Absence non excusée",
        ANNULEE: "Annulée",
    },
    initial=RESERVEE,
    final={VUE, EXCUSEE, ABSENTE, ANNULEE},
    transitions=(
        Transition("tenir", "La famille est venue", {RESERVEE}, VUE, {PARTNER}),
        Transition("excuser", "Absence excusée", {RESERVEE}, EXCUSEE, {PARTNER}),
        Transition("absenter", "La famille n'est pas venue", {RESERVEE}, ABSENTE, {PARTNER}),
        Transition("annuler", "Annuler la séance", {RESERVEE}, ANNULEE, {PARENT, PARTNER, WORKER, SYSTEM}),
    ),
)
# What the structure records after the session, by outcome.
ATTENDANCE = {VUE: "tenir", EXCUSEE: "excuser", ABSENTE: "absenter"}
# The sessions that use one of the family's five: a cancelled one does not, nor an excused one
# (the family warned: the place served another family, and the session may be booked again);
# a no-show does (decision 0016).
COUNTED = frozenset({RESERVEE, VUE, ABSENTE})
# A slot is taken by a booking in one of these states (a cancelled booking frees it).
HOLDS_SLOT = frozenset({RESERVEE, VUE, EXCUSEE, ABSENTE})

TOO_MANY = (
    "Votre famille a déjà réservé les 5 séances de soutien à la parentalité prévues : "
    "une sixième séance n'est pas possible. La structure vous proposera une orientation."
)


def sessions_refusal(counted: int) -> str | None:
    """Why one more session may not be booked by a family that has `counted` (see COUNTED)."""
    if counted >= MAX_SESSIONS:
        return TOO_MANY
    return None


def age_on(birth: date, day: date) -> int:
    """The age in full years on `day` (born on 29 February: a year older on 1 March)."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def child_refusal(first_names: str, birth: date, day: date) -> str | None:
    """Why a child may not be concerned by a session on `day`: not yet born, or 22 or older."""
    if birth > day:
        return f"{first_names} n'est pas encore né(e) à la date de la séance."
    if age_on(birth, day) > CHILD_MAX_AGE:
        return (
            f"{first_names} aura {age_on(birth, day)} ans le jour de la séance : le soutien à la "
            f"parentalité concerne les enfants de 0 à {CHILD_MAX_AGE} ans."
        )
    return None


def children_refusals(children: Iterable[tuple[str, date]], day: date) -> list[str]:
    """The refusals for the children (first names, birth date) of a session on `day`; none given
    is a refusal too."""
    listed = list(children)
    if not listed:
        return ["Choisissez au moins un enfant concerné par la séance."]
    return [r for name, birth in listed if (r := child_refusal(name, birth, day))]


# --- After the fifth session: an orientation --------------------------------------------------

TO_PARTNER = "partenaire"
TO_CAF_SOCIAL = "service_social_caf"
TO_NONE = "aucune"
ORIENTATIONS = {
    TO_PARTNER: "Vers un partenaire du territoire",
    TO_CAF_SOCIAL: "Vers le service d'intervention sociale de la Caf",
    TO_NONE: "Pas d'orientation nécessaire",
}


def orientation_refusal(seen: int) -> str | None:
    """Why the structure may not record the orientation yet: it follows the fifth session seen."""
    if seen < MAX_SESSIONS:
        return (
            f"L'orientation se décide après la {MAX_SESSIONS}e séance tenue "
            f"({seen} séance{'s' if seen > 1 else ''} tenue{'s' if seen > 1 else ''} pour l'instant)."
        )
    return None
