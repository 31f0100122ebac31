"""`ogi appeal`: administrative reconsideration and litigation against a case (report section 四)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from cli.output import console, label, print_json
from cli.params import AsUser, ExpectVersion, JsonFlag, codes_help, help_text, to_date
from config.i18n import _
from models.cases import Appeal, Case
from models.db import session_scope
from workflow import clock
from workflow.access import actor_for
from workflow.appeals import decide_appeal, file_appeal
from workflow.case_json import appeal_json
from workflow.code_input import parse_code

app = typer.Typer(
    help=help_text("Reconsideration and litigation (section 4 of the report)."), no_args_is_help=True
)


def _out(appeal: Appeal, case: Case | None, json_: bool) -> None:
    data: dict[str, Any] = {**appeal_json(appeal), "case": case.ref if case else None}
    if json_:
        print_json(data)
        return
    result = label("appeal_column", appeal.result or "pending")
    if appeal.decided_on:
        result = _("{result} ({decided_on})", result=result, decided_on=appeal.decided_on)
    console.print(
        _(
            "appeal {id} on case {case}: {kind}, filed {filed_on}, {result}",
            id=appeal.id,
            case=data["case"],
            kind=label("appeal_kind", appeal.kind),
            filed_on=appeal.filed_on,
            result=result,
        )
    )


@app.command("file", help=help_text("Record a reconsideration or lawsuit filed against the case's reply."))
def file(
    case: Annotated[str, typer.Argument(help=help_text("Case ref or id."))],
    kind: Annotated[str, typer.Option("--kind", help=codes_help("appeal_kind"))],
    on: Annotated[str | None, typer.Option("--on", help=help_text("Filing date (default today)."))] = None,
    expect_version: ExpectVersion = None,
    as_user: AsUser = None,
    json_: JsonFlag = False,
) -> None:
    filed_on = to_date(on, "--on") or clock.today()
    with session_scope() as s:
        actor = actor_for(s, as_user)
        appeal = file_appeal(
            s,
            case,
            kind=parse_code("appeal_kind", kind, where="--kind"),
            filed_on=filed_on,
            actor=actor,
            expected_version=expect_version,
        )
        row = s.get(Case, appeal.case_id)
    _out(appeal, row, json_)


@app.command("decide", help=help_text("Record the result of a reconsideration or lawsuit."))
def decide(
    appeal: Annotated[
        int, typer.Argument(help=help_text("Appeal id (shown by `appeal file` and `case show`)."))
    ],
    result: Annotated[str, typer.Option("--result", help=codes_help("appeal_result"))],
    on: Annotated[str | None, typer.Option("--on", help=help_text("Decision date (default today)."))] = None,
    expect_version: ExpectVersion = None,
    as_user: AsUser = None,
    json_: JsonFlag = False,
) -> None:
    decided_on = to_date(on, "--on") or clock.today()
    with session_scope() as s:
        actor = actor_for(s, as_user)
        row = decide_appeal(
            s,
            appeal,
            result=parse_code("appeal_result", result, where="--result"),
            decided_on=decided_on,
            actor=actor,
            expected_version=expect_version,
        )
        case = s.get(Case, row.case_id)
    _out(row, case, json_)
