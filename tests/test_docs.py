"""nbdev's doc processing (`nbdev_proc_nbs`, the first half of `nbdev_docs`, which the deploy workflow runs) on every
notebook: it executes each chapter's exported and import cells, so a cell that mixes imports with code that needs an
earlier cell breaks the docs site. Run here as the workflow runs it, without Quarto, which renders the pages after it."""
import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_notebook_goes_through_the_doc_processing(tmp_path):
    fake = tmp_path / "bin"  # Quarto renders the processed pages; the processing only looks for it (else it would install it)
    fake.mkdir()
    (fake / "quarto").write_text("#!/bin/sh\nexit 0\n")
    (fake / "quarto").chmod(0o755)
    bin_dir = Path(sys.executable).parent  # the project's environment: nbdev's commands, and the pip it would use
    env = {**os.environ, "PATH": f"{fake}{os.pathsep}{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run([str(bin_dir / "nbdev_proc_nbs"), "--force"], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=1800)
    said = done.stdout + done.stderr
    assert done.returncode == 0, said[-4000:]
    assert "Found cells containing imports and other code" not in said, said[-4000:]  # the docs build's own warning
    notebooks = sorted(p.name for p in (ROOT / "nbs").glob("*.ipynb"))
    assert sorted(p.name for p in (ROOT / "_proc").glob("*.ipynb")) == notebooks


README = (ROOT / "README.md").read_text()


def test_readme_is_a_landing_page():
    lines = README.splitlines()
    assert len(lines) <= 150, len(lines)
    assert not re.search(r"\b[Ii]ssue \d|\b(I|my|we|our)\b", README), re.search(r"\b[Ii]ssue \d|\b(I|my|we|our)\b", README)
    for target in re.findall(r"\]\(([^)#:]+)\)", README):  # every local link and file a newcomer is sent to exists in a clone
        assert (ROOT / target).exists(), target
    for path in re.findall(r"(?:python |-c )((?:tools|benchmarks)/\w+\.py|constraints-py[\d.]+\.txt)", README):
        assert (ROOT / path).exists(), path


def test_readme_result_is_the_measured_one():
    "The README's one result is the headline of the committed tsm summary, cell by cell, and its time the main job's."
    from kd_privileged.report import headline
    from kd_privileged.results import load_models
    summary = ROOT / "results" / "tsm-tiny"
    top = headline(load_models(summary), "tsm", "tiny")
    for label, row in top.iterrows():
        line = next(l for l in README.splitlines() if l.startswith(f"| {label} |"))
        for (setting, kind), cell in row.items():
            if cell: assert cell in line, (label, setting, kind, cell, line)
    points = json.loads((summary / "points.json").read_text())
    main_job = next(p["seconds"] for p in points if (p["experiment"], p["point"]) == ("all-lang", "tsm-tiny-student_width=full-s0"))
    assert f"takes about {main_job / 60:.0f} minutes" in README, main_job
