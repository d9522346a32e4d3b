"""Alignment cost of one topic-wide story: all pairs vs the near-duplicate candidates.

Run from the repository root::

    .venv/bin/python benchmarks/topic_story.py                # stories of 25, 50, 100, 200 articles
    .venv/bin/python benchmarks/topic_story.py --sizes 400

Generates (benchmarks/corpus_gen.py) one story of ``n`` articles from ``n`` outlets (template
text, so many are near-duplicates) plus, for each story, copies of a few articles re-run by other
outlets with one word changed, then times :func:`framing.crossdoc.align.align_story` (stories of
more than :data:`framing.crossdoc.candidates.FULL_STORY` articles align only candidate pairs).
Prints the cross-outlet pairs, pairs aligned and skipped, aligned sentence pairs and seconds;
asserts nothing.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.corpus_gen import generate  # noqa: E402
from framing.crossdoc.align import align_story  # noqa: E402
from framing.crossdoc.candidates import PairStats  # noqa: E402
from framing.lexicon.load import load_lexicon  # noqa: E402
from framing.text.segment import build_document  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[25, 50, 100, 200])
    args = ap.parse_args()
    rules = load_lexicon().boilerplate
    for n in args.sizes:
        arts = [g.article for g in generate(n, seed=3, outlets=n, story_size=n, target_words=600)]
        copies = [dataclasses.replace(a, id=a.id + "-copy", outlet=a.outlet + " (re-run)",
                                      text=a.text.replace(" the ", " a ", 1)) for a in arts[:5]]
        docs = [build_document(a, rules) for a in arts + copies]
        stats = PairStats()
        start = time.perf_counter()
        rows = align_story(docs, story="topic", pair_stats=stats)
        seconds = time.perf_counter() - start
        print(f"story of {len(docs):4d} articles: {stats.pairs:6d} cross-outlet pairs, {stats.aligned:5d} aligned, "
              f"{stats.skipped:6d} skipped; {len(rows):6d} sentence pairs; {seconds:6.1f} s", flush=True)


if __name__ == "__main__":
    main()
