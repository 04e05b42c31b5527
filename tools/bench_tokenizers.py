"""Which shared tokenizer keeps tsm runs as fast as with tsm's own (the *Tiny bases* chapter's table): pieces per tweet and training-step time.

    python tools/bench_tokenizers.py DATA_ROOT TOKENIZER_FOLDER ...      # measure saved tokenizers
    python tools/bench_tokenizers.py DATA_ROOT --train ALPHA:VOCAB ...   # train candidates first (`smoothed_sample`, about 3.5 min each)

For each tokenizer: the mean pieces per text of each dataset's training split (`<s>`, `</s>` included, no cut) and the
share longer than 64 (the tiny preset's `max_length`: cut), then the time of one training step of a tiny XLM-R classifier
(4 layers, the teacher, and 2 layers, a student; width 128) on tsm's training tweets in length-grouped batches of 32
cut at 64 tokens, as the tiny preset trains: AdamW, gradient clipping, 2 torch threads, the mean of 200 steps after 10.
Run it alone: the step times are only comparable between tokenizers measured in one run on an idle machine.
"""
import statistics, sys, time, warnings
from pathlib import Path

import torch
from transformers import AutoTokenizer, DataCollatorWithPadding, XLMRobertaConfig, XLMRobertaForSequenceClassification
from transformers.trainer_pt_utils import LengthGroupedSampler

from kd_privileged.data import load_data
from kd_privileged.pretrain import CORPUS_DATASETS, SHIPPED, corpus_split, smoothed_sample, train_tokenizer

warnings.simplefilter("ignore")
torch.set_num_threads(2)
STEPS, WARMUP, BATCH, MAX_LENGTH = 200, 10, 32, 64


def step_ms(tokenizer, tweets: list, labels: list, num_layers: int) -> float:
    "Milliseconds per training step on `tweets`, as the tiny preset trains (length-grouped batches, cut at `MAX_LENGTH`)."
    enc = tokenizer(tweets, truncation=True, max_length=MAX_LENGTH)
    rows = [{"input_ids": i, "attention_mask": a, "labels": l} for i, a, l in zip(enc["input_ids"], enc["attention_mask"], labels)]
    torch.manual_seed(0)
    order = list(LengthGroupedSampler(BATCH, lengths=[len(r["input_ids"]) for r in rows]))
    collate = DataCollatorWithPadding(tokenizer)
    batches = [collate([rows[j] for j in order[i:i + BATCH]]) for i in range(0, BATCH * (STEPS + WARMUP), BATCH)]
    if len(batches) < STEPS + WARMUP: raise ValueError(f"{len(rows)} tweets make {len(batches)} batches; the timing needs {STEPS + WARMUP}.")
    model = XLMRobertaForSequenceClassification(XLMRobertaConfig(
        vocab_size=len(tokenizer), hidden_size=128, num_hidden_layers=num_layers, num_attention_heads=4, intermediate_size=512,
        max_position_embeddings=130, num_labels=3, attn_implementation="eager"))
    model.train()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4, fused=True)
    for i, batch in enumerate(batches):
        if i == WARMUP: start = time.perf_counter()
        model(**batch).loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step(); optimizer.zero_grad()
    return (time.perf_counter() - start) / STEPS * 1000


def main(data_root: str, *args: str):
    corpus = corpus_split(data_root)
    texts = {name: corpus.filter(lambda d: d == name, input_columns="dataset")["text"] for name in CORPUS_DATASETS}
    tsm = load_data("tsm", Path(data_root) / "tsm")["train"]
    folders = []
    if args and args[0] == "--train":
        for spec in args[1:]:
            alpha, vocab = spec.split(":")
            folder = Path(f"runs/bench-tokenizers/alpha{alpha}-vocab{vocab}")
            if not (folder / "tokenizer.json").exists():
                start = time.perf_counter()
                train_tokenizer(smoothed_sample(corpus, float(alpha), SHIPPED.seed), int(vocab), SHIPPED.max_length,
                                SHIPPED.character_coverage).save_pretrained(folder)
                print(f"{folder}: trained in {time.perf_counter() - start:.0f} s", flush=True)
            folders.append(folder)
    else: folders = [Path(a) for a in args]
    for folder in folders:
        tokenizer = AutoTokenizer.from_pretrained(folder)
        pieces = []
        for name in CORPUS_DATASETS:
            lengths = [len(ids) for ids in tokenizer(list(texts[name]))["input_ids"]]
            pieces.append(f"{name} {statistics.mean(lengths):.1f} ({sum(n > MAX_LENGTH for n in lengths) / len(lengths):.1%} > {MAX_LENGTH})")
        times = [f"{n} layers {step_ms(tokenizer, list(tsm['text']), list(tsm['label']), n):.1f} ms" for n in (4, 2)]
        print(f"{folder} ({len(tokenizer):,} pieces): pieces per text: {'; '.join(pieces)}. tsm step: {', '.join(times)}", flush=True)


if __name__ == "__main__": main(*sys.argv[1:])
