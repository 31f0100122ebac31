"""The message catalog (DESIGN §14): every sentence a person reads comes from here.

Message ids are English (gettext's convention, and the ``OGI_LANG=en`` text); the Simplified
Chinese catalog ``config/locale/zh_Hans/LC_MESSAGES/ogi.po`` translates them and is the default.
Placeholders are ``str.format`` names: ``_("organ {code} added", code="hongxing")``.

The ``.po`` file ships in the package and is compiled with Babel when first used (once per
process), so an editable install and a wheel read the same catalog. JSON keys and codes are never
translated.
"""

from __future__ import annotations

import gettext
import io
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

Language = Literal["zh", "en"]
LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "ogi"
# the catalog each language reads; English is the message ids themselves
_CATALOG_LOCALE: dict[str, str] = {"zh": "zh_Hans"}


def catalog_path(language: str) -> Path:
    """The ``.po`` file that holds ``language``'s translations (``zh`` → ``zh_Hans``)."""
    return LOCALE_DIR / _CATALOG_LOCALE[language] / "LC_MESSAGES" / f"{DOMAIN}.po"


@lru_cache
def translations(language: str) -> gettext.NullTranslations:
    """The compiled catalog for ``language``; English (or a language without a catalog) returns the ids."""
    if language not in _CATALOG_LOCALE:
        return gettext.NullTranslations()
    with catalog_path(language).open("rb") as po:
        catalog = read_po(po, locale=_CATALOG_LOCALE[language], domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def current_language() -> str:
    """``OGI_LANG`` (``zh`` unless set); read per call so a test or a request may switch it."""
    from config.settings import get_settings

    return get_settings().lang


def _(message: str, /, language: str | None = None, **params: Any) -> str:
    """``message`` in the reader's language, with ``params`` filled in (``str.format``)."""
    text = translations(language or current_language()).gettext(message)
    return text.format(**params) if params else text


def ngettext(singular: str, plural: str, n: int, /, language: str | None = None, **params: Any) -> str:
    """A sentence with a count: ``ngettext("{n} case", "{n} cases", 3)``; ``n`` is a placeholder too."""
    text = translations(language or current_language()).ngettext(singular, plural, n)
    return text.format(n=n, **params)


def translate_with(language: str | None) -> Any:
    """A ``_`` bound to one language (for a rendering that must not follow the process setting)."""
    return lambda message, /, **params: _(message, language=language, **params)
