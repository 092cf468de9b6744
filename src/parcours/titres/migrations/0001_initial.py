"""The titres move out of child_support: the tables keep their names (child_support_*), only Django's
state moves (no data moves; an existing database migrates)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


MODELS = ['titre', 'titrechild', 'titrerequest', 'titrerequestchild']


def _forward(apps, schema_editor):
    """Content types (and so permissions and admin history) follow the models to their new app."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="child_support", model__in=MODELS).update(app_label="titres")


def _backward(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="titres", model__in=MODELS).update(app_label="child_support")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('child_support', '0004_titre_request_withdrawn'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('households', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Titre',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('reference', models.CharField(max_length=30, unique=True, verbose_name='référence')),
                        ('kind', models.CharField(choices=[('jugement', 'Jugement ou ordonnance du juge aux affaires familiales'), ('divorce', 'Convention de divorce par consentement mutuel'), ('acte_notarie', 'Acte notarié'), ('transaction', "Transaction ou acte d'avocats homologué"), ('titre_caf', 'Titre exécutoire délivré par la Caf')], max_length=20, verbose_name='nature')),
                        ('issued_on', models.DateField(verbose_name='date du titre')),
                        ('start_on', models.DateField(verbose_name='pension due à partir du')),
                        ('end_on', models.DateField(blank=True, null=True, verbose_name='fin de la pension')),
                        ('revaluation_index', models.CharField(default='001763852', max_length=40, verbose_name='indice de revalorisation')),
                        ('revaluation_anniversary', models.DateField(verbose_name='première date de revalorisation')),
                        ('intermediation_refused', models.BooleanField(default=False, verbose_name='intermédiation refusée par les deux parents')),
                        ('judge_excluded', models.BooleanField(default=False, verbose_name='intermédiation écartée par le juge')),
                        ('violence', models.BooleanField(default=False, verbose_name='violences (plainte, condamnation ou décision de justice)')),
                        ('debtor_monthly_resources', models.DecimalField(blank=True, decimal_places=2, max_digits=10, null=True, verbose_name='ressources mensuelles du débiteur (€)')),
                        ('recorded_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='enregistré le')),
                        ('creditor', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='households.person', verbose_name='parent créancier')),
                        ('creditor_dossier', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='titres_as_creditor', to='households.dossier')),
                        ('debtor', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='households.person', verbose_name='parent débiteur')),
                        ('debtor_dossier', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='households.dossier')),
                        ('recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'titre fixant une pension',
                        'verbose_name_plural': 'titres fixant une pension',
                        'db_table': 'child_support_titre',
                        'ordering': ['id'],
                    },
                ),
                migrations.CreateModel(
                    name='TitreRequest',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('union', models.CharField(max_length=20, verbose_name='vie commune')),
                        ('debtor_monthly_resources', models.DecimalField(decimal_places=2, max_digits=10, verbose_name='ressources mensuelles du débiteur (€)')),
                        ('children_dependent_on_debtor', models.PositiveSmallIntegerField(verbose_name='enfants à la charge du débiteur')),
                        ('documents_provided', models.JSONField(default=list, verbose_name='pièces fournies')),
                        ('refuse_intermediation', models.BooleanField(default=False, verbose_name="les deux parents refusent l'intermédiation")),
                        ('creditor_signed_on', models.DateField(blank=True, null=True, verbose_name='signée par le créancier le')),
                        ('debtor_signed_on', models.DateField(blank=True, null=True, verbose_name='signée par le débiteur le')),
                        ('submitted_on', models.DateField(blank=True, null=True, verbose_name='déposée le')),
                        ('status', models.CharField(choices=[('a_signer', "En attente de la signature de l'autre parent"), ('deposee', "Déposée, en cours d'examen"), ('acceptee', 'Acceptée : titre délivré'), ('acceptee_silence', 'Acceptée (quatre mois sans réponse) : titre délivré'), ('refusee', 'Refusée'), ('retiree', 'Retirée par un parent')], default='a_signer', max_length=20, verbose_name='état')),
                        ('decided_on', models.DateField(blank=True, null=True, verbose_name='décidée le')),
                        ('reasons', models.JSONField(default=list, verbose_name='motifs du refus')),
                        ('creditor', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='households.person')),
                        ('creditor_dossier', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='titre_requests', to='households.dossier')),
                        ('debtor', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='households.person')),
                        ('titre', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='request', to='titres.titre')),
                    ],
                    options={
                        'verbose_name': 'demande de titre exécutoire',
                        'verbose_name_plural': 'demandes de titre exécutoire',
                        'db_table': 'child_support_titrerequest',
                        'ordering': ['id'],
                    },
                ),
                migrations.CreateModel(
                    name='TitreRequestChild',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('monthly_amount', models.DecimalField(decimal_places=2, max_digits=9, verbose_name='pension mensuelle demandée (€)')),
                        ('arrangement', models.CharField(choices=[('reduit', "Droit de visite réduit (moins d'un quart du temps)"), ('classique', "Droit de visite et d'hébergement classique"), ('alterne', 'Résidence alternée')], max_length=20, verbose_name="droit de visite et d'hébergement")),
                        ('existing_titre_or_procedure', models.BooleanField(default=False, verbose_name='titre ou procédure existant')),
                        ('child', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='households.person')),
                        ('request', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='children', to='titres.titrerequest')),
                    ],
                    options={
                        'db_table': 'child_support_titrerequestchild',
                    },
                ),
                migrations.CreateModel(
                    name='TitreChild',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('monthly_amount', models.DecimalField(decimal_places=2, max_digits=9, verbose_name='pension mensuelle (€)')),
                        ('arrangement', models.CharField(choices=[('reduit', "Droit de visite réduit (moins d'un quart du temps)"), ('classique', "Droit de visite et d'hébergement classique"), ('alterne', 'Résidence alternée')], max_length=20, verbose_name="droit de visite et d'hébergement")),
                        ('child', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='households.person')),
                        ('titre', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='children', to='titres.titre')),
                    ],
                    options={
                        'verbose_name': 'enfant du titre',
                        'verbose_name_plural': 'enfants du titre',
                        'db_table': 'child_support_titrechild',
                        'constraints': [models.UniqueConstraint(fields=('titre', 'child'), name='titre_child_once')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(_forward, _backward),
    ]
