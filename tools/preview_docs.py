"""Preview the docs site without Quarto: nbdev's doc processing, then every processed page rendered to HTML.

    pip install nbconvert                # once: the HTML renderer (not a dependency of the package)
    python tools/preview_docs.py         # _preview/index.html and one page per notebook; open it in a browser

The docs site (the GitHub Pages workflow) runs `nbdev_docs`: nbdev's doc processing (`proc_nbs`, into `_proc/`),
then Quarto, which renders the processed notebooks. Quarto cannot be installed everywhere; the processed notebooks hold
what the site shows (the API docs nbdev writes for each exported function, every cell and its kept outputs), so this
renders them with `nbconvert` instead: not the site's look, but its content, tables and figures included.
"""
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def process() -> Path:
    "nbdev's doc processing of every notebook (`nbdev.serve.proc_nbs`, what `nbdev_docs` runs before Quarto); `_proc/`."
    from fastcore.xtras import working_directory
    from nbdev.serve import proc_nbs
    with working_directory(ROOT): return Path(proc_nbs(force=True))


def render(proc: Path, out: Path) -> list:
    "Every processed notebook of `proc` as `out/<name>.html`, and `out/index.html` linking them; the pages written."
    import nbformat
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor
    out.mkdir(exist_ok=True)
    exporter = HTMLExporter(template_name="lab")
    exporter.register_preprocessor(TagRemovePreprocessor(remove_input_tags={"echo-false"}, enabled=True), True)
    pages = []
    for nb_path in sorted(proc.glob("*.ipynb")):
        nb = nbformat.read(nb_path, as_version=4)
        for cell in nb.cells:  # `#| echo: false` (the API docs nbdev writes): Quarto shows the output only, so does this
            if cell.cell_type == "code" and "#| echo: false" in cell.source: cell.metadata.setdefault("tags", []).append("echo-false")
        body, _ = exporter.from_notebook_node(nb)
        page = out / (nb_path.stem + ".html")
        page.write_text(body.replace('.ipynb"', '.html"'))  # links between chapters stay inside the preview
        pages.append(page)
    links = "\n".join(f'<li><a href="{p.name}">{p.stem}</a></li>' for p in pages)
    (out / "pages.html").write_text(f"<html><body><h1>kd_privileged: docs preview</h1><ul>\n{links}\n</ul></body></html>\n")
    return pages


if __name__ == "__main__":
    pages = render(process(), ROOT / "_preview")
    print(f"{len(pages)} pages in {ROOT / '_preview'}: open {ROOT / '_preview' / 'index.html'} (the home page) or pages.html (all)")
