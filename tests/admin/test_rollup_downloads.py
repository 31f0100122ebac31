"""A roll-up's numbers are everyone's in the organ; the cases behind them are only an administrator's.
One check decides it for the page, the click-through and every download."""

from __future__ import annotations

import io
import zipfile

import pytest

from models.db import session_scope
from tests.admin.conftest import logged_in
from tests.support import D, receive
from workflow.directory import add_organ

CHILD_REF = "TOWN-2025-00007"


@pytest.fixture
def child_case(office: str) -> str:
    with session_scope() as s:
        add_organ(s, code="town", name="东区某镇人民政府", parent="east")
    receive(D(2025, 12, 22), organ="town", ref=CHILD_REF)  # still open on 31 December: the annex lists it
    return CHILD_REF


def text_of(body: bytes) -> str:
    """Every XML part of an Office document, as text (the refs are plain strings in it)."""
    with zipfile.ZipFile(io.BytesIO(body)) as z:
        return "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml"))


@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
def test_a_caseworkers_roll_up_download_carries_no_case_of_the_child_organs(
    child_case: str, fmt: str
) -> None:
    # the internal record (seal, checks, annex) lists cases; the published report lists none
    path = f"/reports/download?organ=east&year=2025&format={fmt}&children=1&part=internal"
    admin = logged_in("root").get(path)
    assert admin.status_code == 200 and child_case in text_of(admin.content)  # the lists are there to leak
    for name in ("east-worker", "east-head"):
        for part in (path, path.replace("&part=internal", "")):
            r = logged_in(name).get(part)
            assert r.status_code == 200
            assert child_case not in text_of(r.content), (name, part)


def test_the_roll_up_page_and_its_click_through_show_no_child_case_to_a_caseworker(child_case: str) -> None:
    w = logged_in("east-worker")
    page = w.get("/reports?organ=east&year=2025&children=1")
    assert page.status_code == 200 and child_case not in page.text
    cell = w.get("/reports/cell?organ=east&year=2025&row=carried_out&column=total&children=1")
    assert cell.status_code == 403 and child_case not in cell.text
    assert (
        child_case
        in logged_in("root")
        .get("/reports/cell?organ=east&year=2025&row=carried_out&column=total&children=1")
        .text
    )
