"""The CLI in Chinese (DESIGN §14): codes typed as their Chinese labels, every line a person reads in
Chinese by default and in English with OGI_LANG=en, JSON keeping the codes, and times in OGI_TIMEZONE."""

from __future__ import annotations

import datetime as dt
import os
from zoneinfo import ZoneInfo

import pytest

from tests.cli_support import ogi, ogi_json, one_line_error


@pytest.fixture
def zh(sqlite_db: str) -> dict[str, str]:
    return {**os.environ, "OGI_DATABASE_URL": sqlite_db, "OGI_LANG": "zh", "COLUMNS": "200"}


def receive_in_chinese(env: dict[str, str]) -> dict[str, object]:
    ogi(env, "organ", "add", "east", "--name", "东区")
    ogi(env, "user", "add", "wang", "--organ", "east", "--role", "负责人", "--email", "wang@example.org")
    return ogi_json(
        env,
        "case",
        "receive",
        "--organ",
        "east",
        "--applicant-type",
        "自然人",
        "--applicant",
        "张三",
        "--channel",
        "网络平台",
        "--received-on",
        "2026-09-01",
    )


def test_codes_typed_as_chinese_labels_are_stored_and_printed_as_codes_in_json(zh: dict[str, str]) -> None:
    c = receive_in_chinese(zh)
    assert (c["applicant_type"], c["channel"]) == ("natural_person", "online")
    c = ogi_json(
        zh, "case", "advance", "EAST-2026-00001", "答复", "--on", "2026-09-20", "--outcome", "予以公开"
    )
    assert (c["state"], c["outcome"]) == ("answered", "disclosed")
    assert [r["ref"] for r in ogi_json(zh, "case", "list", "--state", "已办结")] == ["EAST-2026-00001"]


def test_case_show_reads_in_chinese_with_labels_and_no_raw_codes(zh: dict[str, str]) -> None:
    receive_in_chinese(zh)
    ogi(zh, "case", "advance", "1", "answer", "--on", "2026-09-20", "--outcome", "disclosed")
    out = ogi(zh, "case", "show", "1").stdout
    assert "申请人 张三（自然人），渠道 网络平台" in out
    assert "办理结果：予以公开" in out and "outcome=" not in out and "natural_person" not in out


def test_the_same_output_reads_in_english_with_ogi_lang_en(zh: dict[str, str]) -> None:
    receive_in_chinese(zh)
    en = {**zh, "OGI_LANG": "en"}
    assert "organ west added" in ogi(en, "organ", "add", "west", "--name", "西区").stdout
    out = ogi(en, "case", "show", "1").stdout
    assert "applicant 张三 (natural person), channel online platform" in out
    assert "1 case" in ogi(en, "case", "list").stdout
    assert "1 件" in ogi(zh, "case", "list").stdout


def test_an_unknown_label_is_one_chinese_line_listing_the_codes_with_their_labels(zh: dict[str, str]) -> None:
    receive_in_chinese(zh)
    p = ogi(zh, "case", "advance", "1", "answer", "--outcome", "同意公开", ok=False)
    one_line_error(p, "--outcome", "未知的办理结果", "disclosed（予以公开）")
    p = ogi({**zh, "OGI_LANG": "en"}, "case", "list", "--state", "pending", ok=False)
    one_line_error(p, "--state", "unknown state 'pending'", "received (in progress)")


def test_a_refusal_from_the_rules_is_rendered_in_chinese(zh: dict[str, str]) -> None:
    receive_in_chinese(zh)
    p = ogi(zh, "case", "advance", "1", "answer", "--on", "2026-08-01", "--outcome", "予以公开", ok=False)
    one_line_error(p, "ogi：错误：", "早于本案上一事项的日期")


def test_help_lists_each_code_with_its_label(zh: dict[str, str]) -> None:
    out = ogi(zh, "case", "receive", "--help").stdout
    assert "natural_person" in out and "自然人" in out and "online" in out and "网络平台" in out


def test_history_times_are_shown_in_the_configured_time_zone(zh: dict[str, str]) -> None:
    receive_in_chinese(zh)
    utc = dt.datetime.fromisoformat(ogi_json(zh, "case", "show", "1")["events"][0]["recorded_at"])
    local = utc.astimezone(ZoneInfo("America/Los_Angeles")).strftime("%Y-%m-%d %H:%M")
    out = ogi({**zh, "OGI_TIMEZONE": "America/Los_Angeles"}, "case", "show", "1").stdout
    assert local in out
