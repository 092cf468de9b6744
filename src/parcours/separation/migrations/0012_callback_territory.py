"""Call-back requests get a territory: those already asked go to the Caf running the instance."""

from django.conf import settings
from django.db import migrations, models


def to_the_caf(apps, schema_editor):
    CallbackRequest = apps.get_model("separation", "CallbackRequest")
    CallbackRequest.objects.filter(departement="").update(
        departement=getattr(settings, "PARCOURS_CAF_DEPARTEMENT", "91")
    )


class Migration(migrations.Migration):
    dependencies = [("separation", "0011_draft_step")]

    operations = [
        migrations.AddField(
            model_name="callbackrequest",
            name="departement",
            field=models.CharField(db_index=True, default="", max_length=3, verbose_name="territoire"),
        ),
        migrations.RunPython(to_the_caf, migrations.RunPython.noop),
    ]
