"""Properties of the sweep over random valid histories (demo.samples), swept every day."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import random
from collections import defaultdict

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import col, select

from demo.samples import sample_line
from models.cases import Case
from models.db import read_session, session_scope
from models.outbox import OutboxMessage
from tests.support import TESTER, organ_with_staff
from tests.workflow.sweep_support import morning, on_day
from workflow import reminders
from workflow import sweep as deadlines
from workflow.calendar import default_calendar
from workflow.case_json import history
from workflow.importer import Importer
from workflow.replay import derived, replay

pytestmark = pytest.mark.usefixtures("sqlite_db")
_organs = itertools.count(1)
OFFSETS = (5, 2, 0)


def import_cases(organ: str, seed: int, n: int, today: dt.date) -> None:
    cal, rng = default_calendar(), random.Random(seed)
    lines = []
    for i in range(n):
        received = today - dt.timedelta(days=rng.randint(0, 45))
        while not cal.is_workday(received):
            received -= dt.timedelta(days=1)
        line = sample_line(
            cal, rng, ref=f"{organ}-{i}", organ=organ, received=received, today=today, finish=False,
            assignee=rng.choice([f"{organ}-worker", None]),
        )  # fmt: skip
        lines.append(json.dumps(line, ensure_ascii=False))
    with on_day(today), session_scope() as s:
        Importer(s, actor=TESTER, today=today).run(lines)


def organ_cases(s, organ: str) -> list[Case]:  # type: ignore[no-untyped-def]
    return list(s.exec(select(Case).where(col(Case.ref).startswith(f"{organ}-"))))


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    seed=st.integers(0, 2**32),
    n=st.integers(1, 8),
    start=st.dates(dt.date(2025, 2, 1), dt.date(2025, 11, 30)),
)
def test_sweeping_every_day_queues_only_the_nearest_live_stage_once_and_keeps_cases_equal_to_their_replay(
    seed: int, n: int, start: dt.date
) -> None:
    organ = f"p{next(_organs)}"
    organ_with_staff(organ)
    import_cases(organ, seed, n, start)
    cal = default_calendar()
    offsets_seen: dict[tuple[int, str, dt.date], list[int]] = defaultdict(list)
    last_id = 0
    with on_day(start) as clock:
        for day in (start + dt.timedelta(days=k) for k in range(25)):
            clock.move_to(morning(day))
            with session_scope() as s:
                deadlines.sweep(s, today=day)
            with session_scope() as s:
                again = deadlines.sweep(s, today=day)
            # idempotent: the same day swept again changes nothing
            assert (again.queued, again.lapsed, again.became_overdue, again.cancelled) == (0, [], [], 0)
            with read_session() as s:
                cases = {c.id: c for c in organ_cases(s, organ)}
                new = s.exec(
                    select(OutboxMessage)
                    .where(col(OutboxMessage.id) > last_id)
                    .order_by(col(OutboxMessage.id))
                ).all()
                for m in new:
                    last_id = max(last_id, m.id or 0)
                    row = cases.get(m.case_id)
                    if row is None:
                        continue  # another example's organ
                    assert m.due_on is not None and m.offset_days is not None
                    # about a deadline the case has today, and worth sending today
                    assert reminders.worth_sending(row, m.kind, m.due_on, day), (m.key, row.state)
                    if m.kind in ("reply_due", "correction_notice_due"):
                        left = cal.workdays_between(day, m.due_on)
                        assert m.offset_days == min(k for k in OFFSETS if left <= k)  # the nearest stage
                    else:
                        assert day > m.due_on and m.offset_days == reminders.AFTER
                    offsets_seen[(row.id or 0, m.kind, m.due_on)].append(m.offset_days)
                for row in cases.values():
                    # the system's lapse came in time; no consultation outlives its period
                    assert not (
                        row.state == "consulting" and row.consultation_due and row.consultation_due < day
                    )
    for (_, kind, _), offs in offsets_seen.items():
        if kind != "overdue":
            assert offs == sorted(set(offs), reverse=True)  # each stage once, nearer ones later
    with read_session() as s:
        for row in organ_cases(s, organ):
            assert row.id is not None
            h = history(s, row.id)
            marks = [e.params["reply_due"] for e in h if e.event == "became_overdue"]
            assert len(marks) == len(set(marks))  # became overdue once per reply deadline
            assert derived(replay(row, h)) == derived(row)  # state and dates equal the replay
