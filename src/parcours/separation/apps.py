from django.apps import AppConfig


class SeparationConfig(AppConfig):
    name = "parcours.separation"
    label = "separation"
    verbose_name = "Parcours séparation"
