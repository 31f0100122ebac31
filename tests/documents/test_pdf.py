"""Documents as the applicant reads them: every kind rendered to PDF by LibreOffice (as the report's
PDF test does, tests/reports/test_pdf.py) and read back; a PNG of each under artifacts/documents/
for a person to look at. Skipped without LibreOffice and poppler locally; under CI it must run."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pdfplumber
import pytest

from documents import service
from models.db import session_scope
from tests.documents.support import TESTER, D, office, receive, step, withheld_case
from tests.reports.test_pdf import ROOT, _convert, _require_tools

ARTIFACTS = ROOT / "artifacts" / "documents"
pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("sqlite_db")]


def _png(pdf: Path, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(ARTIFACTS / name)], check=True, timeout=120)


def _issued_pdfs(folder: Path) -> dict[str, str]:
    """One document of each kind a full case calls for, as the text of its PDF."""
    office()
    receive(D(2026, 3, 2), ref="PDF-1", request="2025年度本镇道路维修的预算文件")
    step("PDF-1", "request_correction", on=D(2026, 3, 3), items=["请写明所需文件的年度"])
    step("PDF-1", "receive_correction", on=D(2026, 3, 9))
    step("PDF-1", "consult", on=D(2026, 3, 10), party="third_party")
    step("PDF-1", "receive_opinion", on=D(2026, 3, 16))
    step("PDF-1", "extend", on=D(2026, 3, 30), days=10, approver="east-head")
    step("PDF-1", "notify_fee", on=D(2026, 4, 1), amount="120.50")
    step("PDF-1", "receive_payment", on=D(2026, 4, 3))
    step("PDF-1", "answer", on=D(2026, 4, 20), outcome="withheld_third_party_rights", reasons="涉及商业秘密")
    receive(D(2026, 3, 2), ref="PDF-2", request="道路规划")
    step("PDF-2", "request_correction", on=D(2026, 3, 3), items=["请写明路段"])
    step("PDF-2", "lapse_correction", on=D(2026, 4, 1))
    texts = {}
    for ref, kind in [
        ("PDF-1", k)
        for k in (
            "receipt",
            "correction_notice",
            "third_party_consultation",
            "consultation_notice",
            "extension_notice",
            "fee_notice",
            "reply",
        )
    ] + [("PDF-2", "termination_notice")]:
        with session_scope() as s:
            content = service.issue(s, ref, kind, actor=TESTER).content
        docx = folder / f"{kind}.docx"
        docx.write_bytes(content)
        pdf = _convert(docx)
        _png(pdf, kind)
        with pdfplumber.open(pdf) as doc:
            texts[kind] = re.sub(r"\s+", "", "".join(page.extract_text() or "" for page in doc.pages))
    return texts


def test_every_kind_renders_to_pdf_and_the_reply_holds_its_number_dates_and_remedy_clause(
    tmp_path: Path,
) -> None:
    _require_tools()
    texts = _issued_pdfs(tmp_path)
    reply = texts["reply"]
    assert "红星镇公复〔2026〕1号" in reply
    assert "2026年3月2日" in reply and "2026年4月20日" in reply
    assert "六十日内向红星县人民政府申请行政复议" in reply and "六个月内向红星县人民法院提起行政诉讼" in reply
    assert "红星镇公告〔2026〕2号" in texts["termination_notice"]
    assert all(len(t) > 80 for t in texts.values()), "a document rendered empty"


CJK = re.compile(r"[\u4e00-\u9fff]")


def test_a_reply_letter_converted_by_libreoffice_is_set_in_the_serif_cjk_face_not_a_sans(
    tmp_path: Path,
) -> None:
    """仿宋_GB2312 (the body) and 方正小标宋简体 (the title) through the report's own mapping
    (config/fonts.conf): Noto Serif CJK SC, as the report's body; no sans stands in for them."""
    _require_tools()
    office()
    withheld_case("F-1")
    with session_scope() as s:
        content = service.issue(s, "F-1", "reply", actor=TESTER).content
    docx = tmp_path / "reply.docx"
    docx.write_bytes(content)
    pdf = _convert(docx)
    with pdfplumber.open(pdf) as doc:
        chars = [c for page in doc.pages for c in page.chars if CJK.match(c["text"])]
    body = "".join(c["text"] for c in chars)
    assert "六十日内向红星县人民政府申请行政复议" in body
    faces = {c["fontname"].split("+")[-1] for c in chars}
    assert faces and all("SerifCJK" in f for f in faces), faces
    listed = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "NotoSerifCJK" in listed and "SansCJK" not in listed and "WenQuanYi" not in listed, listed
