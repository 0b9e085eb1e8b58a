"""Fixtures for the sheet-file tests: sheet files written into tmp."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest


@pytest.fixture
def write_sheet(tmp_path: Path):
    """write_sheet(text, name) -> path; the text is dedented."""

    def write(text: str, name: str = "sheet.yaml") -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return write
