from django import forms
from django.contrib.auth.forms import AuthenticationForm
from dsfr.forms import DsfrBaseForm


class LoginForm(DsfrBaseForm, AuthenticationForm):
    error_messages = {
        "invalid_login": "Identifiant ou mot de passe incorrect.",
        "inactive": "Ce compte est désactivé.",
    }

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Identifiant"
        self.fields["password"].label = "Mot de passe"


class TokenForm(DsfrBaseForm):
    token = forms.CharField(
        label="Code à 6 chiffres de votre application d'authentification",
        min_length=6,
        max_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        error_messages={
            "required": "Saisissez le code à 6 chiffres.",
            "min_length": "Le code comporte 6 chiffres.",
        },
    )

    def clean_token(self) -> str:
        token = self.cleaned_data["token"]
        if not token.isdigit():
            raise forms.ValidationError("Le code ne comporte que des chiffres.")
        return token
