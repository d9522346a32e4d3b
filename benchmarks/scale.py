"""Whole-pipeline throughput: --jobs 1, --jobs 2, the Dask engine, against VADER alone.

Run from the repository root::

    .venv/bin/python benchmarks/scale.py              # 2,000 generated articles of ~900 words
    .venv/bin/python benchmarks/scale.py --n 400      # quicker

Writes a generated corpus (benchmarks/corpus_gen.py) to a temporary JSONL file, then times, in one
run: VADER alone on every sentence of every article (the floor the required dependency sets);
the per-article pipeline (read, clean, segment, every extractor, tables gathered; statistics and
the cross-document pass off, since they are not per-article work) with jobs=1 and jobs=2; and the
same on Dask (a LocalCluster of 2 single-threaded worker processes). Checks that the tables are
identical across the runs. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.corpus_gen import generate  # noqa: E402


def write_corpus(n: int, path: Path) -> int:
    words = 0
    with path.open("w", encoding="utf-8") as fh:
        for g in generate(n, seed=0):
            a = g.article
            words += len(a.text.split())
            fh.write(json.dumps({"id": a.id, "outlet": a.outlet, "story": a.story, "text": a.text}) + "\n")
    return words


def time_vader(path: Path) -> float:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    from framing.lexicon.load import load_lexicon
    from framing.read.corpus import read_articles
    from framing.text.segment import build_document

    rules = load_lexicon().boilerplate
    docs = [build_document(a, rules) for a in read_articles(path)]
    score = SentimentIntensityAnalyzer().polarity_scores
    start = time.perf_counter()
    for d in docs:
        for s, e in d.sentences:
            score(d.norm[s:e])
    return time.perf_counter() - start


def time_pipeline(path: Path, **kw):
    import framing

    start = time.perf_counter()
    result = framing.analyze(path, stats=False, crossdoc=False, progress=False, **kw)
    tables = result.tables
    return time.perf_counter() - start, tables


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--no-dask", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "corpus.jsonl"
        words = write_corpus(args.n, path)
        print(f"corpus: {args.n} articles, {words / args.n:.0f} words each; {os.cpu_count()} cores")
        vader = time_vader(path)
        print(f"VADER alone, per sentence:   {vader:7.1f} s  {args.n / vader:7.1f} articles/s")
        t1, tables1 = time_pipeline(path, jobs=1)
        print(f"pipeline --jobs 1:           {t1:7.1f} s  {args.n / t1:7.1f} articles/s  "
              f"= {t1 / vader:.2f}x VADER alone")
        t2, tables2 = time_pipeline(path, jobs=2, batch_size=32)
        print(f"pipeline --jobs 2:           {t2:7.1f} s  {args.n / t2:7.1f} articles/s  "
              f"speed-up {t1 / t2:.2f}x over --jobs 1")
        same = all(tables1[k].equals(tables2[k]) for k in tables1)
        print(f"  tables identical to --jobs 1: {same}")
        if not args.no_dask:
            td, tablesd = time_pipeline(path, jobs=2, batch_size=32, engine="dask")
            print(f"pipeline --engine dask (2):  {td:7.1f} s  {args.n / td:7.1f} articles/s  "
                  f"= {td / t2:.2f}x the cost of --jobs 2")
            print(f"  tables identical to --jobs 1: {all(tables1[k].equals(tablesd[k]) for k in tables1)}")


if __name__ == "__main__":
    main()
