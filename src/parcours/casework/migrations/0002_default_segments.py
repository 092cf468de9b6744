"""The first typologies of publics (GAP), in evaluation order: an administrator edits them."""

from django.db import migrations

SEGMENTS = [
    ("violences", "Parents protégés (adresse confidentielle)", "Parent dont l'adresse est confidentielle : accompagnement renforcé, jamais de contact avec l'autre parent.", 10, "accompagnement", [("violences", "=", "oui")]),
    ("separation-isole-sans-revenu", "Séparation récente, parent isolé sans revenu", "Parent isolé séparé depuis moins d'un an, sans revenu d'activité ni de remplacement.", 20, "accompagnement", [("separation_recente", "=", "oui"), ("parent_isole", "=", "oui"), ("sans_revenu", "=", "oui")]),
    ("pension-impayee", "Pension alimentaire impayée", "Parent créancier d'une pension impayée : ASF, intermédiation, recouvrement.", 30, "aripa", [("pension_impayee", "=", "oui")]),
    ("handicap", "Foyers avec un handicap", "AAH ou AEEH versée : droits liés au handicap, AJPP, aide à la garde.", 40, "prestations", [("handicap", "=", "oui")]),
    ("monoparentales-jeune-enfant", "Familles monoparentales avec un enfant de moins de 3 ans", "Parent isolé avec un jeune enfant : mode de garde, CMG, ASF.", 50, "prestations", [("parent_isole", "=", "oui"), ("enfant_moins_3_ans", "=", "oui")]),
    ("minima-sociaux", "Bénéficiaires du RSA", "Foyers au RSA : déclaration trimestrielle, prime d'activité à la reprise d'emploi.", 60, "prestations", [("rsa", ">", "0")]),
    ("familles-nombreuses", "Familles de trois enfants ou plus", "Complément familial, allocations familiales majorées.", 70, "prestations", [("enfants", ">=", "3")]),
]


def seed(apps, schema_editor):
    Segment = apps.get_model("casework", "Segment")
    Condition = apps.get_model("casework", "Condition")
    for code, name, description, rank, team, conditions in SEGMENTS:
        segment, created = Segment.objects.get_or_create(
            code=code, defaults={"name": name, "description": description, "rank": rank, "team_code": team}
        )
        if created:
            for indicator, operator, value in conditions:
                Condition.objects.create(segment=segment, indicator=indicator, operator=operator, value=value)


class Migration(migrations.Migration):
    dependencies = [("casework", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
