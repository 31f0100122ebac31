"""`ogi organ` and `ogi user`: the bodies and the people who work there."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer
from rich.table import Table
from sqlmodel import col, select

from accounts.passwords import hash_password
from cli.output import console, label, print_json
from cli.params import JsonFlag, codes_help, help_text
from config.i18n import _
from models.db import read_session, session_scope
from models.organs import Organ, User
from workflow.directory import LETTER_FIELDS, add_organ, add_user, update_letter_data
from workflow.errors import InvalidInput

organ_app = typer.Typer(help=help_text("Administrative bodies (organs)."), no_args_is_help=True)
user_app = typer.Typer(help=help_text("Caseworkers, supervisors and administrators."), no_args_is_help=True)


@organ_app.command("add")
def organ_add(
    code: str,
    name: Annotated[str, typer.Option("--name", help=help_text("The organ's full name."))],
    parent: Annotated[
        str | None, typer.Option("--parent", help=help_text("Code of the parent organ."))
    ] = None,
    json_: JsonFlag = False,
) -> None:
    """Add an organ, optionally under a parent (for a district roll-up)."""
    with session_scope() as s:
        organ = add_organ(s, code=code, name=name, parent=parent)
        out = {"id": organ.id, "code": organ.code, "name": organ.name, "parent": parent}
    print_json(out) if json_ else console.print(_("organ {code} added", code=code))


@organ_app.command("list")
def organ_list(json_: JsonFlag = False) -> None:
    """List the organs."""
    with read_session() as s:
        organs = list(s.exec(select(Organ).order_by(col(Organ.code))))
    codes = {o.id: o.code for o in organs}
    rows = [{"code": o.code, "name": o.name, "parent": codes.get(o.parent_id)} for o in organs]
    if json_:
        print_json(rows)
        return
    table = Table(_("Code"), _("Name"), _("Parent"))
    for r in rows:
        table.add_row(r["code"], r["name"], r["parent"] or "")
    console.print(table)


@user_app.command("add")
def user_add(
    name: str,
    organ: Annotated[str, typer.Option("--organ")],
    role: Annotated[str, typer.Option("--role", help=codes_help("role"))],
    email: Annotated[str, typer.Option("--email")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help=help_text("Read a web-admin password from stdin."))
    ] = False,
    json_: JsonFlag = False,
) -> None:
    """Add a user of an organ."""
    password_hash = None
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise InvalidInput("--password-stdin: no password on standard input")
        password_hash = hash_password(password)
    with session_scope() as s:
        user = add_user(s, name=name, organ=organ, role=role, email=email, password_hash=password_hash)
        out = {
            "id": user.id,
            "name": user.name,
            "organ": organ,
            "role": user.role,
            "email": email,
            "can_log_in": password_hash is not None,
        }
    print_json(out) if json_ else console.print(
        _("user {name} ({role}, {organ}) added", name=name, role=label("role", user.role), organ=organ)
    )


@user_app.command("list")
def user_list(json_: JsonFlag = False) -> None:
    """List the users."""
    with read_session() as s:
        organs = {o.id: o.code for o in s.exec(select(Organ))}
        rows = [
            {
                "name": u.name,
                "organ": organs[u.organ_id],
                "role": u.role,
                "email": u.email,
                "active": u.active,
            }
            for u in s.exec(select(User).order_by(col(User.name)))
        ]
    if json_:
        print_json(rows)
        return
    table = Table(_("Name"), _("Organ"), _("Role"), _("E-mail"), _("Active"))
    for r in rows:
        table.add_row(
            str(r["name"]),
            str(r["organ"]),
            label("role", str(r["role"])),
            str(r["email"]),
            _("yes") if r["active"] else _("no"),
        )
    console.print(table)


def _letter_option(flag: str, text: str) -> Any:
    return typer.Option(flag, help=f"{text} (blank clears it).")


@organ_app.command("update")
def organ_update(
    code: str,
    short_name: Annotated[
        str | None, _letter_option("--short-name", "Short name, the numbers' prefix (红星镇)")
    ] = None,
    address: Annotated[str | None, _letter_option("--address", "Postal address printed on documents")] = None,
    phone: Annotated[str | None, _letter_option("--phone", "Contact phone printed on documents")] = None,
    reconsideration_body: Annotated[
        str | None,
        _letter_option("--reconsideration-body", "The body reviewing its decisions (行政复议机关)"),
    ] = None,
    court: Annotated[
        str | None, _letter_option("--court", "The court of first instance for its decisions")
    ] = None,
    number_pattern: Annotated[
        str | None,
        _letter_option("--number-pattern", "Document numbers, default {short}{code}〔{year}〕{seq}号"),
    ] = None,
    json_: JsonFlag = False,
) -> None:
    """Set what the organ's documents print: short name, address, phone, remedy bodies, number pattern."""
    changes = {
        "short_name": short_name,
        "address": address,
        "phone": phone,
        "reconsideration_body": reconsideration_body,
        "court": court,
        "number_pattern": number_pattern,
    }
    with session_scope() as s:
        organ = update_letter_data(s, code, changes)
        out = {"code": organ.code, "name": organ.name, **{k: getattr(organ, k) for k in LETTER_FIELDS}}
    print_json(out) if json_ else console.print(_("organ {code} updated", code=code))
