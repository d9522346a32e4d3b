"""The cross-document pass: substitutions on the seeds, bounded n-gram counts."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import SEEDS

import framing
from framing.crossdoc.distinctive import count_ngrams, distinctive_terms_from_counts
from framing.crossdoc.termcounts import TermCounts

_TEXTS = {
    "TRT World": ["The Syrian regime shelled Idlib. The regime denied it.", "Assad regime forces advanced on Idlib."],
    "Independent": ["The Syrian government said militants attacked. Government forces responded.",
                    "The militant Hamas group said officials met the Syrian government."],
    "AP": ["Officials said the government met the militant group.", "The Syrian government and Hamas met."],
}


def _fill(counts: TermCounts) -> TermCounts:
    for outlet, texts in _TEXTS.items():
        for text in texts:
            counts.update(outlet, count_ngrams([text]))
    return counts


@pytest.mark.parametrize("budget, partitions", [(1, 1), (5, 3), (40, 7), (10_000, 32)])
def test_spilled_counts_give_exactly_the_in_memory_distinctive_terms(tmp_path, budget, partitions):
    whole = {o: count_ngrams(t) for o, t in _TEXTS.items()}
    expected = distinctive_terms_from_counts(whole, min_count=2)
    with _fill(TermCounts(budget=budget, partitions=partitions, directory=tmp_path)) as counts:
        got = counts.distinctive(min_count=2)
        assert (counts.n_spills > 0) == (budget < 100)
    pd.testing.assert_frame_equal(got, expected)
    assert list(tmp_path.iterdir()) == []  # spill files removed
    top = _fill(TermCounts(budget=5, partitions=3)).distinctive(min_count=2, top=2)
    assert top.groupby("outlet").size().max() == 2
    pd.testing.assert_frame_equal(top, distinctive_terms_from_counts(whole, min_count=2, top=2))


def test_spill_folder_goes_with_the_counts_even_without_cleanup(tmp_path):
    counts = _fill(TermCounts(budget=1, directory=tmp_path))
    assert counts.n_spills > 0 and len(list(tmp_path.iterdir())) == 1
    del counts
    assert list(tmp_path.iterdir()) == []


def test_term_counts_need_two_outlets():
    counts = TermCounts()
    counts.update("AP", count_ngrams(["One outlet only."]))
    with pytest.raises(ValueError, match="at least two outlets"):
        counts.distinctive()


def test_seed_substitutions_include_the_label_and_spelling_changes():
    result = framing.analyze(SEEDS, stats=False, crossdoc=framing.CrossDocOptions(distinctive=False))
    summary = result.substitution_summary
    pairs = {(r.a_text.lower(), r.b_text.lower()) for r in summary.itertuples()}
    # the AP-to-TRT rewrites the shared seeds README lists (Türkiye/Turkey is a spelling, never one sentence's edit)
    assert {("government", "regime"), ("fighters", "forces"), ("al-hayeh", "al hayya"), ("program", "programme"),
            ("militants", "movement that governs gaza")} <= pairs
    deleted = set(summary[summary.kind == "delete"].a_text.str.lower())
    assert {"militant", "syrian president", "the iran-backed"} <= deleted


def test_aligning_a_story_pauses_the_cyclic_collector_and_restores_it(seed_articles, lexicon):
    import gc

    from framing.crossdoc.run import _mine

    stories = {a.story for a in seed_articles.values()}
    assert gc.isenabled()
    subs, (pairs, aligned, _) = _mine(list(seed_articles.values()), lexicon)
    assert gc.isenabled() and pairs == aligned >= 1 and len(subs) > 0 and len(stories) == 1
    gc.disable()
    try:
        _mine(list(seed_articles.values()), lexicon)
        assert not gc.isenabled()  # a caller's choice is kept
    finally:
        gc.enable()
