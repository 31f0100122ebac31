"""`ogi ledger`: export an organ's register of applications (台账) as XLSX, import an office's own."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn
from rich.table import Table
from sqlalchemy import func, select
from sqlmodel import Session

from cli.output import console, label, print_json
from cli.params import AsUser, JsonFlag, help_text
from cli.report_cmd import print_matrix, require_reader
from config.i18n import _, ngettext
from ledger.export import in_ledger, require_full_numbers, write_ledger
from ledger.load import OPEN, Summary, import_register, section3_by_year
from ledger.reading import open_register
from models.cases import Case
from models.db import read_session, session_scope, trial_session
from models.organs import Organ
from reports.scope import resolve
from workflow.access import Actor, actor_for
from workflow.errors import InvalidInput, os_reason

app = typer.Typer(
    help=help_text("The register of applications (the ledger): export and import."), no_args_is_help=True
)


@contextmanager
def progress_bar(description: str, total: int | None, enabled: bool) -> Iterator[Any]:
    """A rich progress bar on stderr (only on a terminal); yields `advance(n)`."""
    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        disable=not (enabled and sys.stderr.isatty()),
        transient=True,
        console=console.__class__(stderr=True),
    ) as bar:
        task = bar.add_task(description, total=total)
        yield lambda n: bar.advance(task, n)


@app.command(
    "export",
    help=help_text(
        "Write the ledger of an organ's year: a sheet of cases and a sheet of appeals, ready to print."
    ),
)
def export(
    organ: Annotated[str, typer.Option("--organ", help=help_text("Organ code."))],
    year: Annotated[
        int, typer.Option("--year", help=help_text("The year: cases received in it or open during it."))
    ],
    include_children: Annotated[
        bool, typer.Option("--include-children", help=help_text("The organ's whole subtree."))
    ] = False,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help=help_text("The XLSX file to write."))
    ] = None,
    full: Annotated[
        bool,
        typer.Option(
            "--full", help=help_text("Identity numbers unmasked (a user of the organ only; never a roll-up).")
        ),
    ] = False,
    as_user: AsUser = None,
) -> None:
    path = output or Path(f"{organ}-{year}{'-children' if include_children else ''}-ledger.xlsx")
    with read_session() as s:
        actor = actor_for(s, as_user)
        require_reader(s, actor, organ)
        scope = resolve(s, organ, year, include_children=include_children)
        if full:  # asked before the file is opened: a refusal leaves no empty or truncated file
            require_full_numbers(actor, scope)
        total = s.execute(select(func.count()).select_from(Case).where(in_ledger(scope))).scalar_one()
        try:
            out = path.open("wb")
        except OSError as e:
            raise InvalidInput("-o {path}: {problem}", path=path, problem=os_reason(e)) from None
        with out, progress_bar(_("exporting the ledger"), total, total > 5000) as advance:
            n = write_ledger(s, scope, out, actor=actor, full=full, progress=advance)
    console.print(ngettext("wrote {path}: {n} case", "wrote {path}: {n} cases", n, path=path))


@app.command(
    "import",
    help=help_text("Import an office's register; all-or-nothing: one refused row and nothing is written."),
)
def import_(
    file: Annotated[Path, typer.Argument(help=help_text("The register: XLSX, or CSV in UTF-8 or GBK."))],
    organ: Annotated[
        str | None,
        typer.Option("--organ", help=help_text("The organ the cases belong to (default: --as user's).")),
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run", help=help_text("Check every row and show what would be created; write nothing.")
        ),
    ] = False,
    as_user: AsUser = None,
    json_: JsonFlag = False,
) -> None:
    register = open_register(file)
    try:
        with trial_session() if dry_run else session_scope() as s:
            actor = actor_for(s, as_user)
            code = organ or _default_organ(s, actor)
            total = register.cases.total_rows
            with progress_bar(_("importing {file}", file=file.name), total, not json_) as advance:
                summary = import_register(s, register, organ=code, actor=actor, progress=advance)
            matrices = section3_by_year(s, code, summary.years()) if dry_run else {}
    finally:
        register.close()
    _report(summary, matrices, code, dry_run, json_)


def _default_organ(session: Session, actor: Actor) -> str:
    if actor.user is None:
        raise InvalidInput("give --organ: the organ the register's cases belong to")
    organ = session.get(Organ, actor.user.organ_id)
    assert organ is not None
    return organ.code


def _report(summary: Summary, matrices: dict[int, Any], organ: str, dry_run: bool, json_: bool) -> None:
    if json_:
        print_json(
            {
                "dry_run": dry_run,
                "cases": summary.cases,
                "events": summary.events,
                "appeals": summary.appeals,
                "held": summary.held,
                "by_year": [
                    {"year": y, "outcome": o, "cases": n} for (y, o), n in sorted(summary.by_year.items())
                ],
                "section3": {str(y): m for y, m in matrices.items()},
            }
        )
        return
    table = Table(title=_("cases by year of receipt and outcome"))
    table.add_column(_("year"))
    table.add_column(_("outcome"))
    table.add_column(_("cases"), justify="right")
    for (year, outcome), n in sorted(summary.by_year.items()):
        table.add_row(str(year), _("still open") if outcome == OPEN else label("outcome", outcome), str(n))
    console.print(table)
    for year, matrix in matrices.items():
        print_matrix({"organ": organ, "year": year, "section3": matrix, "checks": [], "sealed": None})
    counts: dict[str, Any] = {"cases": summary.cases, "events": summary.events, "appeals": summary.appeals}
    if summary.held:
        console.print(
            ngettext(
                "{n} row's case is already stored with all its steps (skipped)",
                "{n} rows' cases are already stored with all their steps (skipped)",
                summary.held,
            )
        )
    if dry_run:
        console.print(_("would import: cases {cases}, events {events}, appeals {appeals}", **counts))
        console.print(_("nothing was written (--dry-run)"))
    else:
        console.print(_("imported: cases {cases}, events {events}, appeals {appeals}", **counts))
