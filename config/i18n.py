"""The message catalog (DESIGN §14): every sentence a person reads comes from here.

Message ids are English (gettext's convention, and the ``OGI_LANG=en`` text); the Simplified
Chinese catalog ``config/locale/zh_Hans/LC_MESSAGES/ogi.po`` translates them and is the default.
Placeholders are ``str.format`` names: ``_("organ {code} added", code="hongxing")``.

A wheel ships the compiled ``ogi.mo`` (built by ``setup.py``); an editable install has only the
``.po``, which is compiled with Babel at first use (once per process). JSON keys and codes are
never translated.

A parameter that knows how to localize itself (a ``codes.labels.Coded``: ``localized(language)``)
reads as its label; a parameter that is itself a message (a refusal: ``message`` and ``params``)
is rendered in the same language, so a refusal may wrap another.
"""

from __future__ import annotations

import datetime as dt
import gettext
import io
import os
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

Language = Literal["zh", "en"]
LANGUAGES: tuple[str, ...] = ("zh", "en")
LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "ogi"
# the catalog each language reads; English is the message ids themselves
_CATALOG_LOCALE: dict[str, str] = {"zh": "zh_Hans"}


def catalog_path(language: str, suffix: str = ".po") -> Path:
    """The catalog file of ``language`` (``zh`` → ``zh_Hans``): the ``.po`` source or the ``.mo``."""
    return LOCALE_DIR / _CATALOG_LOCALE[language] / "LC_MESSAGES" / f"{DOMAIN}{suffix}"


def compile_catalog(po_path: Path) -> bytes:
    """The ``.mo`` bytes of one ``.po`` file (fuzzy entries left out)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po_path.open("rb") as po:
        catalog = read_po(po, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    return compiled.getvalue()


@lru_cache
def translations(language: str) -> gettext.NullTranslations:
    """The compiled catalog for ``language``; English (or a language without a catalog) returns the ids.

    The shipped ``.mo`` is used when it is at least as new as the ``.po`` (a developer who edits
    the ``.po`` in a checkout with a stale ``.mo`` reads the edit)."""
    if language not in _CATALOG_LOCALE:
        return gettext.NullTranslations()
    po, mo = catalog_path(language), catalog_path(language, ".mo")
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        return gettext.GNUTranslations(io.BytesIO(mo.read_bytes()))
    return gettext.GNUTranslations(io.BytesIO(compile_catalog(po)))


def current_language() -> str:
    """``OGI_LANG`` (``zh`` unless set); read per call so a test or a request may switch it."""
    from config.settings import ConfigError, get_settings

    try:
        return get_settings().lang
    except ConfigError:  # a broken setting is itself reported, in the language asked for if valid
        lang = os.environ.get("OGI_LANG", "zh")
        return lang if lang in LANGUAGES else "zh"


def N_(message: str, /) -> str:
    """Mark a message id defined in a table, translated where it is shown with ``_(variable)``."""
    return message


def _localize(value: Any, language: str) -> Any:
    if hasattr(value, "localized"):
        return value.localized(language)
    if hasattr(value, "message") and hasattr(value, "params"):
        return render(value, language)
    return value


def _fill(text: str, language: str, params: dict[str, Any]) -> str:
    return text.format(**{k: _localize(v, language) for k, v in params.items()}) if params else text


def _(message: str, /, language: str | None = None, **params: Any) -> str:
    """``message`` in the reader's language, with ``params`` filled in (``str.format``)."""
    lang = language or current_language()
    return _fill(translations(lang).gettext(message), lang, params)


def ngettext(singular: str, plural: str, n: int, /, language: str | None = None, **params: Any) -> str:
    """A sentence with a count: ``ngettext("{n} case", "{n} cases", 3)``; ``n`` is a placeholder too."""
    lang = language or current_language()
    return _fill(translations(lang).ngettext(singular, plural, n), lang, {"n": n, **params})


def render(error: Exception, language: str | None = None) -> str:
    """A refusal (``message`` + ``params``, see ``workflow.errors``) as one sentence in the reader's
    language; any other exception as its own text."""
    message = getattr(error, "message", None)
    if not isinstance(message, str):
        return str(error)
    return _(message, language=language, **getattr(error, "params", {}))


def translate_with(language: str | None) -> Any:
    """A ``_`` bound to one language (for a rendering that must not follow the process setting)."""
    return lambda message, /, **params: _(message, language=language, **params)


def local_time(
    instant: dt.datetime | str | None,
    *,
    seconds: bool = False,
    zone: bool = False,
    language: str | None = None,
) -> str:
    """A stored instant as a person reads it: in ``OGI_TIMEZONE``, ``YYYY-MM-DD HH:MM``.

    ``instant`` is aware (UTC as stored), naive (read as UTC: SQLite drops the offset) or ISO text;
    ``None`` is "—". ``zone=True`` appends the zone's name (for a record that leaves the office), in
    brackets of the reader's language (``language``, or ``OGI_LANG``)."""
    from config.settings import get_settings

    if instant is None:
        return "—"
    t = dt.datetime.fromisoformat(instant) if isinstance(instant, str) else instant
    if t.tzinfo is None:
        t = t.replace(tzinfo=dt.UTC)
    tz = get_settings().tz
    text = t.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")
    return _("{time} ({zone})", language=language, time=text, zone=tz.key) if zone else text


class ZonedTime:
    """A stored instant inside a refusal (``{value}``): its local time and zone, in the brackets of the
    language the refusal is rendered in (the refusal is raised before anyone knows who reads it)."""

    def __init__(self, instant: dt.datetime | str) -> None:
        self.instant = instant

    def localized(self, language: str) -> str:
        return local_time(self.instant, zone=True, language=language)

    def __str__(self) -> str:
        return self.localized("en")


# the calls whose first argument is a message id: gettext's, and the refusals' (workflow.errors)
EXTRACT_KEYWORDS: dict[str, Any] = {
    "_": None,
    "N_": None,
    "ngettext": (1, 2),
    "help_text": None,
    **dict.fromkeys(
        (
            "OgiError",
            "InvalidInput",
            "NotFound",
            "RuleViolation",
            "YearClosed",
            "Conflict",
            "PermissionDenied",
            "InvalidText",
            "CalendarRangeError",
            "InvalidDate",
            "Phrase",
            "Problem",
        )
    ),
}
