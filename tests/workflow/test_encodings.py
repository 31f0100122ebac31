"""Every file the product reads is decoded by one function: UTF-8 with or without BOM, GB18030/GBK
and UTF-16 with BOM are read correctly; anything else is one line naming the file and the line."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.cli_support import ogi, ogi_json
from workflow.errors import InvalidInput
from workflow.textfiles import decode_text

ENCODINGS = ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16", "utf-16-le-bom", "utf-16-be-bom"]


def encode(text: str, encoding: str) -> bytes:
    if encoding == "utf-16-le-bom":
        return b"\xff\xfe" + text.encode("utf-16-le")
    if encoding == "utf-16-be-bom":
        return b"\xfe\xff" + text.encode("utf-16-be")
    return text.encode(encoding)


# text as people type it: any character but control ones (line breaks and tabs aside) and surrogates
TYPED = st.text(st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\n\t\r"), max_size=300)


@given(TYPED, st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le-bom", "utf-16-be-bom"]))
def test_unicode_text_saved_in_any_unicode_encoding_reads_back_unchanged(text: str, encoding: str) -> None:
    assert decode_text(encode(text, encoding), "f") == text


CHINESE = [
    "张三\n",
    '{"applicant": "欧阳娜娜", "request": "请公开2025年红星镇财政预算、决算及“三公”经费"}\n',
    "黑龙江省哈尔滨市阿城区红星镇人民政府\n第二行：国务院办公厅关于2027年部分节假日安排的通知\n",
    # the encoding is decided late, on line 3; 𠀀 is outside the BMP (GB18030 has it, GBK not)
    "ascii first line\nascii second line\n王小明（户籍：𠀀村）\n",
]


@pytest.mark.parametrize(
    ("text", "encoding"),
    # GBK cannot encode characters outside the BMP (GB18030 can)
    [(t, e) for t in CHINESE for e in ENCODINGS if not (e == "gbk" and "𠀀" in t)],
)
def test_chinese_text_saved_as_excel_or_wps_saves_it_reads_back_unchanged(text: str, encoding: str) -> None:
    assert decode_text(encode(text, encoding), "f") == text


@pytest.mark.parametrize(
    ("data", "line"),
    [
        (b'{"a": 1}\n{"b": 2}\n\x80\x80\x80\n', 3),  # neither UTF-8 nor GB18030
        ("李四\n".encode() + "王五\n".encode("gbk"), 2),  # two encodings in one file
        ("王五\n".encode("gbk") + b"ok\n" + b"\xff\xff\n", 3),  # not GB18030 like line 1
        (b"\xff\xfe" + "a\nb\n".encode("utf-16-le") + b"\x00\xd8\n\x00", 3),  # a broken UTF-16 surrogate
    ],
)
def test_an_undecodable_file_is_refused_naming_the_file_and_the_line(data: bytes, line: int) -> None:
    with pytest.raises(InvalidInput, match=rf"^cases\.jsonl: line {line}: "):
        decode_text(data, "cases.jsonl")


# --- every reader, through the CLI ----------------------------------------------------------------
CASE = {"ref": "ENC-1", "organ": "east", "applicant_type": "natural_person", "applicant": "欧阳娜娜",
        "channel": "online", "received_on": "2026-03-02", "request": "请公开“三公”经费"}  # fmt: skip
CALENDAR = """# 国务院办公厅关于2030年部分节假日安排的通知（格式示例）
year: 2030
source: 国务院办公厅关于2030年部分节假日安排的通知
holidays:
  - {name: 元旦, from: 2030-01-01, to: 2030-01-01}
  - {name: 春节, from: 2030-02-02, to: 2030-02-08}
workdays:
  - {date: 2030-02-09, name: 春节}
"""
INPUTS = """section2:
  licensing: 12
narrative:
  overview: 本年度，本机关认真贯彻落实《条例》。
"""


@pytest.fixture
def env(sqlite_db: str) -> dict[str, str]:
    env = {**os.environ, "OGI_DATABASE_URL": sqlite_db}
    ogi(env, "organ", "add", "east", "--name", "东区")
    return env


def read_back(env: dict[str, str], reader: str, path: Path) -> Any:
    if reader == "case import":
        ogi(env, "case", "import", str(path))
        case = ogi_json(env, "case", "show", "ENC-1")
        return case["applicant"], case["request"]
    if reader == "calendar import":
        ogi(env, "calendar", "import", str(path))
        year = ogi_json(env, "calendar", "show", "2030")
        return year["source"], [d["name"] for d in year["holidays"]][:2], year["workdays"][0]["name"]
    ogi(env, "report", "inputs", "--organ", "east", "--year", "2025", str(path))
    return ogi_json(env, "report", "inputs", "--organ", "east", "--year", "2025")["narrative"]["overview"]


EXPECTED: dict[str, tuple[str, Any]] = {
    "case import": (json.dumps(CASE, ensure_ascii=False) + "\n", ("欧阳娜娜", "请公开“三公”经费")),
    "calendar import": (
        CALENDAR,
        ("国务院办公厅关于2030年部分节假日安排的通知", ["元旦", "春节"], "春节"),
    ),
    "report inputs": (INPUTS, "本年度，本机关认真贯彻落实《条例》。"),
}


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
@pytest.mark.parametrize("reader", list(EXPECTED))
def test_every_reader_reads_a_file_in_each_accepted_encoding(
    env: dict[str, str], tmp_path: Path, reader: str, encoding: str
) -> None:
    text, expected = EXPECTED[reader]
    path = tmp_path / f"input.{encoding}"
    path.write_bytes(text.encode(encoding))
    assert read_back(env, reader, path) == expected


@pytest.mark.parametrize("reader", list(EXPECTED))
def test_every_reader_refuses_an_undecodable_file_in_one_line_naming_file_and_line(
    env: dict[str, str], tmp_path: Path, reader: str
) -> None:
    text, _ = EXPECTED[reader]
    lines = text.splitlines(keepends=True)
    path = tmp_path / "mixed.txt"
    # the first line as UTF-8 (with Chinese, so UTF-8 is decided), a later one as GBK
    path.write_bytes("# 东区\n".encode() + "".join(lines[:-1]).encode() + lines[-1].encode("gbk"))
    args = {
        "case import": ["case", "import"],
        "calendar import": ["calendar", "import"],
        "report inputs": ["report", "inputs", "--organ", "east", "--year", "2025"],
    }[reader]
    p = ogi(env, *args, str(path), ok=False)
    assert p.returncode == 1 and "Traceback" not in p.stderr
    assert p.stderr.count("\n") == 1 and f"{path}: line {len(lines) + 1}: " in p.stderr, p.stderr
