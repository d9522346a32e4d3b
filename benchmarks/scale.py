"""Whole runs at scale: phases and peak memory; per-article throughput against VADER alone.

Run from the repository root::

    .venv/bin/python benchmarks/scale.py                    # 10,000 articles, 300 outlets (below)
    .venv/bin/python benchmarks/scale.py --n 2000 --outlets 60 --jobs 2
    .venv/bin/python benchmarks/scale.py --throughput       # 2,000 articles of 5 outlets, VADER floor

**Phases** (the default). Generates (benchmarks/corpus_gen.py) ``--n`` articles from
``--outlets`` outlets in topic-wide stories of ``--story-size`` articles, ``--long-records`` of
them one-paragraph texts of ``--long-words`` words (800,000 words is about 5 MB), and runs the
whole analysis (extraction, statistics, cross-document pass, every export) once per ``--jobs``
value, each in a fresh process (benchmarks/scale_run.py). Prints, per run, the seconds of each
phase, the whole run over the extraction alone, the peak resident memory of the run's processes
together (overall and per phase), the CPU seconds per phase (and cores kept busy on average), and
the rows of ``comparisons`` by design.

**Throughput** (``--throughput``; ``--n`` defaults to 2,000, 5 outlets). Times, in one
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
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.corpus_gen import generate  # noqa: E402


def write_corpus(n: int, path: Path, **shape) -> int:
    """Write ``generate(n, seed=0, **shape)`` as JSONL; return the whitespace words written."""
    words = 0
    with path.open("w", encoding="utf-8") as fh:
        for g in generate(n, seed=0, **shape):
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


def phases(args) -> None:
    shape = {"outlets": args.outlets, "story_size": args.story_size, "long_records": args.long_records,
             "long_words": args.long_words}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "corpus.jsonl"
        words = write_corpus(args.n, path, **shape)
        print(f"corpus: {args.n} articles from {args.outlets} outlets, stories of {args.story_size}, "
              f"{args.long_records} one-paragraph records of {args.long_words} words; {words} words, "
              f"{path.stat().st_size / 2**20:.1f} MiB; {os.cpu_count()} cores; {args.bootstrap} resamples",
              flush=True)
        for jobs in args.jobs:
            cmd = [sys.executable, str(ROOT / "benchmarks" / "scale_run.py"), str(path), str(Path(tmp) / f"out{jobs}"),
                   "--jobs", str(jobs), "--bootstrap", str(args.bootstrap)]
            proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
            if proc.returncode:
                raise SystemExit(proc.stderr)
            run = json.loads(proc.stdout.strip().splitlines()[-1])
            s = run["seconds"]
            designs = ", ".join(f"{k}: {v}" for k, v in run["designs"].items())
            print(f"--jobs {jobs}: whole {s['whole']:.1f} s = {s['whole'] / s['extraction']:.2f}x extraction "
                  f"alone ({s['extraction']:.1f} s); statistics {s.get('statistics', 0):.1f} s, cross-document "
                  f"{s.get('crossdoc', 0):.1f} s, export {s['export']:.1f} s; peak memory {run['peak_mib']:.0f} MiB",
                  flush=True)
            by_phase = ", ".join(f"{k} {v:.0f}" for k, v in run["peak_mib_by_phase"].items())
            print(f"  peak memory by phase (MiB): {by_phase}", flush=True)
            for key, who in (("main_mib_by_phase", "this process"), ("worker_mib_by_phase", "largest worker")):
                print(f"    {who}: " + ", ".join(f"{k} {v:.0f}" for k, v in run.get(key, {}).items()), flush=True)
            cpu = ", ".join(f"{k} {v:.0f} s ({v / s[k]:.1f} cores)" if s.get(k) else f"{k} {v:.0f} s"
                            for k, v in run.get("cpu_s_by_phase", {}).items())
            print(f"  CPU by phase: {cpu}", flush=True)
            pairs = run["alignment"]
            print(f"  comparisons: {run['comparisons']} rows ({designs}); alignment: {pairs.get('aligned')} of "
                  f"{pairs.get('cross_outlet_pairs')} cross-outlet pairs aligned; records {run['records']}", flush=True)


def throughput(args) -> None:
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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--throughput", action="store_true", help="per-article throughput against VADER alone")
    ap.add_argument("--n", type=int, default=None, help="articles (10,000; 2,000 with --throughput)")
    ap.add_argument("--outlets", type=int, default=300)
    ap.add_argument("--story-size", type=int, default=300, help="articles per (topic-wide) story")
    ap.add_argument("--long-records", type=int, default=3, help="one-paragraph records among the articles")
    ap.add_argument("--long-words", type=int, default=800_000, help="words of each one-paragraph record")
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--bootstrap", type=int, default=1000)
    ap.add_argument("--no-dask", action="store_true", help="with --throughput: skip the Dask run")
    args = ap.parse_args()
    if args.throughput:
        args.n = args.n or 2000
        throughput(args)
    else:
        args.n = args.n or 10_000
        phases(args)


if __name__ == "__main__":
    main()
