"""The report's labels on a screen (DESIGN §14): the web page and the terminal follow ``OGI_LANG``.

The national format's Chinese labels are the report's content: the published DOCX and XLSX carry
them always, and a Chinese screen shows them unchanged. An English reader needs English names, so
each label has an English message id whose Chinese translation is that very label (a test holds
the catalog to it). A screen translates a drawn table's label cells by their text: within one
section no two labels share a text (「其他」 is a column, 「3.其他」 a row).

Codes keep their own English names (``codes.labels``): applicant types, appeal kinds and results.
"""

from __future__ import annotations

import re
from dataclasses import replace

from codes import (
    APPEAL_COLUMN_LABELS,
    APPEAL_KIND_LABELS,
    APPLICANT_TYPE_LABELS,
    COLUMNS,
    OUTCOME_GROUPS,
    RESULTS_HEADING,
    ROW_LABELS,
    AppealKind,
    ApplicantType,
)
from codes.labels import label
from config.i18n import N_, _, current_language
from reports.layout import (
    S2_BLOCKS,
    S2_CONTENT,
    S2_DECISIONS,
    S2_DOCUMENT_COLUMNS,
    S2_FEES,
    S3_APPLICANTS,
    S3_NOTE,
    S3_ORGANIZATIONS,
    SECTION_HEADINGS,
    TITLE,
    Grid,
)

# the numbering that starts an English row label: I. | (3) | 1.
ENGLISH_NUMBERING = re.compile(r"^(?:(?P<top>[IVX]+)\. |\((?P<group>\d+)\) |(?P<item>\d+)\. )")
_GROUP_NUMBER = re.compile(r"^（[一二三四五六七八九十]+）")

# section 三's rows (their numbering is part of the name: people name a row by it)
ROW_ENGLISH: dict[str, str] = {
    "new": N_("I. New applications received this year"),
    "carried_in": N_("II. Applications carried over from last year"),
    "disclosed": N_("(1) Disclosed"),
    "partially_disclosed": N_("(2) Partially disclosed (a split answer counts here only, not elsewhere)"),
    "withheld_state_secret": N_("1. State secret"),
    "withheld_prohibited_by_law": N_("2. Disclosure prohibited by other laws and administrative regulations"),
    "withheld_security_stability": N_('3. Endangers the "three securities and one stability"'),
    "withheld_third_party_rights": N_("4. Protects the lawful rights and interests of a third party"),
    "withheld_internal_affairs": N_("5. One of three kinds of internal affairs information"),
    "withheld_process_information": N_("6. One of four kinds of process information"),
    "withheld_enforcement_file": N_("7. Administrative enforcement file"),
    "withheld_query_matter": N_("8. Administrative query matter"),
    "unable_not_held": N_("1. This organ does not hold the information"),
    "unable_needs_creation": N_("2. No existing information: it would have to be made"),
    "unable_still_unclear": N_("3. Still unclear after correction"),
    "not_processed_petition": N_("1. Petition, report or complaint"),
    "not_processed_duplicate": N_("2. Repeated application"),
    "not_processed_publication": N_("3. Asks for a public publication"),
    "not_processed_excessive": N_("4. Many repeated applications without good reason"),
    "not_processed_confirmation": N_("5. Asks the organ to confirm or reissue information already obtained"),
    "other_no_correction": N_(
        "1. Not corrected in time without good reason; the organ no longer handles the application"
    ),
    "other_fee_unpaid": N_(
        "2. Fee not paid in time as notified; the organ no longer handles the application"
    ),
    "other": N_("3. Other"),
    "total": N_("(7) Total"),
    "carried_out": N_("IV. Carried over to next year"),
}
GROUP_ENGLISH: dict[str, str] = {
    "withheld": N_("(3) Withheld"),
    "unable": N_("(4) Unable to provide"),
    "not_processed": N_("(5) Not processed"),
    "other": N_("(6) Other handling"),
}
# section 三's columns in a narrow English terminal table (the full names follow in its legend): an
# English applicant type is too long for a tenth of 80 columns, where a Chinese one fits
COLUMN_SHORT_ENGLISH: dict[str, str] = {
    "natural_person": N_("Person"),
    "commercial_enterprise": N_("Business"),
    "research_institution": N_("Research"),
    "social_welfare_org": N_("Welfare"),
    "legal_service_org": N_("Legal"),
    "other_org": N_("Other org"),
    "total": N_("Total"),
}
# the format's own header texts of section 三, 四 and 二, and the section headings
HEADER_ENGLISH: dict[str, str] = {
    RESULTS_HEADING: N_("III. Results this year"),
    S3_NOTE: N_("(the figures of each column add up: item I plus item II equals item III plus item IV)"),
    S3_APPLICANTS: N_("Applicants"),
    S3_ORGANIZATIONS: N_("Legal persons or other organisations"),
    APPLICANT_TYPE_LABELS["total"]: N_("Total"),
}
LITIGATION_ENGLISH: tuple[str, str, str] = (
    N_("Administrative litigation"),
    N_("Filed directly, without reconsideration"),
    N_("Filed after reconsideration"),
)
TITLE_ENGLISH = N_("{organ}: annual report on government information disclosure, {year}")
SECTION_ENGLISH: dict[str, str] = {
    "overview": N_("1. Overview"),
    "section2": N_("2. Information disclosed on the organ's own initiative"),
    "section3": N_("3. Applications for government information received and handled"),
    "section4": N_("4. Administrative reconsideration and litigation about disclosure"),
    "problems": N_("5. Main problems and improvements"),
    "other": N_("6. Other matters to report"),
}
S2_ENGLISH: dict[str, str] = {
    S2_CONTENT: N_("Information"),
    S2_DOCUMENT_COLUMNS[0]: N_("Issued this year"),
    S2_DOCUMENT_COLUMNS[1]: N_("Repealed this year"),
    S2_DOCUMENT_COLUMNS[2]: N_("In force"),
    S2_DECISIONS: N_("Decisions this year"),
    S2_FEES: N_("Fees collected this year (10,000 yuan)"),
    S2_BLOCKS[0][0]: N_("Art. 20 item (1)"),
    S2_BLOCKS[1][0]: N_("Art. 20 item (5)"),
    S2_BLOCKS[2][0]: N_("Art. 20 item (6)"),
    S2_BLOCKS[3][0]: N_("Art. 20 item (8)"),
}
# section 二's items by their key (S2_BLOCKS holds their official labels)
S2_ITEM_ENGLISH: dict[str, str] = {
    "rules": N_("Rules"),
    "normative_documents": N_("Normative documents"),
    "licensing": N_("Administrative licensing"),
    "penalties": N_("Administrative penalties"),
    "enforcement": N_("Administrative compulsion"),
    "fees": N_("Administrative fees"),
}
S2_ENGLISH.update({label: S2_ITEM_ENGLISH[key] for _h, _k, items in S2_BLOCKS for key, label in items})
# 「行政诉讼·未经复议直接起诉」 and 「行政诉讼·复议后起诉」 head section 四 as 行政诉讼 over its two halves
_LITIGATION, _DIRECT = APPEAL_KIND_LABELS[AppealKind.litigation].split("·")
_AFTER = APPEAL_KIND_LABELS[AppealKind.litigation_after_reconsideration].split("·")[1]
SECTION4_ENGLISH: dict[str, str] = dict(zip((_LITIGATION, _DIRECT, _AFTER), LITIGATION_ENGLISH, strict=True))
SECTION3_ENGLISH: dict[str, str] = {
    **{ROW_LABELS[k]: v for k, v in ROW_ENGLISH.items()},
    **{OUTCOME_GROUPS[k][0]: v for k, v in GROUP_ENGLISH.items()},
    **HEADER_ENGLISH,
}


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def official_ids() -> dict[str, str]:
    """Every official label this module names, with its English message id (for the catalog's test)."""
    headings = {SECTION_HEADINGS[k]: v for k, v in SECTION_ENGLISH.items()}
    return {**SECTION3_ENGLISH, **SECTION4_ENGLISH, **headings, **S2_ENGLISH}


def column_heads(language: str | None = None, *, short: bool = False) -> list[tuple[str, str]]:
    """(head, full name) of section 三's columns in the reader's language: the official labels in
    Chinese; in English the full names, or (``short``) a word each for a narrow table."""
    lang = language or current_language()
    words = section3_words(lang)
    heads = []
    for c in COLUMNS:
        full = words.get(APPLICANT_TYPE_LABELS[c], APPLICANT_TYPE_LABELS[c])
        heads.append((_(COLUMN_SHORT_ENGLISH[c], language=lang) if short and lang != "zh" else full, full))
    return heads


def _english(ids: dict[str, str], language: str) -> dict[str, str]:
    return {official: _(msgid, language=language) for official, msgid in ids.items()}


def section3_words(language: str | None = None) -> dict[str, str]:
    """{official label: the reader's} for section 三: rows, groups, headers and applicant types;
    empty in Chinese (the official labels stand)."""
    lang = language or current_language()
    if lang == "zh":
        return {}
    types = {APPLICANT_TYPE_LABELS[t]: _capital(label("applicant_type", t, lang)) for t in ApplicantType}
    return {**_english(SECTION3_ENGLISH, lang), **types}


def section4_words(language: str | None = None) -> dict[str, str]:
    """{official label: the reader's} for section 四: appeal kinds (litigation split in two) and results."""
    lang = language or current_language()
    if lang == "zh":
        return {}
    words = _english(SECTION4_ENGLISH, lang)
    kind = APPEAL_KIND_LABELS[AppealKind.reconsideration]
    words[kind] = _capital(label("appeal_kind", AppealKind.reconsideration, lang))
    for key, official in APPEAL_COLUMN_LABELS.items():
        words[official] = _capital(label("appeal_column", key, lang))
    return words


def section2_words(language: str | None = None) -> dict[str, str]:
    lang = language or current_language()
    return {} if lang == "zh" else _english(S2_ENGLISH, lang)


def headings(language: str | None = None) -> dict[str, str]:
    """The six section headings in the reader's language (the official ones in Chinese)."""
    lang = language or current_language()
    if lang == "zh":
        return dict(SECTION_HEADINGS)
    return {k: _(SECTION_ENGLISH[k], language=lang) for k in SECTION_HEADINGS}


def row_label(key: str, language: str | None = None) -> str:
    """A section 三 row (or outcome group) by its key, as the reader names it."""
    official = ROW_LABELS.get(key) or OUTCOME_GROUPS.get(key, (key,))[0]
    return section3_words(language).get(official, official)


def report_title(organ: str, year: int, language: str | None = None) -> str:
    """The report's title on a screen: the official one in Chinese."""
    lang = language or current_language()
    if lang == "zh":
        return TITLE.format(organ=organ, year=year)
    return _(TITLE_ENGLISH, language=lang, organ=organ, year=year)


def group_name(key: str, language: str | None = None) -> str:
    """An outcome group's name without its number (「不予公开」, "Withheld"), for a chart."""
    lang = language or current_language()
    official = OUTCOME_GROUPS[key][0]
    text = section3_words(lang).get(official, official)
    m = (_GROUP_NUMBER if lang == "zh" else ENGLISH_NUMBERING).match(text)
    return text[m.end() :] if m else text


def on_screen(grid: Grid, words: dict[str, str]) -> Grid:
    """The grid with its label cells in the reader's words (numbers and unknown texts as they are)."""
    if not words:
        return grid
    cells = [replace(c, text=words.get(c.text, c.text)) if c.value is None else c for c in grid.cells]
    return Grid(grid.rows, grid.cols, cells)
