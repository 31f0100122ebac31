"""A refusal of the import naming the row as the spreadsheet shows it and the column, in one line:
「第12行「答复日」：早于收到日期」.

Like every refusal (workflow.errors) it carries message ids and their parameters, not a finished
sentence: the row and column wrapper is a `Phrase`, and so is the problem (or the rule's own
refusal), all rendered in the reader's language by the door (`config.i18n.render`); `str()` is the
English text, for logs.
"""

from __future__ import annotations

from typing import Protocol

from workflow.errors import InvalidInput, Phrase


class Localized(Protocol):
    """A value that renders itself in a language (as `codes.labels.Coded` does); `str()` is English."""

    def localized(self, language: str) -> str: ...


# what a refusal says is wrong with the cell: a message id, a rule's refusal, or such a value
Problem = Phrase | Exception | Localized


class LedgerError(InvalidInput):
    def __init__(self, row: int, column: str | None, problem: Problem, *, sheet: str | None = None) -> None:
        if column is None:
            where = Phrase("row {row}", row=row)
        else:
            where = Phrase("row {row} 「{column}」", row=row, column=column)
        if sheet is not None:
            where = Phrase("sheet 「{sheet}」 {where}", sheet=sheet, where=where)
        super().__init__("{where}: {problem}", where=where, problem=problem)
        self.row, self.column, self.problem = row, column, problem
