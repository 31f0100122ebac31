"""Transitions only by POST carrying the version the user saw; a stale version changes nothing."""

from __future__ import annotations

import re

from tests.admin.conftest import logged_in
from tests.admin.test_roles import case_state
from tests.support import D, receive, step


def test_a_stale_version_is_refused_and_nothing_changes(any_office: str) -> None:
    receive(D(2026, 4, 1), organ="east", ref="E-20")
    w = logged_in("east-worker")
    page = w.get("/cases/E-20").text
    [version] = set(re.findall(r'name="version" value="(\d+)"', page))
    step("E-20", "consult", on=D(2026, 4, 8), party="third_party")  # a colleague, meanwhile
    before = case_state("E-20")
    r = w.advance("E-20", "answer", int(version), on="2026-04-10", outcome="disclosed")
    assert r.status_code == 409
    assert "打开后案件已有改动（原为第 1 版，现为第 2 版）" in r.text
    assert case_state("E-20") == before


def test_the_page_carries_the_current_version_so_the_next_post_applies(office: str) -> None:
    receive(D(2026, 4, 1), organ="east", ref="E-21")
    step("E-21", "consult", on=D(2026, 4, 8), party="third_party")
    w = logged_in("east-worker")
    assert set(re.findall(r'name="version" value="(\d+)"', w.get("/cases/E-21").text)) == {"2"}
    assert w.advance("E-21", "receive_opinion", 2, on="2026-04-20").status_code == 303
    assert case_state("E-21") == (D(2026, 5, 14), ["receive", "consult", "receive_opinion"])


def test_a_transition_without_a_version_is_refused(office: str) -> None:
    receive(D(2026, 4, 1), organ="east", ref="E-22")
    before = case_state("E-22")
    r = logged_in("east-worker").post("/cases/E-22/advance", {"event": "withdraw", "on": "2026-04-02"})
    assert r.status_code == 422 and "版本" in r.text
    assert case_state("E-22") == before


def test_transitions_are_not_reachable_by_get(office: str) -> None:
    receive(D(2026, 4, 1), organ="east", ref="E-23")
    w = logged_in("east-worker")
    assert w.get("/cases/E-23/advance?event=withdraw&version=1").status_code == 405
    assert case_state("E-23")[1] == ["receive"]
