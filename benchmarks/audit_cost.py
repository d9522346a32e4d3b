"""Cost of drawing an audit page: span nesting and HTML rendering against text length.

Run from the repository root::

    .venv/bin/python benchmarks/audit_cost.py
    .venv/bin/python benchmarks/audit_cost.py --sizes 10000 100000 1000000 --repeat 5

A synthetic text of N characters gets one span every ~12 characters in the mix a news article
gives (mentions, a label before some, quotes holding several mentions, stance on every mention),
plus one crossing span every ~200 characters (the worst case for nesting: each must be split).
Each figure is the least CPU time of ``--repeat`` runs of :func:`framing.output.audit.render_text`;
``µs/kchar`` staying flat as N grows says the cost is linear in text length.

Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import random
import time

from framing.output.audit import AuditSpan, render_text


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


if __name__ == "__main__":
    main()
