"""Contact preferences and notifications, written by the notifications services."""

from __future__ import annotations

import factory

from parcours.notifications import events, services
from parcours.notifications.models import ContactPreference, Notification

from .accounts import UserFactory


class ContactPreferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactPreference

    user = factory.SubFactory(UserFactory, email=factory.Sequence(lambda n: f"parent{n}@exemple.fr"))
    channels = "email_sms"
    mobile_phone = "06 12 34 56 78"

    @classmethod
    def _create(cls, model_class, *, user, channels, mobile_phone):  # type: ignore[no-untyped-def]
        return services.preference_set(user=user, channels=channels, mobile_phone=mobile_phone)


class NotificationFactory(factory.django.DjangoModelFactory):
    """A notification waiting to be sent (the send is queued on commit)."""

    class Meta:
        model = Notification

    user = factory.SubFactory(UserFactory, email=factory.Sequence(lambda n: f"parent{n}@exemple.fr"))
    ref = factory.Sequence(lambda n: f"demande:{n}")

    @classmethod
    def _create(cls, model_class, *, user, ref):  # type: ignore[no-untyped-def]
        made = services.notify(
            user=user,
            event=events.DEMANDE_EN_INSTRUCTION,
            ref=ref,
            fields={"date": "3 décembre 2026", "lien": "/"},
        )
        return made[0]
