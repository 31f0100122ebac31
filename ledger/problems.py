"""A refusal of the import naming the row as the spreadsheet shows it and the column, in one line:
「第12行「答复日」：早于收到日期」."""

from __future__ import annotations

from config.i18n import _
from workflow.errors import InvalidInput


class LedgerError(InvalidInput):
    def __init__(self, row: int, column: str | None, problem: str, *, sheet: str | None = None) -> None:
        if column is None:
            where = _("row {row}", row=row)
        else:
            where = _("row {row} 「{column}」", row=row, column=column)
        if sheet is not None:
            where = _("sheet 「{sheet}」 {where}", sheet=sheet, where=where)
        super().__init__(_("{where}: {problem}", where=where, problem=problem))
        self.row, self.column = row, column
