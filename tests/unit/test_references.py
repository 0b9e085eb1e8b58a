"""Comments and docs point only at what the repository holds.

A newcomer who follows a reference must find it in the clone: a design decision is a record under
docs/decisions/, a measured figure is in docs/ or a benchmark, a rule cites its legal article.
Three checks over every tracked text file:

- no pointer to design notes or a tracker the clone does not contain ("DESIGN decision 4",
  "STACK.md", "issue 5 §1");
- every "decision record NNNN" names a file docs/decisions/NNNN-*.md;
- every file path named in a comment, a docstring or a document exists in the repository (by its
  path from the root or from the naming file, or, for a bare file name, somewhere in the tree).
"""

from __future__ import annotations

import ast
import io
import re
import subprocess
import tokenize
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

TEXT_SUFFIXES = {".py", ".md", ".yaml", ".yml", ".toml", ".j2", ".txt", ".cfg", ".ini", ".mako", ".service"}
TEXT_NAMES = {"Makefile", "run", ".gitignore"}

FORBIDDEN = [
    (re.compile(r"\bDESIGN(\.md)?\b"), "design notes outside the repository: point to docs/decisions/"),
    (re.compile(r"\bSTACK\.md\b"), "measurements outside the repository: cite docs/ or a benchmark"),
    (re.compile(r"\bDOMAIN\.md\b"), "a summary outside the repository: cite the legal article"),
    (re.compile(r"(?<![/\w])issues? #?\d+", re.I), "a tracker entry: say what it asks, not where"),
]
RECORD = re.compile(r"decision records? (\d{4})((?:,| and) (\d{4}))*")
RECORD_NUMBER = re.compile(r"\d{4}")
# A path-like name with a known suffix; one followed by ":<line>" is an example of an error
# message ("rubrics/sheets/x.yaml:41: ..."), not a reference.
PATH = re.compile(r"(?<![\w/.@:*-])((?:\.{0,2}/)?(?:[\w.*-]+/)*[\w*-]+(?:\.[\w-]+)*\.(?:py|md|yaml|yml|toml|j2|mako|cfg))\b(?!:\d)")
# Names a person gives their own files, which the code looks for or the docs use as examples.
USERS_OWN = {
    "not_evaluated.yaml",  # the optional manifest of a sheets folder (docs/sheets.md)
}
FENCE = re.compile(r"^```.*?^```", re.S | re.M)  # command examples name the reader's own files
URL = re.compile(r"https?://\S+")


def tracked_files() -> list[Path]:
    out = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return [ROOT / p for p in out.splitlines()
            if (Path(p).suffix in TEXT_SUFFIXES or Path(p).name in TEXT_NAMES) and (ROOT / p).is_file()]


FILES = tracked_files()
ALL_PATHS = {p.relative_to(ROOT).as_posix() for p in FILES} | {
    p.relative_to(ROOT).as_posix() for p in ROOT.rglob("*") if ".git" not in p.parts and ".venv" not in p.parts}
BASENAMES = {Path(p).name for p in ALL_PATHS}


def prose(path: Path) -> str:
    """What a person reads: a Python file's comments and docstrings; any other file whole."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".md":
        return FENCE.sub("", text)
    if path.suffix != ".py":
        return text
    parts: list[str] = []
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if tok.type == tokenize.COMMENT:
                parts.append(tok.string)
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
                doc = ast.get_docstring(node, clean=False)
                if doc:
                    parts.append(doc)
    except (SyntaxError, tokenize.TokenError):
        return text
    return "\n".join(parts)


def exists(reference: str, where: Path) -> bool:
    ref = reference.lstrip("./") if reference.startswith("./") else reference
    if ref in ALL_PATHS or reference in USERS_OWN:
        return True
    if "*" in ref:
        return any(Path(p).match(ref) for p in ALL_PATHS)
    near = (where.parent / reference).resolve()
    if near.exists() and ROOT in near.parents:
        return True
    return "/" not in reference and reference in BASENAMES


def findings() -> list[str]:
    out = []
    for path in FILES:
        rel = path.relative_to(ROOT).as_posix()
        if rel == "tests/unit/test_references.py":
            continue
        text = URL.sub("", prose(path))
        for pattern, why in FORBIDDEN:
            for m in pattern.finditer(text):
                out.append(f"{rel}: '{m.group(0)}': {why}")
        for m in RECORD.finditer(text):
            for number in RECORD_NUMBER.findall(m.group(0)):
                if not list((ROOT / "docs" / "decisions").glob(f"{number}-*.md")):
                    out.append(f"{rel}: 'decision record {number}': no docs/decisions/{number}-*.md")
        for m in PATH.finditer(text):
            if not exists(m.group(1), path):
                out.append(f"{rel}: '{m.group(1)}': no such file in the repository")
    return sorted(set(out))


def test_comments_and_docs_name_only_what_the_repository_holds():
    problems = findings()
    assert not problems, "references to what the clone does not hold:\n" + "\n".join(problems)


@pytest.mark.parametrize("text, found", [
    ("as DESIGN decision 4 says", True),
    ("see STACK.md", True),
    ("(issue 5 §1)", True),
    ("see https://github.com/yaml/pyyaml/issues/376", False),
    ("decision record 0004", False),
])
def test_the_check_sees_what_it_is_meant_to(text, found):
    hit = any(p.search(URL.sub("", text)) for p, _ in FORBIDDEN)
    assert hit is found
