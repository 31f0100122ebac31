"""`ogi year`: close an organ's year (seal its report) and reopen it (audited)."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from cli.output import console, print_json
from cli.params import AsUser, JsonFlag, help_text
from cli.report_cmd import require_reader
from codes.labels import actor_label
from config.i18n import _, current_language
from models.db import read_session, session_scope
from models.reports import ReportSnapshot
from reports.closing import close_year, reopen_year
from reports.seal import local_time, sealed_info, versions
from workflow.access import actor_for, is_operator
from workflow.directory import get_organ

app = typer.Typer(help=help_text("Year-end close of the annual report."), no_args_is_help=True)

OrganOpt = Annotated[str, typer.Option("--organ", help=help_text("Organ code."))]


def operator_note(actor: str) -> str:
    """Said whenever the operator, not a named supervisor, sealed or reopened a year."""
    if not is_operator(actor):
        return ""
    return " (the operator, not a supervisor: no --as or OGI_USER was given)"


def _json(seal: ReportSnapshot, organ: str) -> dict[str, Any]:
    return {"organ": organ, "year": seal.year, **sealed_info(seal)}


@app.command(
    "close",
    help=help_text(
        "Run the checks and seal the organ's report for the year; events dated in it are refused after."
    ),
)
def close(
    year: Annotated[int, typer.Argument(help=help_text("The year to close."))],
    organ: OrganOpt,
    as_user: AsUser = None,
    json_: JsonFlag = False,
) -> None:
    with session_scope() as s:
        seal = close_year(s, organ, year, actor=actor_for(s, as_user))
        out = _json(seal, organ)
    if json_:
        print_json(out)
    else:
        console.print(
            _(
                "closed {year} for {organ}: version {out}, sha256 {out2}, sealed by {out3}{value}",
                year=year,
                organ=organ,
                out=out["version"],
                out2=out["content_hash"],
                out3=out["sealed_by"],
                value=operator_note(out["sealed_by"]),
            )
        )


@app.command(
    "reopen",
    help=help_text(
        "Lift the seal (supervisor); the sealed version stays readable and the next close is a new one."
    ),
)
def reopen(
    year: Annotated[int, typer.Argument(help=help_text("The year to reopen."))],
    organ: OrganOpt,
    reason: Annotated[str, typer.Option("--reason", help=help_text("Why (kept with the sealed version)."))],
    as_user: AsUser = None,
    json_: JsonFlag = False,
) -> None:
    with session_scope() as s:
        seal = reopen_year(s, organ, year, reason=reason, actor=actor_for(s, as_user))
        out = _json(seal, organ)
    if json_:
        print_json(out)
    else:
        console.print(
            _(
                "reopened {year} for {organ} (version {out} stays readable) by {out2}{value}: {out3}",
                year=year,
                organ=organ,
                out=out["version"],
                out2=out["reopened_by"],
                value=operator_note(out["reopened_by"] or ""),
                out3=out["reopen_reason"],
            )
        )


@app.command(
    "status",
    help=help_text("Every sealed version of the organ's reports: in force or reopened, by whom and why."),
)
def status(organ: OrganOpt, as_user: AsUser = None, json_: JsonFlag = False) -> None:
    with read_session() as s:
        require_reader(s, actor_for(s, as_user), organ)
        organ_id = get_organ(s, organ).id
        assert organ_id is not None
        rows = [_json(v, organ) for v in versions(s, organ_id)]
    if json_:
        print_json(rows)
        return
    table = Table(
        _("Year"), _("Version"), _("Sealed"), _("Sealed by"), _("State"), _("Reopened"), _("Reason")
    )
    for r in rows:
        table.add_row(
            str(r["year"]),
            str(r["version"]),
            local_time(r["sealed_at"]),
            actor_label(r["sealed_by"], current_language()),
            _("in force") if r["in_force"] else _("reopened"),
            f"{local_time(r['reopened_at']) if r['reopened_at'] else ''} {r['reopened_by'] or ''}".strip(),
            r["reopen_reason"] or "",
        )
    console.print(table)
