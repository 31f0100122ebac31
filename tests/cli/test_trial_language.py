"""What a new user's trial found mixing languages, each line now wholly in the reader's language
(DESIGN §14): codes as their labels, the zone's brackets, configuration problems, file errors,
argument and field names — Chinese by default, English with OGI_LANG=en."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
import time_machine

from models.db import session_scope
from reports.closing import close_year
from tests.cli_support import ogi, ogi_json, one_line_error
from tests.support import TESTER, D, organ_with_staff, receive, step
from workflow.data_key import generate_key

NUMBER = "11010519491231002X"
ZH = {"OGI_LANG": "zh"}
EN = {"OGI_LANG": "en"}


@pytest.fixture
def env(sqlite_db: str) -> dict[str, str]:
    e = {**os.environ, "OGI_DATABASE_URL": sqlite_db, "OGI_DATA_KEY": generate_key(), "OGI_LANG": "en"}
    e.pop("OGI_USER", None)
    ogi(e, "organ", "add", "hx", "--name", "红星镇人民政府")
    ogi(e, "user", "add", "li", "--organ", "hx", "--role", "caseworker", "--email", "li@example.org")
    ogi(e, "case", "receive", "--organ", "hx", "--applicant-type", "natural_person", "--applicant", "张三",
        "--channel", "online", "--received-on", "2026-09-01", "--ref", "HX-1", "--request", "道路维修预算",
        "--id-kind", "resident_id", "--id-number", NUMBER)  # fmt: skip
    return e


def test_a_fee_quote_names_its_method_in_the_readers_language(env: dict[str, str]) -> None:
    english = ogi(env, "fee", "quote", "HX-1", "--method", "count").stdout
    assert "by the number of applications" in english and "按件计收" not in english
    assert "按件计收" in ogi({**env, **ZH}, "fee", "quote", "HX-1", "--method", "count").stdout


def test_an_issued_document_and_the_list_name_its_kind_issuer_and_service_in_the_readers_language(
    env: dict[str, str],
) -> None:
    english = ogi({**env, "COLUMNS": "250"}, "document", "issue", "HX-1", "receipt").stdout
    assert english.startswith("acknowledgement of receipt issued: ") and "回执" not in english
    chinese = ogi({**env, **ZH}, "document", "issue", "HX-1", "receipt").stdout
    assert "接收回执" in chinese
    number = ogi_json(env, "document", "list", "HX-1")[0]["number"]
    served = ogi(env, "document", "serve", number, "--method", "post", "--on", "2026-09-04").stdout
    assert "served by post" in served
    listed = ogi({**env, "COLUMNS": "250"}, "document", "list", "HX-1").stdout
    assert (
        "acknowledgement of receipt" in listed
        and "served by post" in listed
        and "command-line operator" in listed
    )
    assert "operator:" not in listed and "接收回执" not in listed
    listed = ogi({**env, **ZH, "COLUMNS": "250"}, "document", "list", "HX-1").stdout
    assert "接收回执" in listed and "命令行运维人员" in listed and "operator:" not in listed


@pytest.fixture
def closed(sqlite_db: str) -> dict[str, str]:
    organ_with_staff("east")
    receive(D(2025, 3, 3), ref="T-1")
    step("T-1", "answer", on=D(2025, 3, 20), outcome="disclosed")
    with time_machine.travel(dt.datetime(2026, 12, 1, 3, 8, tzinfo=dt.UTC), tick=False), session_scope() as s:
        close_year(s, "east", 2025, actor=TESTER)
    return {**os.environ, "OGI_DATABASE_URL": sqlite_db, "COLUMNS": "250"}


def test_a_seal_time_names_its_zone_in_the_readers_brackets(closed: dict[str, str]) -> None:
    english = ogi({**closed, **EN}, "year", "status", "--organ", "east").stdout
    assert "2026-12-01 11:08 (Asia/Shanghai)" in english and "（" not in english
    assert (
        "2026-12-01 11:08（Asia/Shanghai）"
        in ogi({**closed, **ZH}, "year", "status", "--organ", "east").stdout
    )
    again = ("year", "close", "2025", "--organ", "east", "--as", "east-head")
    one_line_error(ogi({**closed, **EN}, *again, ok=False), "2026-12-01 11:08 (Asia/Shanghai)")
    one_line_error(ogi({**closed, **ZH}, *again, ok=False), "2026-12-01 11:08（Asia/Shanghai）")


def run_with(setting: dict[str, str], *args: str) -> str:
    base = {k: v for k, v in os.environ.items() if not k.startswith("OGI_")}
    p = ogi({**base, **setting}, *args, ok=False)
    assert p.returncode == 1 and p.stderr.count("\n") == 1, p.stderr
    return p.stderr


@pytest.mark.parametrize(
    ("setting", "english", "chinese"),
    [
        (
            {"OGI_TIMEZONE": "Mars/Base"},
            "OGI_TIMEZONE: unknown time zone 'Mars/Base'",
            "OGI_TIMEZONE：未知的时区",
        ),
        (
            {"OGI_CORRECTION_DAYS": "abc"},
            "must be a whole number (got 'abc')",
            "OGI_CORRECTION_DAYS：须为整数",
        ),
        ({"OGI_DATABASE_URL": "mysql://x/y"}, "unsupported database URL", "不支持的数据库地址"),
    ],
)
def test_a_configuration_problem_is_written_in_the_readers_language(
    setting: dict[str, str], english: str, chinese: str
) -> None:
    in_english = run_with({**setting, **EN}, "case", "list")
    assert english in in_english and not any("\u4e00" <= ch <= "\u9fff" for ch in in_english)
    in_chinese = run_with({**setting, **ZH}, "case", "list")
    assert chinese in in_chinese and "should be" not in in_chinese and "unknown" not in in_chinese


def test_an_unknown_language_is_refused_by_help_as_by_every_command() -> None:
    for args in (("--help",), ("case", "list")):
        refused = run_with({"OGI_LANG": "EN"}, *args)
        assert "OGI_LANG：须为以下之一：zh, en（所给值为 'EN'）" in refused, refused


def test_a_missing_sealed_version_is_one_sentence_in_the_readers_language(closed: dict[str, str]) -> None:
    args = ("report", "show", "--organ", "east", "--year", "2025", "--version", "9")
    one_line_error(ogi({**closed, **EN}, *args, ok=False), "organ east has no version 9 of 2025")
    one_line_error(ogi({**closed, **ZH}, *args, ok=False), "机关 east 的 2025 年度没有第 9 版")


@pytest.mark.parametrize("args", [("document", "verify", "nosuch.docx"), ("ledger", "import", "nosuch.csv")])
def test_a_missing_file_is_named_missing_in_the_readers_language(
    env: dict[str, str], tmp_path: Path, args: tuple[str, ...]
) -> None:
    missing = (*args[:-1], str(tmp_path / args[-1]))
    english = ogi(env, *missing, ok=False)
    one_line_error(english, "no such file or folder")
    chinese = ogi({**env, **ZH}, *missing, ok=False)
    one_line_error(chinese, "文件或文件夹不存在")
    assert "No such file" not in chinese.stderr


def test_a_line_that_is_not_json_names_its_column_without_the_parsers_english(
    env: dict[str, str], tmp_path: Path
) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"ref": "A"}\n{ref: "B"}\n', encoding="utf-8")
    english = ogi(env, "case", "import", str(path), ok=False)
    one_line_error(english, f"{path}:2: not valid JSON at column 2")
    assert "Expecting" not in english.stderr
    chinese = ogi({**env, **ZH}, "case", "import", str(path), ok=False)
    one_line_error(chinese, "第 2 列起不是有效的 JSON")
    assert "Expecting" not in chinese.stderr


def test_an_unknown_event_is_named_by_its_label_not_the_arguments_code(env: dict[str, str]) -> None:
    english = ogi(env, "case", "advance", "HX-1", "补正", ok=False)
    one_line_error(english, "unknown event '补正'")
    assert "EVENT" not in english.stderr
    chinese = ogi({**env, **ZH}, "case", "advance", "HX-1", "补正", ok=False)
    one_line_error(chinese, "未知的事项 '补正'")
    assert "EVENT" not in chinese.stderr


def test_a_needed_role_is_named_by_its_label_only(closed: dict[str, str]) -> None:
    args = ("year", "close", "2026", "--organ", "east", "--as", "east-worker")
    english = ogi({**closed, **EN}, *args, ok=False)
    one_line_error(english, "needs supervisor")
    assert "supervisor (supervisor)" not in english.stderr
    chinese = ogi({**closed, **ZH}, *args, ok=False)
    one_line_error(chinese, "须为 负责人")
    assert "supervisor" not in chinese.stderr


@pytest.mark.parametrize(
    ("args", "english", "chinese"),
    [
        (("report", "build", "--organ", "east", "--year", "1980"), "year: 1980", "年度：1980"),
        (
            ("calendar", "add-workdays", "2026-12-20", "abc"),
            "Invalid value for working days",
            "工作日数 的值无效",
        ),
        (("calendar", "add-workdays", "2026-12-20", "99999"), "working days: 99999", "工作日数：99999"),
    ],
)
def test_a_field_or_argument_is_named_by_its_label(
    closed: dict[str, str], args: tuple[str, ...], english: str, chinese: str
) -> None:
    in_english = ogi({**closed, **EN}, *args, ok=False).stderr
    assert english in in_english and "'n'" not in in_english, in_english
    in_chinese = ogi({**closed, **ZH}, *args, ok=False).stderr
    assert chinese in in_chinese and "year" not in in_chinese and "'n'" not in in_chinese, in_chinese


def test_a_fee_by_count_without_an_identity_number_names_the_method_once(env: dict[str, str]) -> None:
    ogi(env, "case", "receive", "--organ", "hx", "--applicant-type", "natural_person", "--applicant", "李四",
        "--channel", "online", "--received-on", "2026-09-01", "--ref", "HX-2")  # fmt: skip
    english = ogi(env, "fee", "quote", "HX-2", "--method", "按件计收", ok=False)
    one_line_error(english, "fee (by the number of applications): case HX-2 has no identity number")
    chinese = ogi({**env, **ZH}, "fee", "quote", "HX-2", "--method", "count", ok=False)
    one_line_error(chinese, "收费（按件计收）：案件 HX-2 未登记申请人证件号码")


def test_an_appeal_into_a_closed_year_reads_as_a_sentence(closed: dict[str, str]) -> None:
    args = ("appeal", "file", "T-1", "--kind", "reconsideration", "--on", "2025-05-06")
    one_line_error(ogi({**closed, **EN}, *args, ok=False), "appeal filed on 2025-05-06: 2025 is closed")
    one_line_error(ogi({**closed, **ZH}, *args, ok=False), "（2025-05-06）：机关 east 的 2025 年度已关闭")


def test_a_wrong_identity_number_names_the_field_by_its_label(env: dict[str, str]) -> None:
    args = ("case", "receive", "--organ", "hx", "--applicant-type", "natural_person", "--applicant", "王五",
            "--channel", "online", "--received-on", "2026-09-01", "--id-kind", "resident_id", "--id-number",
            "1234")  # fmt: skip
    english = ogi(env, *args, ok=False)
    one_line_error(english, "identity number (resident identity card): ")
    assert "id_number" not in english.stderr
    one_line_error(ogi({**env, **ZH}, *args, ok=False), "证件号码（居民身份证）：")


def test_english_help_brackets_each_label_after_its_code() -> None:
    from workflow.code_input import help_listing

    assert help_listing("state", "en", ("received", "awaiting_correction")) == (
        "received (in progress), awaiting_correction (awaiting correction)"
    )
    assert help_listing("state", "zh", ("received",)) == "received 办理中"


def test_the_demo_organ_is_quoted_in_the_readers_quotation_marks() -> None:
    from config.i18n import _

    msgid = "demo organ {DEMO_ORGAN!r}, {year}–{year2}: cases {cases}, events {events}"
    given = {"DEMO_ORGAN": "demo", "year": 2025, "year2": 2026, "cases": 3, "events": 9}
    assert _(msgid, language="en", **given).startswith("demo organ 'demo', ")
    assert _(msgid, language="zh", **given).startswith("示范机关「demo」：")
    closed = _("closed {year} for {DEMO_ORGAN!r} (version {version}); the document: ogi report build --organ "
               "{DEMO_ORGAN} --year {year} --format docx", language="zh", year=2025, DEMO_ORGAN="demo",
               version=1)  # fmt: skip
    assert "「demo」" in closed and "'demo'" not in closed
