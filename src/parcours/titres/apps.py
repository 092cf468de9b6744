from django.apps import AppConfig


class TitresConfig(AppConfig):
    name = "parcours.titres"
    label = "titres"
    verbose_name = "Titres fixant une pension"
