"""Build step (DESIGN §14): compile the message catalogs (.po → .mo) into the wheel.

Everything else about the package is in pyproject.toml. An editable install compiles the .po at
first use instead (config.i18n.translations).
"""

from __future__ import annotations

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithCatalogs(build_py):
    """``build_py`` that also writes ``ogi.mo`` beside each ``ogi.po`` in the build tree."""

    def run(self) -> None:
        super().run()
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        for po_path in Path(self.build_lib, "config", "locale").rglob("*.po"):
            with po_path.open("rb") as po:
                catalog = read_po(po)
            with po_path.with_suffix(".mo").open("wb") as mo:
                write_mo(mo, catalog, use_fuzzy=False)


setup(cmdclass={"build_py": BuildWithCatalogs})
