"""The shipped templates and deterministic rendering, without a database."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
import time_machine

from codes import DOCUMENT_KINDS
from documents.defaults import default_template
from documents.kinds import required_fields
from documents.render import render, template_fields


@pytest.mark.parametrize("kind", DOCUMENT_KINDS)
def test_every_shipped_template_holds_its_kinds_required_fields(kind: str) -> None:
    assert set(required_fields(kind)) <= template_fields(default_template(kind))


def test_the_shipped_templates_set_the_body_in_fangsong_with_an_empty_letterhead_area() -> None:
    with zipfile.ZipFile(io.BytesIO(default_template("reply"))) as z:
        xml = z.read("word/document.xml").decode()
    assert 'w:eastAsia="仿宋_GB2312"' in xml
    assert xml.index("<w:p>") < xml.index("{{ number }}") and 'w:color="C00000"' in xml  # 红头 area, red rule


def test_rendering_gives_the_same_bytes_whenever_it_runs() -> None:
    context = dict.fromkeys(required_fields("receipt"), "甲")
    outputs = set()
    for moment in (
        dt.datetime(2026, 1, 1, 8, 0, 1, tzinfo=dt.UTC),
        dt.datetime(2040, 6, 30, 23, 59, 58, tzinfo=dt.UTC),
    ):
        with time_machine.travel(moment, tick=False):
            outputs.add(render(default_template("receipt"), context, dt.date(2026, 1, 1)))
    assert len(outputs) == 1


@pytest.mark.parametrize("kind", DOCUMENT_KINDS)
def test_a_template_keeps_the_seal_with_its_date_on_the_gb_9704_line_pitch(kind: str) -> None:
    import io

    from docx import Document as Docx

    from documents.defaults import LINE_PITCH_PT, default_template

    paragraphs = Docx(io.BytesIO(default_template(kind))).paragraphs
    seal = next(i for i, p in enumerate(paragraphs) if "（印章）" in p.text)
    assert paragraphs[seal].paragraph_format.keep_with_next  # the date follows it on the same page
    assert "issued_on" in paragraphs[seal + 1].text
    assert all(round(p.paragraph_format.line_spacing.pt, 2) == LINE_PITCH_PT for p in paragraphs)
