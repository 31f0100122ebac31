"""The fonts of government documents (GB/T 9704), one table for the annual report and the statutory
documents (文书), and the fontconfig file that maps them for LibreOffice on Linux.

Each font is named as the DOCX names it, with what Word and WPS substitute where it is missing
(w:altName) and its family (serif "roman", sans "swiss"). A Linux machine has none of them:
LibreOffice asks fontconfig, and FONTS_CONF maps each to Noto Serif CJK SC or Noto Sans CJK SC
(Debian's fonts-noto-cjk). Converting either kind of DOCX to PDF goes through `libreoffice_env`,
so the report and a reply letter come out in the same faces. Wiring only: nothing renders here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

FONTS_CONF = Path(__file__).with_name("fonts.conf")


@dataclass(frozen=True)
class Font:
    """A font as the format's documents name it, and what to use where it is not installed."""

    name: str
    alt: str  # w:altName: what Word and WPS substitute
    family: str  # w:family: roman (serif) or swiss (sans), what LibreOffice falls back on
    pitch: str = "variable"


TITLE_FONT = Font("方正小标宋简体", "宋体", "roman")
HEADING_FONT = Font("黑体", "SimHei", "swiss", "fixed")
BODY_FONT = Font("仿宋_GB2312", "仿宋", "roman", "fixed")
PAGE_NUMBER_FONT = Font("宋体", "SimSun", "roman", "fixed")
LATIN_FONT = "Times New Roman"  # digits and Latin letters, as in government documents
FONTS = (TITLE_FONT, HEADING_FONT, BODY_FONT, PAGE_NUMBER_FONT)


def libreoffice_env(env: Mapping[str, str]) -> dict[str, str]:
    """`env` for `soffice --convert-to pdf` of a report or a document: the official fonts mapped."""
    return {**env, "FONTCONFIG_FILE": str(FONTS_CONF)}
