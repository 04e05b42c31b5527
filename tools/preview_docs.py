"""Preview the docs site without Quarto: nbdev's doc processing, then every page the site renders written to HTML.

    python tools/preview_docs.py         # _preview/index.html (the home page) and pages.html (every page, by part)

The docs site (the GitHub Pages workflow) runs `nbdev_docs`: nbdev's doc processing (`proc_nbs`, into `_proc/`), then
Quarto, which renders the processed notebooks. Quarto cannot be installed everywhere; the processed notebooks hold what
the site shows (the API docs nbdev writes for each exported function, every cell and its kept outputs), so this renders
them with `nbconvert` (part of the dev install) instead: not the site's look, but its content, at the site's addresses
(each page's `output-file`), with its titles, its sidebar's parts, and its math written as MathML, so the preview reads
offline. The tests read the same pages (`site_pages`) to check that no two share an address and that every link and
anchor of a processed page resolves.
"""
import html
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
NBS = ROOT / "nbs"
ATTRIBUTES = re.compile(r"(\]\([^)]*\))\{[^}]*\}")  # Pandoc attributes after a link: `[source](…){target="_blank" …}`
MATH = re.compile(r"\$\$(.+?)\$\$|(?<![\\$\w])\$([^$\n]+?)\$(?![\w$])", re.S)


def nbdev_page(notebook: str | Path) -> str:
    "The page nbdev and Quarto give a notebook: its name, lower case, without a leading `NN_` (`17_run.ipynb` → `run.html`)."
    return re.sub(r"^\d+[a-zA-Z0-9]*_", "", Path(notebook).name.lower()).rsplit(".", 1)[0] + ".html"


def rendered(notebooks=None) -> list:
    "The notebooks Quarto renders: those of `nbs/`, less the ones `_quarto.yml`'s `project: render` leaves out (`!name`)."
    render = (yaml.safe_load((NBS / "_quarto.yml").read_text()).get("project") or {}).get("render") or ["*.ipynb"]
    left_out = {pattern[1:] for pattern in render if pattern.startswith("!")}
    names = sorted(p.name for p in (notebooks or NBS.glob("*.ipynb")))
    return [n for n in names if n not in left_out and not n.startswith("_")]


def site_pages(
    names: list | None = None,  # notebook names; `None`: every notebook the site renders (`rendered`)
) -> dict:  # page address → notebook
    "The page of each notebook the site renders; `ValueError` for two notebooks at one address."
    pages = {}
    for name in names or rendered():
        page = nbdev_page(name)
        if page in pages: raise ValueError(f"{pages[page]} and {name} would both be {page}")
        pages[page] = name
    return pages


def sidebar() -> list:
    "`(part, [notebook, ...])` in the order of `nbs/sidebar.yml` (a part of `None`: the entries above the first part)."
    contents = yaml.safe_load((NBS / "sidebar.yml").read_text())["website"]["sidebar"]["contents"]
    parts, loose = [], []
    for entry in contents:
        if isinstance(entry, str): loose.append(entry)
        else: parts.append((entry["section"], list(entry["contents"])))
    return [(None, loose), *parts] if loose else parts


def process() -> Path:
    "nbdev's doc processing of every notebook (`nbdev.serve.proc_nbs`, what `nbdev_docs` runs before Quarto); `_proc/`."
    from fastcore.xtras import working_directory
    from nbdev.serve import proc_nbs
    with working_directory(ROOT): return Path(proc_nbs(force=True))


def front_matter(nb) -> dict:
    "The front matter nbdev writes as the first (raw) cell of a processed notebook: title, description, output-file."
    first = nb.cells[0] if nb.cells else None
    if first is None or first.cell_type != "raw" or not first.source.startswith("---"): return {}
    return yaml.safe_load(first.source.strip().strip("-")) or {}


def _math(markdown: str) -> str:
    from latex2mathml.converter import convert
    def mathml(m):
        try: return convert(m.group(1) or m.group(2), display="block" if m.group(1) else "inline")
        except Exception: return m.group(0)  # what the converter cannot read stays as written
    return MATH.sub(mathml, markdown)


def _local(text: str, pages: dict) -> str:
    "Links into the site made relative (nbdev writes the docs host's address), `.ipynb` links made the page's address."
    from nbdev.config import get_config
    host = f"{get_config().doc_host}{get_config().doc_baseurl}".rstrip("/") + "/"
    text = text.replace(host, "")
    return re.sub(r"\(([\w.-]+\.ipynb)(#[^)]*)?\)", lambda m: f"({nbdev_page(m.group(1))}{m.group(2) or ''})", text)


def render(proc: Path, out: Path) -> list:
    "Every page the site renders, from `proc`, as `out/<its address>`, and `out/pages.html` listing them by part."
    import nbformat
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor
    out.mkdir(exist_ok=True)
    exporter = HTMLExporter(template_name="lab", exclude_input_prompt=True, exclude_output_prompt=True)
    exporter.register_preprocessor(TagRemovePreprocessor(remove_input_tags={"echo-false"}, enabled=True), True)
    pages, titles = site_pages(), {}
    for page, name in pages.items():
        nb = nbformat.read(proc / name, as_version=4)
        meta = front_matter(nb)
        titles[name] = meta.get("title") or Path(name).stem
        if meta: nb.cells = nb.cells[1:]
        heading = f"# {titles[name]}" + (f"\n\n> {meta['description']}" if meta.get("description") else "")
        nb.cells.insert(0, nbformat.v4.new_markdown_cell(heading))
        for cell in nb.cells:
            if cell.cell_type == "markdown": cell.source = _local(_math(ATTRIBUTES.sub(r"\1", cell.source)), pages)
            if cell.cell_type != "code": continue
            if "#| echo: false" in cell.source: cell.metadata.setdefault("tags", []).append("echo-false")  # as Quarto
            for output in cell.get("outputs", []):
                data = output.get("data", {})
                if "text/markdown" in data:
                    data["text/markdown"] = _local(_math(ATTRIBUTES.sub(r"\1", "".join(data["text/markdown"]))), pages)
        body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": titles[name]}})
        nav = '<p style="margin:1em"><a href="index.html">home</a> · <a href="pages.html">all pages</a></p>'
        (out / page).write_text(re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + nav, body, count=1))
    parts = "".join(f"<h2>{html.escape(part or 'kd_privileged')}</h2><ul>"
                    + "".join(f'<li><a href="{nbdev_page(n)}">{html.escape(titles.get(n, n))}</a></li>' for n in names)
                    + "</ul>" for part, names in sidebar())
    (out / "pages.html").write_text(f"<html><head><title>kd_privileged: pages</title></head><body>"
                                    f"<h1>kd_privileged: every page</h1>{parts}</body></html>\n")
    return [out / page for page in pages]


if __name__ == "__main__":
    written = render(process(), ROOT / "_preview")
    print(f"{len(written)} pages in {ROOT / '_preview'}: open {ROOT / '_preview' / 'index.html'} (the home page) or "
          "pages.html (every page, in the sidebar's parts)")
