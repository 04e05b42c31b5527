"""nbdev's doc processing (`nbdev_proc_nbs`, the first half of `nbdev_docs`, which the deploy workflow runs) on every
notebook: it executes each chapter's exported and import cells, so a cell that mixes imports with code that needs an
earlier cell breaks the docs site. Run here as the workflow runs it, without Quarto, which renders the pages after it."""
import os
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
