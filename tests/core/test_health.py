import pytest
from django.db import connection

from tests.factories import household


@pytest.mark.django_db
def test_health_reports_database_vendor_and_household_count(client):
    household()
    household(couple=False)
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": connection.vendor, "households": 2}


@pytest.mark.django_db
def test_openapi_schema_is_served(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/health" in schema["paths"]
