"""Started by `test_distributed.py` under `torchrun`: a half-width KD student trains a few steps on each process's share
of toy rows, and each process saves the projection W it ends with."""
import os
import sys

import datasets
import torch
import transformers

from kd_privileged.training import DistillationTrainer, end_processes, training_args
from kd_privileged.weight_copy import make_student

out = sys.argv[1]
transformers.set_seed(0)
cfg = transformers.XLMRobertaConfig(vocab_size=60, hidden_size=32, num_hidden_layers=4, num_attention_heads=4, num_labels=3,
                                    intermediate_size=64, max_position_embeddings=40, attn_implementation="eager")
teacher = transformers.XLMRobertaForSequenceClassification(cfg)
student = make_student(teacher, 2, hidden_size=16)
ids = torch.randint(3, 60, (64, 8), generator=torch.Generator().manual_seed(0))
rows = datasets.Dataset.from_dict({"input_ids": ids.tolist(), "attention_mask": torch.ones_like(ids).tolist(),
                                   "labels": (ids[:, 0] % 3).tolist()})
args = training_args(f"{out}/checkpoints", max_steps=4, learning_rate=1e-2, per_device_train_batch_size=8, eval_strategy="no",
                     save_strategy="no", load_best_model_at_end=False, logging_steps=1, disable_tqdm=True, seed=0)
trainer = DistillationTrainer(model=student, args=args, train_dataset=rows, teacher=teacher)
start = trainer.projection.weight.detach().clone()
trainer.train()
torch.save({"W": trainer.projection.weight.detach().clone(), "start": start, "processes": args.world_size},
           f"{out}/W{os.environ.get('RANK', '0')}.pt")
del trainer  # its DDP-wrapped model holds gloo's work: left to the interpreter's exit, it can abort the process
end_processes()  # else gloo's threads can abort the process at exit
