"""Outlet comparisons: differences with intervals, effect sizes, tests and FDR, unit stated.

:func:`comparisons` contrasts every pair of outlets (names sorted, ``outlet_a < outlet_b``) and,
with more than two outlets, each outlet against all others pooled (``outlet_b == REST``). The
estimate is always ``a - b``. Methods, by family:

- **article feature** (unit: article): difference in means; percentile bootstrap interval,
  articles resampled within each outlet (Efron & Tibshirani 1993, ch. 13); Welch's t-test, which
  tests the same difference without assuming equal variances (Welch 1947; Delacre, Lakens & Leys
  2017, IRSP 30(1)); effect size Cliff's delta, P(a > b) - P(a < b), robust to skew and ties
  (Cliff 1993, Psych. Bull. 114(3)).
- **label choice** (unit: mention, clustered by article): per entity and label set, the share
  of mentions labelled at all and each label's share. Difference with a cluster-bootstrap
  interval (Field & Welsh 2007); p from a permutation test that relabels whole articles between
  the outlets, so repeated labels within an article do not count as independent evidence; effect
  size Cohen's h (Cohen 1988, ch. 6). For three or more choices (labels and "none"), one more row:
  Cramér's V of the outlet x label table (Cramér 1946) with a chi-square statistic whose p again
  comes from relabelling articles. When either side has a single article there is nothing to
  resample: the row is descriptive plus a *mention-level* test (Fisher's exact test for a share,
  a permutation chi-square over mentions for the distribution), and ``note`` says so.
- **voice** (unit: quoted word, clustered by article): share of quoted words per voice, scare
  quotes excluded; as for labels but with no mention-level fallback.
- **stance** (unit: mention, clustered by article): net stance ``p_pos - p_neg`` per entity and
  voice; difference of means, article permutation test, Cohen's d over mentions.
- **within story**: where both sides cover the same stories (non-empty ``story``), the per-story
  difference (articles of one side in a story averaged; for labels, pooled) for each article
  feature and each entity's labelled share. Estimate = mean paired difference, bootstrap over
  stories, sign-flip permutation test (Fisher 1935; Good 2005, ch. 3), effect Cohen's d_z.

``q`` is the Benjamini–Hochberg (1995) adjustment over every row of the table that has a ``p``.
Permutation p-values are exact when the relabellings can be enumerated within ``B``, otherwise
``(1 + b) / (1 + B)`` (Phipson & Smyth 2010). Intervals are at level ``1 - alpha``.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from framing.stats.aggregate import Aggregates
from framing.stats.clustered import label_rows, stance_rows, voice_rows
from framing.stats.contrast import (
    COMPARISON_COLUMNS,
    REST,
    UNIT_ARTICLE,
    UNIT_STORY,
    Side,
    contrasts,
    few_note,
    new_row,
    paired_rows,
    small_note,
    story_ratio,
)
from framing.stats.inputs import (
    feature_columns,
    floats,
    join_notes,
    ok_articles,
)
from framing.stats.resample import (
    bh_qvalues,
    bootstrap_ratio,
    check_resampling_options,
    cliffs_delta,
    cohens_h,
    cramers_v,
    percentile_interval,
    rng_for,
)

__all__ = [
    "COMPARISON_COLUMNS",
    "REST",
    "UNIT_STORY",
    "cliffs_delta",
    "cohens_h",
    "comparisons",
    "comparisons_from_aggregates",
    "cramers_v",
]

logger = logging.getLogger(__name__)


def _feature_rows(arts: pd.DataFrame, feature: str, a: Side, b: Side, opts: dict) -> list[dict]:
    """Between-outlet row for one article feature, then its within-story row if stories are shared."""
    values = floats(arts[feature])
    fin = np.isfinite(values)
    in_a, in_b = arts["outlet"].isin(a.outlets).to_numpy(), arts["outlet"].isin(b.outlets).to_numpy()
    x, y = values[in_a & fin], values[in_b & fin]
    base = {
        "feature": feature,
        "outlet_a": a.name,
        "outlet_b": b.name,
        "family": "article feature",
        "unit": UNIT_ARTICLE,
        "n_a": x.size,
        "n_b": y.size,
        "articles_a": x.size,
        "articles_b": y.size,
    }
    if x.size == 0 or y.size == 0:
        return [new_row(**base, note=f"no article with a value in {a.name if x.size == 0 else b.name}")]
    row = new_row(**base, estimate=float(x.mean() - y.mean()))
    small = small_note(
        x.size, y.size, a.name, b.name, "descriptive difference only (no interval, test or effect size)"
    )
    if small:
        row["note"] = small
    else:
        from scipy.stats import ttest_ind

        rng = rng_for(opts["seed"], "feature", feature, a.name, b.name)
        reps = bootstrap_ratio(x, np.ones(x.size), B=opts["B"], rng=rng)
        reps = reps - bootstrap_ratio(y, np.ones(y.size), B=opts["B"], rng=rng)
        lo, hi = percentile_interval(reps, opts["ci"])
        row.update(
            ci_low=float(lo), ci_high=float(hi), effect=cliffs_delta(x, y), effect_kind="Cliff's delta"
        )
        notes = [few_note(x.size, y.size)]
        if np.ptp(x) == 0 and np.ptp(y) == 0:
            notes.append("no variation within either side: Welch t-test undefined")
        else:
            row.update(test="Welch t-test (two-sided)", p=float(ttest_ind(x, y, equal_var=False).pvalue))
        row["note"] = join_notes(*notes)
    stories = arts["story"].to_numpy()
    used = fin & (stories != "")
    per_story = [
        story_ratio(values[m], np.ones(int(m.sum())), stories[m]) for m in (in_a & used, in_b & used)
    ]
    return [row] + paired_rows(*per_story, row, "feature", opts)


def comparisons(
    articles: pd.DataFrame,
    mentions: pd.DataFrame,
    quotes: pd.DataFrame,
    stance: pd.DataFrame | None = None,
    *,
    features: list[str] | None = None,
    B: int = 2000,
    seed: int = 0,
    alpha: float = 0.05,
    min_stories: int = 5,
) -> pd.DataFrame:
    """Every outlet contrast for every feature, with interval, effect size, test, p and q.

    See the module docstring for the method of each family. Rows are ordered by family (article
    feature, label choice, voice, stance), feature, contrast (pairs, then one-vs-rest); a
    within-story row follows its between-outlet row.

    Args:
        articles: Articles table (only ``status == "ok"`` rows count); may be empty.
        mentions: Mentions table; may be empty.
        quotes: Quotes table; may be empty.
        stance: Stance table, optional.
        features: Article feature columns; default every numeric ``<family>.<feature>`` column
            that varies across the ok articles (a feature with one value everywhere, such as the
            share of quotes from a voice nobody quoted, has nothing to compare; it stays in
            ``outlet_summary``).
        B: Bootstrap resamples and random relabellings per row.
        seed: Seed; every row draws from its own generator keyed by the row, so rows do not change
            when other features are added.
        alpha: Intervals are at level ``1 - alpha``; q-values do not depend on it.
        min_stories: Fewest shared stories for a within-story test (2 or more give a descriptive
            within-story row).

    Returns:
        feature, outlet_a, outlet_b, estimate, effect, effect_kind, ci_low, ci_high, test, p, q,
        n_a, n_b, unit, note, family, articles_a, articles_b. ``n_a``/``n_b`` count the ``unit``
        (articles, mentions, quoted words or shared stories); ``articles_*`` count the clusters.
    """
    check_resampling_options(B=B, seed=seed, ci=1.0 - alpha)
    agg = Aggregates.from_tables(mentions, quotes, stance, only=("labels", "voices", "stance"))
    return comparisons_from_aggregates(articles, agg, features=features, B=B, seed=seed, alpha=alpha, min_stories=min_stories)


def comparisons_from_aggregates(
    articles: pd.DataFrame,
    agg: Aggregates,
    *,
    features: list[str] | None = None,
    B: int,
    seed: int,
    alpha: float,
    min_stories: int = 5,
) -> pd.DataFrame:
    """:func:`comparisons` from per-article aggregates (:class:`framing.stats.aggregate.Aggregates`)."""
    if min_stories < 2:
        raise ValueError(f"min_stories must be at least 2, got {min_stories!r}")
    opts = {"B": int(B), "seed": int(seed), "ci": 1.0 - alpha, "min_stories": int(min_stories)}
    arts = ok_articles(articles) if len(articles) else pd.DataFrame(columns=["id", "outlet", "story"])
    ments = agg.labels if len(agg.labels) else None
    q = agg.voices if len(agg.voices) else None
    st = agg.stance if len(agg.stance) else None
    outlets = set(arts["outlet"])
    for df in (ments, q, st):
        if df is not None:
            outlets |= set(df["outlet"])
    pairs = contrasts(sorted(outlets))
    feats = list(features) if features is not None else [
        f for f in feature_columns(arts) if arts[f].nunique(dropna=True) > 1
    ]
    story_of = dict(zip(arts["id"], arts["story"], strict=True))
    rows: list[dict] = []
    for feature in feats:
        for a, b in pairs:
            rows += _feature_rows(arts, feature, a, b, opts)
    if ments is not None:
        for _, group in ments.groupby(["entity", "label_set"], sort=True):
            for a, b in pairs:
                rows += label_rows(group, story_of, a, b, opts)
    if q is not None and len(q):
        for a, b in pairs:
            rows += voice_rows(q, a, b, opts)
    if st is not None:
        for a, b in pairs:
            rows += stance_rows(st, a, b, opts)
    table = pd.DataFrame(rows, columns=list(COMPARISON_COLUMNS))
    table["q"] = bh_qvalues(table["p"].to_numpy(dtype=float))
    for col in ("n_a", "n_b", "articles_a", "articles_b"):  # counts; quoted words are whole numbers
        values = table[col].to_numpy(dtype=float)
        if np.all(values == np.floor(values)):
            table[col] = values.astype(np.int64)
    untested = table["p"].isna()
    table.loc[untested, "note"] = [n or "no test" for n in table.loc[untested, "note"]]
    logger.info("comparisons: %d rows, %d tested", len(table), int((~untested).sum()))
    return table
