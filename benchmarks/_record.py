"""What the benchmarks share: `--json PATH`, the printed results kept as a file with the command and what ran it."""
import sys
import time

from kd_privileged.storage import provenance, write_json_atomic

START = time.time()


def add_json_option(parser):
    "Give `parser` the `--json PATH` option."
    parser.add_argument("--json", metavar="PATH", help="also write the results, the arguments and what ran them to PATH")


def save(args, results: dict):
    "Write `results` to `args.json` (if given) with the command, the date, the seconds taken and `provenance()`."
    if not args.json: return
    write_json_atomic(args.json, {"command": " ".join(["python", *sys.argv]), "date": time.strftime("%Y-%m-%d"),
                                  "seconds": round(time.time() - START, 1), "arguments": vars(args), "results": results,
                                  "provenance": provenance()})
