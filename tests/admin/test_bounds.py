"""Out-of-range dates and numbers in the web forms and filters: a 4xx page, never a 500."""

from __future__ import annotations

import pytest

from tests.admin.conftest import logged_in
from tests.support import D, receive


@pytest.mark.parametrize(
    ("path", "data"),
    [
        (
            "/cases/EAST-2026-00001/advance",
            {"event": "defer", "version": "1", "on": "2026-06-01", "until": "2300-01-01", "reason": "多"},
        ),
        (
            "/cases/EAST-2026-00001/advance",
            {"event": "request_correction", "version": "1", "on": "2026-06-01", "days": "1000000"},
        ),
        (
            "/cases/EAST-2026-00001/advance",
            {"event": "request_correction", "version": "1", "on": "2026-06-01", "days": "9" * 5000},
        ),
        (
            "/cases-new",
            {
                "organ": "east",
                "mode": "received",
                "date": "1989-12-31",
                "applicant_type": "natural_person",
                "applicant": "王五",
                "channel": "in_person",
            },
        ),
        ("/cases/EAST-2026-00001/appeals", {"kind": "reconsideration", "filed_on": "2300-01-01"}),
    ],
)
def test_the_web_forms_refuse_an_out_of_range_value_with_a_4xx_page(
    office: str, path: str, data: dict[str, str]
) -> None:
    receive(D(2026, 6, 1), organ="east")
    r = logged_in("east-head").post(path, data)
    assert 400 <= r.status_code < 500, r.text[:300]
    for query in (
        "/cases?due_within=100000",
        "/cases?year=99999",
        "/reports?year=3000",
        "/cases?state=bogus",
        "/cases?applicant_type=robot",
    ):
        assert logged_in("east-head").get(query).status_code == 422
