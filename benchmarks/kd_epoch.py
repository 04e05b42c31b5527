"""Benchmark: a KD training epoch against a NON-KD one, with the teacher's outputs cached and without.

Same student (6 layers copied from a 12-layer teacher, width 256, 4 heads), same rows (random lengths from half to the
full `--seq`), same `Trainer` settings (batch 64, group_by_length, no evaluation or checkpoints); each kind of epoch runs
`--repeats` times, interleaved, and the median is reported. The cache is built once before the timed epochs (its
build time is printed beside them): a KD student then reads the teacher's outputs from disk instead of running the
teacher, which is what every later epoch, student and seed of a sweep does. The last line is the headline.

    python benchmarks/kd_epoch.py                   # 1,024 rows of up to 64 tokens, 2 repeats: about 4 minutes on 2 cores
"""
import argparse
import statistics
import tempfile
import time
from pathlib import Path

import datasets
import torch
import transformers

from kd_privileged.cache import build_teacher_cache
from kd_privileged.families import tiny_config
from kd_privileged.pretrain import train_tokenizer
from kd_privileged.training import DistillationTrainer, training_args
from _record import add_json_option, save
from kd_privileged.weight_copy import make_student


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--rows", type=int, default=1024, help="training rows")
    p.add_argument("--seq", type=int, default=64, help="longest row in tokens")
    p.add_argument("--hidden", type=int, default=256, help="teacher (and student) width")
    p.add_argument("--repeats", type=int, default=2, help="epochs of each kind")
    add_json_option(p)
    a = p.parse_args()

    transformers.set_seed(0)
    tokenizer = train_tokenizer([f"row {i} with some words" for i in range(200)], 300, a.seq)
    teacher = transformers.XLMRobertaForSequenceClassification(
        tiny_config(8000, 12, a.hidden, 4, max_length=a.seq, num_labels=3)).eval()
    lengths = torch.randint(a.seq // 2, a.seq + 1, (a.rows,)).tolist()
    rows = datasets.Dataset.from_dict({"input_ids": [[0, *torch.randint(5, 8000, (n - 2,)).tolist(), 2] for n in lengths],
                                       "attention_mask": [[1] * n for n in lengths], "labels": [i % 3 for i in range(a.rows)]})
    with tempfile.TemporaryDirectory() as d:
        start = time.perf_counter()
        cache = build_teacher_cache(teacher, rows, Path(d) / "cache", tokenizer=tokenizer, layer_map=[1, 3, 5, 7, 9, 11], log=print)
        build = time.perf_counter() - start

        def epoch(kd: bool, cached: bool) -> float:
            transformers.set_seed(0)
            student = make_student(teacher, 6)
            args = training_args(str(Path(d) / "run"), num_train_epochs=1, per_device_train_batch_size=64, eval_strategy="no",
                                 save_strategy="no", load_best_model_at_end=False, disable_tqdm=True, use_cpu=True,
                                 train_sampling_strategy="group_by_length", logging_steps=1000)
            trainer = DistillationTrainer(model=student, args=args, train_dataset=rows, processing_class=tokenizer,
                                          data_collator=transformers.DataCollatorWithPadding(tokenizer),
                                          teacher=teacher if kd else None, teacher_cache=cache if cached else None)
            start = time.perf_counter()
            trainer.train()
            return time.perf_counter() - start

        kinds = {"NON-KD": (False, False), "KD, teacher run": (True, False), "KD, cached teacher outputs": (True, True)}
        times = {k: [] for k in kinds}
        for _ in range(a.repeats):
            for kind, (kd, cached) in kinds.items(): times[kind].append(epoch(kd, cached))
    median = {k: statistics.median(v) for k, v in times.items()}
    print(f"torch threads {torch.get_num_threads()}; teacher 12 layers -> student 6, width {a.hidden}, {a.rows} rows of "
          f"{a.seq // 2}-{a.seq} tokens, batch 64, {a.repeats} epochs of each kind; cache built in {build:.1f} s")
    for kind in kinds:
        print(f"{kind:>27} epoch: median {median[kind]:.1f} s ({', '.join(f'{t:.1f}' for t in times[kind])})")
    print(f"KD / NON-KD epoch time, teacher run every step: {median['KD, teacher run'] / median['NON-KD']:.2f}")
    print(f"KD / NON-KD epoch time, cached teacher outputs: {median['KD, cached teacher outputs'] / median['NON-KD']:.2f}")
    save(a, {"threads": torch.get_num_threads(), "cache_seconds": build, "median_seconds": median, "seconds": times})


if __name__ == "__main__":
    main()
