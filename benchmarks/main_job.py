"""Benchmark: the README's main job, timed from the command line as a newcomer runs it, and where its time goes.

Runs `papermill nbs/run.ipynb out.ipynb -p dataset tsm -p model tiny` from cold (a fresh output folder: the teacher
and six students trained, the report drawn) and writes the wall time of the whole command, the run's own stage
timings (its record's `timings`), what is left of the command outside the run (the kernel's start, the imports, the
plan and the report) and every model's test macro F1, to compare with the committed grid (`results/tsm-tiny`).

    python benchmarks/main_job.py                                  # the data from ../shared/data or the Hub
    python benchmarks/main_job.py --data-dir ../shared/data/tsm --json results/benchmarks/main_job.json

Run it alone: two jobs on two cores time each other.
"""
import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _record import add_json_option, save
from kd_privileged.storage import ModelRecord

ROOT = Path(__file__).resolve().parents[1]


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data-dir", help="tsm's files (default: the run's own default, ../shared/data/tsm or the Hub)")
    p.add_argument("-p", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"),
                   help="another run parameter, as papermill takes it (e.g. -p student_processes 1)")
    add_json_option(p)
    a = p.parse_args()
    with tempfile.TemporaryDirectory() as d:
        command = [str(Path(sys.executable).parent / "papermill"), str(ROOT / "nbs" / "run.ipynb"), f"{d}/out.ipynb",
                   "-p", "dataset", "tsm", "-p", "model", "tiny", "-p", "output_dir", f"{d}/runs",
                   "-p", "point_dir", f"{d}/point"]
        if a.data_dir: command += ["-p", "data_dir", str(Path(a.data_dir).resolve())]
        for name, value in a.p: command += ["-p", name, value]
        start = time.time()
        subprocess.run(command, check=True, cwd=d)
        seconds = time.time() - start
        record = json.loads(Path(d, "point", "metrics.json").read_text())
    stages = {k: round(v, 1) for k, v in record["timings"].items() if k != "total"}
    stages["outside the run: kernel start, imports, plan, report"] = round(seconds - record["timings"]["total"], 1)
    results = {"seconds": round(seconds, 1), "stages": stages,
               "test_f1": {r.name: r.test_f1
                           for r in map(ModelRecord.from_dict, [record["teacher"], *record["students"]])}}
    print(f"the main job: {seconds:.0f} s = {seconds / 60:.1f} min")
    for stage, s in stages.items(): print(f"  {stage:<55} {s:7.1f} s")
    for name, f1 in results["test_f1"].items(): print(f"  {name:<55} test F1 {f1:6.2f}")
    save(a, results)


if __name__ == "__main__":
    main()
