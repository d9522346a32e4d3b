"""Cost of same-story alignment, and what it finds on newswcl50-dev.

Run from the repository root::

    .venv/bin/python benchmarks/align_cost.py             # cost, then newswcl50-dev if present
    .venv/bin/python benchmarks/align_cost.py --versions 5 10 --repeat 7

**Cost.** One ~1,000-word synthetic article (:mod:`benchmarks.corpus_gen`) is perturbed
deterministically into N versions in two regimes (see :func:`perturb`): light, most sentences
verbatim as when outlets run wire copy; heavy, nearly every sentence edited. Then, in the same
run: ``align_story`` over all N versions (N*(N-1)/2 pairs: tokens, sentence alignment, edits),
and, as the reference extractor, VADER's ``polarity_scores`` on every sentence of the same N
versions. Documents and the analyser are built before the clock starts; each figure is the least
CPU time of ``--repeat`` runs, single process.

**newswcl50-dev** (``../shared/data``; skipped when absent): story grouping with ``story``
withheld, the substitutions mined between the five outlets of each event, and a precision proxy:
all 25 articles pooled as one story, counting sentence pairs aligned across different events
(which should never align).

Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from collections import Counter
from dataclasses import replace
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

from benchmarks.corpus_gen import generate  # noqa: E402
from framing.crossdoc.align import align_story, mine_substitutions, substitution_summary  # noqa: E402
from framing.crossdoc.story import group_stories, story_similarity  # noqa: E402
from framing.record import Article  # noqa: E402
from framing.text.segment import build_document  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "newswcl50-dev" / "articles.jsonl"

# Word choices a rewriting desk makes (applied where the word occurs), and words it adds.
SWAPS = {
    "government": "regime", "officials": "authorities", "said": "claimed", "fighters": "militants",
    "talks": "negotiations", "attack": "assault", "killed": "left dead", "group": "faction",
    "meeting": "summit", "told": "informed", "president": "leader", "minister": "official",
}
INSERTS = ("reportedly", "so-called", "embattled", "controversial", "militant", "senior")


def perturb(text: str, seed: int, *, heavy: bool) -> str:
    """A deterministic rewrite of ``text`` (same seed and regime, same version).

    Light (an outlet running wire copy): the version adopts 3 of the :data:`SWAPS` as house style
    and applies them everywhere; 0.5% of words are deleted and 0.5% get a word inserted before
    them. Heavy (a rewrite desk): every swap is applied at half of its occurrences ("said" ->
    "claimed" touches nearly every sentence), 2% deletions, 2% insertions. Both drop 5% of
    paragraphs and swap 5% with their neighbour.
    """
    rng = random.Random(seed)
    style = set(rng.sample(sorted(SWAPS), 3))
    p_swap, p_edit = (0.5, 0.02) if heavy else (1.0, 0.005)
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    k = 0
    while k < len(paragraphs) - 1:  # swap some neighbouring paragraphs
        if rng.random() < 0.05:
            paragraphs[k], paragraphs[k + 1] = paragraphs[k + 1], paragraphs[k]
            k += 1
        k += 1
    out = []
    for para in paragraphs:
        if rng.random() < 0.05:
            continue
        words = []
        for w in para.split(" "):
            r = rng.random()
            core = w.strip(".,;:!?\"'“”‘’").lower()
            if core in SWAPS and (heavy or core in style) and r < p_swap:
                words.append(w.replace(core, SWAPS[core]))
            elif r < p_edit:
                continue
            elif r < 2 * p_edit:
                words.extend([rng.choice(INSERTS), w])
            else:
                words.append(w)
        out.append(" ".join(words))
    return "\n\n".join(out)


def versions(n: int, *, heavy: bool) -> list:
    base = generate(1, seed=0, target_words=1000)[0].article
    docs = []
    for k in range(n):
        text = perturb(base.text, k, heavy=heavy)
        article = Article(id=f"v{k}", outlet=f"Outlet {chr(65 + k)}", text=text, story="bench")
        docs.append(build_document(article))
    return docs


def best_of(fn, repeat: int) -> float:
    """Least CPU time (``time.process_time``) of ``repeat`` runs: robust on a shared machine."""
    times = []
    for _ in range(repeat):
        t0 = time.process_time()
        fn()
        times.append(time.process_time() - t0)
    return min(times)


def identical_share(docs) -> float:
    first = {docs[0].norm[s:e].lower() for s, e in docs[0].sentences}
    others = [d.norm[s:e].lower() for d in docs[1:] for s, e in d.sentences]
    return sum(s in first for s in others) / max(len(others), 1)


def cost(ns: list[int], repeat: int) -> None:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyser = SentimentIntensityAnalyzer()
    print(f"== cost: N perturbed versions of one ~1,000-word article; CPU ms, best of {repeat}")
    print(f"{'regime':<6} {'N':>3} {'pairs':>5} {'words/ver':>9} {'sents':>6} {'verbatim':>8} "
          f"{'aligned':>7} {'edits':>6} {'align ms':>9} {'VADER ms':>9} {'align/VADER':>11}")
    for heavy in (False, True):
        for n in ns:
            docs = versions(n, heavy=heavy)
            sentences = [d.norm[s:e] for d in docs for s, e in d.sentences]
            rows = align_story(docs)
            t_align = best_of(lambda docs=docs: align_story(docs), repeat)
            t_vader = best_of(lambda sentences=sentences: [analyser.polarity_scores(s) for s in sentences], repeat)
            words = statistics.mean(len(d.text.split()) for d in docs)
            print(f"{'heavy' if heavy else 'light':<6} {n:>3} {n * (n - 1) // 2:>5} {words:>9.0f} "
                  f"{len(sentences):>6} {identical_share(docs):>8.0%} {len(rows):>7} "
                  f"{sum(len(r['edits']) for r in rows):>6} {1000 * t_align:>9.1f} "
                  f"{1000 * t_vader:>9.1f} {t_align / t_vader:>11.2f}")
    docs = versions(5, heavy=False)
    summary = substitution_summary(mine_substitutions(docs))
    print("\nmost frequent edits between Outlet A and Outlet B (light, 5 versions):")
    pair = summary[(summary.outlet_a == "Outlet A") & (summary.outlet_b == "Outlet B")]
    for r in pair.head(8).itertuples():
        print(f"  {r.n:>3}  {r.kind:<7} {r.a_text!r} -> {r.b_text!r}")


def read_newswcl() -> list:
    docs = []
    for line in DATA.read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        docs.append(build_document(Article(id=r["id"], outlet=r["outlet"], text=r["text"],
                                           title=r["title"], date=r["date"], story=r["story"])))
    return docs


def newswcl() -> None:
    if not DATA.exists():
        print("\n(newswcl50-dev absent: skipped)")
        return
    docs = read_newswcl()
    by_id = {d.article.id: d for d in docs}
    print(f"\n== newswcl50-dev: {len(docs)} articles, "
          f"{len({d.article.story for d in docs})} events")

    sim = story_similarity(docs)
    same, other = [], []
    for i, j in combinations(range(len(docs)), 2):
        (same if docs[i].article.story == docs[j].article.story else other).append(sim[i, j])
    print(f"TF-IDF cosine, same event: min {min(same):.2f} median {statistics.median(same):.2f} "
          f"max {max(same):.2f}; different events: min {min(other):.2f} "
          f"median {statistics.median(other):.2f} max {max(other):.2f}")
    withheld = [replace(d, article=replace(d.article, story="")) for d in docs]
    truth = sorted(sorted(d.article.id for d in docs if d.article.story == s)
                   for s in {d.article.story for d in docs})
    for t in (0.12, 0.15, 0.17, 0.18, 0.19, 0.20, 0.21, 0.25):
        groups = group_stories(withheld, threshold=t)
        found = sorted(sorted(d.article.id for d in v) for v in groups.values())
        print(f"  story threshold {t:.2f}: {len(groups)} clusters, sizes "
              f"{sorted((len(v) for v in groups.values()), reverse=True)}"
              f"{'  = the five events' if found == truth else ''}")

    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyser = SentimentIntensityAnalyzer()
    sentences = [d.norm[s:e] for d in docs for s, e in d.sentences]
    subs = mine_substitutions(docs)
    elapsed = best_of(lambda: mine_substitutions(docs), 3)
    vader = best_of(lambda: [analyser.polarity_scores(s) for s in sentences], 3)
    aligned = [r for s in sorted({d.article.story for d in docs})
               for r in align_story([d for d in docs if d.article.story == s])]
    n_sent = sum(len(d.sentences) for d in docs)
    print(f"\nmined in {1000 * elapsed:.0f} ms CPU (VADER on the same {len(sentences)} sentences: "
          f"{1000 * vader:.0f} ms): {len(aligned)} aligned sentence pairs "
          f"({dict(Counter(r['alignment'] for r in aligned))}) among {n_sent} sentences; "
          f"{len(subs)} edits; {sum(r['n_rewrites'] for r in aligned)} longer rewrites not listed")
    print("aligned pairs per event:", dict(Counter(r["story"] for r in aligned)))
    print("edits per outlet pair:", subs.groupby(["outlet_a", "outlet_b"]).size().to_dict())

    print("\nall edits (story, outlets, kind, a -> b, sentence similarity):")
    for r in subs.itertuples():
        print(f"  {r.story} {r.outlet_a}->{r.outlet_b} {r.kind:<7} {r.a_text!r} -> {r.b_text!r}"
              f"  ({r.similarity:.2f})")

    pooled = [replace(d, article=replace(d.article, story="pooled")) for d in docs]
    rows = align_story(pooled)
    cross = [r for r in rows
             if by_id[r["article_a"]].article.story != by_id[r["article_b"]].article.story]
    pairs = sum(len(a.sentences) * len(b.sentences) for a, b in combinations(docs, 2)
                if a.article.story != b.article.story and a.article.outlet != b.article.outlet)
    print(f"\npooled as one story: {len(rows)} aligned pairs, {len(cross)} across events "
          f"(out of {pairs:,} cross-event sentence pairs), "
          f"{sum(len(r['edits']) for r in cross)} edits from them:")
    for r in cross:
        a, b = by_id[r["article_a"]], by_id[r["article_b"]]
        sa, sb = a.text[r["a_start"]:r["a_end"]], b.text[r["b_start"]:r["b_end"]]
        print(f"  {r['similarity']:.2f} {r['alignment']:<7} {sa[:70]!r} | {sb[:70]!r}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--versions", type=int, nargs="+", default=[2, 5, 10])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    pd.set_option("display.width", 200)
    cost(args.versions, args.repeat)
    newswcl()


if __name__ == "__main__":
    main()
