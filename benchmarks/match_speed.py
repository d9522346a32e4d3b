"""Speed of lexicon matching and of the labels extractor, beside VADER on the same text.

Corpus: ``corpus_gen.generate(N)`` (default N = 10,000 synthetic articles of about 900 words),
segmented by the generator's own spans so that cleaning and segmentation are not timed. Figures:

    * lexicon load + automaton build, and pickle round trip + rebuild (what a worker pays once);
    * ``Lexicon.scan`` over each whole article (one Aho-Corasick pass, all phrases);
    * ``LabelsExtractor.extract`` (scan per sentence + attachment + features);
    * a Python ``re`` alternation of the same phrases (longest first, same boundaries) and
      VADER's ``polarity_scores`` per sentence, on the first ``SAMPLE`` articles, for scale.

Usage: ``python benchmarks/match_speed.py [N]`` (prints; asserts nothing).
"""

from __future__ import annotations

import pickle
import re
import sys
import time

from corpus_gen import generate

from framing.extract.labels import LabelsExtractor
from framing.lexicon.load import load_lexicon

SAMPLE = 1000


def rate(n: int, seconds: float) -> str:
    return f"{n / seconds:10.0f} articles/s  ({seconds:.2f} s for {n})"


def main(n: int) -> None:
    t = time.perf_counter()
    corpus = generate(n, seed=0)
    docs = [g.document(segmenter=False) for g in corpus]
    words = sum(len(d.norm.split()) for d in docs)
    print(f"corpus: {n} articles, {words / n:.0f} words each, generated in {time.perf_counter() - t:.1f} s")

    t = time.perf_counter()
    lexicon = load_lexicon()
    lexicon.scan("warm up")
    print(f"lexicon load + automaton ({len(lexicon.forms)} phrases): {1000 * (time.perf_counter() - t):.1f} ms")
    t = time.perf_counter()
    clone = pickle.loads(pickle.dumps(lexicon))
    clone.scan("warm up")
    print(f"pickle round trip + rebuild: {1000 * (time.perf_counter() - t):.1f} ms")

    t = time.perf_counter()
    found = sum(len(lexicon.scan(d.norm)) for d in docs)
    print(f"Lexicon.scan (whole article):      {rate(n, time.perf_counter() - t)}; {found / n:.1f} phrases/article")

    extractor = LabelsExtractor(lexicon=lexicon)
    t = time.perf_counter()
    mentions = sum(len(extractor.extract(d, {}).data) for d in docs)
    print(f"LabelsExtractor.extract:           {rate(n, time.perf_counter() - t)}; {mentions / n:.1f} rows/article")

    sample = docs[:SAMPLE]
    phrases = sorted((f.text for f in lexicon.forms), key=len, reverse=True)
    alternation = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(p) for p in phrases) + r")(?!\w)", re.IGNORECASE)
    t = time.perf_counter()
    for d in sample:
        alternation.findall(d.norm)
    print(f"re alternation of the same phrases: {rate(len(sample), time.perf_counter() - t)}")

    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    vader = SentimentIntensityAnalyzer()
    t = time.perf_counter()
    for d in sample:
        for a, b in d.sentences:
            vader.polarity_scores(d.norm[a:b])
    print(f"VADER per sentence (same text):    {rate(len(sample), time.perf_counter() - t)}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
