"""Finding cases: the search box, the sortable columns and the numbered pages of the case list.

Search matches a case when the query is
- the start of its ref (case-insensitive: refs are typed from paper in either case),
- part of its applicant's name or of its request text (case-insensitive), or
- its applicant's identity number, exactly (`identity_filter`, the one hook for it).

A query of one or two characters cannot use PostgreSQL's trigram indexes (a trigram needs three),
and would scan every row: it matches the start of the applicant's name only, as typed (a Chinese
name searched by its surname, or surname and given name), along a btree; the start of a ref is
shared by every case of an organ and year, so a ref is searched from three characters on.

Paging is by offset, over at most `MAX_ROWS` rows (`MAX_PAGE` numbered pages). An office pages
through a few screens and narrows the rest with the filters and the search, so a deep offset is
never needed; bounding it keeps the worst page (offset 9,950 along an index) as cheap as the first
few, and the count is bounded the same way (`count_capped`; a search counts only a few pages ahead,
`count_cap`). Keyset paging would make page 10,000
as cheap as page 1, but cannot jump to a numbered page, which is what a caseworker clicks.

Indexes (migration 0012_search): on PostgreSQL pg_trgm GIN on `ref`, `applicant` and `request`,
and a btree `text_pattern_ops` on `applicant` for the short prefix; SQLite runs the same LIKE
without them (its offices hold thousands of cases, not millions).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from models.cases import Case
from workflow import identity
from workflow.applicants import identity_condition, identity_hash
from workflow.errors import InvalidInput

QUERY_MAX = 100  # characters of a search: a ref, a name or a phrase of a request
SUBSTRING_MIN = 3  # the shortest query matched anywhere in a text (a trigram)
PAGE_SIZE = 50
MAX_PAGE = 200
MAX_ROWS = PAGE_SIZE * MAX_PAGE  # the rows the numbered pages reach; the count stops just past it
SEARCH_LOOKAHEAD = 4  # numbered pages a search counts past the one shown
LIKE_ESCAPE = "\\"

# the list's sortable columns: the query string's key → the column (the ref breaks every tie)
SORT_KEYS: Mapping[str, Any] = {
    "ref": col(Case.ref),
    "received": col(Case.received_on),
    "due": col(Case.reply_due),
    "state": col(Case.state),
    "applicant": col(Case.applicant),
    "concluded": col(Case.concluded_on),
}
DIRECTIONS = ("asc", "desc")

# what an identity number looks like (a resident ID, a credit code, an old 15-digit ID)
_ID_SHAPE = re.compile(r"[0-9A-Za-z]{15,18}")
MIN_ID_DIGITS = 8


def normalise(query: str | None) -> str:
    """The query as searched: trimmed, inner runs of white space as one space; refused when too long."""
    text = " ".join((query or "").split())
    if len(text) > QUERY_MAX:
        raise InvalidInput("search: longer than {n} characters", n=QUERY_MAX)
    return text


def escape_like(text: str) -> str:
    """`text` as a literal inside a LIKE pattern (its % and _ match only themselves)."""
    return text.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2).replace("%", "\\%").replace("_", "\\_")


def identity_filter(query: str) -> ColumnElement[bool] | None:
    """The clause matching cases whose applicant holds identity number `query`, exactly (through its
    keyed hash, DESIGN §12), for a query shaped like one (15–18 letters and digits, mostly digits);
    else None. Never a prefix or substring: the number itself is not stored in clear."""
    if not _ID_SHAPE.fullmatch(query) or sum(ch.isdigit() for ch in query) < MIN_ID_DIGITS:
        return None
    return identity_condition(identity_hash(query, identity.kind_of(query)))


def search_clause(query: str) -> ColumnElement[bool] | None:
    """The WHERE clause of a (normalised) search, or None for an empty one."""
    if not query:
        return None
    literal = escape_like(query)
    if len(query) >= SUBSTRING_MIN:
        anywhere = f"%{literal}%"
        arms: list[ColumnElement[bool]] = [
            col(Case.ref).ilike(f"{literal}%", escape=LIKE_ESCAPE),
            col(Case.applicant).ilike(anywhere, escape=LIKE_ESCAPE),
            col(Case.request).ilike(anywhere, escape=LIKE_ESCAPE),
        ]
    else:  # a surname, or a surname and a given name: along the applicant's btree
        arms = [col(Case.applicant).like(f"{literal}%", escape=LIKE_ESCAPE)]
    identity = identity_filter(query)
    if identity is not None:
        arms.append(identity)
    return or_(*arms)


@dataclass(frozen=True)
class Sort:
    """A whitelisted sort key and direction; `key` None is the list's own order (by its filters)."""

    key: str | None = None
    direction: str = "asc"

    @classmethod
    def parse(cls, key: str | None, direction: str | None) -> Sort:
        key = (key or "").strip() or None
        if key is not None and key not in SORT_KEYS:
            raise InvalidInput(
                "sort: {key} is not one of {keys}", key=repr(key[:20]), keys=", ".join(SORT_KEYS)
            )
        direction = (direction or "").strip() or "asc"
        if direction not in DIRECTIONS:
            raise InvalidInput(
                "dir: {value} is not one of {values}",
                value=repr(direction[:20]),
                values=", ".join(DIRECTIONS),
            )
        return cls(key, direction)

    def order_by(self, default: tuple[Any, ...]) -> tuple[Any, ...]:
        """ORDER BY terms: the chosen column then the ref in the same direction, or `default`."""
        if self.key is None:
            return default
        terms = (SORT_KEYS[self.key], col(Case.ref)) if self.key != "ref" else (col(Case.ref),)
        return tuple(t.desc() if self.direction == "desc" else t.asc() for t in terms)


def count_cap(page: int, *, searching: bool) -> int:
    """How far the list counts its matches on numbered page `page`.

    The plain list counts up to `MAX_ROWS` along an index, without reading the table. A search
    must read every match from the table to check it (a trigram only narrows the candidates), so
    counting a broad phrase's 10,000 matches took 0.1–0.4 s at 1,000,000 cases, while its first
    page takes 5 ms: a search counts `SEARCH_LOOKAHEAD` pages past the one shown ("250+"), and
    the count grows as the user pages on."""
    if not searching:
        return MAX_ROWS
    return min(MAX_ROWS, (page + SEARCH_LOOKAHEAD) * PAGE_SIZE)


def count_capped(session: Session, where: list[ColumnElement[bool]], cap: int = MAX_ROWS) -> int:
    """How many cases match, counted up to `cap` + 1 (more than `cap` reads "over `cap`")."""
    inner = select(col(Case.id)).where(*where).limit(cap + 1).subquery()
    return int(session.exec(select(func.count()).select_from(inner)).one())


def page_rows(q: Any, page: int) -> Any:
    """The rows of numbered page `page` (1-based) of an ordered query."""
    if not 1 <= page <= MAX_PAGE:
        raise InvalidInput(
            "page: {page} is past the last numbered page ({last}); "  # one message id, split to fit
            "narrow the list with the filters or the search",
            page=page,
            last=MAX_PAGE,
        )
    return q.offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)


def page_count(total: int) -> int:
    """The numbered pages of `total` (capped) matches: at least 1, at most MAX_PAGE."""
    return max(1, min(MAX_PAGE, -(-total // PAGE_SIZE)))


def page_links(page: int, pages: int, *, around: int = 2) -> list[int | None]:
    """The page numbers a pager shows: the first, the last and `around` either side of `page`;
    None marks a gap (…)."""
    shown = sorted({1, pages, *range(max(1, page - around), min(pages, page + around) + 1)})
    out: list[int | None] = []
    for n in shown:
        if out and n - (out[-1] or 0) > 1:
            out.append(None)
        out.append(n)
    return out
