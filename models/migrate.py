"""Schema migrations (Alembic), driven from code so `ogi db upgrade` needs no alembic.ini.

Alembic is imported by the functions that use it: at module level it added about 75 ms (of 1.2 s,
`python -X importtime`) to the start of every `ogi` command, most of which never migrate."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from config.settings import get_settings
from models.db import create_sqlite_file, get_engine, sqlite_file

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def upgrade(revision: str = "head") -> tuple[str | None, str]:
    """Create or migrate the configured database; returns (revision before, revision after)."""
    from alembic import command
    from alembic.runtime.migration import MigrationContext

    cfg = alembic_config()
    create_sqlite_file(get_settings().database_url)
    engine = get_engine()
    with engine.begin() as conn:
        before = MigrationContext.configure(conn).get_current_revision()
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
    return before, head()


def head() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current() -> str | None:
    from alembic.runtime.migration import MigrationContext

    path = sqlite_file(get_settings().database_url)
    if path is not None and not path.exists():
        return None  # no database yet (and none created by asking)
    with get_engine().connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()
