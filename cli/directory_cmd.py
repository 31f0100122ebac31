"""`ogi organ` and `ogi user`: the bodies and the people who work there."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.table import Table
from sqlmodel import Session, col, select

from accounts.passwords import hash_password
from cli.output import console, print_json
from cli.params import JsonFlag
from config.i18n import _
from models.db import read_session, session_scope
from models.organs import Organ, User
from workflow.directory import add_organ, add_user, get_organ, set_password, update_organ
from workflow.errors import InvalidInput

organ_app = typer.Typer(help="Administrative bodies (organs).", no_args_is_help=True)
user_app = typer.Typer(help="Caseworkers, supervisors and administrators.", no_args_is_help=True)


@organ_app.command("add")
def organ_add(
    code: str,
    name: Annotated[str, typer.Option("--name", help="The organ's full name.")],
    parent: Annotated[str | None, typer.Option("--parent", help="Code of the parent organ.")] = None,
    json_: JsonFlag = False,
) -> None:
    """Add an organ, optionally under a parent (for a district roll-up)."""
    with session_scope() as s:
        organ = add_organ(s, code=code, name=name, parent=parent)
        out = {"id": organ.id, "code": organ.code, "name": organ.name, "parent": parent}
    print_json(out) if json_ else console.print(f"organ {code} added")


@organ_app.command("update")
def organ_update(
    code: str,
    name: Annotated[str | None, typer.Option("--name", help="A new full name.")] = None,
    parent: Annotated[
        str | None, typer.Option("--parent", help="Code of the new parent organ (no loops).")
    ] = None,
    no_parent: Annotated[
        bool, typer.Option("--no-parent", help="Make it a top-level organ (no parent).")
    ] = False,
    json_: JsonFlag = False,
) -> None:
    """Rename an organ or move it under another parent; its code stays (case refs carry it)."""
    if parent is not None and no_parent:
        raise InvalidInput(_("--parent and --no-parent exclude each other"))
    with session_scope() as s:
        current = get_organ(s, code)
        above = None if no_parent else parent or _parent_code(s, current.parent_id)
        organ = update_organ(s, code, name=name, parent=above)
        out = {"id": organ.id, "code": organ.code, "name": organ.name, "parent": above}
    print_json(out) if json_ else console.print(_("organ {code} updated", code=code))


def _parent_code(session: Session, parent_id: int | None) -> str | None:
    parent = session.get(Organ, parent_id) if parent_id is not None else None
    return parent.code if parent else None


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
    table = Table("代码", "名称", "上级")
    for r in rows:
        table.add_row(r["code"], r["name"], r["parent"] or "")
    console.print(table)


@user_app.command("add")
def user_add(
    name: str,
    role: Annotated[str, typer.Option("--role", help="caseworker, supervisor or admin")],
    email: Annotated[str, typer.Option("--email")],
    organ: Annotated[
        str | None,
        typer.Option("--organ", help="The organ the user works for; an administrator may have none."),
    ] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read a web-admin password from stdin.")
    ] = False,
    json_: JsonFlag = False,
) -> None:
    """Add a user of an organ (an administrator may belong to none)."""
    password_hash = hash_password(_password_from_stdin()) if password_stdin else None
    with session_scope() as s:
        user = add_user(s, name=name, organ=organ, role=role, email=email, password_hash=password_hash)
        out = {
            "id": user.id,
            "name": user.name,
            "organ": organ,
            "role": role,
            "email": email,
            "can_log_in": password_hash is not None,
        }
    print_json(out) if json_ else console.print(f"user {name} ({role}, {organ or '—'}) added")


@user_app.command("passwd")
def user_passwd(
    name: str,
    password_stdin: Annotated[
        bool,
        typer.Option("--password-stdin", help="Read the password from the first line of stdin (scripts)."),
    ] = False,
    json_: JsonFlag = False,
) -> None:
    """Set or reset a user's web-admin password (asked twice; ends their sessions, lifts a lock)."""
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
        raise InvalidInput(_("the two passwords differ; nothing was changed"))
    return str(first)


@user_app.command("list")
def user_list(json_: JsonFlag = False) -> None:
    """List the users."""
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
    table = Table("姓名", "机关", "角色", "邮箱", "启用")
    for r in rows:
        table.add_row(
            str(r["name"]),
            str(r["organ"] or "—"),
            str(r["role"]),
            str(r["email"]),
            "是" if r["active"] else "否",
        )
    console.print(table)
