from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "parcours.casework"
    label = "casework"
    verbose_name = "Gestion des tâches"

    def ready(self) -> None:
        from . import receivers

        receivers.connect()
