"""`ogi outbox`: the messages queued by the sweep and by events; sending them; retrying failures."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from cli.output import console, label, print_json
from cli.params import HELP_LANGUAGE, JsonFlag, help_text
from config.i18n import N_, _
from delivery import outbox
from models.db import read_session, session_scope
from workflow.bounds import MAX_ID, check_count
from workflow.errors import InvalidInput
from workflow.service import get_case

app = typer.Typer(help=help_text("Outgoing email (reminders, escalations, digests)."), no_args_is_help=True)


@app.command(
    "relay",
    help=help_text("Send every due message now (SMTP from OGI_SMTP_URL, else .eml files in OGI_OUTBOX_DIR)."),
)
def relay(json_: JsonFlag = False) -> None:
    result = outbox.relay()
    if json_:
        print_json(result.summary())
        return
    console.print(
        _(
            "{sent} sent, {retried} to retry, {failed} failed, {cancelled} cancelled",
            sent=result.sent,
            retried=result.retried,
            failed=result.failed,
            cancelled=result.cancelled,
        )
    )
    for line in result.errors[:10]:
        console.print(_("  [yellow]{line}[/]", line=line))


# what a person reads for a message's status and kind (the codes stay in JSON)
STATUS_WORDS = {
    "pending": N_("queued"),
    "sending": N_("sending"),
    "sent": N_("sent"),
    "cancelled": N_("cancelled"),
    "failed": N_("failed"),
}
DIGEST = N_("daily digest")


def _status_help() -> str:
    """The statuses as the codes' help lists them (`code label`, cf. workflow.code_input)."""
    sep = "，" if HELP_LANGUAGE == "zh" else ", "
    choices = sep.join(f"{code} {_(STATUS_WORDS[code], language=HELP_LANGUAGE)}" for code in outbox.STATUSES)
    return _("Only the messages of this status: {choices}.", language=HELP_LANGUAGE, choices=choices)


@app.command("list", help=help_text("List queued and sent messages, newest first."))
def list_(
    status: Annotated[str | None, typer.Option("--status", help=_status_help())] = None,
    case: Annotated[
        str | None, typer.Option("--case", help=help_text("Only this case's messages (ref or id)."))
    ] = None,
    limit: Annotated[
        int, typer.Option("--limit", min=1, help=help_text("At most this many, newest first."))
    ] = 50,
    json_: JsonFlag = False,
) -> None:
    check_count(limit, "--limit", low=1, high=MAX_ID)
    if status is not None and status not in outbox.STATUSES:
        raise InvalidInput(
            "--status: unknown status {status!r} ({choices})",
            status=status,
            choices=", ".join(outbox.STATUSES),
        )
    with read_session() as s:
        case_id = get_case(s, case).id if case else None
        rows = outbox.list_messages(s, status=status, case_id=case_id, limit=limit)
        data = [outbox.message_json(m) for m in rows]
    if json_:
        print_json(data)
        return
    table = Table(_("status"), _("due"), _("kind"), _("to"), _("subject"), _("attempts"), _("last error"))
    for m in data:
        table.add_row(
            _(STATUS_WORDS.get(m["status"], m["status"])),
            m["due_on"] or "",
            _(DIGEST) if m["kind"] == "digest" else label("deadline_kind", m["kind"]),
            m["recipient"],
            m["subject"],
            str(m["attempts"]),
            (m["last_error"] or "")[:40],
        )
    console.print(table)


@app.command(
    "retry", help=help_text("Queue failed messages again, once the cause (address, server) is fixed.")
)
def retry(
    key: Annotated[
        str | None, typer.Argument(help=help_text("The failed message's key (default: every failed one)."))
    ] = None,
    json_: JsonFlag = False,
) -> None:
    with session_scope() as s:
        n = outbox.retry_failed(s, key=key)
    if key is not None and n == 0:
        raise InvalidInput("no failed message with key {key!r}", key=key)
    if json_:
        print_json({"requeued": n})
    else:
        console.print(_("{n} failed message(s) queued again", n=n))
