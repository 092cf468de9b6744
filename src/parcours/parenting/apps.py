from django.apps import AppConfig


class ParentingConfig(AppConfig):
    name = "parcours.parenting"
    label = "parenting"
    verbose_name = "Soutien à la parentalité"

    def ready(self) -> None:
        from parcours.core.space import Section, register

        from .space import parenting_section

        register(
            "parenting", Section(40, "Soutien à la parentalité", "parenting/_space.html", parenting_section)
        )
