"""The published document as a sequence of blocks, in order; each renderer only draws blocks.

Title, the statutory opening paragraph, the six sections (narrative text, or the national
format's tables), the checks, and optionally the timeliness annex.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reports.checks import TITLES
from reports.layout import (
    NOT_WRITTEN,
    OPENING,
    SECTION_HEADINGS,
    SECTION_ORDER,
    TITLE,
    Grid,
    number,
    section2_grid,
    section3_grid,
    section4_grid,
)
from workflow.codes import APPLICANT_TYPE_LABELS, STATE_LABELS

CHECKS_HEADING = "附：数据校验（系统自动生成）"
ANNEX_HEADING = "附：办理时效（不属于国家规定的报告格式）"
OLDEST_HEADING = "年底未办结的最早十件申请"
S2_MISSING = "本部分数据尚未填报。"


@dataclass(frozen=True)
class Block:
    kind: str  # title | paragraph | heading | table | note
    text: str = ""
    grid: Grid | None = None
    name: str = ""  # for tables: section2, section3, section4, checks, annex, oldest


def title(report: dict[str, Any]) -> str:
    return TITLE.format(organ=report.get("organ_name") or report["organ"], year=report["year"])


def blocks(report: dict[str, Any], *, annex: bool = False) -> list[Block]:
    out = [Block("title", title(report)), Block("paragraph", OPENING.format(year=report["year"]))]
    narrative = report.get("narrative") or {}
    for key in SECTION_ORDER:
        out.append(Block("heading", SECTION_HEADINGS[key]))
        if key in ("overview", "problems", "other"):
            out += [Block("paragraph", p) for p in paragraphs(narrative.get(key))]
        elif key == "section2":
            if report.get("section2") is None:
                out.append(Block("note", S2_MISSING))
            out.append(Block("table", grid=section2_grid(report.get("section2")), name=key))
        elif key == "section3":
            out.append(Block("table", grid=section3_grid(report["section3"]), name=key))
        else:
            out.append(Block("table", grid=section4_grid(report["section4"]), name=key))
    out.append(Block("note", status_line(report)))
    out += [
        Block("heading", CHECKS_HEADING),
        Block("table", grid=checks_grid(report["checks"]), name="checks"),
    ]
    if annex and report.get("timeliness"):
        t = report["timeliness"]
        out += [Block("heading", ANNEX_HEADING), Block("table", grid=annex_grid(t), name="annex")]
        if t["oldest_pending"]:
            out += [Block("note", OLDEST_HEADING), Block("table", grid=oldest_grid(t), name="oldest")]
    return out


def paragraphs(text: str | None) -> list[str]:
    if not text or not text.strip():
        return [NOT_WRITTEN]
    return [line.strip() for line in text.splitlines() if line.strip()]


def status_line(report: dict[str, Any]) -> str:
    sealed = report.get("sealed")
    scope = "（含下级机关汇总）" if report.get("include_children") else ""
    if not sealed:
        return f"草稿{scope}：{report['year']}年度尚未关账，数据按生成时的案件状态统计。"
    state = "" if sealed.get("in_force", True) else f"（已于{sealed['reopened_at'][:10]}重新开启）"
    return (
        f"本报告数据已于{sealed['sealed_at'][:10]}封存，第{sealed['version']}版{state}，"
        f"封存人 {sealed['sealed_by']}，内容摘要 SHA-256 {sealed['content_hash']}。"
    )


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
