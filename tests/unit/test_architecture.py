"""Imports point inward (docs/architecture.md, "The rooms"): a test that fails when an arrow points outward."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STDLIB = set(sys.stdlib_module_names)
OUR_PACKAGES = {"domain", "rubrics", "workbooks", "store", "files", "notifications", "services", "flows", "dtiflow"}

# package -> the packages (ours and third-party) it may import besides the standard library.
ALLOWED = {
    "domain": {"domain"},
    "rubrics": {"domain", "rubrics", "yaml", "yaml_rs"},  # yaml_rs: the sheet loader's fast parser
    # Excel in and out: an adapter beside the rubrics, with its reader and writer only.
    "workbooks": {"domain", "rubrics", "workbooks", "python_calamine", "xlsxwriter"},
    "store": {"domain", "store", "sqlmodel", "sqlalchemy", "alembic"},
    # The file store (evidence, uploads): its own room, the standard library and the domain's
    # error root only; services record what it keeps, adapters hand it streams. A cloud backend
    # may add its client here.
    "files": {"domain", "files"},
    "notifications": {"domain", "store", "notifications", "sqlmodel", "sqlalchemy", "jinja2", "aiosmtpd", "rubrics"},
    "services": {"domain", "rubrics", "workbooks", "store", "files", "notifications", "services", "sqlmodel",
                 "sqlalchemy"},
    "flows": {"domain", "rubrics", "workbooks", "store", "notifications", "services", "flows", "dtiflow", "prefect",
              "sqlmodel", "sqlalchemy"},
}
# The only third-party imports the pure core may make, and where (each in one shim module).
DOMAIN_EXCEPTIONS = {"pendulum": {"domain/instants.py"}, "holidays": {"domain/calendar.py"}}


def _imports(path: Path) -> list[tuple[str, int]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(alias.name.split(".")[0], node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            out.append((node.module.split(".")[0], node.lineno))
    return out


def _modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_each_package_imports_only_what_is_inward_of_it(package: str) -> None:
    wrong = []
    for path in _modules(package):
        rel = path.relative_to(ROOT).as_posix()
        if "/migrations/" in rel:  # Alembic scripts are tooling, run by `dtiflow db upgrade`
            continue
        for name, line in _imports(path):
            if name in STDLIB or name == "__future__" or name in ALLOWED[package]:
                continue
            if package == "domain" and rel in DOMAIN_EXCEPTIONS.get(name, set()):
                continue
            wrong.append(f"{rel}:{line} imports {name}")
    assert not wrong, "imports pointing outward:\n" + "\n".join(wrong)


def test_nothing_but_the_command_line_imports_the_command_line() -> None:
    wrong = [f"{p.relative_to(ROOT)}:{line}"
             for pkg in OUR_PACKAGES - {"dtiflow"} for p in _modules(pkg)
             for name, line in _imports(p) if name == "dtiflow" and pkg != "flows"]
    assert not wrong, "only flows and the CLI may import the composition root: " + ", ".join(wrong)


def test_the_domain_never_reads_the_clock() -> None:
    offenders = []
    for path in _modules("domain"):
        text = path.read_text(encoding="utf-8")
        for needle in ("datetime.now(", "dt.datetime.now(", "date.today(", "time.time(", "pendulum.now("):
            if needle in text:
                offenders.append(f"{path.relative_to(ROOT)}: {needle}")
    assert not offenders, offenders


def test_the_spreadsheet_libraries_load_only_inside_the_functions_that_use_them() -> None:
    """`dtiflow --help` and every command that touches no workbook must not import them."""
    top_level = []
    for pkg in OUR_PACKAGES:
        for path in _modules(pkg):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in tree.body:
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                    [node.module or ""] if isinstance(node, ast.ImportFrom) else []
                if any(n.split(".")[0] in {"python_calamine", "xlsxwriter", "openpyxl"} for n in names):
                    top_level.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not top_level, top_level
