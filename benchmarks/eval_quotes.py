"""Score the quote extractor against PolNeAR dev attributions (prints figures, asserts nothing).

Usage (from the project root)::

    .venv/bin/python benchmarks/eval_quotes.py [--data ../shared/data/polnear-dev] [--show 20]

Scoring follows how published quote extractors report it. A prediction is one quotation: the
rows of the ``quotes`` table that share ``group`` (a quote interrupted by its cue, a quote running
over paragraphs, reported speech with its quoted fragments), scare quotes excluded; its span is
the union of the rows' content spans. A prediction matches a gold attribution when it covers at
least 30% (lenient) or 80% (strict) of the gold content characters. Precision is the share of
predictions that match a gold attribution, recall the share of gold attributions matched by a
prediction ("any" matching); the one-to-one figures pair each gold with at most one prediction
(greedy by coverage). "Direct" uses the gold's own definition for both sides: the content, with
its marks, holds a double quotation mark character (our direct rows, and reported speech with
quoted words); like the gold flag, this does not count ``''`` used as a mark. Speaker accuracy is
measured on matched gold attributions that have a source: the predicted speaker mention (as it
appears in the text, e.g. "he") overlaps the gold source span.

What the gold looks like (checked on the 2,192 dev attributions): gold direct contents include the
quotation marks (ours exclude them, so strict coverage is slightly harder); a quote interrupted by
its cue ("“A,” he said. “B.”") is one attribution with several content spans; 126 attributions
have no source; sources are often pronouns ("he": 210). PolNeAR also annotates attributions that
are not speech (beliefs, plans, "Clinton backed X", "the poll shows"), which bounds the recall of
any speech-verb extractor on "all".
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from framing.extract.quotes import QuotesExtractor  # noqa: E402
from framing.lexicon.load import load_lexicon  # noqa: E402
from framing.record import Article  # noqa: E402
from framing.text.segment import build_document  # noqa: E402

#: The characters PolNeAR's ``direct`` flag looks for (it does not count two apostrophes, ``''``,
#: used as quotation marks by some NYT texts; the same rule is applied to predictions).
DOUBLE_MARKS = re.compile("[\"\u201c\u201d\u201e\u201f\u00ab\u00bb]")


def _chars(spans) -> set[int]:
    return {i for s, e in spans for i in range(s, e)}


def _predictions(text: str, rows: list[dict]) -> list[dict]:
    units: dict[int, dict] = {}
    for r in rows:
        if r["kind"] == "scare":
            continue
        u = units.setdefault(r["group"], {"spans": [], "speakers": [], "direct": False, "rows": []})
        u["spans"].append((r["start"], r["end"]))
        u["rows"].append(r)
        if r["speaker_start"] >= 0:
            u["speakers"].append((r["speaker_start"], r["speaker_end"]))
        u["direct"] |= bool(DOUBLE_MARKS.search(text, max(0, r["start"] - 1), r["end"] + 1))
    for u in units.values():
        u["chars"] = _chars(u["spans"])
    return list(units.values())


def _score(preds, golds, theta):
    """(tp_pred, n_pred, tp_gold, n_gold, tp_1to1, speaker_ok, speaker_n) for one threshold."""
    cover = {}
    for gi, g in enumerate(golds):
        for pi, p in enumerate(preds):
            c = len(p["chars"] & g["chars"]) / max(1, len(g["chars"]))
            if c >= theta:
                cover[gi, pi] = c
    tp_pred = len({pi for _, pi in cover})
    tp_gold = len({gi for gi, _ in cover})
    taken_g, taken_p, one = set(), set(), 0
    for (gi, pi), _ in sorted(cover.items(), key=lambda kv: -kv[1]):
        if gi not in taken_g and pi not in taken_p:
            taken_g.add(gi), taken_p.add(pi)
            one += 1
    ok = n = 0
    for gi, g in enumerate(golds):
        cands = [(c, pi) for (g2, pi), c in cover.items() if g2 == gi]
        if not cands or not g["source"]:
            continue
        p = preds[max(cands)[1]]
        n += 1
        ok += any(a < e and s < b for a, b in p["speakers"] for s, e in g["source"])
    return tp_pred, len(preds), tp_gold, len(golds), one, ok, n


def _prf(tp_p, n_p, tp_g, n_g):
    p = tp_p / n_p if n_p else 0.0
    r = tp_g / n_g if n_g else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "polnear-dev")
    ap.add_argument("--show", type=int, default=0, help="print this many misses per kind")
    args = ap.parse_args(argv)
    logging.getLogger("framing").setLevel(logging.ERROR)   # unbalanced-mark warnings: not figures
    if not (args.data / "attributions.jsonl").is_file():
        print(f"no PolNeAR dev data at {args.data}; nothing to score")
        return
    arts = [json.loads(x) for x in open(args.data / "articles.jsonl", encoding="utf-8")]
    gold = defaultdict(list)
    for line in open(args.data / "attributions.jsonl", encoding="utf-8"):
        a = json.loads(line)
        gold[a["id"]].append({"chars": _chars(a["content"]), "source": a["source"] or [],
                              "direct": a["direct"], "raw": a})
    lex = load_lexicon()
    ex = QuotesExtractor(lex)
    totals = defaultdict(lambda: [0] * 7)
    misses = []
    t0 = time.perf_counter()
    for a in arts:
        art = Article(id=a["id"], outlet=a["outlet"], text=a["text"])
        doc = build_document(art, lex.boilerplate)
        rows = ex.extract(doc, {}).tables["quotes"]
        preds = _predictions(a["text"], rows)
        golds = gold[a["id"]]
        for name, ps, gs in (("direct", [p for p in preds if p["direct"]], [g for g in golds if g["direct"]]),
                             ("all", preds, golds)):
            for theta in (0.3, 0.8):
                res = _score(ps, gs, theta)
                totals[name, theta] = [x + y for x, y in zip(totals[name, theta], res, strict=True)]
            if args.show and name == "direct":
                misses.append((a, ps, gs))
    secs = time.perf_counter() - t0
    print(f"PolNeAR dev: {len(arts)} articles, {sum(map(len, gold.values()))} gold attributions "
          f"({sum(g['direct'] for v in gold.values() for g in v)} direct); {secs:.1f} s")
    print(f"{'set':8} {'overlap':>7} {'n_pred':>6} {'n_gold':>6} {'P':>6} {'R':>6} {'F1':>6} "
          f"{'F1 1:1':>7} {'spk acc':>8} {'spk n':>6}")
    for (name, theta), (tp_p, n_p, tp_g, n_g, one, ok, n) in totals.items():
        p, r, f = _prf(tp_p, n_p, tp_g, n_g)
        _, _, f1 = _prf(one, n_p, one, n_g)
        print(f"{name:8} {theta:>7.0%} {n_p:>6} {n_g:>6} {p:>6.3f} {r:>6.3f} {f:>6.3f} {f1:>7.3f} "
              f"{(ok / n if n else 0):>8.3f} {n:>6}")
    shown = 0
    for a, ps, gs in misses:
        for g in gs:
            if shown < args.show and not any(len(p["chars"] & g["chars"]) >= 0.3 * len(g["chars"]) for p in ps):
                print("MISS", a["id"][:30], repr(g["raw"]["content_text"][:110]), "|", g["raw"]["source_text"],
                      "|", g["raw"]["cue_text"])
                shown += 1
    shown = 0
    for a, ps, gs in misses:
        for g in gs:
            best = max(ps, key=lambda p: len(p["chars"] & g["chars"]), default=None)
            if (shown < args.show and g["source"] and best is not None
                    and len(best["chars"] & g["chars"]) >= 0.3 * len(g["chars"])
                    and not any(x < e and s < y for x, y in best["speakers"] for s, e in g["source"])):
                r = best["rows"][0]
                print("SPK ", a["id"][:30], repr(g["raw"]["content_text"][:60]), "| gold:",
                      g["raw"]["source_text"], "| ours:", r["speaker_surface"], "|", r["note"][:60])
                shown += 1
    shown = 0
    for a, ps, gs in misses:
        for p in ps:
            if shown < args.show and not any(len(p["chars"] & g["chars"]) >= 0.3 * len(g["chars"]) for g in gs):
                r = p["rows"][0]
                print("FP  ", a["id"][:30], repr(r["content"][:110]), "|", r["speaker_surface"], "|", r["cue"])
                shown += 1


if __name__ == "__main__":
    main()
