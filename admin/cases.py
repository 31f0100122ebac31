"""Case work: the filterable list, the case page with its timeline and event forms, receiving a new
application, reassigning, and recording appeals. Every change goes through the workflow services
with the logged-in user as the actor, so organ isolation and the rules hold as on the CLI."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import partial
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlmodel import Session, col, select

from admin.auth import WebUser, current_user
from admin.document_card import documents_context
from admin.forms import SUPERVISOR_EVENTS, bounded_date, bounded_int, event_form, forms_for, raw_params
from admin.labels import DEADLINE_COLUMNS, ID_KIND_NAMES
from admin.templating import code_label, flash, query, render
from admin.timeline import timeline
from codes import Role, State
from codes.labels import Choices, Coded, FieldName
from config.i18n import _
from config.i18n import render as render_message
from config.settings import get_settings
from models.cases import Appeal, Case
from models.db import read_session, session_scope
from models.organs import Organ, User
from workflow import clock
from workflow.access import visible_organ, visible_user
from workflow.appeals import decide_appeal, file_appeal
from workflow.applicants import ADDRESS, CONTACT, ApplicantDetailsIn, identity_text
from workflow.bounds import FIRST_YEAR, LAST_YEAR, MAX_ID, as_id
from workflow.calendar import add_workdays
from workflow.case_json import CaseFilter, case_detail, history
from workflow.case_search import (
    MAX_ROWS,
    Sort,
    count_cap,
    count_capped,
    normalise,
    page_count,
    page_links,
    page_rows,
)
from workflow.errors import (
    InvalidInput,
    NotFound,
    OgiError,
    PermissionDenied,
    Phrase,
    fields_of,
    gather,
    refuse_all,
)
from workflow.events import every_problem
from workflow.machine import CLOCK_DATES, clock_stopped, is_overdue
from workflow.recompute import acknowledge
from workflow.repeats import Similar, similar_earlier
from workflow.service import CaseOpening, NewCase, advance, get_case, open_case, opening_problems, reassign
from workflow.text import NAME, PERSON, REQUEST

router = APIRouter()


# --- helpers -----------------------------------------------------------------------------------
def int_param(value: str | None, name: str, *, low: int = 0, high: int = 10_000) -> int | None:
    """A query or form number within bounds; blank is None."""
    if value is None or value.strip() == "":
        return None
    return bounded_int(value.strip(), FieldName.named(name), low, high)


def date_param(value: str | None, name: str, *, required: bool = False) -> dt.date | None:
    """A form's date within the forms' range; blank is None, or refused when `required`. The
    refusal names the field (``name``, its code) by its label."""
    if not value or not value.strip():
        if required:
            raise InvalidInput("{field} is required", field=FieldName.named(name))
        return None
    return bounded_date(value.strip(), FieldName.named(name), clock.today())


def version_param(data: Any) -> int:
    """The case version a form was loaded with: every change to a case carries it."""
    version = int_param(str(data.get("version") or ""), "version", low=1, high=MAX_ID)
    if version is None:
        raise InvalidInput("version: the form must carry the case version it was loaded with")
    return version


def due_soon_workdays() -> int:
    """Rows due within the first reminder's offset are highlighted (default 5 working days)."""
    return max(get_settings().reminder_offsets, default=5)


def next_deadline(row: Case) -> tuple[str, dt.date] | None:
    """The nearest live deadline of an open case (kind, date)."""
    if not row.is_open:
        return None
    live = [(c, getattr(row, c)) for c in DEADLINE_COLUMNS if getattr(row, c) is not None]
    if clock_stopped(row.state):  # a stale correction-notice day is not the next deadline of a fee
        live = [(c, d) for c, d in live if c not in CLOCK_DATES]
    return min(live, key=lambda x: x[1]) if live else None


def organ_users(s: Session, organ_id: int | None, *roles: Role) -> list[User]:
    q = select(User).where(col(User.active)).order_by(col(User.name))
    if organ_id is not None:
        q = q.where(User.organ_id == organ_id)
    if roles:
        q = q.where(col(User.role).in_([r.value for r in roles]))
    return list(s.exec(q))


def organs_for(s: Session, me: WebUser) -> list[Organ]:
    q = select(Organ).order_by(col(Organ.code))
    if me.organ_ids is not None:
        q = q.where(col(Organ.id).in_(me.organ_ids))
    return list(s.exec(q))


# --- the list ----------------------------------------------------------------------------------
LIST_FILTERS = ("q", "state", "due_within", "assignee", "applicant_type", "year", "organ", "sort", "dir")


def list_order(f: CaseFilter) -> tuple[Any, ...]:
    """The most urgent first when looking at deadlines; otherwise the newest receipts first (each
    along an index: (state, reply_due) or (organ, received_on)); the ref breaks ties, so paging
    never shows a case twice or skips one."""
    if f.overdue or f.due_within is not None:
        return col(Case.reply_due), col(Case.ref)
    return col(Case.received_on).desc(), col(Case.ref).desc()


@router.get("/cases")
def case_list(request: Request, me: WebUser = Depends(current_user)) -> Response:
    f, filters, page, sort = list_filter(request.query_params, me)
    today = clock.today()
    soon = add_workdays(today, f.due_within if f.due_within is not None else due_soon_workdays())
    with read_session() as s:
        if f.assignee:
            visible_user(s, f.assignee, me.actor)  # another organ's user answers as an unknown name
        where = f.where(s)
        cap = count_cap(page, searching=bool(normalise(f.search)))
        total = count_capped(s, where, cap)
        q = select(Case).where(*where).order_by(*sort.order_by(list_order(f)))
        rows = list(s.exec(page_rows(q, page)))
        organs = {o.id: o for o in s.exec(select(Organ))}
        users = assignees_in_scope(s, me, filters["organ"])
        names = {
            u.id: u.name for u in s.exec(select(User).where(col(User.id).in_({r.assignee_id for r in rows})))
        }
    pages = page_count(total)
    if page > pages:  # past the last page (the list shrank, or a typed URL): its last page instead
        return RedirectResponse(
            f"/cases?{query(filters, page=pages if pages > 1 else None)}", status_code=303
        )
    context = {
        "items": [_list_item(r, organs[r.organ_id].code, names, today, soon) for r in rows],
        "total": total,
        "more": total > cap,  # "250+": a search counts a few pages ahead (case_search.count_cap)
        "max_rows": cap,
        "truncated": total > MAX_ROWS,  # past the last numbered page: only narrowing shows the rest
        "page": page,
        "pages": pages,
        "page_links": page_links(page, pages),
        "filters": filters,
        "sort": sort,
        "users": users,
        "organs": sorted(organs.values(), key=lambda o: o.code) if me.is_admin else [],
        "today": today,
    }
    return render(request, "case_list.html", context)


def assignees_in_scope(s: Session, me: WebUser, organ_code: str) -> list[User]:
    """The assignee filter's choices: the caseworkers and supervisors (who may hold a case) of the
    organs the list shows: the user's own, or the administrator's chosen organ, or all."""
    q = select(User).where(col(User.active), col(User.role).in_([Role.caseworker, Role.supervisor]))
    if me.organ_ids is not None:
        q = q.where(col(User.organ_id).in_(me.organ_ids))
    elif organ_code:
        q = q.join(Organ, col(Organ.id) == col(User.organ_id)).where(col(Organ.code) == organ_code)
    return list(s.exec(q.order_by(col(User.name))))


def list_filter(p: Mapping[str, str], me: WebUser) -> tuple[CaseFilter, dict[str, str], int, Sort]:
    """The list's query string as a CaseFilter (bounded where parsed), the raw filters the form
    shows again, the page number and the sort."""
    filters = {k: p.get(k, "") for k in LIST_FILTERS}
    filters["overdue"] = "1" if p.get("overdue") else ""
    filters["attention"] = "1" if p.get("attention") else ""
    filters["q"] = normalise(filters["q"])
    page = int_param(p.get("page"), "page", low=1) or 1
    sort = Sort.parse(filters["sort"], filters["dir"])
    f = CaseFilter(
        organ=(filters["organ"] or None) if me.is_admin else None,
        organ_ids=me.organ_ids,
        state=filters["state"] or None,
        overdue=bool(filters["overdue"]),
        due_within=int_param(filters["due_within"], "due_within", high=250),
        assignee=filters["assignee"] or None,
        applicant_type=filters["applicant_type"] or None,
        year=int_param(filters["year"], "year", low=FIRST_YEAR, high=LAST_YEAR),
        attention=bool(filters["attention"]),
        search=filters["q"],
    )
    return f, filters, page, sort


def _list_item(r: Case, organ: str, names: dict[Any, str], today: dt.date, soon: dt.date) -> dict[str, Any]:
    return {
        "row": r,
        "organ": organ,
        "assignee": names.get(r.assignee_id) if r.assignee_id else None,
        "next": next_deadline(r),
        "overdue": is_overdue(r, today),
        "soon": r.state == State.received and r.reply_due is not None and today <= r.reply_due <= soon,
    }


# --- the case page -----------------------------------------------------------------------------
def case_context(s: Session, row: Case, me: WebUser) -> dict[str, Any]:
    """Everything the case page shows. Checks the user's organ first: nothing leaks on a refusal."""
    assert row.id is not None and me.actor.can_see(row.organ_id)  # loaded through get_case(actor=…)
    today = clock.today()
    staff = organ_users(s, row.organ_id, Role.caseworker, Role.supervisor)
    supervisors = tuple((u.name, u.name) for u in staff if u.role == Role.supervisor)
    forms, held = forms_for(
        row, today=today, supervisors=supervisors, me_name=me.name, is_supervisor=me.is_supervisor
    )
    events = history(s, row.id)
    entries, replay_problem = timeline(events)
    organ = s.get(Organ, row.organ_id)
    appeals = list(s.exec(select(Appeal).where(Appeal.case_id == row.id).order_by(col(Appeal.id))))
    return {
        # the organ's own users see the identity number in clear, everyone else masked (DESIGN §12)
        "case": case_detail(s, row, reveal=me.actor.sees_identity_numbers(row.organ_id), events=events),
        "row": row,
        "id_kinds": ID_KIND_NAMES,
        "organ": organ,
        "entries": entries,
        "replay_problem": replay_problem,
        "forms": forms,
        "held": held,
        "appeals": appeals,
        "staff": staff,
        "today": today,
        "overdue": is_overdue(row, today),
        "clock_dates": CLOCK_DATES,
        "clock_stopped": clock_stopped(row.state),
        **documents_context(s, row, events),
    }


def render_case(
    request: Request,
    me: WebUser,
    key: str,
    *,
    error: str | None = None,
    status: int = 200,
    submitted: dict[str, str] | None = None,
    field_errors: dict[str, str] | None = None,
) -> Response:
    with read_session() as s:
        context = case_context(s, get_case(s, key, actor=me.actor), me)
    context |= {"error": error, "submitted": submitted or {}, "field_errors": field_errors or {}}
    return render(request, "case.html", context, status_code=status)


@router.get("/cases/{ref}")
def case_page(request: Request, ref: str, me: WebUser = Depends(current_user)) -> Response:
    return render_case(request, me, ref)


ERROR_STATUS = {"Conflict": 409, "PermissionDenied": 403, "NotFound": 404}


async def run_change(
    request: Request, me: WebUser, ref: str, change: Any, done: str, submitted: dict[str, str]
) -> Response:
    """Apply one change in its own transaction; on a refusal show the case again with the reason and
    the form as the user filled it in."""
    try:
        await run_in_threadpool(change)
    except NotFound:
        raise  # no such case, or one the user may not see: the plain error page, the same for both
    except OgiError as e:
        message, status, marks = render_message(e), ERROR_STATUS.get(type(e).__name__, 422), field_marks(e)
        return await run_in_threadpool(
            lambda: render_case(
                request, me, ref, error=message, status=status, submitted=submitted, field_errors=marks
            )
        )
    flash(request, done)
    return RedirectResponse(f"/cases/{ref}", status_code=303)


def field_marks(error: OgiError) -> dict[str, str]:
    """Each refused field of a form (by the form's field name) with its reason, in the reader's
    language, for the page to mark every bad field at once; empty when the refusal names none."""
    marks: dict[str, str] = {}
    for name, problem in fields_of(error).items():
        key = name.split(".")[0]
        text = render_message(problem)
        marks[key] = _("{first}; {rest}", first=marks[key], rest=text) if key in marks else text
    return marks


def assignee_of(s: Session, name: str, me: WebUser) -> None:
    """A form's assignee: another organ's user is refused exactly as an unknown name (the form
    comes back with the reason; nothing tells whether the name exists elsewhere)."""
    try:
        visible_user(s, name, me.actor)
    except NotFound as e:
        raise InvalidInput("assignee: {problem}", problem=e) from None


def form_values(data: Any, event: str) -> dict[str, str]:
    """What the user submitted, to fill the refused form in again (text fields only)."""
    return {"event": event, **{k: str(v)[:4000] for k, v in data.items() if isinstance(v, str)}}


@router.post("/cases/{ref}/advance")
async def case_advance(request: Request, ref: str, me: WebUser = Depends(current_user)) -> Response:
    data = await request.form()
    event = str(data.get("event") or "")

    def change() -> None:
        version = version_param(data)
        with session_scope() as s:
            row = get_case(s, ref, actor=me.actor)
            if event in SUPERVISOR_EVENTS:
                me.actor.require_role(
                    Role.supervisor,
                    action=Phrase("record {event} (a supervisor's decision)", event=Coded("event", event)),
                )
            form = event_form(event, row, clock.today(), ((me.name, me.name),), me.name)
            raw = raw_params(form, approved_by_me(event, data, me), clock.today())
            advance(s, ref, event, raw, actor=me.actor, expected_version=version)

    done = _("recorded: {event}", event=Coded("event", event))
    return await run_change(request, me, ref, change, done, form_values(data, event))


def approved_by_me(event: str, data: Any, me: WebUser) -> dict[str, Any]:
    """In the browser an extension is approved by the logged-in supervisor: naming a colleague as the
    approver is refused, and no approver means the user."""
    values = dict(data.items())
    if event == "extend":
        named = str(values.get("approver") or "").strip() or me.name
        if named != me.name:
            raise PermissionDenied(
                "extend: in the browser the approver is the logged-in supervisor ({name}), not {named!r}",
                name=me.name,
                named=named[:40],
            )
        values["approver"] = me.name
    return values


@router.post("/cases/{ref}/acknowledge")
async def case_acknowledge(request: Request, ref: str, me: WebUser = Depends(current_user)) -> Response:
    """A supervisor has reviewed a case flagged after a calendar change (workflow.recompute)."""
    data = await request.form()

    def change() -> None:
        version = version_param(data)
        with session_scope() as s:
            note = str(data.get("note") or "") or None
            acknowledge(s, ref, actor=me.actor, note=note, expected_version=version)

    return await run_change(
        request, me, ref, change, _("reviewed; the flag is cleared"), {"note": str(data.get("note") or "")}
    )


@router.post("/cases/{ref}/reassign")
async def case_reassign(request: Request, ref: str, me: WebUser = Depends(current_user)) -> Response:
    data = await request.form()
    assignee = str(data.get("assignee") or "").strip() or None

    def change() -> None:
        version = version_param(data)
        with session_scope() as s:
            get_case(s, ref, actor=me.actor)
            if assignee:
                assignee_of(s, assignee, me)
            reassign(s, ref, assignee, actor=me.actor, expected_version=version)

    done = _("assignee changed to {name}", name=assignee) if assignee else _("the case is now unassigned")
    return await run_change(request, me, ref, change, done, form_values(data, "reassign"))


@router.post("/cases/{ref}/appeals")
async def appeal_file(request: Request, ref: str, me: WebUser = Depends(current_user)) -> Response:
    data = await request.form()

    def change() -> None:
        version = version_param(data)
        filed_on = date_param(str(data.get("filed_on") or ""), "filed_on", required=True)
        assert filed_on is not None
        with session_scope() as s:
            get_case(s, ref, actor=me.actor)
            kind = str(data.get("kind") or "")
            file_appeal(s, ref, kind=kind, filed_on=filed_on, actor=me.actor, expected_version=version)

    return await run_change(request, me, ref, change, _("appeal recorded"), form_values(data, "file_appeal"))


@router.post("/cases/{ref}/appeals/{appeal_id}")
async def appeal_decide(
    request: Request, ref: str, appeal_id: str, me: WebUser = Depends(current_user)
) -> Response:
    data = await request.form()

    def change() -> None:
        with session_scope() as s:
            case = get_case(s, ref, actor=me.actor)
            number = as_id(appeal_id)
            appeal = s.get(Appeal, number) if number else None
            if appeal is None or appeal.case_id != case.id:
                raise NotFound("case {ref} has no appeal {appeal_id!r}", ref=ref, appeal_id=appeal_id[:20])
            version = version_param(data)
            decided_on = date_param(str(data.get("decided_on") or ""), "decided_on", required=True)
            assert decided_on is not None
            result = str(data.get("result") or "")
            assert number is not None
            decide_appeal(
                s, number, result=result, decided_on=decided_on, actor=me.actor, expected_version=version
            )

    submitted = form_values(data, f"decide_appeal:{appeal_id[:20]}")
    return await run_change(request, me, ref, change, _("appeal result recorded"), submitted)


# --- receiving an application ------------------------------------------------------------------
NEW_CASE_MODES = ("received", "registered")  # the form's two choices: the clock starts, or later
# the form's fields: CaseOpening's, but one date with a mode instead of its two dates, and the
# applicant's details flattened (a field added to CaseOpening or to the details appears here)
_DATES = ("received_on", "submitted_on")
NEW_CASE_FIELDS: tuple[str, ...] = (
    *(k for k in CaseOpening.model_fields if k not in (*_DATES, "applicant_details")),
    "mode",
    "date",
    *ApplicantDetailsIn.model_fields,
)
# raw lengths refused before anything else (the service has the rules for each text): a text's
# limit is its kind's (workflow.text); a code or a ref, its column's (an over-long ref still reaches
# the service's ref rule, which says what a ref may be)
NEW_CASE_LIMITS: dict[str, int] = {
    "organ": Organ.__table__.c.code.type.length,  # type: ignore[attr-defined]
    "applicant": NAME.max_chars,
    "request": REQUEST.max_chars,
    "assignee": PERSON.max_chars,
    "ref": 200,
    "id_kind": CONTACT.max_chars,
    "id_number": identity_text().max_chars,
    "phone": CONTACT.max_chars,
    "email": CONTACT.max_chars,
    "address": ADDRESS.max_chars,
    "postcode": CONTACT.max_chars,
}


def new_case_context(me: WebUser, values: dict[str, str]) -> dict[str, Any]:
    with read_session() as s:
        organs = organs_for(s, me)
        staff = organ_users(s, me.organ_ids[0] if me.organ_ids else None, Role.caseworker, Role.supervisor)
    return {"organs": organs, "staff": staff, "values": values, "id_kinds": ID_KIND_NAMES}


@router.get("/cases-new")
def new_case_page(request: Request, me: WebUser = Depends(current_user)) -> Response:
    values = {
        "organ": me.organ_code,
        "mode": "received",
        "date": clock.today().isoformat(),
        "assignee": me.name if me.role != Role.admin else "",
        "channel": "online",
        "applicant_type": "natural_person",
    }
    return render(
        request, "case_new.html", {**new_case_context(me, values), "error": None, "field_errors": {}}
    )


def opening_from_form(values: dict[str, str], me: WebUser) -> NewCase:
    """The form's values as the service's CaseOpening (bounded where parsed)."""
    organ = values["organ"] or me.organ_code
    with read_session() as s:
        visible_organ(s, organ, me.actor)  # another organ answers as a missing one
    problems = gather(
        {
            "mode": partial(_mode, values["mode"]),
            "date": partial(date_param, values["date"], "date", required=True),
        }
    )
    problems |= gather(
        {name: partial(_within, name, values[name], limit) for name, limit in NEW_CASE_LIMITS.items()}
    )
    if values["assignee"] and "assignee" not in problems:
        with read_session() as s:
            problems |= gather({"assignee": partial(assignee_of, s, values["assignee"], me)})
    day = None if "date" in problems else date_param(values["date"], "date", required=True)
    details = {k: values[k] or None for k in ApplicantDetailsIn.model_fields}
    # CaseOpening's own fields as typed; an optional one left blank is not given
    opening = CaseOpening.model_fields
    given = {
        k: (values[k] or None) if opening[k].default is None else values[k] for k in opening if k in values
    }
    new: list[NewCase] = []

    def build() -> None:
        try:
            new.append(
                NewCase(
                    **{**given, "organ": organ},
                    received_on=day if values["mode"] != "registered" else None,
                    submitted_on=day if values["mode"] == "registered" else None,
                    applicant_details=ApplicantDetailsIn(**details) if any(details.values()) else None,
                )
            )
        except ValidationError as e:
            raise every_problem(e) from None

    problems |= gather({"form": build})
    if new:  # the texts and the details, each checked as the service will (every bad one at once)
        problems |= {k: v for k, v in opening_problems(new[0]).items() if k not in problems}
    refuse_all(problems)
    return new[0]


def _mode(mode: str) -> None:
    if mode not in NEW_CASE_MODES:
        raise InvalidInput(
            "{field}: {value!r} is not one of {choices}",
            field=FieldName.named("mode"),
            value=mode[:20],
            choices=Choices("new_case_mode", NEW_CASE_MODES),
        )


def _within(name: str, value: str, limit: int) -> None:
    if len(value) > limit:
        raise InvalidInput("{name}: longer than {limit} characters", name=FieldName.named(name), limit=limit)


@router.post("/cases-new")
async def new_case(request: Request, me: WebUser = Depends(current_user)) -> Response:
    data = await request.form()
    values = {k: str(data.get(k) or "").strip() for k in NEW_CASE_FIELDS}

    def create() -> tuple[str, list[Similar]]:
        new = opening_from_form(values, me)
        with session_scope() as s:
            row = open_case(s, new, actor=me.actor)
            return row.ref, similar_earlier(s, row)

    try:
        ref, repeats = await run_in_threadpool(create)
    except OgiError as e:
        context = {
            **await run_in_threadpool(new_case_context, me, values),
            "error": render_message(e),
            "field_errors": field_marks(e),
        }
        return render(request, "case_new.html", context, status_code=ERROR_STATUS.get(type(e).__name__, 422))
    flash(request, _("application {ref} registered", ref=ref))
    if repeats:  # a suggestion for the caseworker (Art. 36(六)), never a decision
        flash(request, repeats_notice(repeats), "warning")
    return RedirectResponse(f"/cases/{ref}", status_code=303)


def repeats_notice(repeats: list[Similar]) -> str:
    earlier = "; ".join(
        _(
            "{ref} ({outcome})",
            ref=r.ref,
            outcome=code_label(r.outcome, "outcome") if r.outcome else code_label(r.state, "state"),
        )
        for r in repeats
    )
    return _(
        "The same applicant sent this organ a closely matching request before: {earlier}. "
        "Consider whether it is a repeated application (not_processed_duplicate).",
        earlier=earlier,
    )
