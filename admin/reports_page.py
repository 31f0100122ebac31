"""The report page: section 三 and 四 of an organ's year with the checks, the cases behind each number,
DOCX and XLSX downloads, section 二 and the narrative as forms, closing and reopening the year."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session, col, select

from admin.auth import WebUser, current_user
from admin.cases import ERROR_STATUS, int_param
from admin.templating import flash, render
from codes import APPEAL_COLUMNS, COLUMNS, OUTCOMES, AppealKind
from config.i18n import _
from config.i18n import render as render_message
from ledger.export import full_numbers_allowed
from models.db import read_session, session_scope
from models.organs import Organ
from reports.build import build_report
from reports.cells import appeals_behind, cases_behind, count_appeals_behind, count_behind
from reports.closing import close_year, reopen_year
from reports.document import INTERNAL_MARK
from reports.inputs import save_inputs
from reports.layout import (
    S2_BLOCKS,
    S2_DECISIONS,
    S2_DOCUMENT_COLUMNS,
    S2_FEES,
    S3_HEADER_ROWS,
    S3_LABEL_COLS,
    TITLE,
    Grid,
    section3_grid,
    section4_grid,
)
from reports.render import render as render_report
from reports.screen import (
    headings,
    on_screen,
    report_title,
    row_label,
    section2_words,
    section3_words,
    section4_words,
)
from reports.seal import versions
from workflow import clock
from workflow.access import visible_organ
from workflow.bounds import FIRST_YEAR, LAST_YEAR
from workflow.case_search import MAX_PAGE, MAX_ROWS, PAGE_SIZE, page_count, page_links
from workflow.errors import InvalidInput, NotFound, OgiError, PermissionDenied, Phrase

router = APIRouter()
# section 三's data rows, top to bottom, as section3_grid lays them out
S3_ROW_KEYS: tuple[str, ...] = ("new", "carried_in", *OUTCOMES, "total", "carried_out")
# section 四's column groups, left to right, as section4_grid lays them out
S4_KINDS: tuple[str, ...] = tuple(AppealKind)
DOWNLOADS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
NARRATIVE = ("overview", "problems", "other")
COUNT_MAX = 2_000_000_000  # a section 二 count: far above any organ's, and within a database integer


def scope_of(request: Request, me: WebUser) -> tuple[str, int, bool]:
    """(organ code, year, include_children) from the query or form; the user's own organ by default."""
    p = request.query_params
    organ = p.get("organ") or me.organ_code
    year = int_param(p.get("year"), "year", low=FIRST_YEAR, high=LAST_YEAR) or clock.today().year
    return organ, year, bool(p.get("children"))


def check_access(s: Session, me: WebUser, organ_code: str, *, action: Phrase) -> Organ:
    """The organ, when the user may see it; another organ answers exactly as a missing one."""
    return visible_organ(s, organ_code, me.actor)


def lists_cases(me: WebUser, children: bool) -> bool:
    """The one check behind every list of cases a report shows or carries (the numbers' click-through,
    the checks' refs, the annex's oldest cases, on the page and in every download): a roll-up's lists
    name other organs' cases, which only an administrator may see."""
    return me.is_admin or not children


def as_seen_by(me: WebUser, report: dict[str, Any], children: bool) -> dict[str, Any]:
    """The report without its case lists when the user may not see them (the numbers stay)."""
    if lists_cases(me, children):
        return report
    checks = [{k: v for k, v in c.items() if k != "cases"} for c in report.get("checks") or []]
    annex = report.get("timeliness")
    if annex is not None:
        annex = {**annex, "oldest_pending": []}
    return {**report, "checks": checks, "timeliness": annex}


def grid_rows(grid: Grid) -> list[list[Any]]:
    rows: list[list[Any]] = [[] for _ in range(grid.rows)]
    for c in sorted(grid.cells, key=lambda c: (c.row, c.col)):
        rows[c.row].append(c)
    return rows


def cell_key(row: int, col: int) -> tuple[str, str]:
    """The (row key, column key) of a data cell of section3_grid."""
    return S3_ROW_KEYS[row - S3_HEADER_ROWS], COLUMNS[col - S3_LABEL_COLS]


def appeal_cell_key(row: int, col: int) -> tuple[str, str]:
    """The (appeal kind, result column) of a data cell of section4_grid (one row of 3 × 5)."""
    n = len(APPEAL_COLUMNS)
    return S4_KINDS[col // n], APPEAL_COLUMNS[col % n]


def section2_fields() -> list[tuple[str, str, str]]:
    """(form name, label, kind) of every section 二 figure, in the national format's order."""
    words = section2_words()

    def name(item: str, label: str, column: str) -> str:
        item, label, column = (words.get(w, w) for w in (item, label, column))
        return _("{item} {label}: {column}", item=item, label=label, column=column)

    out = []
    for item, kind, entries in S2_BLOCKS:
        for key, label in entries:
            if kind == "documents":
                columns = zip(("issued", "repealed", "in_force"), S2_DOCUMENT_COLUMNS, strict=True)
                out += [(f"{key}.{c}", name(item, label, text), "count") for c, text in columns]
            elif kind == "decisions":
                out.append((key, name(item, label, S2_DECISIONS), "count"))
            else:
                out.append((key, name(item, label, S2_FEES), "amount"))
    return out


def section2_values(section2: dict[str, Any] | None) -> dict[str, str]:
    if not section2:
        return {}
    out: dict[str, str] = {}
    for name, _label, _kind in section2_fields():
        head, _dot, tail = name.partition(".")
        value = section2[head][tail] if tail else section2[head]
        out[name] = str(value)
    return out


@router.get("/reports")
def report_page(request: Request, me: WebUser = Depends(current_user)) -> Response:
    organ_code, year, children = scope_of(request, me)
    return page(request, me, organ_code, year, children)


def page(
    request: Request, me: WebUser, organ_code: str, year: int, children: bool, *, error: str | None = None,
    status: int = 200, submitted: Any = None,
) -> Response:  # fmt: skip
    with read_session() as s:
        organ = check_access(s, me, organ_code, action=Phrase("view this organ's report"))
        report = build_report(s, organ_code, year, include_children=children, timeliness=False)
        report = as_seen_by(me, report, children)
        assert organ.id is not None
        seals = versions(s, organ.id, year)
        organs = list(s.exec(select(Organ).order_by(col(Organ.code)))) if me.is_admin else [organ]
    today = clock.today()
    context = {
        "report": report,
        "organ": organ,
        "organs": organs,
        "year": year,
        "children": children,
        "title": report_title(organ.name, year),
        "s3": grid_rows(on_screen(section3_grid(report["section3"]), section3_words())),
        "s4": grid_rows(on_screen(section4_grid(report["section4"]), section4_words())),
        "cell_key": cell_key,
        "appeal_cell_key": appeal_cell_key,
        "links": lists_cases(me, children),
        # the ledger with identity numbers in full: offered only to whom the ledger's rule grants it
        "ledger_full": lists_cases(me, children)
        and full_numbers_allowed(me.actor, organ.id, include_children=children),
        "headings": headings(),
        "s2_fields": section2_fields(),
        # a refused form comes back as the user filled it in
        "s2_values": typed_values(submitted, [n for n, _, _ in section2_fields()])
        if submitted is not None
        else section2_values(report["section2"]),
        "narrative_values": typed_values(submitted, NARRATIVE) if submitted is not None else {},
        "reopen_reason": typed_values(submitted, ["reason"]).get("reason", "")
        if submitted is not None
        else "",
        "seals": seals,
        "years": list(range(today.year, today.year - 6, -1)),
        "today": today,
        "error": error,
    }
    return render(request, "report.html", context, status_code=status)


def typed_values(data: Any, names: Any) -> dict[str, str]:
    return {n: str(data.get(n) or "")[:10_000] for n in names if data.get(n) is not None}


def cell_of(request: Request, me: WebUser) -> tuple[str, int, bool, str, str]:
    """(organ, year, roll-up, row, column) of a clicked number; only an admin lists a roll-up's."""
    organ_code, year, children = scope_of(request, me)
    if not lists_cases(me, children):  # a roll-up lists other organs' cases
        raise PermissionDenied("{name} may not list the cases of other organs", name=me.name)
    q = request.query_params
    return organ_code, year, children, q.get("row", ""), q.get("column", "")


@router.get("/reports/cell")
def report_cell(request: Request, me: WebUser = Depends(current_user)) -> Response:
    organ_code, year, children, row, column = cell_of(request, me)
    page = drill_page(request)
    with read_session() as s:
        organ = check_access(s, me, organ_code, action=Phrase("list this organ's cases"))
        total = count_behind(s, organ_code, year, row, column, include_children=children)
        rows = cases_behind(s, organ_code, year, row, column, include_children=children, **window(page))
        codes = {o.id: o.code for o in s.exec(select(Organ))}
    context = {"organ": organ, "year": year, "row": row, "column": column, "rows": rows, "organ_codes": codes,
               "row_label": row_label(row), "children": children,
               **pager(request, "/reports/cell", page, total)}  # fmt: skip
    return render(request, "report_cell.html", context)


def drill_page(request: Request) -> int:
    """The page of a drill-down list (1 when absent), within the numbered pages."""
    return int_param(request.query_params.get("page"), "page", low=1, high=MAX_PAGE) or 1


def window(page: int) -> dict[str, int]:
    return {"offset": (page - 1) * PAGE_SIZE, "limit": PAGE_SIZE}


def pager(request: Request, path: str, page: int, total: int) -> dict[str, Any]:
    """What _pager.html needs: the drill-down's own query string kept, the page changed."""
    pages = page_count(total)
    filters = {k: v for k, v in request.query_params.items() if k != "page"}
    links = page_links(page, pages)
    return {"total": total, "page": page, "pages": pages, "page_links": links, "filters": filters,
            "base_path": path, "more": total > MAX_ROWS, "max_rows": MAX_ROWS}  # fmt: skip


@router.get("/reports/appeals")
def report_appeals(request: Request, me: WebUser = Depends(current_user)) -> Response:
    """The appeals behind a section 四 number, with their cases."""
    organ_code, year, children, kind, column = cell_of(request, me)
    page = drill_page(request)
    with read_session() as s:
        organ = check_access(s, me, organ_code, action=Phrase("list this organ's appeals"))
        total = count_appeals_behind(s, organ_code, year, kind, column, include_children=children)
        rows = appeals_behind(s, organ_code, year, kind, column, include_children=children, **window(page))
    context = {"organ": organ, "year": year, "kind": kind, "column": column, "rows": rows,
               "children": children, **pager(request, "/reports/appeals", page, total)}  # fmt: skip
    return render(request, "report_appeals.html", context)


@router.get("/reports/download")
def report_download(request: Request, me: WebUser = Depends(current_user)) -> Response:
    organ_code, year, children = scope_of(request, me)
    fmt = request.query_params.get("format", "docx")
    if fmt not in DOWNLOADS:
        raise InvalidInput("format: {fmt!r} is not one of {choices}", fmt=fmt, choices=", ".join(DOWNLOADS))
    part = request.query_params.get("part", "published")  # the published report, or the internal record
    if part not in ("published", "internal"):
        raise InvalidInput("part: {part!r} is not one of published, internal", part=part)
    internal = part == "internal"
    with read_session() as s:
        organ = check_access(s, me, organ_code, action=Phrase("download this organ's report"))
        report = as_seen_by(me, build_report(s, organ_code, year, include_children=children), children)
    body = render_report(report, fmt, internal=internal)
    filename = f"{TITLE.format(organ=organ.name, year=year)}{INTERNAL_MARK if internal else ''}.{fmt}"
    disposition = (
        f'attachment; filename="report-{organ.code}-{year}{"-internal" if internal else ""}.{fmt}"; '
        f"filename*=UTF-8''{quote(filename)}"
    )
    return Response(body, media_type=DOWNLOADS[fmt], headers={"Content-Disposition": disposition})


def visible(me: WebUser, organ_code: str) -> None:
    with read_session() as s:
        check_access(s, me, organ_code, action=Phrase("change this organ's report"))


def report_url(organ: str, year: int) -> str:
    return f"/reports?organ={quote(organ)}&year={year}"


async def report_change(request: Request, me: WebUser, work: Any, done: str) -> Response:
    """Apply one change; a refusal shows the report again with the reason (and changes nothing)."""
    data = await request.form()
    organ = str(data.get("organ") or me.organ_code)
    year = (
        int_param(str(data.get("year") or ""), "year", low=FIRST_YEAR, high=LAST_YEAR) or clock.today().year
    )
    try:
        await run_in_threadpool(visible, me, organ)
        await run_in_threadpool(work, organ, year, data)
    except NotFound:
        raise  # no such organ, or one the user may not see: the same plain error page
    except OgiError as e:
        message, status = render_message(e), ERROR_STATUS.get(type(e).__name__, 422)
        return await run_in_threadpool(
            lambda: page(request, me, organ, year, False, error=message, status=status, submitted=data)
        )
    flash(request, done)
    return RedirectResponse(report_url(organ, year), status_code=303)


@router.post("/reports/inputs")
async def report_inputs(request: Request, me: WebUser = Depends(current_user)) -> Response:
    def work(organ: str, year: int, data: Any) -> None:
        with session_scope() as s:
            save_inputs(s, organ, year, inputs_from_form(data), actor=me.actor)

    return await report_change(request, me, work, _("Section 2 and the report's text are saved"))


def inputs_from_form(data: Any) -> dict[str, Any]:
    """The form's values as the inputs mapping reports.inputs validates; all blank = section 二 not given."""
    section2: dict[str, Any] = {}
    given = False
    for name, label, kind in section2_fields():
        raw = str(data.get(name) or "").strip()
        given = given or bool(raw)
        if kind == "count":
            value: Any = int_param(raw, label, high=COUNT_MAX) or 0
        elif len(raw) > 32:
            raise InvalidInput("{label}: {raw!r}… is not an amount", label=label, raw=raw[:20])
        else:
            value = raw or "0"
        head, _, tail = name.partition(".")
        if tail:
            section2.setdefault(head, {})[tail] = value
        else:
            section2[head] = value
    narrative = {k: (str(data.get(k) or "").strip() or None) for k in NARRATIVE}
    return {"section2": section2 if given else None, "narrative": narrative}


@router.post("/reports/close")
async def report_close(request: Request, me: WebUser = Depends(current_user)) -> Response:
    def work(organ: str, year: int, data: Any) -> None:
        with session_scope() as s:
            close_year(s, organ, year, actor=me.actor)

    return await report_change(request, me, work, _("The year is closed and its report sealed"))


@router.post("/reports/reopen")
async def report_reopen(request: Request, me: WebUser = Depends(current_user)) -> Response:
    def work(organ: str, year: int, data: Any) -> None:
        with session_scope() as s:
            reopen_year(s, organ, year, reason=str(data.get("reason") or ""), actor=me.actor)

    return await report_change(request, me, work, _("The year is reopened"))
