"""The message catalog: Chinese by default, English on request, nothing left untranslated."""

from __future__ import annotations

from babel.messages.pofile import read_po

from config.i18n import _, catalog_path, ngettext


def test_a_count_reads_in_chinese_by_default_and_in_english_on_request() -> None:
    assert ngettext("{n} case", "{n} cases", 3, language="zh") == "3 件"
    assert ngettext("{n} case", "{n} cases", 1, language="en") == "1 case"
    assert ngettext("{n} case", "{n} cases", 2, language="en") == "2 cases"


def test_every_catalog_entry_has_a_chinese_translation() -> None:
    with catalog_path("zh").open("rb") as po:
        catalog = read_po(po)
    missing = [
        m.id for m in catalog if m.id and not all(m.string if isinstance(m.string, tuple) else [m.string])
    ]
    assert missing == []


def test_an_unknown_message_falls_back_to_its_english_id() -> None:
    assert _("no such message {x}", language="zh", x=1) == "no such message 1"
