from django.apps import AppConfig


class SocialConfig(AppConfig):
    name = "parcours.social"
    label = "social"
    verbose_name = "Accompagnement social"

    def ready(self) -> None:
        from parcours.core.space import Section, register

        from . import receivers
        from .space import offers_section

        receivers.connect()
        register("social", Section(15, "Proposition d'accompagnement", "social/_space.html", offers_section))
