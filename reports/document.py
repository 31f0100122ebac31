"""The report as a sequence of blocks, in order; each renderer only draws blocks.

Two documents come from one report (DESIGN §15):

- the published report (`blocks`): the title, the statutory opening paragraph and the six
  sections of the national format, nothing else: this is what the office publishes;
- the internal record (`internal_blocks`): the seal (who, when, version, content hash), the
  checks and the timeliness annex; the office files it, it is never published.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from codes import APPLICANT_TYPE_LABELS, STATE_LABELS
from reports.checks import TITLES
from reports.fee_notices import fee_sentence
from reports.layout import (
    NOT_WRITTEN,
    OPENING,
    SECTION_HEADINGS,
    SECTION_ORDER,
    TITLE_WORDS,
    Grid,
    number,
    section2_grid,
    section3_grid,
    section4_grid,
)
from reports.seal import local_time
from workflow import clock

S2_MISSING = "本部分数据尚未填报。"
# the internal record's own words
INTERNAL_MARK = "（内部记录）"
INTERNAL_NOTE = "本文件是年度报告的内部记录，供本机关存档和核对，不属于国家规定的报告格式，不予公开。"
SEAL_HEADING = "一、封存信息"
CHECKS_HEADING = "二、数据校验"
ANNEX_HEADING = "三、办理时效"
OLDEST_HEADING = "年底未办结的最早十件申请"
SEAL_IN_FORCE, SEAL_REOPENED = "已封存，现行有效", "已封存，后已重新开启（本版不再有效）"
HASH_OK, HASH_BAD = "与摘要一致", "与摘要不一致，封存内容已被改动"


@dataclass(frozen=True)
class Block:
    kind: str  # title | paragraph | heading | table | note
    text: str = ""
    grid: Grid | None = None
    name: str = ""  # tables: section2, section3, section4, seal, checks, annex, oldest; headings: the section
    parts: tuple[str, ...] = ()  # for the title: the words a line may break between


def title(report: dict[str, Any]) -> str:
    return "".join(title_parts(report))


def title_parts(report: dict[str, Any]) -> tuple[str, ...]:
    """The title's words: a line may break between them, never inside one."""
    organ = report.get("organ_name") or report["organ"]
    return (f"{organ}{report['year']}年", *TITLE_WORDS)


def document(report: dict[str, Any], *, internal: bool = False) -> list[Block]:
    """The published report, or with `internal` the office's internal record of it."""
    return internal_blocks(report) if internal else blocks(report)


def blocks(report: dict[str, Any]) -> list[Block]:
    """The published report: only what the national format holds."""
    out = [
        Block("title", title(report), parts=title_parts(report)),
        Block("paragraph", OPENING.format(year=report["year"])),
    ]
    narrative = report.get("narrative") or {}
    for key in SECTION_ORDER:
        out.append(Block("heading", SECTION_HEADINGS[key], name=key))
        if key == "other" and report.get("fees") is not None:
            # the sentence on 信息处理费 derived from the cases, then what the office wrote, if anything
            out.append(Block("paragraph", fee_sentence(report["fees"])))
            out += [Block("paragraph", p) for p in paragraphs(narrative.get(key)) if p != NOT_WRITTEN]
        elif key in ("overview", "problems", "other"):
            out += [Block("paragraph", p) for p in paragraphs(narrative.get(key))]
        elif key == "section2":
            if report.get("section2") is None:
                out.append(Block("note", S2_MISSING))
            out.append(Block("table", grid=section2_grid(report.get("section2")), name=key))
        elif key == "section3":
            out.append(Block("table", grid=section3_grid(report["section3"]), name=key))
        else:
            out.append(Block("table", grid=section4_grid(report["section4"]), name=key))
    return out


def internal_blocks(report: dict[str, Any]) -> list[Block]:
    """The internal record: the seal, the checks and (when the report carries it) the annex."""
    out = [
        Block("title", title(report) + INTERNAL_MARK, parts=(*title_parts(report), INTERNAL_MARK)),
        Block("note", INTERNAL_NOTE),
        Block("heading", SEAL_HEADING),
        Block("table", grid=seal_grid(report), name="seal"),
        Block("heading", CHECKS_HEADING),
        Block("table", grid=checks_grid(report["checks"]), name="checks"),
    ]
    t = report.get("timeliness")
    if t:
        out += [Block("heading", ANNEX_HEADING), Block("table", grid=annex_grid(t), name="annex")]
        if t["oldest_pending"]:
            out += [Block("note", OLDEST_HEADING), Block("table", grid=oldest_grid(t), name="oldest")]
    return out


def paragraphs(text: str | None) -> list[str]:
    if not text or not text.strip():
        return [NOT_WRITTEN]
    return [line.strip() for line in text.splitlines() if line.strip()]


def seal_items(report: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, text) of the seal, or of the draft's state when the year is not closed."""
    scope = "本机关及下级机关汇总（" + "、".join(report.get("organs") or []) + "）"
    items = [("统计范围", scope if report.get("include_children") else "本机关")]
    sealed = report.get("sealed")
    if not sealed:
        return [
            *items,
            ("状态", f"草稿：{report['year']}年度尚未关账，数据按生成时的案件状态统计"),
            ("生成时间", local_time(clock.now(), "zh")),
        ]
    items += [
        ("状态", SEAL_IN_FORCE if sealed.get("in_force", True) else SEAL_REOPENED),
        ("版本", f"第{sealed['version']}版"),
        ("封存人", str(sealed["sealed_by"])),
        ("封存时间", local_time(sealed["sealed_at"], "zh")),
        ("内容摘要（SHA-256）", str(sealed["content_hash"])),
    ]
    if "content_hash_ok" in sealed:
        items.append(("内容核对", HASH_OK if sealed["content_hash_ok"] else HASH_BAD))
    if sealed.get("reopened_at"):
        items += [
            ("重新开启时间", local_time(sealed["reopened_at"], "zh")),
            ("重新开启人", str(sealed.get("reopened_by") or "")),
            ("重新开启理由", str(sealed.get("reopen_reason") or "")),
        ]
    return [*items, ("生成时间", local_time(clock.now(), "zh"))]


def seal_grid(report: dict[str, Any]) -> Grid:
    items = seal_items(report)
    g = Grid(rows=len(items) + 1, cols=2)
    g.add(0, 0, "项目")
    g.add(0, 1, "内容")
    for i, (label, text) in enumerate(items, 1):
        g.add(i, 0, label, header=False)
        g.add(i, 1, text, header=False)
    return g


def checks_grid(checks: list[dict[str, Any]]) -> Grid:
    g = Grid(rows=len(checks) + 1, cols=3)
    for j, text in enumerate(("校验项目", "结果", "说明")):
        g.add(0, j, text)
    for i, c in enumerate(checks, 1):
        g.add(i, 0, c.get("title") or TITLES.get(c["name"], c["name"]), header=False)
        g.add(i, 1, "通过" if c["ok"] else "未通过", header=False)
        detail = c["detail"] + (f"；涉及案件：{'、'.join(c['cases'])}" if c.get("cases") else "")
        g.add(i, 2, detail, header=False)
    return g


def _stat(value: Any) -> str:
    return "—" if value is None else number(value)


def annex_grid(t: dict[str, Any]) -> Grid:
    wd = t["workdays_to_conclusion"]
    rate = t["on_time_rate"]
    items = [
        ("本年办结件数", t["concluded"]),
        ("收到至办结工作日：中位数", wd["median"]),
        ("收到至办结工作日：平均", wd["mean"]),
        ("收到至办结工作日：最短", wd["min"]),
        ("收到至办结工作日：最长", wd["max"]),
        ("按期办结件数", t["on_time"]),
        ("逾期答复件数", t["late"]),
        ("按期率", None if rate is None else f"{rate * 100:.1f}%"),
        ("延期答复次数", t["extensions"]),
        ("征求意见次数", t["consultations"]),
        ("告知补正次数", t["corrections"]),
        ("收费通知次数", t["fee_notices"]),
        ("年底未办结件数", t["pending_at_year_end"]),
        ("年底已逾期未办结件数", t["overdue_at_year_end"]),
    ]
    g = Grid(rows=len(items) + 1, cols=2)
    g.add(0, 0, "项目")
    g.add(0, 1, "数值")
    for i, (label, value) in enumerate(items, 1):
        g.add(i, 0, label, header=False)
        g.add(
            i,
            1,
            value if isinstance(value, str) else _stat(value),
            header=False,
            value=value if isinstance(value, int | float) else None,
        )
    return g


def oldest_grid(t: dict[str, Any]) -> Grid:
    heads = ("案号", "申请人类型", "收到日期", "年底状态", "年底答复期限", "已历工作日", "年底已逾期")
    rows = t["oldest_pending"]
    g = Grid(rows=len(rows) + 1, cols=len(heads))
    for j, h in enumerate(heads):
        g.add(0, j, h)
    for i, p in enumerate(rows, 1):
        cells = (
            p["ref"],
            APPLICANT_TYPE_LABELS.get(p["applicant_type"], p["applicant_type"]),
            p["received_on"] or "",
            STATE_LABELS.get(p["state_at_year_end"], p["state_at_year_end"]),
            p["reply_due_at_year_end"] or "",
            _stat(p["workdays_pending"]),
            "是" if p["overdue_at_year_end"] else "否",
        )
        for j, text in enumerate(cells):
            g.add(i, j, text, header=False)
    return g
