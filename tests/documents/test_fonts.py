"""The documents are set in the report's official fonts (config.fonts), and the one fontconfig file
(config/fonts.conf) maps every one of them to the Noto CJK face of its family for LibreOffice."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from xml.etree import ElementTree

import pytest

from config.fonts import FONTS, FONTS_CONF, libreoffice_env
from documents.defaults import BODIES, default_template
from tests.conftest import require_service

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NOTO = {"roman": "Noto Serif CJK SC", "swiss": "Noto Sans CJK SC"}


def mapped_to() -> dict[str, list[str]]:
    """{font name: the families fonts.conf puts in its place, preferred first}."""
    root = ElementTree.parse(FONTS_CONF).getroot()
    out: dict[str, list[str]] = {}
    for alias in root.iter("alias"):
        name = alias.findtext("family")
        assert name is not None
        out[name] = [f.text or "" for f in alias.iterfind("prefer/family")]
    for match in root.iter("match"):
        test, edit = match.findtext("test/string"), match.findtext("edit/string")
        assert test is not None and edit is not None
        out[test] = [edit]
    return out


def named_fonts(docx: bytes) -> set[str]:
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        body = ElementTree.fromstring(z.read("word/document.xml"))
    return {v for r in body.iter(f"{W}rFonts") for k, v in r.attrib.items() if k != f"{W}hint"}


def test_every_official_font_is_mapped_to_the_noto_cjk_face_of_its_family() -> None:
    mapping = mapped_to()
    for font in FONTS:
        assert NOTO[font.family] in mapping.get(font.name, []), font.name


@pytest.mark.parametrize("kind", sorted(BODIES))
def test_every_font_a_shipped_document_names_is_an_official_font_the_mapping_covers(kind: str) -> None:
    used = named_fonts(default_template(kind))
    assert used and used <= {f.name for f in FONTS}, used
    assert used <= set(mapped_to())


def test_under_the_mapping_fontconfig_gives_the_body_and_title_fonts_a_serif_cjk_face() -> None:
    require_service("fontconfig", shutil.which("fc-match") is not None, "apt-get install fontconfig")
    env = libreoffice_env({"PATH": "/usr/bin:/bin"})
    for name in ("仿宋_GB2312", "方正小标宋简体"):
        found = subprocess.run(
            ["fc-match", "-f", "%{family}", name], env=env, capture_output=True, text=True, check=True
        ).stdout
        assert "Noto Serif CJK SC" in found, (name, found)
