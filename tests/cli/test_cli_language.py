"""The CLI's own texts in the reader's language (DESIGN §14): every command's help, click's and typer's
headings and usage errors, a missing database, the start of `ogi serve` and the development data key's
warning — Chinese by default, English with OGI_LANG=en."""

from __future__ import annotations

import json
import logging
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.cli_support import OGI, ogi, ogi_process
from tests.fixtures import free_port

REPO = Path(__file__).resolve().parents[2]
RECEIVE = ("--organ", "east", "--applicant-type", "natural_person", "--applicant", "张三", "--channel",
           "online", "--received-on", "2024-12-16", "--id-kind", "resident_id", "--id-number",
           "11010519491231002X")  # fmt: skip
# every command's and group's --help, rendered in a process of its own: the help texts are read in the
# language of the process's start (cli.params.HELP_LANGUAGE)
_ALL_HELP = """
import json, sys
from typer.main import get_command
from typer.testing import CliRunner
from cli.main import app

def paths(command, prefix=()):
    yield prefix
    for name, sub in getattr(command, "commands", {}).items():
        yield from paths(sub, (*prefix, name))

out = {}
for path in paths(get_command(app)):
    r = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": sys.argv[1]})
    out[" ".join(("ogi", *path))] = (r.exit_code, r.stdout)
json.dump(out, sys.stdout)
"""
# what a help text may keep in Latin letters: command lines, options, placeholders and type names,
# codes (with an underscore), environment variables, markup and file names
_NOT_WORDS = re.compile(
    r"ogi( [a-z][a-z-]*)*|--?[a-z][a-z-]*|<[a-z ]+>|\{[a-z_]+\}|`[^`]*`|\b[a-z]+_[a-z_]+\b|"
    r"\bOGI_[A-Z_]+\b|\b[A-Z]{2,}\b|\.[a-z]+\b|\b(online|email|fax|other|http|json|md|html|docx|xlsx|Alembic)\b"
)


def all_help(language: str, columns: int = 200) -> dict[str, tuple[int, str]]:
    env = {**os.environ, "OGI_LANG": language, "COLUMNS": str(columns)}
    p = subprocess.run(
        [sys.executable, "-c", _ALL_HELP, str(columns)],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert p.returncode == 0, p.stderr
    return {path: (code, text) for path, (code, text) in json.loads(p.stdout).items()}


def english_words_left(text: str) -> list[str]:
    rest = _NOT_WORDS.sub(" ", text)
    return re.findall(r"[A-Za-z]{2,}(?:[,.;:()']?[ ][A-Za-z]{2,})+", rest)


def one_usage_line(p: subprocess.CompletedProcess[str]) -> str:
    """A usage error: click's exit code 2 and one line on stderr, no usage box."""
    assert p.returncode == 2, (p.returncode, p.stderr)
    err = p.stderr.strip()
    assert len(err.splitlines()) == 1 and "╭" not in err and "Traceback" not in err, err
    return err


def test_every_commands_help_is_in_chinese_by_default() -> None:
    helps = all_help("zh")
    assert len(helps) > 60  # every group and command of the tree
    for path, (code, text) in helps.items():
        assert code == 0, path
        assert "用法：" in text and "选项" in text and "显示本帮助并退出。" in text, (path, text)
        assert english_words_left(text) == [], (path, text)
    assert "命令" in helps["ogi"][1] and "建立一个示例机关" in helps["ogi"][1]
    assert "登记收到的申请" in helps["ogi case receive"][1] and "[必填]" in helps["ogi case receive"][1]


def test_no_help_text_is_cut_short_on_an_80_column_terminal() -> None:
    """Chinese has no spaces to wrap at: rich's table cut a whole sentence with "…" at 80 columns."""
    for path, (code, text) in all_help("zh", columns=80).items():
        assert code == 0, path
        assert "…│" not in text.replace(" ", ""), (path, text)  # a cell cut at its right edge
        assert "以该用户的身份" not in text or "OGI_USER" in text, (path, text)


def test_every_commands_help_is_in_english_with_ogi_lang_en() -> None:
    helps = all_help("en")
    for path, (code, text) in helps.items():
        assert code == 0, path
        assert "Usage:" in text and "Show this message and exit." in text, path
        assert not re.search(r"用法|选项|命令|必填", text), (path, text)
    assert "Record an application received" in helps["ogi case receive"][1]


@pytest.mark.usefixtures("chinese")
@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--bogus",), "ogi：错误：没有选项 --bogus（查看帮助：ogi --help）"),
        (("case", "receive"), "ogi：错误：缺少选项 '--organ'。（查看帮助：ogi case receive --help）"),
        (("case", "lst"), "ogi：错误：没有命令 'lst'。是否是指 'list'？（查看帮助：ogi case --help）"),
        (
            ("case", "list", "--organ"),
            "ogi：错误：选项 '--organ' 需要一个值。（查看帮助：ogi case list --help）",
        ),
        (("case", "show", "1", "2"), "ogi：错误：有多余的参数（2）（查看帮助：ogi case show --help）"),
        (
            ("calendar", "add-workdays", "2024-01-01", "x"),
            "ogi：错误：工作日数 的值无效：'x' 不是有效的整数。"
            "（查看帮助：ogi calendar add-workdays --help）",
        ),
        (
            ("outbox", "list", "--limit", "0"),
            "ogi：错误：'--limit' 的值无效：0 小于最小值 1。（查看帮助：ogi outbox list --help）",
        ),
        (
            ("case", "list", "--stat", "x"),
            "ogi：错误：没有选项 --stat（可能是指：--state）（查看帮助：ogi case list --help）",
        ),
    ],
    ids=[
        "unknown-option",
        "missing-option",
        "unknown-command",
        "option-without-value",
        "extra",
        "not-int",
        "below-minimum",
        "near-option",
    ],
)
def test_a_usage_error_is_one_chinese_line_with_exit_code_2(args: tuple[str, ...], expected: str) -> None:
    assert one_usage_line(ogi(None, *args, ok=False)) == expected


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--bogus",), "ogi: error: No such option: --bogus (help: ogi --help)"),
        (("case", "receive"), "ogi: error: Missing option '--organ'. (help: ogi case receive --help)"),
        (("case", "lst"), "ogi: error: No such command 'lst'. Did you mean 'list'? (help: ogi case --help)"),
    ],
    ids=["unknown-option", "missing-option", "unknown-command"],
)
def test_a_usage_error_is_one_english_line_with_ogi_lang_en(args: tuple[str, ...], expected: str) -> None:
    assert one_usage_line(ogi(None, *args, ok=False)) == expected


def test_the_script_refuses_a_missing_option_in_chinese_by_default() -> None:
    p = ogi_process({**os.environ, "OGI_LANG": "zh"}, "case", "receive")
    assert one_usage_line(p) == "ogi：错误：缺少选项 '--organ'。（查看帮助：ogi case receive --help）"


@pytest.mark.usefixtures("chinese")
def test_an_unknown_state_is_refused_in_one_chinese_line(env: dict[str, str]) -> None:
    p = ogi({**env, "OGI_LANG": "zh"}, "case", "list", "--state", "nonsense", ok=False)
    err = p.stderr.strip()
    assert p.returncode == 1 and len(err.splitlines()) == 1
    assert err.startswith("ogi：错误：--state：未知的办理状态 'nonsense'"), err


@pytest.mark.parametrize(
    ("language", "file_missing", "table_missing"),
    [
        ("zh", "ogi：错误：数据库文件 {path} 不存在：请运行 `ogi db upgrade` 创建", "数据库中没有 case 表"),
        (
            "en",
            "ogi: error: there is no database file {path}: run `ogi db upgrade` to create it",
            "the database has no table case",
        ),
    ],
)
def test_a_missing_database_file_or_table_is_a_sentence_in_the_readers_language(
    tmp_path: Path, language: str, file_missing: str, table_missing: str
) -> None:
    path = tmp_path / "none.db"
    env = {**os.environ, "OGI_DATABASE_URL": f"sqlite:///{path}", "OGI_LANG": language}
    assert ogi(env, "case", "list", ok=False).stderr.strip() == file_missing.format(path=path)
    path.touch()  # a file with no schema
    err = ogi(env, "case", "list", ok=False).stderr.strip()
    assert table_missing in err and "no such table" not in err.replace(table_missing, ""), err


@pytest.mark.parametrize(
    ("language", "line"),
    [("zh", "政府信息公开申请办理系统：http://127.0.0.1:{port}/"), ("en", "http://127.0.0.1:{port}/")],
)
def test_serve_starts_with_one_line_saying_where_it_listens(sqlite_db: str, language: str, line: str) -> None:
    port = free_port()
    env = {**os.environ, "OGI_DATABASE_URL": sqlite_db, "OGI_LANG": language}
    proc = subprocess.Popen(
        [OGI, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                httpx.get(f"http://127.0.0.1:{port}/login", timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.2)
    finally:
        proc.terminate()
        out, err = proc.communicate(timeout=20)
    lines = out.strip().splitlines()
    assert len(lines) == 1 and line.format(port=port) in lines[0], out
    assert ("按 Ctrl+C 停止" in lines[0]) == (language == "zh")
    # no start-up chatter: what remains on stderr is the one request's access line
    assert (
        "starlette_admin" not in err and "Started server process" not in err and "Uvicorn running" not in err
    )
    assert [x for x in err.splitlines() if "uvicorn.access" not in x] == [], err


@pytest.mark.parametrize(
    ("language", "start"),
    [
        ("zh", "ogi：警告：未设置 OGI_DATA_KEY：已生成数据密钥并写入 "),
        ("en", "ogi: warning: OGI_DATA_KEY is not set"),
    ],
)
def test_the_development_data_key_is_announced_once_in_the_readers_language(
    tmp_path: Path, language: str, start: str
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OGI_DATA_KEY")}
    env |= {"OGI_DATABASE_URL": f"sqlite:///{tmp_path}/ogi.db", "OGI_LANG": language}
    assert ogi_process(env, "db", "upgrade").returncode == 0
    assert ogi_process(env, "organ", "add", "east", "--name", "东区").returncode == 0
    receive = ("case", "receive", *RECEIVE)
    first, second = ogi_process(env, *receive), ogi_process(env, *receive)
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    assert len(first.stderr.strip().splitlines()) == 1 and first.stderr.startswith(start), first.stderr
    assert str(tmp_path / "ogi.db.key") in first.stderr and "WARNING" not in first.stderr
    assert second.stderr == ""


def _show(env: dict[str, str]) -> str:
    ogi(env, "organ", "add", "east", "--name", "东区")
    ogi(env, "case", "receive", *RECEIVE, "--phone", "010-1234567")
    return ogi(env, "case", "show", "1").stdout


@pytest.mark.usefixtures("chinese")
def test_case_show_uses_the_full_width_colon_in_chinese(env: dict[str, str]) -> None:
    out = _show({**env, "OGI_LANG": "zh", "COLUMNS": "200"})
    assert "居民身份证：11010519491231002X" in out and "收到日期：2024-12-16" in out and "答复期限：" in out
    assert not re.search(r"[^\x00-\x7f]: ", out), out


def test_case_show_uses_the_ascii_colon_in_english(env: dict[str, str]) -> None:
    out = _show({**env, "COLUMNS": "200"})
    assert "resident identity card: 11010519491231002X" in out and "received on: 2024-12-16" in out
    assert "：" not in out, out


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("zh", "数据库中没有 case 表：数据库结构尚未建立或不是最新（请运行 `ogi db upgrade`）"),
        (
            "en",
            "the database has no table case: its schema is missing or not up to date (run `ogi db upgrade`)",
        ),
    ],
)
def test_a_missing_postgresql_relation_is_the_same_sentence_as_a_missing_sqlite_table(
    monkeypatch: pytest.MonkeyPatch, language: str, expected: str
) -> None:
    from sqlalchemy.exc import ProgrammingError

    from cli.main import database_problem
    from config.settings import get_settings

    monkeypatch.setenv("OGI_LANG", language)
    get_settings.cache_clear()
    driver = Exception('relation "case" does not exist\nLINE 1: SELECT * FROM "case"')
    assert database_problem(ProgrammingError("SELECT", {}, driver)) == expected
    other = Exception('permission denied for table "case"')
    assert database_problem(ProgrammingError("SELECT", {}, other)).endswith(
        'permission denied for table "case"'
    )


@pytest.mark.usefixtures("chinese")
def test_the_cli_writes_a_notice_for_the_reader_as_a_sentence_and_an_operators_log_line_as_before() -> None:
    from config.logging import FOR_READER, CaseRefFilter, ReaderFormatter, about_case

    formatter, refs = ReaderFormatter(), CaseRefFilter()

    def line(message: str, **extra: object) -> str:
        record = logging.LogRecord("workflow.sweep", logging.WARNING, __file__, 1, message, (), None)
        record.__dict__.update(extra)
        refs.filter(record)
        return formatter.format(record)

    assert line("key written", **FOR_READER) == "ogi：警告：key written"
    with about_case("E-1"):
        assert line("sweep: case skipped") == "WARNING workflow.sweep: [E-1] sweep: case skipped"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("zh", "ogi：错误：127.0.0.1 的 {port} 端口已被其他程序占用（是否已有 `ogi serve` 在运行？）"),
        ("en", "ogi: error: port {port} on 127.0.0.1 is in use by another program (another `ogi serve`?)"),
    ],
)
def test_serve_refuses_a_port_in_use_in_one_line_before_starting(
    env: dict[str, str], language: str, expected: str
) -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        p = ogi({**env, "OGI_LANG": language}, "serve", "--port", str(port), ok=False)
    assert p.returncode == 1 and p.stdout == "", p.stdout
    assert p.stderr.strip().startswith(expected.format(port=port)) and len(p.stderr.splitlines()) == 1, (
        p.stderr
    )


def test_an_operators_warning_stays_out_of_the_terminal_and_the_command_says_it_in_the_readers_language(
    env: dict[str, str],
) -> None:
    ogi(env, "organ", "add", "lone", "--name", "无人机关")
    ogi(env, "case", "receive", "--organ", "lone", "--applicant-type", "natural_person", "--applicant",
        "张三", "--channel", "online", "--received-on", "2026-03-02", "--ref", "L-1")  # fmt: skip
    p = ogi_process({**env, "OGI_LANG": "zh"}, "deadlines", "sweep")
    assert p.returncode == 0, p.stderr
    assert "WARNING" not in p.stderr and "nobody to tell" not in p.stderr  # the worker's log line
    assert "1 件案件无人可通知（没有承办人，机关也没有在职负责人）：L-1" in p.stdout


@pytest.mark.parametrize(
    ("language", "stopped"),
    [("zh", "答复期限：2026-03-30（暂停计时）"), ("en", "reply due: 2026-03-30 (the clock is stopped)")],
)
def test_the_reply_clocks_dates_are_marked_stopped_while_the_case_waits_for_a_correction(
    env: dict[str, str], language: str, stopped: str
) -> None:
    ogi(env, "organ", "add", "east", "--name", "东区")
    ogi(env, "case", "receive", "--organ", "east", "--applicant-type", "natural_person", "--applicant",
        "张三", "--channel", "online", "--received-on", "2026-03-02", "--ref", "E-9")  # fmt: skip
    ogi(env, "case", "advance", "E-9", "request_correction", "--on", "2026-03-04", "--items", "写明年份")
    out = ogi({**env, "OGI_LANG": language}, "case", "show", "E-9").stdout
    assert stopped in out, out
    running = ogi({**env, "OGI_LANG": language}, "case", "show", "E-9", "--json").stdout
    assert "stopped" not in running and "暂停" not in running  # JSON keeps the dates as they are


def test_the_next_deadline_in_the_list_is_the_waiting_periods_not_a_stale_correction_notice_day() -> None:
    from types import SimpleNamespace

    from admin.cases import next_deadline

    D = __import__("datetime").date
    row = SimpleNamespace(
        is_open=True, state="awaiting_fee", reply_due=D(2026, 3, 30), correction_notice_due=D(2026, 3, 11),
        correction_until=None, fee_due=D(2026, 4, 20), consultation_due=None,
    )  # fmt: skip
    assert next_deadline(row) == ("fee_due", D(2026, 4, 20))  # type: ignore[arg-type]
