"""One contrast between two sides: the comparison row, small-sample notes, shared machinery.

Shared by :mod:`framing.stats.compare` (article features) and :mod:`framing.stats.clustered` (labels,
voices, stance): the row schema and its defaults, the "n = 1 article" notes, within-story paired
rows (bootstrap over stories, sign-flip test; Fisher 1935, Good 2005 ch. 3) and differences of
ratio estimators with a cluster bootstrap and an article-permutation test (Field & Welsh 2007).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from framing.stats.design import REST, Side, choose_design
from framing.stats.inputs import join_notes
from framing.stats.resample import (
    FEW_ARTICLES,
    bootstrap_ratio,
    cluster_permutation_p,
    percentile_interval,
    rng_for,
    sign_flip_p,
)
from framing.tables import columns

__all__ = [
    "COMPARISON_COLUMNS",
    "REST",
    "Side",
    "clustered_difference",
    "contrasts",
    "new_row",
    "paired_from_sums",
    "paired_rows",
    "story_ratio",
    "story_sums",
]

# fmt: off
COMPARISON_COLUMNS = columns("comparisons")
# fmt: on
NO_TEST = "none (descriptive)"
UNIT_ARTICLE = "article"
UNIT_MENTION = "mention (clustered by article)"
UNIT_WORD = "quoted word (clustered by article)"
UNIT_STORY = "story (paired within story)"


def contrasts(outlets: list[str]) -> list[tuple[Side, Side]]:
    """Every pair of outlets (sorted names), then each outlet against the rest when > 2.

    The ``all pairs`` design whatever the number of outlets; :func:`framing.stats.design.choose_design`
    picks the design of a table.
    """
    return [(a, b) for a, b, _ in choose_design(outlets, pairs_max=max(2, len(set(outlets)))).contrasts]


def new_row(**values) -> dict:
    """A comparison row: NaN numbers, no test ("none (descriptive)"), empty note, then ``values``."""
    row = {c: math.nan for c in COMPARISON_COLUMNS}
    row.update(effect_kind="", test=NO_TEST, note="")
    row.update(values)
    return row


def small_note(k_a: int, k_b: int, a: str, b: str, rest: str) -> str:
    """The "n = 1 article" note, or "" when both sides have at least two articles."""
    if k_a >= 2 and k_b >= 2:
        return ""
    who = "per outlet" if k_a < 2 and k_b < 2 else f"in {a if k_a < 2 else b}"
    return f"n = 1 article {who}: {rest}"


def few_note(k_a: int, k_b: int) -> str:
    """A warning when the smaller side has 2 to ``FEW_ARTICLES - 1`` articles, else ""."""
    k = min(k_a, k_b)
    return (
        f"only {k} articles on one side: bootstrap interval likely too narrow"
        if 2 <= k < FEW_ARTICLES
        else ""
    )


def p_text(test: str, exact: bool, B: int) -> str:
    """The test's name with how its p was obtained (exact enumeration or ``B`` relabellings)."""
    return f"{test}, exact" if exact else f"{test}, {B} random relabellings"


def paired_rows(va: pd.DataFrame, vb: pd.DataFrame, between: dict, key: str, opts: dict) -> list[dict]:
    """Within-story rows from per-story ``value``/``articles`` of each side (stories both cover)."""
    shared = sorted(set(va.index) & set(vb.index))
    if len(shared) < 2:
        return []
    va, vb = va.reindex(shared), vb.reindex(shared)
    d = va["value"].to_numpy(dtype=float) - vb["value"].to_numpy(dtype=float)
    return paired_core(d, int(va["articles"].sum()), int(vb["articles"].sum()), between, key, opts)


def paired_from_sums(sum_a, n_a, sum_b, n_b, between: dict, key: str, opts: dict) -> list[dict]:
    """:func:`paired_rows` from per-story sums and article counts over one shared story index."""
    shared = (n_a > 0) & (n_b > 0)
    if int(shared.sum()) < 2:
        return []
    d = sum_a[shared] / n_a[shared] - sum_b[shared] / n_b[shared]
    return paired_core(d, int(n_a[shared].sum()), int(n_b[shared].sum()), between, key, opts)


def paired_core(d: np.ndarray, articles_a: int, articles_b: int, between: dict, key: str, opts: dict) -> list[dict]:
    """The within-story row from paired differences ``d`` (stories in sorted order)."""
    m = d.size
    base = {k: between[k] for k in ("feature", "outlet_a", "outlet_b", "family")}
    row = new_row(
        **base,
        unit=UNIT_STORY,
        n_a=m,
        n_b=m,
        estimate=float(d.mean()),
        articles_a=articles_a,
        articles_b=articles_b,
    )
    if m < opts["min_stories"]:
        row["note"] = (
            f"only {m} shared stories (< min_stories={opts['min_stories']}): descriptive, within story"
        )
        return [row]
    rng = rng_for(opts["seed"], "story", key, base["feature"], base["outlet_a"], base["outlet_b"])
    lo, hi = percentile_interval(bootstrap_ratio(d, np.ones(m), B=opts["B"], rng=rng), opts["ci"])
    p, exact = sign_flip_p(d, B=opts["B"], rng=rng)
    sd = float(d.std(ddof=1))
    row.update(
        ci_low=float(lo),
        ci_high=float(hi),
        p=p,
        test=p_text("sign-flip permutation within story (mean paired difference)", exact, opts["B"]),
    )
    if sd > 0:
        row.update(effect=float(d.mean() / sd), effect_kind="Cohen's d_z (paired)")
    else:
        row["note"] = "paired differences do not vary: Cohen's d_z undefined"
    row["note"] = join_notes(row["note"], f"{m} stories covered by both sides")
    return [row]


def story_ratio(num: np.ndarray, den: np.ndarray, stories: np.ndarray) -> pd.DataFrame:
    """Per story: ``value`` = sum(num) / sum(den) over one side's articles, and ``articles``."""
    keep = (stories != "") & (den > 0)
    names, inverse = np.unique(stories[keep].astype(str), return_inverse=True)
    sums = np.bincount(inverse, weights=num[keep], minlength=names.size)
    dens = np.bincount(inverse, weights=den[keep], minlength=names.size)
    return pd.DataFrame(
        {"value": sums / dens, "articles": np.bincount(inverse, minlength=names.size)}, index=names
    )


def story_sums(values: np.ndarray, codes: np.ndarray, names: np.ndarray) -> pd.DataFrame:
    """Per story (integer ``codes`` into sorted ``names``): mean ``value`` and ``articles``.

    The same figures as :func:`story_ratio` with unit weights, from story codes computed once.
    """
    counts = np.bincount(codes, minlength=names.size)
    sums = np.bincount(codes, weights=values, minlength=names.size)
    used = np.flatnonzero(counts)
    return pd.DataFrame({"value": sums[used] / counts[used], "articles": counts[used]}, index=names[used])


def clustered_difference(num_a, den_a, num_b, den_b, *, key: tuple, opts: dict, test: str) -> list[dict]:
    """Differences of ratio estimators, one per column of the ``(n, k)`` numerators.

    Cluster-bootstrap interval (articles resampled within each side) and article-permutation p;
    all columns share the resamples and relabellings.
    """
    num_a, num_b = np.reshape(num_a, (den_a.size, -1)), np.reshape(num_b, (den_b.size, -1))
    rng = rng_for(opts["seed"], *key)
    reps = bootstrap_ratio(num_a, den_a, B=opts["B"], rng=rng) - bootstrap_ratio(
        num_b, den_b, B=opts["B"], rng=rng
    )
    lo, hi = percentile_interval(reps, opts["ci"])
    in_a = np.r_[np.ones(den_a.size, bool), np.zeros(den_b.size, bool)]
    p, exact = cluster_permutation_p(
        np.vstack([num_a, num_b]), np.r_[den_a, den_b], in_a, statistic="diff", B=opts["B"], rng=rng
    )
    text = p_text(test, exact, opts["B"])
    return [
        {"ci_low": float(lo[j]), "ci_high": float(hi[j]), "p": float(p[j]), "test": text}
        for j in range(p.size)
    ]
