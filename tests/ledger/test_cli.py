"""`ogi ledger import` as a user runs it: a dry run writes nothing, a refusal is one line."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.cli_support import ogi, ogi_json, one_line_error
from tests.ledger.support import register_xlsx
from tests.ledger.test_import import BAD, case_count, office_rows
from tests.support import organ_with_staff

# these tests assert the Chinese an office reads (the suite runs in English unless asked)
pytestmark = pytest.mark.usefixtures("chinese")


@pytest.fixture
def env(sqlite_db: str) -> dict[str, str]:
    organ_with_staff("east")
    return {**os.environ, "OGI_DATABASE_URL": sqlite_db}


def test_a_dry_run_shows_counts_and_the_report_it_would_produce_and_writes_nothing(
    env: dict[str, str], tmp_path: Path
) -> None:
    path = register_xlsx(tmp_path / "r.xlsx", office_rows(), title="东区台账")
    out = ogi_json(env, "ledger", "import", str(path), "--organ", "east", "--dry-run")
    assert out["dry_run"] and out["cases"] == 4
    assert {"year": 2024, "outcome": "disclosed", "cases": 1} in out["by_year"]
    matrix = out["section3"]["2024"]
    assert matrix["new"][-1] == 4 and matrix["carried_out"][-1] == 1 and matrix["total"][-1] == 3
    assert case_count() == 0
    shown = ogi(env, "ledger", "import", str(path), "--organ", "east", "--dry-run").stdout
    assert "本年新收政府信息公开申请数量" in shown and "未写入任何数据" in shown
    assert case_count() == 0


def test_an_import_writes_the_cases_and_says_how_many(env: dict[str, str], tmp_path: Path) -> None:
    path = register_xlsx(tmp_path / "r.xlsx", office_rows())
    assert "已导入 4 件案件" in ogi(env, "ledger", "import", str(path), "--as", "east-worker").stdout
    assert case_count() == 4


def test_a_bad_row_is_one_line_on_stderr_and_nothing_is_written(env: dict[str, str], tmp_path: Path) -> None:
    spoil, message = BAD["a date before receipt"]
    path = register_xlsx(tmp_path / "r.xlsx", spoil(office_rows()), title="东区台账")
    p = ogi(env, "ledger", "import", str(path), "--organ", "east", ok=False)
    one_line_error(p, message)
    assert case_count() == 0


def test_a_bad_row_reads_in_english_with_ogi_lang_en(env: dict[str, str], tmp_path: Path) -> None:
    spoil, _message = BAD["a date before receipt"]
    path = register_xlsx(tmp_path / "r.xlsx", spoil(office_rows()), title="东区台账")
    p = ogi({**env, "OGI_LANG": "en"}, "ledger", "import", str(path), "--organ", "east", ok=False)
    one_line_error(p, "row 3 「答复日」: earlier than the date of receipt")
    assert "第3行" not in p.stderr


def test_an_import_without_an_organ_is_refused(env: dict[str, str], tmp_path: Path) -> None:
    p = ogi(env, "ledger", "import", str(register_xlsx(tmp_path / "r.xlsx", office_rows())), ok=False)
    one_line_error(p, "--organ")
