"""`ogi case`: receive, advance, show, list and import applications."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn, TransferSpeedColumn
from rich.table import Table

from cli.output import console, label, param_text, print_json
from cli.params import AsUser, ExpectVersion, JsonFlag, codes_help, help_text, to_code, to_date
from codes import CASE_DATE_LABELS
from codes.labels import actor_label
from config.i18n import N_, _, current_language, local_time, ngettext
from models.db import read_session, session_scope
from workflow import case_json, clock
from workflow.access import actor_for
from workflow.applicants import ApplicantDetailsIn
from workflow.code_input import parse_code
from workflow.events import EVENTS
from workflow.importer import import_file
from workflow.machine import CLOCK_DATES, clock_stopped
from workflow.recompute import acknowledge
from workflow.repeats import Similar, similar_earlier
from workflow.service import NewCase, advance, get_case, open_case, reassign
from workflow.textfiles import iter_lines, open_binary

app = typer.Typer(help=help_text("Applications (cases)."), no_args_is_help=True)

Organ = Annotated[str, typer.Option("--organ", help=help_text("Organ code."))]
ApplicantType = Annotated[str, typer.Option("--applicant-type", help=codes_help("applicant_type"))]
Applicant = Annotated[str, typer.Option("--applicant", help=help_text("The applicant's name."))]
Channel = Annotated[str, typer.Option("--channel", help=codes_help("channel"))]
Request = Annotated[str | None, typer.Option("--request", help=help_text("What the applicant asks for."))]
Assignee = Annotated[
    str | None, typer.Option("--assignee", help=help_text("The responsible caseworker (user name)."))
]
Ref = Annotated[
    str | None, typer.Option("--ref", help=help_text("The case's reference (generated when not given)."))
]


IdKind = Annotated[
    str | None,
    typer.Option("--id-kind", help=codes_help("id_kind")),
]
IdNumber = Annotated[
    str | None,
    typer.Option("--id-number", help=help_text("Its number (checked; stored encrypted, shown masked).")),
]
Phone = Annotated[str | None, typer.Option("--phone", help=help_text("The applicant's telephone."))]
Email = Annotated[str | None, typer.Option("--email", help=help_text("The applicant's e-mail address."))]
Address = Annotated[str | None, typer.Option("--address", help=help_text("The applicant's postal address."))]
Postcode = Annotated[str | None, typer.Option("--postcode", help=help_text("Its postal code (6 digits)."))]


def _opening_command(name: str, date_field: str, date_help: str, summary: str) -> None:
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
            applicant_type=to_code(applicant_type, "applicant_type", "--applicant-type"),
            applicant=applicant,
            channel=to_code(channel, "channel", "--channel"),
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

    # the annotations are strings (PEP 563), read in the module's scope: this one is the object itself
    command.__annotations__["on"] = Annotated[str, typer.Option(option, help=date_help)]
    app.command(name, help=summary)(command)


_opening_command(
    "receive",
    "received_on",
    help_text("Date of receipt (Art. 31), YYYY-MM-DD."),
    help_text("Record an application received: the 20-working-day reply clock starts."),
)
_opening_command(
    "register",
    "submitted_on",
    help_text("Date submitted, YYYY-MM-DD."),
    help_text(
        "Record an application that needs confirming before its clock starts (ordinary mail, online, fax)."
    ),
)


@app.command("advance", help=help_text("Apply one event of the lifecycle to a case."))
def advance_(
    case: Annotated[str, typer.Argument(help=help_text("Case ref or id."))],
    event: Annotated[str, typer.Argument(help=codes_help("event", EVENTS))],
    on: Annotated[str | None, typer.Option("--on", help=help_text("Effective date (default today)."))] = None,
    until: Annotated[str | None, typer.Option("--until")] = None,
    days: Annotated[int | None, typer.Option("--days")] = None,
    party: Annotated[str | None, typer.Option("--party", help=codes_help("party"))] = None,
    approver: Annotated[
        str | None, typer.Option("--approver", help=help_text("Supervisor who approved an extension."))
    ] = None,
    method: Annotated[
        str | None,
        typer.Option(
            "--method",
            help=codes_help("fee_method"),
        ),
    ] = None,
    pages: Annotated[
        int | None, typer.Option("--pages", help=help_text("Pages, for the pages method."))
    ] = None,
    amount: Annotated[
        str | None,
        typer.Option(
            "--amount",
            help=help_text("Fee in yuan (computed from --method; a different one needs --reason)."),
        ),
    ] = None,
    outcome: Annotated[str | None, typer.Option("--outcome", help=codes_help("outcome"))] = None,
    reason: Annotated[str | None, typer.Option("--reason")] = None,
    items: Annotated[
        list[str] | None, typer.Option("--items", help=help_text("An item to correct (repeat for each)."))
    ] = None,
    reasons: Annotated[
        str | None, typer.Option("--reasons", help=help_text("Why withheld or not provided."))
    ] = None,
    basis: Annotated[str | None, typer.Option("--basis", help=help_text("The article relied on."))] = None,
    provided: Annotated[
        str | None, typer.Option("--provided", help=help_text("What is provided: form, route and time."))
    ] = None,
    refer_to: Annotated[
        str | None,
        typer.Option("--refer-to", help=help_text("The responsible or holding body and its contact.")),
    ] = None,
    expect_version: ExpectVersion = None,
    as_user: AsUser = None,
    json_: JsonFlag = False,
) -> None:
    given = {
        "on": on,
        "until": until,
        "days": days,
        "party": to_code(party, "party", "--party"),
        "approver": approver,
        "method": method,
        "pages": pages,
        "amount": amount,
        "outcome": to_code(outcome, "outcome", "--outcome"),
        "reason": reason,
        "items": items or None,
        "reasons": reasons,
        "basis": basis,
        "provided": provided,
        "refer_to": refer_to,
    }
    raw: dict[str, Any] = {k: v for k, v in given.items() if v is not None}
    with session_scope() as s:
        row = advance(
            s,
            case,
            parse_code("event", event, codes=EVENTS),  # "unknown event" names the argument
            raw,
            actor=actor_for(s, as_user),
            expected_version=expect_version,
        )
        out = case_json.case_detail(s, row)
    _print_case(out, json_)


@app.command("assign", help=help_text("Give a case to a caseworker of its organ."))
def assign(
    case: str,
    assignee: Annotated[str | None, typer.Argument(help=help_text("User name; omit to unassign."))] = None,
    expect_version: ExpectVersion = None,
    as_user: AsUser = None,
    json_: JsonFlag = False,
) -> None:
    with session_scope() as s:
        row = reassign(s, case, assignee, actor=actor_for(s, as_user), expected_version=expect_version)
        out = case_json.case_detail(s, row)
    _print_case(out, json_)


@app.command(
    "acknowledge",
    help=help_text("A supervisor has reviewed a case flagged for attention: clear the flag (recorded)."),
)
def acknowledge_(
    case: str,
    note: Annotated[
        str | None, typer.Option("--note", help=help_text("What the supervisor found or did."))
    ] = None,
    expect_version: ExpectVersion = None,
    as_user: AsUser = None,
    json_: JsonFlag = False,
) -> None:
    with session_scope() as s:
        actor = actor_for(s, as_user)
        row = acknowledge(s, case, actor=actor, note=note, expected_version=expect_version)
        out = case_json.case_detail(s, row)
    _print_case(out, json_)


@app.command(
    "show",
    help=help_text(
        "Show a case, its deadlines and its history. The identity number is shown in clear "
        "to the operator and to a user of the case's organ (`--as`), masked to anyone else."
    ),
)
def show(case: str, as_user: AsUser = None, json_: JsonFlag = False) -> None:
    with read_session() as s:
        actor = actor_for(s, as_user)
        row = get_case(s, case, actor=actor)
        out = case_json.case_detail(s, row, reveal=actor.sees_identity_numbers(row.organ_id))
    _print_case(out, json_)


@app.command("list", help=help_text("List cases (every match; no page limit)."))
def list_(
    organ: Annotated[str | None, typer.Option("--organ")] = None,
    include_children: Annotated[bool, typer.Option("--include-children")] = False,
    state: Annotated[str | None, typer.Option("--state", help=codes_help("state"))] = None,
    overdue: Annotated[
        bool, typer.Option("--overdue", help=help_text("Only cases past their reply deadline."))
    ] = False,
    due_within: Annotated[
        int | None, typer.Option("--due-within", help=help_text("Reply due within N working days."))
    ] = None,
    assignee: Annotated[str | None, typer.Option("--assignee")] = None,
    applicant_type: Annotated[
        str | None, typer.Option("--applicant-type", help=codes_help("applicant_type"))
    ] = None,
    year: Annotated[int | None, typer.Option("--year", help=help_text("Received in this year."))] = None,
    attention: Annotated[
        bool, typer.Option("--attention", help=help_text("Only cases flagged for a supervisor."))
    ] = False,
    id_number: Annotated[
        str | None,
        typer.Option("--id-number", help=help_text("Only the applicant with this identity number.")),
    ] = None,
    json_: JsonFlag = False,
) -> None:
    f = case_json.CaseFilter(
        organ=organ,
        include_children=include_children,
        state=to_code(state, "state", "--state"),
        overdue=overdue,
        due_within=due_within,
        assignee=assignee,
        applicant_type=to_code(applicant_type, "applicant_type", "--applicant-type"),
        year=year,
        attention=attention,
        identity_number=id_number,
    )
    with read_session() as s:
        rows = case_json.cases_json(s, case_json.list_cases(s, f))
    if json_:
        print_json(rows)
        return
    table = Table(
        _("Ref"), _("Organ"), _("State"), _("Received"), _("Reply due"), _("Outcome"), _("Assignee")
    )
    for r in rows:
        due = r["reply_due"] or ""
        style = "red" if r["overdue"] else None
        table.add_row(
            r["ref"],
            r["organ"],
            label("state", r["state"]),
            r["received_on"] or "",
            due,
            label("outcome", r["outcome"]),
            r["assignee"] or "",
            style=style,
        )
    console.print(table)
    for r in rows if attention else []:
        console.print(
            "[yellow]" + _("needs a supervisor: {ref}: {why}", ref=r["ref"], why=r["attention"]) + "[/]"
        )
    console.print(ngettext("{n} case", "{n} cases", len(rows)))


@app.command(
    "import",
    help=help_text("Import case histories; all-or-nothing: one invalid line and nothing is written."),
)
def import_(
    file: Annotated[Path, typer.Argument(help=help_text("JSON Lines, one case per line (DESIGN §8)."))],
    as_user: AsUser = None,
    json_: JsonFlag = False,
) -> None:
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
        task = bar.add_task(_("importing {file}", file=file.name), total=size)
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
            _(
                "imported: cases {cases}, events {events}, appeals {appeals}",
                cases=result.cases,
                events=result.events,
                appeals=result.appeals,
            )
        )


def _print_case(c: dict[str, Any], json_: bool, *, repeats: list[Similar] | None = None) -> None:
    if json_:
        print_json(c if repeats is None else {**c, "similar_earlier": [r.to_json() for r in repeats]})
        return
    today = clock.today()
    console.print(
        f"[bold]{c['ref']}[/]  {c['organ']}  {label('state', c['state'])}"
        + (f"  {label('outcome', c['outcome'])}" if c["outcome"] else "")
        + ("  [red]" + _("overdue") + "[/]" if c["overdue"] else "")
        + ("  [yellow]" + _("deadlines provisional") + "[/]" if c["provisional"] else "")
    )
    console.print(
        _(
            "applicant {applicant} ({applicant_type}), channel {channel}, assignee {assignee}",
            applicant=c["applicant"],
            applicant_type=label("applicant_type", c["applicant_type"]),
            channel=label("channel", c["channel"]),
            assignee=c["assignee"] or "—",
        )
    )
    _print_details(c.get("applicant_details"))
    stopped = clock_stopped(c["state"])
    for key in CASE_DATE_LABELS:
        if c.get(key):
            value = (
                _("{date} (the clock is stopped)", date=c[key]) if stopped and key in CLOCK_DATES else c[key]
            )
            console.print("  " + _("{name}: {value}", name=label("case_date", key), value=value))
    if c.get("attention"):
        console.print("  [yellow]" + _("needs a supervisor: {why}", why=c["attention"]) + "[/]")
    if c["extension_days"]:
        console.print("  " + _("extended by {n} working days", n=c["extension_days"]))
    if c["paused_workdays"]:
        console.print("  " + _("clock paused for {n} working days", n=c["paused_workdays"]))
    table = Table(
        "#",
        _("Date"),
        _("Event"),
        _("By"),
        _("Details"),
        _("Recorded"),
        title=_("History (today {today})", today=today),
    )
    for i, e in enumerate(c.get("events", []), 1):
        # the bookkeeping of a recompute (changes, replay) is for the JSON; its reasons show on their entries
        skip = ("event", "on", "actor", "recorded_at", "changes", "replay")
        params = {k: v for k, v in e.items() if k not in skip}
        table.add_row(
            str(i),
            e["on"],
            label("event", e["event"]),
            actor_label(e["actor"], current_language()),
            _("; ").join(param_text(k, v) for k, v in params.items()),
            local_time(e.get("recorded_at")),
        )
    console.print(table)
    _print_repeats(repeats or [])


# an identity document's kind as the reader reads it (workflow.identity's labels are the stored
# Chinese ones, for documents)
_ID_KINDS = {
    "resident_id": N_("resident identity card"),
    "credit_code": N_("unified social credit code"),
    "other": N_("other identity document"),
}


def _print_details(d: dict[str, Any] | None) -> None:
    if not d:
        return
    if d["id_kind"]:
        kind = _(_ID_KINDS[d["id_kind"]])
        console.print("  " + _("{name}: {value}", name=kind, value=d["id_number"]), highlight=False)
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
        outcome = label("outcome", r.outcome) if r.outcome else label("state", r.state)
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
