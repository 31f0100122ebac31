"""Organs and users: adding them and finding them by the names people type."""

from __future__ import annotations

import re
import string
from collections.abc import Mapping

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from codes import OPEN_STATES, Role
from codes.labels import Coded
from config.i18n import _
from models.cases import Case
from models.organs import Organ, User
from workflow.code_input import parse_code
from workflow.errors import InvalidInput, NotFound, Phrase, RuleViolation
from workflow.text import NAME, PERSON, TextKind, clean_optional, clean_text

_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
# no white space or control characters (PostgreSQL refuses NUL); at most the column's 254
_EMAIL = re.compile(r"[^@\s\x00-\x1f\x7f]{1,200}@[^@\s\x00-\x1f\x7f]{1,253}")


def _lookable(key: str) -> bool:
    """Whether a typed code or name can be looked up at all (PostgreSQL refuses NUL in a parameter;
    nothing longer than its column can match)."""
    return isinstance(key, str) and len(key) <= 200 and "\x00" not in key


def unknown_organ(code: str) -> NotFound:
    return NotFound("unknown organ {code!r}", code=code)


def get_organ(session: Session, code: str) -> Organ:
    organ = session.exec(select(Organ).where(Organ.code == code)).first() if _lookable(code) else None
    if organ is None:
        raise unknown_organ(code)
    return organ


def unknown_user(name: str) -> NotFound:
    return NotFound("unknown user {name!r}", name=name)


def find_user(session: Session, name: str) -> User | None:
    """The user of this name, or None (also for a name no user can have, such as one with NUL)."""
    return session.exec(select(User).where(User.name == name)).first() if _lookable(name) else None


def get_user(session: Session, name: str) -> User:
    user = find_user(session, name)
    if user is None:
        raise unknown_user(name)
    return user


def add_organ(session: Session, *, code: str, name: str, parent: str | None = None) -> Organ:
    if not _CODE.fullmatch(code):
        raise InvalidInput(
            "organ code {code!r}: use letters, digits, '-', '_' or '.' (at most 64)", code=code
        )
    name = clean_text(name, NAME, "organ name")
    parent_id = get_organ(session, parent).id if parent else None
    if session.exec(select(Organ).where(Organ.code == code)).first():
        raise RuleViolation("organ {code!r} already exists", code=code)
    organ = Organ(code=code, name=name, parent_id=parent_id)
    session.add(organ)
    session.flush()
    return organ


def _organ_of(session: Session, organ: str | None, role: str) -> int | None:
    """The id of the organ a user works for; None only for an administrator, who may serve no one
    organ (the first administrator is made before any organ exists)."""
    if not organ:
        if role != Role.admin:
            raise InvalidInput(
                "--organ: a {role} works for an organ; only an administrator may have none",
                role=Coded("role", role),
            )
        return None
    return get_organ(session, organ).id


def add_user(
    session: Session,
    *,
    name: str,
    organ: str | None,
    role: str,
    email: str,
    password_hash: str | None = None,
) -> User:
    """A new user; `organ` may be None for an administrator only."""
    name = clean_text(name, PERSON, "user name")
    role = parse_code("role", role, where="role")
    if not _EMAIL.fullmatch(email) or len(email) > 254:
        raise InvalidInput("email {email!r} is not an address", email=email)
    organ_id = _organ_of(session, organ, role)
    if session.exec(select(User).where(User.name == name)).first():
        raise RuleViolation("user {name!r} already exists", name=name)
    user = User(name=name, organ_id=organ_id, role=role, email=email, password_hash=password_hash)
    session.add(user)
    try:
        session.flush()
    except IntegrityError:
        raise RuleViolation("user {name!r} already exists", name=name) from None
    return user


def update_organ(session: Session, code: str, *, name: str | None, parent: str | None) -> Organ:
    """Rename an organ (None keeps its name) or move it under another parent (None: to the top).
    Its code is fixed: case refs carry it. A parent at or below the organ is refused (no loops)."""
    organ = get_organ(session, code)
    assert organ.id is not None
    name = organ.name if name is None else clean_text(name, NAME, "organ name")
    parent_id = None
    if parent:
        above = get_organ(session, parent)
        if above.id in subtree_ids(session, organ.id):
            raise RuleViolation(
                "organ {code}: {parent!r} is {code} itself or below it; the hierarchy cannot loop",
                code=code,
                parent=parent,
            )
        parent_id = above.id
    organ.name, organ.parent_id = name, parent_id
    session.add(organ)
    session.flush()
    return organ


LETTER_FIELDS: dict[str, TextKind] = {
    "short_name": TextKind(Phrase("a short name"), 50),
    "address": TextKind(Phrase("an address"), 300),
    "phone": TextKind(Phrase("a phone number"), 50),
    "reconsideration_body": NAME,
    "court": NAME,
    "number_pattern": TextKind(Phrase("a number pattern"), 100),
}
NUMBER_PATTERN_FIELDS = frozenset({"short", "code", "year", "seq"})


def number_pattern_problem(pattern: str) -> str | None:
    """What is wrong with a document number pattern, or None: it must use {year} and {seq}, and no
    field other than {short}, {code}, {year} and {seq}."""
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(pattern) if name is not None}
    except ValueError as e:
        return str(e)
    unknown = names - NUMBER_PATTERN_FIELDS
    if unknown:
        return _(
            "has the unknown field {field} (use {{short}}, {{code}}, {{year}}, {{seq}})",
            field="{" + sorted(unknown)[0] + "}",
        )
    if not {"seq", "year"} <= names:
        return _("must contain {year} and {seq}", year="{year}", seq="{seq}")
    return None


def update_letter_data(session: Session, code: str, changes: Mapping[str, str | None]) -> Organ:
    """Set what the organ's documents print (DESIGN §11): the given fields only; blank clears one."""
    organ = get_organ(session, code)
    for name, value in changes.items():
        if name not in LETTER_FIELDS:
            raise InvalidInput("organ {code}: unknown field {name!r}", code=code, name=name)
        if value is None:
            continue
        text = clean_optional(value, LETTER_FIELDS[name], name.replace("_", "-"))
        if name == "number_pattern" and text is not None and (problem := number_pattern_problem(text)):
            raise InvalidInput(
                "organ {code}: number-pattern {pattern!r} {problem}",
                code=code,
                pattern=text,
                problem=problem,
            )
        setattr(organ, name, text)
    session.add(organ)
    session.flush()
    return organ


def update_user(
    session: Session,
    name: str,
    *,
    organ: str | None,
    role: str,
    email: str,
    active: bool,
    password_hash: str | None = None,
) -> User:
    """Change a user's organ (None: an administrator serving no one organ), role, email or status;
    a new password hash when one is given."""
    user = get_user(session, name)
    role = parse_code("role", role, where="role")
    if not _EMAIL.fullmatch(email) or len(email) > 254:
        raise InvalidInput("email {email!r} is not an address", email=email)
    organ_id = _organ_of(session, organ, role)
    if organ_id != user.organ_id:
        # an open case's assignee must work for the case's organ (service.check_assignee)
        open_cases = session.exec(
            select(func.count())
            .select_from(Case)
            .where(Case.assignee_id == user.id, col(Case.state).in_(OPEN_STATES))
        ).one()
        if open_cases:
            raise RuleViolation(
                "user {name!r} is the assignee of {open_cases} open case(s); reassign them before moving "
                "the user to another organ",
                name=name,
                open_cases=open_cases,
            )
    user.organ_id, user.role, user.email, user.active = organ_id, role, email, active
    if password_hash is not None:
        _new_password(user, password_hash)
    session.add(user)
    session.flush()
    return user


def _new_password(user: User, password_hash: str) -> None:
    user.password_hash = password_hash
    user.failed_logins, user.locked_until = 0, None  # a new password lifts a login lock


def set_password(session: Session, name: str, password_hash: str) -> User:
    """Set or reset a user's web password (an argon2 hash, accounts.passwords). The sessions opened
    under the old password end with it (admin.auth compares a stamp of the hash); a lock is lifted."""
    user = get_user(session, name)
    _new_password(user, password_hash)
    session.add(user)
    session.flush()
    return user


def subtree_ids(session: Session, organ_id: int) -> list[int]:
    """The organ and all its descendants (for a district roll-up)."""
    children: dict[int | None, list[int]] = {}
    for oid, parent in session.exec(select(Organ.id, Organ.parent_id)):
        assert oid is not None
        children.setdefault(parent, []).append(oid)
    out, todo = [], [organ_id]
    while todo:
        oid = todo.pop()
        out.append(oid)
        todo.extend(children.get(oid, []))
    return sorted(out)
