"""Properties that must hold for every history (hypothesis)."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import random
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codes import OUTCOMES
from demo.samples import sample_line
from models.db import session_scope
from tests.support import TESTER, organ_with_staff
from workflow import clock
from workflow.calendar import default_calendar
from workflow.case_json import history
from workflow.errors import OgiError
from workflow.events import EVENTS
from workflow.importer import Importer
from workflow.replay import derived, replay
from workflow.service import advance, get_case

SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
_refs = itertools.count()


@pytest.fixture
def organ(sqlite_db: str) -> str:
    organ_with_staff("prop")
    return "prop"


def import_random_case(rng: random.Random, organ: str) -> str:
    today = clock.today()
    received = today - dt.timedelta(days=rng.randint(0, 900))
    while not default_calendar().is_workday(received):
        received += dt.timedelta(days=1)
    ref = f"P-{next(_refs)}"
    line = sample_line(
        default_calendar(),
        rng,
        ref=ref,
        organ=organ,
        received=min(received, today),
        today=today,
        finish=rng.random() < 0.6,
    )
    with session_scope() as s:
        Importer(s, actor=TESTER).run([json.dumps(line, ensure_ascii=False)])
    return ref


def snapshot(ref: str) -> tuple[dict[str, Any], int, int]:
    with session_scope() as s:
        row = get_case(s, ref)
        assert row.id is not None
        return derived(row), row.version, len(history(s, row.id))


def assert_equals_its_replay(ref: str) -> None:
    with session_scope() as s:
        row = get_case(s, ref)
        assert row.id is not None
        events = history(s, row.id)
        again = replay(row, events)
    assert derived(again) == derived(row)
    assert row.version == len(events) == again.version


@SETTINGS
@given(rng=st.randoms(use_true_random=False))
def test_replaying_the_stored_events_reproduces_the_stored_case(organ: str, rng: random.Random) -> None:
    assert_equals_its_replay(import_random_case(rng, organ))


def random_event(rng: random.Random, last: dt.date) -> tuple[str, dict[str, Any]]:
    """Any event, any date near the case's last one, any parameters — valid or not."""
    name = rng.choice([*EVENTS, "approve"])
    on = last + dt.timedelta(days=rng.randint(-10, 60))
    params: dict[str, Any] = {"on": on.isoformat()}
    if rng.random() < 0.8:
        params |= rng.choice(
            [
                {"outcome": rng.choice([*OUTCOMES, "approved"])},
                {"days": rng.randint(-1, 25), "approver": "prop-head"},
                {"party": rng.choice(["third_party", "organ", "court"])},
                {"until": (on + dt.timedelta(days=rng.randint(-5, 40))).isoformat(), "reason": "x"},
                {"amount": rng.choice(["100", "-5", "abc"])},
                {"until": "2025-02-30"},
            ]
        )
    return name, params


@SETTINGS
@given(rng=st.randoms(use_true_random=False), tries=st.integers(1, 4))
def test_any_event_either_applies_consistently_or_leaves_no_trace(
    organ: str, rng: random.Random, tries: int
) -> None:
    ref = import_random_case(rng, organ)
    for _ in range(tries):
        before = snapshot(ref)
        last = before[0]["last_event_on"]
        name, params = random_event(rng, last)
        try:
            with session_scope() as s:
                advance(s, ref, name, params, actor=TESTER)
        except OgiError as e:
            assert str(e).startswith(f"case {ref}: ") and "\n" not in str(e)  # noqa: PT017 (not every try refuses)
            assert snapshot(ref) == before, f"refused {name} {params} left a trace"
        else:
            after = snapshot(ref)
            assert after[1] == before[1] + 1 and after[2] == before[2] + 1
            assert_equals_its_replay(ref)
