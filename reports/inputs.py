"""What the user supplies for a report: section 二's figures and the narrative sections 一, 五, 六.

The YAML file read by `ogi report inputs --organ C --year Y FILE` (see docs/report-inputs.yaml):

    section2:                       # 二、主动公开政府信息情况 (the national format's table)
      rules: {issued: 0, repealed: 0, in_force: 3}               # 第二十条第（一）项 规章
      normative_documents: {issued: 2, repealed: 1, in_force: 18} # 行政规范性文件
      licensing: 120                # 第（五）项 行政许可 本年处理决定数量
      penalties: 8                  # 第（六）项 行政处罚 本年处理决定数量
      enforcement: 2                # 第（六）项 行政强制 本年处理决定数量
      fees: 1.2345                  # 第（八）项 行政事业性收费 本年收费金额（万元，至多 4 位小数）
    narrative:
      overview: "…"                 # 一、总体情况
      problems: "…"                 # 五、存在的主要问题及改进情况
      other: "…"                    # 六、其他需要报告的事项

Counts are non-negative integers; the fee amount is in 万元 with at most four decimals. The file
replaces what was stored for that organ and year; a closed year's inputs cannot change.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer, ValidationError
from sqlmodel import Session, select

from models.reports import ReportInput
from models.types import utcnow
from reports.scope import resolve
from workflow.access import Actor
from workflow.errors import InvalidInput, Phrase, YearClosed
from workflow.events import describe
from workflow.sealed_years import closed_years
from workflow.text import OptionalNarrative
from workflow.textfiles import read_text, yaml_error

Count = Annotated[int, Field(ge=0, strict=True)]


_YUAN = Decimal("0.0001")  # one yuan, in 万元


def _amount(value: object) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise ValueError(f"{value!r} is not an amount in 万元")
    try:
        d = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(f"{value!r} is not an amount in 万元") from None
    if not d.is_finite() or d < 0:
        raise ValueError(f"{value!r}: the amount must be a non-negative number of 万元")
    if d >= Decimal(10) ** 12:
        raise ValueError(f"{value!r}: implausibly large for an amount in 万元")
    if d != d.quantize(_YUAN):
        raise ValueError(f"{value!r}: at most 4 decimals (万元 to the yuan)")
    return d.quantize(_YUAN)


# an amount in 万元: exact while validated, a JSON number in the report
Amount = Annotated[Decimal, BeforeValidator(_amount), PlainSerializer(float, return_type=float)]


class DocumentCounts(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    issued: Count = 0  # 本年制发件数
    repealed: Count = 0  # 本年废止件数
    in_force: Count = 0  # 现行有效件数


class Section2(BaseModel):
    """二、主动公开政府信息情况 — Art. 20 items (一), (五), (六), (八)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    rules: DocumentCounts = DocumentCounts()  # 规章
    normative_documents: DocumentCounts = DocumentCounts()  # 行政规范性文件
    licensing: Count = 0  # 行政许可 本年处理决定数量
    penalties: Count = 0  # 行政处罚 本年处理决定数量
    enforcement: Count = 0  # 行政强制 本年处理决定数量
    fees: Amount = Decimal(0)  # 行政事业性收费 本年收费金额（万元）


Text = OptionalNarrative


class Narrative(BaseModel):
    """The free-text sections; None when not written yet."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    overview: Text = None  # 一、总体情况
    problems: Text = None  # 五、存在的主要问题及改进情况
    other: Text = None  # 六、其他需要报告的事项


class ReportInputs(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    section2: Section2 | None = None
    narrative: Narrative = Narrative()

    def report_parts(self) -> tuple[dict[str, Any] | None, dict[str, str | None]]:
        """The report JSON's `section2` (or null) and `narrative`."""
        s2 = self.section2.model_dump(mode="json") if self.section2 else None
        return s2, self.narrative.model_dump(mode="json")


def parse_inputs(data: object, *, where: str = "report inputs") -> ReportInputs:
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise InvalidInput("{where}: expected a mapping with section2 and narrative", where=where)
    try:
        return ReportInputs.model_validate(data)
    except ValidationError as e:
        raise InvalidInput("{where}: {problem}", where=where, problem=describe(e)) from None


def read_inputs_file(path: Path) -> ReportInputs:
    """Read and validate the YAML file; errors name the file and the field or line."""
    text = read_text(path)
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as e:
        raise InvalidInput(yaml_error(str(path), e)) from None
    return parse_inputs(data, where=str(path))


def _row(session: Session, organ_id: int, year: int) -> ReportInput | None:
    q = select(ReportInput).where(ReportInput.organ_id == organ_id, ReportInput.year == year)
    return session.exec(q).first()


def load_inputs(session: Session, organ_code: str, year: int) -> ReportInputs:
    """The stored inputs, or empty ones (section2 null, no narrative) when none were supplied."""
    scope = resolve(session, organ_code, year)
    return inputs_for(session, scope.organ_id, year)


def inputs_for(session: Session, organ_id: int, year: int) -> ReportInputs:
    row = _row(session, organ_id, year)
    if row is None:
        return ReportInputs()
    return ReportInputs.model_validate({"section2": row.section2, "narrative": row.narrative})


def save_inputs(
    session: Session, organ_code: str, year: int, data: dict[str, Any] | ReportInputs, *, actor: Actor
) -> ReportInputs:
    """Validate and store (replacing) the inputs of an organ's year; refused once the year is closed."""
    scope = resolve(session, organ_code, year)
    actor.require_organ(scope.organ_id, action=Phrase("change report inputs"))
    inputs = data if isinstance(data, ReportInputs) else parse_inputs(data)
    if year in closed_years(session, scope.organ_id):
        raise YearClosed(
            "report inputs of {year}: {year} is closed for organ {organ_code} (a supervisor can reopen "
            "the year)",
            year=year,
            organ_code=organ_code,
        )
    section2, narrative = inputs.report_parts()
    row = _row(session, scope.organ_id, year) or ReportInput(
        organ_id=scope.organ_id, year=year, updated_by=actor.name
    )
    row.section2, row.narrative = section2, narrative
    row.updated_by, row.updated_at = actor.name, utcnow()
    session.add(row)
    session.flush()
    return inputs
