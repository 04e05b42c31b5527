"""The README's test command runs the tests in processes side by side (`pytest -n 2`, pytest-xdist): each process, and
every run it starts (`kd-run`, `kd-sweep`, papermill's kernels), then trains on its share of the cores, as a CPU run
trains its students side by side. Two processes on two threads each would ask four threads of two cores, and torch's
threads wait on each other when they outnumber the cores.

Tests that share what a module trains (a module-scoped fixture) carry `xdist_group`, so one process trains it once."""
import os

workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
if workers > 1 and "OMP_NUM_THREADS" not in os.environ:
    os.environ["OMP_NUM_THREADS"] = str(max(1, (os.cpu_count() or 1) // workers))  # read by torch in every process
    import torch
    torch.set_num_threads(int(os.environ["OMP_NUM_THREADS"]))
