"""`ogi deadlines`: the deadline sweep, in-process (the embedded default, and for operators)."""

from __future__ import annotations

from typing import Annotated

import typer

import workflow.sweep
from cli.output import console, print_json
from cli.params import JsonFlag, to_date
from delivery import outbox
from models.db import session_scope
from workflow import clock
from workflow.errors import InvalidInput

app = typer.Typer(help="Statutory deadlines: reminders, escalation, lapses.", no_args_is_help=True)


@app.command("sweep")
def sweep(
    today: Annotated[
        str | None, typer.Option("--today", help="Sweep as of this date (YYYY-MM-DD; default: today).")
    ] = None,
    relay: Annotated[
        bool, typer.Option("--relay/--no-relay", help="Send the queued messages right after (default: yes).")
    ] = True,
    json_: JsonFlag = False,
) -> None:
    """Queue due reminders, escalate overdue cases, lapse ended consultations; then send."""
    day = to_date(today, "--today")
    real = clock.today()
    if day is not None and day > real:
        raise InvalidInput(
            "--today {day} is in the future (today is {real}); the sweep never acts ahead", day=day, real=real
        )
    with session_scope() as s:
        result = workflow.sweep.sweep(s, today=day)
    sent = outbox.relay() if relay else None
    if json_:
        print_json({**result.summary(), "relay": sent.summary() if sent else None})
        return
    console.print(
        f"{result.today}: {result.cases} cases due; {result.queued} messages queued, "
        f"{result.cancelled} cancelled; {len(result.became_overdue)} became overdue; "
        f"{len(result.lapsed)} lapsed"
    )
    for line in result.lapsed:
        console.print(f"  lapsed: {line}")
    for line in result.skipped:
        console.print(f"  [yellow]skipped[/]: {line}")
    if result.unattended:
        console.print(
            f"[yellow]{len(result.unattended)} cases with nobody to tell[/] (no assignee, no active "
            f"supervisor of the organ): {', '.join(result.unattended)}"
        )
    if sent is not None:
        console.print(
            f"relay: {sent.sent} sent, {sent.retried} to retry, {sent.failed} failed, "
            f"{sent.cancelled} cancelled"
        )
