"""`ogi document` and `ogi organ update` as an office runs them: numbers, files, evidence, refusals."""

from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path

import pytest
from docx import Document as Docx

from tests.cli_support import ogi, ogi_json, one_line_error


@pytest.fixture
def env(sqlite_db: str) -> dict[str, str]:
    env = {**os.environ, "OGI_DATABASE_URL": sqlite_db}
    ogi(env, "organ", "add", "hx", "--name", "红星镇人民政府")
    ogi(env, "user", "add", "li", "--organ", "hx", "--role", "caseworker", "--email", "li@example.org")
    ogi(
        env,
        "case",
        "receive",
        "--organ",
        "hx",
        "--applicant-type",
        "natural_person",
        "--applicant",
        "张三",
        "--channel",
        "online",
        "--received-on",
        "2026-09-01",
        "--ref",
        "HX-1",
        "--request",
        "道路维修预算",
    )
    return env


def test_a_reply_is_refused_until_the_organ_names_its_remedy_bodies_then_issued_listed_served_verified(
    env: dict[str, str], tmp_path: Path
) -> None:
    one_line_error(
        ogi(
            env,
            "case",
            "advance",
            "HX-1",
            "answer",
            "--on",
            "2026-09-20",
            "--outcome",
            "withheld_state_secret",
            ok=False,
        ),
        "reasons",
    )
    ogi(
        env,
        "case",
        "advance",
        "HX-1",
        "answer",
        "--on",
        "2026-09-21",
        "--outcome",
        "withheld_state_secret",
        "--reasons",
        "属于国家秘密",
        "--basis",
        "《中华人民共和国保守国家秘密法》第二条",
    )
    one_line_error(
        ogi(env, "document", "issue", "HX-1", "reply", ok=False), "--reconsideration-body", "--court"
    )
    ogi(
        env,
        "organ",
        "update",
        "hx",
        "--short-name",
        "红星镇",
        "--reconsideration-body",
        "红星县人民政府",
        "--court",
        "红星县人民法院",
        "--address",
        "红星路1号",
        "--phone",
        "0451-1234567",
    )
    letter = tmp_path / "reply.docx"
    issued = ogi_json(env, "document", "issue", "HX-1", "reply", "-o", str(letter))
    assert (
        issued["number"] == "红星镇公复〔2026〕1号" and issued["kind"] == "reply" and issued["case"] == "HX-1"
    )
    assert issued["sha256"] == hashlib.sha256(letter.read_bytes()).hexdigest()
    text = "\n".join(p.text for p in Docx(io.BytesIO(letter.read_bytes())).paragraphs)
    assert "保守国家秘密法》第二条" in text and "红星县人民法院" in text
    again = tmp_path / "again.docx"
    assert "红星镇公复〔2026〕1号" in ogi(env, "document", "issue", "HX-1", "reply", "-o", str(again)).stdout
    assert again.read_bytes() == letter.read_bytes()
    served = ogi_json(
        env, "document", "serve", "红星镇公复〔2026〕1号", "--method", "post", "--on", "2026-09-22"
    )
    assert (served["served_on"], served["served_by_method"]) == ("2026-09-22", "post")
    assert [d["number"] for d in ogi_json(env, "document", "list", "HX-1")] == ["红星镇公复〔2026〕1号"]
    assert "红星镇公复〔2026〕1号" in ogi(env, "document", "verify", str(letter)).stdout
    letter.write_bytes(letter.read_bytes() + b" ")
    one_line_error(ogi(env, "document", "verify", str(letter), ok=False), "SHA-256")


def test_a_correction_notice_lists_every_item_given_on_the_command_line(
    env: dict[str, str], tmp_path: Path
) -> None:
    one_line_error(
        ogi(env, "case", "advance", "HX-1", "request_correction", "--on", "2026-09-02", ok=False), "items"
    )
    ogi(
        env,
        "case",
        "advance",
        "HX-1",
        "request_correction",
        "--on",
        "2026-09-02",
        "--items",
        "请写明年度",
        "--items",
        "请写明路段",
    )
    out = tmp_path / "c.docx"
    ogi(env, "document", "issue", "HX-1", "correction_notice", "-o", str(out))
    text = "\n".join(p.text for p in Docx(io.BytesIO(out.read_bytes())).paragraphs)
    assert "1. 请写明年度" in text and "2. 请写明路段" in text and "红星镇人民政府公补〔2026〕1号" in text


def test_an_organ_template_is_exported_and_one_without_a_required_field_is_refused(
    env: dict[str, str], tmp_path: Path
) -> None:
    default = tmp_path / "receipt.docx"
    ogi(env, "document", "template", "show", "receipt", str(default))
    doc = Docx(io.BytesIO(default.read_bytes()))
    for p in doc.paragraphs:
        for run in p.runs:
            run.text = run.text.replace("{{ reply_due }}", "二十个工作日内")
    broken = tmp_path / "broken.docx"
    doc.save(str(broken))
    one_line_error(
        ogi(env, "document", "template", "set", "receipt", str(broken), "--organ", "hx", ok=False),
        "{{ reply_due }}",
    )
    ogi(env, "document", "template", "set", "receipt", str(default), "--organ", "hx")
    one_line_error(ogi(env, "organ", "update", "hx", "--number-pattern", "{short}{code}", ok=False), "{seq}")
