# Issue 16: a statement's message id (GrpHdr/MsgId) once per account, by a database constraint.

from django.conf import settings
from django.db import migrations, models


def record_accounts(apps, schema_editor):
    """Every statement imported so far was the Caf's account's (the import refused any other):
    each message id's first import gets the Caf's IBAN. A later import under the same message id
    (what the constraint now forbids) keeps an empty account, so that the history stays as it was;
    the import still finds the message id on the first one."""
    Statement = apps.get_model("intermediation", "BankStatement")
    iban = settings.PARCOURS_CAF_ACCOUNT[1].replace(" ", "").upper()
    seen = set()
    for pk, message_id in Statement.objects.order_by("id").values_list("id", "message_id").iterator():
        if message_id not in seen:
            seen.add(message_id)
            Statement.objects.filter(pk=pk).update(account_iban=iban)


class Migration(migrations.Migration):

    dependencies = [
        ('intermediation', '0003_state_transitions'),
    ]

    operations = [
        migrations.AddField(
            model_name='bankstatement',
            name='account_iban',
            field=models.CharField(blank=True, max_length=34, verbose_name='compte (IBAN)'),
        ),
        migrations.AlterField(
            model_name='bankstatement',
            name='sha256',
            field=models.CharField(max_length=64, unique=True, verbose_name='empreinte du contenu'),
        ),
        migrations.RunPython(record_accounts, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='bankstatement',
            constraint=models.UniqueConstraint(condition=models.Q(('account_iban', ''), _negated=True), fields=('account_iban', 'message_id'), name='bankstatement_message_once_per_account'),
        ),
    ]
