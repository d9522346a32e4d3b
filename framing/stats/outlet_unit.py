"""Group contrasts with the outlet as the unit: do the outlets of one group differ from the other's?

With outlet groups (``--outlet-groups``: lean, country), the article rows of a group contrast
pool every article of a group's outlets, so a group of one prolific outlet and four quiet ones is
mostly that one outlet, and the articles of one outlet are not independent of one another (a
house style). Where both sides have at least :data:`OUTLETS_MIN` outlets, each article feature
gets one more row whose unit is the outlet:

- value of an outlet: the mean of the feature over its articles with a value;
- estimate: mean of the outlet values of side A minus that of side B (every outlet weighs the
  same, however many articles it has);
- interval: percentile bootstrap of the outlets within each side (Efron & Tibshirani 1993, ch. 13);
- test: permutation of the outlets between the sides (exact when the relabellings can be
  enumerated within ``B``), which asks whether the group explains more than the outlets'
  variation among themselves;
- effect size: Cliff's delta over the outlet values.

``n_a``/``n_b`` count outlets; ``articles_a``/``articles_b`` count the articles behind them.
"""

from __future__ import annotations

import numpy as np

from framing.stats.contrast import few_note, new_row, p_text
from framing.stats.design import Side
from framing.stats.inputs import join_notes
from framing.stats.resample import bootstrap_ratio, cliffs_delta, cluster_permutation_p, percentile_interval, rng_for

__all__ = ["OUTLETS_MIN", "UNIT_OUTLET", "outlet_unit_rows"]

#: Fewest outlets on each side for an outlet-unit row.
OUTLETS_MIN = 5
UNIT_OUTLET = "outlet (mean of its articles)"


def _outlet_means(fm) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per outlet (``fm.index.names`` order) and feature: mean over articles with a value, and counts."""
    cached = fm._boot.get("outlet-means")
    if cached is None:
        codes, k = fm.index.codes, fm.index.names.size
        x0 = np.where(fm.finite, fm.values, 0.0)
        sums = np.stack([np.bincount(codes, weights=x0[:, j], minlength=k) for j in range(x0.shape[1])], axis=1) \
            if x0.shape[1] else np.zeros((k, 0))
        counts = np.stack([np.bincount(codes, weights=fm.finite[:, j].astype(float), minlength=k)
                           for j in range(x0.shape[1])], axis=1) if x0.shape[1] else np.zeros((k, 0))
        with np.errstate(divide="ignore", invalid="ignore"):
            cached = (sums / counts, counts, fm.index.names)
        fm._boot["outlet-means"] = cached
    return cached


def outlet_unit_rows(fm, a: Side, b: Side, opts: dict) -> dict[str, list[dict]]:
    """Feature -> its outlet-unit row for one group contrast (empty when a side has too few outlets)."""
    if len(a.outlets) < OUTLETS_MIN or len(b.outlets) < OUTLETS_MIN:
        return {}
    means, counts, names = _outlet_means(fm)
    in_a, in_b = np.isin(names, list(a.outlets)), np.isin(names, list(b.outlets))
    out: dict[str, list[dict]] = {}
    for j, feature in enumerate(fm.features):
        has = counts[:, j] > 0
        xa, xb = means[in_a & has, j], means[in_b & has, j]
        row = new_row(feature=feature, outlet_a=a.name, outlet_b=b.name, family="article feature",
                      unit=UNIT_OUTLET, n_a=int(xa.size), n_b=int(xb.size),
                      articles_a=int(counts[in_a & has, j].sum()), articles_b=int(counts[in_b & has, j].sum()))
        if xa.size < OUTLETS_MIN or xb.size < OUTLETS_MIN:
            row["note"] = f"fewer than {OUTLETS_MIN} outlets with a value on a side: no outlet-unit test"
            out[feature] = [row]
            continue
        row["estimate"] = float(xa.mean() - xb.mean())
        rng = rng_for(opts["seed"], "outlet-unit", feature, a.name, b.name)
        reps = bootstrap_ratio(xa, np.ones(xa.size), B=opts["B"], rng=rng) - \
            bootstrap_ratio(xb, np.ones(xb.size), B=opts["B"], rng=rng)
        lo, hi = percentile_interval(reps, opts["ci"])
        flags = np.r_[np.ones(xa.size, bool), np.zeros(xb.size, bool)]
        p, exact = cluster_permutation_p(np.r_[xa, xb], np.ones(flags.size), flags, statistic="diff", B=opts["B"],
                                         rng=rng)
        row.update(ci_low=float(lo), ci_high=float(hi), p=float(np.asarray(p).ravel()[0]),
                   test=p_text("permutation over outlets (difference in mean of outlet means)", exact, opts["B"]),
                   effect=cliffs_delta(xa, xb), effect_kind="Cliff's delta (outlets)",
                   note=join_notes(f"{xa.size} and {xb.size} outlets, each weighing the same",
                                   few_note(xa.size, xb.size).replace("articles", "outlets")))
        out[feature] = [row]
    return out
