from django.apps import AppConfig


class RightsConfig(AppConfig):
    name = "parcours.rights"
    label = "rights"
    verbose_name = "Droits (openfisca-france)"

    def ready(self) -> None:
        from parcours.core.space import Panel, register_panel

        from .space import rights_panel

        register_panel("rights", Panel(10, "Droits", "rights/_dossier_panel.html", rights_panel))
