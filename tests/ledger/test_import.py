"""`ogi ledger import` on registers built by hand in the layouts offices keep (DESIGN §13)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import col, func, select

from config.i18n import render
from ledger.load import Summary, import_register
from ledger.reading import open_register
from models.cases import Appeal, Case
from models.db import read_session, session_scope
from tests.ledger.support import Sheet, register_csv, register_xlsx
from tests.support import TESTER, organ_with_staff
from workflow.errors import OgiError

D = dt.date
# an office's own header names (variants of the export's): 申请时间, 答复时间, 处理结果, 经办人
OFFICE_HEADERS = ["序号", "编号", "申请时间", "申请人姓名或名称", "申请人类型", "申请方式", "申请内容",
                  "补正告知日", "补正收到日", "延期（天/批准人）", "答复时间", "处理结果", "经办人",
                  "备注"]  # fmt: skip

# these tests assert the Chinese an office reads (the suite runs in English unless asked)
pytestmark = pytest.mark.usefixtures("chinese")


def office_rows() -> Sheet:
    """Four cases, dates written every way offices write them, a blank row, a 合计 row."""
    return [
        OFFICE_HEADERS,
        [1, "A-001", dt.datetime(2024, 3, 1), "张三", "自然人", "网络平台", "某路规划许可", None, None, None,
         dt.datetime(2024, 3, 20), "（一）予以公开", "east-worker", ""],
        [2, "A-002", "2024/3/4", "某科技有限公司", "商业企业", "当面提交", "会议纪要", "2024年3月5日",
         "2024-3-12", "15天/王主任", 45390, "6.属于四类过程性信息", None, "经补正"],
        [None, None, None, None, None, None, None, None, None, None, None, None, None, None],
        [3, "A-003", 45386, "李四", "natural_person", "邮政挂号信", None, None, None, None, None, None, None,
         ""],
        [4, "A-004", "2024-04-08", "王五", "自然人", "电子邮件", None, None, None, None, "2024年4月10日",
         "本机关不掌握相关政府信息", None, ""],
        ["合计", "共4件", None, None, None, None, None, None, None, None, None, None, None, None],
    ]  # fmt: skip


@pytest.fixture
def office(any_db: str) -> str:
    organ_with_staff("east")
    return any_db


def run(path: Path, *, organ: str = "east") -> Summary:
    register = open_register(path)
    try:
        with session_scope() as s:
            return import_register(s, register, organ=organ, actor=TESTER)
    finally:
        register.close()


def stored() -> dict[str, Case]:
    with read_session() as s:
        return {c.ref: c for c in s.exec(select(Case))}


def case_count() -> int:
    with read_session() as s:
        return int(s.exec(select(func.count()).select_from(Case)).one())


def check_office_cases() -> None:
    cases = stored()
    assert sorted(cases) == ["A-001", "A-002", "A-003", "A-004"]
    a1, a2, a3, a4 = (cases[r] for r in sorted(cases))
    assert (a1.received_on, a1.outcome, a1.concluded_on) == (D(2024, 3, 1), "disclosed", D(2024, 3, 20))
    assert a1.request == "某路规划许可" and a1.assignee_id is not None
    # 2024-04-08 is Excel serial 45390; 45386 is 2024-04-04
    assert (a2.received_on, a2.outcome, a2.concluded_on) == (
        D(2024, 3, 4),
        "withheld_process_information",
        D(2024, 4, 8),
    )
    assert a2.corrected and a2.extension_days == 15 and a2.clock_start == D(2024, 3, 12)
    assert (a3.received_on, a3.state, a3.channel) == (D(2024, 4, 4), "received", "registered_mail")
    assert (a4.outcome, a4.applicant_type) == ("unable_not_held", "natural_person")


def test_an_office_workbook_with_title_blank_and_totals_rows_imports_every_case(
    office: str, tmp_path: Path
) -> None:
    path = register_xlsx(tmp_path / "台账.xlsx", office_rows(), title="东区2024年依申请公开台账")
    summary = run(path)
    assert summary.cases == 4
    assert summary.by_year == {(2024, "disclosed"): 1, (2024, "withheld_process_information"): 1,
                               (2024, "open"): 1, (2024, "unable_not_held"): 1}  # fmt: skip
    check_office_cases()


@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig", "utf-8"])
def test_a_csv_register_in_gbk_or_utf8_with_or_without_bom_imports_the_same(
    sqlite_db: str, tmp_path: Path, encoding: str
) -> None:
    organ_with_staff("east")
    rows: list[list[Any]] = [
        [v.strftime("%Y-%m-%d") if isinstance(v, dt.datetime) else v for v in r] for r in office_rows()
    ]
    run(register_csv(tmp_path / "台账.csv", rows, encoding=encoding))
    check_office_cases()


def test_appeals_on_their_own_sheet_join_their_case(sqlite_db: str, tmp_path: Path) -> None:
    organ_with_staff("east")
    appeals = [
        ["申请编号", "类型", "提起日期", "结果", "结果日期"],
        ["A-001", "行政复议", "2024-04-15", "结果维持", "2024-06-03"],
    ]
    run(register_xlsx(tmp_path / "r.xlsx", office_rows(), appeals=appeals))
    with read_session() as s:
        (a,) = s.exec(select(Appeal))
    assert (a.kind, a.result, a.decided_on) == ("reconsideration", "upheld", D(2024, 6, 3))


def bad(rows: Sheet, index: int, column: str, value: Any) -> Sheet:
    out = [list(r) for r in rows]
    out[index][OFFICE_HEADERS.index(column)] = value
    return out


# (how the register is spoiled, the exact refusal): the title row is row 1, the headers row 2, so the
# n-th list item is on row n + 1
BAD: dict[str, tuple[Any, str]] = {
    "a date before receipt": (lambda r: bad(r, 1, "答复时间", "2024-02-28"), "第3行「答复日」：早于收到日期"),
    "an unknown outcome label": (
        lambda r: bad(r, 2, "处理结果", "同意公开"),
        "第4行「办理结果」：无法识别的“同意公开”",
    ),
    "a duplicate 申请编号": (lambda r: bad(r, 5, "编号", "A-001"), "第7行「申请编号」：与第3行重复"),
    "a missing required column": (
        lambda r: [[v for i, v in enumerate(row) if i != 5] for row in r],
        "第2行「申请方式」：缺少这一必需的列",
    ),
    "an answer date without an outcome": (lambda r: bad(r, 5, "处理结果", None), "第7行「办理结果」：为空"),
    "a date that is no date": (
        lambda r: bad(r, 1, "申请时间", "3月1日"),
        "第3行「收到日期」：“3月1日”不是日期",
    ),
    "an outcome the rules refuse": (
        lambda r: bad(r, 1, "处理结果", "3.补正后申请内容仍不明确"),
        "第3行「办理结果」：“补正后申请内容仍不明确”须以完成一轮补正为前提",
    ),
    "an unknown applicant type": (
        lambda r: bad(r, 5, "申请人类型", "个人"),
        "第7行「申请人类型」：无法识别的“个人”",
    ),
}


@pytest.mark.parametrize("kind", list(BAD))
def test_a_register_with_any_bad_row_is_refused_whole_naming_the_row_and_column(
    sqlite_db: str, tmp_path: Path, kind: str
) -> None:
    organ_with_staff("east")
    spoil, message = BAD[kind]
    path = register_xlsx(tmp_path / "r.xlsx", spoil(office_rows()), title="东区2024年依申请公开台账")
    with pytest.raises(OgiError) as e:
        run(path)
    assert render(e.value).startswith(message), render(e.value)
    assert "\n" not in render(e.value)
    assert case_count() == 0


def test_a_refusal_carries_message_ids_so_its_str_is_english_and_the_door_renders_either_language(
    sqlite_db: str, tmp_path: Path
) -> None:
    organ_with_staff("east")
    spoil, message = BAD["a date before receipt"]
    with pytest.raises(OgiError) as e:
        run(register_xlsx(tmp_path / "r.xlsx", spoil(office_rows()), title="t"))
    # read in Chinese (this module's language), yet the error itself holds no finished sentence
    assert str(e.value) == "row 3 「答复日」: earlier than the date of receipt"
    assert render(e.value) == message
    assert render(e.value, "en") == str(e.value)


def test_a_rule_s_refusal_inside_a_row_renders_without_its_event_in_either_language(
    sqlite_db: str, tmp_path: Path
) -> None:
    organ_with_staff("east")
    spoil, message = BAD["an outcome the rules refuse"]
    with pytest.raises(OgiError) as e:
        run(register_xlsx(tmp_path / "r.xlsx", spoil(office_rows()), title="t"))
    assert render(e.value).startswith(message)
    english = render(e.value, "en")
    assert english.startswith("row 3 「办理结果」: ") and not english.startswith("row 3 「办理结果」: answer")
    assert str(e.value) == english


def test_a_bad_row_after_several_written_batches_still_writes_nothing(any_db: str, tmp_path: Path) -> None:
    organ_with_staff("east")
    head = ["申请编号", "收到日期", "申请人", "申请人类型", "申请方式", "答复日", "办理结果"]
    rows: Sheet = [head] + [
        [f"B-{i}", "2024-05-06", "张三", "自然人", "网络平台", "2024-05-10", "予以公开"] for i in range(4500)
    ]
    rows.append(["B-x", "2024-05-06", "张三", "自然人", "网络平台", "2024-05-01", "予以公开"])
    with pytest.raises(OgiError) as e:
        run(register_csv(tmp_path / "big.csv", rows))
    assert render(e.value).startswith("第4502行「答复日」：早于收到日期")
    assert case_count() == 0
    with read_session() as s:
        assert s.exec(select(func.count()).where(col(Case.ref).like("B-%"))).one() == 0
