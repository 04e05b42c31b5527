"""Benchmark: each kept student of a run served in fp32 (PyTorch) and int8 (ONNX Runtime), side by side.

Reads a run's output folder after `-p export onnx-int8` (each student's `metrics.json`, whose `onnx` entry `serve`
measured on the run's test rows) and prints, per student: test macro F1 in fp32 and in int8 and their difference, the
weights' MiB, and rows per second on the same test batches.

    papermill nbs/run.ipynb out.ipynb -p dataset tsm -p model tiny -p output_dir runs/main
    papermill nbs/run.ipynb out2.ipynb -p dataset tsm -p model tiny -p output_dir runs/main -p export onnx-int8
    python benchmarks/int8_students.py runs/main --json results/benchmarks/int8_students.json

The second run reuses every finished student and only exports and measures it.
"""
import argparse
from pathlib import Path

from _record import add_json_option, save
from kd_privileged.storage import read_model_record


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("output_dir", help="a run's output folder (its students/*/metrics.json)")
    add_json_option(p)
    a = p.parse_args()
    rows = {}
    for path in sorted(Path(a.output_dir).glob("students/*/metrics.json")):
        r = read_model_record(path)
        if r.onnx is None: raise SystemExit(f"{path}: no ONNX export; run again with -p export onnx-int8")
        rows[r.name] = {"fp32 test F1": r.test_f1, "int8 test F1": r.onnx["test_f1"],
                        "int8 - fp32": r.onnx["test_f1"] - r.test_f1, "fp32 MiB": r.size_mb,
                        "int8 MiB": r.onnx["size_mb"], "fp32 rows/s": r.test_rows_per_second,
                        "int8 rows/s": r.onnx["rows_per_second"]}
    if not rows: raise SystemExit(f"{a.output_dir}: no students/*/metrics.json")
    for name, row in rows.items():
        print(f"{name:<22} " + ", ".join(f"{k} {v:,.2f}" for k, v in row.items()))
    save(a, {"students": rows})


if __name__ == "__main__":
    main()
