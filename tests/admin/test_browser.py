"""The web admin in a real browser (Debian's Chromium, driven by Playwright) against uvicorn on a fresh
SQLite database: a caseworker logs in, receives an application, requests a correction, receives it,
answers, and sees the report matrix change. A screenshot of each run is kept under artifacts/."""

from __future__ import annotations

import re
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from tests.conftest import require_service
from tests.fixtures import free_port

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def server(office: str) -> Iterator[str]:
    """uvicorn serving the app on a free port, in a thread of this process (so it shares the pinned clock)."""
    from admin.app import create_app

    port = free_port()
    srv = uvicorn.Server(uvicorn.Config(create_app(), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def browser() -> Iterator[Any]:
    available = Path(CHROMIUM).exists() or shutil.which("chromium") is not None
    require_service("Chromium", available, f"{CHROMIUM} missing (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any, server: str, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A page that records every request leaving for another host (none may: offices run offline)."""
    context = browser.new_context(base_url=server, locale="zh-CN")
    pg = context.new_page()
    foreign: list[str] = []
    pg.on("request", lambda r: None if r.url.startswith((server, "data:")) else foreign.append(r.url))
    pg.set_default_timeout(15_000)
    yield pg
    ARTIFACTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()
    assert foreign == [], f"requests to other hosts: {foreign}"


def log_in(page: Any, name: str) -> None:
    from tests.admin.conftest import PASSWORD

    page.goto("/cases")
    assert page.url.endswith("/login?next=/cases")
    page.fill("#name", name)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/cases$"))


def matrix_cell(page: Any, row: str, column: str = "total") -> str:
    return str(page.inner_text(f'#section3 td[data-row="{row}"][data-column="{column}"]')).strip()


def record(page: Any, event: str, **fields: str) -> None:
    form = page.locator(f'form.event-form[data-event="{event}"]')
    for name, value in fields.items():
        element = form.locator(f'[name="{name}"]')
        if element.evaluate("e => e.tagName") == "SELECT":
            element.select_option(value)
        else:
            element.fill(value)
    form.locator("button[type=submit]").click()
    page.wait_for_selector(".alert-success")


def test_a_caseworker_takes_an_application_from_receipt_to_answer_and_sees_it_counted(page: Any) -> None:
    log_in(page, "east-worker")
    page.goto("/reports?organ=east&year=2026")
    assert matrix_cell(page, "new") == "0" and matrix_cell(page, "disclosed") == "0"

    page.click("text=登记申请")
    page.fill("#applicant", "张三")
    page.select_option("#applicant_type", "natural_person")
    page.select_option("#channel", "in_person")
    page.fill("#date", "2026-06-01")
    page.fill("#request", "2025年度本镇道路维修的预算文件")
    page.click("#new-case button[type=submit]")
    page.wait_for_url(re.compile(r"/cases/EAST-2026-00001$"))
    assert page.inner_text("#state") == "办理中"

    record(page, "request_correction", on="2026-06-03", items="所需信息的名称", days="5")
    assert page.inner_text("#state") == "待补正"
    record(page, "receive_correction", on="2026-06-08")
    explanations = page.locator("#timeline .explain").all_inner_texts()
    assert "答复期限由 2026-06-30 重新计算为 2026-07-07：自收到补正申请之日起 20 个工作日" in explanations

    page.goto("/reports?organ=east&year=2026")
    assert matrix_cell(page, "new") == "1" and matrix_cell(page, "carried_out") == "1"
    assert matrix_cell(page, "disclosed") == "0"

    page.goto("/cases/EAST-2026-00001")
    record(page, "answer", on="2026-06-12", outcome="disclosed")
    assert page.inner_text("#state") == "已办结" and page.inner_text("#outcome") == "予以公开"

    page.goto("/reports?organ=east&year=2026")
    assert matrix_cell(page, "disclosed") == "1" and matrix_cell(page, "disclosed", "natural_person") == "1"
    assert matrix_cell(page, "carried_out") == "0" and matrix_cell(page, "total") == "1"
    assert page.locator('#checks [data-ok="false"]').count() == 0
    page.click('#section3 td[data-row="disclosed"][data-column="total"] a')
    assert page.locator("#cases tbody tr").all_inner_texts()[0].startswith("EAST-2026-00001")
    assert "张*" in page.inner_text("#cases") and "张三" not in page.inner_text("#cases")


def test_a_form_loaded_before_a_colleagues_change_is_refused_in_the_browser(browser: Any, page: Any) -> None:
    from tests.support import D, receive

    receive(D(2026, 6, 1), organ="east", ref="E-70")
    log_in(page, "east-worker")
    page.goto("/cases/E-70")
    other = page.context.new_page()
    other.goto("/cases/E-70")
    record(other, "consult", on="2026-06-05", party="third_party")
    other.close()
    form = page.locator('form.event-form[data-event="answer"]')
    form.locator('[name="on"]').fill("2026-06-08")
    form.locator('[name="outcome"]').select_option("disclosed")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("#error")
    assert "打开后案件已有改动（原为第 1 版，现为第 2 版）" in page.inner_text("#error")
    assert page.inner_text("#state") == "征求意见中"


def test_the_dashboard_draws_its_charts_without_scripts(page: Any) -> None:
    from tests.support import D, receive, step

    receive(D(2026, 3, 2), organ="east", ref="E-71")
    step("E-71", "answer", on=D(2026, 3, 20), outcome="disclosed")
    log_in(page, "east-worker")
    page.goto("/?year=2026")
    for chart in ("monthly", "mix", "on-time", "open"):
        box = page.locator(f"#chart-{chart} svg").bounding_box()
        assert box is not None and box["width"] > 100 and box["height"] > 50, chart
    assert (
        page.locator('#chart-monthly rect[data-series="办结"][data-category="3月"]').get_attribute(
            "data-value"
        )
        == "1"
    )


def test_an_administrator_adds_an_organ_in_the_reference_admin_under_the_security_policy(page: Any) -> None:
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    log_in(page, "root")
    page.goto("/admin/organ/create")
    page.fill("#code", "north")
    page.fill("#name", "北区人民政府")
    page.select_option("#parent", "east")
    page.locator(".card-footer button[type=submit]:not([name])").click()  # 保存
    page.wait_for_url(re.compile(r"/admin/organ/list"))
    assert "北区人民政府" in page.inner_text("body")
    assert problems == []


def test_the_case_pages_run_under_a_strict_policy_that_refuses_inline_script_and_style(page: Any) -> None:
    """Every case-work page loads without one policy violation (nothing inline left), and a script or
    style smuggled into one does not run: the policy, not only the escaping, stands in the way."""
    from tests.support import D, receive

    receive(D(2026, 6, 1), organ="east", ref="E-72")
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto("/login")
    log_in(page, "east-head")
    for path in ("/", "/cases", "/cases/E-72", "/cases-new", "/reports?organ=east&year=2026"):
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        csp = response.headers["content-security-policy"]
        assert "'unsafe-inline'" not in csp and "script-src 'self'" in csp, path
    assert violations == []
    page.goto("/cases/E-72")
    page.evaluate(
        """() => {
            window.__ran = false;
            const s = document.createElement('script');
            s.textContent = 'window.__ran = true';
            document.body.appendChild(s);
            const d = document.createElement('div');
            d.id = 'smuggled';
            d.setAttribute('style', 'color: rgb(255, 0, 0)');
            d.textContent = 'x';
            document.body.appendChild(d);
        }"""
    )
    page.wait_for_timeout(200)
    assert page.evaluate("window.__ran") is False
    assert page.evaluate("getComputedStyle(document.getElementById('smuggled')).color") != "rgb(255, 0, 0)"
    assert any("script" in v for v in violations)


def test_a_refused_deferral_comes_back_with_the_reason_the_supervisor_typed(page: Any) -> None:
    from tests.support import D, receive

    receive(D(2026, 6, 1), organ="east", ref="E-73")
    log_in(page, "east-head")
    page.goto("/cases/E-73")
    form = page.locator('form.event-form[data-event="defer"]')
    form.locator('[name="on"]').fill("2026-06-10")
    form.locator('[name="until"]').fill("9999-12-31")
    form.locator('[name="reason"]').fill("申请内容涉及多个部门，经申请人同意延期")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("#error")
    assert "截止日期" in page.inner_text("#error") and "不在支持的日期" in page.inner_text("#error")
    again = page.locator('form.event-form[data-event="defer"]')
    assert again.locator('[name="reason"]').input_value() == "申请内容涉及多个部门，经申请人同意延期"
    assert again.locator('[name="until"]').input_value() == "9999-12-31"
    assert page.inner_text("#state") == "办理中"
