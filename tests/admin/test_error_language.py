"""A refusal or a missing page reads in the user's language as a page; an API client gets JSON."""

from __future__ import annotations

import html

import pytest

from config.settings import get_settings
from tests.admin.conftest import logged_in

pytestmark = pytest.mark.usefixtures("office")


def test_a_missing_page_is_a_chinese_page_for_a_person_and_json_for_an_api_client() -> None:
    w = logged_in("east-worker")
    page = w.get("/cases/NO-SUCH/nothing", headers={"accept": "text/html"})
    assert page.status_code == 404 and "页面不存在" in page.text and "Not Found" not in page.text
    api = w.get("/cases/NO-SUCH/nothing", headers={"accept": "application/json"})
    assert api.status_code == 404 and api.json() == {"detail": "Not Found"}


def test_a_refusal_names_the_case_in_chinese_and_in_english(monkeypatch: pytest.MonkeyPatch) -> None:
    w = logged_in("east-worker")
    zh = w.get("/cases/NO-SUCH", headers={"accept": "text/html"})
    assert zh.status_code == 404 and "没有案号或编号为 'NO-SUCH' 的案件" in html.unescape(zh.text)
    monkeypatch.setenv("OGI_LANG", "en")
    get_settings.cache_clear()
    en = w.get("/cases/NO-SUCH", headers={"accept": "text/html"})
    assert "unknown case 'NO-SUCH'" in html.unescape(en.text) and "Not found" in en.text
