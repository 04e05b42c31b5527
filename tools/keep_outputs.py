"""Execute the chapters and keep the outputs that show something, so the docs site (which renders stored outputs and
executes nothing) shows every table, figure and record a chapter computes.

    python tools/keep_outputs.py                              # every chapter, slow cells included, one at a time
    python tools/keep_outputs.py nbs/22_report.ipynb          # one chapter

A chapter runs as `nbdev_test` runs it (in `nbs/`, skipping `skip_exec` notebooks and `#| eval: false` cells). Kept:
tables, figures, Markdown and the lines a cell prints. Dropped: errors, warnings (stderr), and any output that would
change from one run to the next: temporary paths, timings, speeds, dates, memory addresses, commits. `nbdev_clean` keeps what
this keeps (`clear_all = False` in `settings.ini`); run it after this. Chapters whose outputs come from committed
files only (`FROM_FILES`) keep everything.
"""
import json
import re
import sys
from pathlib import Path

from execnb.shell import CaptureShell
from fastcore.basics import str2bool
from fastcore.xtras import working_directory
from nbdev.frontmatter import FrontmatterProc
from nbdev.process import NBProcessor

ROOT = Path(__file__).resolve().parents[1]
FROM_FILES = {"26_measured.ipynb"}  # every output is read from results/: times and dates there are the record's own
VOLATILE = re.compile(r"/tmp|tmp[\w-]{6,}|\bit/s\b|rows/s|\d s\b|\d s\)|seconds|_runtime|per_second|\bmin\b|\d{4}-\d\d-\d\d|"
                      r"0x[0-9a-f]{6,}|\b[0-9a-f]{40}\b|MiB/s")  # paths, timings, speeds, dates, addresses, commits


def _text(output: dict) -> str:
    if output["output_type"] == "stream": return "".join(output["text"])
    data = output.get("data", {})
    return "".join("".join(data.get(kind, "")) for kind in ("text/plain", "text/html", "text/markdown"))


def keep(output: dict, everything: bool = False) -> bool:
    "Whether a cell's `output` is kept: no error or stderr, and (unless `everything`) nothing that changes run to run."
    if output["output_type"] == "error" or output.get("name") == "stderr": return False
    return everything or not VOLATILE.search(_text(output))


def execute(path: Path) -> int:
    "Run the chapter at `path` and store the outputs `keep` keeps in its cells; the number of outputs kept."
    nb = NBProcessor(path, procs=FrontmatterProc, process=True).nb
    if str2bool(getattr(nb, "frontmatter_", {}).get("skip_exec", False)): return 0
    skip = lambda cell: (cell.cell_type != "code" or "nbdev_export(" in cell.source  # as nbdev_test: the export is not re-run
                         or (getattr(cell, "directives_", {}) or {}).get("eval:", [""])[0].lower() == "false")
    shell = CaptureShell(path)
    with working_directory(path.parent): shell.run_all(nb, exc_stop=True, preproc=skip)
    outputs = {cell.id: [dict(o) for o in cell.get("outputs", []) if keep(o, path.name in FROM_FILES)] for cell in nb.cells}
    raw = json.loads(path.read_text())
    for cell in raw["cells"]:
        if cell["cell_type"] == "code": cell["outputs"] = outputs.get(cell["id"], [])
    path.write_text(json.dumps(raw, indent=1, ensure_ascii=False) + "\n")
    return sum(map(len, outputs.values()))


if __name__ == "__main__":
    paths = [Path(p) for p in sys.argv[1:]] or sorted((ROOT / "nbs").glob("[0-9][0-9]_*.ipynb"))
    for path in paths: print(f"{path.name}: {execute(path.resolve())} outputs kept", flush=True)
