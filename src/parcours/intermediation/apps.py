from django.apps import AppConfig


class IntermediationConfig(AppConfig):
    name = "parcours.intermediation"
    label = "intermediation"
    verbose_name = "Intermédiation financière des pensions alimentaires"
