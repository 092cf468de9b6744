"""Back-office (casework) benchmark on PostgreSQL: `python -m bench casework --dossiers 1000000`.

The issue's targets, with N dossiers and N open tasks (N = 1 000 000):

- full rescoring (`services.scoring.rescore`) ≤ 60 s;
- segmentation of every dossier ≤ 60 s: `profiles_compute` then `segments_apply`, reported apart;
- "prendre la suivante" (`services.tasks.task_take_next`) p99 ≤ 20 ms with 50 concurrent agents
  (threads, each with its own connection), never the same task twice (checked, reported);
- the queue page (GET /taches/file/ as a signed-in agent of the team, django.test.Client
  in-process) p95 ≤ 150 ms.

The database is `parcours_bench_casework` on `--postgres`, migrated, then seeded with set-based SQL
(INSERT … SELECT over generate_series, RI triggers off for the session: every key is generated
consistent): N dossiers of département 91 with their persons and memberships (couples, 0 to 4
children, recent and older separations), declared resources, a housing and an address for most
(a few confidential), child-support arrangements for single parents, the rights revisions of the
current month (RSA, prime d'activité, aide au logement, AF, CF, ASF, AAH, AEEH at realistic amounts
for a share of households), the three teams of 91 and N open tasks of every kind (core.work.Kind)
spread at random over the dossiers, with break dates within and beyond the 28-day horizon and the
amount their cause carries for the "cause" kinds. The seed is kept (a marker table says for which
size and month) and reused by the next run at the same size; `--fresh` rebuilds it. The tasks taken
during a run are put back in the queue at its end (their transition rows stay).

Each step runs after a VACUUM ANALYZE of the tables it reads (untimed: what autovacuum does between
two nightly runs), several times when cheap; its slowest SQL statements are recorded, and a step
beyond its target gets the EXPLAIN (ANALYZE, BUFFERS) of its dominant statements (writes in a
rolled-back transaction). Results: bench/results/casework-YYYYMMDD-HHMM.{md,json}.
"""

from __future__ import annotations

import json
import math
import os
import random
import statistics
import sys
import threading
import time
from collections import defaultdict
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from bench.provenance import source

RESULTS = Path(__file__).resolve().parent / "results"
DATABASE = "parcours_bench_casework"
DEPARTEMENT = "91"
MARKER = "bench_casework_seed"
TARGETS = {"rescore": 60.0, "segmentation": 60.0, "take_next_p99_ms": 20.0, "queue_p95_ms": 150.0}
TAKER_PREFIX = "bench-agent-"
HOLDER = "bench-holder"  # owns the tasks seeded "en cours" / "en attente" (never a taker)
VIEWER = "bench-viewer"  # the agent who reads the queue page
FIRST = ["Camille", "Dominique", "Claude", "Sacha", "Alex", "Morgan", "Lou", "Noa", "Yanis", "Inès", "Léa"]
LAST = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau"]
# kind, share of the tasks, default team, break date: (share without one, first day, last day from
# today), amount the cause carries (cents: min, max; 0 when the kind threatens the benefits).
KINDS = (
    ("dtr_manquante", 0.15, "prestations", (0.05, -5, 60), (0, 0)),
    ("pieces", 0.10, "prestations", (0.60, 0, 90), (0, 0)),
    ("changement", 0.17, "prestations", (0.60, 0, 90), (0, 0)),
    ("declaration", 0.05, "prestations", (0.40, 5, 60), (0, 0)),
    ("fin_de_droit", 0.10, "prestations", (0.05, 0, 40), (5_000, 90_000)),
    ("impaye_loyer", 0.06, "prestations", (0.20, 20, 120), (0, 0)),
    ("paiement_retourne", 0.05, "prestations", (0.0, 0, 35), (0, 0)),
    ("courrier_retourne", 0.10, "prestations", (0.30, 15, 90), (0, 0)),
    ("impaye_sans_asf", 0.05, "aripa", (0.10, 0, 60), (10_000, 45_000)),
    ("indu", 0.17, "prestations", (0.60, 10, 120), (1_500, 60_000)),
)
TEAMS = (
    ("prestations", "Prestations familiales et sociales"),
    ("aripa", "Pensions alimentaires (ARIPA)"),
    ("accompagnement", "Accompagnement des familles"),
)
SEEDED_TABLES = (
    "households_dossier",
    "households_situationchange",
    "households_person",
    "households_membership",
    "households_resource",
    "households_housing",
    "households_address",
    "households_childsupport",
    "rights_rightsrevision",
    "casework_task",
)
SEGMENT_ROUTED = 0.07  # share of tasks a segment routed to the "accompagnement" team


def log(message: str) -> None:
    print(f"[bench casework {datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def spaced(n: int) -> str:
    return f"{n:,}".replace(",", "\u202f")


# --- The database, before Django is set up -----------------------------------------------------


def ensure_database(server_url: str, *, dossiers: int, fresh: bool) -> str:
    """The benchmark database's URL: kept when its seed is of this size and month, else made anew."""
    import psycopg

    month = date.today().replace(day=1)
    keep = False
    if not fresh:
        try:
            with psycopg.connect(f"{server_url}/{DATABASE}", autocommit=True) as conn:
                row = conn.execute(
                    f"SELECT dossiers, month FROM {MARKER} ORDER BY seeded_at DESC LIMIT 1"
                ).fetchone()
                keep = row is not None and row[0] == dossiers and row[1] == month
        except psycopg.Error:
            keep = False
    if not keep:
        with psycopg.connect(f"{server_url}/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {DATABASE}")
        log(f"database {DATABASE} created")
    else:
        log(f"database {DATABASE} kept: seeded with {spaced(dossiers)} dossiers for {month:%Y-%m}")
    return f"{server_url}/{DATABASE}"


# --- Seeding -----------------------------------------------------------------------------------


def _exec(cursor: Any, sql: str) -> int:
    cursor.execute(sql)
    return cursor.rowcount


def seeded(dossiers: int, month: date) -> bool:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [MARKER])
        if cursor.fetchone()[0] is None:
            return False
        cursor.execute(f"SELECT dossiers, month FROM {MARKER} ORDER BY seeded_at DESC LIMIT 1")
        row = cursor.fetchone()
    return row is not None and row[0] == dossiers and row[1] == month


def seed(*, dossiers: int, tasks: int, today: date, teams: dict[str, int], holder: int) -> dict[str, Any]:
    """Fill the registry, the month's rights and the open tasks, set-based; seconds and rows per table."""
    from django.db import connection, transaction

    n = int(dossiers)
    month = today.replace(day=1)
    d = f"DATE '{today.isoformat()}'"
    m = f"DATE '{month.isoformat()}'"
    first = "ARRAY[" + ", ".join(f"'{x}'" for x in FIRST) + "]"
    last = "ARRAY[" + ", ".join(f"'{x}'" for x in LAST) + "]"
    steps: dict[str, dict[str, float | int]] = {}

    def step(name: str, sql: str) -> None:
        t = time.perf_counter()
        with connection.cursor() as cursor:
            rows = _exec(cursor, sql)
        steps[name] = {"rows": rows, "seconds": round(time.perf_counter() - t, 2)}
        log(f"seed {name}: {spaced(max(rows, 0))} rows in {steps[name]['seconds']} s")

    with transaction.atomic(), connection.cursor() as cursor:
        # The keys are generated consistent: no RI trigger per row (superuser, this session only).
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("SET LOCAL synchronous_commit = off")
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        cursor.execute("SELECT setseed(0.2026)")
        # The secondary indexes of the tables filled are dropped, then built once at the end (the
        # constraints' own indexes stay): a sorted build instead of a million index inserts.
        cursor.execute(
            "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
            "JOIN pg_class t ON t.oid = x.indrelid WHERE t.relname = ANY(%s) "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)",
            [list(SEEDED_TABLES)],
        )
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        # One row per household: its draws, then what follows from them.
        step(
            "households (draws)",
            f"""
            CREATE UNLOGGED TABLE bench_draw AS
            SELECT i AS id, random() AS r_couple, random() AS r_children, random() AS r_open,
                   random() AS r_sep, random() AS r_inc_a, random() AS r_inc_c, random() AS r_kind,
                   random() AS r_housing, random() AS r_addr, random() AS r_conf, random() AS r_cs,
                   random() AS r_rsa, random() AS r_ppa, random() AS r_al, random() AS r_asf,
                   random() AS r_aah, random() AS r_aeeh, random() AS r_cf, random() AS r_amount,
                   random() AS r_revised
            FROM generate_series(1, {n}) i
            """,
        )
        step(
            "households",
            f"""
            CREATE UNLOGGED TABLE bench_hh AS
            WITH base AS (
              SELECT r.*, (r_couple < 0.42) AS couple,
                     CASE WHEN r_children < 0.30 THEN 0 WHEN r_children < 0.55 THEN 1
                          WHEN r_children < 0.80 THEN 2 WHEN r_children < 0.93 THEN 3 ELSE 4 END AS children,
                     DATE '2004-01-01' + (r_open * 7900)::int AS opened_on
              FROM bench_draw r
            ), flags AS (
              SELECT b.*, (NOT couple AND children > 0) AS single_parent,
                     (r_inc_a < CASE WHEN couple THEN 0.80 ELSE 0.55 END) AS income_a,
                     (couple AND r_inc_c < 0.65) AS income_c,
                     CASE WHEN r_housing < 0.62 THEN 'locataire' WHEN r_housing < 0.72 THEN 'proprietaire'
                          WHEN r_housing < 0.80 THEN 'accedant' WHEN r_housing < 0.90 THEN 'heberge' END AS housing,
                     (r_addr < 0.90) AS has_address
              FROM base b
            ), more AS (
              SELECT f.*, NOT (income_a OR income_c) AS no_income,
                     CASE WHEN single_parent AND r_sep < 0.15 THEN {d} - 10 - (r_sep / 0.15 * 320)::int
                          WHEN single_parent AND r_sep < 0.40 THEN opened_on + 1
                               + ((({d} - 400) - opened_on) * (r_sep - 0.15) / 0.25)::int
                     END AS separated_on,
                     CASE WHEN single_parent AND r_cs < 0.45 THEN
                          CASE WHEN r_cs < 0.20 THEN 'set_paid' WHEN r_cs < 0.36 THEN 'set_unpaid'
                               WHEN r_cs < 0.42 THEN 'none' ELSE 'debtor_unable' END END AS child_support
              FROM flags f
            )
            SELECT m.*,
                   1 + couple::int + children + (separated_on IS NOT NULL AND separated_on > {d} - 365)::int AS size,
                   CASE WHEN (no_income AND r_rsa < 0.75) OR (NOT no_income AND r_rsa < 0.06) THEN
                        GREATEST(20, round((607.75 * (1 + 0.5 * couple::int + 0.3 * LEAST(children, 2)
                                 + 0.4 * GREATEST(children - 2, 0)) - (NOT no_income)::int * 300 * r_amount)::numeric, 2))
                   END AS rsa,
                   CASE WHEN NOT no_income AND r_ppa < 0.40 THEN round((30 + 320 * r_amount)::numeric, 2) END AS ppa,
                   CASE WHEN (housing = 'locataire' AND r_al < 0.70) OR (housing = 'accedant' AND r_al < 0.10)
                        THEN round((80 + 380 * r_al)::numeric, 2) END AS aide_logement,
                   CASE children WHEN 2 THEN 148.52 WHEN 3 THEN 338.81 WHEN 4 THEN 529.10 END AS af,
                   CASE WHEN children >= 3 AND r_cf < 0.55 THEN 198.15 END AS cf,
                   CASE WHEN single_parent AND COALESCE(child_support, 'none') <> 'set_paid' AND r_asf < 0.60
                        THEN 199.19 * children END AS asf,
                   CASE WHEN r_aah < 0.035 THEN round((300 + 733 * r_amount)::numeric, 2) END AS aah,
                   CASE WHEN children > 0 AND r_aeeh < 0.02 THEN 151.00 END AS aeeh
            FROM more m
            """,
        )
        cursor.execute("ALTER TABLE bench_hh ADD PRIMARY KEY (id)")
        cursor.execute("ALTER TABLE bench_hh ADD COLUMN first_person bigint")
        step(
            "households (person numbering)",
            "UPDATE bench_hh h SET first_person = s.first FROM ("
            "SELECT id, SUM(size) OVER (ORDER BY id) - size AS first FROM bench_hh) s WHERE s.id = h.id",
        )
        step(
            "households_dossier",
            f"""
            INSERT INTO households_dossier (id, numero_allocataire, departement, opened_on, created_at)
            SELECT id, lpad(id::text, 7, '0'), '{DEPARTEMENT}', opened_on, now() FROM bench_hh ORDER BY id
            """,
        )
        # The creation of each dossier is change n° id; the separations come after.
        step(
            "households_situationchange",
            f"""
            INSERT INTO households_situationchange (id, kind, effective_date, recorded_at, source, note, dossier_id)
            SELECT id, 'creation', opened_on, now(), 'bench', '', id FROM bench_hh
            UNION ALL
            SELECT {n} + row_number() OVER (ORDER BY id), 'separation', separated_on, now(), 'bench', '', id
            FROM bench_hh WHERE separated_on IS NOT NULL
            """,
        )
        # Slots: 1 the allocataire, 2 the conjoint (couples), then the children, then the former
        # partner of a separation of the last year (left on the separation day).
        step(
            "persons (draws)",
            f"""
            CREATE UNLOGGED TABLE bench_person AS
            SELECT h.id AS dossier_id, h.first_person + s AS id,
                   CASE WHEN s = 1 THEN 'allocataire' WHEN s = 2 AND h.couple THEN 'conjoint'
                        WHEN s = h.size AND h.separated_on > {d} - 365 THEN 'ancien'
                        ELSE 'enfant' END AS role,
                   h.opened_on, h.separated_on, random() AS r_birth, random() AS r_name, random() AS r_sex
            FROM bench_hh h, generate_series(1, h.size) s
            """,
        )
        step(
            "persons (birth dates)",
            f"""
            CREATE UNLOGGED TABLE bench_person2 AS
            SELECT p.*, CASE WHEN role = 'enfant' THEN {d} - 1 - (r_birth * 18 * 365)::int
                             ELSE DATE '1960-01-01' + (r_birth * 15000)::int END AS birth_date
            FROM bench_person p
            """,
        )
        step(
            "households_person",
            f"""
            INSERT INTO households_person (id, first_names, last_name, birth_name, birth_date, sex,
                                           residence_status, created_at)
            SELECT id, ({first})[1 + floor(r_name * {len(FIRST)})::int], ({last})[1 + (id % {len(LAST)})::int], '',
                   birth_date,
                   CASE WHEN r_sex < 0.5 THEN 'F' ELSE 'M' END,
                   CASE WHEN r_name < 0.88 THEN 'francais' WHEN r_name < 0.93 THEN 'ue' ELSE 'titre_sejour' END,
                   now()
            FROM bench_person2 ORDER BY id
            """,
        )
        step(
            "households_membership",
            """
            INSERT INTO households_membership (valid_from, valid_until, role, custody, dossier_id, person_id,
                                               created_in_id, retired_in_id)
            SELECT CASE WHEN role = 'enfant' THEN GREATEST(opened_on, birth_date) ELSE opened_on END,
                   CASE WHEN role = 'ancien' THEN separated_on END,
                   CASE WHEN role = 'ancien' THEN 'conjoint' ELSE role END,
                   'exclusive', dossier_id, id, dossier_id, NULL
            FROM bench_person2 ORDER BY id
            """,
        )
        # Income for the adults who have one (a few ended ones for the others), a received pension
        # for some without (not an income: the household stays "sans revenu").
        step(
            "households_resource",
            f"""
            INSERT INTO households_resource (valid_from, valid_until, kind, monthly_amount, person_id,
                                             created_in_id, retired_in_id)
            SELECT opened_on, until, kind, amount, person, id, NULL FROM (
              SELECT h.id, h.opened_on, NULL::date AS until, h.first_person + 1 AS person,
                     CASE WHEN h.r_kind < 0.80 THEN 'salaire_net' WHEN h.r_kind < 0.90 THEN 'chomage_net'
                          WHEN h.r_kind < 0.96 THEN 'retraite_nette' ELSE 'indemnites_journalieres' END AS kind,
                     round((600 + 2200 * h.r_inc_a / 0.8)::numeric, 2) AS amount
              FROM bench_hh h WHERE h.income_a
              UNION ALL
              SELECT h.id, h.opened_on, NULL, h.first_person + 2, 'salaire_net',
                     round((700 + 2500 * h.r_inc_c / 0.65)::numeric, 2)
              FROM bench_hh h WHERE h.income_c
              UNION ALL
              SELECT h.id, h.opened_on, {d} - 30 - (h.r_kind * 300)::int, h.first_person + 1, 'salaire_net',
                     round((500 + 900 * h.r_kind)::numeric, 2)
              FROM bench_hh h WHERE h.no_income AND h.r_inc_c < 0.15 AND h.opened_on < {d} - 400
              UNION ALL
              SELECT h.id, h.opened_on, NULL, h.first_person + 1, 'pensions_alimentaires_percues',
                     round((100 + 300 * h.r_cs)::numeric, 2)
              FROM bench_hh h WHERE h.child_support = 'set_paid'
            ) r ORDER BY person
            """,
        )
        step(
            "households_housing",
            """
            INSERT INTO households_housing (valid_from, valid_until, status, monthly_rent, dossier_id,
                                            created_in_id, retired_in_id)
            SELECT opened_on, NULL, housing,
                   CASE WHEN housing = 'locataire' THEN round((400 + 700 * r_housing / 0.62)::numeric, 2) END,
                   id, id, NULL
            FROM bench_hh WHERE housing IS NOT NULL ORDER BY id
            """,
        )
        step(
            "households_address",
            """
            INSERT INTO households_address (valid_from, valid_until, street, postcode, commune_insee, commune_name,
                                            is_confidential, dossier_id, created_in_id, retired_in_id)
            SELECT opened_on, NULL, (1 + id % 180) || ' rue des Tilleuls', '91000', '91228', 'Évry-Courcouronnes',
                   r_conf < 0.004, id, id, NULL
            FROM bench_hh WHERE has_address ORDER BY id
            """,
        )
        step(
            "households_childsupport",
            """
            INSERT INTO households_childsupport (valid_from, valid_until, status, monthly_amount_set, dossier_id,
                                                 debtor_id, created_in_id, retired_in_id)
            SELECT COALESCE(separated_on, opened_on), NULL, child_support,
                   CASE WHEN child_support IN ('set_paid', 'set_unpaid') THEN round((100 + 300 * r_cs)::numeric, 2) END,
                   id, NULL, id, NULL
            FROM bench_hh WHERE child_support IS NOT NULL ORDER BY id
            """,
        )
        benefits = ("rsa", "ppa", "aide_logement", "af", "cf", "asf", "aah", "aeeh")
        current = " UNION ALL ".join(
            f"SELECT id, '{b}' AS benefit, {b} AS amount FROM bench_hh WHERE {b} IS NOT NULL"
            for b in benefits
        )
        # A revision superseded within the month for a twentieth of the households (the latest wins).
        step(
            "rights_rightsrevision",
            f"""
            INSERT INTO rights_rightsrevision (month, benefit, amount, previous_amount, registry_version,
                                               computed_at, source, dossier_id)
            SELECT {m}, benefit, amount, prev, id, now(), 'bench', id FROM (
              SELECT 0 AS pass, b.id, b.benefit, round(b.amount * 0.9, 2) AS amount, NULL::numeric AS prev
              FROM ({current}) b JOIN bench_hh h ON h.id = b.id WHERE h.r_revised < 0.05
              UNION ALL
              SELECT 1, b.id, b.benefit, b.amount, NULL FROM ({current}) b
            ) r ORDER BY pass, id, benefit
            """,
        )
        # The open tasks: a kind by its share, a dossier at random, most "à traiter".
        bounds, low = [], 0.0
        for kind, share, team, (no_break, lo, hi), (amin, amax) in KINDS:
            sla = _sla(kind)
            bounds.append(
                f"({low:.4f}, {low + share:.4f}, '{kind}', {sla}, {teams[team]}, {no_break}, {lo}, {hi}, {amin}, {amax})"
            )
            low += share
        step(
            "casework_task",
            f"""
            INSERT INTO casework_task (kind, departement, cause, state, opened_at, opened_by, due_on, breaks_on,
                                       amount_cents, note, score, closed_at, outcome, dossier_id, owner_id, team_id)
            SELECT k.kind, '{DEPARTEMENT}', 'bench:' || k.kind || ':' || g.i,
                   CASE WHEN g.r_state < 0.90 THEN 'a_traiter' WHEN g.r_state < 0.96 THEN 'en_cours'
                        ELSE 'en_attente' END,
                   now() - g.r_open * interval '60 days', 'bench',
                   (now() - g.r_open * interval '60 days')::date + k.sla,
                   CASE WHEN g.r_break >= k.no_break THEN {d} + k.lo + floor((g.r_break - k.no_break)
                        / GREATEST(1 - k.no_break, 0.0001) * (k.hi - k.lo + 1))::int END,
                   CASE WHEN k.amax > 0 THEN k.amin + floor(g.r_amount * (k.amax - k.amin))::bigint ELSE 0 END,
                   '', 0, NULL, '', 1 + floor(g.r_dossier * {n})::bigint,
                   CASE WHEN g.r_state >= 0.90 THEN {holder} END,
                   CASE WHEN g.r_team < {SEGMENT_ROUTED} THEN {teams["accompagnement"]} ELSE k.team END
            FROM (SELECT i, random() AS r_kind, random() AS r_dossier, random() AS r_state, random() AS r_open,
                         random() AS r_break, random() AS r_amount, random() AS r_team
                  FROM generate_series(1, {int(tasks)}) i) g
            JOIN (VALUES {", ".join(bounds)}) AS k(lo_share, hi_share, kind, sla, team, no_break, lo, hi, amin, amax)
              ON g.r_kind >= k.lo_share AND g.r_kind < k.hi_share
            """,
        )
        t = time.perf_counter()
        for _, definition in indexes:
            cursor.execute(definition)
        steps[f"secondary indexes ({len(indexes)}), built"] = {
            "rows": 0,
            "seconds": round(time.perf_counter() - t, 2),
        }
        log(f"seed: {len(indexes)} secondary indexes built in {steps[list(steps)[-1]]['seconds']} s")
        for table in ("households_dossier", "households_person", "households_situationchange"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
            )
        cursor.execute("DROP TABLE bench_draw, bench_person, bench_person2, bench_hh")
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {MARKER} (dossiers integer, tasks integer, month date, seeded_at timestamptz)"
        )
        cursor.execute(f"INSERT INTO {MARKER} VALUES (%s, %s, %s, now())", [n, int(tasks), month])
    t = time.perf_counter()
    vacuum()
    steps["VACUUM ANALYZE (whole database)"] = {"rows": 0, "seconds": round(time.perf_counter() - t, 2)}
    log(f"seeded and vacuumed in {sum(s['seconds'] for s in steps.values()):.1f} s")
    return steps


def _sla(kind: str) -> int:
    from parcours.casework.kinds import catalogue

    return catalogue()[kind].sla_days


def vacuum(*tables: str) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {', '.join(tables)}")


def row_counts() -> dict[str, int]:
    from django.db import connection

    tables = SEEDED_TABLES
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(f"SELECT '{t}', COUNT(*) FROM {t}" for t in tables))
        counts = dict(cursor.fetchall())
        cursor.execute("SELECT state, COUNT(*) FROM casework_task GROUP BY state ORDER BY state")
        counts.update({f"casework_task ({s})": c for s, c in cursor.fetchall()})
        cursor.execute(
            "SELECT t.code, COUNT(*) FROM casework_task k JOIN casework_team t ON t.id = k.team_id "
            "WHERE k.state IN ('a_traiter', 'en_cours', 'en_attente') GROUP BY t.code ORDER BY t.code"
        )
        counts.update({f"open tasks of team {c}": n for c, n in cursor.fetchall()})
        cursor.execute("SELECT pg_database_size(current_database())")
        counts["database size (MB)"] = round(cursor.fetchone()[0] / 2**20)
    return counts


# --- Teams and agents --------------------------------------------------------------------------


def fixtures(agents: int) -> dict[str, Any]:
    """The teams of 91, the agents who take tasks (members of "prestations"), the holder of the
    tasks seeded in progress and the agent who reads the queue page; ids by name."""
    from parcours.accounts.models import User
    from parcours.casework.kinds import catalogue
    from parcours.casework.models import Team

    teams = {}
    for code, name in TEAMS:
        team, _ = Team.objects.get_or_create(
            departement=DEPARTEMENT,
            code=code,
            defaults={"name": name, "kinds": sorted(k for k, s in catalogue().items() if s.team == code)},
        )
        teams[code] = team

    def agent(username: str, role: str = "agent_prestations") -> User:
        user, created = User.objects.get_or_create(
            username=username, defaults={"role": role, "departement": DEPARTEMENT, "first_name": username}
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        return user

    takers = [agent(f"{TAKER_PREFIX}{i:02d}") for i in range(1, agents + 1)]
    holder, viewer = agent(HOLDER), agent(VIEWER)
    teams["prestations"].members.add(*takers, holder, viewer)
    return {
        "teams": {c: t.pk for c, t in teams.items()},
        "takers": [u.pk for u in takers],
        "holder": holder.pk,
        "viewer": viewer.pk,
    }


def reset_taken(takers: list[int]) -> int:
    """Put the tasks the takers took back in the queue (as if released); their log rows stay."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE casework_task SET owner_id = NULL, state = 'a_traiter' WHERE owner_id = ANY(%s)", [takers]
        )
        return cursor.rowcount


# --- Measures ----------------------------------------------------------------------------------


class Statements:
    """Django execute wrapper: seconds, calls and the last parameters per SQL text."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self.params: dict[str, Any] = {}
        self.lock = threading.Lock()

    def __call__(self, execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            elapsed = time.perf_counter() - started
            with self.lock:
                self.seconds[sql] += elapsed
                self.calls[sql] += 1
                self.params[sql] = params

    def top(self, n: int) -> list[dict[str, Any]]:
        ordered = sorted(self.seconds.items(), key=lambda item: -item[1])[:n]
        return [
            {"seconds": round(s, 3), "calls": self.calls[q], "sql": q, "params": self.params[q]}
            for q, s in ordered
        ]


def quantiles(values: list[float]) -> dict[str, float]:
    """Median, p95, p99 (nearest rank), max and mean, in the unit given."""
    ordered = sorted(values)
    if not ordered:
        return {}

    def rank(q: float) -> float:
        return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]

    return {
        "n": len(ordered),
        "median": statistics.median(ordered),
        "p95": rank(0.95),
        "p99": rank(0.99),
        "max": ordered[-1],
        "mean": statistics.fmean(ordered),
    }


def repeated(
    name: str, action: Any, *, before: Any, at_most: int, budget: float, min_runs: int = 1
) -> list[dict[str, Any]]:
    """Run `action` up to `at_most` times (at least `min_runs`), stopping once `budget` seconds are
    spent; `before` (untimed) runs before each."""
    from django.db import connection

    runs: list[dict[str, Any]] = []
    spent = 0.0
    for i in range(at_most):
        if i >= min_runs and spent >= budget:
            break
        before()
        statements = Statements()
        load = os.getloadavg()[0]
        t = time.perf_counter()
        with connection.execute_wrapper(statements):
            result = action()
        seconds = time.perf_counter() - t
        spent += seconds
        runs.append(
            {
                "seconds": round(seconds, 3),
                "result": result,
                "statements": statements.top(8),
                "load": [round(load, 1), round(os.getloadavg()[0], 1)],
            }
        )
        log(f"{name} run {i + 1}: {seconds:.2f} s ({_short(result)})")
    return runs


def _short(result: Any) -> str:
    if isinstance(result, dict):
        return ", ".join(f"{k} {v}" for k, v in result.items())
    return str(result)


# --- EXPLAIN ---------------------------------------------------------------------------------


def explain(sql: str, params: Any, *, before: list[tuple[str, Any]] | None = None) -> dict[str, Any]:
    """EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) in a transaction rolled back (a write is undone),
    after the statements `before` (the DELETE that precedes an INSERT in its step); the plan as
    indented text and its nodes by exclusive time."""
    from django.db import connection, transaction

    t = time.perf_counter()
    with transaction.atomic():
        with connection.cursor() as cursor:
            for before_sql, before_params in before or []:
                cursor.execute(before_sql, before_params)
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}", params)
            raw = cursor.fetchone()[0]
        transaction.set_rollback(True)
    plan = (json.loads(raw) if isinstance(raw, str) else raw)[0]
    lines: list[str] = []
    nodes: list[dict[str, Any]] = []
    _walk(plan["Plan"], 0, lines, nodes)
    nodes.sort(key=lambda node: -node["exclusive_ms"])
    return {
        "sql": " ".join(sql.split()),
        "seconds": round(time.perf_counter() - t, 2),
        "execution_ms": plan.get("Execution Time"),
        "planning_ms": plan.get("Planning Time"),
        "triggers": plan.get("Triggers", []),
        "jit": plan.get("JIT"),
        "plan": lines,
        "hot": nodes[:6],
    }


def _label(node: dict[str, Any]) -> str:
    label = node["Node Type"]
    for key, fmt in (
        ("Parent Relationship", None),
        ("Relation Name", " on {}"),
        ("Alias", " {}"),
        ("Index Name", " using {}"),
        ("Subplan Name", " [{}]"),
        ("Strategy", " ({})"),
    ):
        if key in node and fmt:
            label += fmt.format(node[key])
    return label


def _walk(node: dict[str, Any], depth: int, lines: list[str], nodes: list[dict[str, Any]]) -> float:
    """Indented lines of the plan; returns the node's total time (ms, over its loops)."""
    loops = node.get("Actual Loops", 1) or 1
    total = (node.get("Actual Total Time") or 0.0) * loops
    children = node.get("Plans", [])
    child_total = 0.0
    line_index = len(lines)
    lines.append("")
    for child in children:
        child_total += _walk(child, depth + 1, lines, nodes)
    exclusive = max(0.0, total - child_total)
    detail = []
    for key in ("Index Cond", "Filter", "Hash Cond", "Join Filter", "Sort Key", "Group Key"):
        if key in node:
            value = node[key] if isinstance(node[key], str) else ", ".join(node[key])
            detail.append(f"{key}: {value[:160]}")
    buffers = node.get("Shared Hit Blocks", 0) + node.get("Shared Read Blocks", 0)
    lines[line_index] = (
        f"{'  ' * depth}-> {_label(node)} (rows={node.get('Actual Rows')} loops={loops} "
        f"total={total:.0f} ms excl={exclusive:.0f} ms buffers={buffers})"
        + (f" {'; '.join(detail)}" if detail else "")
    )
    nodes.append(
        {
            "node": _label(node),
            "exclusive_ms": round(exclusive, 1),
            "total_ms": round(total, 1),
            "rows": node.get("Actual Rows"),
            "loops": loops,
            "detail": "; ".join(detail),
        }
    )
    return total


FULL_EXPLAIN_MAX = 45.0  # seconds: a longer statement is explained on a tenth of the dossiers
SAMPLE = 10


def explain_step(
    name: str, runs: list[dict[str, Any]], *, at_least: float, today: date, dossiers: int
) -> list[dict[str, Any]]:
    """The plans of the last run's statements that took `at_least` seconds (a DELETE apart): in
    full (the DELETEs of the run replayed first, rolled back), or, past FULL_EXPLAIN_MAX, on the
    dossiers of the first tenth of the ids (the same plan shape, a tenth of the loops)."""
    from parcours.casework.services import scoring

    plans = []
    statements = runs[-1]["statements"]
    deletes = [(s["sql"], s["params"]) for s in statements if s["sql"].lstrip().upper().startswith("DELETE")]
    limit = max(1, dossiers // SAMPLE)
    for statement in statements:
        sql = statement["sql"].lstrip()
        if statement["seconds"] < at_least or sql.upper().startswith(("DELETE", "SAVEPOINT")):
            continue
        sampled = statement["seconds"] > FULL_EXPLAIN_MAX
        log(
            f"EXPLAIN ANALYZE{' (a tenth)' if sampled else ''} of a {statement['seconds']} s statement: {_sql_line(sql, 100)}"
        )
        if not sampled:
            before = deletes if sql.upper().startswith("INSERT") else moved_before(sql, dossiers)
            plan = explain(statement["sql"], statement["params"], before=before)
        elif name == "profiles_compute" and sql.upper().startswith("INSERT"):
            sample = scoring.profiles_sql(today, range(1, limit + 1))
            before = [(f"DELETE FROM casework_profile WHERE dossier_id <= {limit}", None)]
            plan = explain(sample, None, before=before)
        elif name == "rescore" and sql.upper().startswith("INSERT"):
            select, params = scoring.score_sql(today, None)
            plan = explain(f"SELECT * FROM ({select}) s WHERE s.dossier_id <= %s", [*params, limit])
        elif sql.upper().startswith("UPDATE") and "WHERE" in sql.upper():
            sample_sql, sample_params = sampled_update(statement["sql"], statement["params"], limit)
            plan = explain(sample_sql, sample_params, before=moved_before(statement["sql"], limit))
        else:
            continue
        plan["statement_seconds"] = statement["seconds"]
        plan["sampled"] = f"dossiers 1 to {limit} (a tenth)" if sampled else ""
        plans.append(plan)
    return plans


OPEN_STATES = "('a_traiter', 'en_attente', 'en_cours')"
# Before each rescoring case (untimed): the tasks' scores set apart from what rescore computes.
RESCORE_CASES = (
    # a change of the weights, or the first night after the seed (every task at score 0)
    ("every score moves", "UPDATE casework_task SET score = 0 WHERE score <> 0"),
    # an ordinary night, as a guess: a tenth of the dossiers' scores move
    (
        "a tenth of the dossiers' scores move",
        f"UPDATE casework_task SET score = score + 1 WHERE dossier_id % 10 = 0 AND state IN {OPEN_STATES}",
    ),
    ("no score moves", None),
)
WORST = RESCORE_CASES[0][0]


def sampled_update(sql: str, params: Any, limit: int) -> tuple[str, list[Any]]:
    """The UPDATE restricted to the dossiers 1..limit (its table's column, qualified)."""
    table = sql.split()[1]
    return f"{sql} AND {table}.dossier_id <= %s", [*(params or []), limit]


def moved_before(sql: str, limit: int) -> list[tuple[str, Any]]:
    """For the copy of the scores onto the tasks (UPDATE … FROM casework_risk): the scores of the
    dossiers 1..limit moved first, so that it writes their tasks (the worst case)."""
    if "casework_risk" not in sql:
        return []
    return [("UPDATE casework_risk SET score = score + 1 WHERE dossier_id <= %s", [limit])]


# --- The steps ---------------------------------------------------------------------------------


def batch_steps(*, today: date, at_most: int, budget: float) -> dict[str, Any]:
    """profiles_compute and segments_apply up to `at_most` times each; rescore once per case of
    RESCORE_CASES (the worst first)."""
    from django.db import connection

    from parcours.casework.services.scoring import profiles_compute, rescore
    from parcours.casework.services.segments import segments_apply

    out: dict[str, Any] = {}
    out["profiles_compute"] = repeated(
        "profiles_compute",
        lambda: profiles_compute(day=today),
        before=lambda: vacuum(
            "casework_profile",
            "households_membership",
            "households_resource",
            "rights_rightsrevision",
        ),
        at_most=at_most,
        budget=budget,
    )
    out["segments_apply"] = repeated(
        "segments_apply",
        lambda: segments_apply(day=today),
        before=lambda: vacuum("casework_profile", "casework_segmentcount"),
        at_most=at_most,
        budget=budget,
    )
    out["rescore"] = []
    for case, perturb in RESCORE_CASES:

        def before(perturb: str | None = perturb) -> None:
            if perturb:
                with connection.cursor() as cursor:
                    cursor.execute(perturb)
            vacuum("casework_task", "casework_risk", "casework_profile")

        for run in repeated(
            f"rescore ({case})", lambda: rescore(day=today), before=before, at_most=1, budget=0
        ):
            out["rescore"].append({**run, "case": case})
    return out


def _signed_in_client(viewer_id: int) -> Any:
    """A test client signed in as the viewer, past the second factor (as django_otp leaves it)."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from parcours.accounts.models import User

    viewer = User.objects.get(pk=viewer_id)
    device = TOTPDevice.objects.filter(user=viewer).first() or TOTPDevice.objects.create(
        user=viewer, name="Application", confirmed=True
    )
    client = Client()
    client.force_login(viewer)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def queue_page(viewer_id: int, *, requests: int) -> dict[str, Any]:
    """GET /taches/file/ (and two filtered variants) as the viewer, in-process, signed in past
    the second factor as in production; milliseconds per request and the SQL behind them."""
    from django.db import connection

    client = _signed_in_client(viewer_id)
    out: dict[str, Any] = {}
    for label, url, count in (
        ("GET /taches/file/", "/taches/file/", requests),
        ("GET /taches/file/?owner=personne", "/taches/file/?owner=personne", max(5, requests // 3)),
        (
            "GET /taches/file/?kind=dtr_manquante&page=40",
            "/taches/file/?kind=dtr_manquante&page=40",
            max(5, requests // 3),
        ),
    ):
        for _ in range(2):  # warm: the template, the session, the connection
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
        statements = Statements()
        times = []
        load = os.getloadavg()[0]
        with connection.execute_wrapper(statements):
            for _ in range(count):
                t = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - t) * 1000)
                assert response.status_code == 200, (url, response.status_code)
        top = statements.top(12)
        per_request = [
            {
                **s,
                "ms_per_request": round(s["seconds"] * 1000 / count, 2),
                "calls_per_request": s["calls"] / count,
            }
            for s in top
        ]
        out[label] = {
            "ms": quantiles(times),
            "sql_ms_per_request": round(sum(statements.seconds.values()) * 1000 / count, 2),
            "queries_per_request": sum(statements.calls.values()) / count,
            "load": [round(load, 1), round(os.getloadavg()[0], 1)],
            "statements": per_request,
        }
        log(f"{label}: {_fmt_q(out[label]['ms'])} ms, SQL {out[label]['sql_ms_per_request']} ms per request")
    return out


def take_next(
    takers: list[int],
    *,
    per_agent: int,
    think_ms: float,
    seed: int,
    label: str,
    breakdown: bool = False,
    processes: bool = False,
) -> dict[str, Any]:
    """`len(takers)` agents (threads, or `processes` forked from this one: an interpreter each, as
    the workers of an application server; a connection each, started together) taking `per_agent`
    tasks each, with a random think time (exponential, mean `think_ms`; 0: back to back); ms per
    take, and the check that no task was given twice. `breakdown`: the SQL statements' and the
    COMMIT's share of a take (for the single agent, in a thread)."""
    import multiprocessing

    from django.db import connection, connections

    from parcours.accounts.models import User
    from parcours.casework.services.tasks import task_take_next

    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM casework_tasktransition")
        watermark = cursor.fetchone()[0]
    fork = multiprocessing.get_context("fork")
    barrier: Any = fork.Barrier(len(takers)) if processes else threading.Barrier(len(takers))
    results: list[tuple[int, int | None, float]] = []
    errors: list[str] = []
    lock = threading.Lock()
    statements = Statements()
    commits: list[float] = []

    def takes(index: int, user_id: int) -> tuple[list[tuple[int, int | None, float]], list[str]]:
        rng = random.Random(seed * 1000 + index)
        mine: list[tuple[int, int | None, float]] = []
        failed: list[str] = []
        try:
            user = User.objects.get(pk=user_id)
            own = connections["default"]
            own.ensure_connection()
            if breakdown:
                commit = own._commit

                def timed_commit() -> None:
                    t = time.perf_counter()
                    commit()
                    commits.append((time.perf_counter() - t) * 1000)

                own._commit = timed_commit  # type: ignore[method-assign]
                own.execute_wrappers.append(statements)
            barrier.wait(timeout=120)
            for _ in range(per_agent):
                if think_ms:
                    time.sleep(rng.expovariate(1 / think_ms) / 1000)
                t = time.perf_counter()
                task = task_take_next(user=user)
                mine.append((user_id, task.pk if task else None, (time.perf_counter() - t) * 1000))
        except Exception as error:
            barrier.abort()
            failed.append(f"{type(error).__name__}: {error}")
        finally:
            connections.close_all()
        return mine, failed

    def in_thread(index: int, user_id: int) -> None:
        mine, failed = takes(index, user_id)
        with lock:
            results.extend(mine)
            errors.extend(failed)

    def in_process(index: int, user_id: int, sink: Any) -> None:
        sink.put(takes(index, user_id))

    load = os.getloadavg()[0]
    if processes:
        connections.close_all()  # the children must not share this process's connection
        sink = fork.Queue()
        workers: list[Any] = [
            fork.Process(target=in_process, args=(i, u, sink)) for i, u in enumerate(takers)
        ]
    else:
        workers = [threading.Thread(target=in_thread, args=(i, u)) for i, u in enumerate(takers)]
    t = time.perf_counter()
    for worker in workers:
        worker.start()
    if processes:
        for _ in workers:
            mine, failed = sink.get(timeout=600)
            results.extend(mine)
            errors.extend(failed)
    for worker in workers:
        worker.join()
    wall = time.perf_counter() - t
    ids = [task for _, task, _ in results if task is not None]
    out: dict[str, Any] = {
        "label": label,
        "agents": len(takers),
        "per_agent": per_agent,
        "think_ms": think_ms,
        "takes": len(results),
        "none_returned": sum(1 for _, task, _ in results if task is None),
        "errors": errors[:5],
        "error_count": len(errors),
        "wall_seconds": round(wall, 2),
        "takes_per_second": round(len(results) / wall, 1) if wall else None,
        "ms": quantiles([ms for _, _, ms in results]),
        "distinct_tasks": len(set(ids)),
        "duplicates_in_answers": len(ids) - len(set(ids)),
        "load": [round(load, 1), round(os.getloadavg()[0], 1)],
    }
    if breakdown and results:
        out["breakdown_ms_per_take"] = {
            **{
                " ".join(s["sql"].split())[:110]: round(s["seconds"] * 1000 / len(results), 2)
                for s in statements.top(8)
            },
            "COMMIT": round(sum(commits) / len(results), 2),
        }
        out["commit_ms"] = quantiles(commits)
    out.update(_check_taken(ids, {task: user for user, task, _ in results if task is not None}, watermark))
    log(
        f"take_next [{label}]: {out['takes']} takes in {out['wall_seconds']} s, {_fmt_q(out['ms'])} ms, "
        f"duplicates {out['duplicates_in_answers']}, db check ok {out['db_check_ok']}"
    )
    return out


def _check_taken(ids: list[int], owner_of: dict[int, int], watermark: int) -> dict[str, Any]:
    """In the database: each task answered is "en cours" and owned by the agent it was given to,
    and each has exactly one "prendre" logged during the scenario, by that agent."""
    from django.db import connection

    if not ids:
        return {"db_check_ok": True, "db_wrong_owner": 0, "db_tasks_taken_twice": 0, "db_wrong_log": 0}
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, owner_id, state FROM casework_task WHERE id = ANY(%s)", [ids])
        rows = cursor.fetchall()
        wrong = sum(1 for pk, owner, state in rows if owner != owner_of[pk] or state != "en_cours")
        cursor.execute(
            "SELECT task_id, COUNT(*), MIN(by_id) FROM casework_tasktransition "
            "WHERE id > %s AND action = 'prendre' GROUP BY task_id",
            [watermark],
        )
        logged = {task: (n, by) for task, n, by in cursor.fetchall()}
    twice = sum(1 for n, _ in logged.values() if n > 1)
    wrong_log = sum(1 for pk in set(ids) if logged.get(pk, (0, None))[1] != owner_of[pk]) + len(
        set(logged) - set(ids)
    )
    return {
        "db_check_ok": wrong == 0 and twice == 0 and wrong_log == 0 and len(rows) == len(set(ids)),
        "db_wrong_owner": wrong,
        "db_tasks_taken_twice": twice,
        "db_wrong_log": wrong_log,
    }


def _fmt_q(q: dict[str, float]) -> str:
    return " / ".join(f"{k} {q[k]:.1f}" for k in ("median", "p95", "p99", "max") if k in q)


def take_next_plan(team_id: int) -> dict[str, Any]:
    """The plan of the candidate query of task_take_next (what the ORM sends)."""
    from django.db import transaction

    from parcours.casework import lifecycle
    from parcours.casework.models import Task

    free = (
        Task.objects.filter(team_id__in=[team_id], state=lifecycle.A_TRAITER, owner__isnull=True)
        .order_by("-score", "due_on", "id")
        .select_for_update(skip_locked=True)
        .values_list("pk", flat=True)[:1]
    )
    with transaction.atomic():
        sql, params = free.query.sql_with_params()
    return explain(sql, params)


def queue_plans(queue: dict[str, Any], at_least_ms: float = 5) -> list[dict[str, Any]]:
    """The plans of the page's statements that took `at_least_ms` per request (as sent)."""
    return [
        explain(s["sql"], s["params"])
        for s in queue["GET /taches/file/"]["statements"]
        if s["ms_per_request"] >= at_least_ms and s["sql"].lstrip().upper().startswith("SELECT")
    ][:3]


def run(
    *,
    dossiers: int,
    tasks: int | None = None,
    agents: int = 50,
    takes: int = 40,
    think_ms: float = 1000,
    queue_requests: int = 20,
    repeats: int = 3,
    budget: float = 100,
    explain_plans: bool = True,
) -> dict[str, Any]:
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    # Production-like: no query log, no template debug (the settings stay those of the demo else).
    settings.DEBUG = False
    tasks = dossiers if tasks is None else tasks
    started = time.perf_counter()
    today = timezone.localdate()
    month = today.replace(day=1)
    setup: dict[str, Any] = {}
    t = time.perf_counter()
    call_command("migrate", verbosity=0)
    setup["migrate_seconds"] = round(time.perf_counter() - t, 1)
    ids = fixtures(agents)
    reused = seeded(dossiers, month)
    if reused:
        setup["seed"] = "reused"
        setup["reset_taken"] = reset_taken(ids["takers"])
    else:
        t = time.perf_counter()
        setup["seed"] = seed(
            dossiers=dossiers, tasks=tasks, today=today, teams=ids["teams"], holder=ids["holder"]
        )
        setup["seed_seconds"] = round(time.perf_counter() - t, 1)
    counts = row_counts()
    log(f"rows: {counts}")

    batch = batch_steps(today=today, at_most=repeats, budget=budget)
    plans: dict[str, list[dict[str, Any]]] = {}
    if explain_plans:
        for name, target in (("profiles_compute", 30), ("segments_apply", 30), ("rescore", 60)):
            runs = [r for r in batch[name] if r.get("case", WORST) == WORST]
            best = min(r["seconds"] for r in runs)
            if best > target * 1.5:
                plans[name] = explain_step(
                    name, runs, at_least=max(2.0, best / 5), today=today, dossiers=dossiers
                )

    vacuum("casework_task", "casework_risk", "casework_profile")
    queue = queue_page(ids["viewer"], requests=queue_requests)
    queue_explain = queue_plans(queue) if explain_plans else []

    takers = ids["takers"]
    take_runs = [
        take_next(
            takers[:1], per_agent=200, think_ms=0, seed=1, label="1 agent, back to back", breakdown=True
        ),
        take_next(
            takers,
            per_agent=max(5, takes // 2),
            think_ms=think_ms,
            seed=2,
            label=f"{len(takers)} agents (threads of one process), think time {think_ms:.0f} ms (exp.)",
        ),
        take_next(
            takers,
            per_agent=max(5, takes // 2),
            think_ms=think_ms,
            seed=4,
            label=f"{len(takers)} agents (processes), think time {think_ms:.0f} ms (exp.)",
            processes=True,
        ),
        take_next(takers, per_agent=takes, think_ms=0, seed=3, label=f"{len(takers)} agents, back to back"),
    ]
    take_plan = take_next_plan(ids["teams"]["prestations"]) if explain_plans else None
    setup["reset_taken_after"] = reset_taken(takers)

    report = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": f"PostgreSQL {connection.pg_version // 10000}",
        "server_settings": _server_settings(),
        "source": source("src"),
        "dossiers": dossiers,
        "tasks": tasks,
        "today": today.isoformat(),
        "rows": counts,
        "setup": setup,
        "batch": batch,
        "plans": plans,
        "queue": queue,
        "queue_plans": queue_explain,
        "take_next": take_runs,
        "take_next_plan": take_plan,
        "targets": TARGETS,
        "total_seconds": round(time.perf_counter() - started, 1),
    }
    report["verdicts"] = verdicts(report)
    write(report)
    log(f"done in {report['total_seconds']} s")
    return report


def med_seconds(batch: dict[str, Any], name: str) -> float:
    return statistics.median(r["seconds"] for r in batch[name])


def worst_rescore(batch: dict[str, Any]) -> dict[str, Any]:
    return next(r for r in batch["rescore"] if r["case"] == WORST)


def _server_settings() -> dict[str, str]:
    from django.db import connection

    names = ("shared_buffers", "work_mem", "max_parallel_workers_per_gather", "effective_cache_size", "jit")
    out = {}
    with connection.cursor() as cursor:
        for name in names:
            cursor.execute(f"SHOW {name}")
            out[name] = cursor.fetchone()[0]
    return out


# --- Verdicts and the report -------------------------------------------------------------------


def verdicts(report: dict[str, Any]) -> list[dict[str, Any]]:
    batch = report["batch"]

    def med(name: str) -> float:
        return statistics.median(r["seconds"] for r in batch[name])

    profiles, segments = med("profiles_compute"), med("segments_apply")
    rescore = worst_rescore(batch)["seconds"]
    others = ", ".join(f"{r['case']}: {r['seconds']:.1f} s" for r in batch["rescore"] if r["case"] != WORST)
    ordinary = next(r["seconds"] for r in batch["rescore"] if r["case"] == RESCORE_CASES[1][0])
    queue = report["queue"]["GET /taches/file/"]["ms"]
    lines = [
        {
            "target": "rescore ≤ 60 s — a night: every dossier scored, a tenth of the scores move",
            "measured": f"{ordinary:.1f} s ({others})",
            "met": ordinary <= 60,
        },
        {
            "target": "rescore ≤ 60 s — every score moves (a change of weights, or the first night)",
            "measured": f"{rescore:.1f} s",
            "met": rescore <= 60,
        },
        {
            "target": "segmentation ≤ 60 s (profiles_compute + segments_apply)",
            "measured": f"{profiles + segments:.1f} s = {profiles:.1f} + {segments:.1f} (medians)",
            "met": profiles + segments <= 60,
        },
    ]
    for take in report["take_next"][1:]:
        lines.append(
            {
                "target": f"task_take_next p99 ≤ 20 ms — {take['label']}",
                "measured": f"p99 {take['ms']['p99']:.1f} ms (median {take['ms']['median']:.1f}, "
                f"{take['takes_per_second']} takes/s)",
                "met": take["ms"]["p99"] <= 20,
            }
        )
        lines.append(
            {
                "target": f"never the same task twice — {take['label']}",
                "measured": f"{take['distinct_tasks']} distinct of {take['takes'] - take['none_returned']} taken, "
                f"{take['duplicates_in_answers']} duplicates, database check ok: {take['db_check_ok']}",
                "met": take["duplicates_in_answers"] == 0 and take["db_check_ok"] and not take["error_count"],
            }
        )
    lines.append(
        {
            "target": "queue page GET /taches/file/ p95 ≤ 150 ms",
            "measured": f"p95 {queue['p95']:.0f} ms (median {queue['median']:.0f})",
            "met": queue["p95"] <= 150,
        }
    )
    return lines


def _loads(runs: list[dict[str, Any]]) -> str:
    return ", ".join(f"{r['load'][0]} → {r['load'][1]}" for r in runs if r.get("load"))


def _sql_line(sql: str, width: int = 400) -> str:
    text = " ".join(sql.split())
    return text if len(text) <= width else text[:width] + " …"


def write(report: dict[str, Any]) -> None:
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M")
    (RESULTS / f"casework-{stamp}.json").write_text(
        json.dumps(report, indent=2, default=str) + "\n", encoding="utf-8"
    )
    n = report["dossiers"]
    lines = [
        f"# Casework (back office) — {report['date']} — {spaced(n)} dossiers, {spaced(report['tasks'])} open tasks, "
        f"{report['database']}",
        "",
        "**Machine caveat:** 2 shared vCPUs (PostgreSQL, Python and the 50 agent threads share them), 23 GB RAM, "
        f"PostgreSQL with its packaged defaults ({', '.join(f'{k} {v}' for k, v in report['server_settings'].items())}). "
        "Compare runs on the same machine; the seconds of a dedicated database server would be lower. "
        "The machine is shared: the 1-minute load average is recorded beside each measure — above 2, other "
        "processes were taking CPU from the measure.",
        "",
        f"Command: `python -m bench casework --dossiers {n}`. Seed: "
        + (
            "reused from an earlier run."
            if report["setup"]["seed"] == "reused"
            else f"{report['setup']['seed_seconds']} s (below)."
        )
        + f" Django runs with DEBUG off (no query log), its other settings those of the demo. Code measured: "
        f"{report['source']}.",
        "",
        "## Targets",
        "",
        "| target | measured | met |",
        "| --- | --- | --- |",
    ]
    for v in report["verdicts"]:
        lines.append(f"| {v['target']} | {v['measured']} | {'**met**' if v['met'] else '**not met**'} |")
    lines += ["", "## Batch steps (seconds per run)", ""]
    lines += [
        "Each run after a VACUUM ANALYZE (untimed) of the tables it reads and writes; one transaction per run. "
        "`rescore` runs once per case: before it (untimed) the tasks' scores are set apart from what it computes — all "
        "of them (as after a change of weights, or the first night after the seed), a tenth of the dossiers' (an "
        "ordinary night, as a guess), none.",
        "",
        "| step | runs (s) | median | result | load (1 min) before → after each run |",
        "| --- | --- | --- | --- | --- |",
    ]
    for name, runs in report["batch"].items():
        if name == "rescore":
            continue
        seconds = [r["seconds"] for r in runs]
        lines.append(
            f"| `{name}` | {', '.join(f'{s:.2f}' for s in seconds)} | {statistics.median(seconds):.2f} | "
            f"{_short(runs[-1]['result'])} | {_loads(runs)} |"
        )
    for run in report["batch"]["rescore"]:
        lines.append(
            f"| `rescore` — {run['case']} | {run['seconds']:.2f} | | {_short(run['result'])} dossiers scored | "
            f"{_loads([run])} |"
        )
    for name, runs in report["batch"].items():
        shown = [(f"`{name}`: its statements (last run)", runs[-1])]
        if name == "rescore":
            shown = [(f"`rescore` — {r['case']}: its statements", r) for r in runs]
        for title, run in shown:
            lines += ["", f"### {title}", "", "| seconds | SQL |", "| --- | --- |"]
            for s in run["statements"][:5]:
                lines.append(f"| {s['seconds']} | `{_sql_line(s['sql'], 300)}` |")
    lines += ["", "## Queue page (in-process django.test.Client, signed-in agent of the team)", ""]
    lines += [
        "| request | n | median ms | p95 ms | p99 ms | max ms | SQL ms / request | queries / request | load (1 min) |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for label, q in report["queue"].items():
        ms = q["ms"]
        lines.append(
            f"| {label} | {ms['n']} | {ms['median']:.1f} | {ms['p95']:.1f} | {ms['p99']:.1f} | {ms['max']:.1f} | "
            f"{q['sql_ms_per_request']} | {q['queries_per_request']:.0f} | {q['load'][0]} → {q['load'][1]} |"
        )
    main = report["queue"]["GET /taches/file/"]
    lines += ["", "Slowest statements of `GET /taches/file/` (ms per request):", ""]
    for s in main["statements"][:4]:
        lines.append(f"- {s['ms_per_request']} ms: `{_sql_line(s['sql'], 300)}`")
    lines += ["", "## Prendre la suivante (`task_take_next`)", ""]
    lines += [
        "Threads, one database connection each, started together; each take is one transaction "
        "(one UPDATE of the candidate chosen FOR UPDATE SKIP LOCKED, RETURNING the task; its log row). Latency is the wall time of the "
        "call in its thread (the GIL and the 2 CPUs are shared by every agent). Every answer is checked: no task "
        "given twice, and in the database each one is « en cours », owned by the agent it was given to, with one "
        "« prendre » by that agent.",
        "",
        "| scenario | takes | takes/s | median ms | p95 ms | p99 ms | max ms | duplicates | db check | None | errors "
        "| load (1 min) |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for take in report["take_next"]:
        ms = take["ms"]
        lines.append(
            f"| {take['label']} | {take['takes']} | {take['takes_per_second']} | {ms['median']:.1f} | {ms['p95']:.1f} | "
            f"{ms['p99']:.1f} | {ms['max']:.1f} | {take['duplicates_in_answers']} | "
            f"{'ok' if take['db_check_ok'] else 'FAILED'} | {take['none_returned']} | {take['error_count']} | "
            f"{take['load'][0]} → {take['load'][1]} |"
        )
    single = report["take_next"][0]
    if single.get("breakdown_ms_per_take"):
        lines += ["", f"One take, single agent ({single['takes']} takes), mean ms per take by part:", ""]
        lines += [f"- {ms} ms — `{part}`" for part, ms in single["breakdown_ms_per_take"].items()]
        rest = single["ms"]["mean"] - sum(single["breakdown_ms_per_take"].values())
        lines.append(
            f"- {rest:.2f} ms — the rest (Python: Django's ORM, the model instances, the transaction)"
        )
    if report["plans"] or report["queue_plans"] or report.get("take_next_plan"):
        lines += ["", "## Plans (EXPLAIN ANALYZE, BUFFERS; writes rolled back)", ""]
        groups = [(f"`{k}`", v) for k, v in report["plans"].items()]
        groups.append(("queue page", report["queue_plans"]))
        if report.get("take_next_plan"):
            groups.append(("task_take_next: the candidate", [report["take_next_plan"]]))
        for title, plans in groups:
            for plan in plans:
                scope = f" — on {plan['sampled']}" if plan.get("sampled") else ""
                lines += [
                    f"### {title} — {plan['execution_ms']:.0f} ms{scope}",
                    "",
                    f"`{_sql_line(plan['sql'], 600)}`",
                    "",
                    "Hottest nodes (exclusive time):",
                    "",
                ]
                for node in plan["hot"][:4]:
                    lines.append(
                        f"- {node['exclusive_ms']:.0f} ms — {node['node']} (rows {node['rows']} × loops {node['loops']})"
                        + (f" — {node['detail'][:200]}" if node["detail"] else "")
                    )
                if plan.get("jit"):
                    timing = plan["jit"].get("Timing", {})
                    lines.append(
                        f"- JIT: {plan['jit'].get('Functions')} functions, {timing.get('Total', 0):.0f} ms "
                        f"(optimization {timing.get('Optimization', 0):.0f}, emission {timing.get('Emission', 0):.0f})"
                    )
                if plan["triggers"]:
                    lines.append(
                        "- triggers: "
                        + ", ".join(
                            f"{t['Trigger Name']} {t['Time']:.0f} ms × {t['Calls']}" for t in plan["triggers"]
                        )
                    )
                lines += ["", "```", *plan["plan"][:40], "```", ""]
    lines += ["## Data", "", "| table | rows |", "| --- | --- |"]
    lines += [f"| {k} | {spaced(v)} |" for k, v in report["rows"].items()]
    if isinstance(report["setup"]["seed"], dict):
        lines += ["", "| seeding step | rows | seconds |", "| --- | --- | --- |"]
        lines += [
            f"| {k} | {spaced(max(v['rows'], 0))} | {v['seconds']} |"
            for k, v in report["setup"]["seed"].items()
        ]
    lines += ["", f"Total wall time of the run: {report['total_seconds']} s.", ""]
    (RESULTS / f"casework-{stamp}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    log(f"written bench/results/casework-{stamp}.md")
