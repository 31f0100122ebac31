"""`ogi organ` and `ogi user`: the bodies and the people who work there."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.table import Table
from sqlmodel import Session, col, select

from accounts.passwords import hash_password
from cli.output import console, label, print_json
from cli.params import JsonFlag, codes_help, help_text
from config.i18n import _
from models.db import read_session, session_scope
from models.organs import Organ, User
from workflow.directory import (
    LETTER_FIELDS,
    add_organ,
    add_user,
    get_organ,
    set_password,
    update_letter_data,
    update_organ,
)
from workflow.errors import InvalidInput

organ_app = typer.Typer(help=help_text("Administrative bodies (organs)."), no_args_is_help=True)
user_app = typer.Typer(help=help_text("Caseworkers, supervisors and administrators."), no_args_is_help=True)


@organ_app.command("add", help=help_text("Add an organ, optionally under a parent (for a district roll-up)."))
def organ_add(
    code: str,
    name: Annotated[str, typer.Option("--name", help=help_text("The organ's full name."))],
    parent: Annotated[
        str | None, typer.Option("--parent", help=help_text("Code of the parent organ."))
    ] = None,
    json_: JsonFlag = False,
) -> None:
    with session_scope() as s:
        organ = add_organ(s, code=code, name=name, parent=parent)
        out = {"id": organ.id, "code": organ.code, "name": organ.name, "parent": parent}
    print_json(out) if json_ else console.print(_("organ {code} added", code=code))


@organ_app.command(
    "update",
    help=help_text(
        "Rename an organ, move it under another parent (its code stays: case refs carry it), "
        "or set what its documents print: short name, address, phone, remedy bodies, number "
        "pattern."
    ),
)
def organ_update(
    code: str,
    name: Annotated[str | None, typer.Option("--name", help=help_text("A new full name."))] = None,
    parent: Annotated[
        str | None, typer.Option("--parent", help=help_text("Code of the new parent organ (no loops)."))
    ] = None,
    no_parent: Annotated[
        bool, typer.Option("--no-parent", help=help_text("Make it a top-level organ (no parent)."))
    ] = False,
    short_name: Annotated[
        str | None,
        typer.Option(
            "--short-name", help=help_text("Short name, the prefix of document numbers (blank clears it).")
        ),
    ] = None,
    address: Annotated[
        str | None,
        typer.Option("--address", help=help_text("Postal address printed on documents (blank clears it).")),
    ] = None,
    phone: Annotated[
        str | None,
        typer.Option("--phone", help=help_text("Contact phone printed on documents (blank clears it).")),
    ] = None,
    reconsideration_body: Annotated[
        str | None,
        typer.Option(
            "--reconsideration-body", help=help_text("The body reviewing its decisions (blank clears it).")
        ),
    ] = None,
    court: Annotated[
        str | None,
        typer.Option(
            "--court", help=help_text("The court of first instance for its decisions (blank clears it).")
        ),
    ] = None,
    number_pattern: Annotated[
        str | None,
        typer.Option(
            "--number-pattern",
            help=help_text(
                "Document number pattern with the fields short, code, year and seq (blank clears it)."
            ),
        ),
    ] = None,
    json_: JsonFlag = False,
) -> None:
    if parent is not None and no_parent:
        raise InvalidInput("--parent and --no-parent exclude each other")
    letters = {
        "short_name": short_name,
        "address": address,
        "phone": phone,
        "reconsideration_body": reconsideration_body,
        "court": court,
        "number_pattern": number_pattern,
    }
    with session_scope() as s:
        current = get_organ(s, code)
        above = None if no_parent else parent or _parent_code(s, current.parent_id)
        update_organ(s, code, name=name, parent=above)
        organ = update_letter_data(s, code, letters)
        out = {
            "id": organ.id,
            "code": organ.code,
            "name": organ.name,
            "parent": above,
            **{k: getattr(organ, k) for k in LETTER_FIELDS},
        }
    print_json(out) if json_ else console.print(_("organ {code} updated", code=code))


def _parent_code(session: Session, parent_id: int | None) -> str | None:
    parent = session.get(Organ, parent_id) if parent_id is not None else None
    return parent.code if parent else None


@organ_app.command("list", help=help_text("List the organs."))
def organ_list(json_: JsonFlag = False) -> None:
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


@user_app.command("add", help=help_text("Add a user of an organ (an administrator may belong to none)."))
def user_add(
    name: str,
    role: Annotated[str, typer.Option("--role", help=codes_help("role"))],
    email: Annotated[str, typer.Option("--email")],
    organ: Annotated[
        str | None,
        typer.Option(
            "--organ", help=help_text("The organ the user works for; an administrator may have none.")
        ),
    ] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help=help_text("Read a web-admin password from stdin."))
    ] = False,
    json_: JsonFlag = False,
) -> None:
    password_hash = hash_password(_password_from_stdin()) if password_stdin else None
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
        _("user {name} ({role}, {organ}) added", name=name, role=label("role", user.role), organ=organ or "—")
    )


@user_app.command(
    "passwd",
    help=help_text(
        "Set or reset a user's web-admin password (asked twice; ends their sessions, lifts a lock)."
    ),
)
def user_passwd(
    name: str,
    password_stdin: Annotated[
        bool,
        typer.Option(
            "--password-stdin", help=help_text("Read the password from the first line of stdin (scripts).")
        ),
    ] = False,
    json_: JsonFlag = False,
) -> None:
    password = _password_from_stdin() if password_stdin else _password_prompted(name)
    password_hash = hash_password(password)  # argon2id; refuses a password shorter than 8
    with session_scope() as s:
        set_password(s, name, password_hash)
    out = {"name": name, "can_log_in": True}
    print_json(out) if json_ else console.print(_("password of {name} set", name=name))


def _password_from_stdin() -> str:
    password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise InvalidInput("--password-stdin: no password on standard input")
    return password


def _password_prompted(name: str) -> str:
    """Asked twice, hidden; two different answers are refused (nothing is written)."""
    first = typer.prompt(_("New password for {name}", name=name), hide_input=True, err=True)
    again = typer.prompt(_("Repeat the password"), hide_input=True, err=True)
    if first != again:
        raise InvalidInput("the two passwords differ; nothing was changed")
    return str(first)


@user_app.command("list", help=help_text("List the users."))
def user_list(json_: JsonFlag = False) -> None:
    with read_session() as s:
        organs = {o.id: o.code for o in s.exec(select(Organ))}
        rows = [
            {
                "name": u.name,
                "organ": organs.get(u.organ_id) if u.organ_id is not None else None,
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
            str(r["organ"] or "—"),
            label("role", str(r["role"])),
            str(r["email"]),
            _("yes") if r["active"] else _("no"),
        )
    console.print(table)
