"""The intermediation's relations, indexes and constraints, already in the database (state only)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('intermediation', '0001_initial'),
        ('titres', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name='intermediation',
                    name='titre',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='intermediations', to='titres.titre'),
                ),
                migrations.AddField(
                    model_name='forcedrecovery',
                    name='intermediation',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='forced_recoveries', to='intermediation.intermediation'),
                ),
                migrations.AddField(
                    model_name='dueallocation',
                    name='intermediation',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='intermediation.intermediation'),
                ),
                migrations.AddField(
                    model_name='due',
                    name='intermediation',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='dues', to='intermediation.intermediation'),
                ),
                migrations.AddField(
                    model_name='collection',
                    name='intermediation',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='intermediation.intermediation'),
                ),
                migrations.AddField(
                    model_name='bankline',
                    name='intermediation',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='intermediation.intermediation'),
                ),
                migrations.AddField(
                    model_name='asfadvance',
                    name='intermediation',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='intermediation.intermediation'),
                ),
                migrations.AddField(
                    model_name='intermediationevent',
                    name='by',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
                ),
                migrations.AddField(
                    model_name='intermediationevent',
                    name='intermediation',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='events', to='intermediation.intermediation'),
                ),
                migrations.AddField(
                    model_name='ledgertransaction',
                    name='intermediation',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='ledger_transactions', to='intermediation.intermediation', verbose_name='intermédiation'),
                ),
                migrations.AddField(
                    model_name='ledgertransaction',
                    name='reverses',
                    field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='reversed_by', to='intermediation.ledgertransaction', verbose_name='contre-passe'),
                ),
                migrations.AddField(
                    model_name='ledgerentry',
                    name='transaction',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='entries', to='intermediation.ledgertransaction', verbose_name='opération'),
                ),
                migrations.AddField(
                    model_name='collection',
                    name='payment_file',
                    field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='collections', to='intermediation.paymentfile'),
                ),
                migrations.AddField(
                    model_name='payout',
                    name='intermediation',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='payouts', to='intermediation.intermediation'),
                ),
                migrations.AddField(
                    model_name='payout',
                    name='payment_file',
                    field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='payouts', to='intermediation.paymentfile'),
                ),
                migrations.AddField(
                    model_name='revaluation',
                    name='intermediation',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='revaluations', to='intermediation.intermediation'),
                ),
                migrations.AddField(
                    model_name='unpaidnotice',
                    name='intermediation',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='notices', to='intermediation.intermediation'),
                ),
                migrations.AddIndex(
                    model_name='intermediation',
                    index=models.Index(fields=['status', 'recovery_state'], name='child_suppo_status_18296d_idx'),
                ),
                migrations.AddConstraint(
                    model_name='forcedrecovery',
                    constraint=models.UniqueConstraint(condition=models.Q(('lifted_on__isnull', True)), fields=('intermediation',), name='one_open_forced_recovery'),
                ),
                migrations.AddIndex(
                    model_name='dueallocation',
                    index=models.Index(fields=['on', 'intermediation'], name='child_suppo_on_47d55d_idx'),
                ),
                migrations.AddIndex(
                    model_name='due',
                    index=models.Index(fields=['due_on'], name='child_suppo_due_on_f4d561_idx'),
                ),
                migrations.AddConstraint(
                    model_name='due',
                    constraint=models.UniqueConstraint(fields=('intermediation', 'month'), name='one_due_a_month'),
                ),
                migrations.AddIndex(
                    model_name='bankline',
                    index=models.Index(fields=['status'], name='child_suppo_status_ab453d_idx'),
                ),
                migrations.AddConstraint(
                    model_name='ledgerentry',
                    constraint=models.CheckConstraint(condition=models.Q(('amount', 0), _negated=True), name='ledger_entry_amount_not_zero'),
                ),
                migrations.AddIndex(
                    model_name='collection',
                    index=models.Index(fields=['collection_date'], name='child_suppo_collect_404928_idx'),
                ),
                migrations.AddIndex(
                    model_name='payout',
                    index=models.Index(fields=['on'], name='child_suppo_on_5336f0_idx'),
                ),
                migrations.AddConstraint(
                    model_name='revaluation',
                    constraint=models.UniqueConstraint(fields=('intermediation', 'on'), name='one_revaluation_a_day'),
                ),
                migrations.AddIndex(
                    model_name='unpaidnotice',
                    index=models.Index(fields=['pay_by'], name='child_suppo_pay_by_0fb2b4_idx'),
                ),
                migrations.AddConstraint(
                    model_name='unpaidnotice',
                    constraint=models.UniqueConstraint(fields=('intermediation', 'sent_on'), name='one_notice_a_day'),
                ),
            ],
            database_operations=[],
        ),
    ]
