"""Throwaway databases for the benchmarks: PostgreSQL ones named `ogi_bench_<run>_<what>`, SQLite files.

One migrated and seeded PostgreSQL template is made per run; every benchmark database is a copy
of it (CREATE DATABASE … TEMPLATE), which is much faster than migrating each. Everything is
dropped when the run ends, also when it fails. The benchmarks never touch any other database.
"""

from __future__ import annotations

import json
import os
import secrets
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

from benchmarks.generate import Tally
from config.settings import get_settings
from models.db import engine_for
from workflow.calendar import reset_default_calendar

ADMIN_URL = os.environ.get("OGI_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
PREFIX = "ogi_bench_"


def use_database(url: str) -> None:
    """Point the engine (settings, engine cache, calendar cache) at `url` for what follows."""
    os.environ["OGI_DATABASE_URL"] = url
    get_settings.cache_clear()
    reset_default_calendar()


def migrate_and_seed(url: str) -> None:
    from workflow.recompute import upgrade_database

    use_database(url)
    upgrade_database()


def url_of(name: str) -> str:
    return ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


class Postgres:
    """The run's databases on the PostgreSQL server of ADMIN_URL."""

    def __init__(self) -> None:
        self.run = secrets.token_hex(3)
        self.admin: Engine = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
        self.template: str | None = None
        self.made: list[str] = []

    def available(self) -> str | None:
        """None when the server answers, else why not."""
        try:
            with self.admin.connect() as c:
                c.execute(text("select 1"))
        except Exception as e:  # any failure to connect means "not here"
            return str(e).splitlines()[0]
        return None

    def _create(self, name: str, template: str | None = None) -> str:
        with self.admin.connect() as c:
            c.execute(text(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")))
        self.made.append(name)
        return url_of(name)

    def new(self, what: str) -> str:
        """A fresh migrated and seeded database; returns its URL."""
        if self.template is None:
            name = f"{PREFIX}{self.run}_template"
            url = self._create(name)
            migrate_and_seed(url)
            engine_for(url).dispose()  # a template must have no connections when it is copied
            self.template = name
        return self._create(f"{PREFIX}{self.run}_{what}", self.template)

    def kept(self, what: str) -> tuple[str, Tally] | None:
        """A set an earlier run kept complete under `what` (its tally in the database's comment)."""
        name = f"{PREFIX}kept_{what}"
        with self.admin.connect() as c:
            comment = c.execute(
                text("select shobj_description(oid, 'pg_database') from pg_database where datname = :n"),
                {"n": name},
            ).scalar()
            if comment is None:  # absent, or a generation that did not finish: start again
                c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                return None
        return url_of(name), Tally(**json.loads(comment))

    def new_kept(self, what: str) -> str:
        """A fresh database kept after the run (see `mark_complete`)."""
        url = self.new(f"kept_{what}")
        name = url.rsplit("/", 1)[1]
        with self.admin.connect() as c:
            c.execute(text(f'ALTER DATABASE "{name}" RENAME TO "{PREFIX}kept_{what}"'))
        self.made.remove(name)
        return url_of(f"{PREFIX}kept_{what}")

    def mark_complete(self, url: str, tally: dict[str, object]) -> None:
        name = url.rsplit("/", 1)[1]
        with self.admin.connect() as c:
            c.execute(text(f"COMMENT ON DATABASE \"{name}\" IS '{json.dumps(tally)}'"))

    def release(self, url: str) -> None:
        """Let go of a kept database's connections, leaving it on the server."""
        engine_for(url).dispose()

    def drop(self, url: str) -> None:
        name = url.rsplit("/", 1)[1]
        engine_for(url).dispose()
        with self.admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        if name in self.made:
            self.made.remove(name)

    def close(self) -> None:
        for name in reversed(list(self.made)):
            self.drop(url_of(name))
        self.admin.dispose()

    @contextmanager
    def database(self, what: str) -> Iterator[str]:
        url = self.new(what)
        try:
            yield url
        finally:
            self.drop(url)


@contextmanager
def sqlite_database() -> Iterator[str]:
    """A migrated and seeded SQLite file in a temporary folder, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="ogi_bench_") as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        migrate_and_seed(url)
        try:
            yield url
        finally:
            engine_for(url).dispose()


def vacuum_analyze(
    url: str, tables: tuple[str, ...] = ("case", "case_event", "appeal", "outbox_message")
) -> None:
    """What autovacuum does after a bulk load: fresh planner statistics and visibility maps."""
    eng = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with eng.connect() as c:
            for t in tables:
                c.execute(text(f'VACUUM ANALYZE "{t}"'))
    finally:
        eng.dispose()
