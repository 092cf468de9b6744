"""The intermediation moves out of child_support: the tables keep their names (child_support_*), only
Django's state moves (no data moves; an existing database migrates)."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


MODELS = ['bankstatement', 'bankline', 'paymentfile', 'intermediation', 'intermediationevent', 'due', 'dueallocation', 'payout', 'collection', 'asfadvance', 'unpaidnotice', 'forcedrecovery', 'revaluation', 'ledgertransaction', 'ledgerentry']


def _forward(apps, schema_editor):
    """Content types (and so permissions and admin history) follow the models to their new app."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="child_support", model__in=MODELS).update(app_label="intermediation")


def _backward(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="intermediation", model__in=MODELS).update(app_label="child_support")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('child_support', '0004_titre_request_withdrawn'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='BankStatement',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('sha256', models.CharField(max_length=64, unique=True, verbose_name='empreinte')),
                        ('kind', models.CharField(max_length=10, verbose_name='format')),
                        ('message_id', models.CharField(max_length=35, verbose_name='identifiant du message')),
                        ('imported_on', models.DateField(verbose_name='importé le (jour de traitement)')),
                        ('imported_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='importé à')),
                        ('file_name', models.CharField(max_length=255, verbose_name='fichier')),
                        ('lines', models.PositiveIntegerField(default=0, verbose_name='lignes')),
                    ],
                    options={
                        'verbose_name': 'relevé bancaire',
                        'db_table': 'child_support_bankstatement',
                        'ordering': ['id'],
                    },
                ),
                migrations.CreateModel(
                    name='Due',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('month', models.DateField(verbose_name='mois')),
                        ('due_on', models.DateField(verbose_name='échéance')),
                        ('reference', models.CharField(max_length=20, unique=True, verbose_name='référence de paiement')),
                        ('amount_cents', models.BigIntegerField(verbose_name='montant dû (centimes)')),
                        ('paid_cents', models.BigIntegerField(default=0, verbose_name='payé (centimes)')),
                        ('asf_cents', models.BigIntegerField(default=0, verbose_name="avancé par l'ASF (centimes)")),
                        ('notice_on', models.DateField(blank=True, null=True, verbose_name='relance le')),
                    ],
                    options={
                        'verbose_name': 'échéance',
                        'db_table': 'child_support_due',
                        'ordering': ['intermediation_id', 'month'],
                    },
                ),
                migrations.CreateModel(
                    name='ForcedRecovery',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('started_on', models.DateField(verbose_name='engagé le')),
                        ('third_party', models.CharField(max_length=20, verbose_name='tiers saisi')),
                        ('arrears_cents', models.BigIntegerField(verbose_name='arriéré (centimes)')),
                        ('instalments', models.PositiveSmallIntegerField(verbose_name='nombre de mensualités')),
                        ('instalment_cents', models.BigIntegerField(verbose_name='première mensualité (centimes)')),
                        ('lifted_on', models.DateField(blank=True, null=True, verbose_name='levé le')),
                    ],
                    options={
                        'verbose_name': 'recouvrement forcé',
                        'verbose_name_plural': 'recouvrements forcés',
                        'db_table': 'child_support_forcedrecovery',
                    },
                ),
                migrations.CreateModel(
                    name='Intermediation',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('reference', models.CharField(max_length=11, unique=True, verbose_name='référence')),
                        ('status', models.CharField(choices=[('active', 'En cours'), ('ended', 'Terminée')], default='active', max_length=10, verbose_name='état')),
                        ('opened_on', models.DateField(verbose_name='ouverte le')),
                        ('opened_how', models.CharField(max_length=20, verbose_name='ouverture')),
                        ('ended_on', models.DateField(blank=True, null=True, verbose_name='terminée le')),
                        ('end_reason', models.CharField(blank=True, max_length=200, verbose_name='motif de fin')),
                        ('first_month', models.DateField(verbose_name='premier mois dû')),
                        ('monthly_amount_cents', models.BigIntegerField(verbose_name='pension mensuelle en cours (centimes)')),
                        ('base_amount_cents', models.BigIntegerField(verbose_name='pension mensuelle fixée par le titre (centimes)')),
                        ('index_series', models.CharField(max_length=40, verbose_name='indice')),
                        ('index_base_month', models.DateField(verbose_name="mois de l'indice de base")),
                        ('revaluation_month', models.PositiveSmallIntegerField(verbose_name='mois de revalorisation')),
                        ('first_revaluation_on', models.DateField(verbose_name='première revalorisation')),
                        ('children_count', models.PositiveSmallIntegerField(verbose_name="nombre d'enfants")),
                        ('due_day', models.PositiveSmallIntegerField(verbose_name="jour d'échéance")),
                        ('payment_method', models.CharField(choices=[('debit', 'Prélèvement SEPA'), ('transfer', 'Virement du débiteur')], max_length=10, verbose_name='mode de paiement')),
                        ('debtor_name', models.CharField(max_length=140, verbose_name='titulaire du compte du débiteur')),
                        ('debtor_iban', models.CharField(db_index=True, max_length=34, verbose_name='IBAN du débiteur')),
                        ('debtor_bic', models.CharField(blank=True, max_length=11, verbose_name='BIC du débiteur')),
                        ('mandate_id', models.CharField(blank=True, max_length=35, verbose_name='référence unique du mandat')),
                        ('mandate_signed_on', models.DateField(blank=True, null=True, verbose_name='mandat signé le')),
                        ('debtor_employer', models.CharField(blank=True, max_length=140, verbose_name='employeur du débiteur')),
                        ('creditor_name', models.CharField(max_length=140, verbose_name='titulaire du compte du créancier')),
                        ('creditor_iban', models.CharField(max_length=34, verbose_name='IBAN du créancier')),
                        ('creditor_bic', models.CharField(blank=True, max_length=11, verbose_name='BIC du créancier')),
                        ('asf_eligible', models.BooleanField(default=False, verbose_name='ASF en avance si impayé')),
                        ('recovery_state', models.CharField(choices=[('normal', 'Paiements à jour'), ('notice', 'Relance envoyée au débiteur'), ('forced', 'Recouvrement forcé')], default='normal', max_length=10, verbose_name='recouvrement')),
                        ('credit_cents', models.BigIntegerField(default=0, verbose_name='versements non encore affectés (centimes)')),
                        ('funded_cents', models.BigIntegerField(default=0, verbose_name='encaissé pour le créancier (centimes)')),
                        ('paid_out_cents', models.BigIntegerField(default=0, verbose_name='reversé au créancier (centimes)')),
                    ],
                    options={
                        'verbose_name': 'intermédiation financière',
                        'verbose_name_plural': 'intermédiations financières',
                        'db_table': 'child_support_intermediation',
                        'ordering': ['id'],
                    },
                ),
                migrations.CreateModel(
                    name='IntermediationEvent',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='le')),
                        ('on', models.DateField(verbose_name="date d'effet")),
                        ('action', models.CharField(max_length=30, verbose_name='action')),
                        ('from_state', models.CharField(blank=True, max_length=20, verbose_name='avant')),
                        ('to_state', models.CharField(max_length=20, verbose_name='après')),
                        ('note', models.TextField(blank=True, verbose_name='commentaire')),
                    ],
                    options={
                        'verbose_name': "événement d'intermédiation",
                        'db_table': 'child_support_intermediationevent',
                        'ordering': ['id'],
                    },
                ),
                migrations.CreateModel(
                    name='LedgerEntry',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('account', models.CharField(max_length=100, verbose_name='compte')),
                        ('amount', models.BigIntegerField(verbose_name='montant (centimes, débit positif)')),
                    ],
                    options={
                        'verbose_name': 'écriture du grand livre',
                        'verbose_name_plural': 'écritures du grand livre',
                        'db_table': 'child_support_ledgerentry',
                        'ordering': ['transaction_id', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='LedgerTransaction',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('key', models.CharField(max_length=200, unique=True, verbose_name="clé d'idempotence")),
                        ('kind', models.CharField(choices=[('due', 'Échéance due'), ('receipt', 'Encaissement'), ('payout', 'Reversement au créancier'), ('asf_advance', "Avance d'ASF"), ('recovery', 'Recouvrement'), ('write_off', 'Admission en non-valeur'), ('reversal', 'Contre-passation')], max_length=20, verbose_name='nature')),
                        ('booked_on', models.DateField(blank=True, null=True, verbose_name='date comptable')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='enregistrée le')),
                    ],
                    options={
                        'verbose_name': 'opération du grand livre',
                        'verbose_name_plural': 'opérations du grand livre',
                        'db_table': 'child_support_ledgertransaction',
                        'ordering': ['id'],
                    },
                ),
                migrations.CreateModel(
                    name='PaymentFile',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('key', models.CharField(max_length=60, unique=True, verbose_name="clé d'idempotence")),
                        ('kind', models.CharField(choices=[('pain.001', 'Virements (pain.001)'), ('pain.008', 'Prélèvements (pain.008)')], max_length=10, verbose_name='format')),
                        ('message_id', models.CharField(max_length=35, unique=True, verbose_name='identifiant du message')),
                        ('on', models.DateField(verbose_name="date d'exécution")),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='créé le')),
                        ('count', models.PositiveIntegerField(default=0, verbose_name='opérations')),
                        ('total_cents', models.BigIntegerField(default=0, verbose_name='total (centimes)')),
                        ('sha256', models.CharField(blank=True, max_length=64, verbose_name='empreinte')),
                    ],
                    options={
                        'verbose_name': 'fichier de paiement',
                        'db_table': 'child_support_paymentfile',
                        'ordering': ['id'],
                    },
                ),
                migrations.CreateModel(
                    name='Payout',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('key', models.CharField(max_length=60, unique=True, verbose_name="clé d'idempotence")),
                        ('on', models.DateField(verbose_name='exécuté le')),
                        ('amount_cents', models.BigIntegerField(verbose_name='montant (centimes)')),
                        ('kind', models.CharField(max_length=20, verbose_name='nature')),
                    ],
                    options={
                        'verbose_name': 'reversement au créancier',
                        'verbose_name_plural': 'reversements au créancier',
                        'db_table': 'child_support_payout',
                    },
                ),
                migrations.CreateModel(
                    name='Revaluation',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('on', models.DateField(verbose_name='le')),
                        ('from_cents', models.BigIntegerField(verbose_name='avant (centimes)')),
                        ('to_cents', models.BigIntegerField(verbose_name='après (centimes)')),
                        ('index_base', models.DecimalField(decimal_places=2, max_digits=10, verbose_name='indice de base')),
                        ('index_new', models.DecimalField(decimal_places=2, max_digits=10, verbose_name='nouvel indice')),
                    ],
                    options={
                        'verbose_name': 'revalorisation',
                        'db_table': 'child_support_revaluation',
                    },
                ),
                migrations.CreateModel(
                    name='UnpaidNotice',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('sent_on', models.DateField(verbose_name='envoyée le')),
                        ('pay_by', models.DateField(verbose_name='à régler avant le')),
                        ('amount_cents', models.BigIntegerField(verbose_name='restant dû (centimes)')),
                        ('escalated_on', models.DateField(blank=True, null=True, verbose_name='recouvrement forcé le')),
                    ],
                    options={
                        'verbose_name': "relance d'impayé",
                        'db_table': 'child_support_unpaidnotice',
                    },
                ),
                migrations.CreateModel(
                    name='BankLine',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('line_key', models.CharField(max_length=80, unique=True, verbose_name='référence bancaire')),
                        ('booked_on', models.DateField(verbose_name='comptabilisé le')),
                        ('amount_cents', models.BigIntegerField(verbose_name='montant (centimes)')),
                        ('credit', models.BooleanField(verbose_name='crédit')),
                        ('end_to_end_id', models.CharField(blank=True, max_length=35, verbose_name='référence de bout en bout')),
                        ('remittance', models.CharField(blank=True, max_length=140, verbose_name='libellé')),
                        ('counterparty_name', models.CharField(blank=True, max_length=140, verbose_name='émetteur')),
                        ('counterparty_iban', models.CharField(blank=True, max_length=34, verbose_name='IBAN émetteur')),
                        ('reference_found', models.CharField(blank=True, db_index=True, max_length=11, verbose_name='référence reconnue')),
                        ('status', models.CharField(choices=[('new', 'À rapprocher'), ('matched', 'Rapprochée'), ('suspense', "En compte d'attente"), ('resolved', 'Attente traitée par un agent'), ('refunded', "Remboursée à l'émetteur"), ('ignored', 'Sans objet (débit)')], default='new', max_length=10, verbose_name='état')),
                        ('matched_by', models.CharField(blank=True, max_length=20, verbose_name='rapprochement')),
                        ('processed_on', models.DateField(blank=True, null=True, verbose_name='traité le')),
                        ('statement', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='bank_lines', to='intermediation.bankstatement')),
                    ],
                    options={
                        'verbose_name': 'ligne de relevé',
                        'verbose_name_plural': 'lignes de relevé',
                        'db_table': 'child_support_bankline',
                        'ordering': ['id'],
                    },
                ),
                migrations.CreateModel(
                    name='Collection',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('collection_date', models.DateField(verbose_name='date de prélèvement')),
                        ('amount_cents', models.BigIntegerField(verbose_name='montant (centimes)')),
                        ('sequence', models.CharField(max_length=4, verbose_name='séquence')),
                        ('due', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='collection', to='intermediation.due')),
                    ],
                    options={
                        'verbose_name': 'prélèvement',
                        'db_table': 'child_support_collection',
                    },
                ),
                migrations.CreateModel(
                    name='AsfAdvance',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('on', models.DateField(verbose_name='le')),
                        ('amount_cents', models.BigIntegerField(verbose_name='montant (centimes)')),
                        ('due', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='asf_advance', to='intermediation.due')),
                    ],
                    options={
                        'verbose_name': "avance d'ASF",
                        'verbose_name_plural': "avances d'ASF",
                        'db_table': 'child_support_asfadvance',
                    },
                ),
                migrations.CreateModel(
                    name='DueAllocation',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('on', models.DateField(verbose_name='le')),
                        ('creditor_cents', models.BigIntegerField(verbose_name='pour le créancier (centimes)')),
                        ('recovery_cents', models.BigIntegerField(verbose_name="remboursement de l'ASF (centimes)")),
                        ('due', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='allocations', to='intermediation.due')),
                    ],
                    options={
                        'verbose_name': "affectation d'un versement",
                        'db_table': 'child_support_dueallocation',
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(_forward, _backward),
    ]
