"""`ogi case`: receive, advance, show, list and import applications."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn, TransferSpeedColumn
from rich.table import Table

from cli.output import console, print_json
from cli.params import AsUser, ExpectVersion, JsonFlag, to_date
from codes import CASE_DATE_LABELS, EVENT_LABELS, OUTCOME_SHORT_LABELS, STATE_LABELS
from models.db import read_session, session_scope
from workflow import case_json, clock
from workflow.access import actor_for
from workflow.importer import import_file
from workflow.recompute import acknowledge
from workflow.service import NewCase, advance, get_case, open_case, reassign
from workflow.textfiles import iter_lines, open_binary

app = typer.Typer(help="Applications (cases).", no_args_is_help=True)

Organ = Annotated[str, typer.Option("--organ", help="Organ code.")]
ApplicantType = Annotated[
    str, typer.Option("--applicant-type", help="natural_person, commercial_enterprise, …")
]
Applicant = Annotated[str, typer.Option("--applicant", help="The applicant's name.")]
Channel = Annotated[
    str, typer.Option("--channel", help="in_person, registered_mail, ordinary_mail, online, …")
]
Request = Annotated[str | None, typer.Option("--request", help="What the applicant asks for.")]
Assignee = Annotated[str | None, typer.Option("--assignee", help="The responsible caseworker (user name).")]
Ref = Annotated[str | None, typer.Option("--ref", help="The case's reference (generated when not given).")]


def _open(new: NewCase, as_user: str | None, json_: bool) -> None:
    with session_scope() as s:
        row = open_case(s, new, actor=actor_for(s, as_user))
        out = case_json.case_detail(s, row)
    _print_case(out, json_)


@app.command("receive")
def receive(
    organ: Organ,
    applicant_type: ApplicantType,
    applicant: Applicant,
    channel: Channel,
    received_on: Annotated[str, typer.Option("--received-on", help="Date of receipt (Art. 31), YYYY-MM-DD.")],
    request: Request = None,
    assignee: Assignee = None,
    ref: Ref = None,
    as_user: AsUser = None,
    json_: JsonFlag = False,
) -> None:
    """Record an application received: the 20-working-day reply clock starts."""
    _open(
        NewCase(
            organ=organ,
            applicant_type=applicant_type,
            applicant=applicant,
            channel=channel,
            received_on=to_date(received_on, "--received-on"),
            request=request,
            assignee=assignee,
            ref=ref,
        ),
        as_user,
        json_,
    )


@app.command("register")
def register(
    organ: Organ,
    applicant_type: ApplicantType,
    applicant: Applicant,
    channel: Channel,
    submitted_on: Annotated[str, typer.Option("--submitted-on", help="Date submitted, YYYY-MM-DD.")],
    request: Request = None,
    assignee: Assignee = None,
    ref: Ref = None,
    as_user: AsUser = None,
    json_: JsonFlag = False,
) -> None:
    """Record an application that needs confirming before its clock starts (ordinary mail, online, fax)."""
    _open(
        NewCase(
            organ=organ,
            applicant_type=applicant_type,
            applicant=applicant,
            channel=channel,
            submitted_on=to_date(submitted_on, "--submitted-on"),
            request=request,
            assignee=assignee,
            ref=ref,
        ),
        as_user,
        json_,
    )


@app.command("advance")
def advance_(
    case: Annotated[str, typer.Argument(help="Case ref or id.")],
    event: Annotated[str, typer.Argument(help="Event name, e.g. request_correction, answer.")],
    on: Annotated[str | None, typer.Option("--on", help="Effective date (default today).")] = None,
    until: Annotated[str | None, typer.Option("--until")] = None,
    days: Annotated[int | None, typer.Option("--days")] = None,
    party: Annotated[str | None, typer.Option("--party", help="third_party or organ")] = None,
    approver: Annotated[
        str | None, typer.Option("--approver", help="Supervisor who approved an extension.")
    ] = None,
    amount: Annotated[str | None, typer.Option("--amount", help="Fee in yuan.")] = None,
    outcome: Annotated[str | None, typer.Option("--outcome")] = None,
    reason: Annotated[str | None, typer.Option("--reason")] = None,
    expect_version: ExpectVersion = None,
    as_user: AsUser = None,
    json_: JsonFlag = False,
) -> None:
    """Apply one event of the lifecycle to a case."""
    given = {
        "on": on,
        "until": until,
        "days": days,
        "party": party,
        "approver": approver,
        "amount": amount,
        "outcome": outcome,
        "reason": reason,
    }
    raw: dict[str, Any] = {k: v for k, v in given.items() if v is not None}
    with session_scope() as s:
        row = advance(s, case, event, raw, actor=actor_for(s, as_user), expected_version=expect_version)
        out = case_json.case_detail(s, row)
    _print_case(out, json_)


@app.command("assign")
def assign(
    case: str,
    assignee: Annotated[str | None, typer.Argument(help="User name; omit to unassign.")] = None,
    expect_version: ExpectVersion = None,
    as_user: AsUser = None,
    json_: JsonFlag = False,
) -> None:
    """Give a case to a caseworker of its organ."""
    with session_scope() as s:
        row = reassign(s, case, assignee, actor=actor_for(s, as_user), expected_version=expect_version)
        out = case_json.case_detail(s, row)
    _print_case(out, json_)


@app.command("acknowledge")
def acknowledge_(
    case: str,
    note: Annotated[str | None, typer.Option("--note", help="What the supervisor found or did.")] = None,
    expect_version: ExpectVersion = None,
    as_user: AsUser = None,
    json_: JsonFlag = False,
) -> None:
    """A supervisor has reviewed a case flagged for attention: clear the flag (recorded)."""
    with session_scope() as s:
        actor = actor_for(s, as_user)
        row = acknowledge(s, case, actor=actor, note=note, expected_version=expect_version)
        out = case_json.case_detail(s, row)
    _print_case(out, json_)


@app.command("show")
def show(case: str, json_: JsonFlag = False) -> None:
    """Show a case, its deadlines and its history."""
    with read_session() as s:
        out = case_json.case_detail(s, get_case(s, case))
    _print_case(out, json_)


@app.command("list")
def list_(
    organ: Annotated[str | None, typer.Option("--organ")] = None,
    include_children: Annotated[bool, typer.Option("--include-children")] = False,
    state: Annotated[str | None, typer.Option("--state")] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only cases past their reply deadline.")] = False,
    due_within: Annotated[
        int | None, typer.Option("--due-within", help="Reply due within N working days.")
    ] = None,
    assignee: Annotated[str | None, typer.Option("--assignee")] = None,
    applicant_type: Annotated[str | None, typer.Option("--applicant-type")] = None,
    year: Annotated[int | None, typer.Option("--year", help="Received in this year.")] = None,
    attention: Annotated[
        bool, typer.Option("--attention", help="Only cases flagged for a supervisor (需主管关注).")
    ] = False,
    json_: JsonFlag = False,
) -> None:
    """List cases (every match; no page limit)."""
    f = case_json.CaseFilter(
        organ=organ,
        include_children=include_children,
        state=state,
        overdue=overdue,
        due_within=due_within,
        assignee=assignee,
        applicant_type=applicant_type,
        year=year,
        attention=attention,
    )
    with read_session() as s:
        rows = case_json.cases_json(s, case_json.list_cases(s, f))
    if json_:
        print_json(rows)
        return
    table = Table("案号", "机关", "状态", "收到", "答复期限", "结果", "承办人")
    for r in rows:
        due = r["reply_due"] or ""
        style = "red" if r["overdue"] else None
        table.add_row(
            r["ref"],
            r["organ"],
            STATE_LABELS[r["state"]],
            r["received_on"] or "",
            due,
            OUTCOME_SHORT_LABELS.get(r["outcome"] or "", ""),
            r["assignee"] or "",
            style=style,
        )
    console.print(table)
    for r in rows if attention else []:
        console.print(f"[yellow]需主管关注[/] {r['ref']}：{r['attention']}")
    console.print(f"{len(rows)} cases")


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="JSON Lines, one case per line (DESIGN §8).")],
    as_user: AsUser = None,
    json_: JsonFlag = False,
) -> None:
    """Import case histories; all-or-nothing: one invalid line and nothing is written."""
    stream = open_binary(file)
    size = file.stat().st_size
    show_bar = size > 2_000_000 and sys.stderr.isatty() and not json_
    with (
        stream,
        Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            DownloadColumn(),
            TransferSpeedColumn(),
            TimeRemainingColumn(),
            disable=not show_bar,
            transient=True,
            console=console.__class__(stderr=True),
        ) as bar,
    ):
        task = bar.add_task(f"importing {file.name}", total=size)
        with session_scope() as s:
            result = import_file(
                s,
                iter_lines(stream, str(file)),
                actor=actor_for(s, as_user),
                progress=lambda n: bar.advance(task, n),
                source=str(file),
            )
    out = {"cases": result.cases, "events": result.events, "appeals": result.appeals}
    if json_:
        print_json(out)
    else:
        console.print(
            f"imported {result.cases} cases with {result.events} events and {result.appeals} appeals"
        )


def _print_case(c: dict[str, Any], json_: bool) -> None:
    if json_:
        print_json(c)
        return
    today = clock.today()
    console.print(
        f"[bold]{c['ref']}[/]  {c['organ']}  {STATE_LABELS[c['state']]}"
        + (f"  {OUTCOME_SHORT_LABELS[c['outcome']]}" if c["outcome"] else "")
        + ("  [red]逾期[/]" if c["overdue"] else "")
        + ("  [yellow]期限暂定[/]" if c["provisional"] else "")
    )
    console.print(
        f"申请人 {c['applicant']}（{c['applicant_type']}），"
        f"渠道 {c['channel']}，承办人 {c['assignee'] or '—'}"
    )
    for key, label in CASE_DATE_LABELS.items():
        if c.get(key):
            console.print(f"  {label}: {c[key]}")
    if c.get("attention"):
        console.print(f"  [yellow]需主管关注：[/]{c['attention']}")
    if c["extension_days"]:
        console.print(f"  已延期 {c['extension_days']} 个工作日")
    if c["paused_workdays"]:
        console.print(f"  暂停计算 {c['paused_workdays']} 个工作日")
    table = Table("#", "日期", "事项", "办理人", "参数", title=f"办理记录（今天 {today}）")
    for i, e in enumerate(c.get("events", []), 1):
        params = {k: v for k, v in e.items() if k not in ("event", "on", "actor", "recorded_at")}
        table.add_row(
            str(i),
            e["on"],
            EVENT_LABELS.get(e["event"], e["event"]),
            e["actor"],
            ", ".join(f"{k}={v}" for k, v in params.items()),
        )
    console.print(table)
