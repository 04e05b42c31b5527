"""`kd-sweep` on a very small grid of tsm (the real files, or the repository's fixtures): killed while it runs and restarted, then the report on a
folder with missing points, then one run trained by two CPU processes through `torchrun`."""
import copy
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

import papermill as pm
import pytest

from kd_privileged.data import default_data_root
from kd_privileged.settings import parse_value
from kd_privileged.storage import ModelRecord
from kd_privileged.sweep import grid
from helpers import outputs

ROOT = Path(__file__).resolve().parents[1]
DATA_ROOT = Path(default_data_root() or ROOT / "tests" / "fixtures" / "data")  # the real copies, else the repository's fixtures
BIN = Path(sys.executable).parent
SMALL = ["-p", "max_train_samples", "300", "-p", "max_eval_samples", "100", "-p", "teacher_epochs", "1",
         "-p", "epochs", "1", "-p", "eval_steps", "4", "-p", "inits", "[from-teacher, from-scratch]"]
PARAMS = {SMALL[i + 1]: parse_value(SMALL[i + 2]) for i in range(0, len(SMALL), 3)}


def kd_sweep(out: Path, *extra, **popen):
    command = [str(BIN / "kd-sweep"), "english-only", "copy-only", "--dataset", "tsm", "--model", "tiny", "--seeds", "0", "1",
               "--data-root", str(DATA_ROOT), "--output-dir", str(out), *SMALL, *extra]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True, **popen)


def finished(out: Path) -> dict:
    "metrics.json path → modification time, for every point and model."
    return {str(p.relative_to(out)): p.stat().st_mtime_ns for p in out.glob("**/metrics.json")}

pytestmark = pytest.mark.xdist_group("sweep")  # one process builds `swept` for every test of the module


@pytest.fixture(scope="module")
def swept(tmp_path_factory):
    "The small grid (english-only seeds 0 and 1, copy-only), killed once a point has finished, then restarted."
    out = tmp_path_factory.mktemp("sweep")
    first = kd_sweep(out)
    point = grid(["english-only"], ["tsm"], ["tiny"], seeds=[0], params=PARAMS)[0].folder(out)
    deadline = time.time() + 600
    while not (point / "metrics.json").exists():
        assert first.poll() is None, first.stdout.read()
        assert time.time() < deadline, "the first point did not finish in 10 minutes"
        time.sleep(0.5)
    time.sleep(3)  # let it get into the second point
    os.killpg(first.pid, signal.SIGKILL)  # the hardest stop: no clean-up of any kind
    first.wait()
    before = finished(out)
    second = kd_sweep(out)
    log, _ = second.communicate(timeout=900)
    return out, before, log, second.returncode


def test_killed_sweep_resumes_without_redoing_or_losing_work(swept):
    out, before, log, rc = swept
    assert rc == 0, log
    lines = [line for line in log.splitlines() if re.match(r"\[\d/3\]", line)]  # the sweep's own lines
    assert lines[0].startswith("[1/3] english-only tsm tiny") and ": finished before in" in lines[0], log
    assert "english-only tsm tiny" in lines[-3] and lines[-1].startswith("[3/3] copy-only tsm tiny")
    after = finished(out)
    assert {k: after[k] for k in before} == before  # nothing finished was redone (or rewritten)
    points = sorted(out.glob("points/*/*/metrics.json"))
    assert len(points) == 3
    for p in points:  # each point complete: teacher and every student, and its executed notebook beside it
        m = json.loads(p.read_text())
        assert len(m["students"]) == len(m["settings"]["inits"]) * len(m["settings"]["kd"])
        for r in [m["teacher"], *m["students"]]:  # each a whole record, in the one form a run writes, with a score
            record = ModelRecord.from_dict(r)
            assert record.to_dict() == r and 0 <= record.test_f1 <= 100 and record.eval_langs == m["settings"]["eval_languages"]
        assert (p.parent / "run.ipynb").is_file()
    copy = json.loads((out / "points/copy-only").glob("*/metrics.json").__next__().read_text())
    assert copy["settings"]["epochs"] == 0 and copy["students"][0]["log_history"] == []  # copy-only stays untrained under -p epochs 1
    assert not list(out.glob("**/*.tmp")) and not list(out.glob("**/failed.json"))
    records = [json.loads(line) for line in (out / "sweep.jsonl").read_text().splitlines()]
    assert records[-3]["status"] == "finished before"


def test_report_renders_with_missing_points(swept, tmp_path):
    out = swept[0]
    shutil.rmtree(next((out / "points" / "english-only").glob("*-s1")))  # and one finished point lost
    nb = pm.execute_notebook(str(ROOT / "nbs" / "report.ipynb"), str(tmp_path / "report.ipynb"), kernel_name="python3",
                             parameters=dict(results_dir=str(out), params=PARAMS),
                             cwd=str(tmp_path), progress_bar=False)
    text = outputs(nb)
    assert "missing" in text and "english-only" in text
    assert "data size: the gap narrows, from-teacher stays best" in text and "not run" in text
    empty = _no_outputs(nb)  # the report's source names both words; a check that read it would pass on an empty render
    assert "not run" in json.dumps(empty.cells) and "missing" in json.dumps(empty.cells)
    assert "not run" not in outputs(empty) and "missing" not in outputs(empty)


def test_report_keeps_a_run_under_other_parameters_apart(swept, tmp_path):
    """english-only run again for seed 0 with -p objective minilm into the same folder (its record made from the real
    seed 0 one, every student scoring 0): the report lists it apart and its Table 6 reads the sweep's own students only."""
    results = tmp_path / "results"
    shutil.copytree(swept[0] / "points", results / "points")
    own = sorted((results / "points" / "english-only").iterdir())  # seed 0, and seed 1 unless a test before removed it
    scores = [next(m["test_f1"] for m in json.loads((p / "metrics.json").read_text())["students"] if m["init"] == "from-teacher") for p in own]
    record = json.loads((own[0] / "metrics.json").read_text())
    record["settings"]["objective"] = "minilm"
    for m in record["students"]: m["test_f1"] = 0.0
    other = own[0].with_name(own[0].name.replace("-s0", "-objective=minilm-s0"))
    other.mkdir()
    (other / "metrics.json").write_text(json.dumps(record))
    nb = pm.execute_notebook(str(ROOT / "nbs" / "report.ipynb"), str(tmp_path / "report.ipynb"), kernel_name="python3",
                             parameters=dict(results_dir=str(results), params=PARAMS, seeds=[0, 1]), cwd=str(tmp_path), progress_bar=False)
    text = outputs(nb)
    assert "1 finished point(s) ran under other -p parameters" in text and "objective=minilm, teacher_epochs=1" in text
    cell = lambda f1: f"{statistics.mean(f1):.2f} ± {statistics.stdev(f1):.2f}" if len(f1) > 1 else f"{f1[0]:.2f} (n=1)"
    line = next(line for line in text.splitlines() if line.startswith("from-teacher KD"))  # Table 6's row
    assert cell(scores) in line and cell(scores + [0.0]) not in line, (line, scores)


def _no_outputs(nb):
    "The same notebook with every output removed."
    empty = copy.deepcopy(nb)
    for cell in empty.cells: cell["outputs"] = []
    return empty


def test_one_run_on_two_cpu_processes(swept):
    """torchrun starts two processes; the Trainer trains one student with DistributedDataParallel over gloo. The run asks
    for other evaluation languages than the copy-only point that trained the teacher, so the teacher is evaluated again."""
    out = swept[0]
    args = ["-p", "dataset", "tsm", "-p", "model", "tiny", "-p", "data_dir", str(DATA_ROOT / "tsm"), "-p", "output_dir", str(out),
            "-p", "max_train_samples", "300", "-p", "max_eval_samples", "100", "-p", "teacher_epochs", "1", "-p", "epochs", "1",
            "-p", "eval_steps", "4", "-p", "inits", "[from-scratch]", "-p", "kd", "[true]", "-p", "eval_langs", "unseen"]
    run = subprocess.run([str(BIN / "torchrun"), "--nproc_per_node", "2", "--master_port", "29533", str(BIN / "kd-run"), *args],
                         check=False, capture_output=True, text=True, timeout=900, env={**os.environ, "OMP_NUM_THREADS": "1"})
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    unseen = ["arabic", "french", "hindi", "portuguese"]
    assert "teacher: reusing" in run.stdout and f"teacher: evaluating on {unseen}" in run.stdout
    assert "from-scratch KD: dev F1" in run.stdout
    [student] = [json.loads(p.read_text()) for p in out.glob("students/*from-scratch-kd*-all-*/metrics.json")]
    assert sorted(student["test_f1_by_language"]) == unseen
    steps = max(h["step"] for h in student["log_history"])
    assert steps == 5  # 300 rows, 32 per process × 2 processes: ceil(300 / 64) steps (one process would take 10)


def test_notebook_front_end(swept, tmp_path):
    "nbs/sweep.ipynb through papermill, on the finished small grid: the same points, all found finished."
    out = swept[0]
    nb = pm.execute_notebook(str(ROOT / "nbs" / "sweep.ipynb"), str(tmp_path / "sweep.ipynb"), kernel_name="python3",
                             parameters=dict(experiments=["english-only", "copy-only"], datasets=["tsm"], models=["tiny"],
                                             seeds=[0], data_root=str(DATA_ROOT), output_dir=str(out), params=PARAMS),
                             cwd=str(tmp_path), progress_bar=False)
    text = outputs(nb)
    assert "[1/2] english-only tsm tiny" in text and "[2/2] copy-only tsm tiny" in text
    assert text.count("finished before") >= 2 and "failed" not in text
