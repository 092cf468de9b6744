"""The documents a declaration calls for, each with the reason it is asked (pure rules)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class RequiredDocument:
    code: str
    label: str
    reason: str


def required_documents(declaration: Any) -> list[RequiredDocument]:
    """`declaration` has child_support, children (person id -> residence) and new_street."""
    documents = []
    if declaration.child_support in ("accord", "jugement", "impayee"):
        documents.append(
            RequiredDocument(
                "decision_pension",
                "Le jugement, la convention homologuée ou l'accord qui fixe la pension alimentaire",
                "Vous avez indiqué qu'une pension est fixée : la Caf en vérifie le montant.",
            )
        )
    if declaration.child_support == "procedure":
        documents.append(
            RequiredDocument(
                "preuve_procedure",
                "La preuve de la procédure engagée (requête ou convocation du juge aux affaires familiales)",
                "Elle permet de maintenir l'ASF au-delà de 4 mois sans pension fixée.",
            )
        )
    if any(residence == "alternee" for residence in declaration.children.values()):
        documents.append(
            RequiredDocument(
                "residence_alternee",
                "Un justificatif de la résidence alternée (jugement, convention ou attestation des deux parents)",
                "La résidence alternée partage les allocations familiales entre les deux foyers.",
            )
        )
    if declaration.new_street:
        documents.append(
            RequiredDocument(
                "justificatif_adresse",
                "Un justificatif de la nouvelle adresse de l'autre parent (bail ou attestation d'hébergement)",
                "L'autre parent poursuit dans son propre dossier, à sa nouvelle adresse.",
            )
        )
    if getattr(declaration, "new_iban", ""):
        documents.append(
            RequiredDocument(
                "rib",
                "Un relevé d'identité bancaire (RIB) à votre nom",
                "Vous avez indiqué un nouveau compte : les prestations y seront versées.",
            )
        )
    return documents


# The short name of each document, in messages and e-mails ("Pièce « RIB » refusée : ...").
LABELS = {
    "decision_pension": "décision fixant la pension",
    "preuve_procedure": "preuve de la procédure",
    "residence_alternee": "justificatif de la résidence alternée",
    "justificatif_adresse": "justificatif de la nouvelle adresse",
    "rib": "relevé d'identité bancaire",
    "notification": "notification de droits",
}
