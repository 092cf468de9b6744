from django.apps import AppConfig


class AidConfig(AppConfig):
    name = "parcours.aid"
    label = "aid"
    verbose_name = "Aides financières individuelles"

    def ready(self) -> None:
        from parcours.core.space import Section, register

        from .selectors import parent_aid_section

        register("aid", Section(30, "Mes aides financières", "aid/_space.html", parent_aid_section))
