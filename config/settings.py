"""One settings class, read from the environment (prefix ``OGI_``) and ``.env``."""

from __future__ import annotations

import base64
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from config.i18n import N_

_DEV_SECRET = "development-only-secret"
DEV_HOSTS = ("127.0.0.1", "localhost", "::1", "testserver")
_PREFIX = "OGI_"
# the database drivers the product ships (psycopg 3 for PostgreSQL)
_DATABASE_SCHEMES = ("sqlite", "postgresql+psycopg")
# settings whose value may hold a password: an error never repeats them
_SECRET = frozenset({"database_url", "broker_url", "smtp_url", "secret_key", "data_key", "data_key_previous"})
DATA_KEY_BYTES = 32  # AES-256-GCM


class Problem(ValueError):
    """What is wrong with a setting: a catalog message and its parameters (``config.i18n`` renders it
    in the reader's language, like a refusal). Settings cannot translate it themselves: the language
    may be the very setting that is wrong. A validator raises it; ``str()`` is the English text."""

    def __init__(self, message: str, /, **params: object) -> None:
        self.message = message
        self.params = params
        super().__init__(message)

    def __str__(self) -> str:
        return (
            self.message.format(**{k: str(v) for k, v in self.params.items()})
            if self.params
            else self.message
        )


class ConfigError(ValueError):
    """Settings that cannot be used: each problem names its variable (all in one line)."""

    def __init__(self, *problems: Problem) -> None:
        self.problems = problems
        super().__init__(str(self))

    def localized(self, language: str) -> str:
        from config.i18n import render

        return ("；" if language == "zh" else "; ").join(render(p, language) for p in self.problems)

    def __str__(self) -> str:
        return "; ".join(str(p) for p in self.problems)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=_PREFIX, env_file=".env", extra="ignore")

    environment: Literal["development", "production"] = "development"
    database_url: str = "sqlite:///ogi.db"
    broker_url: str | None = None
    smtp_url: str | None = None
    mail_from: str = "ogi@localhost"
    timezone: str = "Asia/Shanghai"
    # the language every sentence is written in (DESIGN §14): Simplified Chinese, or English
    lang: Literal["zh", "en"] = "zh"
    # where .eml files go when no SMTP server is configured
    outbox_dir: Path = Path("outbox")
    secret_key: str = _DEV_SECRET
    # encrypts applicants' identity numbers at rest (DESIGN §12): 32 bytes, URL-safe base64 (`ogi keys
    # generate`); without it, development keeps one in a file beside the SQLite database
    data_key: str | None = None
    # keys being rotated away from (`ogi keys rotate`), comma-separated: still read, never written
    data_key_previous: Annotated[tuple[str, ...], NoDecode] = ()
    # 按量 fees counted over the applicant's calendar month instead of per application (109号 is
    # read both ways; per application is the default)
    fee_pages_per_month: bool = False

    # statutory defaults (DESIGN §3)
    correction_days: int = Field(15, ge=1, le=60)
    fee_days: int = Field(20, ge=1, le=60)

    # deadline enforcement (DESIGN §7)
    sweep_interval: int = Field(300, ge=1)
    reminder_offsets: Annotated[tuple[int, ...], NoDecode] = (5, 2, 0)
    # None: lapsing a correction or fee stays the caseworker's decision
    auto_lapse_grace_days: int | None = Field(None, ge=0)
    digest_hour: int = Field(8, ge=0, le=23)
    # an issued document not served after this many working days shows in the digest and on the dashboard
    unserved_document_workdays: int = Field(5, ge=1, le=60)
    report_build_day: int = Field(2, ge=1, le=31)  # day of January the year's reports are built
    year_close_day: int = Field(20, ge=1, le=31)  # day of January the year is closed (report due 31 Jan)
    smtp_max_retries: int = Field(8, ge=0)
    # seconds before the first retry of a failed send; the n-th retry waits base·2^(n-1), capped at an hour
    smtp_retry_base: float = Field(30.0, gt=0)
    # web login: this many wrong passwords in a row lock the account for the given minutes
    login_max_failures: int = Field(5, ge=1)
    login_lock_minutes: int = Field(15, ge=1)
    # and this many wrong passwords from one client address within that many minutes refuse the address
    login_max_failures_per_address: int = Field(20, ge=1)
    # the Host names the web admin answers to (a request naming another host is refused: pages build
    # absolute URLs from it, and DNS rebinding needs it); required in production
    allowed_hosts: Annotated[tuple[str, ...], NoDecode] = ()

    @field_validator("reminder_offsets", mode="before")
    @classmethod
    def _offsets(cls, v: object) -> object:
        if isinstance(v, str):
            try:
                v = [int(x) for x in v.replace(",", " ").split()]
            except ValueError:
                raise Problem(
                    "expected whole numbers of working days such as 5,2,0, got {value!r}", value=v
                ) from None
        return tuple(sorted({int(x) for x in v}, reverse=True)) if isinstance(v, list | tuple) else v

    @field_validator("allowed_hosts", mode="before")
    @classmethod
    def _hosts(cls, v: object) -> object:
        if isinstance(v, str):
            v = v.replace(",", " ").split()
        return tuple(str(h).strip().lower() for h in v) if isinstance(v, list | tuple) else v

    @field_validator("data_key_previous", mode="before")
    @classmethod
    def _previous_keys(cls, v: object) -> object:
        if isinstance(v, str):
            v = v.replace(",", " ").split()
        return v

    @field_validator("data_key")
    @classmethod
    def _data_key(cls, v: str | None) -> str | None:
        if v is not None:
            data_key_bytes(v)
        return v

    @field_validator("data_key_previous")
    @classmethod
    def _previous_keys_valid(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        for key in v:
            data_key_bytes(key)
        return v

    @field_validator("database_url")
    @classmethod
    def _driver(cls, v: str) -> str:
        # psycopg 3 is the installed driver; a bare postgresql:// would ask for psycopg2
        for bare in ("postgresql://", "postgres://"):
            if v.startswith(bare):
                v = "postgresql+psycopg://" + v[len(bare) :]
        scheme, sep, rest = v.partition("://")
        if not sep or scheme not in _DATABASE_SCHEMES or not rest:
            if sep:
                raise Problem(_UNSUPPORTED_SCHEME, scheme=repr(scheme + sep))
            raise Problem(_UNSUPPORTED_URL, url=repr(v[:40]))
        if scheme == "sqlite" and rest.lstrip("/").split("?")[0] in ("", ":memory:"):
            # an in-memory database keeps nothing between two commands: `db upgrade` would seem to work
            raise Problem("a SQLite URL needs a file (sqlite:///ogi.db), not an in-memory database")
        return v

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, v: str) -> str:
        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError):
            raise Problem("unknown time zone {zone!r} (an IANA name such as Asia/Shanghai)", zone=v) from None
        return v

    @field_validator("smtp_url")
    @classmethod
    def _smtp_scheme(cls, v: str | None) -> str | None:
        if v and not v.startswith(("smtp://", "smtps://")):
            raise Problem("expected smtp://HOST:PORT or smtps://USER:PASSWORD@HOST:PORT")
        return v

    @model_validator(mode="after")
    def _no_default_secret_in_production(self) -> Settings:
        if self.environment == "production" and self.secret_key == _DEV_SECRET:
            raise Problem(
                "OGI_SECRET_KEY must be set in production (`ogi secret generate` writes one into .env)"
            )
        return self

    @model_validator(mode="after")
    def _allowed_hosts_in_production(self) -> Settings:
        if self.environment == "production" and not self.allowed_hosts:
            raise Problem("OGI_ALLOWED_HOSTS must be set in production (e.g. ogi.example.gov.cn)")
        return self

    @model_validator(mode="after")
    def _data_key_in_production(self) -> Settings:
        if self.environment == "production" and self.data_key is None:
            raise Problem("OGI_DATA_KEY must be set in production (`ogi keys generate` prints one)")
        return self

    @property
    def sqlite_path(self) -> Path | None:
        """The SQLite database's file, or None for PostgreSQL."""
        if not self.database_url.startswith("sqlite:"):
            return None
        return Path(self.database_url.partition("://")[2].removeprefix("/").split("?")[0])

    @property
    def trusted_hosts(self) -> tuple[str, ...]:
        """OGI_ALLOWED_HOSTS, or in development the loopback names (and the test client's name,
        which no DNS can point at this machine)."""
        return self.allowed_hosts or DEV_HOSTS

    @property
    def has_default_secret(self) -> bool:
        return self.secret_key == _DEV_SECRET

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def data_key_bytes(text: str) -> bytes:
    """A data key's 32 bytes from its URL-safe base64 text; ValueError (never repeating it) otherwise."""
    try:
        raw = base64.urlsafe_b64decode(text.strip().encode("ascii") + b"==")
    except (ValueError, UnicodeEncodeError):
        raw = b""
    if len(raw) != DATA_KEY_BYTES:
        raise Problem(
            "a data key is {n} random bytes in URL-safe base64 (`ogi keys generate` prints one)",
            n=DATA_KEY_BYTES,
        )
    return raw


@lru_cache
def get_settings() -> Settings:
    """The settings, checked once at start-up: a ConfigError names each variable that is wrong."""
    try:
        return Settings()
    except ValidationError as e:
        raise ConfigError(*(_problem(err) for err in e.errors())) from None


def _problem(err: Any) -> Problem:
    """One validation error as a catalog message naming its variable (a setting's name stays as
    typed: ``OGI_TIMEZONE``); pydantic's own English only for a kind of error no setting expects."""
    error = err.get("ctx", {}).get("error")
    why = error if isinstance(error, Problem) else _PYDANTIC.get(err["type"], _pydantic_text)(err)
    field = str(err["loc"][0]) if err["loc"] else ""
    if not field:  # a rule over several settings; its message names them
        return why
    variable = f"{_PREFIX}{field.upper()}"
    if field in _SECRET or err["type"] == "value_error":
        return Problem("{variable}: {problem}", variable=variable, problem=why)
    return Problem(
        "{variable}: {problem} (got {value!r})", variable=variable, problem=why, value=err.get("input")
    )


def _pydantic_text(err: Any) -> Problem:
    message = str(err["msg"]).removeprefix("Value error, ")
    return Problem(message[:1].lower() + message[1:])  # no catalog entry: read as pydantic wrote it


def _choices(err: Any) -> Problem:
    annotation = Settings.model_fields[str(err["loc"][0])].annotation
    return Problem("must be one of: {values}", values=", ".join(map(str, get_args(annotation))))


_UNSUPPORTED_SCHEME = N_(
    "unsupported database URL (scheme {scheme}); expected sqlite:///FILE or postgresql://USER@HOST/DATABASE"
)
_UNSUPPORTED_URL = N_(
    "unsupported database URL ({url}); expected sqlite:///FILE or postgresql://USER@HOST/DATABASE"
)
# pydantic's errors of the kinds settings have, as catalog messages (as workflow.events does for forms)
_PYDANTIC: dict[str, Callable[[Any], Problem]] = {
    "less_than_equal": lambda err: Problem("must be at most {le}", le=err["ctx"]["le"]),
    "greater_than_equal": lambda err: Problem("must be at least {ge}", ge=err["ctx"]["ge"]),
    "greater_than": lambda err: Problem("must be more than {gt}", gt=err["ctx"]["gt"]),
    "int_parsing": lambda err: Problem("must be a whole number"),
    "int_from_float": lambda err: Problem("must be a whole number"),
    "float_parsing": lambda err: Problem("must be a number"),
    "bool_parsing": lambda err: Problem("must be true or false"),
    "literal_error": _choices,
}
