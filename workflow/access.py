"""Who is acting, and what their role and organ allow. Every door passes an `Actor` to the services."""

from __future__ import annotations

import getpass
from dataclasses import dataclass

from sqlmodel import Session

from codes import Role
from codes.labels import Coded, CodeList
from models.organs import Organ, User
from workflow.directory import get_organ, get_user, unknown_organ, unknown_user
from workflow.errors import PermissionDenied, Phrase


@dataclass(frozen=True)
class Actor:
    """The name recorded in the history, and the user behind it when there is one.

    With no user (the system, an import, the operator at the shell without --as) the organ and
    role rules do not apply: they protect the web admin and named users. The operator is recorded
    as `operator:<os user>`, never as a bare name that could be mistaken for a user.
    """

    name: str
    user: User | None = None

    @property
    def role(self) -> str | None:
        return self.user.role if self.user else None

    def can_see(self, organ_id: int | None) -> bool:
        """Whether the organ's cases, reports and appeals exist for this actor at all (None: what
        belongs to no organ, such as an administrator without one, which only administrators see)."""
        u = self.user
        return u is None or u.role == Role.admin or (organ_id is not None and u.organ_id == organ_id)

    def sees_identity_numbers(self, organ_id: int | None) -> bool:
        """Whether the identity numbers of the organ's applicants are shown to this actor in full
        (DESIGN §12: the organ's own users, and the operator, who holds the data key); everyone
        else reads them masked, administrators of other organs too."""
        u = self.user
        return u is None or (organ_id is not None and u.organ_id == organ_id)

    def require_organ(self, organ_id: int, *, action: Phrase) -> None:
        u = self.user
        if u is None or self.can_see(organ_id):
            return
        raise PermissionDenied(
            "{name} may not {action}: the case belongs to another organ", name=u.name, action=action
        )

    def require_role(self, *roles: Role, action: Phrase) -> None:
        u = self.user
        if u is None or u.role == Role.admin or u.role in roles:
            return
        raise PermissionDenied(
            "{name} ({role}) may not {action}: needs {choices}",
            name=u.name,
            role=Coded("role", u.role),
            action=action,
            choices=RoleList(roles),
        )


SYSTEM = Actor("system")


def visible_user(session: Session, name: str, actor: Actor) -> User:
    """A user the actor may see (one of their organ's, or anyone for an administrator); another
    organ's user answers exactly as an unknown name does."""
    user = get_user(session, name)
    if not actor.can_see(user.organ_id):
        raise unknown_user(name)
    return user


def visible_organ(session: Session, code: str, actor: Actor) -> Organ:
    """An organ the actor may see. One they may not see answers exactly as a missing one does, so a
    refusal never tells whether another organ exists."""
    organ = get_organ(session, code)
    assert organ.id is not None
    if not actor.can_see(organ.id):
        raise unknown_organ(code)
    return organ


OPERATOR_PREFIX = "operator:"


def operator() -> Actor:
    """Whoever runs the CLI without naming a user: the person who runs the server and holds the
    database credentials. They act with an administrator's reach (no organ or role rule can bind
    someone who can write to the database directly), and every history entry and seal says so."""
    return Actor(OPERATOR_PREFIX + getpass.getuser())


def is_operator(actor_name: str) -> bool:
    return actor_name.startswith(OPERATOR_PREFIX)


def RoleList(roles: tuple[Role, ...]) -> CodeList:
    """The roles a refusal says are needed, each by its label only (a code beside its label would
    read 「supervisor（负责人）」 in Chinese and "supervisor (supervisor)" in English)."""
    return CodeList("role", tuple(roles))


def actor_for(session: Session, as_user: str | None) -> Actor:
    """A named user (`--as` or OGI_USER) under that user's role and organ rules, or the operator."""
    if as_user is None or not as_user.strip():
        return operator()
    user = get_user(session, as_user)
    if not user.active:
        raise PermissionDenied("user {as_user!r} is deactivated", as_user=as_user)
    return Actor(user.name, user)
