"""The dashboard's charts are drawn from the cases: each bar's value is the count it stands for."""

from __future__ import annotations

import re

from admin.masking import mask_applicant
from tests.admin.conftest import TODAY, logged_in
from tests.support import D, receive, step
from workflow.calendar import add_workdays, workdays_between


def bars(svg_page: str, chart: str) -> dict[str, int]:
    block = re.search(rf'id="chart-{chart}">(.*?)</svg>', svg_page, re.S)
    assert block is not None
    found = re.findall(
        r'data-(?:series="([^"]*)" data-)?category="([^"]*)"\s+data-value="(\d+)"', block.group(1)
    )
    return {(f"{s}/{c}" if s else c): int(v) for s, c, v in found}


def test_the_dashboard_counts_the_years_intake_conclusions_outcomes_and_open_deadlines(
    any_office: str,
) -> None:
    receive(D(2026, 1, 5), organ="east", ref="A")
    receive(D(2026, 1, 20), organ="east", ref="B")
    receive(D(2026, 3, 2), organ="east", ref="C")
    receive(D(2026, 6, 1), organ="east", ref="D")  # open, due in July
    receive(D(2026, 5, 6), organ="west", ref="W")  # another organ: not counted for east
    step("A", "answer", on=D(2026, 1, 30), outcome="disclosed")  # on time
    step(
        "B", "answer", on=D(2026, 3, 20), outcome="withheld_state_secret", reasons="属于国家秘密"
    )  # late (due 2026-02-25)
    step("C", "consult", on=D(2026, 3, 10), party="third_party")  # paused
    page = logged_in("east-worker").get("/?year=2026").text

    monthly = bars(page, "monthly")
    assert monthly["新收/1月"] == 2 and monthly["新收/3月"] == 1 and monthly["新收/6月"] == 1
    assert monthly["办结/1月"] == 1 and monthly["办结/3月"] == 1
    assert sum(v for k, v in monthly.items() if k.startswith("新收")) == 4
    assert bars(page, "mix") == {
        "予以公开": 1,
        "部分公开": 0,
        "不予公开": 1,
        "无法提供": 0,
        "不予处理": 0,
        "其他处理": 0,
    }
    assert 'class="share" data-value="1" data-whole="2"' in page  # one of two answered on time
    open_cases = bars(page, "open")
    assert open_cases["计时暂停或待补正"] == 1 and sum(open_cases.values()) == 2
    left = workdays_between(TODAY, add_workdays(D(2026, 6, 1), 20))  # D's working days to its deadline
    assert left == 10  # the Dragon Boat Festival (2026-06-19) is not a working day
    assert open_cases["6–10 个工作日"] == 1
    assert re.search(r'id="kpi-intake">4<', page) and re.search(r'id="kpi-concluded">2<', page)


def test_an_administrator_chooses_the_organ_and_sees_all_by_default(any_office: str) -> None:
    receive(D(2026, 1, 5), organ="east", ref="A")
    receive(D(2026, 2, 5), organ="west", ref="W")
    w = logged_in("root")
    assert re.search(r'id="kpi-intake">2<', w.get("/?year=2026").text)
    assert re.search(r'id="kpi-intake">1<', w.get("/?year=2026&organ=west").text)


def test_a_name_is_masked_to_its_surname_and_an_organisation_to_its_ends() -> None:
    assert mask_applicant("张三", "natural_person") == "张*"
    assert mask_applicant("欧阳修文", "natural_person") == "欧***"
    assert mask_applicant("北京某某科技有限公司", "commercial_enterprise") == "北京******公司"
    assert mask_applicant("王", "natural_person") == "*"
    assert mask_applicant(" 李  四 ", "natural_person") == "李*"
