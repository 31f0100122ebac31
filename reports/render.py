"""One entry point for every format: the report JSON in, the file's bytes out."""

from __future__ import annotations

import json
from collections.abc import Callable
from importlib import import_module
from typing import Any

from workflow.errors import InvalidInput


def render_json(report: dict[str, Any], *, internal: bool = False) -> bytes:
    """The JSON is data, not a document: it always carries everything (checks, seal, annex)."""
    return (json.dumps(report, ensure_ascii=False, indent=2) + "\n").encode()


# format -> (module, function); imported on first use, so printing JSON never loads Word or Excel code
RENDERERS: dict[str, tuple[str, str]] = {
    "json": ("reports.render", "render_json"),
    "md": ("reports.render_text", "render_md"),
    "html": ("reports.render_text", "render_html"),
    "docx": ("reports.render_docx", "render_docx"),
    "xlsx": ("reports.render_xlsx", "render_xlsx"),
}
FORMATS: tuple[str, ...] = tuple(RENDERERS)
# formats that are not text and so are never written to a terminal
BINARY: frozenset[str] = frozenset({"docx", "xlsx"})


def render(report: dict[str, Any], fmt: str, *, internal: bool = False) -> bytes:
    """The published report, or with `internal` the office's internal record of it (the seal, the
    checks and the timeliness annex) in md, html, docx and xlsx; json always has everything."""
    try:
        module, name = RENDERERS[fmt]
    except KeyError:
        raise InvalidInput(
            "unknown report format {fmt!r} ({choices})", fmt=fmt, choices=", ".join(FORMATS)
        ) from None
    renderer: Callable[..., bytes] = getattr(import_module(module), name)
    return renderer(report, internal=internal)
