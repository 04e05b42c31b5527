"""`kd-sweep ablation` on a very small tsm grid (one seed): every init × objective × depth trains through `run.ipynb`,
each student records its objective and logs that objective's terms, and the report's ablation section renders its
answer, tables and figure."""
import json
import subprocess
import sys
from pathlib import Path

import papermill as pm

from kd_privileged.data import default_data_root
from kd_privileged.losses import OBJECTIVES
from kd_privileged.settings import parse_value
from kd_privileged.paper import INITS
from helpers import outputs

ROOT = Path(__file__).resolve().parents[1]
DATA_ROOT = Path(default_data_root() or ROOT / "tests" / "fixtures" / "data")  # the real copies, else the repository's fixtures
BIN = Path(sys.executable).parent
SMALL = ["-p", "max_train_samples", "300", "-p", "max_eval_samples", "100", "-p", "teacher_epochs", "1", "-p", "epochs", "1",
         "-p", "eval_steps", "4"]
PARAMS = {SMALL[i + 1]: parse_value(SMALL[i + 2]) for i in range(0, len(SMALL), 3)}
TERMS = {"tinybert": {"loss_clf", "loss_att", "loss_hid", "loss_emb", "loss_pred"}, "logits": {"loss_clf", "loss_logits"},
         "minilm": {"loss_clf", "loss_at", "loss_vr"}}


def test_ablation_sweep_and_its_report(tmp_path):
    out = tmp_path / "ablation"
    run = subprocess.run([str(BIN / "kd-sweep"), "ablation", "--dataset", "tsm", "--model", "tiny", "--seeds", "0",
                          "--data-root", str(DATA_ROOT), "--output-dir", str(out), *SMALL],
                         capture_output=True, text=True, timeout=1500)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "[6/6] ablation tsm tiny student_layers=quarter objective=minilm" in run.stdout
    students = [json.loads(p.read_text()) for p in out.glob("students/*/metrics.json")]
    assert sorted((m["init"], m["objective"], m["num_layers"]) for m in students) == \
        sorted((i, o, n) for i in INITS for o in OBJECTIVES for n in (1, 2))  # the tiny teacher has 4 layers
    for m in students:
        assert {k for h in m["log_history"] for k in h if k.startswith("loss_")} == TERMS[m["objective"]], m["objective"]
        assert m["settings"]["objective"] == m["objective"] and m["kd"] is True
    nb = pm.execute_notebook(str(ROOT / "nbs" / "report.ipynb"), str(tmp_path / "report.ipynb"), kernel_name="python3",
                             parameters=dict(results_dir=str(out), seeds=[0], params=PARAMS), cwd=str(tmp_path), progress_bar=False)
    text = outputs(nb)
    assert "tsm, tiny, 2-layer students: spread across inits" in text and "tsm, tiny, 1-layer students" in text
    assert "over 1 seed(s)" in text and "objective spread" in text and "from-teacher" in text  # the answer and the table
    ablation_cell = next(c for c in nb.cells if c.get("id") == "b0d9f1a3")
    assert any("image/png" in o.get("data", {}) for o in ablation_cell.outputs)  # the figure
