"""The docs site as nbdev and Quarto build it: nbdev's doc processing (`nbdev_proc_nbs`, the first half of `nbdev_docs`,
which the deploy workflow runs) on every notebook, run here as the workflow runs it, without Quarto, which renders the
pages after it. The processed pages are then read as Quarto would: no two at one address, a sidebar that lists each
once, every link and anchor resolving, and every chapter keeping the outputs it had. The README, the docs' home page,
is checked as a landing page."""
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
from preview_docs import nbdev_page, rendered, sidebar, site_pages  # noqa: E402  the site's pages, as the preview reads them

pytestmark = pytest.mark.xdist_group("docs")  # one process builds `proc` for every test of the module


@pytest.fixture(scope="module")
def proc(tmp_path_factory):
    "nbdev's doc processing of every notebook, as `nbdev_docs` runs it before Quarto: the processed notebooks' folder."
    fake = tmp_path_factory.mktemp("bin")  # Quarto renders the processed pages; the processing only looks for it
    (fake / "quarto").write_text("#!/bin/sh\nexit 0\n")
    (fake / "quarto").chmod(0o755)
    bin_dir = Path(sys.executable).parent  # the project's environment: nbdev's commands, and the pip it would use
    env = {**os.environ, "PATH": f"{fake}{os.pathsep}{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    shutil.rmtree(ROOT / "_proc", ignore_errors=True)  # every page processed again (`--force` would also overwrite the
    done = subprocess.run([str(bin_dir / "nbdev_proc_nbs")], cwd=ROOT, env=env, capture_output=True, text=True,  # sidebar)
                          timeout=1800)
    said = done.stdout + done.stderr
    assert done.returncode == 0, said[-4000:]
    assert "Found cells containing imports and other code" not in said, said[-4000:]  # the docs build's own warning
    return ROOT / "_proc"


def test_every_notebook_goes_through_the_doc_processing(proc):
    assert sorted(p.name for p in proc.glob("*.ipynb")) == sorted(p.name for p in (ROOT / "nbs").glob("*.ipynb"))
    for name in rendered():  # the address nbdev writes in each page's front matter is the one the tests compute
        front = json.loads((proc / name).read_text())["cells"][0]
        assert f"output-file: {nbdev_page(name)}" in "".join(front["source"]), name


def test_one_page_per_address():
    pages = site_pages()  # raises for two notebooks at one address
    assert {"run.ipynb", "sweep.ipynb", "report.ipynb"}.isdisjoint(pages.values())  # papermill templates, not rendered
    assert {pages[p] for p in ("one_run.html", "sweeps.html", "reports.html")} == {
        "18_one_run.ipynb", "19_sweeps.ipynb", "22_reports.ipynb"}
    everything = site_pages(sorted(p.name for p in (ROOT / "nbs").glob("*.ipynb")))  # the templates too: no address
    assert {"run.html", "sweep.html", "report.html"} <= set(everything)  # their own addresses, were they rendered
    with pytest.raises(ValueError, match="18_run.ipynb and run.ipynb would both be run.html"):
        site_pages(["18_run.ipynb", "run.ipynb"])


def test_sidebar_lists_every_page_once():
    listed = [name for _, names in sidebar() for name in names]
    assert sorted(listed) == sorted(site_pages().values()), set(listed) ^ set(site_pages().values())
    assert [part for part, _ in sidebar()][1:] == ["Start here", "The method", "Running experiments", "Results and the paper",
                                                   "Reference"]


HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*(?:\{#([\w.-]+)\})?\s*$", re.M)
LINK = re.compile(r"\]\(([^)\s]+)\)")


def pandoc_id(heading: str) -> str:
    "The id Pandoc (and so Quarto) gives a heading: its text, lower case, punctuation but `_-.` dropped, spaces as `-`."
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading).replace("`", "")
    text = re.sub(r"\s+", "-", re.sub(r"[^\w\s.-]", "", text.lower()).strip())
    return re.sub(r"^[^a-z]+", "", text)


def _texts(nb: dict):
    "The Markdown a page shows: its Markdown cells, and the Markdown outputs (nbdev's API docs among them)."
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown": yield "".join(cell["source"])
        for out in cell.get("outputs", []):
            if "text/markdown" in out.get("data", {}): yield "".join(out["data"]["text/markdown"])


def test_every_link_and_anchor_resolves(proc):
    from nbdev.config import get_config
    host = f"{get_config().doc_host}{get_config().doc_baseurl}".rstrip("/") + "/"
    pages, anchors, links = site_pages(), {}, []
    for page, name in pages.items():
        texts = list(_texts(json.loads((proc / name).read_text())))
        anchors[page] = {m.group(2) or pandoc_id(m.group(1)) for t in texts for m in HEADING.finditer(t)}
        links += [(page, m.group(1)) for t in texts for m in LINK.finditer(t)]
    broken = []
    for page, target in links:
        if target.startswith(host): target = target[len(host):]
        elif re.match(r"^[a-z]+:", target): continue  # another site
        path, _, anchor = target.partition("#")
        path = nbdev_page(path) if path.endswith(".ipynb") else path or page
        if not path.endswith(".html"):
            if not (ROOT / "nbs" / path).exists(): broken.append(f"{page}: {target} (no such file)")
        elif path not in pages: broken.append(f"{page}: {target} (no such page)")
        elif anchor and anchor not in anchors[path]: broken.append(f"{page}: {target} (no such anchor)")
    assert len(links) > 500 and broken == []


def test_chapters_keep_their_outputs():
    "Every cell `tools/keep_outputs.py` kept an output in still has one (an edit that cleared it shows here)."
    manifest = json.loads((ROOT / "tests" / "fixtures" / "kept_outputs.json").read_text())
    lost = []
    for name, cells in manifest.items():
        have = {c["id"] for c in json.loads((ROOT / "nbs" / name).read_text())["cells"] if c.get("outputs")}
        lost += [f"{name}: cell {i}" for i in cells if i not in have]
    assert sum(map(len, manifest.values())) > 70 and lost == []


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
    """The README's one result is the headline of the committed tsm summary, cell by cell, and its time the main job's
    (`benchmarks/main_job.py`)."""
    from kd_privileged.report import headline
    from kd_privileged.results import load_models
    summary = ROOT / "results" / "tsm-tiny"
    top = headline(load_models(summary), "tsm", "tiny")
    for label, row in top.iterrows():
        line = next(l for l in README.splitlines() if l.startswith(f"| {label} |"))
        for (setting, kind), cell in row.items():
            if cell: assert cell in line, (label, setting, kind, cell, line)
    main_job = json.loads((ROOT / "results" / "benchmarks" / "main_job.json").read_text())["results"]["seconds"]
    assert f"takes about {main_job / 60:.0f} minutes" in README, main_job  # benchmarks/main_job.py, timed alone
