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
from config.i18n import _
from models.db import read_session, session_scope
from workflow import case_json, clock
from workflow.access import actor_for
from workflow.applicants import ApplicantDetailsIn
from workflow.identity import ID_KIND_LABELS
from workflow.importer import import_file
from workflow.recompute import acknowledge
from workflow.repeats import Similar, similar_earlier
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


IdKind = Annotated[
    str | None, typer.Option("--id-kind", help="Identity document: resident_id, credit_code or other.")
]
IdNumber = Annotated[
    str | None, typer.Option("--id-number", help="Its number (checked; stored encrypted, shown masked).")
]
Phone = Annotated[str | None, typer.Option("--phone", help="The applicant's telephone.")]
Email = Annotated[str | None, typer.Option("--email", help="The applicant's e-mail address.")]
Address = Annotated[str | None, typer.Option("--address", help="The applicant's postal address.")]
Postcode = Annotated[str | None, typer.Option("--postcode", help="Its postal code (6 digits).")]


def _opening_command(name: str, date_field: str, date_help: str, doc: str) -> None:
    """`case receive` and `case register`: the same options but the opening date (one definition,
    so a field added to CaseOpening is added to both)."""
    option = "--" + date_field.replace("_", "-")

    def command(
        organ: Organ,
        applicant_type: ApplicantType,
        applicant: Applicant,
        channel: Channel,
        on: str,  # its option is named after the date (set below)
        request: Request = None,
        assignee: Assignee = None,
        ref: Ref = None,
        id_kind: IdKind = None,
        id_number: IdNumber = None,
        phone: Phone = None,
        email: Email = None,
        address: Address = None,
        postcode: Postcode = None,
        as_user: AsUser = None,
        json_: JsonFlag = False,
    ) -> None:
        details = {"id_kind": id_kind, "id_number": id_number, "phone": phone, "email": email,
                   "address": address, "postcode": postcode}  # fmt: skip
        new = NewCase(
            organ=organ,
            applicant_type=applicant_type,
            applicant=applicant,
            channel=channel,
            request=request,
            assignee=assignee,
            ref=ref,
            applicant_details=ApplicantDetailsIn(**details) if any(details.values()) else None,
            **{date_field: to_date(on, option)},
        )
        with session_scope() as s:
            row = open_case(s, new, actor=actor_for(s, as_user))
            out = case_json.case_detail(s, row)
            repeats = similar_earlier(s, row)
        _print_case(out, json_, repeats=repeats)

    command.__doc__ = doc
    # the annotations are strings (PEP 563), read in the module's scope: this one is the object itself
    command.__annotations__["on"] = Annotated[str, typer.Option(option, help=date_help)]
    app.command(name)(command)


_opening_command(
    "receive",
    "received_on",
    "Date of receipt (Art. 31), YYYY-MM-DD.",
    "Record an application received: the 20-working-day reply clock starts.",
)
_opening_command(
    "register",
    "submitted_on",
    "Date submitted, YYYY-MM-DD.",
    "Record an application that needs confirming before its clock starts (ordinary mail, online, fax).",
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
    method: Annotated[
        str | None, typer.Option("--method", help="Fee method (notify_fee): count (按件) or pages (按量).")
    ] = None,
    pages: Annotated[int | None, typer.Option("--pages", help="Pages, for the pages method.")] = None,
    amount: Annotated[
        str | None,
        typer.Option(
            "--amount", help="Fee in yuan (computed from --method; a different one needs --reason)."
        ),
    ] = None,
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
        "method": method,
        "pages": pages,
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
def show(case: str, as_user: AsUser = None, json_: JsonFlag = False) -> None:
    """Show a case, its deadlines and its history. The identity number is shown in clear to the
    operator and to a user of the case's organ (`--as`), masked to anyone else."""
    with read_session() as s:
        actor = actor_for(s, as_user)
        row = get_case(s, case, actor=actor)
        reveal = actor.user is None or actor.user.organ_id == row.organ_id
        out = case_json.case_detail(s, row, reveal=reveal)
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
    id_number: Annotated[
        str | None, typer.Option("--id-number", help="Only the applicant with this identity number.")
    ] = None,
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
        identity_number=id_number,
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
            )
    out = {"cases": result.cases, "events": result.events, "appeals": result.appeals}
    if json_:
        print_json(out)
    else:
        console.print(
            f"imported {result.cases} cases with {result.events} events and {result.appeals} appeals"
        )


def _print_case(c: dict[str, Any], json_: bool, *, repeats: list[Similar] | None = None) -> None:
    if json_:
        print_json(c if repeats is None else {**c, "similar_earlier": [r.to_json() for r in repeats]})
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
    _print_details(c.get("applicant_details"))
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
    _print_repeats(repeats or [])


def _print_details(d: dict[str, Any] | None) -> None:
    if not d:
        return
    if d["id_kind"]:
        console.print(f"  {ID_KIND_LABELS[d['id_kind']]} {d['id_number']}")
    contact = [v for k in ("phone", "email", "address", "postcode") if (v := d[k])]
    if contact:
        console.print("  " + _("contact: {details}", details="，".join(contact)), highlight=False)


def _print_repeats(repeats: list[Similar]) -> None:
    """A suggestion for the caseworker (Art. 36(六)), never a decision."""
    if not repeats:
        return
    console.print(
        "[yellow]"
        + _("The same applicant sent this organ a closely matching request before (a repeated application?):")
        + "[/]"
    )
    for r in repeats:
        outcome = OUTCOME_SHORT_LABELS.get(r.outcome or "", STATE_LABELS.get(r.state, r.state))
        console.print(
            "  "
            + _(
                "{ref}, received {on}: {outcome} (similarity {pct}%)",
                ref=r.ref,
                on=r.received_on or "—",
                outcome=outcome,
                pct=round(r.similarity * 100),
            )
        )
