"""What the web benchmarks share: caseworkers who can log in, a logged-in client, the search terms.

The generated directory (benchmarks.generate) has two caseworkers and a supervisor per organ but no
passwords; `enable_logins` gives the caseworkers and one administrator a password (hashed once), so
the benchmarks log in through the login form as a person would.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from typing import Any

from sqlmodel import col, func, select

from accounts.passwords import hash_password
from benchmarks.generate import ORGANS, PARENT, caseworkers
from models.cases import Case
from models.db import read_session, session_scope
from models.organs import User
from workflow.directory import add_user, get_organ

PASSWORD = "bench-password-not-secret"
ADMIN = "bench-admin"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
ORGAN = ORGANS[0][0]  # the largest body: its caseworkers see ~13% of all cases
WORKER = caseworkers(ORGAN)[0]


def enable_logins() -> list[str]:
    """Passwords for every caseworker and an administrator of the district; returns the caseworkers."""
    digest = hash_password(PASSWORD)
    names = [w for code, _ in ORGANS for w in caseworkers(code)]
    with session_scope() as s:
        if s.exec(select(User).where(User.name == ADMIN)).first() is None:
            add_user(s, name=ADMIN, organ=PARENT, role="admin", email=f"{ADMIN}@example.org")
        for user in s.exec(select(User).where(col(User.name).in_([*names, ADMIN]))):
            user.password_hash = digest
            s.add(user)
    return names


def token_of(html: str) -> str:
    match = TOKEN.search(html)
    if match is None:
        raise RuntimeError("no CSRF token on the page")
    return match.group(1)


def logged_in_client(name: str) -> Any:
    """A TestClient of the app (in this process, on the configured database), logged in as `name`."""
    from admin.app import create_app

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient
    client = TestClient(create_app(), follow_redirects=False)
    form = {
        "name": name,
        "password": PASSWORD,
        "next": "/",
        "csrf_token": token_of(client.get("/login").text),
    }
    answer = client.post("/login", data=form)
    if answer.status_code != 303:
        raise RuntimeError(f"{name} could not log in: HTTP {answer.status_code}")
    return client


@dataclass(frozen=True)
class Term:
    kind: str  # what the query is, as the results name it
    query: str


def search_terms() -> list[Term]:
    """Queries an office types, taken from the largest body's data (WORKER's): a full name, a ref's
    start, a phrase of requests, a surname, and a word no case holds."""
    with read_session() as s:
        organ = get_organ(s, ORGAN)
        recent = s.exec(
            select(Case.applicant, Case.ref)
            .where(Case.applicant_type == "natural_person", Case.organ_id == organ.id)
            .order_by(col(Case.id).desc())
            .limit(1)
        ).one()
        rows = s.exec(select(func.count()).select_from(Case)).one()
    name, ref = recent
    return [
        Term("full name", name),
        Term("ref prefix", ref[: len(ref) - 2]),
        Term("request phrase", "加装电梯"),
        Term("surname", name[0]),
        Term("no match", "不存在的词语" if rows else "x"),
    ]
