"""`ogi report`: build, show (sealed versions) and the user-supplied inputs of the annual report."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer
import yaml
from rich.console import Console
from sqlmodel import Session

from cli.matrix import matrix_title, section3_renderable
from cli.output import console, print_json, terminal_console
from cli.params import HELP_LANGUAGE, AsUser, JsonFlag, help_text
from config.i18n import _
from models.db import read_session, session_scope
from reports.build import build_report
from reports.closing import require_snapshot
from reports.inputs import load_inputs, read_inputs_file, save_inputs
from reports.render import BINARY, FORMATS, render
from reports.seal import sealed_report
from workflow.access import Actor, actor_for
from workflow.bounds import MAX_ID, check_count
from workflow.directory import get_organ, subtree_ids
from workflow.errors import InvalidInput, PermissionDenied, os_reason

app = typer.Typer(
    help=help_text("The annual report on government information disclosure."), no_args_is_help=True
)

OrganOpt = Annotated[str, typer.Option("--organ", help=help_text("Organ code."))]
YearOpt = Annotated[int, typer.Option("--year", help=help_text("Report year."))]
FormatOpt = Annotated[
    str | None,
    typer.Option(
        "--format",
        "-f",
        help=_("The file's format: one of {formats}.", language=HELP_LANGUAGE, formats=", ".join(FORMATS)),
    ),
]
OutOpt = Annotated[Path | None, typer.Option("-o", "--output", help=help_text("Write to this file."))]
InternalOpt = Annotated[
    bool,
    typer.Option(
        "--internal",
        help=help_text(
            "The office's internal record (seal, checks, timeliness annex) instead of the published "
            "report (internal, not published); JSON always holds everything."
        ),
    ),
]


def require_reader(session: Session, actor: Actor, organ_code: str) -> None:
    """A named user reads the reports of their own organ and of the organs below it."""
    user = actor.user
    if user is None or user.role == "admin":
        return
    organ = get_organ(session, organ_code)
    assert user.organ_id is not None  # ck_user_organ: only an administrator has no organ
    if organ.id not in subtree_ids(session, user.organ_id):
        raise PermissionDenied(
            "{name} may not read the reports of organ {organ_code}", name=user.name, organ_code=organ_code
        )


def _format(fmt: str | None, json_: bool, output: Path | None) -> str:
    if json_ and fmt not in (None, "json"):
        raise InvalidInput("--json prints JSON; it cannot be combined with --format {fmt}", fmt=fmt)
    if json_:
        return "json"
    if fmt is None and output is not None and output.suffix.lstrip(".") in FORMATS:
        return output.suffix.lstrip(".")
    if fmt is None:
        return "table"
    if fmt not in FORMATS:
        raise InvalidInput("--format {fmt!r}: expected one of {choices}", fmt=fmt, choices=", ".join(FORMATS))
    return fmt


def _emit(report: dict[str, Any], fmt: str, output: Path | None, internal: bool) -> None:
    if fmt == "table":
        print_matrix(report)
        return
    data = render(report, fmt, internal=internal)
    if output is None and fmt in BINARY:
        suffix = ("-children" if report.get("include_children") else "") + ("-internal" if internal else "")
        output = Path(f"{report['organ']}-{report['year']}{suffix}-annual-report.{fmt}")
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    try:
        output.write_bytes(data)
    except OSError as e:
        raise InvalidInput("-o {output}: {strerror}", output=output, strerror=os_reason(e)) from None
    (console.print if fmt != "json" else lambda m: sys.stderr.write(m + "\n"))(
        _("wrote {output}", output=output)
    )


@app.command(
    "build", help=help_text("Count the report from the cases (a closed year gives its sealed snapshot).")
)
def build(
    organ: OrganOpt,
    year: YearOpt,
    include_children: Annotated[
        bool,
        typer.Option(
            "--include-children", help=help_text("Sum the organ's whole subtree (district roll-up).")
        ),
    ] = False,
    fmt: FormatOpt = None,
    output: OutOpt = None,
    internal: InternalOpt = False,
    as_user: AsUser = None,
    json_: JsonFlag = False,
) -> None:
    fmt_ = _format(fmt, json_, output)
    with read_session() as s:
        require_reader(s, actor_for(s, as_user), organ)
        report = build_report(s, organ, year, include_children=include_children)
    _emit(report, fmt_, output, internal)


@app.command(
    "show", help=help_text("A sealed report as it was closed, including versions that were later reopened.")
)
def show(
    organ: OrganOpt,
    year: YearOpt,
    version: Annotated[
        int | None, typer.Option("--version", help=help_text("A sealed version (default: the latest)."))
    ] = None,
    fmt: FormatOpt = None,
    output: OutOpt = None,
    internal: InternalOpt = False,
    as_user: AsUser = None,
    json_: JsonFlag = False,
) -> None:
    fmt_ = _format(fmt, json_, output)
    if version is not None:
        check_count(version, "--version", low=1, high=MAX_ID)
    with read_session() as s:
        require_reader(s, actor_for(s, as_user), organ)
        report = sealed_report(require_snapshot(s, organ, year, version))
    _emit(report, fmt_, output, internal)


@app.command(
    "inputs",
    help=help_text(
        "Store section 2 and the narrative sections 1, 5 and 6 for an organ's year (the file replaces them)."
    ),
)
def inputs(
    organ: OrganOpt,
    year: YearOpt,
    file: Annotated[
        Path | None,
        typer.Argument(
            help=help_text("YAML file with section2 and narrative; omit to print the stored inputs.")
        ),
    ] = None,
    as_user: AsUser = None,
    json_: JsonFlag = False,
) -> None:
    if file is not None:
        data = read_inputs_file(file)
        with session_scope() as s:
            stored = save_inputs(s, organ, year, data, actor=actor_for(s, as_user))
    else:
        with read_session() as s:
            require_reader(s, actor_for(s, as_user), organ)
            stored = load_inputs(s, organ, year)
    out = stored.model_dump(mode="json")
    if json_:
        print_json(out)
    elif file is not None:
        console.print(_("stored the report inputs of {organ} for {year}", organ=organ, year=year))
    else:
        sys.stdout.write(yaml.safe_dump(out, allow_unicode=True, sort_keys=False))


def print_matrix(report: dict[str, Any], out: Console | None = None) -> None:
    """Section 三 with the official labels (numbered with a legend on a narrow terminal), then the checks."""
    out = out or terminal_console()
    sealed = report.get("sealed")
    caption = (
        _("version {version}, sealed", version=sealed["version"])
        if sealed
        else _("not closed (counted from the cases now)")
    )
    organ = report.get("organ_name") or report["organ"]
    out.print(section3_renderable(out, report["section3"], matrix_title(organ, report["year"]), caption))
    for c in report["checks"]:
        mark = "[green]✓[/]" if c["ok"] else "[red]✗[/]"
        out.print(f"{mark} {c['title']}" + ("" if c["ok"] else _(": {detail}", detail=c["detail"])))
