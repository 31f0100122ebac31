"""`ogi deadlines`: the deadline sweep, in-process (the embedded default, and for operators)."""

from __future__ import annotations

from typing import Annotated

import typer

import workflow.sweep
from cli.output import console, print_json
from cli.params import JsonFlag, help_text, to_date
from codes.labels import Coded
from config.i18n import _, ngettext
from delivery import outbox
from models.db import session_scope
from workflow import clock
from workflow.errors import InvalidInput

app = typer.Typer(help=help_text("Statutory deadlines: reminders, escalation, lapses."), no_args_is_help=True)


@app.command(
    "sweep",
    help=help_text("Queue due reminders, escalate overdue cases, lapse ended consultations; then send."),
)
def sweep(
    today: Annotated[
        str | None,
        typer.Option("--today", help=help_text("Sweep as of this date (YYYY-MM-DD; default: today).")),
    ] = None,
    relay: Annotated[
        bool,
        typer.Option(
            "--relay/--no-relay", help=help_text("Send the queued messages right after (default: yes).")
        ),
    ] = True,
    json_: JsonFlag = False,
) -> None:
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
        _(
            "{today}: cases due {cases}; messages queued {queued}, cancelled {cancelled}; became "
            "overdue {value}; lapsed {value2}",
            today=result.today,
            cases=result.cases,
            queued=result.queued,
            cancelled=result.cancelled,
            value=len(result.became_overdue),
            value2=len(result.lapsed),
        )
    )
    for line in result.lapsed:  # "REF event" in the JSON; the event by its label here
        ref, _sep, event = line.rpartition(" ")
        console.print(_("  lapsed: {ref} {event}", ref=ref, event=Coded("event", event)))
    for line in result.skipped:
        console.print(_("  [yellow]skipped[/]: {line}", line=line))
    if result.unattended:
        console.print(
            ngettext(
                "[yellow]{n} case with nobody to tell[/] (no assignee, no active supervisor of the "
                "organ): {choices}",
                "[yellow]{n} cases with nobody to tell[/] (no assignee, no active supervisor of the "
                "organ): {choices}",
                len(result.unattended),
                choices=", ".join(result.unattended),
            )
        )
    if sent is not None:
        console.print(
            _(
                "relay: {sent} sent, {retried} to retry, {failed} failed, {cancelled} cancelled",
                sent=sent.sent,
                retried=sent.retried,
                failed=sent.failed,
                cancelled=sent.cancelled,
            )
        )
