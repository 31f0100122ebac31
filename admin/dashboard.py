"""The dashboard: the year's intake and conclusions by month, the outcome mix, the on-time rate, and
the open cases by working days left to their reply deadline."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from markupsafe import Markup
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, func, select

from admin import charts
from admin.auth import WebUser, current_user
from admin.cases import int_param
from admin.templating import code_label, render
from codes import OPEN_STATES, OUTCOME_GROUPS, State
from config.i18n import N_, _
from config.settings import get_settings
from models.cases import Case
from models.db import read_session
from models.organs import Organ
from reports.screen import group_name
from workflow import clock
from workflow.bounds import FIRST_YEAR, LAST_YEAR
from workflow.calendar import workdays_between
from workflow.directory import get_organ, subtree_ids
from workflow.unserved import unserved_documents

router = APIRouter()

# the outcome mix at the level of the report's groups: (outcome or group key, outcomes, color); the
# labels are the codes' and the report's, in the reader's language (mix_label)
MIX: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("disclosed", ("disclosed",), "#2fb344"),
    ("partially_disclosed", ("partially_disclosed",), "#74b816"),
    *(
        (key, members, color)
        for (key, (_title, members)), color in zip(
            OUTCOME_GROUPS.items(), ("#d63939", "#f59f00", "#ae3ec9", "#667382"), strict=True
        )
    ),
)


def mix_label(key: str) -> str:
    """An outcome (予以公开) or a report group without its number (不予公开)."""
    return group_name(key) if key in OUTCOME_GROUPS else code_label(key, "outcome")


# (label, lowest and highest working days left, color); None = overdue
BUCKETS: tuple[tuple[str, int | None, int, str], ...] = (
    (N_("past due"), None, -1, "#d63939"),
    (N_("0–2 working days"), 0, 2, "#f76707"),
    (N_("3–5 working days"), 3, 5, "#f59f00"),
    (N_("6–10 working days"), 6, 10, "#74b816"),
    (N_("11–20 working days"), 11, 20, "#2fb344"),
    (N_("more than 20 working days"), 21, 10**6, "#1c7ed6"),
)
PAUSED = (N_("clock paused or awaiting correction"), "#adb5bd")


@dataclass(frozen=True)
class Figures:
    intake: list[int]
    concluded: list[int]
    mix: list[tuple[str, int, str]]
    on_time: int
    answered: int
    buckets: list[tuple[str, int, str]]
    open_cases: int
    overdue: int


def scope_ids(s: Session, me: WebUser, organ: str | None, children: bool) -> list[int] | None:
    """The organs counted: the user's own; an admin's choice (with its descendants) or all."""
    if me.organ_ids is not None:
        return list(me.organ_ids)
    if not organ:
        return None
    row = get_organ(s, organ)
    assert row.id is not None
    return subtree_ids(s, row.id) if children else [row.id]


def figures(s: Session, organ_ids: list[int] | None, year: int, today: dt.date) -> Figures:
    """Counted in the database (grouped rows, not one row per case): a year may hold many thousands."""
    scope: list[ColumnElement[bool]] = [] if organ_ids is None else [col(Case.organ_id).in_(organ_ids)]
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    received, concluded = col(Case.received_on), col(Case.concluded_on)
    intake = by_month(s, received, [received.between(start, end), *scope])
    done = [concluded.between(start, end), *scope]
    outcomes = dict(
        s.exec(select(col(Case.outcome), func.count()).where(*done).group_by(col(Case.outcome))).all()
    )
    late = dict(s.exec(select(col(Case.late), func.count()).where(*done).group_by(col(Case.late))).all())
    mix = [(mix_label(key), sum(outcomes.get(o, 0) for o in members), color) for key, members, color in MIX]
    open_q = (
        select(col(Case.state), col(Case.reply_due), func.count())
        .where(col(Case.state).in_(OPEN_STATES), *scope)
        .group_by(col(Case.state), col(Case.reply_due))
    )
    buckets = bucket_open(list(s.exec(open_q).all()), today)
    return Figures(
        intake=intake,
        concluded=by_month(s, concluded, done),
        mix=mix,
        on_time=late.get(False, 0),
        answered=sum(late.values()),
        buckets=buckets,
        open_cases=sum(n for _label, n, _color in buckets),
        overdue=buckets[0][1],
    )


def by_month(s: Session, day: Any, where: list[ColumnElement[bool]]) -> list[int]:
    month = func.extract("month", day)
    counts = {int(m): n for m, n in s.exec(select(month, func.count()).where(*where).group_by(month)).all()}
    return [counts.get(m, 0) for m in range(1, 13)]


def bucket_open(rows: list[tuple[str, dt.date | None, int]], today: dt.date) -> list[tuple[str, int, str]]:
    """(state, reply deadline, how many) → cases per bucket of working days left, paused ones apart."""
    counts = Counter[str]()
    for state, due, n in rows:
        if state != State.received or due is None:
            counts[PAUSED[0]] += n
            continue
        left = -1 if due < today else workdays_between(today, due)
        label = next(
            b[0]
            for b in BUCKETS
            if (b[1] is None and left < 0) or (b[1] is not None and b[1] <= left <= b[2])
        )
        counts[label] += n
    return [(_(label), counts[label], color) for label, _low, _high, color in BUCKETS] + [
        (_(PAUSED[0]), counts[PAUSED[0]], PAUSED[1])
    ]


def svg(f: Figures, year: int) -> dict[str, Markup]:
    monthly = [
        charts.Series(_("new"), "#1c7ed6", f.intake),
        charts.Series(_("concluded"), "#2fb344", f.concluded),
    ]
    months = tuple(_("month {n}", n=m) for m in range(1, 13))
    return {
        "monthly": charts.column_chart(
            months, monthly, title=_("{year}: new and concluded by month", year=year)
        ),
        "mix": charts.bar_list(f.mix, title=_("{year}: outcomes", year=year)),
        "on_time": charts.donut(f.on_time, f.answered, title=_("{year}: answered on time", year=year)),
        "open": charts.bar_list(
            f.buckets, title=_("working days left to the reply date of open applications")
        ),
    }


@router.get("/")
def dashboard(request: Request, me: WebUser = Depends(current_user)) -> Response:
    p = request.query_params
    today = clock.today()
    year = int_param(p.get("year"), "year", low=FIRST_YEAR, high=LAST_YEAR) or today.year
    organ = p.get("organ") or None
    children = bool(p.get("children"))
    with read_session() as s:
        ids = scope_ids(s, me, organ, children)
        f = figures(s, ids, year, today)
        unserved = unserved_documents(s, today, ids)
        organs = list(s.exec(select(Organ).order_by(col(Organ.code)))) if me.is_admin else []
    context = {
        "f": f,
        "charts": svg(f, year),
        "year": year,
        "organ": organ,
        "children": children,
        "organs": organs,
        "today": today,
        "years": list(range(today.year, today.year - 6, -1)),
        "unserved": unserved,
        "unserved_workdays": get_settings().unserved_document_workdays,
    }
    return render(request, "dashboard.html", context)
