"""The administration reads in French too: every application and model name on its index."""

import re

import pytest
from django.contrib import admin
from django.test import RequestFactory

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ENGLISH = re.compile(r"\b(devices?|attempts?|access|logs?|groups?|users?|tasks?)\b", re.IGNORECASE)


def test_every_application_and_model_of_the_admin_has_a_french_name(client):
    administrator = UserFactory(username="admin", is_staff=True, is_superuser=True)
    request = RequestFactory().get("/admin/")
    request.user = administrator
    names = [
        name
        for app in admin.site.get_app_list(request)
        for name in [str(app["name"]), *(str(model["name"]) for model in app["models"])]
    ]
    assert "Double authentification" in names and "Comptes bancaires" in names
    assert [n for n in names if ENGLISH.search(n) or "_" in n or n.lower() in {"axes", "otp_totp"}] == []
    client.force_login(administrator)
    html = client.get("/admin/").content.decode()
    assert "Otp_Totp" not in html and "TOTP devices" not in html and "Compte bancaires" not in html
