"""Case work in the browser: the list and its filters, the case page's timeline and forms, receiving."""

from __future__ import annotations

import datetime as dt
import re

import time_machine

from codes import LAPSE_OUTCOMES, OUTCOME_SHORT_LABELS
from models.db import read_session
from tests.admin.conftest import TODAY, logged_in, texts
from tests.admin.test_roles import case_state
from tests.support import D, receive, step
from workflow.calendar import add_workdays
from workflow.case_json import history
from workflow.machine import allowed_events
from workflow.service import get_case


def explanations(page: str) -> list[str]:
    return texts(page, "explain small")


def test_the_timeline_explains_a_consultation_pause_in_working_days(office: str) -> None:
    receive(D(2026, 4, 1), organ="east", ref="E-30")
    step("E-30", "consult", on=D(2026, 4, 8), party="third_party")
    step("E-30", "receive_opinion", on=D(2026, 4, 20))
    page = logged_in("east-worker").get("/cases/E-30").text
    assert explanations(page) == [
        "答复期限为 2026-04-30：自收到申请之日起 20 个工作日",
        "告知补正期限为 2026-04-13：自收到申请之日起 7 个工作日",
        "征求意见期限为 2026-04-29（15 个工作日）；征求意见期间不计入答复期限",
        "答复期限由 2026-04-30 顺延至 2026-05-14：征求第三方意见暂停 8 个工作日",  # DESIGN §4
    ]


def test_the_timeline_explains_a_lapsed_consultation_and_a_restarted_clock(office: str) -> None:
    receive(D(2026, 4, 1), organ="east", ref="E-31")
    step("E-31", "consult", on=D(2026, 4, 8), party="organ")
    step("E-31", "lapse_consultation")
    receive(D(2026, 3, 2), organ="east", ref="E-32")
    step("E-32", "request_correction", on=D(2026, 3, 5), items=["申请内容的描述"], days=10)
    step("E-32", "receive_correction", on=D(2026, 3, 16))
    w = logged_in("east-worker")
    assert "答复期限由 2026-04-30 顺延至 2026-05-25：征求其他机关意见暂停 15 个工作日" in explanations(
        w.get("/cases/E-31").text
    )
    lines = explanations(w.get("/cases/E-32").text)
    assert "补正期限为 2026-03-19；收到补正申请后答复期限重新起算" in lines
    assert "答复期限由 2026-03-30 重新计算为 2026-04-14：自收到补正申请之日起 20 个工作日" in lines


def test_the_timeline_shows_who_recorded_each_event_when_and_its_effective_date(office: str) -> None:
    receive(D(2026, 4, 1), organ="east", ref="E-33")
    w = logged_in("east-head")
    assert w.advance("E-33", "extend", 1, on="2026-04-10", days=5, approver="east-head").status_code == 303
    page = w.get("/cases/E-33").text
    entries = re.findall(r'<div class="timeline-entry" data-event="(\w+)">(.*?)</div>\s*</div>', page, re.S)
    assert [e for e, _ in entries] == ["receive", "extend"]
    extend = entries[1][1]
    assert "延期答复" in extend and "生效日期 2026-04-10（周五）" in extend
    assert "east-head 于 2026-06-15" in extend  # recorded today, in Beijing time
    assert "批准人：east-head" in extend
    assert "答复期限由 2026-04-30 延长至 2026-05-11：经 east-head 同意延长 5 个工作日" in extend


def forms_on(page: str) -> list[str]:
    return re.findall(r'class="event-form" data-event="(\w+)"', page)


def test_forms_are_offered_only_for_the_events_allowed_now(office: str) -> None:
    receive(D(2026, 4, 1), organ="east", ref="E-34")
    w = logged_in("east-head")
    assert forms_on(w.get("/cases/E-34").text) == allowed_events("received")
    step("E-34", "request_correction", on=D(2026, 4, 3), items=["申请内容的描述"])
    assert forms_on(w.get("/cases/E-34").text) == ["receive_correction", "lapse_correction", "withdraw"]
    step("E-34", "withdraw", on=D(2026, 4, 7))
    page = w.get("/cases/E-34").text
    assert forms_on(page) == [] and "本申请已办结" in page


def test_a_lapse_is_offered_only_once_its_period_has_ended_and_an_extension_only_once(office: str) -> None:
    receive(D(2026, 6, 1), organ="east", ref="E-38")
    step("E-38", "request_correction", on=D(2026, 6, 3), items=["申请内容的描述"], until=D(2026, 6, 20))
    w = logged_in("east-head")
    page = w.get("/cases/E-38").text
    assert forms_on(page) == ["receive_correction", "withdraw"]
    assert "补正期限 2026-06-20 届满后，方可记录逾期未补正" in page
    step("E-38", "receive_correction", on=D(2026, 6, 8))
    step("E-38", "extend", on=D(2026, 6, 9), days=5, approver="east-head")
    page = w.get("/cases/E-38").text
    assert "extend" not in forms_on(page) and "defer" in forms_on(page)
    assert "答复期限已延长 5 个工作日，不能再次延长" in page


def test_the_answer_form_lists_outcomes_by_label_without_the_lapse_outcomes(office: str) -> None:
    receive(D(2026, 4, 1), organ="east", ref="E-35")
    page = logged_in("east-worker").get("/cases/E-35").text
    select = re.search(r'id="answer-outcome"[^>]*>(.*?)</select>', page, re.S)
    assert select is not None
    options = dict(re.findall(r'<option value="(\w+)">([^<]+)</option>', select.group(1)))
    expected = (
        set(OUTCOME_SHORT_LABELS) - LAPSE_OUTCOMES - {"unable_still_unclear"}
    )  # no correction round yet
    assert set(options) == expected
    assert all(options[o] == OUTCOME_SHORT_LABELS[o] for o in options)
    assert '<optgroup label="（三）不予公开">' in select.group(1)


def test_an_answer_from_the_form_concludes_the_case_and_records_the_user(office: str) -> None:
    receive(D(2026, 4, 1), organ="east", ref="E-36")
    w = logged_in("east-worker")
    r = w.advance("E-36", "answer", 1, on="2026-05-06", outcome="partially_disclosed", reasons="涉及个人隐私")
    assert r.status_code == 303 and r.headers["location"] == "/cases/E-36"
    page = w.get("/cases/E-36").text
    assert "已记录：答复" in page and 'id="outcome">部分公开' in page
    assert "逾期答复（答复期限 2026-04-30）" in explanations(page)
    with read_session() as s:
        row = get_case(s, "E-36")
        assert row.id is not None
        assert row.outcome == "partially_disclosed" and row.late
        assert history(s, row.id)[-1].actor == "east-worker"


def test_a_refused_event_shows_the_rule_and_changes_nothing(office: str) -> None:
    receive(D(2026, 4, 1), organ="east", ref="E-37")
    step("E-37", "request_correction", on=D(2026, 4, 3), items=["申请内容的描述"], until=D(2026, 4, 20))
    before = case_state("E-37")
    r = logged_in("east-worker").advance("E-37", "lapse_correction", 2, on="2026-04-15")
    assert r.status_code == 422
    assert "补正期限至 2026-04-20 才届满" in r.text
    assert case_state("E-37") == before


def test_receiving_an_application_from_the_form_opens_a_case_with_its_deadlines(any_office: str) -> None:
    w = logged_in("east-worker")
    new = {
        "organ": "east", "mode": "received", "date": "2026-06-01", "applicant_type": "research_institution",
        "applicant": "某某研究所", "channel": "registered_mail", "assignee": "east-worker",
        "request": "某项目的审批文件",
    }  # fmt: skip
    r = w.post("/cases-new", new)
    assert r.status_code == 303 and r.headers["location"] == "/cases/EAST-2026-00001"
    with read_session() as s:
        row = get_case(s, "EAST-2026-00001")
        assert (row.state, row.received_on, row.reply_due) == (
            "received",
            D(2026, 6, 1),
            add_workdays(D(2026, 6, 1), 20),
        )
        assert row.request == "某项目的审批文件" and row.applicant == "某某研究所"
        assert history(s, row.id or 0)[0].actor == "east-worker"
    registered = {**new, "mode": "registered", "date": "2026-06-12", "channel": "ordinary_mail"}
    r = w.post("/cases-new", registered)
    assert r.status_code == 303
    assert case_state("EAST-2026-00002") == (None, ["register"])


def test_a_refused_application_keeps_the_form_and_writes_nothing(office: str) -> None:
    w = logged_in("east-worker")
    bad = {"organ": "east", "mode": "received", "date": "2026-06-31", "applicant_type": "natural_person",
           "applicant": "赵六", "channel": "online"}  # fmt: skip
    r = w.post("/cases-new", bad)
    assert (
        r.status_code == 422
        and "收到（或提交）日期：" in r.text
        and "date：" not in r.text
        and 'value="赵六"' in r.text
    )
    future = {**bad, "date": "2026-07-01"}
    r = w.post("/cases-new", future)
    assert r.status_code == 422 and "是将来的日期" in r.text
    assert 'id="total">0<' in w.get("/cases").text


def received_due_in(workdays: int) -> dt.date:
    """A receipt date whose 20-working-day reply deadline falls `workdays` after today."""
    d = TODAY
    while add_workdays(d, 20) > add_workdays(TODAY, workdays):
        d -= dt.timedelta(days=1)
    return d


def refs(page: str) -> set[str]:
    return set(re.findall(r'data-ref="([^"]+)"', page))


def test_the_list_filters_and_highlights_overdue_and_due_soon_cases(any_office: str) -> None:
    receive(D(2026, 4, 1), organ="east", ref="OVERDUE", assignee="east-worker")  # due 2026-04-30
    receive(received_due_in(3), organ="east", ref="SOON", applicant_type="commercial_enterprise")
    receive(received_due_in(15), organ="east", ref="LATER", assignee="east-head")
    receive(D(2025, 12, 1), organ="east", ref="DONE")
    step("DONE", "answer", on=D(2025, 12, 10), outcome="disclosed")
    w = logged_in("east-worker")
    page = w.get("/cases").text
    assert refs(page) == {"OVERDUE", "SOON", "LATER", "DONE"}
    assert re.search(r'class="row-overdue" data-ref="OVERDUE"', page)
    assert re.search(r'class="row-due-soon" data-ref="SOON"', page)
    assert re.search(r'class="" data-ref="LATER"', page)
    assert refs(w.get("/cases?overdue=1").text) == {"OVERDUE"}
    assert refs(w.get("/cases?due_within=5").text) == {"SOON"}
    assert refs(w.get("/cases?due_within=20").text) == {"SOON", "LATER"}
    assert refs(w.get("/cases?state=answered").text) == {"DONE"}
    assert refs(w.get("/cases?assignee=east-head").text) == {"LATER"}
    assert refs(w.get("/cases?applicant_type=commercial_enterprise").text) == {"SOON"}
    assert refs(w.get("/cases?year=2025").text) == {"DONE"}
    assert w.get("/cases?due_within=abc").status_code == 422


def test_applicant_names_are_masked_in_lists_and_shown_on_the_case_page(office: str) -> None:
    receive(D(2026, 4, 1), organ="east", ref="E-40")
    step("E-40", "answer", on=D(2026, 4, 20), outcome="disclosed")
    w = logged_in("east-worker")
    listing = w.get("/cases").text
    assert texts(listing, "applicant") == ["张*"] and "张三" not in listing
    cell = w.get("/reports/cell?organ=east&year=2026&row=disclosed&column=natural_person").text
    assert texts(cell, "applicant") == ["张*"] and "张三" not in cell
    assert 'id="applicant">张三<' in w.get("/cases/E-40").text


def test_reassigning_and_recording_an_appeal_from_the_case_page(office: str) -> None:
    receive(D(2026, 4, 1), organ="east", ref="E-41", assignee="east-worker")
    w = logged_in("east-head")
    assert w.post("/cases/E-41/reassign", {"assignee": "east-head", "version": "1"}).status_code == 303
    r = w.post("/cases/E-41/reassign", {"assignee": "west-worker", "version": "2"})
    assert r.status_code == 422  # another organ's
    assert w.advance("E-41", "answer", 2, on="2026-04-20", outcome="disclosed").status_code == 303
    r = w.post("/cases/E-41/appeals", {"kind": "reconsideration", "filed_on": "2026-05-06", "version": "3"})
    assert r.status_code == 303
    page = w.get("/cases/E-41").text
    appeal_id = re.search(r'/cases/E-41/appeals/(\d+)"', page)
    assert appeal_id is not None
    decision = {"result": "upheld", "decided_on": "2026-06-01", "version": "4"}  # the filing bumped it
    r = w.post(f"/cases/E-41/appeals/{appeal_id.group(1)}", decision)
    assert r.status_code == 303
    page = w.get("/cases/E-41").text
    assert "行政复议，2026-05-06 提起：\n                    结果维持（2026-06-01）" in page
    assert case_state("E-41")[1] == ["receive", "reassigned", "answer", "appeal_filed", "appeal_decided"]
    # the section 四 table counts it
    report = w.get("/reports?organ=east&year=2026").text
    s4 = re.search(r'id="section4">(.*?)</table>', report, re.S)
    assert s4 is not None
    cells = re.findall(r'data-row="reconsideration" data-column="(\w+)">(?:<a [^>]+>)?(\d+)', s4.group(1))
    assert dict(cells) == {"upheld": "1", "corrected": "0", "other": "0", "pending": "0", "total": "1"}


def test_the_receipt_form_defaults_to_today_in_beijing_not_utc(office: str) -> None:
    """Just after midnight in Beijing it is still the previous day in UTC; the legal date is Beijing's."""
    with time_machine.travel(
        dt.datetime(2026, 6, 15, 16, 30, tzinfo=dt.UTC), tick=False
    ):  # 00:30 on the 16th
        page = logged_in("east-worker").get("/cases-new").text
    assert 'id="date" name="date" value="2026-06-16"' in page


def test_the_timeline_marks_what_the_cli_operator_recorded(office: str) -> None:
    from models.db import session_scope
    from workflow.access import operator
    from workflow.service import NewCase, open_case

    with session_scope() as s:
        new = NewCase(organ="east", applicant_type="natural_person", applicant="张三", channel="online",
                      received_on=D(2026, 4, 1), ref="E-90")  # fmt: skip
        open_case(s, new, actor=operator())
    page = logged_in("east-worker").get("/cases/E-90").text
    assert (
        f"{operator().name.removeprefix('operator:')}（命令行运维人员）" in page and "operator:" not in page
    )


def test_the_cli_and_the_web_name_each_case_date_alike(office: str) -> None:
    """One label per case date (codes.CASE_DATE_LABELS): `ogi case show` and the case page show
    the same dates under the same names (they once said 补正告知期限 and 告知补正期限)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    from codes import CASE_DATE_LABELS

    receive(D(2026, 4, 1), organ="east", ref="E-50")
    step("E-50", "request_correction", on=D(2026, 4, 3), items=["申请内容的描述"])
    page = logged_in("east-worker").get("/cases/E-50").text
    web = dict(re.findall(r'<tr data-key="(\w+)"><th class="w-50">([^<]+)</th>', page))
    env = {**os.environ, "OGI_DATABASE_URL": office, "COLUMNS": "200"}
    out = subprocess.run(
        [str(Path(sys.executable).with_name("ogi")), "case", "show", "E-50"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    # Chinese: a full-width colon
    cli = {key: label for key, label in CASE_DATE_LABELS.items() if f"  {label}：" in out}
    assert len(web) >= 4 and web == cli, (page, out)
    assert all(label == CASE_DATE_LABELS[key] for key, label in web.items())
