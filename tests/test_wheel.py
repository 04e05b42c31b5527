"""The wheel carries what it runs: built, installed apart from the clone, and run from an unrelated folder with the
relative paths a user types there."""
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from kd_privileged.data import default_data_root

ROOT = Path(__file__).resolve().parents[1]
DATA_ROOT = Path(default_data_root() or ROOT / "tests" / "fixtures" / "data")


@pytest.mark.slow
def test_wheel_runs_a_sweep_from_an_unrelated_folder(tmp_path):
    pip = [sys.executable, "-m", "pip", "-q"]
    shutil.copytree(ROOT, tmp_path / "src", ignore=shutil.ignore_patterns(".venv", "build", "*.egg-info", "runs", ".git",
                                                                         "_proc", "_docs"))  # the docs test writes _proc
    subprocess.run([*pip, "wheel", str(tmp_path / "src"), "--no-deps", "--no-build-isolation", "-w", str(tmp_path / "dist")], check=True)
    [wheel] = (tmp_path / "dist").glob("kd_privileged-*.whl")
    with zipfile.ZipFile(wheel) as archive:  # the shipped tiny bases travel with the package
        names = set(archive.namelist())
    for family in ("xlmr", "mdeberta"):
        for file in ("model.safetensors", "tokenizer.json", "config.json", "pretrain.json", "held_out.jsonl", "README.md"):
            assert f"kd_privileged/bases/tiny-{family}/{file}" in names, (family, file)
    subprocess.run([*pip, "install", "--no-deps", "--target", str(tmp_path / "site"), str(wheel)], check=True)
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "data").mkdir(parents=True)
    (elsewhere / "data" / "tsm").symlink_to(DATA_ROOT / "tsm")
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "site")}  # the wheel's package, not the clone's (kernels inherit it)
    where = subprocess.run([sys.executable, "-c", "import kd_privileged.cli as c; print(c.notebook_path())"],
                           cwd=elsewhere, env=env, capture_output=True, text=True, check=True).stdout.strip()
    assert where == str(tmp_path / "site" / "kd_privileged" / "notebooks" / "run.ipynb")
    bin_dir = tmp_path / "site" / "bin"  # the wheel's console scripts
    help_text = subprocess.run([str(bin_dir / "kd-run"), "--help"], cwd=elsewhere, env=env, capture_output=True, text=True, check=True).stdout
    assert "max_train_samples (int, default None; at least 1): use a fixed random subset" in help_text  # the parameters' description
    (elsewhere / "deeper").mkdir()
    for folder, data_root in ((elsewhere, "data"), (elsewhere / "deeper", "../data")):  # the paths a user types, in two folders
        sweep = subprocess.run([str(bin_dir / "kd-sweep"), "copy-only", "--dataset", "tsm", "--model", "tiny", "--seeds", "0", "--data-root", data_root,
                                "--output-dir", "out", "-p", "max_train_samples", "200", "-p", "max_eval_samples", "60",
                                "-p", "teacher_epochs", "1", "-p", "eval_steps", "4"],
                               cwd=folder, env=env, capture_output=True, text=True, timeout=600)
        assert sweep.returncode == 0, sweep.stdout[-3000:] + sweep.stderr[-3000:]
        [point] = (folder / "out" / "points" / "copy-only").glob("*/metrics.json")  # where the user said, not in the package
        record = json.loads(point.read_text())
        assert record["students"][0]["init"] == "from-teacher"
        assert record["settings"]["tiny_base"] == "shipped" and not (folder / "out" / "tiny").exists()  # the wheel's base, none built
        assert record["settings"]["data_dir"] == str((folder / data_root).resolve() / "tsm")  # absolute, from where it was typed
