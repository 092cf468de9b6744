"""Load test of the production server on the loopback: `python -m bench load`.

The server is the one production runs: granian serving `parcours.wsgi:application` as `make serve`
runs it (`--load-server gunicorn`, or `both`, for gunicorn's sync workers beside it), with DEBUG off,
a random 64-character SECRET_KEY and ALLOWED_HOSTS=127.0.0.1, bound to 127.0.0.1 only, on a fresh
SQLite database of the demo département (var/bench-load.sqlite3: `migrate`, then `demo
--households 2000 --seed 2026`, the cache table of the rate limits), its static files collected
for whitenoise. Requests carry `X-Forwarded-Proto: https`, as they would behind the TLS proxy
(SECURE_PROXY_SSL_HEADER), so the HTTPS redirect and the secure cookies stay as in production.

Two scenarios, measured one after the other: (a) the public home page `/` anonymously; (b) the
parent's space `/` of the demo account `parent`, each simulated user with a session of its own,
written in the database before the run (no login: the login's rate limit is not what is measured).
locust runs as a library (FastHttpUser) at a constant arrival rate: 200 users of 1 request a second
each (`constant_throughput`), ramped up, then measured for 60 s (never more than 90). Every
response time is kept, so p50/p95/p99 are exact, not locust's rounded buckets. A response is a
failure unless it is a 200 with the page's own heading.

Results in bench/results/load-YYYYMMDD-HHMM.md and .json, against the target p99 ≤ 150 ms at
200 requests a second, with the CPU count, the load average and the server's CPU time a request.
Each server is stopped at the end, on error too (its whole process group).
"""

from __future__ import annotations

# locust monkey-patches the standard library with gevent: it is imported before anything that
# opens sockets (urllib below).
import gevent  # isort: skip
from locust import FastHttpUser, constant_throughput, task  # isort: skip
from locust.env import Environment  # isort: skip

import json
import math
import os
import platform
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
DATABASE = ROOT / "var" / "bench-load.sqlite3"
HOST = "127.0.0.1"
RATE = 200  # requests a second, each scenario
TARGET_P99_MS = 150.0
MAX_DURATION = 90  # seconds of load a scenario, at most
DEMO_PARENT = "parent"
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}

# name, description, heading the page must show, signed in as the demo parent
SCENARIOS = (
    ("home", "page d'accueil publique `/`, anonyme", "Vous vous séparez : la Caf vous accompagne", False),
    ("parent_space", "espace du parent `/`, connecté (compte `parent`)", "<h1>Mon espace</h1>", True),
)

SESSIONS_SCRIPT = """
import json, sys
import django
django.setup()
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore

user = get_user_model().objects.get(username=sys.argv[1])
keys = []
for _ in range(int(sys.argv[2])):
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    keys.append(session.session_key)
print(json.dumps(keys))
"""


def server_env(var_dir: Path) -> dict[str, str]:
    """Production settings, on the loopback: nothing leaves the machine (no SMTP, no SMS)."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="parcours.settings",
        DEBUG="false",
        SECRET_KEY=secrets.token_hex(32),  # 64 characters, new each run
        ALLOWED_HOSTS=HOST,
        DATABASE_URL=f"sqlite:///{DATABASE}",
        PARCOURS_VAR_DIR=str(var_dir),  # private files, SMS outbox: this run's own
        STATIC_ROOT=str(var_dir / "static"),  # collected here, served by whitenoise
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        LOG_LEVEL="WARNING",
    )
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "-m", "parcours", *args], check=True, cwd=ROOT, env=env)


def prepare_database(env: dict[str, str], *, households: int, seed: int) -> dict[str, float]:
    """A fresh demo database, its static files collected: seconds per step."""
    seconds = {}
    for suffix in ("", "-wal", "-shm"):
        Path(f"{DATABASE}{suffix}").unlink(missing_ok=True)
    DATABASE.parent.mkdir(parents=True, exist_ok=True)
    for name, args in (
        ("migrate", ("migrate", "--noinput", "-v", "0")),
        ("demo", ("demo", "--households", str(households), "--seed", str(seed))),
        # The production cache (the rate limits' counters) is a database table.
        ("createcachetable", ("createcachetable",)),
        ("collectstatic", ("collectstatic", "--noinput", "-v", "0")),
    ):
        started = time.perf_counter()
        manage(env, *args)
        seconds[name] = round(time.perf_counter() - started, 1)
    return seconds


def parent_sessions(env: dict[str, str], count: int) -> list[str]:
    """Session keys of the demo parent, signed with the server's SECRET_KEY."""
    out = subprocess.run(
        [sys.executable, "-c", SESSIONS_SCRIPT, DEMO_PARENT, str(count)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def cpus() -> int:
    return len(os.sched_getaffinity(0))


def server_command(server: str, port: int) -> tuple[list[str], str]:
    """The application server's command line, and what to call it in the report.

    granian as `make serve` runs it in production (docs/decisions/0013-production-server.md): one
    process a CPU, 4 threads each; but granian's default backpressure (backlog / workers), not
    `make serve`'s `--backpressure 4`: granian counts an idle keep-alive connection against it, so
    with 2 workers the 9th client to keep its connection open waits until one closes (measured: 8
    of 200 users served, the others timed out after 60 s). gunicorn's sync workers for a
    comparison: twice the CPUs, between 2 and 4 (locust needs a share of the same CPUs). Neither
    writes an access log here (granian's `make serve` does), nor runs the task worker (no page of
    these two queues a task)."""
    if server == "granian":
        workers, threads = max(1, cpus()), 4
        command = [
            sys.executable,
            "-m",
            "granian",
            "--interface",
            "wsgi",
            "--no-ws",
            "--log-level",
            "warning",
        ]
        command += ["--host", HOST, "--port", str(port), "--workers", str(workers)]
        command += ["--blocking-threads", str(threads)]
        label = (
            f"granian --interface wsgi, {workers} workers × {threads} blocking threads, "
            "default backpressure (backlog / workers)"
        )
    elif server == "gunicorn":
        workers = min(4, max(2, 2 * cpus()))
        command = [sys.executable, "-m", "gunicorn", "--bind", f"{HOST}:{port}", "--workers", str(workers)]
        command += [
            "--worker-class",
            "sync",
            "--backlog",
            "2048",
            "--timeout",
            "30",
            "--log-level",
            "warning",
        ]
        label = f"gunicorn, {workers} sync workers"
    else:
        raise ValueError(server)
    return [*command, "parcours.wsgi:application"], f"{label} ({server} {_version(server)})"


def start_server(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    with log.open("w") as out:
        # A session of its own: the whole process group is stopped at the end.
        return subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is not None:
        return
    try:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=10)
    except ProcessLookupError:
        pass


def fetch(url: str, headers: dict[str, str]) -> tuple[int, str]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


def wait_ready(base: str, server: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"Le serveur s'est arrêté (code {server.returncode}) :\n{log.read_text()}")
        try:
            status, _ = fetch(f"{base}/", PROXY_HEADERS)
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.25)
    raise SystemExit(f"Le serveur ne répond pas après {timeout:.0f} s :\n{log.read_text()}")


def server_cpu_seconds(server: subprocess.Popen) -> float:
    """CPU time (user + system) of the server's main process and its workers so far."""
    total = 0.0
    try:
        master = psutil.Process(server.pid)
        for process in [master, *master.children(recursive=True)]:
            times = process.cpu_times()
            total += times.user + times.system
    except psutil.Error:
        pass
    return total


def percentile(ordered: list[float], fraction: float) -> float:
    """Nearest-rank percentile of sorted values."""
    if not ordered:
        return float("nan")
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def run_scenario(
    *,
    base: str,
    server: subprocess.Popen,
    heading: str,
    sessions: list[str] | None,
    users: int,
    duration: float,
) -> dict:
    """`users` users of RATE / users requests a second each, measured `duration` s after the ramp."""
    measuring = {"on": False}
    times: list[float] = []
    failures: Counter[str] = Counter()
    statuses: Counter[int] = Counter()
    pool = list(sessions or [])

    class Visitor(FastHttpUser):
        host = base
        wait_time = constant_throughput(RATE / users)
        # A request not answered in 10 s is a failure of the window it was sent in (locust: 60 s).
        network_timeout = connection_timeout = 10.0

        def on_stop(self) -> None:
            # The next scenario starts with no connection of this one left open.
            self.client.client.close()

        def on_start(self) -> None:
            self.headers = dict(PROXY_HEADERS)
            if pool:
                self.headers["Cookie"] = f"sessionid={pool.pop()}"

        @task
        def home(self) -> None:
            with self.client.get("/", headers=self.headers, name="/", catch_response=True) as response:
                if response.status_code != 200:
                    response.failure(f"HTTP {response.status_code}")
                elif heading not in (response.text or ""):
                    response.failure("page sans son titre attendu")
                else:
                    response.success()

    def on_request(response_time, exception, response=None, **_kwargs) -> None:  # type: ignore[no-untyped-def]
        if not measuring["on"]:
            return
        times.append(response_time)
        if response is not None:
            statuses[getattr(response, "status_code", 0) or 0] += 1
        if exception is not None:
            failures[str(exception)[:120]] += 1

    env = Environment(user_classes=[Visitor], host=base)
    env.events.request.add_listener(on_request)
    runner = env.create_local_runner()
    load_before = os.getloadavg()
    try:
        runner.start(users, spawn_rate=max(1, users // 2))
        ramp_deadline = time.monotonic() + 15
        while runner.user_count < users and time.monotonic() < ramp_deadline:
            gevent.sleep(0.1)
        gevent.sleep(1)  # every user past its first request
        cpu_before = server_cpu_seconds(server)
        client_cpu_before = sum(psutil.Process().cpu_times()[:2])
        measuring["on"] = True
        started = time.perf_counter()
        gevent.sleep(duration)
        measuring["on"] = False
        elapsed = time.perf_counter() - started
        cpu = server_cpu_seconds(server) - cpu_before
        client_cpu = sum(psutil.Process().cpu_times()[:2]) - client_cpu_before
    finally:
        runner.quit()
    load_after = os.getloadavg()
    ordered = sorted(times)
    count = len(ordered)
    failed = sum(failures.values())
    p99 = percentile(ordered, 0.99)
    return {
        "users": users,
        "requests": count,
        "seconds": round(elapsed, 1),
        "achieved_rps": round(count / elapsed, 1),
        "p50_ms": round(percentile(ordered, 0.50), 1),
        "p95_ms": round(percentile(ordered, 0.95), 1),
        "p99_ms": round(p99, 1),
        "max_ms": round(ordered[-1], 1) if ordered else None,
        "mean_ms": round(sum(ordered) / count, 1) if count else None,
        "failures": failed,
        "failure_rate": round(failed / count, 4) if count else None,
        "failure_kinds": dict(failures.most_common(5)),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "server_cpu_ms_per_request": round(1000 * cpu / count, 1) if count else None,
        "server_cpu_cores_busy": round(cpu / elapsed, 2),
        "locust_cpu_cores_busy": round(client_cpu / elapsed, 2),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in load_after],
        "target_met": bool(count and p99 <= TARGET_P99_MS and count / elapsed >= 0.98 * RATE and failed == 0),
    }


def warm_up(base: str, heading: str, cookie: str | None, requests: int = 30) -> None:
    """Each worker past its first page (templates compiled, connections opened), the page checked."""
    headers = dict(PROXY_HEADERS)
    if cookie:
        headers["Cookie"] = f"sessionid={cookie}"
    for _ in range(requests):
        try:
            status, body = fetch(f"{base}/", headers)
        except OSError as error:
            raise SystemExit(f"Le serveur ne répond plus avant la mesure : {error!r}") from None
        if status != 200 or heading not in body:
            raise SystemExit(f"Page inattendue avant la mesure (HTTP {status}) : {body[:300]}")


def measure_server(
    server_name: str, env: dict[str, str], sessions: list[str], var_dir: Path, *, users: int, duration: float
) -> dict:
    """Both scenarios on one application server, started for them and stopped after."""
    port = free_port()
    base = f"http://{HOST}:{port}"
    command, label = server_command(server_name, port)
    log = var_dir / f"{server_name}.log"
    print(f"== {label} sur {base}")
    server = start_server(command, env, log)
    scenarios = {}
    try:
        wait_ready(base, server, log)
        for name, description, heading, signed_in in SCENARIOS:
            warm_up(base, heading, sessions[-1] if signed_in else None)
            print(f"== {description} : {RATE} requêtes/s pendant {duration:.0f} s")
            result = run_scenario(
                base=base,
                server=server,
                heading=heading,
                sessions=sessions[:-1] if signed_in else None,
                users=users,
                duration=duration,
            )
            scenarios[name] = {"description": description, **result}
            print(json.dumps(result, ensure_ascii=False))
    except BaseException:
        print(f"== Journal du serveur (fin) :\n{log.read_text()[-4000:]}", file=sys.stderr)
        raise
    finally:
        stop_server(server)
    return {"server": label, "log_tail": log.read_text()[-2000:], "scenarios": scenarios}


def run(
    *,
    households: int = 2000,
    seed: int = 2026,
    duration: float = 60,
    users: int = RATE,
    servers: tuple[str, ...] = ("granian",),
) -> dict:
    duration = min(duration, MAX_DURATION)
    with tempfile.TemporaryDirectory(prefix="parcours-bench-load-") as tmp:
        var_dir = Path(tmp)
        env = server_env(var_dir)
        print(f"== Base de démonstration ({households} foyers, graine {seed}) : {DATABASE}")
        setup_seconds = prepare_database(env, households=households, seed=seed)
        sessions = parent_sessions(env, users + 1)
        runs = {
            name: measure_server(name, env, sessions, var_dir, users=users, duration=duration)
            for name in servers
        }
    result = {
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpu_count": os.cpu_count(),
            "cpus_usable": cpus(),
            "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "setup": {
            "locust": _version("locust"),
            "database": "SQLite (var/bench-load.sqlite3)",
            "settings": "DEBUG=false, SECRET_KEY random (64), ALLOWED_HOSTS=127.0.0.1, X-Forwarded-Proto: https",
        },
        "households": households,
        "seed": seed,
        "setup_seconds": setup_seconds,
        "rate_target_rps": RATE,
        "target_p99_ms": TARGET_P99_MS,
        "duration_s": duration,
        "servers": runs,
    }
    _write(result)
    return result


def _version(package: str) -> str:
    from importlib.metadata import version

    return version(package)


def _write(result: dict) -> None:
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M")
    (out / f"load-{stamp}.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    text = markdown(result)
    (out / f"load-{stamp}.md").write_text(text)
    print(text)


def markdown(result: dict) -> str:
    """The report of a run, from its result (the .json written beside it)."""
    machine, setup = result["machine"], result["setup"]
    cpus_usable = machine["cpus_usable"]
    rate, target = result["rate_target_rps"], result["target_p99_ms"]
    measured = [
        (server, name, s) for server, run in result["servers"].items() for name, s in run["scenarios"].items()
    ]
    rows, verdicts, ceilings, loads = [], [], [], []
    for server, name, s in measured:
        rows.append(
            f"| {server} | {s['description']} | {s['achieved_rps']} | {s['p50_ms']} | {s['p95_ms']} | "
            f"{s['p99_ms']} | {s['max_ms']} | {s['failures']} / {s['requests']} | "
            f"{s['server_cpu_ms_per_request']} | {'**met**' if s['target_met'] else '**NOT met**'} |"
        )
        why = []
        if s["p99_ms"] > target:
            why.append(f"p99 {s['p99_ms']} ms > {target:.0f} ms")
        if s["achieved_rps"] < 0.98 * rate:
            why.append(f"{s['achieved_rps']} req/s < {rate} req/s")
        if s["failures"]:
            why.append(f"{s['failures']} failures ({', '.join(s['failure_kinds'])})")
        verdicts.append(
            f"- {server}, {name}: target met."
            if s["target_met"]
            else f"- {server}, {name}: target **not met** — {'; '.join(why)}."
        )
        if s["server_cpu_ms_per_request"]:
            # What the server's own CPU time allows, whatever else the machine runs.
            cpu_ms = s["server_cpu_ms_per_request"]
            ceilings.append(
                f"- {server}, {name}: {cpu_ms} ms of server CPU a request → at most "
                f"{cpus_usable * 1000 / cpu_ms:.0f} req/s with all {cpus_usable} CPUs for the server; "
                f"{rate} req/s need {rate * cpu_ms / 1000:.1f} CPUs"
            )
        loads.append(
            f"| {server} | {name} | {' / '.join(map(str, s['load_average_before']))} → "
            f"{' / '.join(map(str, s['load_average_after']))} | {s['server_cpu_cores_busy']} | "
            f"{s['locust_cpu_cores_busy']} | {s['statuses']} |"
        )
    busiest = max(s["load_average_before"][0] for _, _, s in measured)
    contention = (
        [
            f"**The machine was busy with other work** (1-min load average up to {busiest} on "
            f"{cpus_usable} CPUs before a scenario): the server got a share of the CPUs only (“server "
            "CPU cores busy” below), so the latencies are bounded by that contention as much as by the "
            "server; the CPU time a request is the figure that does not depend on it.",
            "",
        ]
        if busiest > 0.75 * cpus_usable
        else []
    )
    lines = [
        f"# Load test — {result['at']} — production settings on the loopback",
        "",
        f"{setup['settings']}; {result['households']} demo households (seed {result['seed']}), "
        f"{setup['database']}. locust {setup['locust']} as a library (FastHttpUser) on the same "
        f"machine: {rate} users × 1 request/s (`constant_throughput`), {result['duration_s']:.0f} s "
        "measured per scenario after the ramp-up; exact percentiles.",
        "",
        *(f"- {server}: {run['server']}" for server, run in result["servers"].items()),
        "",
        f"Machine: {machine['cpu_count']} CPUs ({cpus_usable} usable), "
        f"Python {machine['python']}, {machine['platform']}; load average at the end "
        f"{' / '.join(str(x) for x in machine['load_average_at_end'])} (1 / 5 / 15 min).",
        "",
        f"Target: p99 ≤ {target:.0f} ms at {rate} req/s, no failure.",
        "",
        "| server | scenario | req/s achieved | p50 ms | p95 ms | p99 ms | max ms | failures | "
        "server CPU ms/req | target |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        *rows,
        "",
        *verdicts,
        "",
        *contention,
        "CPU-bound ceiling (the server's CPU time a request, measured in the run):",
        "",
        *ceilings,
        "",
        "| server | scenario | load average before → after | server CPU cores busy | locust CPU cores busy "
        "| statuses |",
        "| --- | --- | --- | --- | --- | --- |",
        *loads,
        "",
        "Setup (s): " + ", ".join(f"{k} {v}" for k, v in result["setup_seconds"].items()) + ".",
        "",
    ]
    return "\n".join(lines)
