"""Per-character cost of the per-article pipeline: ordinary articles vs one 5 MB paragraph.

Run from the repository root::

    .venv/bin/python benchmarks/long_text.py              # ~5 MB one-paragraph record
    .venv/bin/python benchmarks/long_text.py --words 200000

Generates (benchmarks/corpus_gen.py) 40 ordinary articles of ~900 words and one record of
``--words`` words with no paragraph break, then times, per character, building the document
(normalisation, boilerplate removal, paragraph and sentence segmentation:
:func:`framing.text.segment.build_document`) and matching every lexicon phrase over it
(:meth:`framing.lexicon.load.Lexicon.scan`), and the whole per-article pipeline (every extractor:
quotes, labels, sentiment, readability, stance; :meth:`framing.pipeline.ArticleProcessor.process`).
Prints microseconds per 1,000 characters and the ratio long / ordinary; asserts nothing.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.corpus_gen import generate  # noqa: E402
from framing.lexicon.load import load_lexicon  # noqa: E402
from framing.pipeline import default_config  # noqa: E402
from framing.text.segment import build_document  # noqa: E402


def _whole(articles, processor) -> float:
    start = time.perf_counter()
    for a in articles:
        processor.process(a)
    return time.perf_counter() - start


def _time(articles, lexicon) -> tuple[float, float, int]:
    chars = sum(len(a.text) for a in articles)
    start = time.perf_counter()
    docs = [build_document(a, lexicon.boilerplate) for a in articles]
    built = time.perf_counter() - start
    start = time.perf_counter()
    for d in docs:
        lexicon.scan(d.norm, 0, len(d.norm))
    matched = time.perf_counter() - start
    return built, matched, chars


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--words", type=int, default=800_000, help="words of the long record (~6.4 chars each)")
    args = ap.parse_args()
    lexicon = load_lexicon()
    lexicon.scan("warm up the automaton", 0, 21)
    ordinary = [g.article for g in generate(40, seed=1)]
    long = [g.article for g in generate(3, seed=2, long_records=1, long_words=args.words)][1:2]
    print(f"long record: {len(long[0].text):,} characters, {long[0].text.count(chr(10))} line breaks")
    processor = default_config().build()
    processor.process(ordinary[0])  # warm up the models
    rows = []
    for name, arts in (("ordinary (40 articles)", ordinary), ("one long paragraph", long)):
        built, matched, chars = _time(arts, lexicon)
        whole = _whole(arts, processor)
        rows.append((name, *(1e6 * t / chars * 1000 for t in (built, matched, whole)), built, matched, whole))
    for name, b, m, w, tb, tm, tw in rows:
        print(f"{name:24s} build_document {b:8.1f} us/1k chars ({tb:6.2f} s)   lexicon match {m:7.1f} us/1k chars "
              f"({tm:6.2f} s)   whole pipeline {w:8.1f} us/1k chars ({tw:6.2f} s)")
    print(f"ratio long / ordinary: build_document {rows[1][1] / rows[0][1]:.2f}x, lexicon match "
          f"{rows[1][2] / rows[0][2]:.2f}x, whole per-article pipeline {rows[1][3] / rows[0][3]:.2f}x")


if __name__ == "__main__":
    main()
