from django.apps import AppConfig


class SeparationConfig(AppConfig):
    name = "parcours.separation"
    label = "separation"
    verbose_name = "Parcours séparation"

    def ready(self) -> None:
        from parcours.core.space import Section, register

        from .space import separation_section

        register(
            "separation",
            Section(10, "Ma déclaration de séparation", "separation/_space.html", separation_section),
        )
