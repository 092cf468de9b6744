"""The Caf's first texts for "s'informer" (editable afterwards in the admin)."""

from django.db import migrations

TOPICS = [
    # code, title, body, link, label, order, unions, children_only, without_decision_only, unsafe_only
    ("violences", "Vous êtes en danger : vous n'êtes pas seul(e)",
     "En cas d'urgence, appelez le 17 ou envoyez un SMS au 114. Le 3919 écoute et oriente les victimes de violences, gratuitement et anonymement, 24 h/24. La Caf peut vous rappeler discrètement et votre nouvelle adresse peut rester confidentielle.",
     "https://arretonslesviolences.gouv.fr", "arretonslesviolences.gouv.fr", 1, "", False, False, True),
    ("divorce", "Le divorce",
     "Le divorce se fait par consentement mutuel devant notaire, ou devant le juge aux affaires familiales. Pensez à prévenir la Caf dès que vous ne vivez plus ensemble, sans attendre le jugement.",
     "https://www.service-public.fr/particuliers/vosdroits/N142", "Le divorce sur service-public.fr", 10, "mariage", False, False, False),
    ("pacs", "La fin du PACS",
     "Le PACS prend fin par une déclaration conjointe ou par la décision d'un seul partenaire signifiée par commissaire de justice, enregistrée en mairie ou chez le notaire.",
     "https://www.service-public.fr/particuliers/vosdroits/F1026", "La dissolution du PACS", 10, "pacs", False, False, False),
    ("concubinage", "La fin de l'union libre",
     "Aucune démarche n'est nécessaire pour mettre fin à une union libre, mais la Caf doit être informée pour revoir vos droits.",
     "", "", 10, "concubinage", False, False, False),
    ("pension", "La pension alimentaire",
     "Vous pouvez fixer la pension à l'amiable et faire délivrer un titre exécutoire par la Caf (parents non mariés), ou la faire fixer par le juge. L'ARIPA peut la percevoir et vous la reverser chaque mois, et avancer l'allocation de soutien familial en cas d'impayé.",
     "https://www.pension-alimentaire.caf.fr", "pension-alimentaire.caf.fr", 20, "", True, False, False),
    ("mediation", "La médiation familiale",
     "Un médiateur familial vous aide à vous mettre d'accord sur la résidence des enfants, les droits de visite et la pension. Son tarif dépend de vos revenus.",
     "", "", 30, "", True, True, False),
    ("espace-rencontre", "Les espaces de rencontre",
     "Lieux neutres où un enfant peut retrouver le parent chez qui il ne vit pas, en sécurité.",
     "", "", 40, "", True, False, False),
    ("aide-domicile", "L'aide à domicile",
     "Une technicienne d'intervention sociale et familiale peut vous aider quelques heures par semaine pendant cette période. Le coût dépend de vos ressources.",
     "", "", 50, "", True, False, False),
    ("logement", "Le logement",
     "Si vous changez de logement, déclarez-le : vous pouvez avoir droit à une aide au logement. En cas de difficulté à payer le loyer, la Caf peut vous orienter.",
     "", "", 60, "", False, False, False),
    ("aides-financieres", "Les aides financières",
     "Selon votre situation, la Caf peut accorder une aide financière ponctuelle ou un prêt. Un travailleur social de la Caf peut vous accompagner.",
     "", "", 70, "", False, False, False),
]


def seed(apps, schema_editor):
    InfoTopic = apps.get_model("separation", "InfoTopic")
    for code, title, body, url, label, order, unions, children, no_decision, unsafe in TOPICS:
        InfoTopic.objects.update_or_create(
            code=code,
            defaults={
                "title": title, "body": body, "link_url": url, "link_label": label, "order": order,
                "unions": unions, "children_only": children, "without_decision_only": no_decision,
                "unsafe_only": unsafe,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("separation", "0004_info_topics")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
