"""Filling a DOCX template (docxtpl: Jinja2 inside Word) into bytes that depend only on the template
and the inputs: the zip's member dates and the core properties are fixed, so issuing a document
again years later reproduces its SHA-256 (DESIGN §11, evidence)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile
from typing import Any, cast

from docx.opc.pkgwriter import PackageWriter
from docxtpl import DocxTemplate
from jinja2 import TemplateError

from config.i18n import _

# the earliest date a zip can hold: the members' dates say nothing about the document
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


class BadTemplate(ValueError):
    """A template that is not a DOCX file or whose Jinja does not parse."""


def deterministic(docx: bytes) -> bytes:
    """The same DOCX with every member dated 1980-01-01 and stored the same way (order kept)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=_ZIP_EPOCH)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            dst.writestr(member, src.read(info.filename))
    return out.getvalue()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _load(template: bytes) -> DocxTemplate:
    try:
        tpl = DocxTemplate(io.BytesIO(template))
        tpl.init_docx()
    except Exception as e:  # python-docx raises several types for a file that is not a DOCX
        raise BadTemplate(_("not a Word (.docx) file ({error})", error=type(e).__name__)) from None
    return tpl


def template_fields(template: bytes) -> set[str]:
    """The names the template's Jinja reads (`{{ number }}`, `{% for item in items %}`…)."""
    tpl = _load(template)
    try:
        return set(tpl.get_undeclared_template_variables())
    except TemplateError as e:
        raise BadTemplate(_("the template's fields do not parse ({error})", error=e)) from None


def render(template: bytes, context: dict[str, Any], day: dt.date) -> bytes:
    """The filled document; its core properties say it was made on `day` (the document's date)."""
    tpl = _load(template)
    try:
        tpl.render(context, autoescape=True)
    except TemplateError as e:
        raise BadTemplate(_("the template's fields do not parse ({error})", error=e)) from None
    props = tpl.docx.core_properties
    stamp = dt.datetime.combine(day, dt.time())
    props.created = props.modified = stamp
    props.last_printed = stamp
    props.revision = 1
    props.author = props.last_modified_by = ""
    return _save(tpl)


class _FixedDateZip:
    """python-docx's physical package writer, with every member dated _ZIP_EPOCH (python-docx dates
    them now): the document is written once, not written and then rewritten by `deterministic`."""

    def __init__(self, out: io.BytesIO) -> None:
        self._zip = zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED)

    def write(self, pack_uri: Any, blob: bytes) -> None:
        member = zipfile.ZipInfo(pack_uri.membername, date_time=_ZIP_EPOCH)
        member.compress_type = zipfile.ZIP_DEFLATED
        member.external_attr = 0o644 << 16
        self._zip.writestr(member, blob)

    def close(self) -> None:
        self._zip.close()


def _save(tpl: DocxTemplate) -> bytes:
    """What `DocxTemplate.save` and `OpcPackage.save` do (docxtpl's pre-processing, each part's
    marshalling, python-docx's PackageWriter steps), through _FixedDateZip. Pinned versions of both
    (pyproject.toml); the byte-identical re-rendering test fails if they change underneath."""
    tpl.pre_processing()
    package = tpl.docx.part.package
    parts = list(package.parts)
    for part in parts:
        part.before_marshal()
    out = io.BytesIO()
    writer, steps = _FixedDateZip(out), cast(Any, PackageWriter)  # private, untyped steps
    steps._write_content_types_stream(writer, parts)
    steps._write_pkg_rels(writer, package.rels)
    steps._write_parts(writer, parts)
    writer.close()
    tpl.is_saved = True
    return out.getvalue()
