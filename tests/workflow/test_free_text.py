"""Free text gets one validation in the service layer, the same on SQLite and PostgreSQL, whatever
door it comes through: no control characters (PostgreSQL refuses U+0000; SQLite would store it),
no unpaired surrogates, not empty once invisible characters are taken away, and a length limit
fitting its use. Every field is tried through the service every door calls, on both databases."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select

from models.cases import Case, CaseEvent
from models.db import session_scope
from models.organs import Organ, User
from reports.closing import reopen_year
from reports.inputs import save_inputs
from tests.cli_support import ogi
from tests.support import TESTER, D, organ_with_staff, receive
from workflow import text
from workflow.directory import add_organ, add_user, update_organ
from workflow.errors import InvalidInput, OgiError, RuleViolation
from workflow.importer import Importer
from workflow.service import advance

ON = D(2026, 3, 2)

# text that must be refused in every free-text field, and the words the refusal uses
BAD: dict[str, tuple[str, str]] = {
    "NUL": ("张\x00三", "U+0000"),
    "bell": ("张三\x07", "U+0007"),
    "escape": ("\x1b[31m张三", "U+001B"),
    "DEL": ("张三\x7f", "U+007F"),
    "zero-width space only": ("\u200b", "empty"),
    "ideographic spaces only": ("\u3000\u3000", "empty"),
    "format characters only": ("\u200b\u2060\ufeff\u200d", "empty"),
    "blank Hangul filler": ("\u3164", "empty"),
    "white space only": ("  \u3000 \u00a0", "empty"),
    "tab in a line": ("张\t三", "a tab"),
    "lone surrogate": ("张\ud800三", "surrogate"),
}


def count(model: type) -> int:
    with session_scope() as s:
        return int(s.execute(select(func.count()).select_from(model)).scalar_one())


def _receive_with(field: str) -> Callable[[str], None]:
    def run(value: str) -> None:
        receive(ON, **{field: value}) if field != "applicant" else _receive_applicant(value)

    return run


def _receive_applicant(value: str) -> None:
    from workflow.service import NewCase, open_case

    with session_scope() as s:
        open_case(
            s,
            NewCase(
                organ="east",
                applicant_type="natural_person",
                applicant=value,
                channel="online",
                received_on=ON,
            ),
            actor=TESTER,
        )


def _import(**over: object) -> Callable[[str], None]:
    def run(value: str) -> None:
        line = {"ref": "IMP-1", "organ": "east", "applicant_type": "natural_person", "applicant": "甲",
                "channel": "online", "received_on": ON.isoformat()}  # fmt: skip
        for where in over.values():
            line = where(line, value)  # type: ignore[operator]
        with session_scope() as s:
            Importer(s, actor=TESTER).run([json.dumps(line)])

    return run


CASE = "EAST-2026-00001"  # received before the test measures what a refusal writes


def _defer(value: str) -> None:
    with session_scope() as s:
        advance(s, CASE, "defer", {"on": "2026-03-05", "until": "2026-04-01", "reason": value}, actor=TESTER)


def _extend(value: str) -> None:
    with session_scope() as s:
        advance(s, CASE, "extend", {"on": "2026-03-05", "days": 5, "approver": value}, actor=TESTER)


def _organ(value: str) -> None:
    with session_scope() as s:
        add_organ(s, code="north", name=value)


def _rename_organ(value: str) -> None:
    with session_scope() as s:
        update_organ(s, "east", name=value, parent=None)


def _user(value: str) -> None:
    with session_scope() as s:
        add_user(s, name=value, organ="east", role="caseworker", email="x@example.org")


def _narrative(value: str) -> None:
    with session_scope() as s:
        save_inputs(s, "east", 2025, {"narrative": {"overview": value}}, actor=TESTER)


def _reopen(value: str) -> None:
    """The reason is checked before the seal; an accepted reason meets "not closed" (no seal here)."""
    try:
        with session_scope() as s:
            reopen_year(s, "east", 2025, reason=value, actor=TESTER)
    except RuleViolation as e:
        if "is not closed" not in str(e):
            raise


def _with(key: str) -> Callable[[dict[str, object], str], dict[str, object]]:
    return lambda line, value: {**line, key: value}


def _event(name: str, **params: object) -> Callable[[dict[str, object], str], dict[str, object]]:
    def put(line: dict[str, object], value: str) -> dict[str, object]:
        filled = {k: (value if v is None else v) for k, v in params.items()}
        return {**line, "events": [{"event": name, **filled}]}

    return put


# every free-text field, through the service function its doors call
FIELDS: dict[str, Callable[[str], None]] = {
    "applicant (receive: CLI, web)": _receive_applicant,
    "request (receive: CLI, web)": _receive_with("request"),
    "applicant (import)": _import(applicant=_with("applicant")),
    "request (import)": _import(request=_with("request")),
    "defer reason (advance: CLI, web)": _defer,
    "extend approver (advance: CLI)": _extend,
    "defer reason (import)": _import(
        events=_event("defer", on="2026-03-05", until="2026-04-01", reason=None)
    ),
    "event actor (import)": _import(events=_event("withdraw", on="2026-03-05", actor=None)),
    "organ name (CLI, web admin)": _organ,
    "organ rename (web admin)": _rename_organ,
    "user name (CLI, web admin)": _user,
    "narrative (report inputs: CLI file, web form)": _narrative,
    "reopen reason (CLI, web)": _reopen,
}
MULTILINE = {f for f in FIELDS if f.startswith(("request", "defer reason", "narrative", "reopen"))}
# the narrative is optional: blank or invisible text there is "not written yet", not an error
OPTIONAL = {
    "request (receive: CLI, web)",
    "request (import)",
    "narrative (report inputs: CLI file, web form)",
}


@pytest.mark.parametrize("bad", BAD, ids=list(BAD))
@pytest.mark.parametrize("field", FIELDS, ids=list(FIELDS))
def test_bad_free_text_is_refused_the_same_on_both_databases_and_nothing_is_written(
    any_db: str, field: str, bad: str
) -> None:
    organ_with_staff("east")
    receive(ON)
    value, why = BAD[bad]
    before = (count(Case), count(CaseEvent), count(Organ), count(User))
    if bad == "tab in a line" and field in MULTILINE:
        FIELDS[field](value)  # a text of several lines may hold tabs and line breaks
        return
    if field in OPTIONAL and why == "empty":
        FIELDS[field](value)  # accepted as not given; nothing invisible is stored
        with session_scope() as s:
            stored = s.exec(select(Case.request)).all() if "request" in field else []  # type: ignore[call-overload]
        assert all(r is None for (r,) in stored)
        return
    with pytest.raises(OgiError, match=re.escape(why)):
        FIELDS[field](value)
    assert (count(Case), count(CaseEvent), count(Organ), count(User)) == before


LIMITS: dict[str, tuple[Callable[[str], None], int]] = {
    "applicant": (_receive_applicant, text.NAME.max_chars),
    "request": (_receive_with("request"), text.REQUEST.max_chars),
    "defer reason": (_defer, text.REASON.max_chars),
    "organ name": (_organ, text.NAME.max_chars),
    "user name": (_user, text.PERSON.max_chars),
    "narrative": (_narrative, text.NARRATIVE.max_chars),
}


@pytest.mark.parametrize("field", LIMITS)
def test_each_kind_of_text_is_limited_to_a_length_fitting_its_use(any_db: str, field: str) -> None:
    organ_with_staff("east")
    receive(ON)
    run, limit = LIMITS[field]
    with pytest.raises(InvalidInput, match=f"more than the {limit} allowed"):
        run("字" * (limit + 1))
    run("字" * limit)  # the limit itself fits, on PostgreSQL's columns too


def test_text_is_stored_trimmed_of_invisible_edges_and_identically_on_both_databases(any_db: str) -> None:
    organ_with_staff("east")
    _receive_applicant("\u200b\u3000张\u200d三\ufeff ")
    receive(ON, request="\u3000请公开：\n1. 预算；\n\t2. 决算。\u200b")
    with session_scope() as s:
        rows = s.exec(select(Case.applicant, Case.request).order_by(Case.id)).all()  # type: ignore[call-overload]
    assert [tuple(r) for r in rows] == [("张\u200d三", None), ("张三", "请公开：\n1. 预算；\n\t2. 决算。")]


# --- the doors themselves: the CLI and the JSON Lines file ------------------------------------------
@pytest.fixture
def env(sqlite_db: str) -> dict[str, str]:
    env = {**os.environ, "OGI_DATABASE_URL": sqlite_db}
    ogi(env, "organ", "add", "east", "--name", "东区")
    return env


RECEIVE = ["case", "receive", "--organ", "east", "--applicant-type", "natural_person", "--channel", "online",
           "--received-on", "2026-03-02"]  # fmt: skip


CLI: dict[str, tuple[list[str], int, bool]] = {
    "receive --applicant": ([*RECEIVE, "--applicant", "{}"], text.NAME.max_chars, True),
    "receive --request": (
        [*RECEIVE, "--applicant", "张三", "--request", "{}"],
        text.REQUEST.max_chars,
        False,
    ),
    "organ add --name": (["organ", "add", "west", "--name", "{}"], text.NAME.max_chars, True),
    "user add NAME": (
        ["user", "add", "{}", "--organ", "east", "--role", "caseworker", "--email", "a@example.org"],
        text.PERSON.max_chars,
        True,
    ),
    "year reopen --reason": (
        ["year", "reopen", "2025", "--organ", "east", "--reason", "{}"],
        text.REASON.max_chars,
        True,
    ),
}


@pytest.mark.parametrize("value", ["empty", "control", "too long"])
@pytest.mark.parametrize("command", CLI)
def test_the_cli_refuses_bad_text_in_one_line_without_a_traceback(
    env: dict[str, str], command: str, value: str
) -> None:
    args, limit, required = CLI[command]
    if value == "empty" and not required:
        return  # an optional text left blank is simply not given
    given = {"empty": "\u200b\u3000", "control": "张三\x07", "too long": "字" * (limit + 1)}[value]
    p = ogi(env, *[given if a == "{}" else a for a in args], ok=False)
    assert p.returncode == 1 and "Traceback" not in p.stderr and p.stderr.count("\n") == 1, p.stderr
    assert {"empty": "empty", "control": "U+0007", "too long": "more than"}[value] in p.stderr


@pytest.mark.parametrize(
    ("line", "why"),
    [
        ({"request": "请公开复印件\u0000"}, "request: contains the control character U+0000"),
        ({"applicant": "\u200b"}, "applicant: is empty"),
        ({"applicant": "\u3000\u3000"}, "applicant: is empty"),
        ({"applicant": "\ud83d"}, "surrogate"),
    ],
)
def test_the_jsonl_file_door_refuses_bad_text_naming_the_line(
    env: dict[str, str], tmp_path: Path, line: dict[str, str], why: str
) -> None:
    good = {"ref": "OK-1", "organ": "east", "applicant_type": "natural_person", "applicant": "王五",
            "channel": "online", "received_on": "2026-11-02"}  # fmt: skip
    path = tmp_path / "cases.jsonl"
    path.write_text(json.dumps(good) + "\n" + json.dumps({**good, "ref": "BAD-1", **line}) + "\n")
    p = ogi(env, "case", "import", str(path), ok=False)
    assert p.returncode == 1 and p.stderr.count("\n") == 1
    assert f"{path}:2: case BAD-1: " in p.stderr and why in p.stderr
    assert "OK-1" not in ogi(env, "case", "list").stdout
