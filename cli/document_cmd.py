"""`ogi document`: issue, list, serve and verify statutory documents, and the organs' templates."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from sqlmodel import select

from cli.output import console, label, print_json
from cli.params import AsUser, JsonFlag, codes_help, help_text, to_date
from codes.labels import Coded
from config.i18n import _
from documents import service
from models.cases import Case
from models.db import read_session, session_scope
from workflow import clock
from workflow.access import actor_for
from workflow.directory import get_organ
from workflow.errors import InvalidInput, os_reason
from workflow.service import get_case

app = typer.Typer(help=help_text("Statutory documents: notices and reply letters."), no_args_is_help=True)
template_app = typer.Typer(
    help=help_text("The DOCX templates documents are filled from."), no_args_is_help=True
)
app.add_typer(template_app, name="template")

Output = Annotated[
    Path | None, typer.Option("-o", "--output", help=help_text("Write the document to this .docx file."))
]


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as e:
        raise InvalidInput("{path}: cannot read it ({why})", path=str(path), why=os_reason(e)) from None


def _write(path: Path, content: bytes) -> None:
    try:
        path.write_bytes(content)
    except OSError as e:
        raise InvalidInput("{path}: cannot write it ({why})", path=str(path), why=os_reason(e)) from None


@app.command(
    "issue",
    help=help_text(
        "Issue the case's document of KIND (or render an issued one again, byte for byte); print its number."
    ),
)
def issue(
    case: Annotated[str, typer.Argument(help=help_text("Case ref or id."))],
    kind: Annotated[str, typer.Argument(help=codes_help("document_kind"))],
    output: Output = None,
    as_user: AsUser = None,
    json_: JsonFlag = False,
) -> None:
    with session_scope() as s:
        issued = service.issue(s, case, kind, actor=actor_for(s, as_user))
        out = service.document_json(issued.document, get_case(s, issued.document.case_id).ref)
    if output is not None:
        _write(output, issued.content)
    if json_:
        print_json(out)
    elif issued.new:
        console.print(
            _(
                "{label} issued: {number}",
                label=Coded("document_kind", issued.document.kind),
                number=out["number"],
            )
        )
    else:
        console.print(
            _(
                "{label} already issued: {number}",
                label=Coded("document_kind", issued.document.kind),
                number=out["number"],
            )
        )


@app.command("list", help=help_text("The case's issued documents."))
def list_(
    case: Annotated[str, typer.Argument(help=help_text("Case ref or id."))],
    as_user: AsUser = None,
    json_: JsonFlag = False,
) -> None:
    with read_session() as s:
        row = get_case(s, case, actor=actor_for(s, as_user))
        assert row.id is not None
        rows = [service.document_json(d, row.ref) for d in service.documents_of(s, row.id)]
    if json_:
        print_json(rows)
        return
    table = Table(_("number"), _("document"), _("date"), _("issued by"), _("served"))
    for r in rows:
        served = (
            f"{r['served_on']} {label('service_method', r['served_by_method'])}" if r["served_on"] else ""
        )
        issuer = label("actor", r["issued_by"])
        table.add_row(r["number"], label("document_kind", r["kind"]), r["issued_on"], issuer, served)
    console.print(table)


@app.command("serve", help=help_text("Record how and when a document was served."))
def serve(
    number: Annotated[str, typer.Argument(help=help_text("The document's number."))],
    method: Annotated[str, typer.Option("--method", help=codes_help("service_method"))],
    on: Annotated[str, typer.Option("--on", help=help_text("Day signed, posted or sent, YYYY-MM-DD."))],
    as_user: AsUser = None,
    json_: JsonFlag = False,
) -> None:
    day = to_date(on, "--on")
    assert day is not None
    with session_scope() as s:
        doc = service.serve(s, number, method, day, actor=actor_for(s, as_user), today=clock.today())
        case = s.get(Case, doc.case_id)
        assert case is not None
        out = service.document_json(doc, case.ref)
    if json_:
        print_json(out)
    else:
        console.print(
            _(
                "{number} served on {on} ({method})",
                number=number,
                on=day,
                method=Coded("service_method", doc.served_by_method or method),
            )
        )


@app.command(
    "verify",
    help=help_text("Whether FILE is exactly a document issued here, and which (exit 1 when it is not)."),
)
def verify(
    file: Annotated[Path, typer.Argument(help=help_text("A .docx file said to be an issued document."))],
    json_: JsonFlag = False,
) -> None:
    content = _read(file)
    with read_session() as s:
        doc = service.verify(s, content)
        ref = s.exec(select(Case.ref).where(Case.id == doc.case_id)).one() if doc else None
        out = service.document_json(doc, ref or "") if doc else None
    if json_:
        print_json({"issued": out is not None, "document": out})
    elif out is not None:
        console.print(
            _(
                "{file} is exactly document {number} as issued on {on} (case {ref})",
                file=str(file),
                number=out["number"],
                on=out["issued_on"],
                ref=ref,
            )
        )
    else:
        print(
            _("{file} is not a document issued here (no issued document has its SHA-256)", file=str(file)),
            file=sys.stderr,
        )
    if out is None:
        raise typer.Exit(1)


OrganOption = Annotated[
    str | None, typer.Option("--organ", help=help_text("Organ code (the shipped default without it)."))
]


@template_app.command(
    "show",
    help=help_text(
        "Write the template documents of KIND are filled from (the organ's own, or the default) to FILE."
    ),
)
def template_show(
    kind: Annotated[str, typer.Argument(help=codes_help("document_kind"))],
    file: Annotated[Path, typer.Argument(help=help_text("Write the template to this .docx file."))],
    organ: OrganOption = None,
) -> None:
    kind = service.check_kind(kind)
    with read_session() as s:
        organ_id = get_organ(s, organ).id if organ else None
        content = service.current_template(s, organ_id, kind)
    _write(file, content)
    console.print(_("template for {kind} written to {file}", kind=kind, file=str(file)))


@template_app.command(
    "set",
    help=help_text("Use FILE for the organ's documents of KIND; refused when it lacks a required field."),
)
def template_set(
    kind: Annotated[str, typer.Argument(help=codes_help("document_kind"))],
    file: Annotated[Path, typer.Argument(help=help_text("The organ's .docx template."))],
    organ: Annotated[str, typer.Option("--organ", help=help_text("Organ code."))],
    as_user: AsUser = None,
) -> None:
    content = _read(file)
    with session_scope() as s:
        digest = service.set_template(s, organ, kind, content, actor=actor_for(s, as_user))
    console.print(
        _("template for {kind} of organ {organ} set ({digest})", kind=kind, organ=organ, digest=digest[:12])
    )
