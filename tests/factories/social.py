"""Signalements to the social-support team (a validated declaration writes one; so does this)."""

from __future__ import annotations

import factory

from parcours.social.models import Signalement

from .households import DossierFactory


class SignalementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Signalement
        django_get_or_create = ("dossier", "kind", "source")  # as separation.services does

    dossier = factory.SubFactory(DossierFactory)
    kind = Signalement.Kind.SEPARATION
    source = factory.Sequence(lambda n: f"déclaration n° {n}")
