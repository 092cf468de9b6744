from django.apps import AppConfig


class SocialConfig(AppConfig):
    name = "parcours.social"
    label = "social"
    verbose_name = "Accompagnement social"
