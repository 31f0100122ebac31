"""One entry point for every format: the report JSON in, the file's bytes out."""

from __future__ import annotations

import json
from collections.abc import Callable
from importlib import import_module
from typing import Any

from workflow.errors import InvalidInput


def render_json(report: dict[str, Any], *, annex: bool = False) -> bytes:
    """The JSON always carries the timeliness annex."""
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


def render(report: dict[str, Any], fmt: str, *, annex: bool = False) -> bytes:
    """`annex` adds the timeliness annex to md, html, docx and xlsx (json always has it)."""
    try:
        module, name = RENDERERS[fmt]
    except KeyError:
        raise InvalidInput(f"unknown report format {fmt!r} ({', '.join(FORMATS)})") from None
    renderer: Callable[..., bytes] = getattr(import_module(module), name)
    return renderer(report, annex=annex)
