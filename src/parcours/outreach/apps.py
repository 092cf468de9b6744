from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "parcours.outreach"
    label = "outreach"
    verbose_name = "Contacts proactifs"
