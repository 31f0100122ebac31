"""On the command line and in an import, a refused field is named by its label, never by its
field name inside a Chinese sentence; `case show` lists a correction's items as numbered lines and
the operator as a readable actor (DESIGN §14)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.cli_support import ogi, one_line_error
from tests.support import organ_with_staff


@pytest.fixture
def env(sqlite_db: str) -> dict[str, str]:
    organ_with_staff("east")
    return {**{k: v for k, v in os.environ.items() if k != "OGI_USER"}, "OGI_DATABASE_URL": sqlite_db}


def receive(env: dict[str, str], ref: str) -> None:
    options = {"organ": "east", "applicant-type": "natural_person", "applicant": "金九", "channel": "online",
               "received-on": "2026-11-02", "ref": ref}  # fmt: skip
    ogi(env, "case", "receive", *(x for k, v in options.items() for x in (f"--{k}", v)))


def zh(env: dict[str, str]) -> dict[str, str]:
    return {**env, "OGI_LANG": "zh"}


def line(tmp_path: Path, **kw: object) -> Path:
    data = {"organ": "east", "applicant_type": "natural_person", "channel": "online",
            "received_on": "2026-11-02", "ref": "NUL-1", "applicant": "王五", **kw}  # fmt: skip
    path = tmp_path / "cases.jsonl"
    path.write_text(json.dumps(data, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def test_a_refused_request_field_is_named_by_its_label_in_an_import(
    env: dict[str, str], tmp_path: Path
) -> None:
    path = str(line(tmp_path, request="请公开复印件\u0000"))
    p = ogi(zh(env), "case", "import", path, ok=False)
    one_line_error(p, "案件 NUL-1：申请内容：", "U+0000")
    assert "request：" not in p.stderr
    one_line_error(ogi(env, "case", "import", path, ok=False), "case NUL-1: request: ")


def test_an_invisible_applicant_is_named_by_its_label_in_an_import(
    env: dict[str, str], tmp_path: Path
) -> None:
    p = ogi(zh(env), "case", "import", str(line(tmp_path, applicant="\u200b")), ok=False)
    one_line_error(p, "申请人：为空")
    assert "applicant：" not in p.stderr


def test_a_refused_field_of_an_imported_event_is_named_by_its_label(
    env: dict[str, str], tmp_path: Path
) -> None:
    events = [{"event": "defer", "on": "2026-11-03", "until": "2300-01-01", "reason": "数量过大"}]
    p = ogi(zh(env), "case", "import", str(line(tmp_path, events=events)), ok=False)
    one_line_error(p, "截止日期：")
    assert "until：" not in p.stderr


def test_a_refused_field_on_the_command_line_is_named_by_its_label(env: dict[str, str]) -> None:
    receive(env, "E-1")
    p = ogi(zh(env), "case", "advance", "E-1", "defer", "--on", "2026-11-03", "--until", "2300-01-01",
            "--reason", "数量过大", ok=False)  # fmt: skip
    one_line_error(p, "截止日期：2300-01-01")
    assert "until：" not in p.stderr


def test_case_show_lists_the_items_as_numbered_lines_and_the_operator_readably(env: dict[str, str]) -> None:
    receive(env, "E-2")
    ogi(env, "case", "advance", "E-2", "request_correction", "--on", "2026-11-03", "--items", "身份证明",
        "--items", "所需信息的名称")  # fmt: skip
    shown = ogi({**zh(env), "COLUMNS": "200"}, "case", "show", "E-2").stdout
    assert "1. 身份证明" in shown and "2. 所需信息的名称" in shown and "['" not in shown
    assert "命令行运维人员" in shown and "operator:" not in shown
    detail = json.loads(ogi(env, "case", "show", "E-2", "--json").stdout)
    assert detail["events"][1]["items"] == ["身份证明", "所需信息的名称"]
    assert detail["events"][1]["actor"].startswith("operator:")
