"""Execute the chapters and keep the outputs that show something, so the docs site (which renders stored outputs and
executes nothing) shows every table, figure and record a chapter computes.

    python tools/keep_outputs.py                              # every chapter, slow cells included, one at a time
    python tools/keep_outputs.py nbs/22_reports.ipynb          # one chapter

A chapter runs as `nbdev_test` runs it (in `nbs/`, skipping `skip_exec` notebooks and `#| eval: false` cells). Kept:
tables, figures, Markdown and the lines a cell prints, with the parts that change from one run to the next written as
`…` (temporary paths, dates, durations, memory addresses, commits). Dropped: errors, warnings (stderr), and an output
that is a measurement of time itself (a speed, a runtime column), which a chapter shows from a committed file instead.
`nbdev_clean` keeps what this keeps (`clear_all = False` in `settings.ini`); run it after this. Chapters whose outputs
come from committed files only (`FROM_FILES`) keep everything as it is.

Each run writes `tests/fixtures/kept_outputs.json`, the cells of every chapter that keep an output; the test command
fails on a chapter that has lost one of them (an edit that cleared it: run this again for that chapter).
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
SCRUB = [(re.compile(r"/tmp/[^\s'\"<>)\]]*|\btmp[\w-]{6,}"), "…"),  # temporary paths
         (re.compile(r"\b\d{4}-\d\d-\d\d\b"), "…"),  # dates
         (re.compile(r"\b\d+(?:\.\d+)? s\b"), "… s"),  # durations
         (re.compile(r"0x[0-9a-f]{6,}"), "0x…"),  # memory addresses
         (re.compile(r"\b[0-9a-f]{40}\b|(?<=commit `)[0-9a-f]{7,40}(?=`)"), "…")]  # commits
VOLATILE = re.compile(r"\bit/s\b|rows/s|\bseconds\b|_runtime|per_second|MiB/s")  # an output that measures time itself
MANIFEST = ROOT / "tests" / "fixtures" / "kept_outputs.json"


def _text(output: dict) -> str:
    if output["output_type"] == "stream": return "".join(output["text"])
    data = output.get("data", {})
    return "".join("".join(data.get(kind, "")) for kind in ("text/plain", "text/html", "text/markdown"))


def scrub(output: dict) -> dict:
    "`output` with the parts that change from run to run written as `…` (in its text, its table, its Markdown)."
    def clean(text):
        text = "".join(text) if isinstance(text, list) else text
        for pattern, mark in SCRUB: text = pattern.sub(mark, text)
        return text
    output = dict(output)
    if output["output_type"] == "stream": output["text"] = clean(output["text"])
    if "data" in output:
        output["data"] = {kind: clean(v) if kind.startswith("text/") else v for kind, v in output["data"].items()}
    return output


def keep(output: dict, everything: bool = False) -> bool:
    "Whether a cell's `output` is kept: no error or stderr, and (unless `everything`) no measurement of time."
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
    everything = path.name in FROM_FILES
    outputs = {cell.id: [o if everything else scrub(o) for o in map(dict, cell.get("outputs", [])) if keep(o, everything)]
               for cell in nb.cells}
    raw = json.loads(path.read_text())
    for cell in raw["cells"]:
        if cell["cell_type"] == "code": cell["outputs"] = outputs.get(cell["id"], [])
    path.write_text(json.dumps(raw, indent=1, ensure_ascii=False) + "\n")
    manifest = json.loads(MANIFEST.read_text()) if MANIFEST.exists() else {}
    lost = sorted(set(manifest.get(path.name, [])) - {i for i, kept in outputs.items() if kept})
    if lost: print(f"{path.name}: these cells kept an output before and keep none now: {', '.join(lost)}")
    manifest[path.name] = sorted(i for i, kept in outputs.items() if kept)
    MANIFEST.write_text(json.dumps(dict(sorted(manifest.items())), indent=1) + "\n")
    return sum(map(len, outputs.values()))


if __name__ == "__main__":
    paths = [Path(p) for p in sys.argv[1:]] or sorted((ROOT / "nbs").glob("[0-9][0-9]_*.ipynb"))
    for path in paths: print(f"{path.name}: {execute(path.resolve())} outputs kept", flush=True)
