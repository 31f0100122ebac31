"""One parser per code family (DESIGN §14): a code or its label, from every door.

The CLI options, the import lines, the web forms and the service all read a code through
``parse_code``, so ``--outcome 予以公开`` works wherever ``--outcome disclosed`` does, and an
unknown value is one line listing the valid codes with their labels.
"""

from __future__ import annotations

from codes.labels import INPUT_CODES, Choices, Family, FieldName, label, to_code
from workflow.errors import InvalidInput


def parse_code(family: str, raw: object, *, where: str = "", codes: tuple[str, ...] | None = None) -> str:
    """The code ``raw`` names in ``family`` (e.g. ``"予以公开"`` → ``"disclosed"``).

    Raises ``InvalidInput`` naming ``where`` (an option or field; empty for none), the value and
    the valid choices with their labels."""
    allowed = codes if codes is not None else INPUT_CODES[family]
    found = to_code(family, raw, allowed) if isinstance(raw, str) else None
    if found is not None:
        return found
    value = str(raw)[:40]
    if where:
        raise InvalidInput(
            "{where}: unknown {what} {value!r} (one of: {choices})",
            where=FieldName.named(where),  # a field by its label; an option (--kind) as typed
            what=Family(family),
            value=value,
            choices=Choices(family, allowed),
        )
    raise InvalidInput(
        "unknown {what} {value!r} (one of: {choices})",
        what=Family(family),
        value=value,
        choices=Choices(family, allowed),
    )


def label_or_code(family: str, raw: object) -> object:
    """A pydantic ``BeforeValidator``: a label becomes its code; anything else passes unchanged
    (the field's own validation then refuses it)."""
    if isinstance(raw, str):
        return to_code(family, raw) or raw
    return raw


def help_listing(family: str, language: str, codes: tuple[str, ...] | None = None) -> str:
    """``code label`` pairs for a ``--help`` text, in ``language``."""
    # English labels are words too: in brackets, or code and label would run together
    sep, pair = ("，", "{} {}") if language == "zh" else (", ", "{} ({})")
    return sep.join(pair.format(c, label(family, c, language)) for c in (codes or INPUT_CODES[family]))
