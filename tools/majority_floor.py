"""The paper's "random score" (Table 7, footnote 3: "obtained by making all predictions equal to the major class") recomputed
from local test files, for every constant prediction: accuracy, macro F1 and, for universal-ner, seqeval F1.

    python tools/majority_floor.py massive ../shared/data/massive
    python tools/majority_floor.py universal-ner ../shared/data/universal-ner [--languages da,hr,pt,sk,sr,sv,zh,en]

The paper gives 7.02 (massive), 33.33 (tsm) and 1.75 (universal-ner); see the *The paper* chapter for what this finds."""
import argparse

import numpy as np
from sklearn.metrics import accuracy_score, f1_score

from kd_privileged.data import load_data
from kd_privileged.specs import get_spec
from kd_privileged.metrics import seqeval_score

ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
ap.add_argument("dataset")
ap.add_argument("data_dir")
ap.add_argument("--languages", default="all", help="a partition or comma-separated languages (default: all)")
a = ap.parse_args()
spec = get_spec(a.dataset)
test = load_data(a.dataset, a.data_dir, a.languages.split(",") if "," in a.languages else a.languages)["test"]
rows = list(test["label"])
flat = np.array([t for row in rows for t in row] if spec.task == "token" else rows)
print(f"{a.dataset}, languages {a.languages}: {len(rows)} test rows, {len(flat)} labels")
for label, name in enumerate(spec.label_names):
    constant = np.full_like(flat, label)
    line = f"  all {name:>24}: accuracy {100 * accuracy_score(flat, constant):6.2f}, macro F1 {100 * f1_score(flat, constant, average='macro'):6.2f}"
    if spec.task == "token":
        line += f", seqeval F1 {seqeval_score([[label] * len(r) for r in rows], rows, spec.label_names):6.2f}"
    if spec.task == "token" or label == np.bincount(flat).argmax(): print(line)
