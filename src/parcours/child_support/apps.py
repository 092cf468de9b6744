from django.apps import AppConfig


class ChildSupportConfig(AppConfig):
    name = "parcours.child_support"
    label = "child_support"
    verbose_name = "Pensions alimentaires et intermédiation"
