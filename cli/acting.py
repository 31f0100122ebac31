"""Who a command acts as, checked before it runs: `--as` where a command has no such option, and an
`OGI_USER` that names nobody, are each one line, never a usage box or a silently ignored name."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import typer

from config.i18n import _
from models.db import read_session
from workflow.directory import find_user
from workflow.errors import NotFound, PermissionDenied

AS_OPTION = "--as"
# commands that run before any user can exist, or that name no user (the first install, the key,
# the server, the demo's own people)
_NO_USER = frozenset({"db", "secret", "serve", "demo"})
# typer vendors click in recent versions: find its UsageError through a public class, not a path
USAGE_ERROR: type[Exception] = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "UsageError")


def takes_as(command: Any) -> bool:
    return any(AS_OPTION in getattr(p, "opts", ()) for p in getattr(command, "params", ()))


def commands_taking_as(group: Any, prefix: str = "") -> Iterator[str]:
    """`case advance`, `year close`, … : every command with an `--as` option, in the help's order."""
    for name, command in getattr(group, "commands", {}).items():
        path = f"{prefix}{name}"
        if getattr(command, "commands", None):
            yield from commands_taking_as(command, f"{path} ")
        elif takes_as(command):
            yield path


def is_as_refused(error: BaseException) -> bool:
    """Whether a usage error is `--as` given to a command that has no such option."""
    return isinstance(error, USAGE_ERROR) and getattr(error, "option_name", None) == AS_OPTION


def as_refused_line(group: Any, command_path: str) -> str:
    """One line: the command has no `--as` (or it came before any command), and which ones have it."""
    if not command_path:
        return _(
            "--as: give it after the command; the commands that take it: {commands}",
            commands=", ".join(commands_taking_as(group)),
        )
    return _(
        "--as: `{command}` does not act as a user; the commands that do: {commands}",
        command=("ogi " + command_path).strip(),
        commands=", ".join(commands_taking_as(group)),
    )


def check_named_user(top: str, leaf: Any, args: list[str]) -> None:
    """Refuse an `OGI_USER` that names no active user, for a command that would otherwise ignore it
    (a command with `--as` checks the name itself, through workflow.access.actor_for)."""
    name = os.environ.get("OGI_USER", "").strip()
    if not name or top in _NO_USER or takes_as(leaf) or "--help" in args:
        return
    with read_session() as s:
        user = find_user(s, name)
    if user is None:
        raise NotFound("OGI_USER: unknown user {name!r}; unset OGI_USER to act as the operator", name=name)
    if not user.active:
        raise PermissionDenied("OGI_USER: user {name!r} is deactivated", name=name)


def leaf_command(ctx: Any, top: Any, args: list[str]) -> tuple[Any, str]:
    """The command a group's arguments name (`case list` → list) and its path, or the group itself."""
    if getattr(top, "commands", None) and args and not args[0].startswith("-"):
        leaf = top.get_command(ctx, args[0])
        if leaf is not None:
            return leaf, args[0]
    return top, ""
