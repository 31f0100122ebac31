"""The message catalog: Chinese by default, English on request, nothing left untranslated, and the
code and the catalog agree (every message id used is translated; no translation is unused)."""

from __future__ import annotations

import os
import re
import string
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from codes.labels import INPUT_CODES, Coded, label
from config.i18n import EXTRACT_KEYWORDS, LANGUAGES, _, catalog_path, local_time, ngettext, render
from workflow.code_input import parse_code
from workflow.errors import InvalidInput, Phrase, RuleViolation

ROOT = Path(__file__).resolve().parents[1]
METHOD_MAP = [
    ("**/.venv/**", "ignore"),
    ("tests/**", "ignore"),
    ("benchmarks/**", "ignore"),
    ("build/**", "ignore"),
    ("**.py", "python"),
    ("admin/templates/**.html", "jinja2"),
    ("workflow/mail_templates/**.j2", "jinja2"),
]
# Latin words a Chinese message may keep: codes, units, formats, product and command names
LATIN_OK = re.compile(
    r"\b(ogi|OGI_[A-Z_]+|JSON|UTF-(8|16)|GB18030|GBK|YYYY-MM-DD|sha256|smtps?|http|Ctrl|C|docx|"
    r"section2|narrative|received_on|submitted_on|result|decided_on|on|event|until|days|published|"
    r"internal|operator|db|upgrade|case|receive|register|secret|generate|report|build|list|outbox|"
    r"relay|env|example|gov|cn|org|mail|organ|year|format|force|json|reason|status|today|attention|"
    r"password|stdin|YEAR|N|yellow|https?|x)\b"
)


def catalog() -> dict[str, object]:
    with catalog_path("zh").open("rb") as po:
        return {m.id if isinstance(m.id, str) else m.id[0]: m.string for m in read_po(po) if m.id}


def extracted() -> set[str]:
    found = set()
    for _f, _l, msg, _c, _ctx in extract_from_dir(str(ROOT), METHOD_MAP, keywords=EXTRACT_KEYWORDS):
        key = msg if isinstance(msg, str) else msg[0]
        if key:
            found.add(key)
    return found


def test_a_count_reads_in_chinese_by_default_and_in_english_on_request() -> None:
    assert ngettext("{n} case", "{n} cases", 3, language="zh") == "3 件"
    assert ngettext("{n} case", "{n} cases", 1, language="en") == "1 case"
    assert ngettext("{n} case", "{n} cases", 2, language="en") == "2 cases"


def test_every_message_id_in_the_code_is_in_the_catalog_and_every_catalog_entry_is_used() -> None:
    used, known = extracted(), set(catalog())
    assert sorted(used - known) == []
    assert sorted(known - used) == []


def test_every_catalog_entry_has_a_chinese_translation_with_the_same_placeholders() -> None:
    fields = string.Formatter()
    for msgid, msgstr in catalog().items():
        text = msgstr[0] if isinstance(msgstr, tuple) else msgstr
        assert text, msgid
        names = {f for _, f, _, _ in fields.parse(msgid) if f is not None}
        assert {f for _, f, _, _ in fields.parse(str(text)) if f is not None} == names, msgid


def test_no_chinese_translation_is_left_in_english() -> None:
    for msgid, msgstr in catalog().items():
        text = str(msgstr[0] if isinstance(msgstr, tuple) else msgstr)
        # placeholders, quoted code, markup, options and command lines are not words to translate
        code = r"\{[^}]*\}|`[^`]*`|'[^']*'|\[/?[a-z]*\]|0x|--?[a-z-]+|ogi [ -~]*"
        rest = LATIN_OK.sub("", re.sub(code, "", text))
        assert not re.search(r"[A-Za-z]{2,}\s+[A-Za-z]{2,}", rest), (msgid, text)


# Chinese an English sentence may hold: the report's section numbers and what an office types in its
# spreadsheet whatever the reader's language (a column's name, a cell written as 20天/王主任)
DATA_WORDS = {"三", "四", "申请编号", "第三方", "天", "王主任", "元", "年", "月", "日"}


@pytest.mark.parametrize("language", ["zh", "en"])
def test_every_message_renders_in_both_languages_with_its_placeholders_filled(language: str) -> None:
    formatter = string.Formatter()
    for msgid in catalog():
        params = {f: 7 for _, f, _, _ in formatter.parse(msgid) if f}
        text = _(msgid, language=language, **params) if params else _(msgid, language=language)
        assert text.count("{") == (msgid.count("{{") if params else 0), text  # {{ only beside placeholders
        has_chinese = bool(re.search(r"[\u4e00-\u9fff]", text))
        if language == "en":
            assert set(re.findall(r"[\u4e00-\u9fff]+", text)) <= DATA_WORDS, msgid
        elif re.search(r"[a-z]{3,}", re.sub(r"\{[^}]*\}|\[/?[a-z]*\]", "", msgid)) and not msgid.startswith(
            "OGI_"
        ):
            assert has_chinese, msgid


def test_a_refusal_renders_in_the_readers_language_and_its_codes_as_labels() -> None:
    e = RuleViolation(
        "answer: outcome {outcome} comes only from a lapse, not from an answer",
        outcome=Coded("outcome", "other_fee_unpaid"),
    )
    assert render(e, "zh") == "答复：办理结果“其他处理：逾期未缴费”只能由期满产生，不能通过答复作出"
    assert render(e, "en") == "answer: outcome other: fee unpaid comes only from a lapse, not from an answer"
    assert "other_fee_unpaid" in str(e) or "fee unpaid" in str(e)


def test_a_nested_refusal_renders_in_the_same_language() -> None:
    inner = InvalidInput("{value!r} is not a valid date", value="2024-02-30")
    outer = InvalidInput("{at}: {problem}", at=Phrase("line {n}", n=4), problem=inner)
    assert render(outer, "zh") == "第4行：'2024-02-30' 不是有效的日期"
    assert render(outer, "en") == "line 4: '2024-02-30' is not a valid date"


@pytest.mark.parametrize(
    ("family", "given", "code"),
    [
        ("outcome", "予以公开", "disclosed"),
        ("applicant_type", "自然人", "natural_person"),
        ("channel", "网络平台", "online"),
        ("state", "办理中", "received"),
        ("outcome", "Partially Disclosed", "partially_disclosed"),
        ("channel", "online", "online"),
        ("id_kind", "居民身份证", "resident_id"),
        ("id_kind", "Unified Social Credit Code", "credit_code"),
        ("fee_method", "按件计收", "count"),
    ],
)
def test_a_code_is_accepted_as_itself_or_as_its_label(family: str, given: str, code: str) -> None:
    assert parse_code(family, given) == code


def test_a_label_without_its_bracketed_explanation_names_its_code_when_no_other_label_shares_it() -> None:
    assert parse_code("event", "登记", codes=("register", "receive")) == "register"  # 「登记（待确认收到）」
    for family, allowed in INPUT_CODES.items():
        for language in LANGUAGES:
            shorts = [label(family, c, language).split("（")[0].split(" (")[0] for c in allowed]
            for code, short in zip(allowed, shorts, strict=True):
                if shorts.count(short) == 1:
                    assert parse_code(family, short) == code, (family, short)


@pytest.mark.parametrize(
    ("family", "given", "code"),
    [
        ("appeal_result", "维持", "upheld"),
        ("service_method", "邮寄", "post"),
        ("document_kind", "答复书", "reply"),
        ("document_kind", "收费通知书", "fee_notice"),
        ("appeal_kind", "复议后起诉", "litigation_after_reconsideration"),
    ],
)
def test_a_part_of_one_chinese_label_names_its_code(family: str, given: str, code: str) -> None:
    assert parse_code(family, given) == code


@pytest.mark.parametrize(
    ("family", "given"), [("appeal_kind", "行政诉讼"), ("outcome", "公开"), ("outcome", "开")]
)
def test_a_part_several_labels_share_or_a_single_character_names_no_code(family: str, given: str) -> None:
    with pytest.raises(InvalidInput):
        parse_code(family, given)


def test_the_identity_document_kind_is_read_as_a_code_or_its_label_wherever_details_are_given() -> None:
    from workflow.applicants import ApplicantDetailsIn, check_details

    checked = check_details(ApplicantDetailsIn(id_kind="居民身份证", id_number="11010519491231002X"))
    assert checked.id_kind == "resident_id"
    with pytest.raises(InvalidInput) as e:
        check_details(ApplicantDetailsIn(id_kind="护照", id_number="X"))
    assert render(e.value, "zh").startswith("证件类型：未知的证件类型 '护照'")
    assert "resident_id (resident identity card)" in render(e.value, "en")


def test_an_unknown_code_is_one_line_listing_the_valid_codes_with_labels() -> None:
    with pytest.raises(InvalidInput) as e:
        parse_code("channel", "pigeon", where="--channel")
    zh = render(e.value, "zh")
    assert (
        zh.startswith("--channel：未知的申请渠道 'pigeon'") and "online（网络平台）" in zh and "\n" not in zh
    )
    assert "online (online platform)" in render(e.value, "en")


def test_a_stored_instant_is_shown_in_the_configured_time_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    from config.settings import get_settings

    monkeypatch.setenv("OGI_TIMEZONE", "America/New_York")
    get_settings.cache_clear()
    try:
        assert local_time("2026-01-15T12:30:00+00:00") == "2026-01-15 07:30"
        assert local_time("2026-01-15T12:30:00", zone=True) == "2026-01-15 07:30 (America/New_York)"
        assert (
            local_time("2026-01-15T12:30:00", zone=True, language="zh")
            == "2026-01-15 07:30（America/New_York）"
        )
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
    assert local_time("2026-01-15T12:30:00+00:00") == "2026-01-15 20:30"  # Asia/Shanghai


def test_an_unknown_message_falls_back_to_its_english_id() -> None:
    assert _("no such message {x}", language="zh", x=1) == "no such message 1"


@pytest.mark.slow
def test_the_wheel_ships_the_compiled_catalog(tmp_path: Path) -> None:
    built = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            str(ROOT),
            "--no-deps",
            "-q",
            "-w",
            str(tmp_path),
        ],
        check=False,
        cwd=tmp_path,
        env={k: v for k, v in os.environ.items() if k != "PIP_NO_BUILD_ISOLATION"},
        capture_output=True,
        text=True,
    )
    assert built.returncode == 0, built.stderr[-2000:]
    (wheel,) = tmp_path.glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "config/locale/zh_Hans/LC_MESSAGES/ogi.mo" in names
