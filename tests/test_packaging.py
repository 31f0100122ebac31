"""A plain `pip install -e .` (no test extras) has everything the product imports at run time.

SQLAlchemy 2.1 stopped pulling in greenlet, which starlette-admin's SQLAlchemy views need; the
test extras still brought it (through playwright), so the suite passed while `ogi serve` died on
a plain install. These tests read the declared dependencies, not the environment they run in.
"""

from __future__ import annotations

import ast
import importlib.metadata as md
import subprocess
import sys
import tomllib
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
# the packages setuptools installs, read from pyproject so the list is written once
PACKAGES = tuple(
    glob.removesuffix("*")
    for glob in tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"][
        "packages"
    ]["find"]["include"]
)


def declared() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [Requirement(r) for r in project["dependencies"]]


def runtime_closure() -> set[str]:
    """Every distribution a plain install brings: the declared ones, with the extras they name,
    and what those require in turn (markers evaluated here; no test extras)."""
    seen: set[str] = set()
    todo = [(r, frozenset(r.extras)) for r in declared()]
    while todo:
        req, extras = todo.pop()
        name = canonicalize_name(req.name)
        key = f"{name}[{','.join(sorted(extras))}]"
        if key in seen:
            continue
        seen.add(key)
        seen.add(name)
        for raw in md.requires(req.name) or []:
            sub = Requirement(raw)
            wanted = applies(sub, extras)
            if wanted:
                todo.append((sub, frozenset(sub.extras)))
    return {k for k in seen if "[" not in k}


def applies(req: Requirement, extras: frozenset[str]) -> bool:
    """Whether a requirement of a distribution installed with `extras` is installed with it."""
    if req.marker is None:
        return True
    env = default_environment()
    return any(req.marker.evaluate({**env, "extra": e}) for e in (*extras, ""))  # type: ignore[dict-item]


def distributions_of(modules: set[str]) -> dict[str, set[str]]:
    """Top-level module -> the distributions that provide it (third-party modules only)."""
    provided = md.packages_distributions()
    return {m: {canonicalize_name(d) for d in provided[m]} for m in modules if m in provided}


def imported_top_levels() -> set[str]:
    """Every top-level module the product's source imports, at module level or inside a function."""
    found: set[str] = set()
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    found |= {a.name.split(".")[0] for a in node.names}
                elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    found.add(node.module.split(".")[0])
    return found - set(sys.stdlib_module_names) - set(PACKAGES)


def test_every_third_party_module_the_source_imports_is_a_declared_dependency() -> None:
    direct = {canonicalize_name(r.name) for r in declared()}
    missing = {m: ds for m, ds in distributions_of(imported_top_levels()).items() if not ds & direct}
    assert missing == {}, f"imported but not declared in pyproject dependencies: {missing}"


_LOAD_EVERYTHING = """
import importlib, importlib.abc, pkgutil, sys

class WithoutTheTestTools(importlib.abc.MetaPathFinder):
    # what a plain install lacks cannot be imported here: an optional import of a dependency
    # (openpyxl tries Pillow) then takes its fallback, and a real need fails the load
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {blocked!r}:
            raise ModuleNotFoundError(f"No module named {{name!r}} (not in a plain install)", name=name)
        return None

sys.meta_path.insert(0, WithoutTheTestTools())
for package in {packages!r}:
    root = importlib.import_module(package)
    for info in pkgutil.walk_packages(root.__path__, package + "."):
        if ".migrations" not in info.name:
            importlib.import_module(info.name)
from admin.app import create_app
create_app()
"""


def test_a_plain_install_brings_every_module_the_product_loads_when_it_runs() -> None:
    closure = runtime_closure()
    installed = md.packages_distributions()
    blocked = sorted(
        m
        for m, ds in installed.items()
        if m.isidentifier() and not {canonicalize_name(d) for d in ds} & closure and m not in PACKAGES
    )
    assert "pytest" in blocked  # the test tools are installed here, and hidden from the load
    code = _LOAD_EVERYTHING.format(packages=PACKAGES, blocked=set(blocked))
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    last = (proc.stderr.strip().splitlines() or [""])[-1]
    assert proc.returncode == 0, f"the product needs what a plain `pip install -e .` lacks: {last}"
