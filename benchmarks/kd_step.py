"""Benchmark: the cost of a KD training step relative to a NON-KD step, same student, same batch, one process.

A KD step adds a teacher forward pass (no gradients) and the four TinyBERT terms to the student's forward and
backward pass. This script times full optimiser steps (`Trainer.training_step` + AdamW step) of both kinds and the
teacher's forward pass alone (`teacher_forward`, as the KD step runs it), interleaved, and prints the median times,
their ratio, and the ratio's floor: a KD step costs at least a NON-KD step plus the teacher's forward pass, so
KD / NON-KD >= 1 + teacher forward / NON-KD step; what is above the floor is the four terms and their gradients.

    python benchmarks/kd_step.py                       # 12 -> 6 layers, width 256, batch 64 x 64 tokens
    python benchmarks/kd_step.py --json kd_step.json         # the same, kept as a file
    python benchmarks/kd_step.py --hidden 768 --heads 12 --batch 32 --seq 128   # xlm-roberta-base shape (slow on CPU)
"""
import argparse
import statistics
import tempfile
import time

import torch
import transformers

from _record import add_json_option, save
from kd_privileged.families import tiny_config
from kd_privileged.training import DistillationTrainer, teacher_forward, training_args
from kd_privileged.weight_copy import make_student


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--layers", type=int, default=12, help="teacher layers")
    p.add_argument("--student-layers", type=int, default=6, help="student layers")
    p.add_argument("--hidden", type=int, default=256, help="teacher (and student) width")
    p.add_argument("--heads", type=int, default=4, help="attention heads")
    p.add_argument("--vocab", type=int, default=8000, help="vocabulary size")
    p.add_argument("--batch", type=int, default=64, help="batch size")
    p.add_argument("--seq", type=int, default=64, help="padded sequence length; rows have random real lengths")
    p.add_argument("--steps", type=int, default=16, help="timed steps of each kind (after 2 warm-up steps)")
    p.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    add_json_option(p)
    a = p.parse_args()

    transformers.set_seed(0)
    cfg = tiny_config(a.vocab, a.layers, a.hidden, a.heads, max_length=a.seq, num_labels=3)
    teacher = transformers.XLMRobertaForSequenceClassification(cfg).to(a.device)
    student = make_student(teacher, a.student_layers)
    lengths = torch.randint(a.seq // 2, a.seq + 1, (a.batch,))
    mask = (torch.arange(a.seq)[None] < lengths[:, None]).long()
    batch = {"input_ids": torch.randint(5, a.vocab, (a.batch, a.seq)) * mask + cfg.pad_token_id * (1 - mask),
             "attention_mask": mask, "labels": torch.randint(0, 3, (a.batch,))}
    batch = {k: v.to(a.device) for k, v in batch.items()}

    with tempfile.TemporaryDirectory() as d:
        args = training_args(d, use_cpu=a.device == "cpu", eval_strategy="no", save_strategy="no",
                             load_best_model_at_end=False, disable_tqdm=True)
        trainers = {"NON-KD": DistillationTrainer(model=student, args=args),
                    "KD": DistillationTrainer(model=student, args=args, teacher=teacher)}
        optimizer = trainers["NON-KD"].create_optimizer()
        for trainer in trainers.values(): trainer.current_gradient_accumulation_steps = 1  # set by the training loop otherwise

        def step(trainer):
            if a.device != "cpu": torch.cuda.synchronize()
            start = time.perf_counter()
            trainer.training_step(student, dict(batch))
            optimizer.step(); optimizer.zero_grad()
            if a.device != "cpu": torch.cuda.synchronize()
            return time.perf_counter() - start

        layer_map = list(trainers["KD"].layer_map)
        teacher.eval()

        def forward():
            if a.device != "cpu": torch.cuda.synchronize()
            start = time.perf_counter()
            teacher_forward(teacher, dict(batch), layer_map)
            if a.device != "cpu": torch.cuda.synchronize()
            return time.perf_counter() - start

        times = {k: [] for k in [*trainers, "teacher forward"]}
        for i in range(a.steps + 2):
            for kind, trainer in trainers.items():  # interleaved, so drift in machine load hits all alike
                t = step(trainer)
                if i >= 2: times[kind].append(t)
            t = forward()
            if i >= 2: times["teacher forward"].append(t)

    med = {k: statistics.median(v) for k, v in times.items()}
    print(f"device {a.device}, torch threads {torch.get_num_threads()}; teacher {a.layers} layers -> student "
          f"{a.student_layers}, width {a.hidden}, {a.heads} heads, batch {a.batch} x {a.seq} tokens, {a.steps} steps each")
    for kind in times:
        print(f"{kind:>15}: median {med[kind]:.3f} s (min {min(times[kind]):.3f}, max {max(times[kind]):.3f})")
    floor = 1 + med["teacher forward"] / med["NON-KD"]
    print(f"KD / NON-KD step time: {med['KD'] / med['NON-KD']:.2f} (the floor, 1 + teacher forward / NON-KD: {floor:.2f})")
    save(a, {"threads": torch.get_num_threads(), "median_seconds": med, "seconds": times,
             "kd_over_non_kd": med["KD"] / med["NON-KD"], "floor": floor})


if __name__ == "__main__":
    main()
