from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("double-authentification/", views.two_factor, name="two_factor"),
    path("double-authentification/activer/", views.two_factor_setup, name="two_factor_setup"),
    path("journal-audit/", views.audit_log, name="audit_log"),
]
