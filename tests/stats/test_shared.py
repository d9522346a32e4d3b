"""Resamples shared by the contrasts against the rest (framing.stats.shared)."""

from __future__ import annotations

import numpy as np

from framing.stats.design import REST, Side
from framing.stats.shared import SharedResamples


def _measure(seed: int, shift: float):
    """Per-article (labelled mentions, mentions) for 12 outlets x 8 articles; outlet 0 shifted."""
    rng = np.random.default_rng(seed)
    outlets = np.repeat([f"o{i:02d}" for i in range(12)], 8)
    mentions = rng.integers(1, 6, outlets.size).astype(float)
    share = np.where(outlets == "o00", 0.3 + shift, 0.3)
    labelled = rng.binomial(mentions.astype(int), share).astype(float)
    return np.column_stack([labelled, mentions]), outlets


def _share(sums):
    return sums[:, :1] / sums[:, 1:2]


def _contrast(outlets, name="o00"):
    every = frozenset(outlets)
    return Side(name, frozenset([name])), Side(REST, every - {name})


def test_a_planted_difference_against_the_rest_is_found_and_a_null_is_not():
    x, outlets = _measure(0, 0.5)
    a, b = _contrast(outlets)
    shared = SharedResamples(x, outlets, ("labels", "test"), B=999, seed=0, side_sizes=[8])
    row = shared.difference(a, b, _share, ci=0.95, test="permutation")[0]
    assert row["p"] < 0.01 and row["ci_low"] > 0.2
    x, outlets = _measure(1, 0.0)
    shared = SharedResamples(x, outlets, ("labels", "test"), B=999, seed=0, side_sizes=[8])
    row = shared.difference(a, b, _share, ci=0.95, test="permutation")[0]
    assert row["p"] > 0.05 and row["ci_low"] < 0 < row["ci_high"]


def test_every_contrast_reads_the_same_draws_and_a_seed_repeats_them():
    x, outlets = _measure(2, 0.0)
    first = SharedResamples(x, outlets, ("k",), B=200, seed=5, side_sizes=[8])
    again = SharedResamples(x, outlets, ("k",), B=200, seed=5, side_sizes=[8])
    for name in ("o03", "o07"):
        a, b = _contrast(outlets, name)
        assert first.difference(a, b, _share, ci=0.9, test="t") == again.difference(a, b, _share, ci=0.9, test="t")
    # the rest's resampled sums are the total minus the outlet's own: same draws, stratified by outlet
    a, b = _contrast(outlets, "o03")
    np.testing.assert_allclose(first.boot(a) + first.boot(b), first.boot(Side("all", frozenset(outlets))))


def test_permutation_p_under_the_null_is_not_too_small():
    """Over many null measures, p < 0.05 about 5% of the time (not a fixed or biased draw)."""
    small = 0
    for seed in range(60):
        x, outlets = _measure(100 + seed, 0.0)
        a, b = _contrast(outlets)
        table = np.column_stack([x[:, 0], x[:, 1] - x[:, 0]])  # labelled, unlabelled mentions
        p = SharedResamples(table, outlets, ("n", str(seed)), B=199, seed=seed, side_sizes=[8]).chi2_p(a)
        small += p < 0.05
    assert small <= 9


def test_a_cache_of_one_entry_gives_the_same_intervals_and_p(monkeypatch):
    import framing.stats.resample as resample

    x, outlets = _measure(3, 0.2)
    keep = SharedResamples(x, outlets, ("k",), B=300, seed=2, side_sizes=[8])
    monkeypatch.setattr(resample, "BOOT_CACHE_BYTES", 1)
    evict = SharedResamples(x, outlets, ("k",), B=300, seed=2, side_sizes=[8])
    for name in ("o00", "o05", "o11", "o00"):
        a, b = _contrast(outlets, name)
        assert evict.difference(a, b, _share, ci=0.95, test="t") == keep.difference(a, b, _share, ci=0.95, test="t")
    assert len(evict._own) == 1 and len(keep._own) > 1


def test_outlet_rows_are_the_rows_of_that_outlet_in_order():
    from framing.stats.design import OutletIndex

    names = np.array(["b", "a", "c", "a", "b", "a"])
    index = OutletIndex(names)
    for o in ("a", "b", "c"):
        np.testing.assert_array_equal(index.rows(o), np.flatnonzero(names == o))
    assert index.rows("z").size == 0 and index.rows("0").size == 0


def test_boot_cache_keeps_the_newest_entries_within_its_budget():
    from framing.stats.resample import BootCache

    cache, made = BootCache(max_bytes=3 * 800), []

    def make(k):
        made.append(k)
        return np.full(100, float(k))  # 800 bytes

    for k in (1, 2, 3, 1, 4, 2):
        assert cache.get(k, lambda k=k: make(k))[0] == k
    assert made == [1, 2, 3, 4, 2]  # 1 was used again before 4 came, so 2 was the oldest
    assert len(cache) == 3 and cache.nbytes == 2400
