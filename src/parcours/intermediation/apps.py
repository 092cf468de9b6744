from django.apps import AppConfig


class IntermediationConfig(AppConfig):
    name = "parcours.intermediation"
    label = "intermediation"
    verbose_name = "Intermédiation financière des pensions alimentaires"

    def ready(self) -> None:
        from parcours.core.space import Section, register

        from .space import pension_section

        register(
            "intermediation",
            Section(20, "Ma pension alimentaire", "intermediation/_space.html", pension_section),
        )
