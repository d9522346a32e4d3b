"""The cross-document pass: substitutions on the seeds, bounded n-gram counts."""

from __future__ import annotations

from collections import Counter

import framing
from conftest import SEEDS
from framing.crossdoc import _prune


def test_pruning_drops_the_rarest_terms_until_under_the_cap():
    counts = Counter({"a": 5, "b": 1, "c": 1, "d": 2, "e": 3})
    assert _prune(counts, 0, 3) == 1 and counts == Counter({"a": 5, "d": 2, "e": 3})
    assert _prune(counts, 1, 1) == 3 and counts == Counter({"a": 5})


def test_seed_substitutions_include_the_label_and_spelling_changes():
    result = framing.analyze(SEEDS, statistics=False, distinctive=False)
    summary = result.substitution_summary
    pairs = {(r.a_text.lower(), r.b_text.lower()) for r in summary.itertuples()}
    assert {("government", "regime"), ("fighters", "forces"), ("turkey", "türkiye"), ("al-hayeh", "al hayya")} <= pairs
    assert ((summary.kind == "delete") & (summary.a_text.str.lower() == "militant")).any()
