#!/usr/bin/env python
"""The 吐槽区 benchmark (`make bench`): 100 000 tickets in PostgreSQL, the portal under gunicorn, a bounded
load on intake, lists and detail, next to bare JSON views on the same stack. See bench/README.md.

Steps: (re)create the database `portal_bench`, migrate, load the parks and tickets (COPY), ANALYZE, start
gunicorn on 127.0.0.1 with DEBUG=0 (production settings, a generated SECRET_KEY), run each scenario with
a request budget and a time limit, print a table, EXPLAIN the queries of the list endpoint, then stop
gunicorn and drop the database (unless --keep-db). Nothing leaves the loopback interface.
"""

import argparse
import json
import os
import platform
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import closing
from datetime import datetime
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/portal_bench"
API = "/api/v1/complaints/tickets/"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=2_000, help="request budget per scenario")
    parser.add_argument("--seconds", type=float, default=30.0, help="time limit per scenario")
    parser.add_argument("--concurrency", type=int, default=8, help="client threads (keep-alive connections)")
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers (default: 2 × cores + 1)")
    parser.add_argument("--threads", type=int, default=4, help="gunicorn threads per worker")
    parser.add_argument("--seed", type=int, default=20250101)
    parser.add_argument("--keep-db", action="store_true", help="leave the database for inspection or --reuse-db")
    parser.add_argument("--reuse-db", action="store_true", help="measure the database a --keep-db run left")
    parser.add_argument("--settings", default="bench.settings", help="Django settings module of the run")
    return parser.parse_args(argv)


# --- database --------------------------------------------------------------------------------------------


def _admin_connection(url):
    import psycopg2

    parsed = urlparse(url)
    admin = urlunparse(parsed._replace(path="/postgres"))
    connection = psycopg2.connect(admin)
    connection.autocommit = True
    return connection, parsed.path.lstrip("/")


def _safe_name(name):
    if not name.replace("_", "").isalnum():
        raise SystemExit(f"refusing odd database name {name!r}")
    return name


def recreate_database(url):
    connection, name = _admin_connection(url)
    with closing(connection), connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{_safe_name(name)}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{_safe_name(name)}"')


def drop_database(url):
    import psycopg2

    try:
        connection, name = _admin_connection(url)
    except psycopg2.OperationalError as error:
        print(f"could not connect to drop the database: {error}")
        return
    with closing(connection), connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{_safe_name(name)}" WITH (FORCE)')


def configure_environment(args, var_dir):
    """The production configuration (DEBUG=0) against the bench database, for this process and gunicorn."""
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": args.settings,
            "DATABASE_URL": args.database_url,
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(64),
            # gunicorn speaks plain HTTP on the loopback here; in production a TLS proxy sits in front.
            "SECURE_SSL_REDIRECT": "0",
            "VAR_DIR": str(var_dir),
            "STATIC_ROOT": str(var_dir),
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "LOG_LEVEL": "WARNING",
        }
    )
    # Celery's broker is the filesystem transport under var_dir: the POSTs queue their routing task as in
    # production, without filling a shared Redis with tasks no worker of this benchmark will consume.
    for name in ("REDIS_URL", "CELERY_BROKER_URL", "CELERY_TASK_ALWAYS_EAGER"):
        os.environ.pop(name, None)


def prepare(args):
    """Migrate and load (unless --reuse-db finds the tickets loaded); returns what the scenarios need."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bench import dataset

    if not args.reuse_db:
        started = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        print(f"  migrated in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        world = dataset.build_world(random.Random(args.seed))
        dataset.load_tickets(world, args.tickets, seed=args.seed)
        print(f"  loaded {args.tickets} tickets in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        print(f"  VACUUM ANALYZE in {time.perf_counter() - started:.1f} s")
    print("  " + dataset.spread_summary())
    data = dataset.clients()
    connection.close()
    return data


# --- gunicorn --------------------------------------------------------------------------------------------


def free_port():
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(args, port, log_path):
    env = dict(os.environ)
    env["GUNICORN_BIND"] = f"127.0.0.1:{port}"
    env["GUNICORN_THREADS"] = str(args.threads)
    if args.workers:
        env["WEB_CONCURRENCY"] = str(args.workers)
    command = [sys.executable, "-m", "gunicorn", "-c", "portal/gunicorn.conf.py", "portal.wsgi"]
    log = open(log_path, "wb")  # noqa: SIM115  (closed in stop_gunicorn, after the process)
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    process.log = log
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}; see {log_path}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/bare/", timeout=2) as response:
                if response.status == 200:
                    return process, " ".join(command)
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"gunicorn did not answer within 60 s; see {log_path}")


def stop_gunicorn(process):
    if process is None or process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=35)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    process.log.close()


# --- scenarios -------------------------------------------------------------------------------------------


def scenarios(data):
    """(name, expected status, make_request(i)) for each measured endpoint."""
    enterprise = data["tokens"]["enterprise"]
    dispatcher = data["tokens"]["dispatcher"]
    park_ids = list(data["parks"].values())

    def headers(token, body=False):
        result = {"Authorization": f"Token {token}", "Accept": "application/json"}
        if body:
            result["Content-Type"] = "application/json"
        return result

    def bare(i):
        return "GET", "/bench/bare/", None, {"Accept": "application/json"}

    def bare_query(i):
        return "GET", f"/bench/bare-query/?park={park_ids[abs(i) % len(park_ids)]}", None, {}

    def intake(i):
        park, token = enterprise[abs(i) % len(enterprise)]
        rng = random.Random(i)
        body = {
            "park": park,
            "category": rng.choice(data["categories"][park]),
            "subject": f"压测诉求 {i}：厂区门前道路积水",
            "body": "连续降雨后厂区门前道路积水严重，货车无法进出，希望园区尽快疏通排水管道。" * 3,
            "channel": "app",
            "contact_name": "王经理",
            "contact_phone": "13800138000",
        }
        return "POST", API, json.dumps(body, ensure_ascii=False).encode(), headers(token, body=True)

    def listing(i):
        _park, token = dispatcher[abs(i) % len(dispatcher)]
        return "GET", f"{API}?page_size=25", None, headers(token)

    def filtered(i):
        park, token = dispatcher[abs(i) % len(dispatcher)]
        category = data["filter_category"][park]
        return "GET", f"{API}?page_size=25&status=in_progress&status=replied&category={category}", None, headers(token)

    def overdue(i):
        _park, token = dispatcher[abs(i) % len(dispatcher)]
        return "GET", f"{API}?page_size=25&overdue=true", None, headers(token)

    def detail(i):
        park, token = dispatcher[abs(i) % len(dispatcher)]
        ids = data["visible"][park]
        return "GET", f"{API}{ids[(abs(i) * 7919) % len(ids)]}/", None, headers(token)

    return [
        ("bare JSON view, no query", (200,), bare),
        ("bare JSON view, 1 query", (200,), bare_query),
        ("list, dispatcher, page_size=25", (200,), listing),
        ("list, filtered (status+category)", (200,), filtered),
        ("list, overdue=true", (200,), overdue),
        ("detail GET", (200,), detail),
        ("intake POST (enterprise token)", (201,), intake),
    ]


# --- EXPLAIN ---------------------------------------------------------------------------------------------


def explain_list(data, paths):
    """Run each list request in-process, list its queries and EXPLAIN ANALYZE the two slowest: planning and
    execution time, and the top of the plan."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    _park, token = data["tokens"]["dispatcher"][0]
    client = Client(HTTP_AUTHORIZATION=f"Token {token}", HTTP_ACCEPT="application/json")
    reports = []
    for path in paths:
        client.get(path)  # warm the per-process and per-connection caches (roles, calendar, catalogue)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        queries = captured.captured_queries
        lines = [f"GET {path} → {response.status_code}, {len(queries)} queries:"]
        lines += [f"  {float(q['time']) * 1000:7.1f} ms  {q['sql'][:110]}" for q in queries]
        for query in sorted(queries, key=lambda q: float(q["time"]), reverse=True)[:2]:
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, SUMMARY) " + query["sql"])
                plan = [row[0] for row in cursor.fetchall()]
            timing = " / ".join(line.strip() for line in plan if line.startswith(("Planning Time", "Execution Time")))
            nodes = [line for line in plan[:-2] if "->" in line or not line.startswith(" ")][:6]
            lines.append(f"  EXPLAIN {query['sql'][:60]}…: {timing}")
            lines += [f"      {line}" for line in nodes]
        reports.append("\n".join(lines))
    connection.close()
    return "\n\n".join(reports)


def load_after():
    """The 1-minute load average: other processes on the machine skew every figure."""
    return f"{os.getloadavg()[0]:.1f}"


# --- main ------------------------------------------------------------------------------------------------


def main(argv=None):
    args = parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from bench import loadgen

    var_dir = Path(tempfile.mkdtemp(prefix="portal-bench-"))
    process = None
    try:
        configure_environment(args, var_dir)
        name = urlparse(args.database_url).path.lstrip("/")
        if args.reuse_db:
            print(f"database {name}: reused as loaded by an earlier --keep-db run")
        else:
            print(f"database {name}: recreating")
            recreate_database(args.database_url)
        data = prepare(args)

        port = free_port()
        process, command = start_gunicorn(args, port, var_dir / "gunicorn.log")
        workers = args.workers or (os.cpu_count() or 1) * 2 + 1
        print(f"gunicorn on 127.0.0.1:{port}: {workers} workers × {args.threads} threads ({command})")

        load_before = load_after()
        results = []
        for name, expect, make_request in scenarios(data):
            print(f"  {name} …", flush=True)
            results.append(
                loadgen.run(
                    name,
                    "127.0.0.1",
                    port,
                    make_request,
                    requests=args.requests,
                    seconds=args.seconds,
                    concurrency=args.concurrency,
                    expect=expect,
                    warmup=20,
                )
            )
        stop_gunicorn(process)
        process = None

        print()
        print(
            f"{datetime.now():%Y-%m-%d %H:%M}, {platform.node()}: {os.cpu_count()} cores, load average "
            f"{load_before} before and {load_after()} after the runs, Python "
            f"{platform.python_version()}, {args.tickets} tickets, {args.concurrency} client connections, "
            f"budget {args.requests} requests / {args.seconds:.0f} s per row"
        )
        print(loadgen.table(results))
        for result in results:
            for sample in result.error_samples:
                print(f"  error in {result.name}: {sample}")

        print("\nQueries of the list endpoints (in-process, same database):\n")
        park = next(iter(data["filter_category"]))
        print(
            explain_list(
                data,
                [
                    f"{API}?page_size=25",
                    f"{API}?page_size=25&status=in_progress&status=replied&category={data['filter_category'][park]}",
                    f"{API}?page_size=25&overdue=true",
                    f"{API}{data['visible'][park][0]}/",
                ],
            )
        )
        return 1 if any(r.errors for r in results) else 0
    finally:
        stop_gunicorn(process)
        shutil.rmtree(var_dir, ignore_errors=True)
        if args.keep_db:
            print(f"kept database {args.database_url}")
        else:
            drop_database(args.database_url)


if __name__ == "__main__":
    sys.exit(main())
