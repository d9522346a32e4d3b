"""Outlet comparisons: differences with intervals, effect sizes, tests and FDR, unit stated.

:func:`comparisons` makes the contrasts of the study's design (:mod:`framing.stats.design`; each
row's ``design`` column names it): every pair of outlets (names sorted, ``outlet_a < outlet_b``)
and each outlet against all others pooled (``outlet_b == REST``) when there are at most 8
outlets; only each outlet against the rest above that; chosen pairs; or groups of outlets. The
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
- **outlet as unit** (group contrasts only, each side with at least 5 outlets): each article
  feature again with the outlet's mean as the unit, outlets bootstrapped and permuted between
  the groups (:mod:`framing.stats.outlet_unit`).
- **within story**: where both sides cover the same stories (non-empty ``story``), the per-story
  difference (articles of one side in a story averaged; for labels, pooled) for each article
  feature and each entity's labelled share. Estimate = mean paired difference, bootstrap over
  stories, sign-flip permutation test (Fisher 1935; Good 2005, ch. 3), effect Cohen's d_z.

**Shared resamples.** Article-feature intervals resample articles within each outlet from one
index matrix per outlet, shared by every feature and contrast (a pooled side keeps its mix of
outlets: a bootstrap stratified by outlet; for one outlet it is the ordinary bootstrap). Contrasts
against the rest draw labels, voices and stance from resamples shared per measure
(:mod:`framing.stats.shared`); pair contrasts of those families keep their own draws per row.

``q`` is the Benjamini–Hochberg (1995) adjustment over every row of the table that has a ``p``.
Permutation p-values are exact when the relabellings can be enumerated within ``B``, otherwise
``(1 + b) / (1 + B)`` (Phipson & Smyth 2010). Intervals are at level ``1 - alpha``.
"""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from framing.stats.aggregate import Aggregates
from framing.stats.clustered import (
    label_clusters,
    label_rows,
    stance_clusters,
    stance_rows,
    voice_clusters,
    voice_rows,
)
from framing.stats.contrast import (
    COMPARISON_COLUMNS,
    REST,
    UNIT_ARTICLE,
    UNIT_STORY,
    few_note,
    new_row,
    paired_from_sums,
    small_note,
)
from framing.stats.design import (
    GROUP_LARGEST,
    GROUP_PAIRS,
    GROUP_REST,
    LARGEST_REST,
    ONE_VS_REST,
    PAIRS_MAX,
    REST_MAX,
    Design,
    OutletIndex,
    Side,
    choose_design,
    member_mask,
)
from framing.stats.inputs import (
    feature_columns,
    floats,
    join_notes,
    ok_articles,
)
from framing.stats.omnibus import across_rows
from framing.stats.outlet_unit import outlet_unit_rows
from framing.stats.resample import (
    BootCache,
    bh_qvalues,
    bootstrap_sums,
    check_resampling_options,
    cliffs_delta,
    cohens_h,
    cramers_v,
    nan_percentiles,
    rng_for,
)
from framing.stats.shared import SharedResamples

__all__ = [
    "COMPARISON_COLUMNS",
    "REST",
    "UNIT_STORY",
    "cliffs_delta",
    "cohens_h",
    "comparisons",
    "comparison_outlets",
    "comparisons_from_aggregates",
    "cramers_v",
]

logger = logging.getLogger(__name__)


@dataclass
class FeatureMatrix:
    """Article features as one matrix, and per-outlet bootstrap sums shared by every contrast.

    The bootstrap of a side draws articles with replacement *within each of its outlets* from one
    ``(B, n_outlet)`` index matrix per outlet (its generator keyed by the seed and the outlet), so
    every feature and every contrast that contains the outlet use the same resamples, and a pooled
    side (the rest, a group) keeps its mix of outlets fixed, as in the data (a stratified
    bootstrap). For a side of one outlet this is the ordinary bootstrap of its articles.
    """

    features: list[str]
    values: np.ndarray  # (n, F) floats, NaN = no value
    finite: np.ndarray  # (n, F) bool
    outlet: np.ndarray  # (n,) outlet names
    story_code: np.ndarray  # (n,) index into story_names, -1 = no story
    story_names: np.ndarray
    B: int
    seed: int
    _boot: dict  # the set of all outlets -> their (B, 2F) resampled total; ranks; outlet means
    index: OutletIndex
    _own: BootCache = field(default_factory=BootCache)  # outlet, or side's outlets -> (B, 2F) sums

    @classmethod
    def build(cls, arts: pd.DataFrame, feats: list[str], *, B: int, seed: int) -> FeatureMatrix:
        values = np.column_stack([floats(arts[f]) for f in feats]) if feats else np.zeros((len(arts), 0))
        stories = arts["story"].to_numpy().astype(str)
        names, code = np.unique(stories, return_inverse=True)
        code = np.where(stories == "", -1, code)
        outlet = arts["outlet"].to_numpy().astype(str)
        return cls(list(feats), values, np.isfinite(values), outlet, code, names, int(B), int(seed), {},
                   OutletIndex(outlet))

    def _outlet_boot(self, outlet: str) -> np.ndarray:
        """``(B, 2F)`` resampled sums of the outlet's values (NaN as 0) and of its value counts."""
        def make() -> np.ndarray:
            rows = self.index.rows(outlet)
            fin = self.finite[rows].astype(float)
            x0 = np.where(self.finite[rows], self.values[rows], 0.0)
            rng = rng_for(self.seed, "feature", outlet)
            return bootstrap_sums(np.hstack([x0, fin]), B=self.B, rng=rng)
        return self._own.get(outlet, make)

    def _sum_of(self, outlets: frozenset[str]):
        """Sum of the outlets' resampled sums, added in name order (0.0 for no outlet)."""
        if not outlets:
            return 0.0
        if len(outlets) == 1:  # not cached twice: the cache keeps the outlet's own
            return 0.0 + self._outlet_boot(next(iter(outlets)))
        return self._own.get(("side", outlets), lambda: sum((self._outlet_boot(o) for o in sorted(outlets)), 0.0))

    def pooled_ranks(self, j: int, every: frozenset[str]) -> np.ndarray:
        """Mid-ranks of feature ``j`` over every article with a value in the design (NaN elsewhere).

        For a contrast against the rest the two sides pool exactly these articles, so Cliff's
        delta comes from these ranks without ranking again per contrast (the same U statistic).
        """
        key = ("ranks", j)
        if key not in self._boot:
            from scipy.stats import rankdata

            used = self.finite[:, j] & member_mask(self.outlet, every)
            ranks = np.full(self.values.shape[0], np.nan)
            ranks[used] = rankdata(self.values[used, j])
            self._boot[key] = ranks
        return self._boot[key]

    def side_means(self, side: Side, every: frozenset[str]) -> np.ndarray:
        """``(B, F)`` bootstrap means of each feature over the side's resampled articles."""
        if len(side.outlets) > len(every) / 2:  # a large pooled side: all outlets minus the others
            if self._boot.get(every) is None:
                self._boot[every] = sum((self._outlet_boot(o) for o in sorted(every)), 0.0)
            sums = self._boot[every] - self._sum_of(every - side.outlets)
        else:
            sums = self._sum_of(frozenset(side.outlets))
        k = len(self.features)
        with np.errstate(divide="ignore", invalid="ignore"):
            return sums[:, :k] / np.round(sums[:, k:])


def feature_rows(fm: FeatureMatrix, a: Side, b: Side, every: frozenset[str], opts: dict) -> dict[str, list[dict]]:
    """Between-outlet rows (and within-story rows) of every article feature for one contrast."""
    in_a, in_b = fm.index.mask(a), fm.index.mask(b)
    out: dict[str, list[dict]] = {}
    boot = None
    for j, feature in enumerate(fm.features):
        values, fin = fm.values[:, j], fm.finite[:, j]
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
            out[feature] = [new_row(**base, note=f"no article with a value in {a.name if x.size == 0 else b.name}")]
            continue
        row = new_row(**base, estimate=float(x.mean() - y.mean()))
        small = small_note(
            x.size, y.size, a.name, b.name, "descriptive difference only (no interval, test or effect size)"
        )
        if small:
            row["note"] = small
        else:
            from scipy.stats import ttest_ind

            if boot is None:
                boot = fm.side_means(a, every) - fm.side_means(b, every)
            reps = boot[:, j]
            empty = int((~np.isfinite(reps)).sum())
            lo, hi = nan_percentiles(reps, [(1.0 - opts["ci"]) / 2.0, (1.0 + opts["ci"]) / 2.0])
            if b.name == REST:  # the sides pool every article with a value: ranks computed once
                u = float(fm.pooled_ranks(j, every)[in_a & fin].sum()) - x.size * (x.size + 1) / 2.0
                delta = float(2.0 * u / (x.size * y.size) - 1.0)
            else:
                delta = cliffs_delta(x, y)
            row.update(ci_low=float(lo), ci_high=float(hi), effect=delta, effect_kind="Cliff's delta")
            notes = [few_note(x.size, y.size)]
            if empty:
                notes.append(f"{empty} of {reps.size} resamples drew no article with a value")
            if np.ptp(x) == 0 and np.ptp(y) == 0:
                notes.append("no variation within either side: Welch t-test undefined")
            else:
                with warnings.catch_warnings(record=True) as caught:
                    warnings.simplefilter("always", RuntimeWarning)
                    p = float(ttest_ind(x, y, equal_var=False).pvalue)
                if any("precision loss" in str(w.message).lower() for w in caught):
                    notes.append("values nearly identical: scipy warned of precision loss, p may be unreliable")
                row.update(test="Welch t-test (two-sided)", p=p)
            row["note"] = join_notes(*notes)
        used = fin & (fm.story_code >= 0)
        k = fm.story_names.size
        ma, mb = in_a & used, in_b & used
        out[feature] = [row] + paired_from_sums(
            np.bincount(fm.story_code[ma], weights=values[ma], minlength=k),
            np.bincount(fm.story_code[ma], minlength=k),
            np.bincount(fm.story_code[mb], weights=values[mb], minlength=k),
            np.bincount(fm.story_code[mb], minlength=k),
            row, "feature", opts,
        )
    return out


REST_KINDS = (ONE_VS_REST, GROUP_REST, LARGEST_REST, GROUP_LARGEST)
GROUP_KINDS = (GROUP_PAIRS, GROUP_REST, GROUP_LARGEST)


def _shared(pre, x: np.ndarray, keep: np.ndarray, contrasts, every: frozenset, opts: dict):
    """Shared resamples of one measure for the contrasts against the rest (None without any)."""
    rest = [a for a, _, kind in contrasts if kind in REST_KINDS]
    if not rest:
        return None
    keep = keep & member_mask(pre.outlet, every)
    outlet = pre.outlet[keep]
    per_outlet = pd.Series(outlet).value_counts().to_dict()
    sizes = [sum(int(per_outlet.get(o, 0)) for o in a.outlets) for a in rest]
    return SharedResamples(x[keep], outlet, pre.key, B=opts["B"], seed=opts["seed"], side_sizes=sizes)


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
    compare: list[str] | None = None,
    groups: dict[str, str] | None = None,
    pairs_max: int = PAIRS_MAX,
    rest_max: int | None = REST_MAX,
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
        compare: Outlets (or groups, with ``groups``) to compare pair by pair; default: the design
            of :func:`framing.stats.design.choose_design` (all pairs up to ``pairs_max`` outlets,
            otherwise each outlet against the rest).
        groups: Outlet -> group: compare groups of outlets instead of outlets.
        pairs_max: Most outlets (groups) for which every pair is compared by default.
        rest_max: Most outlets (groups) each compared with the rest by default; above it the
            ``rest_max`` with the most ok articles (None: every one).

    Returns:
        feature, outlet_a, outlet_b, estimate, effect, effect_kind, ci_low, ci_high, test, p, q,
        n_a, n_b, unit, note, family, articles_a, articles_b. ``n_a``/``n_b`` count the ``unit``
        (articles, mentions, quoted words or shared stories); ``articles_*`` count the clusters.
    """
    check_resampling_options(B=B, seed=seed, ci=1.0 - alpha)
    agg = Aggregates.from_tables(mentions, quotes, stance, only=("labels", "voices", "stance"))
    arts = ok_articles(articles) if len(articles) else pd.DataFrame(columns=["id", "outlet", "story"])
    design = choose_design(comparison_outlets(arts, agg), compare=compare, groups=groups, pairs_max=pairs_max,
                           rest_max=rest_max, sizes=arts["outlet"].astype(str).value_counts().to_dict())
    return comparisons_from_aggregates(articles, agg, features=features, B=B, seed=seed, alpha=alpha,
                                       min_stories=min_stories, design=design)


def comparison_outlets(arts: pd.DataFrame, agg: Aggregates) -> list[str]:
    """Every outlet with an ok article or a row in the per-article aggregates, sorted."""
    outlets = set(arts["outlet"].astype(str))
    for df in (agg.labels, agg.voices, agg.stance):
        if len(df):
            outlets |= set(df["outlet"].astype(str))
    return sorted(outlets)


def comparisons_from_aggregates(
    articles: pd.DataFrame,
    agg: Aggregates,
    *,
    features: list[str] | None = None,
    B: int,
    seed: int,
    alpha: float,
    min_stories: int = 5,
    design: Design | None = None,
) -> pd.DataFrame:
    """:func:`comparisons` from per-article aggregates (:class:`framing.stats.aggregate.Aggregates`).

    ``design`` (default: :func:`~framing.stats.design.choose_design` of the outlets present)
    says which contrasts are made; each row's ``design`` column names its kind.
    """
    if min_stories < 2:
        raise ValueError(f"min_stories must be at least 2, got {min_stories!r}")
    opts = {"B": int(B), "seed": int(seed), "ci": 1.0 - alpha, "min_stories": int(min_stories)}
    arts = ok_articles(articles) if len(articles) else pd.DataFrame(columns=["id", "outlet", "story"])
    ments = agg.labels if len(agg.labels) else None
    q = agg.voices if len(agg.voices) else None
    st = agg.stance if len(agg.stance) else None
    if design is None:
        design = choose_design(comparison_outlets(arts, agg), sizes=arts["outlet"].astype(str).value_counts().to_dict())
    feats = list(features) if features is not None else [
        f for f in feature_columns(arts) if arts[f].nunique(dropna=True) > 1
    ]
    story_of = dict(zip(arts["id"], arts["story"], strict=True))
    labels = [label_clusters(g, story_of) for _, g in ments.groupby(["entity", "label_set"], sort=True)] \
        if ments is not None else []
    voices = voice_clusters(q) if q is not None and len(q) else None
    stances = stance_clusters(st) if st is not None else []
    contrasts = design.contrasts
    rows: list[dict] = []
    fm = FeatureMatrix.build(arts, feats, B=opts["B"], seed=opts["seed"])
    if design.across:  # one row per measure over every outlet (group) first: do they differ at all?
        rows += across_rows(fm, labels, voices, stances, design.across, design.across_kind)

    def tagged(new: list[dict], kind: str) -> list[dict]:
        for row in new:
            row["design"] = kind
        return new

    by_feature: dict[str, list[dict]] = {f: [] for f in feats}
    every = frozenset().union(*(s.outlets for c in contrasts for s in c[:2])) if contrasts else frozenset()
    for a, b, kind in contrasts:  # per-outlet resamples shared by every feature and contrast
        by_outlet = outlet_unit_rows(fm, a, b, opts) if kind in GROUP_KINDS else {}
        for feature, new in feature_rows(fm, a, b, every, opts).items():
            by_feature[feature] += tagged(new + by_outlet.get(feature, []), kind)
    for feature in feats:
        rows += by_feature[feature]
    for pre in labels:
        shared = _shared(pre, pre.counts, np.ones(len(pre.outlet), bool), contrasts, every, opts)
        for a, b, kind in contrasts:
            rows += tagged(label_rows(pre, a, b, opts, shared if kind in REST_KINDS else None), kind)
    if voices is not None:
        shared = _shared(voices, voices.counts, voices.counts.sum(axis=1) > 0, contrasts, every, opts)
        for a, b, kind in contrasts:
            rows += tagged(voice_rows(voices, a, b, opts, shared if kind in REST_KINDS else None), kind)
    by_contrast: list[list[dict]] = [[] for _ in contrasts]
    for pre in stances:  # one measure at a time (its shared resamples are then freed) ...
        shared = _shared(pre, pre.counts, np.ones(len(pre.outlet), bool), contrasts, every, opts)
        for c, (a, b, kind) in enumerate(contrasts):
            by_contrast[c] += tagged(stance_rows(pre, a, b, opts, shared if kind in REST_KINDS else None), kind)
    for part in by_contrast:  # ... rows in table order: contrast, then entity and voice
        rows += part
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
