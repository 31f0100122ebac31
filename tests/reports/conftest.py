"""The reports read in Chinese, the language of the published report and its checks."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def chinese_report(monkeypatch: pytest.MonkeyPatch) -> None:
    """The report and its checks are read in Chinese (the default language), as its tests assert."""
    from config.settings import get_settings

    monkeypatch.setenv("OGI_LANG", "zh")
    get_settings.cache_clear()
