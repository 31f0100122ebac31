"""The engine and the session scope. Only service code opens transactions."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import event, make_url
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import configure_mappers
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.instrumentation import manager_of_class
from sqlmodel import Session, create_engine

from config.settings import ConfigError, Problem, get_settings

T = TypeVar("T")


class NoDatabaseFile(sqlite3.OperationalError):
    """The SQLite file a command would read does not exist (a door says so in the reader's
    language and names the command that creates it; the text here is for a log)."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"no database file {path}")
        self.path = path


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL (None for another database, or an in-memory one)."""
    parsed = make_url(url)
    if not parsed.drivername.startswith("sqlite") or parsed.database in (None, "", ":memory:"):
        return None
    return None if parsed.database.startswith("file:") else Path(parsed.database)


def create_sqlite_file(url: str) -> None:
    """Create an empty SQLite file for the migration to fill: the only place one is created."""
    path = sqlite_file(url)
    if path is not None and not path.exists():
        try:
            sqlite3.connect(path).close()
        except sqlite3.Error as e:  # no such folder, no permission: the setting names a file we cannot make
            why = Problem("cannot create the SQLite file {path} ({why})", path=str(path), why=str(e))
            raise ConfigError(
                Problem("{variable}: {problem}", variable="OGI_DATABASE_URL", problem=why)
            ) from None


def _refuse_missing_file(path: Path) -> Any:
    def check(*_args: Any) -> None:
        # sqlite3 would create an empty file, which a refused command would then leave behind
        if not path.exists():
            raise NoDatabaseFile(path)

    return check


@lru_cache(maxsize=8)
def engine_for(url: str) -> Engine:
    if url.startswith("sqlite"):
        eng = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        path = sqlite_file(url)
        if path is not None:
            event.listen(eng, "do_connect", _refuse_missing_file(path))
        event.listen(eng, "connect", _sqlite_pragmas)
        event.listen(eng, "begin", _sqlite_begin)
        return eng
    eng = create_engine(url)
    event.listen(eng.pool, "checkout", _ping_if_idle)
    event.listen(eng.pool, "checkin", _note_checkin)
    return eng


# A pooled connection idle longer than this is pinged before use (the server may have restarted or
# dropped it). SQLAlchemy's pool_pre_ping pings on every checkout: one more round trip per
# transaction, a fifth of an event's time on a busy connection that cannot have gone stale.
IDLE_BEFORE_PING = 10.0


def _note_checkin(_dbapi_conn: Any, record: Any) -> None:
    record.info["idle_since"] = time.monotonic()


def _ping_if_idle(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
    since = record.info.get("idle_since")
    if since is None or time.monotonic() - since < IDLE_BEFORE_PING:
        return
    try:
        with dbapi_conn.cursor() as cur:
            cur.execute("SELECT 1")
        dbapi_conn.rollback()
    except Exception as e:  # any failure: let the pool discard it and connect afresh
        raise DisconnectionError(f"stale pooled connection: {e}") from e


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # let SQLAlchemy issue BEGIN itself (see _sqlite_begin_immediate)
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    # WAL lets readers (the admin, a report) run while a writer holds the lock
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def _sqlite_begin(conn: Any) -> None:
    # A writing transaction takes the write lock at BEGIN: a deferred one that reads and then writes
    # fails with "database is locked" instead of waiting for the other writer. Read-only sessions
    # (read_engine) begin deferred, so they neither wait for nor block a writer (WAL).
    readonly = conn.get_execution_options().get("readonly", False)
    conn.exec_driver_sql("BEGIN" if readonly else "BEGIN IMMEDIATE")


def get_engine() -> Engine:
    return engine_for(get_settings().database_url)


def read_engine() -> Engine:
    """The engine for sessions that only read (calendar loading, reports, listings)."""
    return get_engine().execution_options(readonly=True)


@contextmanager
def read_session() -> Iterator[Session]:
    with Session(read_engine(), expire_on_commit=False) as session:
        yield session


@contextmanager
def session_scope() -> Iterator[Session]:
    """One transaction: commits when the block ends normally, rolls back on any exception."""
    with Session(get_engine(), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


@contextmanager
def trial_session() -> Iterator[Session]:
    """One transaction that is always rolled back: a dry run sees its own writes, keeps none."""
    with Session(get_engine(), expire_on_commit=False) as session:
        try:
            yield session
        finally:
            session.rollback()


def is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def detached(model: type[T], values: Mapping[Any, Any]) -> T:
    """A detached instance of a table model holding a row read with Core, as the ORM's loader
    builds one (no __init__, no validation: the values come from the table). A hot path reads
    with Core and still hands callers a model; the ORM's loading machinery cost an event more
    than the row's round trip (profile: benchmarks/bench_transitions.py)."""
    configure_mappers()  # a no-op once the mappers are set up; the loader relies on them
    obj = manager_of_class(model).new_instance()
    for column in model.__table__.columns:  # type: ignore[attr-defined]
        set_committed_value(obj, column.name, values[column.name])
    return obj
