from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "parcours.accounts"
    label = "accounts"
    verbose_name = "Comptes, rôles et journal d'audit"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the deploy check of the secret key)

        french_names_of_third_party_apps()


# The sign-in's third-party apps, as the administration reads them (they ship no French names).
# Only the names shown: `verbose_name` set here is not an option of the migrations' model state
# (that is `_meta.original_attrs`), so no migration of those packages is asked for.
THIRD_PARTY_NAMES = {
    "axes": ("Connexions et blocages", {}),
    "otp_totp": (
        "Double authentification",
        {"totpdevice": ("application d'authentification (TOTP)", "applications d'authentification (TOTP)")},
    ),
    "otp_static": (
        "Codes de secours",
        {"staticdevice": ("liste de codes de secours", "listes de codes de secours")},
    ),
}


def french_names_of_third_party_apps() -> None:
    from django.apps import apps

    for label, (app_name, models) in THIRD_PARTY_NAMES.items():
        if not apps.is_installed(label) and label not in apps.app_configs:
            continue
        config = apps.get_app_config(label)
        config.verbose_name = app_name
        for model_name, (singular, plural) in models.items():
            meta = config.get_model(model_name)._meta
            meta.verbose_name, meta.verbose_name_plural = singular, plural
