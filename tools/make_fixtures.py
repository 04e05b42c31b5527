"""Cut the test fixtures in `tests/fixtures/data` from the real data (`../shared/data` or `$KD_PRIVILEGED_DATA`).

Each dataset keeps its upstream layout and licence, so the loaders read the fixtures exactly as they read the real
copies. The cut is deterministic (the first rows of every file, the same utterance ids in every MASSIVE locale),
so running this again writes the same files:

- tsm: the first 80 train, 30 validation and 30 test tweets of each of the 8 languages (Apache-2.0, xlm-t);
- massive: the release archive `amazon-massive-dataset-1.1.tar.gz` with all 52 locales, each with the same
  24 train, 8 dev and 8 test utterances (parallel across locales, as upstream), and the release's LICENSE (CC BY 4.0);
- universal-ner: the first 130 train, 15 dev and 15 test sentences of five treebanks, chosen to cover both
  partitions: da_ddt and sv_talbanken (seen, all splits), en_ewt (english, dev and test only, as in our copy), and
  de_pud and ceb_gja (unseen, test only), each with its LICENSE.txt (CC BY-SA 4.0).

    python tools/make_fixtures.py [--data-root ../shared/data]
"""
import argparse
import gzip
import io
import json
import os
import shutil
import tarfile
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "data"
TSM = {"train": 80, "val": 30, "test": 30}
MASSIVE = {"train": 24, "dev": 8, "test": 8}
UNER = {"train": 130, "dev": 15, "test": 15}
TREEBANKS = ("da_ddt", "sv_talbanken", "en_ewt", "de_pud", "ceb_gja")


def first_lines(path: Path, n: int) -> str:
    lines = path.read_text(encoding="utf-8").split("\n")
    return "\n".join(lines[:n])  # upstream files end without a newline


def tsm(src: Path, out: Path):
    for lang in sorted(p.name for p in src.iterdir() if p.is_dir()):
        (out / lang).mkdir(parents=True)
        for split, n in TSM.items():
            for kind in ("text", "labels"):
                (out / lang / f"{split}_{kind}.txt").write_text(first_lines(src / lang / f"{split}_{kind}.txt", n), encoding="utf-8")
    shutil.copy(src / "LICENSE", out / "LICENSE")


def _add(tar: tarfile.TarFile, name: str, data: bytes):
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), 0, 0o644
    tar.addfile(info, io.BytesIO(data))


def massive(src: Path, out: Path):
    out.mkdir(parents=True)
    with tarfile.open(next(src.glob("*.tar.gz"))) as tar:
        files = {Path(m.name).name: m for m in tar.getmembers() if m.isfile()}
        locales = sorted(n for n in files if n.endswith(".jsonl"))
        english = [json.loads(l) for l in tar.extractfile(files["en-US.jsonl"]).read().decode().splitlines()]
        keep = set()
        for partition, n in MASSIVE.items():
            keep |= set([r["id"] for r in english if r["partition"] == partition][:n])
        payload = {}
        for name in locales:
            rows = [l for l in tar.extractfile(files[name]).read().decode().splitlines() if json.loads(l)["id"] in keep]
            payload[f"1.1/data/{name}"] = ("\n".join(rows) + "\n").encode()
        payload["1.1/LICENSE"] = tar.extractfile(files["LICENSE"]).read()
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for name in sorted(payload): _add(tar, name, payload[name])
    with gzip.GzipFile(out / "amazon-massive-dataset-1.1.tar.gz", "wb", mtime=0) as f: f.write(buffer.getvalue())


def first_sentences(path: Path, n: int) -> str:
    sentences = [s for s in path.read_text(encoding="utf-8").split("\n\n") if s.strip()]
    return "\n\n".join(sentences[:n]) + "\n\n"


def universal_ner(src: Path, out: Path):
    for folder in sorted(src.glob("UNER_*")):
        files = sorted(folder.glob("*.iob2"))
        if not any(f.name.startswith(TREEBANKS) for f in files): continue
        (out / folder.name).mkdir(parents=True)
        for f in files:
            split = f.stem.rsplit("-", 1)[-1]
            (out / folder.name / f.name).write_text(first_sentences(f, UNER[split]), encoding="utf-8")
        for licence in folder.glob("LICENSE*"): shutil.copy(licence, out / folder.name / licence.name)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-root", default=os.environ.get("KD_PRIVILEGED_DATA") or str(OUT.parents[3] / "shared" / "data"))
    root = Path(ap.parse_args().data_root)
    missing = [d for d in ("tsm", "massive", "universal-ner") if not (root / d).is_dir()]
    if missing: raise SystemExit(f"{root} has no {missing}: give --data-root the folder of the real data (the fixtures are left as they are).")
    shutil.rmtree(OUT, ignore_errors=True)
    tsm(root / "tsm", OUT / "tsm")
    massive(root / "massive", OUT / "massive")
    universal_ner(root / "universal-ner", OUT / "universal-ner")
    print(f"wrote {sum(1 for p in OUT.rglob('*') if p.is_file())} files, "
          f"{sum(p.stat().st_size for p in OUT.rglob('*') if p.is_file()) / 1e6:.2f} MB, to {OUT}")


if __name__ == "__main__":
    main()
