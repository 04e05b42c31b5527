"""The house rhythm, read from the notebooks and the package they export: lines that fit a screen's width, a definition
longer than a screen alone in its cell, and every exported definition followed by a cell that runs and tests it."""
import ast
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "nbs").glob("[0-9][0-9]_*.ipynb"))
MODULES = sorted(p for p in (ROOT / "kd_privileged").glob("*.py") if p.name != "_modidx.py")
WIDTH, SCREEN = 120, 40  # characters a line, lines a screen


def long_lines(text: str) -> list:
    """Lines wider than `WIDTH`, outside the regions marked `# fmt: off` ... `# fmt: on` (the paper's data tables) and
    what nbdev writes itself: the module's docstring (the chapter's summary, on one line) and its `__all__` list."""
    out, marked, generated = [], False, False
    for number, line in enumerate(text.splitlines()[1:], 2):
        if line.startswith("__all__ = ["): generated = True
        if line.strip() == "# fmt: off": marked = True
        elif line.strip() == "# fmt: on": marked = False
        elif len(line) > WIDTH and not marked and not generated: out.append(f"{number}: {line[:80]}…")
        if generated and line.rstrip().endswith("]"): generated = False
    return out


@pytest.mark.parametrize("module", MODULES, ids=lambda p: p.name)
def test_package_lines_fit(module):
    assert long_lines(module.read_text()) == []


def _cells(notebook: Path) -> list:
    return [("".join(c["source"]), c["cell_type"]) for c in json.loads(notebook.read_text())["cells"]]


@pytest.mark.parametrize("notebook", CHAPTERS, ids=lambda p: p.name)
def test_chapter_rhythm(notebook):
    cells, problems = _cells(notebook), []
    for i, (source, kind) in enumerate(cells):
        if kind != "code" or not source.startswith("#| export"): continue
        defined = [n for n in ast.parse(source).body if isinstance(n, (ast.FunctionDef, ast.ClassDef))]
        long = [d.name for d in defined if d.end_lineno - d.lineno + 1 > SCREEN]
        if long and len(defined) > 1: problems.append(f"{long[0]} is longer than a screen and shares its cell")
        public = [d.name for d in defined if not d.name.startswith("_")]
        after = next((s for s, k in cells[i + 1:] if k == "code"), "")  # the next code cell: it runs what was defined
        if public and (after.startswith("#| export") or not re.search(r"\btest_\w+\(|\bassert\b", after)):
            problems.append(f"{', '.join(public)}: no test right after")
    assert problems == []
