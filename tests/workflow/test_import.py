"""`case import`: every line through the live rules, all-or-nothing, the bad line named."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from sqlmodel import func, select

from models.cases import Appeal, Case, CaseEvent
from models.db import session_scope
from models.outbox import OutboxMessage
from tests.support import TESTER, organ_with_staff
from workflow.calendar import add_workdays
from workflow.errors import InvalidInput
from workflow.importer import BATCH, Importer
from workflow.service import get_case

R = dt.date(2025, 3, 3)
DUE = add_workdays(R, 20)


def case(ref: str, events: list[dict[str, Any]], **over: Any) -> dict[str, Any]:
    rec = {
        "ref": ref,
        "organ": "east",
        "applicant_type": "natural_person",
        "applicant": "甲",
        "channel": "online",
        "received_on": R.isoformat(),
        "events": events,
    }
    rec.update(over)
    return rec


def ev(name: str, on: dt.date, **p: Any) -> dict[str, Any]:
    return {"event": name, "on": on.isoformat(), **p}


def run(lines: list[Any]) -> None:
    text = [x if isinstance(x, str) else json.dumps(x, ensure_ascii=False) for x in lines]
    with session_scope() as s:
        Importer(s, actor=TESTER).run(text)


def counts() -> tuple[int, int, int]:
    with session_scope() as s:
        return tuple(s.exec(select(func.count()).select_from(t)).one() for t in (Case, CaseEvent, Appeal))  # type: ignore[return-value]


W = add_workdays
BAD: dict[str, Any] = {
    "answer-before-receipt": (
        case("B", [ev("answer", R - dt.timedelta(days=3), outcome="disclosed")]),
        "precedes",
    ),
    "unknown-outcome": (case("B", [ev("answer", DUE, outcome="approved")]), "unknown value 'approved'"),
    "extension-21-days": (case("B", [ev("extend", W(R, 5), days=21, approver="王")]), "at most 20"),
    "second-extension": (
        case(
            "B", [ev("extend", W(R, 5), days=5, approver="王"), ev("extend", W(R, 6), days=5, approver="王")]
        ),
        "already extended",
    ),
    "correction-lapsed-early": (
        case(
            "B",
            [ev("request_correction", W(R, 2), until=W(R, 12).isoformat()), ev("lapse_correction", W(R, 12))],
        ),
        "runs until",
    ),
    "correction-received-unasked": (case("B", [ev("receive_correction", W(R, 2))]), "not allowed"),
    "still-unclear-uncorrected": (
        case("B", [ev("answer", DUE, outcome="unable_still_unclear")]),
        "correction round",
    ),
    "lapse-outcome-by-answer": (
        case("B", [ev("answer", DUE, outcome="other_no_correction")]),
        "only from a lapse",
    ),
    "impossible-date": (
        case("B", [{"event": "answer", "on": "2025-02-30", "outcome": "disclosed"}]),
        "valid date",
    ),
    "unknown-applicant-type": (case("B", [], applicant_type="company"), "unknown applicant type 'company'"),
    "unknown-channel": (case("B", [], channel="pigeon"), "unknown channel 'pigeon'"),
    "unknown-organ": (case("B", [], organ="nowhere"), "unknown organ 'nowhere'"),
    "unknown-event": (case("B", [ev("approve", W(R, 4))]), "unknown event 'approve'"),
    "answered-twice": (
        case(
            "B",
            [
                ev("answer", DUE, outcome="disclosed"),
                ev("answer", DUE + dt.timedelta(days=1), outcome="disclosed"),
            ],
        ),
        "already answered",
    ),
    "event-in-future": (
        case("B", [ev("answer", dt.date.today() + dt.timedelta(days=30), outcome="disclosed")]),
        "in the future",
    ),
    "events-out-of-order": (
        case("B", [ev("consult", W(R, 6), party="third_party"), ev("receive_opinion", W(R, 4))]),
        "precedes",
    ),
    "not-json": ('{"ref": "B", "organ": ', "not valid JSON"),
    "not-an-object": ("[1, 2]", "expected a JSON object"),
    "no-receipt-date": ({k: v for k, v in case("B", []).items() if k != "received_on"}, "received_on"),
    "duplicate-ref-in-file": (case("G-1", []), "repeats line 1"),
    "fee-lapsed-early": (
        case("B", [ev("notify_fee", W(R, 3), amount=1100), ev("lapse_fee", W(R, 10))]),
        "runs until",
    ),
    "opinion-without-consultation": (case("B", [ev("receive_opinion", W(R, 3))]), "not allowed"),
    "extension-after-deadline": (
        case("B", [ev("extend", W(DUE, 1), days=5, approver="王")]),
        "already passed",
    ),
    "deferral-earlier-than-due": (
        case("B", [ev("defer", W(R, 3), until=(DUE - dt.timedelta(days=3)).isoformat(), reason="x")]),
        "must be later",
    ),
    "unknown-field": (case("B", [], colour="red"), "unexpected field 'colour'"),
    "event-without-date": (case("B", [{"event": "answer", "outcome": "disclosed"}]), "on is required"),
    "unknown-assignee": (case("B", [], assignee="nobody"), "assignee 'nobody' is not a user"),
    "appeal-unknown-kind": (
        case("B", [], appeals=[{"kind": "petition", "filed_on": "2025-04-01"}]),
        "appeal 1",
    ),
    "appeal-result-without-date": (
        case("B", [], appeals=[{"kind": "litigation", "filed_on": "2025-04-01", "result": "upheld"}]),
        "both result and decided_on",
    ),
}


@pytest.mark.parametrize("kind", sorted(BAD))
def test_a_file_with_one_invalid_line_is_refused_whole_naming_the_line(sqlite_db: str, kind: str) -> None:
    organ_with_staff()
    bad, message = BAD[kind]
    good = [case(f"G-{i}", [ev("answer", W(R, 5), outcome="disclosed")]) for i in (1, 2, 3)]
    before = counts()
    with pytest.raises(InvalidInput) as e:
        run([*good, bad])
    assert str(e.value).startswith("line 4: ") and message in str(e.value) and "\n" not in str(e.value)
    assert counts() == before


def test_a_ref_already_in_the_database_is_refused(sqlite_db: str) -> None:
    organ_with_staff()
    run([case("X-1", [])])
    with pytest.raises(InvalidInput, match="line 2: case X-1: case ref 'X-1' cannot be used"):
        run([case("X-2", []), case("X-1", [])])


def test_an_error_after_several_written_batches_still_writes_nothing(any_db: str) -> None:
    organ_with_staff()
    lines = [case(f"M-{i}", [ev("answer", W(R, 5), outcome="disclosed")]) for i in range(2 * BATCH + 10)]
    lines.append(case("M-bad", [ev("answer", W(R, 5), outcome="approved")]))
    with pytest.raises(InvalidInput, match=f"line {2 * BATCH + 11}: "):
        run(lines)
    assert counts() == (0, 0, 0)


def test_an_imported_history_may_name_any_approver_and_keeps_assignee_and_appeals(any_db: str) -> None:
    organ_with_staff()
    run(
        [
            case(
                "A-1",
                [
                    ev("extend", W(R, 5), days=10, approver="王主任"),
                    ev("answer", W(R, 25), outcome="disclosed"),
                ],
                assignee="east-worker",
                appeals=[
                    {
                        "kind": "reconsideration",
                        "filed_on": "2025-05-06",
                        "result": "upheld",
                        "decided_on": "2025-07-01",
                    }
                ],
            )
        ]
    )
    with session_scope() as s:
        row = get_case(s, "A-1")
        appeal = s.exec(select(Appeal)).one()
    # 3 events, then the appeal's filing and decision in the history, as a live filing records them
    assert (row.extension_days, row.version, row.assignee_id is not None) == (10, 5, True)
    assert (appeal.kind, appeal.result, appeal.decided_on) == (
        "reconsideration",
        "upheld",
        dt.date(2025, 7, 1),
    )


def test_a_submitted_application_is_imported_as_registered(sqlite_db: str) -> None:
    organ_with_staff()
    line = case("REG-1", [ev("confirm_receipt", dt.date(2025, 3, 5))])
    del line["received_on"]
    line["submitted_on"] = "2025-03-03"
    run([line])
    with session_scope() as s:
        row = get_case(s, "REG-1")
    assert (row.state, row.submitted_on, row.received_on) == (
        "received",
        dt.date(2025, 3, 3),
        dt.date(2025, 3, 5),
    )


def _reminders(s: Any) -> list[tuple[str, str, dt.date | None]]:
    q = (
        select(Case.ref, OutboxMessage.kind, OutboxMessage.due_on)
        .join(Case, Case.id == OutboxMessage.case_id)  # type: ignore[arg-type]
        .order_by(OutboxMessage.key)
    )
    return [tuple(r) for r in s.exec(q)]  # type: ignore[misc]


def test_an_imported_open_case_due_a_reminder_has_it_queued_in_the_same_transaction(any_db: str) -> None:
    organ_with_staff()
    lines = [
        json.dumps(case("OPEN-1", [], assignee="east-worker")),
        json.dumps(case("DONE-1", [ev("answer", W(R, 3), outcome="disclosed")])),
    ]
    with session_scope() as s:
        Importer(s, actor=TESTER, today=DUE).run(lines)  # the reply is due today: a reminder is owed
        seen_inside = _reminders(s)
    with session_scope() as s:
        assert _reminders(s) == seen_inside == [("OPEN-1", "reply_due", DUE)]  # none for the answered case


def test_an_import_that_fails_queues_no_reminder(any_db: str) -> None:
    organ_with_staff()
    lines = [json.dumps(case("OPEN-1", [], assignee="east-worker"))] * (BATCH + 1)  # the repeat fails
    lines[0] = json.dumps(case("OPEN-0", [], assignee="east-worker"))
    with pytest.raises(InvalidInput, match="repeats line"), session_scope() as s:
        Importer(s, actor=TESTER, today=DUE).run(lines)
    with session_scope() as s:
        assert _reminders(s) == []
    assert counts() == (0, 0, 0)


def test_an_imported_appeal_is_in_the_history_after_the_events_and_counts_in_the_version(any_db: str) -> None:
    organ_with_staff()
    appeal = {
        "kind": "litigation",
        "filed_on": "2025-05-06",
        "result": "corrected",
        "decided_on": "2025-07-01",
    }
    run([case("A-1", [ev("answer", W(R, 5), outcome="disclosed")], appeals=[appeal])])
    with session_scope() as s:
        row = get_case(s, "A-1")
        [stored] = s.exec(select(Appeal)).all()
        events = s.exec(select(CaseEvent).where(CaseEvent.case_id == row.id).order_by(CaseEvent.seq)).all()
    assert [(e.seq, e.event, e.effective_on) for e in events] == [
        (1, "receive", R),
        (2, "answer", W(R, 5)),
        (3, "appeal_filed", dt.date(2025, 5, 6)),
        (4, "appeal_decided", dt.date(2025, 7, 1)),
    ]
    assert [e.params for e in events[2:]] == [
        {"appeal_id": stored.id, "kind": "litigation"},
        {"appeal_id": stored.id, "result": "corrected"},
    ]
    assert row.version == 4
