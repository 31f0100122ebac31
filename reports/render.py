"""One entry point for every format: the report JSON in, the file's bytes out."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from reports.render_docx import render_docx
from reports.render_text import render_html, render_md
from reports.render_xlsx import render_xlsx
from workflow.errors import InvalidInput


def render_json(report: dict[str, Any], *, annex: bool = False) -> bytes:
    """The JSON always carries the timeliness annex."""
    return (json.dumps(report, ensure_ascii=False, indent=2) + "\n").encode()


RENDERERS: dict[str, Callable[..., bytes]] = {
    "json": render_json,
    "md": render_md,
    "html": render_html,
    "docx": render_docx,
    "xlsx": render_xlsx,
}
FORMATS: tuple[str, ...] = tuple(RENDERERS)
# formats that are not text and so are never written to a terminal
BINARY: frozenset[str] = frozenset({"docx", "xlsx"})


def render(report: dict[str, Any], fmt: str, *, annex: bool = False) -> bytes:
    """`annex` adds the timeliness annex to md, html, docx and xlsx (json always has it)."""
    try:
        renderer = RENDERERS[fmt]
    except KeyError:
        raise InvalidInput(f"unknown report format {fmt!r} ({', '.join(FORMATS)})") from None
    return renderer(report, annex=annex)
