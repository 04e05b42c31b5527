"""Under `torchrun`: the projection W of a narrow KD student is part of the model the `Trainer` wraps, so its gradients
are averaged across processes and every process ends with the same W; and one run trains its teacher and a KD student
with two processes and ends cleanly."""
import json
import os
import subprocess
import sys
from pathlib import Path

import torch

from kd_privileged.data import default_data_root

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parents[1]
DATA_ROOT = Path(default_data_root() or ROOT / "tests" / "fixtures" / "data")  # the real copies, else the repository's fixtures


def test_projection_identical_across_two_processes(tmp_path):
    script = Path(__file__).with_name("ddp_projection.py")
    run = subprocess.run([str(BIN / "torchrun"), "--nproc_per_node", "2", "--master_port", "29541", str(script), str(tmp_path)],
                         capture_output=True, text=True, timeout=300, env={**os.environ, "OMP_NUM_THREADS": "1"})
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    first, second = (torch.load(tmp_path / f"W{rank}.pt") for rank in (0, 1))
    assert first["processes"] == second["processes"] == 2
    assert not torch.equal(first["W"], first["start"])  # W trained
    assert torch.equal(first["W"], second["W"])  # with gradients averaged over both processes' rows


def test_run_trains_teacher_and_kd_student_on_two_processes(tmp_path):
    """A fresh folder: both processes train the teacher, then read its outputs from the cache the first one builds. The
    cache's key reads the saved teacher's time: without the barrier before it, the second process could read it before
    the first had saved the teacher and wait for ever on another key (seen once, on a cold start; this test cannot force
    that timing, it checks the path end to end)."""
    args = ["-p", "dataset", "tsm", "-p", "model", "tiny", "-p", "data_dir", str(DATA_ROOT / "tsm"), "-p", "output_dir", str(tmp_path),
            "-p", "max_train_samples", "300", "-p", "max_eval_samples", "100", "-p", "teacher_epochs", "1", "-p", "epochs", "1",
            "-p", "eval_steps", "4", "-p", "inits", "[from-scratch]", "-p", "kd", "[true]", "-p", "point_dir", str(tmp_path / "point")]
    run = subprocess.run([str(BIN / "torchrun"), "--nproc_per_node", "2", "--master_port", "29542", str(BIN / "kd-run"), *args],
                         capture_output=True, text=True, timeout=300, env={**os.environ, "OMP_NUM_THREADS": "1"})
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "teacher outputs: caching 300 rows" in run.stdout
    record = json.loads((tmp_path / "point" / "metrics.json").read_text())
    assert record["teacher"]["training"]["processes"] == 2 and record["students"][0]["training"]["processes"] == 2
