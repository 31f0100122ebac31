"""Applicant details (DESIGN §12): the identity number encrypted at rest and matched by a keyed
hash, on SQLite and PostgreSQL; fees counted per applicant; repeated applications pointed out."""

from __future__ import annotations

import datetime as dt
import logging
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import MetaData, select, text

from config.settings import Settings, get_settings
from models.db import get_engine, read_session, session_scope
from workflow import applicants
from workflow.access import SYSTEM
from workflow.applicants import ApplicantDetailsIn, applicant_details, identity_hash
from workflow.case_json import CaseFilter, case_detail, list_cases
from workflow.data_key import generate_key, key_file
from workflow.directory import add_organ, add_user
from workflow.errors import InvalidInput, RuleViolation
from workflow.fee_quotes import month_position, quote
from workflow.repeats import similar_earlier
from workflow.service import NewCase, advance, get_case, open_case
from workflow.sweep import sweep

NUMBER = "11010519491231002X"
OTHER = "440524188001010014"
D = dt.date


@pytest.fixture
def keyed(any_db: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("OGI_DATA_KEY", generate_key())
    monkeypatch.setenv("OGI_LANG", "en")  # the refusals are matched in their English form
    get_settings.cache_clear()
    with session_scope() as s:
        add_organ(s, code="east", name="东区")
        add_organ(s, code="west", name="西区")
    return any_db


def receive(
    on: D,
    number: str | None = NUMBER,
    *,
    organ: str = "east",
    request: str = "申请公开道路维修合同",
    **details: str,
) -> str:
    given = ApplicantDetailsIn(id_kind="resident_id" if number else None, id_number=number, **details)
    new = NewCase(organ=organ, applicant_type="natural_person", applicant="张三", channel="online",
                  received_on=on, request=request, applicant_details=given)  # fmt: skip
    with session_scope() as s:
        return open_case(s, new, actor=SYSTEM).ref


def dump(url: str) -> str:
    """Every row of every table as text (SQLite: iterdump; PostgreSQL: pg_dump when installed, else
    a SELECT of every table)."""
    if url.startswith("sqlite"):
        import sqlite3

        path = url.split("///", 1)[1]
        with sqlite3.connect(path) as conn:
            return "\n".join(conn.iterdump())
    try:
        plain = url.replace("+psycopg", "")
        return subprocess.run(["pg_dump", plain], capture_output=True, text=True, check=True).stdout
    except (FileNotFoundError, subprocess.CalledProcessError):
        meta = MetaData()
        meta.reflect(get_engine())
        with get_engine().connect() as conn:
            return "\n".join(str(tuple(row)) for t in meta.sorted_tables for row in conn.execute(select(t)))


def test_the_identity_number_is_nowhere_in_clear_in_a_full_dump_of_the_database(
    keyed: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with session_scope() as s:
        add_user(s, name="li", organ="east", role="caseworker", email="li@example.org")
    ref = receive(D(2026, 3, 2), phone="13800000000", email="zhang@example.org", postcode="150000")
    with session_scope() as s:
        advance(s, ref, "answer", {"on": "2026-03-10", "outcome": "disclosed"}, actor=SYSTEM)
    # an open, overdue case: its reminder e-mails are queued in the outbox table at receipt
    given = ApplicantDetailsIn(id_kind="resident_id", id_number=NUMBER)
    new = NewCase(organ="east", applicant_type="natural_person", applicant="张三", channel="online",
                  received_on=D(2026, 3, 3), assignee="li", applicant_details=given)  # fmt: skip
    with session_scope() as s:
        open_case(s, new, actor=SYSTEM)
    with session_scope() as s:
        sweep(s)  # the overdue reply: an escalation e-mail to the assignee, queued as an outbox row
    with session_scope() as s:
        assert s.execute(text("SELECT count(*) FROM outbox_message")).scalar_one() > 0
    everything = dump(keyed)
    assert "13800000000" in everything and "li@example.org" in everything  # the dump is complete
    assert NUMBER not in caplog.text
    assert NUMBER not in everything and NUMBER.lower() not in everything and NUMBER[:17] not in everything
    with read_session() as s:
        row = get_case(s, ref)
        assert applicant_details(s, row.id)["id_number"] == NUMBER  # type: ignore[arg-type,index]


def test_the_case_json_masks_the_number_unless_it_is_revealed_to_the_organ(keyed: str) -> None:
    ref = receive(D(2026, 3, 2))
    with read_session() as s:
        row = get_case(s, ref)
        assert case_detail(s, row)["applicant_details"]["id_number"] == "1101**********002X"
        assert case_detail(s, row, reveal=True)["applicant_details"] == {
            "id_kind": "resident_id", "id_number": NUMBER, "phone": None, "email": None,
            "address": None, "postcode": None,
        }  # fmt: skip


def test_cases_are_found_by_the_applicants_number_through_its_hash(keyed: str) -> None:
    a = receive(D(2026, 3, 2))
    receive(D(2026, 3, 3), OTHER)
    b = receive(D(2026, 3, 4), NUMBER.lower(), organ="west")
    with read_session() as s:
        found = [r.ref for r in list_cases(s, CaseFilter(identity_number=NUMBER))]
    assert found == [a, b]
    assert len(identity_hash(NUMBER)) == 64 and identity_hash(NUMBER) == identity_hash(" " + NUMBER.lower())


def test_rotating_the_key_re_encrypts_every_number_and_keeps_the_matching(
    keyed: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ref = receive(D(2026, 3, 2))
    old = get_settings().data_key
    assert old is not None
    with read_session() as s:
        before = s.execute(text("SELECT id_number_cipher, key_id FROM applicant_details")).one()
    monkeypatch.setenv("OGI_DATA_KEY", generate_key())
    monkeypatch.setenv("OGI_DATA_KEY_PREVIOUS", old)
    get_settings.cache_clear()
    with read_session() as s:  # the old key still reads before the rotation
        assert applicant_details(s, get_case(s, ref).id)["id_number"] == NUMBER  # type: ignore[arg-type,index]
    with session_scope() as s:
        assert applicants.rotate(s) == (1, 0)
    with session_scope() as s:
        assert applicants.rotate(s) == (0, 1)
    monkeypatch.delenv("OGI_DATA_KEY_PREVIOUS")
    get_settings.cache_clear()
    with read_session() as s:
        after = s.execute(text("SELECT id_number_cipher, key_id FROM applicant_details")).one()
        assert after[0] != before[0] and after[1] != before[1]
        assert applicant_details(s, get_case(s, ref).id)["id_number"] == NUMBER  # type: ignore[arg-type,index]
        assert [r.ref for r in list_cases(s, CaseFilter(identity_number=NUMBER))] == [ref]


def test_a_number_written_by_a_key_no_longer_configured_is_one_clear_refusal(
    keyed: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ref = receive(D(2026, 3, 2))
    monkeypatch.setenv("OGI_DATA_KEY", generate_key())
    get_settings.cache_clear()
    with read_session() as s, pytest.raises(RuleViolation, match="OGI_DATA_KEY_PREVIOUS"):
        applicant_details(s, get_case(s, ref).id)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("details", "why"),
    [
        ({"id_kind": "resident_id", "id_number": "11010519491231002Y"}, "GB 11643"),
        ({"id_kind": "credit_code", "id_number": "91350100M000100Y44"}, "GB 32100"),
        ({"id_number": NUMBER}, "id_kind"),
        ({"email": "zhang@"}, "email"),
        ({"postcode": "1500"}, "postcode"),
    ],
)
def test_invalid_details_are_refused_in_one_line_and_nothing_is_written(
    keyed: str, details: dict[str, str], why: str
) -> None:
    new = NewCase(organ="east", applicant_type="natural_person", applicant="张三", channel="online",
                  received_on=D(2026, 3, 2), applicant_details=ApplicantDetailsIn(**details))  # fmt: skip
    with pytest.raises(InvalidInput) as refused, session_scope() as s:
        open_case(s, new, actor=SYSTEM)
    assert NUMBER not in str(refused.value) and "11010519491231002Y" not in str(refused.value)
    with read_session() as s:
        assert list_cases(s, CaseFilter()) == []


def test_by_count_an_application_is_numbered_within_the_applicants_month_at_the_organ(keyed: str) -> None:
    refs = [receive(D(2026, 3, 2 + i % 20)) for i in range(12)]
    receive(D(2026, 3, 2), organ="west")  # another organ
    receive(D(2026, 4, 1))  # another month
    receive(D(2026, 3, 2), OTHER)  # another applicant
    with read_session() as s:
        assert [month_position(s, get_case(s, r)) for r in refs] == list(range(1, 13))
        assert quote(s, get_case(s, refs[10]), "count").amount == 100
    with session_scope() as s:
        c = advance(s, refs[11], "notify_fee", {"on": "2026-03-20", "method": "count"}, actor=SYSTEM)
        events = case_detail(s, c)["events"]
    assert events[-1] | {"recorded_at": None} == {
        "event": "notify_fee", "on": "2026-03-20", "actor": "system", "recorded_at": None,
        "method": "count", "amount": "100", "count": 12, "computed_amount": "100", "days": 20,
    }  # fmt: skip


def test_a_fee_different_from_the_computed_one_needs_a_reason_and_both_are_recorded(keyed: str) -> None:
    ref = receive(D(2026, 3, 2))
    with session_scope() as s, pytest.raises(RuleViolation, match="differs from the computed 720"):
        advance(s, ref, "notify_fee", {"on": "2026-03-05", "method": "pages", "pages": 101, "amount": "700"},
                actor=SYSTEM)  # fmt: skip
    raw = {"on": "2026-03-05", "method": "pages", "pages": 101, "amount": "700", "reason": "按合同减免"}
    with session_scope() as s:
        c = advance(s, ref, "notify_fee", raw, actor=SYSTEM)
        last = case_detail(s, c)["events"][-1]
    assert (last["amount"], last["computed_amount"], last["reason"], last["pages"]) == (
        "700",
        "720",
        "按合同减免",
        101,
    )


def test_the_count_method_refuses_an_applicant_without_an_identity_number(keyed: str) -> None:
    ref = receive(D(2026, 3, 2), None)
    with session_scope() as s, pytest.raises(RuleViolation, match="no identity number"):
        advance(s, ref, "notify_fee", {"on": "2026-03-05", "method": "count"}, actor=SYSTEM)


def test_a_free_application_has_no_fee_to_notify(keyed: str) -> None:
    ref = receive(D(2026, 3, 2))
    with session_scope() as s, pytest.raises(RuleViolation, match="0 yuan"):
        advance(s, ref, "notify_fee", {"on": "2026-03-05", "method": "count"}, actor=SYSTEM)


def test_pages_may_count_over_the_applicants_month(keyed: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OGI_FEE_PAGES_PER_MONTH", "true")
    get_settings.cache_clear()
    first, second = receive(D(2026, 3, 2)), receive(D(2026, 3, 3))
    with session_scope() as s:
        advance(s, first, "notify_fee", {"on": "2026-03-05", "method": "pages", "pages": 40}, actor=SYSTEM)
    with read_session() as s:
        q = quote(s, get_case(s, second), "pages", 10)  # pages 41..50 of the month
    assert q.amount == 100


def test_a_closely_matching_earlier_request_of_the_same_applicant_is_pointed_out(keyed: str) -> None:
    earlier = receive(D(2026, 3, 2), request="申请公开2025年红星镇道路维修工程的招标文件和合同")
    receive(D(2026, 3, 3), request="申请公开红星镇2025年低保发放名单")
    receive(D(2026, 3, 3), OTHER, request="申请公开2025年红星镇道路维修工程的招标文件和合同")
    with session_scope() as s:
        advance(s, earlier, "answer", {"on": "2026-03-10", "outcome": "disclosed"}, actor=SYSTEM)
    now = receive(D(2026, 3, 20), request="申请公开2026年红星镇道路维修工程的招标文件及合同。")
    with read_session() as s:
        found = similar_earlier(s, get_case(s, now))
    assert [(f.ref, f.outcome) for f in found] == [(earlier, "disclosed")] and found[0].similarity >= 0.8


def test_without_a_data_key_development_generates_one_beside_the_sqlite_database_and_says_so_once(
    sqlite_db: str, caplog: pytest.LogCaptureFixture
) -> None:
    with session_scope() as s:
        add_organ(s, code="east", name="东区")
    caplog.set_level(logging.WARNING)
    receive(D(2026, 3, 2))
    receive(D(2026, 3, 3))
    path = key_file(Path(sqlite_db.split("///", 1)[1]))
    assert path.exists() and (path.stat().st_mode & 0o777) == 0o600
    assert [r.getMessage() for r in caplog.records].count(next(iter(caplog.messages))) == 1
    assert str(path) in caplog.text


def test_production_refuses_to_start_without_a_data_key() -> None:
    with pytest.raises(ValueError, match="OGI_DATA_KEY must be set in production"):
        Settings(environment="production", secret_key="x" * 40, allowed_hosts=("ogi.example.org",))
    with pytest.raises(ValueError, match="32 random bytes"):
        Settings(data_key="too-short")
    assert Settings(
        environment="production", secret_key="x" * 40, allowed_hosts=("a",), data_key=generate_key()
    )


def test_an_import_line_carries_the_details_and_a_wrong_one_names_its_line(keyed: str) -> None:
    from workflow.importer import import_file

    good = {"ref": "HX-1", "organ": "east", "applicant_type": "natural_person", "applicant": "张三",
            "channel": "online", "received_on": "2026-03-02",
            "applicant_details": {"id_kind": "resident_id", "id_number": NUMBER, "email": "z@example.org"},
            "events": [{"event": "notify_fee", "on": "2026-03-04", "method": "pages",
                        "pages": 40}]}  # fmt: skip
    bad = {**good, "ref": "HX-2", "applicant_details": {"id_kind": "credit_code", "id_number": NUMBER}}
    import json

    with pytest.raises(InvalidInput, match="line 2: case HX-2: id_number") as refused, session_scope() as s:
        import_file(s, [json.dumps(good), json.dumps(bad)], actor=SYSTEM)
    assert NUMBER not in str(refused.value)
    with session_scope() as s:
        import_file(s, [json.dumps(good)], actor=SYSTEM)
    with read_session() as s:
        row = get_case(s, "HX-1")
        detail = case_detail(s, row, reveal=True)
    assert (
        detail["applicant_details"]["id_number"] == NUMBER
        and detail["applicant_details"]["email"] == "z@example.org"
    )
    assert detail["events"][-1]["amount"] == "100" and detail["events"][-1]["computed_amount"] == "100"
    assert NUMBER not in dump(keyed)


def test_an_import_line_with_a_number_of_the_wrong_type_does_not_repeat_it(keyed: str) -> None:
    import json

    from workflow.importer import import_file

    line = {"ref": "HX-1", "organ": "east", "applicant_type": "natural_person", "applicant": "张三",
            "channel": "online", "received_on": "2026-03-02",
            "applicant_details": {"id_kind": "resident_id", "id_number": 110105194912310020}}  # fmt: skip
    with pytest.raises(InvalidInput, match=r"applicant_details\.id_number") as refused, session_scope() as s:
        import_file(s, [json.dumps(line)], actor=SYSTEM)
    assert "110105194912310020" not in str(refused.value)
