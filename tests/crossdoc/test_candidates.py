"""Bounded alignment pairs (framing.crossdoc.candidates): near-duplicates found, the rest skipped."""

from __future__ import annotations

import random

from framing.crossdoc.candidates import (
    TOP_K,
    PairStats,
    candidate_pairs,
    minhash_signatures,
)

_WORDS = ("the minister said talks with the rebels would resume next week in the capital after "
          "a ceasefire broke down when fighters attacked a convoy near the border crossing and "
          "officials blamed the opposition for the violence that killed several civilians").split()


def _text(rng: random.Random, n: int = 120) -> list[str]:
    return [rng.choice(_WORDS) + str(rng.randrange(50)) for _ in range(n)]


def _edited(words: list[str], rng: random.Random, share: float = 0.05) -> list[str]:
    out = list(words)
    for k in rng.sample(range(len(out)), int(share * len(out))):
        out[k] = "regime" if out[k].startswith("government") else "changed" + str(k)
    return out


def test_signatures_estimate_jaccard_and_are_stable():
    rng = random.Random(0)
    a = _text(rng)
    sig = minhash_signatures([a, a, _edited(a, rng), _text(rng)])
    assert (sig[0] == sig[1]).all()
    assert (sig[0] == sig[2]).mean() > 0.5  # 5% of words edited: most 3-grams shared
    assert (sig[0] == sig[3]).mean() < 0.1  # independent text
    assert (minhash_signatures([a]) == sig[:1]).all()


def test_versions_of_one_wire_story_are_paired_and_independent_reports_are_not():
    rng = random.Random(1)
    wire = _text(rng)
    docs, outlets = [], []
    for k in range(6):  # six outlets re-run the same agency copy with small edits
        docs.append(_edited(wire, rng))
        outlets.append(f"wire outlet {k}")
    for k in range(40):  # forty independently written articles on the topic
        docs.append(_text(rng))
        outlets.append(f"outlet {k}")
    pairs = candidate_pairs(docs, outlets)
    versions = {(i, j) for i in range(6) for j in range(i + 1, 6)}
    assert versions <= set(pairs)
    assert all(i < 6 and j < 6 for i, j in pairs)


def test_partners_per_article_are_capped_and_one_outlet_is_never_paired_with_itself():
    rng = random.Random(2)
    wire = _text(rng)
    docs = [_edited(wire, rng, 0.02) for _ in range(60)]
    outlets = [f"outlet {k % 30}" for k in range(60)]
    pairs = candidate_pairs(docs, outlets)
    degree = {}
    for i, j in pairs:
        assert outlets[i] != outlets[j]
        degree[i] = degree.get(i, 0) + 1
        degree[j] = degree.get(j, 0) + 1
    assert len(pairs) <= 60 * TOP_K
    assert len(pairs) < 60 * 59 // 2
    assert min(degree.values()) >= 1


def test_pair_stats_count_skipped_pairs():
    stats = PairStats(pairs=100, aligned=12, large_stories=1)
    assert stats.skipped == 88
