"""The projection W of a narrow KD student under `torchrun`: part of the model the `Trainer` wraps, so its gradients are
averaged across processes and every process ends with the same W."""
import os
import subprocess
import sys
from pathlib import Path

import torch

BIN = Path(sys.executable).parent


def test_projection_identical_across_two_processes(tmp_path):
    script = Path(__file__).with_name("ddp_projection.py")
    run = subprocess.run([str(BIN / "torchrun"), "--nproc_per_node", "2", "--master_port", "29541", str(script), str(tmp_path)],
                         capture_output=True, text=True, timeout=300, env={**os.environ, "OMP_NUM_THREADS": "1"})
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    first, second = (torch.load(tmp_path / f"W{rank}.pt") for rank in (0, 1))
    assert first["processes"] == second["processes"] == 2
    assert not torch.equal(first["W"], first["start"])  # W trained
    assert torch.equal(first["W"], second["W"])  # with gradients averaged over both processes' rows
