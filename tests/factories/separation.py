"""Declarations of separation moved along their lifecycle by the separation services (each step a
logged transition), with their messages, documents and invitations; the "s'informer" topics and
callback requests the Caf edits or receives."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from parcours.separation import services
from parcours.separation.documents import document_upload
from parcours.separation.models import (
    CallbackRequest,
    CallbackTransition,
    Demande,
    DemandeTransition,
    Document,
    InfoTopic,
    Invitation,
    InvitationTransition,
    Message,
)

from .accounts import UserFactory
from .households import DossierFactory, allocataire

# The actions that lead from a draft to each state (separation/lifecycle.py).
PATH = {
    "brouillon": [],
    "deposee": ["deposer"],
    "en_instruction": ["deposer", "instruire"],
    "a_completer": ["deposer", "instruire", "demander_complement"],
    "validee": ["deposer", "instruire", "valider"],
    "refusee": ["deposer", "instruire", "refuser"],
    "sans_suite": ["deposer", "classer_sans_suite"],
}
PARENT_ACTIONS = {"deposer", "repondre"}
# A one-page PDF, cross-reference table included: what the upload's checks (pypdf) accept.
PDF = (
    b"%PDF-1.5\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n0000000101 00000 n \n"
    b"trailer<</Size 4/Root 1 0 R>>\nstartxref\n164\n%%EOF\n"
)


def filled(demande: Demande, *, confidential: bool = False) -> dict:
    """A complete declaration: separated 40 days ago, the first child stays, the second alternates."""
    children = list(demande.children)
    residence = dict.fromkeys(children, "chez_moi")
    if len(children) > 1:
        residence[children[1]] = "alternee"
    return {
        "separation_date": timezone.localdate().replace(day=1) - timedelta(days=40),
        "children": residence,
        "child_support": "impayee",
        "child_support_amount": Decimal("250.00"),
        "new_street": "3 rue des Acacias",
        "new_postcode": "91300",
        "new_commune_insee": "91377",
        "new_commune_name": "Massy",
        "new_address_confidential": confidential,
    }


class DemandeFactory(factory.django.DjangoModelFactory):
    """A declaration of the allocataire of a couple's dossier, filled in, in `state` (reached
    through every transition of its path, by the parent then by an agent of the territory)."""

    class Meta:
        model = Demande

    dossier = factory.SubFactory(DossierFactory)
    declarant = factory.LazyAttribute(lambda o: UserFactory(person=allocataire(o.dossier)))
    state = "brouillon"
    confidential = False
    fill = True

    class Params:
        empty = factory.Trait(fill=False)
        confidential_address = factory.Trait(confidential=True)
        deposee = factory.Trait(state="deposee")
        en_instruction = factory.Trait(state="en_instruction")
        a_completer = factory.Trait(state="a_completer")
        validee = factory.Trait(state="validee")
        refusee = factory.Trait(state="refusee")
        sans_suite = factory.Trait(state="sans_suite")

    @classmethod
    def _create(cls, model_class, *, dossier, declarant, state, confidential, fill):
        demande = services.declaration_start(dossier=dossier, by=declarant)
        if fill:
            data = filled(demande, confidential=confidential)
            demande = services.declaration_save(demande=demande, data=data, by=declarant)
        agent = None
        for action in PATH[state]:
            if action in PARENT_ACTIONS:
                by, actor = declarant, "parent"
            else:
                agent = agent or UserFactory(agent=True, departement=dossier.departement)
                by, actor = agent, "agent"
            reason = "Motif saisi par l'agent." if action != "deposer" else ""
            demande = services.demande_transition(
                demande=demande, action=action, by=by, actor=actor, reason=reason
            )
        return demande


class DemandeTransitionFactory(factory.django.DjangoModelFactory):
    """The transition logged by the service for the last step of the path to `target`."""

    class Meta:
        model = DemandeTransition

    target = "deposee"

    class Params:
        instruire = factory.Trait(target="en_instruction")
        refuser = factory.Trait(target="refusee")

    @classmethod
    def _create(cls, model_class, *, target):
        demande = DemandeFactory(state=target)
        return demande.transitions.latest("id")


class MessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Message

    demande = factory.SubFactory(DemandeFactory, deposee=True)
    author = factory.SelfAttribute("demande.declarant")
    body = "Voici les précisions demandées."
    private = False

    class Params:
        agent_note = factory.Trait(
            private=True,
            body="Note interne : pièce à vérifier.",
            author=factory.SubFactory(UserFactory, agent=True),
        )

    @classmethod
    def _create(cls, model_class, *, demande, author, body, private):
        return services.demande_message(demande=demande, by=author, body=body, private=private)


class DocumentFactory(factory.django.DjangoModelFactory):
    """A PDF uploaded by the declarant (stored under PRIVATE_STORAGE_ROOT, a tmp dir in tests)."""

    class Meta:
        model = Document

    demande = factory.SubFactory(DemandeFactory)
    code = "justificatif_domicile"
    original_name = "justificatif.pdf"
    content = PDF
    uploaded_by = factory.SelfAttribute("demande.declarant")

    @classmethod
    def _create(cls, model_class, *, demande, code, original_name, content, uploaded_by):
        return document_upload(
            demande=demande, code=code, name=original_name, content=content, by=uploaded_by
        )


class InvitationFactory(factory.django.DjangoModelFactory):
    """The other parent, who has an account, invited when the declaration is submitted; answered
    through the service with the `confirmed` / `contested` traits."""

    class Meta:
        model = Invitation

    dossier = factory.SubFactory(DossierFactory)
    answer = None  # None: pending; True: confirmed; False: contested

    class Params:
        confirmed = factory.Trait(answer=True)
        contested = factory.Trait(answer=False)

    @classmethod
    def _create(cls, model_class, *, dossier, answer):
        other = dossier.memberships.get(role="conjoint", retired_in__isnull=True).person
        other_user = UserFactory(person=other)
        demande = DemandeFactory(dossier=dossier, deposee=True)
        invitation = demande.invitations.get(person=other)
        if answer is not None:
            comment = "" if answer else "La date de séparation est inexacte."
            invitation = services.invitation_answer(
                invitation=invitation, confirm=answer, comment=comment, by=other_user
            )
        return invitation


class InvitationTransitionFactory(factory.django.DjangoModelFactory):
    """The other parent's answer, logged by the service: a confirmation, or `contested`."""

    class Meta:
        model = InvitationTransition

    answer = True

    class Params:
        contested = factory.Trait(answer=False)

    @classmethod
    def _create(cls, model_class, *, answer):
        return InvitationFactory(answer=answer).transitions.get()


class InfoTopicFactory(factory.django.DjangoModelFactory):
    """A topic of the "s'informer" page (content the Caf edits in the admin)."""

    class Meta:
        model = InfoTopic

    code = factory.Sequence(lambda n: f"fiche-{n}")
    title = "Demander l'allocation de soutien familial"
    body = "Si l'autre parent ne verse pas la pension, la Caf peut verser l'ASF."
    link_url = "https://www.caf.fr/"
    link_label = "En savoir plus sur caf.fr"
    order = factory.Sequence(lambda n: 100 + n)

    class Params:
        for_unmarried = factory.Trait(unions="pacs, concubinage")
        with_children = factory.Trait(children_only=True)
        unsafe = factory.Trait(unsafe_only=True)


class CallbackRequestFactory(factory.django.DjangoModelFactory):
    """A parent who feels unsafe asks to be called back (the page writes the row itself); `taken`
    and `handled` move it through the services, by an agent."""

    class Meta:
        model = CallbackRequest

    phone = "06 12 34 56 78"
    slot = "En semaine après 18 h"
    departement = "91"
    user = None
    moves = ()

    class Params:
        taken = factory.Trait(moves=("prendre",))
        handled = factory.Trait(moves=("prendre", "cloturer"))
        from_parent = factory.Trait(user=factory.SubFactory(UserFactory, parent=True))

    @classmethod
    def _create(cls, model_class, *, moves, **fields):  # type: ignore[no-untyped-def]
        callback = model_class.objects.create(**fields)
        agent = UserFactory(agent=True) if moves else None
        for move in moves:
            if move == "prendre":
                callback = services.callback_take(callback=callback, by=agent)
            else:
                callback = services.callback_close(
                    callback=callback, outcome="joint", note="Parent rappelé, orienté vers le 3919.", by=agent
                )
        return callback


class CallbackTransitionFactory(factory.django.DjangoModelFactory):
    """The move logged when an agent takes a call-back request."""

    class Meta:
        model = CallbackTransition

    @classmethod
    def _create(cls, model_class, **kwargs):  # type: ignore[no-untyped-def]
        return CallbackRequestFactory(taken=True).transitions.latest("id")
