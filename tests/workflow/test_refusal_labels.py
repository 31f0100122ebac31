"""Refusals and histories name fields, codes and lists by their labels in the reader's language
(DESIGN §14): no raw code or field name inside a sentence; stored reasons read in the reader's
language; a form's bad fields are refused all at once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from codes.labels import CodeList, FieldName, label, param_value
from config.i18n import render
from workflow import events as ev
from workflow.applicants import ApplicantDetailsIn, check_details
from workflow.errors import InvalidFields, InvalidInput, OgiError, Phrase, fields_of
from workflow.identity import check_id_number
from workflow.plan import Plan
from workflow.service import check_header
from workflow.stored_text import same, shown, stored


def refused(call: Callable[..., object], *args: object, **kw: object) -> OgiError:
    with pytest.raises(OgiError) as e:
        call(*args, **kw)
    return e.value


def test_a_refusal_naming_an_identity_kind_shows_its_label_in_either_language() -> None:
    e = refused(check_id_number, "credit_code", "91350100M000100Y4X")
    assert "统一社会信用代码" in render(e, "zh") and "credit_code" not in render(e, "zh")
    assert "unified social credit code" in render(e, "en") and "credit_code" not in render(e, "en")


def test_an_unknown_identity_kind_lists_the_kinds_with_their_labels() -> None:
    zh = render(refused(check_id_number, "passport", "E1234"), "zh")
    assert "居民身份证" in zh and "id_kind" not in zh


def test_a_refused_request_is_named_by_its_label_not_its_field_name() -> None:
    e = refused(check_header, "natural_person", "online", "王五", "请公开复印件\x00")
    assert render(e, "zh").startswith("申请内容：") and "request" not in render(e, "zh")
    assert render(e, "en").startswith("request: ")


def test_an_empty_applicant_is_named_by_its_label() -> None:
    e = refused(check_header, "natural_person", "online", "\u200b")
    assert render(e, "zh").startswith("申请人：") and "applicant" not in render(e, "zh")


def test_a_bad_item_of_a_list_field_is_named_by_the_fields_label_and_its_number() -> None:
    e = refused(ev.parse_params, "request_correction", {"items": ["身份证明", "\x00"]})
    assert "需补正的事项第2项" in render(e, "zh") and "items" not in render(e, "zh")
    assert "items to correct (item 2)" in render(e, "en")


def test_a_missing_field_is_named_by_its_label() -> None:
    e = refused(ev.parse_params, "defer", {"reason": "数量大"})
    assert "截止日期为必填项" in render(e, "zh") and "until" not in render(e, "zh")


def test_an_unknown_fee_method_lists_the_methods_with_their_labels() -> None:
    zh = render(refused(ev.parse_params, "notify_fee", {"method": "weight"}), "zh")
    assert "按件计收" in zh and "按量计收" in zh and "method" not in zh


def test_a_list_of_states_reads_as_their_labels_in_the_readers_list_form() -> None:
    states = CodeList("state", ("received", "registered"))
    assert states.localized("zh") == "办理中、待确认收到"
    assert states.localized("en") == "in progress, awaiting confirmation of receipt"
    assert FieldName.named("received_on").localized("zh") == "收到申请日期"


def test_a_refusal_naming_a_role_shows_its_label(sqlite_db: str) -> None:
    from models.db import session_scope
    from workflow.directory import add_user

    with session_scope() as s:
        e = refused(add_user, s, name="new-head", organ=None, role="supervisor", email="h@example.org")
    assert "负责人" in render(e, "zh") and "supervisor" not in render(e, "zh")


def test_every_bad_detail_of_an_applicant_is_refused_at_once() -> None:
    e = refused(check_details, ApplicantDetailsIn(phone="abc", email="nobody", postcode="12"))
    assert isinstance(e, InvalidFields) and set(e.fields) == {"phone", "email", "postcode"}
    zh = render(e, "zh")
    assert "联系电话" in zh and "电子邮箱" in zh and "邮政编码" in zh and "；" in zh


def test_every_bad_field_of_an_event_is_refused_at_once_and_carried_for_a_form() -> None:
    e = refused(ev.parse_params, "extend", {"days": "many"})
    assert set(fields_of(e)) == {"days", "approver"}


def test_one_bad_field_reads_exactly_as_its_own_refusal() -> None:
    only = InvalidInput("{field} is required", field=FieldName.named("request"))
    assert render(InvalidFields({"request": only}), "zh") == render(only, "zh") == "申请内容为必填项"


def test_list_parameters_are_shown_as_numbered_lines_and_codes_as_labels() -> None:
    assert param_value("items", ["身份证明", "申请内容描述"], "zh") == "1. 身份证明\n2. 申请内容描述"
    assert param_value("method", "count", "en") == "by the number of applications"
    assert param_value("method", "count", "zh") == "按件计收"


def test_the_operator_is_shown_as_a_readable_actor_and_a_user_as_named() -> None:
    assert label("actor", "operator:root", "zh") == "命令行运维人员 root"
    assert label("actor", "operator:root", "en") == "command-line operator root"
    assert label("actor", "east-worker", "zh") == "east-worker"
    assert label("actor", "system", "zh") == "系统"


def void_reason() -> dict[str, Any]:
    from codes.labels import Coded

    return stored(
        "entry {seq} ({event}, {on}) no longer holds: recorded later but dated before it: {which}",
        seq=4,
        event=Coded("event", "became_overdue"),
        on=dt.date(2026, 6, 30),
        which=[
            Phrase("{event} ({seq}, {on})", event=Coded("event", "answer"), seq=5, on=dt.date(2026, 6, 29))
        ],
    )


def test_a_stored_void_reason_renders_in_the_readers_language() -> None:
    reason = void_reason()
    zh, en = shown(reason, "zh"), shown(reason, "en")
    assert zh == (
        "第4项「已逾期」（2026-06-30）不再成立：其后录入、日期早于该日的办理事项：答复（第5项，2026-06-29）"
    )
    assert en == (
        "entry 4 (became overdue, 2026-06-30) no longer holds: recorded later but dated before it: "
        "answer (5, 2026-06-29)"
    )


def test_a_stored_reason_written_as_text_before_still_shows_as_written() -> None:
    old = "第4项（答复已逾期，2026-06-30）不再成立：……"
    assert shown(old, "en") == old and shown(old, "zh") == old
    plan = Plan.from_params({"voided": {"4": old}})
    assert plan.voided == {4: old}


def test_a_plan_stored_as_messages_reads_back_the_same_and_old_text_counts_as_the_same_reason() -> None:
    reason = void_reason()
    plan = Plan(voided={4: reason})
    assert Plan.from_params(plan.as_params()) == plan
    assert same(shown(reason, "zh"), reason) and Plan(voided={4: shown(reason, "zh")}).same_as(plan)
    assert not same("another reason", reason)


def test_a_number_out_of_bounds_is_refused_in_the_readers_language_not_pydantics_english() -> None:
    e = refused(ev.parse_params, "request_correction", {"days": 10**7})
    assert "工作日数：不得大于" in render(e, "zh") and "input should" not in render(e, "zh")
    assert "working days: must be at most" in render(e, "en")


def test_a_path_of_keys_no_refusal_labels_reads_as_typed() -> None:
    assert FieldName(("section2", "licensing")).localized("zh") == "section2.licensing"
