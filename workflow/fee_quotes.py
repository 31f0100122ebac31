"""A case's fee under 国办函〔2020〕109号: finds the applicant's position in the month (按件) or the
pages already counted (按量, when cumulative), and prices them with the pure rules of workflow.fees.

Used by `ogi fee quote` and by the `notify_fee` event (every door), so a notice's amount is the
quote's unless a different amount is given with a reason.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import and_, func, or_
from sqlalchemy import select as sa_select
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session

from codes.labels import Coded
from config.settings import get_settings
from models.applicants import ApplicantDetails
from models.cases import Case, CaseEvent
from workflow import events as ev
from workflow import fees
from workflow.applicants import matching_hash
from workflow.code_input import parse_code
from workflow.errors import InvalidInput, RuleViolation

_CASES = Case.__table__  # type: ignore[attr-defined]
_DETAILS = ApplicantDetails.__table__  # type: ignore[attr-defined]
_EVENTS = CaseEvent.__table__  # type: ignore[attr-defined]


def month_of(day: dt.date) -> tuple[dt.date, dt.date]:
    """The calendar month holding `day`: its first day and the first day of the next."""
    start = day.replace(day=1)
    return start, (start + dt.timedelta(days=32)).replace(day=1)


def _same_applicant_before(case: Case, number_hash: str, *, including: bool) -> list[ColumnElement[bool]]:
    """The applicant's applications to the case's organ received in the case's month, ordered by
    receipt date then ref, up to this one (`including` it or not)."""
    assert case.received_on is not None
    start, end = month_of(case.received_on)
    r, ref = _CASES.c.received_on, _CASES.c.ref
    upto = ref <= case.ref if including else ref < case.ref
    return [
        _DETAILS.c.organ_id == case.organ_id,
        _DETAILS.c.id_number_hash == number_hash,
        r >= start,
        r < end,
        or_(r < case.received_on, and_(r == case.received_on, upto)),
    ]


def _applicant_hash(session: Session, case: Case, method: str) -> str:
    assert case.id is not None
    number_hash = matching_hash(session, case.id)
    if number_hash is None:
        raise RuleViolation(
            "fee ({method}): case {ref} has no identity number, so the applicant's other applications "
            "cannot be matched; record the applicant's identity number or charge by pages",
            method=Coded("fee_method", method),
            ref=case.ref,
        )
    if case.received_on is None:
        raise RuleViolation("fee: case {ref} has not been received yet", ref=case.ref)
    return number_hash


def month_position(session: Session, case: Case) -> int:
    """This application's position among the same applicant's applications to the same organ in the
    calendar month of its receipt, by receipt date then ref (1-based)."""
    number_hash = _applicant_hash(session, case, "count")
    q = (
        sa_select(func.count())
        .select_from(_DETAILS.join(_CASES, _CASES.c.id == _DETAILS.c.case_id))
        .where(*_same_applicant_before(case, number_hash, including=True))
    )
    return int(session.connection().execute(q).scalar_one())


def earlier_pages(session: Session, case: Case) -> int:
    """Pages of the 按量 fee notices on the applicant's earlier applications of the month (for
    OGI_FEE_PAGES_PER_MONTH)."""
    number_hash = _applicant_hash(session, case, "pages")
    q = (
        sa_select(_EVENTS.c.params)
        .select_from(_DETAILS.join(_CASES, _CASES.c.id == _DETAILS.c.case_id))
        .join(_EVENTS, _EVENTS.c.case_id == _CASES.c.id)
        .where(_EVENTS.c.event == "notify_fee", *_same_applicant_before(case, number_hash, including=False))
    )
    found = session.connection().execute(q).scalars()
    return sum(int(p.get("pages") or 0) for p in found if p.get("method") == fees.FeeMethod.by_pages)


def quote(session: Session, case: Case, method: str, pages: int | None = None) -> fees.Quote:
    """The fee of an application by `method` ("count" or "pages", with `pages`): one InvalidInput or
    RuleViolation line when it cannot be computed."""
    method = parse_code("fee_method", method, where="method")
    if method == fees.FeeMethod.by_count:
        if pages is not None:
            raise InvalidInput("the count method takes no pages")
        return fees.quote_count(month_position(session, case))
    if pages is None or not 1 <= pages <= fees.MAX_UNITS:
        raise InvalidInput("the pages method needs the number of pages (1–{max})", max=fees.MAX_UNITS)
    earlier = earlier_pages(session, case) if get_settings().fee_pages_per_month else 0
    return fees.quote_pages(pages, earlier=earlier)


def priced(session: Session, case: Case, params: ev.NotifyFee) -> ev.NotifyFee:
    """A fee notice with its computed amount recorded (and as its amount unless one was given;
    a different amount needs a reason)."""
    if params.method is None:
        return params
    return _with_quote(params, quote(session, case, params.method, params.pages))


def imported(params: ev.NotifyFee) -> ev.NotifyFee:
    """A fee notice of an imported history: by pages, counted per application, it is priced as in
    live use; by count (or pages over the month) the applicant's other cases may not be imported
    yet, so the history gives the amount, as recorded."""
    if params.method is None:
        return params
    per_application = params.method == fees.FeeMethod.by_pages and not get_settings().fee_pages_per_month
    if not per_application:
        if params.amount is None:
            raise InvalidInput(
                "notify_fee ({method}): an imported history gives the amount",
                method=Coded("fee_method", params.method),
            )
        return params
    if params.pages is None:
        raise InvalidInput("the pages method needs the number of pages (1–{max})", max=fees.MAX_UNITS)
    return _with_quote(params, fees.quote_pages(params.pages))


def _with_quote(params: ev.NotifyFee, q: fees.Quote) -> ev.NotifyFee:
    computed = Decimal(q.amount)
    amount = params.amount if params.amount is not None else computed
    if amount != computed and params.reason is None:
        raise RuleViolation(
            "notify_fee: the amount {amount} differs from the computed {computed} yuan; give the reason",
            amount=amount,
            computed=computed,
        )
    return params.model_copy(update={"count": q.count, "computed_amount": computed, "amount": amount})
