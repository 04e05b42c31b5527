"""Write README.md from nbs/index.ipynb without Quarto (which `nbdev_readme` needs and this machine lacks).

The README is the notebook's markdown, with code cells that are not hidden shown as code; `.ci/run` checks that it
is up to date. The docs site (GitHub Pages workflow) renders the same notebook with Quarto.
"""
import re
from pathlib import Path

from execnb.nbio import read_nb

ROOT = Path(__file__).resolve().parents[1]


def readme(nb_path: Path = ROOT / "nbs" / "index.ipynb") -> str:
    parts = ["<!-- generated from nbs/index.ipynb by tools/make_readme.py: edit the notebook, not this file -->"]
    for cell in read_nb(nb_path).cells:
        source = cell.source.strip()
        if not source or source.startswith("#| hide"): continue
        parts.append(source if cell.cell_type == "markdown" else f"```python\n{source}\n```")
    text = "\n\n".join(parts) + "\n"
    return re.sub(r"\]\((\w+\.ipynb)\)", r"](nbs/\1)", text)  # chapter links, relative to the repository root


if __name__ == "__main__":
    (ROOT / "README.md").write_text(readme())
