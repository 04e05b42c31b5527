"""The path a researcher with a GPU takes first, run end to end on a CPU at the real shape: an `xlm-roberta-base`-shaped
teacher (12 layers × 768, random weights, the package's tokenizer) given as `-p teacher`, the paper preset (512-token
truncation, batch size 8), a handful of long rows for one optimizer step: the half-depth from-teacher students copied,
trained with and without KD (the teacher's outputs cached), saved, and reloaded with the scores the run recorded. (At
this shape a batch takes seconds on one thread: the test trains no more than the path needs.)"""
import time

import pandas as pd
import pytest
import torch
from transformers import AutoModelForSequenceClassification, AutoTokenizer, XLMRobertaForSequenceClassification

from kd_privileged.cache import cache_bytes
from kd_privileged.data import load_data
from kd_privileged.families import shipped_base
from kd_privileged.metrics import task_score
from kd_privileged.run import evaluate_splits, make_trainer, run_experiment
from kd_privileged.plan import plan_run
from kd_privileged.settings import ExperimentSettings
from kd_privileged.splits import prepare_data, select_rows
from kd_privileged.testing import xlmr_base_config
from test_run_notebook import TSM

ROWS = {"train": 8, "dev": 8, "test": 8}  # one optimizer step of 8 rows per student; one batch of each for evaluation


@pytest.mark.slow
def test_xlmr_base_shaped_teacher(tmp_path):
    tsm = load_data("tsm", TSM)
    names = tsm["train"].features["label"].names
    texts = [t for t in tsm["train"]["text"]]
    for split, n in ROWS.items():  # long rows: 40 tweets each, more than 512 tokens, so every row is truncated
        pd.DataFrame({"text": [" ".join(texts[(i * 40 + k) % len(texts)] for k in range(40)) for i in range(n)],
                      "label": [names[i % 3] for i in range(n)], "language": ["mixed"] * n}).to_csv(tmp_path / f"{split}.csv", index=False)
    teacher = tmp_path / "xlmr-base-shaped"
    torch.manual_seed(0)
    XLMRobertaForSequenceClassification(xlmr_base_config(num_labels=3, id2label=dict(enumerate(names)))).save_pretrained(teacher)
    AutoTokenizer.from_pretrained(shipped_base("xlmr"), model_max_length=512).save_pretrained(teacher)
    plan = plan_run(ExperimentSettings(dataset=str(tmp_path), teacher=str(teacher), inits=["from-teacher"],
                                       epochs=1, language_column="language", output_dir=str(tmp_path / "runs")))
    s = plan.settings  # a teacher larger than the tiny stand-ins takes the paper's preset
    assert (s.preset, s.batch_size, s.max_length, s.eval_steps) == ("paper", 8, None, 1)
    start = time.time()
    result = run_experiment(plan)
    seconds = time.time() - start
    students = result["students"]
    assert [(m["num_layers"], m["hidden_size"], m["layer_map"]) for m in students] == [(6, 768, [1, 3, 5, 7, 9, 11])] * 2
    assert all(m["training"]["max_length"] == 512 and m["training"]["batch_size"] == 8 for m in students)
    assert all(any("eval_f1" in h for h in m["log_history"]) for m in students)
    cached = sum(f.stat().st_size for f in (tmp_path / "runs" / "teachers").glob("*/outputs/**/*") if f.is_file())
    tokenizer = AutoTokenizer.from_pretrained(teacher)
    data = prepare_data(select_rows(plan, load_data(plan.spec)), tokenizer, 512)
    expected = cache_bytes([len(r) for r in data["student_train"]["input_ids"]], xlmr_base_config(num_labels=3),
                           [1, 3, 5, 7, 9, 11], token_task=False)
    assert abs(cached - expected) / expected < 0.01  # 8 rows of 512 tokens: about 86 MiB a row
    print(f"real shape: {seconds:.0f} s for the teacher's evaluation and 2 students; cache {cached / 2**20:.0f} MiB "
          f"({cached / 2**20 / ROWS['train']:.1f} MiB a row); students {students[0]['num_parameters']:,} parameters")
    for m in students:  # kept, reloaded, the same scores on the same rows
        model = AutoModelForSequenceClassification.from_pretrained(m["model_dir"])
        trainer = make_trainer(model, data, plan, tokenizer=tokenizer, output_dir=tmp_path / "eval", role="teacher")  # 0 epochs
        again = evaluate_splits(trainer, data, task_score(plan.spec))
        assert (again["dev_f1"], again["test_f1"]) == (m["dev_f1"], m["test_f1"]), m["model_dir"]
