"""Write the parameters cell of nbs/run.ipynb from the parameters' description (`kd_privileged.settings.parameters_cell`).

    python tools/parameters_cell.py      # after adding or changing a field of `kd_privileged.settings.Parameters`

The Command line chapter's test fails while the notebook's cell differs from the description.
"""
from pathlib import Path

from nbdev.clean import nbdev_clean

from kd_privileged.cli import write_parameters_cell

path = Path(__file__).resolve().parents[1] / "nbs" / "run.ipynb"
if write_parameters_cell(path):
    nbdev_clean(fname=str(path))  # the form the notebooks are kept in
    print(f"{path}: parameters cell written from the description")
else:
    print(f"{path}: parameters cell already matches the description")
