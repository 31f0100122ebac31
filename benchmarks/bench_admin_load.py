"""admin-load: 20 logged-in caseworkers using the web admin at once, beside the same pages' SQL.

Over the big generated set (1,000,000 cases at full sizes) on PostgreSQL, `ogi serve`'s app runs
under uvicorn (two workers, loopback) and locust (headless, 20 users, bounded in time) plays 20
caseworkers of the ten largest bodies: each logs in and, pausing 0.5–2 s between pages, opens the
case list, searches (the terms of benchmarks.search), opens one of its open cases, or re-assigns
one to itself (a change recorded in the case's history, posted with the page's version).

Baseline, same data, same run: the SQL each page ran (captured from the app, per user and page,
before the load) replayed straight on psycopg by 20 threads with the same pauses and mix, for
the same time; the write page's statements run in a transaction rolled back (they would repeat
a recorded version). Per page: p50 and p95 (ms) of both; target p95 within 3x of the SQL's.
"""

from __future__ import annotations

import csv
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import psycopg
from psycopg import Rollback
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from benchmarks.core import Result, Sizes, Target, count
from benchmarks.data import Datasets
from benchmarks.web import PASSWORD, enable_logins, logged_in_client, search_terms, token_of
from models.cases import Case
from models.db import read_session
from models.organs import User

USERS = 20
TARGET = 3.0
WAIT = (0.5, 2.0)  # seconds a caseworker pauses between pages
WEIGHTS = {"case list": 3, "search": 3, "case page": 3, "post event": 1}  # as in benchmarks/locustfile.py
LOCUSTFILE = Path(__file__).with_name("locustfile.py")
Statements = list[tuple[str, Any, bool]]  # (SQL, parameters, executemany)


@dataclass
class Worker:
    name: str
    refs: list[str]
    pages: dict[str, list[Statements]] = field(default_factory=lambda: defaultdict(list))


def plan_workers(names: list[str], per_user: int = 20) -> list[Worker]:
    """Each caseworker with open cases of its organ, the organ's shared between its two caseworkers."""
    workers = []
    with read_session() as s:
        for i, name in enumerate(names):
            user = s.exec(select(User).where(User.name == name)).one()
            refs = s.exec(
                select(Case.ref)
                .where(Case.organ_id == user.organ_id, col(Case.concluded_on).is_(None))
                .order_by(col(Case.id))
                .limit(per_user * 2)
            ).all()
            mine = list(refs[i % 2 :: 2]) or list(refs)
            if not mine:
                raise RuntimeError(f"{name}'s organ has no open case to work on")
            workers.append(Worker(name, mine[:per_user]))
    return workers


@contextmanager
def captured() -> Iterator[Statements]:
    """Every statement the engines run meanwhile (in this process)."""
    got: Statements = []

    def note(
        conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool
    ) -> None:
        got.append((statement, parameters, executemany))

    event.listen(Engine, "before_cursor_execute", note)
    try:
        yield got
    finally:
        event.remove(Engine, "before_cursor_execute", note)


def capture_pages(workers: list[Worker], terms: list[str]) -> None:
    """The SQL of each page, as the app runs it for each worker (one real request each)."""
    for w in workers:
        client = logged_in_client(w.name)
        pages = [("/cases", "case list")]
        pages += [("/cases?" + urlencode({"q": t}), "search") for t in terms]
        pages += [(f"/cases/{r}", "case page") for r in w.refs[:3]]
        for path, page in pages:
            with captured() as sql:
                assert client.get(path).status_code == 200, path
            w.pages[page].append(sql)
        html = client.get(f"/cases/{w.refs[0]}").text
        version = html.split('name="version" value="', 1)[1].split('"', 1)[0]
        form = {"assignee": w.name, "version": version, "csrf_token": token_of(html)}
        with captured() as sql:
            answer = client.post(f"/cases/{w.refs[0]}/reassign", data=form)
        if answer.status_code != 303:
            raise RuntimeError(f"reassign as {w.name}: HTTP {answer.status_code}")
        w.pages["post event"].append(sql)
        client.close()


def replay(url: str, workers: list[Worker], seconds: float) -> dict[str, list[float]]:
    """The captured pages' SQL by one thread per worker, with the locust users' pauses and mix."""
    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    times: dict[str, list[float]] = defaultdict(list)
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def run_page(conn: psycopg.Connection[Any], sql: Statements, *, write: bool) -> float:
        start = time.perf_counter()
        with conn.cursor() as cur:
            for statement, params, many in sql:
                # a repeated history entry meets its recorded sequence number: run it to the
                # constraint inside a savepoint, as it would run to the end
                insert = write and statement.lstrip().upper().startswith("INSERT")
                with conn.transaction() if insert else nullcontext():
                    try:
                        (cur.executemany if many else cur.execute)(statement, params)
                    except psycopg.errors.UniqueViolation:
                        if not insert:
                            raise
                        raise Rollback from None
                if cur.description is not None:
                    cur.fetchall()
        conn.rollback()  # a read page ends its transaction; a write's repeat is undone
        return time.perf_counter() - start

    errors: list[BaseException] = []

    def user(w: Worker, seed: int) -> None:
        try:
            work(w, seed)
        except BaseException as e:  # the run reports it instead of a thread dying unseen
            errors.append(e)

    def work(w: Worker, seed: int) -> None:
        rng = random.Random(seed)
        with psycopg.connect(dsn) as conn:
            while time.monotonic() < deadline:
                page = rng.choices(list(WEIGHTS), list(WEIGHTS.values()))[0]
                got = []
                if page == "post event":  # the browser loads the case page first
                    got.append(("case page", run_page(conn, rng.choice(w.pages["case page"]), write=False)))
                got.append((page, run_page(conn, rng.choice(w.pages[page]), write=page == "post event")))
                with lock:
                    for name, t in got:
                        times[name].append(t * 1000)
                time.sleep(rng.uniform(*WAIT))

    threads = [threading.Thread(target=user, args=(w, i)) for i, w in enumerate(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise RuntimeError(f"the SQL replay failed: {errors[0]!r}") from errors[0]
    return times


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(url: str) -> Iterator[str]:
    """The admin under uvicorn (two workers) on a free loopback port, for as long as the block runs."""
    port = free_port()
    env = {**os.environ, "OGI_DATABASE_URL": url}
    cmd = [sys.executable, "-m", "uvicorn", "admin.app:create_app", "--factory", "--host", "127.0.0.1",
           "--port", str(port), "--workers", "2", "--log-level", "warning", "--no-access-log"]  # fmt: skip
    server = subprocess.Popen(cmd, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{base}/login", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if server.poll() is not None:
                raise RuntimeError(f"uvicorn exited with {server.returncode}")
            time.sleep(0.1)
        else:
            raise RuntimeError("uvicorn did not answer within 30 s")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def locust(
    base: str, workers: list[Worker], terms: list[str], seconds: int, folder: Path
) -> dict[str, dict[str, float]]:
    """Run locust headless; per request name: count, failures, p50 and p95 (ms)."""
    plan = folder / "plan.json"
    users = [{"name": w.name, "refs": w.refs} for w in workers]
    plan.write_text(json.dumps({"users": users, "terms": terms, "password": PASSWORD, "wait": WAIT}), "utf-8")
    prefix = folder / "load"
    cmd = [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless", "-u", str(len(workers)),
           "-r", str(len(workers)), "-t", f"{seconds}s", "--host", base, "--csv", str(prefix),
           "--only-summary", "--stop-timeout", "10", "--loglevel", "WARNING"]  # fmt: skip
    env = {**os.environ, "OGI_BENCH_LOAD_PLAN": str(plan)}
    done = subprocess.run(cmd, env=env, check=False, timeout=seconds + 120, capture_output=True, text=True)
    (folder / "locust.log").write_text(done.stdout + done.stderr, "utf-8")
    if done.returncode not in (0, 1):  # 1: some requests failed, which the figures report
        raise RuntimeError(f"locust exited with {done.returncode}: {done.stderr.strip()[-500:]}")
    stats: dict[str, dict[str, float]] = {}
    with open(f"{prefix}_stats.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["Name"] != "Aggregated" and row["50%"] != "N/A":
                stats[row["Name"]] = {
                    "count": float(row["Request Count"]),
                    "failures": float(row["Failure Count"]),
                    "p50": float(row["50%"]),
                    "p95": float(row["95%"]),
                }
    return stats


def percentile(values: list[float], q: int) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def run(sizes: Sizes, data: Datasets, *, seconds: int) -> list[Result]:
    big = data.big()
    names = enable_logins()[:USERS]
    terms = [t.query for t in search_terms()]
    workers = plan_workers(names)
    capture_pages(workers, terms)
    with tempfile.TemporaryDirectory(prefix="ogi_bench_load_") as tmp, serving(big.url) as base:
        web = locust(base, workers, terms, seconds, Path(tmp))
    sql = replay(big.url, workers, seconds)
    results = []
    for page in WEIGHTS:
        got = web.get(page)
        if got is None or not sql.get(page):
            raise RuntimeError(f"no timings for {page!r}: the load run failed (locust stats: {sorted(web)})")
        sql_p50, sql_p95 = percentile(sql[page], 50), percentile(sql[page], 95)
        results.append(
            Result(
                benchmark="admin-load",
                name=f"{page}: p95 under {len(workers)} caseworkers (p50 {got['p50']:,.0f} ms)",
                figure=got["p95"],
                unit="ms",
                baseline_name=f"the page's SQL, {len(workers)} threads: p95 (p50 {sql_p50:,.1f} ms)",
                baseline=sql_p95,
                baseline_unit="ms",
                ratio=got["p95"] / sql_p95,
                ratio_means="page p95 / SQL p95",
                target=Target("ratio", "<=", TARGET),
                size=count(big.cases, "cases"),
                notes=f"{got['count']:,.0f} requests, {got['failures']:,.0f} failed; "
                f"SQL {len(sql[page]):,} pages",
                extra={
                    "p50_ms": got["p50"],
                    "sql_p50_ms": sql_p50,
                    "requests": got["count"],
                    "failures": got["failures"],
                    "seconds": seconds,
                },
            )
        )
    return results
