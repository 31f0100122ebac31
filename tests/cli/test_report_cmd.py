"""`ogi report`, `ogi year` and `ogi appeal` as a user runs them: JSON with --json, one-line errors."""

from __future__ import annotations

import io
import json
from pathlib import Path

from docx import Document
from openpyxl import load_workbook

from tests.cli_support import ogi, ogi_json, one_line_error

# `ogi report build` for east's 2024 report; a test adds its options
BUILD = ("report", "build", "--organ", "east", "--year", "2024")


def test_report_build_json_is_the_report_of_design_section_8(office: dict[str, str]) -> None:
    rep = ogi_json(office, *BUILD)
    assert rep["section3"]["new"] == [2, 0, 0, 0, 0, 0, 2]
    assert rep["section3"]["carried_out"][6] == 1 and rep["section3"]["disclosed"][6] == 1
    assert {"organ", "year", "columns", "section3", "section4", "section2", "checks", "timeliness"} <= set(
        rep
    )
    assert all(c["ok"] for c in rep["checks"])
    same = json.loads(ogi(office, *BUILD, "--format", "json").stdout)
    assert same == rep


def test_binary_formats_go_to_a_file_named_for_the_report_unless_given_one(
    office: dict[str, str], tmp_path: Path
) -> None:
    p = ogi(office, *BUILD, "--format", "docx", cwd=tmp_path)
    written = tmp_path / "east-2024-annual-report.docx"
    assert "east-2024-annual-report.docx" in p.stdout and written.exists()
    doc = Document(io.BytesIO(written.read_bytes()))
    assert doc.paragraphs[0].text.replace("\n", "") == "东区人民政府办公室2024年政府信息公开工作年度报告"
    out = tmp_path / "r.xlsx"
    ogi(office, *BUILD, "-o", str(out))  # format from suffix
    assert load_workbook(out).sheetnames[:3] == ["二、主动公开", "三、依申请公开", "四、复议诉讼"]
    md = ogi(office, *BUILD, "--format", "md").stdout
    assert "四、结转下年度继续办理 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |" in md and "数据校验" not in md
    record = ogi(office, *BUILD, "--format", "md", "--internal").stdout
    assert "（内部记录）" in record and "二、数据校验" in record and "三、办理时效" in record
    assert "四、结转下年度继续办理" not in record
    ogi(office, *BUILD, "-f", "docx", "--internal", cwd=tmp_path)
    assert (tmp_path / "east-2024-internal-annual-report.docx").exists()


def test_bad_report_requests_fail_with_one_line(office: dict[str, str]) -> None:
    one_line_error(
        ogi(office, "report", "build", "--organ", "nowhere", "--year", "2024", ok=False), "unknown organ"
    )
    one_line_error(ogi(office, *BUILD, "--format", "pdf", ok=False), "pdf")
    one_line_error(ogi(office, *BUILD, "--format", "md", "--json", ok=False), "--json")
    one_line_error(
        ogi(office, "report", "show", "--organ", "east", "--year", "2024", ok=False), "never closed"
    )


def test_year_close_seals_2024_for_east_and_the_cli_refuses_events_dated_in_it(
    office: dict[str, str],
) -> None:
    one_line_error(
        ogi(office, "year", "close", "2024", "--organ", "east", "--as", "east-worker", ok=False), "supervisor"
    )
    seal = ogi_json(office, "year", "close", "2024", "--organ", "east", "--as", "east-head")
    assert (seal["version"], seal["sealed_by"], seal["in_force"]) == (1, "east-head", True)
    p = ogi(
        office, "case", "advance", "E-1", "answer", "--on", "2024-12-30", "--outcome", "disclosed", ok=False
    )
    one_line_error(p, "2024 is closed for organ east")
    ogi(office, "case", "advance", "W-1", "answer", "--on", "2024-12-30", "--outcome", "disclosed")
    ogi(office, "case", "advance", "E-1", "answer", "--on", "2025-01-06", "--outcome", "disclosed")
    p = ogi(
        office, "year", "reopen", "2024", "--organ", "east", "--as", "east-head", "--reason", "", ok=False
    )
    one_line_error(p, "needs a reason")
    reopened = ogi_json(
        office, "year", "reopen", "2024", "--organ", "east", "--as", "east-head", "--reason", "补录"
    )
    assert (reopened["reopened_by"], reopened["reopen_reason"], reopened["in_force"]) == (
        "east-head",
        "补录",
        False,
    )
    assert ogi_json(office, "year", "close", "2024", "--organ", "east")["version"] == 2
    status = ogi_json(office, "year", "status", "--organ", "east")
    assert [(s["year"], s["version"], s["in_force"]) for s in status] == [(2024, 1, False), (2024, 2, True)]
    v1 = ogi_json(office, "report", "show", "--organ", "east", "--year", "2024", "--version", "1")
    assert v1["sealed"]["version"] == 1 and v1["sealed"]["reopen_reason"] == "补录"
    assert v1["section3"] == ogi_json(office, *BUILD)["section3"]


def test_appeals_are_filed_and_decided_from_the_cli_and_counted_in_section4(office: dict[str, str]) -> None:
    a = ogi_json(office, "appeal", "file", "E-2", "--kind", "litigation", "--on", "2024-05-06")
    assert (a["case"], a["kind"], a["result"]) == ("E-2", "litigation", None)
    one_line_error(
        ogi(office, "appeal", "file", "E-2", "--kind", "complaint", "--on", "2024-05-06", ok=False),
        "complaint",
    )
    one_line_error(
        ogi(office, "appeal", "decide", str(a["id"]), "--result", "upheld", "--on", "2024-05-01", ok=False),
        "before it was filed",
    )
    d = ogi_json(office, "appeal", "decide", str(a["id"]), "--result", "upheld", "--on", "2024-08-01")
    assert (d["result"], d["decided_on"]) == ("upheld", "2024-08-01")
    s4 = ogi_json(office, *BUILD)["section4"]
    assert s4["litigation"] == {"upheld": 1, "corrected": 0, "other": 0, "pending": 0, "total": 1}


def test_report_inputs_from_a_yaml_file_all_or_nothing(office: dict[str, str], tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("section2:\n  licensing: 3\n  fees: 1.23456\n", encoding="utf-8")
    one_line_error(
        ogi(office, "report", "inputs", "--organ", "east", "--year", "2024", str(bad), ok=False),
        "section2.fees",
        "at most 4 decimals",
    )
    assert ogi_json(office, "report", "inputs", "--organ", "east", "--year", "2024")["section2"] is None
    good = tmp_path / "good.yaml"
    good.write_text(
        "section2:\n  licensing: 3\n  fees: 1.2345\nnarrative:\n  other: 无。\n", encoding="utf-8"
    )
    ogi(office, "report", "inputs", "--organ", "east", "--year", "2024", str(good))
    shown = ogi(office, "report", "inputs", "--organ", "east", "--year", "2024").stdout
    assert "licensing: 3" in shown and "fees: 1.2345" in shown and "other: 无。" in shown
    rep = ogi_json(office, *BUILD)
    assert rep["section2"]["licensing"] == 3 and rep["narrative"]["other"] == "无。"
