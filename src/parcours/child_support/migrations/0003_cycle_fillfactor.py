"""PostgreSQL only: room in each page for the daily updates of the cycle's running figures.

The cycle updates, every business day, most intermediations (credit_cents, funded_cents,
paid_out_cents) and most of the month's dues (paid_cents, asf_cents, notice_on), none of them
indexed: with free space on the row's page, PostgreSQL writes the new version beside the old one
(a HOT update) and touches no index; with full pages (the default fillfactor of 100), every update
moves the row to another page and inserts into each of the table's indexes. Rows written before
this migration keep their place; every row written after it leaves the room. SQLite: nothing.
"""

from django.db import migrations

FILLFACTOR = {"child_support_intermediation": 70, "child_support_due": 70}


def set_fillfactor(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, fillfactor in FILLFACTOR.items():
        schema_editor.execute(
            f"ALTER TABLE {schema_editor.quote_name(table)} SET (fillfactor = {fillfactor})"
        )


def reset_fillfactor(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in FILLFACTOR:
        schema_editor.execute(f"ALTER TABLE {schema_editor.quote_name(table)} RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [("child_support", "0002_titre_requests")]

    operations = [migrations.RunPython(set_fillfactor, reset_fillfactor)]
