from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "parcours.notifications"
    label = "notifications"
    verbose_name = "Notifications aux usagers"

    def ready(self) -> None:
        from parcours.core.space import Section, register

        from .space import notifications_section

        register(
            "notifications",
            Section(40, "Mes messages de la Caf", "notifications/_space.html", notifications_section),
        )
