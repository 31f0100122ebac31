"""search: the web case list's search beside the plain case list, same data, same run.

Over the big generated set (1,000,000 cases at full sizes), through the real app (a TestClient
in this process: routing, session, the query, the template), each page timed as the median of
`repeats` requests, the plain list and the searched one interleaved:

- as a caseworker of the largest body (the list holds ~13% of all cases),
- as an administrator (the list holds every case),

for a full name, the start of a ref, a phrase of requests (a few per cent of all cases), a
surname alone (one character: the btree prefix) and a word no case holds. Target: each search
within 2x of the plain list of the same user. Deep paging is reported beside page 1.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from benchmarks.core import Result, Sizes, Target, count, interleaved
from benchmarks.data import Datasets
from benchmarks.web import ADMIN, WORKER, enable_logins, logged_in_client, search_terms
from workflow.case_search import MAX_PAGE

TARGET = 2.0


def fetch(client: object, path: str) -> Callable[[], None]:
    def go() -> None:
        answer = client.get(path)  # type: ignore[attr-defined]
        if answer.status_code != 200:
            raise RuntimeError(f"{path}: HTTP {answer.status_code}")

    return go


def deepest_page(client: Any) -> int:
    """The user's last numbered page: MAX_PAGE, or where a shorter list ends (a page past the last
    one redirects to it)."""
    answer = client.get(f"/cases?page={MAX_PAGE}")
    if answer.status_code == 303:
        return int(parse_qs(urlsplit(answer.headers["location"]).query).get("page", ["1"])[0])
    return MAX_PAGE


def run(sizes: Sizes, data: Datasets) -> list[Result]:
    big = data.big()
    enable_logins()
    terms = search_terms()
    repeats = max(sizes.repeats * 2, 5)
    size = count(big.cases, "cases")
    results: list[Result] = []
    for who, role in ((WORKER, "caseworker"), (ADMIN, "administrator")):
        client = logged_in_client(who)
        plain = fetch(client, "/cases")
        for term in terms:
            base, searched = interleaved(
                [plain, fetch(client, "/cases?" + urlencode({"q": term.query}))], repeats
            )
            results.append(
                Result(
                    benchmark="search",
                    name=f"/cases?q= {term.kind} ({term.query}) as {role}",
                    figure=searched * 1000,
                    unit="ms",
                    baseline_name=f"/cases as {role}",
                    baseline=base * 1000,
                    baseline_unit="ms",
                    ratio=searched / base,
                    ratio_means="searched page time / plain list time",
                    target=Target("ratio", "<=", TARGET),
                    size=size,
                )
            )
        last = deepest_page(client)
        base, deep = interleaved([plain, fetch(client, f"/cases?page={last}")], repeats)
        results.append(
            Result(
                benchmark="search",
                name=f"/cases?page={last} (the deepest numbered page) as {role}",
                figure=deep * 1000,
                unit="ms",
                baseline_name=f"/cases as {role}",
                baseline=base * 1000,
                baseline_unit="ms",
                ratio=deep / base,
                ratio_means="deepest page time / first page time",
                size=size,
            )
        )
        client.close()
    return results
