"""Benchmark: what a student buys at inference, the rows per second of a 6-layer student against its 12-layer teacher.

The teacher has the shape of `xlm-roberta-base` (12 layers, width 768, 12 heads, its 250,002-token vocabulary; random
weights: speed does not depend on them); the students are `make_student` copies of its every second layer, at full
width and at half width (384). Each model predicts the same batches (real lengths drawn at random, padded to `--seq`)
in eval mode under `torch.inference_mode`, interleaved so that drift in machine load hits all alike. On the CPU each
student is also served as a kept student is with `-p export onnx-int8`: saved, exported to ONNX with its weights
quantised to int8 (`export_onnx`) and run by ONNX Runtime with as many threads as PyTorch uses (`--no-onnx` skips it).
The script prints the median rows per second and the size of each model's weights, then the speed-ups against the fp32
teacher, the full-width PyTorch student's as its last line.

    python benchmarks/inference.py                          # batch 32 x 128 tokens, 2 threads on this machine
    python benchmarks/inference.py --batch 64 --seq 64 --device cuda
"""
import argparse
import statistics
import tempfile
import time
from pathlib import Path

import torch
import transformers

from kd_privileged.testing import xlmr_base_config
from _record import add_json_option, save
from kd_privileged.students import ONNX_FILE, OnnxClassifier, export_onnx
from kd_privileged.weight_copy import count_parameters, make_student, weights_mb


def onnx_int8(model, folder: Path, threads: int) -> OnnxClassifier:
    "`model` saved to `folder`, exported to ONNX with int8 weights (`export_onnx`), run by ONNX Runtime on `threads`."
    model.save_pretrained(folder)
    export_onnx(folder)
    return OnnxClassifier(folder, threads=threads)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--batch", type=int, default=32, help="rows per batch")
    p.add_argument("--seq", type=int, default=128, help="padded sequence length; rows have random real lengths")
    p.add_argument("--batches", type=int, default=5, help="timed batches per model (after one warm-up batch)")
    p.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    p.add_argument("--no-onnx", dest="onnx", action="store_false", help="skip the students' int8 ONNX rows")
    add_json_option(p)
    a = p.parse_args()

    transformers.set_seed(0)
    config = xlmr_base_config()
    config.num_labels = 3
    teacher = transformers.XLMRobertaForSequenceClassification(config).eval()
    models = {"teacher (12 layers, 768)": teacher,
              "student (6 layers, 768)": make_student(teacher, 6),
              "student (6 layers, 384)": make_student(teacher, 6, hidden_size=384)}
    models = {name: m.to(a.device).eval() for name, m in models.items()}
    lengths = torch.randint(a.seq // 2, a.seq + 1, (a.batch,))
    mask = (torch.arange(a.seq)[None] < lengths[:, None]).long()
    ids = torch.randint(5, config.vocab_size, (a.batch, a.seq)) * mask + config.pad_token_id * (1 - mask)
    batch = {"input_ids": ids.to(a.device), "attention_mask": mask.to(a.device)}

    def forward(model):
        with torch.inference_mode(): model(**batch)

    runs = {name: (lambda m=model: forward(m)) for name, model in models.items()}
    parameters = {name: count_parameters(m) for name, m in models.items()}
    mib = {name: weights_mb(m) for name, m in models.items()}
    tmp = tempfile.TemporaryDirectory()
    if a.onnx and a.device == "cpu":
        numpy_batch = {k: v.numpy() for k, v in batch.items()}
        for name in list(models)[1:]:
            start = time.perf_counter()
            served = onnx_int8(models[name], Path(tmp.name) / name, torch.get_num_threads())
            onnx_name = f"{name}, ONNX int8"
            print(f"{onnx_name}: exported and quantised in {time.perf_counter() - start:.0f} s", flush=True)
            runs[onnx_name] = lambda served=served: served.logits(numpy_batch)
            parameters[onnx_name] = parameters[name]
            mib[onnx_name] = (served.folder / ONNX_FILE).stat().st_size / 2**20

    def rows_per_second(run):
        if a.device != "cpu": torch.cuda.synchronize()
        start = time.perf_counter()
        run()
        if a.device != "cpu": torch.cuda.synchronize()
        return a.batch / (time.perf_counter() - start)

    speeds = {name: [] for name in runs}
    for i in range(a.batches + 1):
        for name, run in runs.items():
            speed = rows_per_second(run)
            if i: speeds[name].append(speed)
    tmp.cleanup()
    median = {name: statistics.median(v) for name, v in speeds.items()}
    print(f"device {a.device}, torch threads {torch.get_num_threads()}; batch {a.batch} x {a.seq} tokens, {a.batches} batches each")
    for name in runs:
        print(f"{name}: {median[name]:7.1f} rows/s (min {min(speeds[name]):.1f}, max {max(speeds[name]):.1f}), "
              f"{parameters[name] / 1e6:.1f}M parameters, {mib[name]:.0f} MiB")
    teacher_speed = median["teacher (12 layers, 768)"]
    for name in list(runs)[1:]:
        if name != "student (6 layers, 768)": print(f"{name} / teacher throughput: {median[name] / teacher_speed:.2f}")
    print(f"student / teacher throughput: {median['student (6 layers, 768)'] / teacher_speed:.2f}")
    save(a, {"threads": torch.get_num_threads(), "median_rows_per_second": median, "rows_per_second": speeds,
             "parameters": parameters, "mib": mib})


if __name__ == "__main__":
    main()
