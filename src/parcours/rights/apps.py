from django.apps import AppConfig


class RightsConfig(AppConfig):
    name = "parcours.rights"
    label = "rights"
    verbose_name = "Droits (openfisca-france)"
