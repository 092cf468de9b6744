"""Golden households, as API payloads: varied on purpose (the issue lists the kinds to cover)."""

MONTH = "2026-01"


def months(last: str = MONTH, count: int = 36) -> list[str]:
    year, month = int(last[:4]), int(last[5:])
    out = []
    for _ in range(count):
        out.append(f"{year:04d}-{month:02d}")
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return out


def monthly(amount: str, kind: str = "salaire_net", last: str = MONTH, count: int = 36) -> dict:
    return {kind: {m: amount for m in months(last, count)}}


def parent(pid="p1", born="1988-05-10", last=MONTH, count=36, **resources) -> dict:
    merged = {}
    for kind, amount in resources.items():
        merged |= monthly(amount, kind, last, count)
    return {"id": pid, "role": "parent", "birth_date": born, "resources": merged}


def child(cid, born, **extra) -> dict:
    return {"id": cid, "role": "child", "birth_date": born, **extra}


def case(name, persons, *, couple=False, status="tenant", rent="650.00", support="none", received="0.00",
         months_without=None, month=MONTH, commune="91228"):  # fmt: skip
    return name, {
        "month": month,
        "couple": couple,
        "persons": persons,
        "housing": {"status": status, "rent": rent, "commune_insee": commune},
        "child_support": {
            "status": support,
            "received_monthly": received,
            "months_without_pension_set": months_without,
        },
    }


KIDS2 = [child("c1", "2016-03-01"), child("c2", "2020-09-15")]
CASES = [
    case(
        "isolé 2 enfants, salaire 1 200, pension impayée",
        [parent(salaire_net="1200.00"), *KIDS2],
        support="set_unpaid",
    ),
    case("isolé 2 enfants, sans revenu, pas de pension fixée", [parent(), *KIDS2], months_without=1),
    case("isolé 2 enfants, pas de pension depuis 6 mois", [parent(), *KIDS2], months_without=6),
    case(
        "isolé 1 enfant, débiteur hors d'état",
        [parent(salaire_net="900.00"), child("c1", "2019-01-01")],
        support="debtor_unable",
    ),
    case(
        "isolé 1 enfant, pension 100 € versée (différentielle)",
        [parent(salaire_net="1500.00"), child("c1", "2015-06-01")],
        support="set_paid",
        received="100.00",
    ),
    case(
        "isolé 1 enfant, pension 300 € versée (pas d'ASF)",
        [parent(salaire_net="1500.00"), child("c1", "2015-06-01")],
        support="set_paid",
        received="300.00",
    ),
    case(
        "couple 2 enfants, deux salaires",
        [parent(salaire_net="1800.00"), parent("p2", "1986-01-02", salaire_net="1600.00"), *KIDS2],
        couple=True,
    ),
    case(
        "couple 3 enfants, un salaire",
        [
            parent(salaire_net="1700.00"),
            parent("p2", "1985-02-02"),
            child("c1", "2012-01-01"),
            child("c2", "2015-01-01"),
            child("c3", "2023-05-01"),
        ],
        couple=True,
    ),
    case(
        "couple 1 enfant de 2 ans, sans revenu",
        [parent(), parent("p2", "1990-03-03"), child("c1", "2023-11-01")],
        couple=True,
    ),
    case("couple sans enfant, RSA", [parent(), parent("p2", "1990-03-03")], couple=True),
    case("personne seule sans revenu (RSA)", [parent()]),
    case("personne seule, salaire 1 000 (prime d'activité)", [parent(salaire_net="1000.00")]),
    case("personne seule, salaire 2 500", [parent(salaire_net="2500.00")]),
    case(
        "isolé 3 enfants, chômage 900",
        [
            parent(chomage_net="900.00"),
            child("c1", "2010-01-01"),
            child("c2", "2014-01-01"),
            child("c3", "2018-01-01"),
        ],
        support="set_unpaid",
    ),
    case(
        "isolé 4 enfants, salaire 1 300",
        [
            parent(salaire_net="1300.00"),
            child("c1", "2009-01-01"),
            child("c2", "2012-01-01"),
            child("c3", "2016-01-01"),
            child("c4", "2021-01-01"),
        ],
        support="set_unpaid",
    ),
    case(
        "isolé 5 enfants, sans revenu",
        [parent(), *[child(f"c{i}", f"{2008 + 3 * i}-02-01") for i in range(5)]],
        support="debtor_unable",
    ),
    case(
        "isolé, enfant en résidence alternée",
        [parent(salaire_net="1400.00"), child("c1", "2015-01-01", alternating_custody=True)],
        support="set_unpaid",
    ),
    case(
        "couple, un enfant en résidence alternée",
        [
            parent(salaire_net="1600.00"),
            parent("p2", "1987-01-01", salaire_net="1200.00"),
            child("c1", "2014-01-01", alternating_custody=True),
            child("c2", "2022-01-01"),
        ],
        couple=True,
    ),
    case(
        "isolé, enfant étudiant de 19 ans",
        [parent(salaire_net="1400.00"), child("c1", "2006-09-01", student=True)],
        support="set_unpaid",
    ),
    case(
        "isolé, enfant de 21 ans",
        [parent(salaire_net="1400.00"), child("c1", "2004-09-01")],
        support="set_unpaid",
    ),
    case(
        "isolé, enfant handicapé (80 %)",
        [parent(salaire_net="1200.00"), child("c1", "2017-01-01", disability_rate=80)],
        support="set_unpaid",
    ),
    case(
        "couple, enfant handicapé (50 %)",
        [
            parent(salaire_net="2000.00"),
            parent("p2", "1985-01-01"),
            child("c1", "2013-01-01", disability_rate=50),
        ],
        couple=True,
    ),
    case("adulte handicapé seul (80 %), sans revenu", [{**parent(), "disability_rate": 80}]),
    case(
        "isolé 2 enfants, propriétaire",
        [parent(salaire_net="2200.00"), *KIDS2],
        status="owner",
        rent="0.00",
        support="set_paid",
        received="350.00",
    ),
    case(
        "isolé 2 enfants, hébergé",
        [parent(salaire_net="800.00"), *KIDS2],
        status="hosted",
        rent="0.00",
        support="set_unpaid",
    ),
    case(
        "isolé 2 enfants, accédant",
        [parent(salaire_net="1900.00"), *KIDS2],
        status="buyer",
        rent="700.00",
        support="set_unpaid",
    ),
    case(
        "retraitée seule avec petit-enfant",
        [parent(born="1960-01-01", retraite_nette="1100.00"), child("c1", "2014-01-01")],
        support="debtor_unable",
    ),
    case(
        "isolé, pension d'invalidité",
        [parent(pensions_invalidite="700.00"), child("c1", "2016-01-01")],
        support="set_unpaid",
    ),
    case(
        "couple, parent payant une pension",
        [
            parent(salaire_net="2400.00", pensions_alimentaires_versees_individu="250.00"),
            parent("p2", "1989-01-01", salaire_net="900.00"),
            child("c1", "2021-01-01"),
        ],
        couple=True,
    ),
    case(
        "isolé 2 enfants, août (ARS)",
        [parent(salaire_net="1100.00", last="2026-08"), *KIDS2],
        support="set_unpaid",
        month="2026-08",
    ),
    case(
        "couple 3 enfants, août (ARS)",
        [
            parent(salaire_net="1500.00", last="2026-08"),
            parent("p2", "1986-01-01"),
            child("c1", "2011-01-01"),
            child("c2", "2014-01-01"),
            child("c3", "2017-01-01"),
        ],
        couple=True,
        month="2026-08",
    ),
    case(
        "isolé 1 enfant de 3 ans, salaire 1 600",
        [parent(salaire_net="1600.00"), child("c1", "2022-06-01")],
        support="set_unpaid",
    ),
    case(
        "isolée, micro-entrepreneuse 900",
        [parent(rpns_micro_entreprise="900.00"), child("c1", "2018-04-01")],
        support="set_unpaid",
    ),
    case(
        "isolé, en arrêt maladie (indemnités journalières 1 100)",
        [parent(indemnites_journalieres="1100.00"), child("c1", "2017-02-01"), child("c2", "2019-02-01")],
        support="debtor_unable",
    ),
    case(
        "étudiante locataire, salaire 500",
        [{**parent(born="2004-02-01", salaire_net="500.00"), "student": True}],
        rent="480.00",
    ),
    case("personne âgée seule sans revenu (67 ans)", [parent(born="1958-06-01")], rent="520.00"),
    case(
        "isolé, pas de pension depuis 3 mois (encore provisoire)",
        [parent(salaire_net="1300.00"), child("c1", "2014-05-01")],
        months_without=3,
    ),
    case(
        "isolé, pas de pension depuis 4 mois (ASF arrêtée)",
        [parent(salaire_net="1300.00"), child("c1", "2014-05-01")],
        months_without=4,
    ),
    case(
        "isolé, reprise d'emploi après le chômage",
        [
            {
                "id": "p1",
                "role": "parent",
                "birth_date": "1990-01-01",
                "resources": monthly("1000.00", "chomage_net", "2025-09", 24)
                | monthly("1500.00", "salaire_net", MONTH, 4),
            },
            child("c1", "2016-01-01"),
        ],
        support="set_unpaid",
    ),
    case(
        "couple 4 enfants, complément familial",
        [
            parent(salaire_net="1400.00"),
            parent("p2", "1984-01-01", salaire_net="600.00"),
            child("c1", "2010-01-01"),
            child("c2", "2012-01-01"),
            child("c3", "2016-01-01"),
            child("c4", "2019-01-01"),
        ],
        couple=True,
    ),
    case(
        "isolé en Corse, salaire 1 100",
        [parent(salaire_net="1100.00"), child("c1", "2015-01-01")],
        support="set_unpaid",
        commune="2A004",
    ),
    case(
        "isolé, salaire imposable déclaré",
        [
            parent(salaire_net="1400.00", salaire_imposable="1480.00"),
            child("c1", "2013-01-01"),
            child("c2", "2018-01-01"),
        ],
        support="set_paid",
        received="50.00",
    ),
    case(
        "isolé 2 enfants, temps partiel 450 (RSA et prime d'activité)",
        [parent(salaire_net="450.00"), *KIDS2],
        support="debtor_unable",
    ),
    case(
        "couple sans enfant, un temps partiel 600 (RSA et prime d'activité)",
        [parent(salaire_net="600.00"), parent("p2", "1991-07-07")],
        couple=True,
        rent="700.00",
    ),
    case(
        "isolée à La Réunion, salaire 1 000",
        [parent(salaire_net="1000.00"), child("c1", "2017-09-01"), child("c2", "2021-03-01")],
        support="set_unpaid",
        commune="97411",
        rent="550.00",
    ),
    # Issue 9: salaries given as taxable amounts only (the net is openfisca-france's, not a known 0).
    case(
        "couple AAH (80 % chacun), salaires imposables seuls, 2023-11",
        [
            {
                **parent(born="1980-01-01", last="2023-11", count=3, salaire_imposable="2000.00"),
                "disability_rate": 80,
            },
            {
                **parent("p2", "1982-01-01", last="2023-11", count=3, salaire_imposable="2000.00"),
                "disability_rate": 80,
            },
        ],
        couple=True,
        month="2023-11",
        commune="75056",
    ),
    case(
        "personne seule, salaire imposable seul 1 300",
        [parent(salaire_imposable="1300.00")],
        rent="500.00",
    ),
    case(
        "isolé, salaire net puis imposable seul, chômage imposable seul",
        [
            {
                "id": "p1",
                "role": "parent",
                "birth_date": "1987-03-03",
                "resources": monthly("1100.00", "salaire_net", "2025-06", 20)
                | monthly("1250.00", "salaire_imposable", MONTH, 7)
                | monthly("700.00", "chomage_imposable", "2025-03", 6),
            },
            child("c1", "2016-01-01"),
        ],
        support="set_unpaid",
    ),
    case(
        "couple, l'un salaire net, l'autre imposable seul",
        [parent(salaire_net="1500.00"), parent("p2", "1986-01-02", salaire_imposable="900.00")],
        couple=True,
        rent="750.00",
    ),
    # Issue 9: a tenant paying no rent, three months of salary: the prime d'activité depends on how
    # openfisca resolves its RSA <-> aides au logement loop (mva/caah read the aides au logement).
    case(
        "personne seule, 3 mois de salaire 1 202, locataire sans loyer, 2019-04",
        [parent(last="2019-04", count=3, salaire_net="1202.00")],
        rent="0.00",
        month="2019-04",
        commune="75056",
    ),
]
