from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import views

# Forgotten password: Django's own views, with parcours's French templates. The new password does
# not sign in (post_reset_login stays off): the person signs in afterwards, through the login page
# that django-axes watches, and a staff member still gives the second factor there.
TEMPLATES = "accounts/password_reset_"

app_name = "accounts"
urlpatterns = [
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "mot-de-passe-oublie/",
        auth_views.PasswordResetView.as_view(
            template_name=f"{TEMPLATES}form.html",
            email_template_name=f"{TEMPLATES}email.txt",
            subject_template_name=f"{TEMPLATES}subject.txt",
            success_url=reverse_lazy("accounts:password_reset_done"),
            extra_context={"page_title": "Mot de passe oublié"},
        ),
        name="password_reset",
    ),
    path(
        "mot-de-passe-oublie/envoye/",
        auth_views.PasswordResetDoneView.as_view(
            template_name=f"{TEMPLATES}done.html", extra_context={"page_title": "Consultez vos e-mails"}
        ),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe-oublie/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name=f"{TEMPLATES}confirm.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
            # The address the link's token is swapped for, so that it never shows in a Referer.
            reset_url_token="nouveau-mot-de-passe",  # noqa: S106 (a path segment, not a secret)
            extra_context={"page_title": "Choisir un nouveau mot de passe"},
        ),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe-oublie/termine/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name=f"{TEMPLATES}complete.html",
            extra_context={"page_title": "Mot de passe modifié"},
        ),
        name="password_reset_complete",
    ),
    path("double-authentification/", views.two_factor, name="two_factor"),
    path("double-authentification/activer/", views.two_factor_setup, name="two_factor_setup"),
    path("journal-audit/", views.audit_log, name="audit_log"),
]
