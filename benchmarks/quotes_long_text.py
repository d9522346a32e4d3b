"""Quote extraction time per megabyte as one paragraph grows (prints figures, asserts nothing).

Scraped corpora often have no paragraph breaks: a record is one paragraph of millions of
characters. The text is the two seeds with their line breaks turned into spaces, repeated; the
figure to read is seconds per MB, which stays flat when every step is linear in the text.

Usage (from the project root)::

    .venv/bin/python benchmarks/quotes_long_text.py [--max-mb 3]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from framing.extract.quotes import QuotesExtractor  # noqa: E402
from framing.lexicon.load import load_lexicon  # noqa: E402
from framing.read.corpus import read_articles  # noqa: E402
from framing.record import Article  # noqa: E402
from framing.text.segment import build_document  # noqa: E402


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--max-mb", type=float, default=3.0, help="largest text, in MB")
    args = ap.parse_args(argv)
    lexicon = load_lexicon()
    extractor = QuotesExtractor(lexicon)
    base = " ".join(a.text.replace("\n", " ") for a in read_articles([ROOT / "seeds"])) + " "
    print(f"{'MB':>6} {'paragraphs':>10} {'quotes':>7} {'seconds':>8} {'s/MB':>6}")
    n = 1
    while len(base) * n <= args.max_mb * 1e6:
        text = base * n
        doc = build_document(Article(id="long", outlet="o", text=text))
        t0 = time.perf_counter()
        out = extractor.extract(doc, {})
        secs = time.perf_counter() - t0
        print(f"{len(text) / 1e6:>6.2f} {len(doc.paragraphs):>10} {len(out.data):>7} {secs:>8.2f} {secs / len(text) * 1e6:>6.2f}")
        n *= 4


if __name__ == "__main__":
    main()
