"""The same words work, and the same mistakes get the same message, wherever a run starts: `kd-run -p NAME VALUE` (text)
and papermill's `-p NAME VALUE` (typed by papermill's own rules: `False`, `3`, `1e-4`, `None`), before any work."""
import contextlib
import io
import unittest.mock
from pathlib import Path

import pandas as pd
import pytest
import transformers
from papermill.cli import _resolve_type  # how `papermill -p` types a value before the notebook sees it
from transformers import AutoConfig, AutoTokenizer

from kd_privileged import run
from kd_privileged.data import default_data_root
from kd_privileged.families import shipped_base
from kd_privileged.plan import plan_run
from kd_privileged.settings import ExperimentSettings

ROOT = Path(__file__).resolve().parents[1]
TSM = Path(default_data_root() or ROOT / "tests" / "fixtures" / "data") / "tsm"


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("inputs")
    (d / "zero.csv").write_text("")
    (d / "header.csv").write_text("review,stars\n")
    (d / "blank.csv").write_text("review,stars\n" + "".join(f"text {i},{'good' if i % 2 else 'bad'}\n" for i in range(30))
                                 + "   ,good\n")
    pd.DataFrame({"words": [["a", "b"]] * 30, "ner": [["O", "B-PER"]] * 30}).to_json(d / "tags.jsonl", orient="records",
                                                                                     lines=True)
    names = ("negative", "neutral", "positive")
    config = AutoConfig.from_pretrained(shipped_base("xlmr"), num_labels=3, id2label=dict(enumerate(names)))
    transformers.XLMRobertaForSequenceClassification(config).save_pretrained(d / "teacher")
    AutoTokenizer.from_pretrained(shipped_base("xlmr")).save_pretrained(d / "teacher")
    return d


TINY = ["-p", "dataset", "tsm", "-p", "model", "tiny", "-p", "data_dir", str(TSM)]
CASES = [  # (arguments, with {d} for the inputs' folder; a part of the message)
    (TINY + ["-p", "epochs", "0"], "set kd to [false] (-p kd false)"),
    (TINY + ["-p", "kd", "maybe"], "kd is a list of booleans"),
    (TINY + ["-p", "epochs", "abc"], "epochs must be a number; got 'abc'"),
    (TINY + ["-p", "batch_size", "0"], "batch_size must be at least 1; got 0"),
    (TINY + ["-p", "inits", "from-nowhere"], "inits must be one of from-scratch, from-base, from-teacher"),
    (TINY + ["-p", "student_width", "[half]"], "student_width is one value"),
    (["-p", "dataset", "{d}/zero.csv", "-p", "model", "tiny"], "zero.csv: the file is empty (0 bytes)"),
    (["-p", "dataset", "{d}/header.csv", "-p", "model", "tiny", "-p", "text_column", "review", "-p", "label_column",
      "stars"], "header.csv: could not be read as CSV rows (a header with no rows under it"),
    (["-p", "dataset", "{d}/blank.csv", "-p", "model", "tiny", "-p", "text_column", "review", "-p", "label_column",
      "stars"], "train rows have no review"),
    (["-p", "dataset", "{d}/tags.jsonl", "-p", "teacher", "{d}/teacher", "-p", "tokens_column", "words", "-p",
      "tags_column", "ner"], "is a sequence classifier, but tags.jsonl with tokens_column (a token task) is a token task"),
]


def kd_run_message(args: list) -> str:
    "What `kd-run` says for `args` (its argparse error line), or `(no error)` if every check passed."
    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(io.StringIO()), \
         unittest.mock.patch.object(run, "run_experiment", side_effect=RuntimeError("the work would start")):
        try: run.main(args)
        except SystemExit: return stderr.getvalue().strip().splitlines()[-1].split("error: ", 1)[-1]
        except RuntimeError: return "(no error)"
    return "(no error)"


def papermill_message(args: list) -> str:
    "What `run.ipynb` says for the same `-p` pairs, typed as papermill types them, or `(no error)`."
    params = {args[i + 1]: _resolve_type(args[i + 2]) for i in range(0, len(args), 3)}
    try: plan_run(ExperimentSettings.from_parameters(params))
    except ValueError as e: return str(e)
    return "(no error)"


@pytest.mark.parametrize("args, message", CASES, ids=[c[1][:40] for c in CASES])
def test_same_message_in_kd_run_and_papermill(args, message, files, tmp_path):
    args = [a.format(d=files) for a in args] + ["-p", "output_dir", str(tmp_path / "runs")]
    said = kd_run_message(args), papermill_message(args)
    assert all(message in s for s in said), said
    assert not (tmp_path / "runs").exists()  # refused before any work


@pytest.mark.parametrize("written", ["false", "False", "[false]", "[False]"])
def test_one_way_to_write_a_list(written):
    "`-p kd false`, `False`, `[false]`: one value, in both front ends."
    kd_run = ExperimentSettings.from_parameters({"kd": written})  # kd-run passes the text as typed
    notebook = ExperimentSettings.from_parameters({"kd": _resolve_type(written)})  # papermill's type first
    assert kd_run.kd == notebook.kd == [False]
