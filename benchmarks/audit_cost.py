"""Cost of drawing an audit page: span nesting and HTML rendering against text length.

Run from the repository root::

    .venv/bin/python benchmarks/audit_cost.py
    .venv/bin/python benchmarks/audit_cost.py --sizes 10000 100000 1000000 --repeat 5

A synthetic text of N characters gets one span every ~12 characters in the mix a news article
gives (mentions, a label before some, quotes holding several mentions, stance on every mention),
plus one crossing span every ~200 characters (the worst case for nesting: each must be split).
Each figure is the least CPU time of ``--repeat`` runs of :func:`framing.output.audit.render_text`;
``µs/kchar`` staying flat as N grows says the cost is linear in text length.

With ``--corpus N``, also the whole report for a generated corpus of N articles
(:mod:`benchmarks.corpus_gen`, grouped into stories of 5 outlets): the tables come from
``framing.analyze`` (untimed), then :func:`framing.output.audit.write_audit` is timed (wall clock)
for the default 50 story pages and for every story.

Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import framing  # noqa: E402
from benchmarks.corpus_gen import generate  # noqa: E402
from framing.output.audit import AUDIT_TABLES, AuditSpan, render_text, write_audit  # noqa: E402


def synthetic(n_chars: int, seed: int = 0) -> tuple[str, list[AuditSpan]]:
    rng = random.Random(seed)
    words = ["Hamas", "militant", "said", "the", "Syrian", "regime", "visit", "Damascus", "on", "Wednesday"]
    parts, pos = [], 0
    while pos < n_chars:
        w = rng.choice(words)
        parts.append(w + " ")
        pos += len(w) + 1
    text = "".join(parts)[:n_chars]
    spans: list[AuditSpan] = []
    row = {"mentions": 0, "quotes": 0, "stance": 0, "removed": 0}

    def add(start, end, kind, table, part=""):
        spans.append(AuditSpan(start, end, kind, table, row[table], part, info=f"{table} {row[table]}"))
        if not part:
            row[table] += 1

    for start in range(0, n_chars - 20, 12):
        add(start, start + 5, "mention", "mentions")
        add(start, start + 5, "stance", "stance")
        if start % 36 == 0:
            add(max(0, start - 9), start - 1 if start >= 9 else 0, "label", "mentions", "label")
    for start in range(0, n_chars - 150, 150):
        add(start + 1, start + 100, "quote", "quotes")
    for start in range(50, n_chars - 200, 200):
        add(start + 3, start + 160, "removed", "removed")  # crosses quotes and mentions
    return text, spans


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--corpus", type=int, default=0, metavar="N", help="also time the report on N generated articles")
    args = ap.parse_args()
    print(f"{'chars':>10} {'spans':>8} {'elements':>9} {'ms':>9} {'µs/kchar':>9} {'µs/span':>8}")
    for n in args.sizes:
        text, spans = synthetic(n)
        best = float("inf")
        for _ in range(args.repeat):
            t0 = time.process_time()
            out = render_text(text, spans)
            best = min(best, time.process_time() - t0)
        elements = out.count("<span ")
        print(f"{n:>10,} {len(spans):>8,} {elements:>9,} {best * 1e3:>9.1f} {best * 1e6 / (n / 1000):>9.1f} "
              f"{best * 1e6 / len(spans):>8.2f}")
    if args.corpus:
        corpus(args.corpus)


def corpus(n: int) -> None:
    outlets = ["Outlet A", "Outlet B", "Outlet C", "Outlet D", "Outlet E"]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "corpus.jsonl"
        with path.open("w", encoding="utf-8") as f:
            for i, g in enumerate(generate(n, seed=0)):
                a = g.article
                f.write(json.dumps({"id": a.id, "outlet": outlets[i % 5], "story": f"story-{i // 5:05d}",
                                    "text": a.text}) + "\n")
        result = framing.analyze(path, stats=False, crossdoc=False, jobs=1)
        rows = {t: len(result.table(t)) for t in AUDIT_TABLES}
        print(f"\ncorpus: {n} articles, {(n + 4) // 5} stories; rows: " + ", ".join(f"{k} {v:,}" for k, v in rows.items()))
        for stories in (50, None):
            t0 = time.perf_counter()
            paths = write_audit(Path(tmp) / f"audit-{stories}", articles=result.table("articles"),
                                tables={t: (lambda t=t: result.parts(t)) for t in AUDIT_TABLES},
                                texts=framing.iter_articles([path]), max_stories=stories)
            wall = time.perf_counter() - t0
            size = sum(p.stat().st_size for p in paths)
            print(f"  --audit-stories {stories or 'all'}: {len(paths) - 1} pages, {size / 2**20:.1f} MiB, "
                  f"{wall:.2f} s ({wall * 1e3 / max(1, len(paths) - 1):.1f} ms a page)")


if __name__ == "__main__":
    main()
