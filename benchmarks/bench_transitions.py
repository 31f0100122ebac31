"""transitions: events applied through `workflow.service.advance` on PostgreSQL, against raw SQL.

Two equal sets of open cases (imported, received on the same day) take the same four events
each — consult, receive_opinion, extend (approved by the organ's supervisor), answer — one
transaction per event, as the CLI and the admin apply them. Through the service an event is
loaded, checked by the state machine, guarded (closed years, the approver), written with a
compare-and-set and its history row, and the case's reminders refreshed. The baseline does only
the writes, with psycopg and hand-written SQL: the same UPDATE … WHERE id AND version of the same
columns to the same values, and the same history INSERT. The two sides run in five interleaved
rounds (a fifth of each set per round). Target: at least half the raw rate.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from typing import Any

import psycopg
from psycopg.types.json import Jsonb
from sqlmodel import select

from benchmarks.core import Result, Sizes, Target, count
from benchmarks.databases import Postgres, use_database
from benchmarks.generate import TODAY, setup_directory
from models.cases import Case
from models.db import session_scope
from workflow import clock
from workflow import events as ev
from workflow.access import Actor
from workflow.importer import Importer
from workflow.machine import CaseRecord
from workflow.service import MUTABLE_COLUMNS, copy_into, new_flow

ORGAN = "housing"
ACTOR = Actor("benchmark")
RECEIVED = dt.date(2026, 11, 2)
ROUNDS = 5
# dated so that no reminder stage is reached on TODAY: the service does its checks, queues nothing
EVENTS: list[tuple[str, dict[str, Any]]] = [
    ("consult", {"on": "2026-11-04", "party": "third_party"}),
    ("receive_opinion", {"on": "2026-11-11"}),
    ("extend", {"on": "2026-11-16", "days": 10, "approver": f"{ORGAN}-head"}),
    ("answer", {"on": "2026-11-24", "outcome": "disclosed"}),
]


def open_cases(prefix: str, n: int) -> list[str]:
    refs = [f"{prefix}-{i:05d}" for i in range(n)]
    line = {"organ": ORGAN, "applicant_type": "natural_person", "applicant": "张三", "channel": "online"}
    with session_scope() as s:
        Importer(s, actor=ACTOR, today=TODAY).run(
            json.dumps({"ref": r, **line, "received_on": RECEIVED.isoformat(), "assignee": f"{ORGAN}-w1"})
            for r in refs
        )
    return refs


def through_service(refs: list[str]) -> float:
    from workflow.service import advance

    start = time.perf_counter()
    for event, raw in EVENTS:
        for ref in refs:
            with session_scope() as s:
                advance(s, ref, event, raw, actor=ACTOR, today=TODAY)
    return time.perf_counter() - start


def planned_writes(ref: str) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """For each event: the case's column values after it, and its history row (untimed)."""
    with session_scope() as s:
        row = s.exec(select(Case).where(Case.ref == ref)).one()
        s.expunge(row)
    record = CaseRecord.of(row)
    flow = new_flow(record)
    out = []
    for event, raw in EVENTS:
        params = flow.resolve(event, ev.parse_params(event, raw), TODAY)
        flow.fire(event, params, today=TODAY)
        copy_into(row, record)
        values = {c: getattr(row, c) for c in MUTABLE_COLUMNS}
        history = {"event": event, "effective_on": params.on, "params": ev.stored_params(params)}
        out.append((values, history))
    return out


def through_raw_sql(url: str, refs: list[str]) -> float:
    plan = planned_writes(refs[0])  # every case of the set is the same but for its id and ref
    conninfo = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(conninfo) as conn:
        found = conn.execute('SELECT ref, id FROM "case" WHERE ref = ANY(%s)', (refs,)).fetchall()
        ids: dict[str, int] = dict(found)
        cols = list(plan[0][0])
        update = (
            'UPDATE "case" SET '
            + ", ".join(f'"{c}" = %s' for c in cols)
            + ", version = %s WHERE id = %s AND version = %s"
        )
        insert = (
            "INSERT INTO case_event (case_id, seq, event, effective_on, actor, recorded_at, params) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s)"
        )
        conn.commit()
        start = time.perf_counter()
        for version, (values, h) in enumerate(plan, 1):
            row_values = [values[c] for c in cols]
            for ref in refs:
                case_id = ids[ref]
                with conn.transaction(), conn.cursor() as cur:
                    cur.execute(update, [*row_values, version + 1, case_id, version])
                    if cur.rowcount != 1:
                        raise RuntimeError(f"raw update of case {ref} at version {version} missed")
                    cur.execute(
                        insert,
                        (
                            case_id,
                            version + 1,
                            h["event"],
                            h["effective_on"],
                            ACTOR.name,
                            clock.now(),
                            Jsonb(h["params"]),
                        ),
                    )
        return time.perf_counter() - start


def check_same(refs_a: list[str], refs_b: list[str]) -> None:
    """Both sets must end identical (but for ids, refs and times): same state, version and dates."""
    with session_scope() as s:
        a = s.exec(select(Case).where(Case.ref == refs_a[0])).one()
        b = s.exec(select(Case).where(Case.ref == refs_b[0])).one()
        for c in (*MUTABLE_COLUMNS, "version"):
            if c not in ("ref", "created_at") and getattr(a, c) != getattr(b, c):
                raise RuntimeError(
                    f"service and raw SQL disagree on {c}: {getattr(a, c)!r} vs {getattr(b, c)!r}"
                )


def run(sizes: Sizes, pg: Postgres) -> list[Result]:
    n = sizes.transition_cases
    with pg.database("transitions") as url:
        use_database(url)
        setup_directory()
        service_refs, raw_refs = open_cases("SVC", n), open_cases("RAW", n)
        # warm both paths (connections, statement caches, imports) on cases of their own
        warm_a, warm_b = open_cases("WARM-SVC", 5), open_cases("WARM-RAW", 5)
        through_service(warm_a)
        through_raw_sql(url, warm_b)
        # interleaved rounds, so that load from elsewhere on the machine falls on both sides
        t_service = t_raw = 0.0
        for i in range(ROUNDS):
            t_service += through_service(service_refs[i::ROUNDS])
            t_raw += through_raw_sql(url, raw_refs[i::ROUNDS])
        check_same(service_refs, raw_refs)
    events = n * len(EVENTS)
    ours, raw = events / t_service, events / t_raw
    return [
        Result(
            benchmark="transitions",
            name="service.advance on PostgreSQL",
            figure=ours,
            unit="events/s",
            baseline_name="raw SQL: UPDATE … WHERE id AND version + history INSERT",
            baseline=raw,
            baseline_unit="events/s",
            ratio=ours / raw,
            ratio_means="service rate / raw rate",
            target=Target("ratio", ">=", 0.5),
            size=count(events, "events") + f" on {n:,} cases, one transaction each",
            notes=f"{t_service / events * 1e3:.2f} ms/event vs {t_raw / events * 1e3:.2f} ms/event",
        )
    ]
