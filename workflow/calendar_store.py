"""The official calendar in the database: loading it, seeding it, importing a year's arrangement."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from sqlalchemy import delete, func
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlmodel import Session, col, select

from config.settings import get_settings
from models.calendar import CalendarDay, CalendarYear
from models.db import read_session
from workflow import calendar as wcal
from workflow.bounds import YEAR, check_year
from workflow.errors import InvalidInput, Phrase
from workflow.events import IsoDate, describe
from workflow.text import HolidayName, OptionalHolidayName, Title
from workflow.textfiles import read_text, yaml_line

log = logging.getLogger(__name__)


# --- loading ---------------------------------------------------------------------------------
def load_calendar_data() -> wcal.CalendarData:
    """The calendar the database holds; the package's data when there is no database yet."""
    url = get_settings().database_url
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        return wcal.package_data()  # never create an empty database file just to read a calendar
    try:
        with read_session() as s:
            return read_calendar(s)
    except (OperationalError, ProgrammingError) as e:
        log.warning(
            "calendar: database unavailable or not migrated (%s); using chinese_calendar's data", e.orig
        )
        return wcal.package_data()


wcal.set_loader(
    load_calendar_data
)  # every process that imports the store computes on the database's calendar


def read_calendar(session: Session) -> wcal.CalendarData:
    years = session.exec(select(CalendarYear)).all()
    if not years:
        return wcal.package_data()
    days = session.exec(select(CalendarDay)).all()
    return wcal.CalendarData(
        holidays=frozenset(d.day for d in days if d.kind == "holiday"),
        workdays=frozenset(d.day for d in days if d.kind == "workday"),
        official_years=frozenset(y.year for y in years),
        revision=calendar_revision(session),
    )


def calendar_revision(session: Session) -> str:
    """Changes whenever a year is imported; a long-running worker compares it to reload."""
    n, latest = session.exec(select(func.count(), func.max(CalendarYear.imported_at))).one()
    return f"{n}:{latest}"


def refresh_if_changed(session: Session) -> bool:
    """Reload the default calendar when another process imported a year since it was loaded."""
    if wcal.default_calendar().data.revision == calendar_revision(session):
        return False
    wcal.reset_default_calendar()
    return True


# --- a year's arrangement --------------------------------------------------------------------
class HolidayPeriod(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    name: HolidayName
    start: IsoDate = Field(alias="from")
    end: IsoDate = Field(alias="to")


class MakeupDay(BaseModel):
    model_config = ConfigDict(extra="forbid")

    date: IsoDate
    name: OptionalHolidayName = ""


class ArrangementFile(BaseModel):
    """The documented import format (see README: calendar files)."""

    model_config = ConfigDict(extra="forbid")

    year: int  # within the calendar's span: checked by check_year, whose line states the span
    source: Title
    holidays: list[HolidayPeriod]
    workdays: list[MakeupDay] = []

    @field_validator("workdays", mode="before")
    @classmethod
    def _plain_dates(cls, v: Any) -> Any:
        # a make-up day may be written as a bare date
        return [{"date": x} if not isinstance(x, dict) else x for x in v] if isinstance(v, list) else v


@dataclass(frozen=True)
class Arrangement:
    year: int
    source: str
    holidays: dict[dt.date, str]
    workdays: dict[dt.date, str]


class _PlainDates(yaml.SafeLoader):
    """YAML without implicit timestamps: dates stay text, so our own check names a bad one."""


_PlainDates.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read_arrangement(path: Path) -> Arrangement:
    """Parse and check a year's file; every problem is one line naming the file and the entry."""
    return parse_arrangement(read_text(path), str(path))


def parse_arrangement(text: str, where: str) -> Arrangement:
    """A year's arrangement from its YAML text (a file, or the web admin's form)."""
    try:
        raw = yaml.load(text, Loader=_PlainDates)
    except yaml.YAMLError as e:
        at, problem = yaml_line(e)
        raise InvalidInput(
            "{where}{at}: cannot read the calendar file ({problem})", where=where, at=at, problem=problem
        ) from None
    try:
        doc = ArrangementFile.model_validate(raw)
    except ValidationError as e:
        raise InvalidInput("{where}: {problem}", where=where, problem=describe(e)) from None
    check_year(doc.year, Phrase("{where}: {problem}", where=where, problem=YEAR))
    return check_arrangement(doc, where)


def check_arrangement(doc: ArrangementFile, where: str) -> Arrangement:
    holidays: dict[dt.date, str] = {}
    for p in doc.holidays:
        if p.end < p.start:
            raise InvalidInput(
                "{where}: holiday {name}: ends ({end}) before it starts ({start})",
                where=where,
                name=p.name,
                end=p.end,
                start=p.start,
            )
        d = p.start
        while d <= p.end:
            _near_year(d, doc.year, where, p.name)
            holidays[d] = p.name
            d += dt.timedelta(days=1)
    workdays: dict[dt.date, str] = {}
    for w in doc.workdays:
        _near_year(w.date, doc.year, where, w.name or "make-up working day")
        if w.date.weekday() < 5:
            raise InvalidInput(
                "{where}: make-up working day {date} is a weekday; only a weekend day can be one",
                where=where,
                date=w.date,
            )
        if w.date in holidays:
            raise InvalidInput(
                "{where}: {date} is listed both as a holiday and as a make-up working day",
                where=where,
                date=w.date,
            )
        workdays[w.date] = w.name or ""
    return Arrangement(doc.year, doc.source, holidays, workdays)


def _near_year(d: dt.date, year: int, where: str, what: str) -> None:
    # a notice may reach a few days into the adjacent years (e.g. 元旦 from 30 December)
    if not dt.date(year - 1, 12, 1) <= d <= dt.date(year + 1, 1, 31):
        raise InvalidInput(
            "{where}: {what}: {d} is not in or next to {year}", where=where, what=what, d=d, year=year
        )


def install_arrangement(session: Session, arr: Arrangement, *, actor: str) -> None:
    """Store a year's arrangement, replacing what the database held for that year."""
    named = [*arr.holidays, *arr.workdays]
    # the newest notice wins for a day an adjacent year's arrangement also named
    session.execute(
        delete(CalendarDay).where((col(CalendarDay.year) == arr.year) | col(CalendarDay.day).in_(named))
    )
    year = session.get(CalendarYear, arr.year) or CalendarYear(year=arr.year, source=arr.source)
    year.source, year.imported_by, year.imported_at = arr.source, actor, dt.datetime.now(dt.UTC)
    session.add(year)
    session.flush()
    session.add_all(
        CalendarDay(day=d, kind="holiday", name=n, year=arr.year) for d, n in arr.holidays.items()
    )
    session.add_all(
        CalendarDay(day=d, kind="workday", name=n, year=arr.year) for d, n in arr.workdays.items()
    )
    session.flush()


def package_arrangements() -> list[Arrangement]:
    """The package's data as one arrangement per notice, each with every day that notice names,
    whatever its year (the 2019 notice: 29–31 December 2018). A stray day of a notice the package
    does not hold stays with the year it falls in."""
    import chinese_calendar

    days = wcal.package_days()
    years = wcal.package_years(days)
    source = f"chinese_calendar {getattr(chinese_calendar, '__version__', '')}".strip()
    out = {y: Arrangement(y, source, {}, {}) for y in sorted(years)}
    for d, (year, kind, name) in sorted(days.items()):
        owner = out.get(year) or out.get(d.year)
        if owner is not None:
            target = owner.holidays if kind == "holiday" else owner.workdays
            target[d] = wcal.HOLIDAY_NAMES_ZH.get(name, name)
    return list(out.values())


def seed_from_package(session: Session) -> list[Arrangement]:
    """Store every notice chinese_calendar holds for a year the database does not hold yet,
    with all the days it names (also those in the year before, even if that year is held)."""
    have = set(session.exec(select(CalendarYear.year)))
    added = [a for a in package_arrangements() if a.year not in have]
    for arrangement in added:
        install_arrangement(session, arrangement, actor="system")
    return added


def year_listing(session: Session, year: int) -> dict[str, Any]:
    """A year's arrangement as data: official or not, its holidays and make-up working days."""
    row = session.get(CalendarYear, year)
    days = session.exec(select(CalendarDay).where(CalendarDay.year == year).order_by(CalendarDay.day)).all()  # type: ignore[arg-type]
    return {
        "year": year,
        "official": row is not None,
        "source": row.source if row else None,
        "imported_at": row.imported_at.isoformat() if row else None,
        "holidays": [{"date": d.day.isoformat(), "name": d.name} for d in days if d.kind == "holiday"],
        "workdays": [{"date": d.day.isoformat(), "name": d.name} for d in days if d.kind == "workday"],
    }
