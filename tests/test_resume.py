"""Long runs survive and are deterministic on CPU: a run killed (SIGKILL) after a checkpoint resumes from it and ends
exactly where the uninterrupted run ends, and the same seed gives the same model in a fresh output folder and in a
`kd-sweep` shard.

Every run here starts from the package's shipped tiny base (`tiny_base="shipped"`, the default), so no run builds one:
a per-dataset base would differ from process to process (the `tokenizers` Unigram trainer is not deterministic across
processes; see the *Tiny models* chapter). What must be equal is compared in full: the test F1 and every logged
training loss and dev F1 (wall times aside)."""
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kd_privileged.data import default_data_root

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("resume")]  # one process trains `uninterrupted`

ROOT = Path(__file__).resolve().parents[1]
DATA_ROOT = Path(default_data_root() or ROOT / "tests" / "fixtures" / "data")
BIN = Path(sys.executable).parent
RUN = {"max_train_samples": "2000", "max_eval_samples": "200", "teacher_epochs": "2", "epochs": "2", "eval_steps": "10",
       "inits": "[from-teacher]", "kd": "[true]", "learning_rate": "5e-4"}


def kd_run(out: Path, **popen) -> subprocess.Popen:
    args = [str(BIN / "kd-run"), "-p", "dataset", "tsm", "-p", "model", "tiny", "-p", "data_dir", str(DATA_ROOT / "tsm"),
            "-p", "output_dir", str(out)]
    for name, value in RUN.items(): args += ["-p", name, value]
    return subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True, **popen)


def finish(run: subprocess.Popen) -> str:
    log, _ = run.communicate(timeout=900)
    assert run.returncode == 0, log[-3000:]
    return log


def model(out: Path, role: str) -> dict:
    [path] = out.glob(f"{role}s/*/metrics.json")
    return json.loads(path.read_text())


def trajectory(record: dict) -> list:
    "Every logged loss and dev F1 with its step, without the wall times."
    timing = ("runtime", "per_second", "total_flos", "train_loss")
    return [{k: v for k, v in entry.items() if not any(t in k for t in timing)} for entry in record["log_history"]]


def same_model(a: dict, b: dict):
    assert trajectory(a) and trajectory(a) == trajectory(b)
    assert (a["test_f1"], a["test_f1_by_language"], a["selection_dev_f1"]) == (b["test_f1"], b["test_f1_by_language"], b["selection_dev_f1"])


def kill_after_first_checkpoint(run: subprocess.Popen, out: Path, role: str) -> int:
    "SIGKILL `run` once a checkpoint of its `role` model is complete; the most checkpoints seen on disk at once."
    most, deadline = 0, time.time() + 600
    while not list(out.glob(f"{role}s/*/checkpoints/checkpoint-*/trainer_state.json")):
        assert run.poll() is None, run.stdout.read()[-3000:]
        assert time.time() < deadline, f"no {role} checkpoint in 10 minutes"
        most = max(most, len(list(out.glob(f"{role}s/*/checkpoints/checkpoint-*"))))
        time.sleep(0.1)
    os.killpg(run.pid, signal.SIGKILL)  # no clean-up of any kind
    run.wait()
    assert not list(out.glob(f"{role}s/*/metrics.json"))  # killed before the model finished
    return most


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory):
    "The reference: the teacher and one from-teacher KD student, trained without a stop from the shipped base."
    out = tmp_path_factory.mktemp("uninterrupted")
    finish(kd_run(out))
    return out


def copy_of(reference: Path, into: Path, *folders) -> Path:
    for folder in folders: shutil.copytree(reference / folder, into / folder)
    return into


def test_killed_student_resumes_from_its_checkpoint(uninterrupted, tmp_path):
    out = copy_of(uninterrupted, tmp_path, "teachers")  # the same teacher
    most = kill_after_first_checkpoint(kd_run(out), out, "student")
    [checkpoint] = out.glob("students/*/checkpoints/checkpoint-*")
    log = finish(kd_run(out))
    assert f"from-teacher KD: resuming from {checkpoint.name}" in log  # not from step 0
    resumed, reference = model(out, "student"), model(uninterrupted, "student")
    assert resumed["resumed_from"] == checkpoint.name and reference["resumed_from"] is None
    same_model(resumed, reference)
    assert most <= 2 and not list(out.glob("students/*/checkpoints"))  # best + last at most; none once finished


def test_killed_teacher_resumes_and_a_fresh_student_matches(uninterrupted, tmp_path):
    out = tmp_path  # a fresh folder: the teacher and the student are trained here
    kill_after_first_checkpoint(kd_run(out), out, "teacher")
    log = finish(kd_run(out))
    assert "teacher: resuming from checkpoint-" in log
    same_model(model(out, "teacher"), model(uninterrupted, "teacher"))
    student = model(out, "student")
    assert student["resumed_from"] is None  # trained from its start in a fresh folder
    same_model(student, model(uninterrupted, "student"))


def test_a_sweep_shard_trains_the_same_student(uninterrupted, tmp_path):
    "all-lang has two points (full and half width); shard 1/2 is the full-width one, the same run as `kd-run`'s."
    out = copy_of(uninterrupted, tmp_path, "teachers")
    args = [str(BIN / "kd-sweep"), "all-lang", "--dataset", "tsm", "--model", "tiny", "--seeds", "0", "--shard", "1/2",
            "--data-root", str(DATA_ROOT), "--output-dir", str(out)]
    for name, value in RUN.items(): args += ["-p", name, value]
    sweep = subprocess.run(args, capture_output=True, text=True, timeout=900)
    assert sweep.returncode == 0, sweep.stdout[-3000:] + sweep.stderr[-3000:]
    assert "1 point (shard 1/2)" in sweep.stdout and "student_width=full" in sweep.stdout
    same_model(model(out, "student"), model(uninterrupted, "student"))
