"""Folder names are part of what a finished run is: the names runs had before each parameter described its own part in
them (`tests/fixtures/folder_names.json`, written by the code of the time) are the names runs get today, but for the
two cases that were renamed on purpose (each with its reason)."""
import json
import os
from pathlib import Path

import pytest
import torch
import transformers
from safetensors.torch import save_file
from transformers import AutoConfig, AutoTokenizer

from kd_privileged.families import shipped_base
from kd_privileged.folders import student_dir, teacher_dir
from kd_privileged.plan import plan_run
from kd_privileged.settings import ExperimentSettings
from kd_privileged.testing import xlmr_base_config

CASES = json.loads((Path(__file__).parent / "fixtures" / "folder_names.json").read_text())


def deterministic_teacher(folder: Path, names=("negative", "neutral", "positive")) -> Path:
    "A tiny-xlmr-shaped classifier with weights from integer arithmetic: the same bytes, and digest, on every machine."
    config = AutoConfig.from_pretrained(shipped_base("xlmr"), num_labels=len(names), id2label=dict(enumerate(names)),
                                        label2id={n: i for i, n in enumerate(names)},
                                        architectures=["XLMRobertaForSequenceClassification"])
    model = transformers.XLMRobertaForSequenceClassification(config)
    state = {k: (((torch.arange(v.numel()) * 7919 + i) % 1000).float() / 1000 - 0.5).reshape(v.shape).contiguous()
             for i, (k, v) in enumerate(sorted(model.state_dict().items()))}
    folder.mkdir(parents=True)
    config.save_pretrained(folder)
    save_file(state, str(folder / "model.safetensors"), metadata={"format": "pt"})
    AutoTokenizer.from_pretrained(shipped_base("xlmr")).save_pretrained(folder)
    return folder


@pytest.fixture(scope="module")
def paths(tmp_path_factory):
    d = tmp_path_factory.mktemp("folders")
    reviews = ["review,stars,lang"] + [f"text number {i},{'bad' if i % 2 else 'good'},{['de', 'fr', 'fr', 'de'][i % 4]}"
                                       for i in range(40)]
    (d / "reviews.csv").write_text("\n".join(reviews) + "\n")
    labels = ["negative", "neutral", "positive"]
    tweets = ["text,label,lang"] + [f"tweet number {i},{labels[i % 3]},{['english', 'german'][i % 2]}" for i in range(60)]
    (d / "tweets.csv").write_text("\n".join(tweets) + "\n")
    xlmr_base_config().save_pretrained(d / "xlmr-base-local")
    cwd = os.getcwd()
    os.chdir(d)  # `xlmr-base-local` is given as a model name, found here
    yield dict(csv=str(d / "reviews.csv"), tsm_csv=str(d / "tweets.csv"), teacher=str(deterministic_teacher(d / "my-teacher")))
    os.chdir(cwd)


def names(params: dict) -> dict:
    plan = plan_run(ExperimentSettings(output_dir="runs", **params))
    return {"teacher": teacher_dir(plan).name,
            "students": {f"{s.init} {'kd' if s.kd else 'nonkd'}": student_dir(plan, s).name for s in plan.students}}


@pytest.mark.parametrize("case", CASES)
def test_folder_names_unchanged(case, paths):
    expected = CASES[case]
    params = {k: v.format(**paths) if isinstance(v, str) else v for k, v in expected["parameters"].items()}
    got = names(params)
    assert got["teacher"] == expected["teacher"]
    assert got["students"] == expected["students"]
    if "before" in expected:  # renamed on purpose: the names these runs had differ, and the fixture says why
        assert expected["why"] and (got["teacher"] != expected["before"]["teacher"]
                                    or got["students"] != expected["before"]["students"])
