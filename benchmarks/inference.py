"""Benchmark: what a student buys at inference, the rows per second of a 6-layer student against its 12-layer teacher.

The teacher has the shape of `xlm-roberta-base` (12 layers, width 768, 12 heads, its 250,002-token vocabulary; random
weights: speed does not depend on them); the students are `make_student` copies of its every second layer, at full
width and at half width (384). Each model predicts the same batches (real lengths drawn at random, padded to `--seq`)
in eval mode under `torch.inference_mode`, interleaved so that drift in machine load hits all alike; the script prints
the median rows per second and the size of each model's weights, then the full-width speed-up as its last line.

    python benchmarks/inference.py                          # batch 32 x 128 tokens, 2 threads on this machine
    python benchmarks/inference.py --batch 64 --seq 64 --device cuda
"""
import argparse
import statistics
import time

import torch
import transformers

from kd_privileged.testing import xlmr_base_config
from _record import add_json_option, save
from kd_privileged.weight_copy import count_parameters, make_student, weights_mb


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--batch", type=int, default=32, help="rows per batch")
    p.add_argument("--seq", type=int, default=128, help="padded sequence length; rows have random real lengths")
    p.add_argument("--batches", type=int, default=5, help="timed batches per model (after one warm-up batch)")
    p.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
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

    def rows_per_second(model):
        if a.device != "cpu": torch.cuda.synchronize()
        start = time.perf_counter()
        with torch.inference_mode(): model(**batch)
        if a.device != "cpu": torch.cuda.synchronize()
        return a.batch / (time.perf_counter() - start)

    speeds = {name: [] for name in models}
    for i in range(a.batches + 1):
        for name, model in models.items():
            speed = rows_per_second(model)
            if i: speeds[name].append(speed)
    median = {name: statistics.median(v) for name, v in speeds.items()}
    print(f"device {a.device}, torch threads {torch.get_num_threads()}; batch {a.batch} x {a.seq} tokens, {a.batches} batches each")
    for name, model in models.items():
        print(f"{name}: {median[name]:7.1f} rows/s (min {min(speeds[name]):.1f}, max {max(speeds[name]):.1f}), "
              f"{count_parameters(model) / 1e6:.1f}M parameters, {weights_mb(model):.0f} MiB")
    teacher_speed = median["teacher (12 layers, 768)"]
    print(f"half-width student / teacher throughput: {median['student (6 layers, 384)'] / teacher_speed:.2f}")
    print(f"student / teacher throughput: {median['student (6 layers, 768)'] / teacher_speed:.2f}")
    save(a, {"threads": torch.get_num_threads(), "median_rows_per_second": median, "rows_per_second": speeds,
             "parameters": {name: count_parameters(m) for name, m in models.items()},
             "mib": {name: weights_mb(m) for name, m in models.items()}})


if __name__ == "__main__":
    main()
