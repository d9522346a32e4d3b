"""Outlet summaries with intervals: article features, label choices, variants, voices, stance.

Pure functions from the pipeline's tidy tables (see DESIGN.md) to tidy summary tables. The unit is
stated, never implied:

- article features (``<family>.<feature>`` columns of ``articles``) are summarised over articles,
  with a percentile bootstrap interval over articles (Efron & Tibshirani 1993, ch. 13);
- mentions, quotes and stance rows are clustered within articles, so their shares and means are
  ratio estimators (summed over articles) with a cluster bootstrap over articles (Field & Welsh
  2007, JRSS-B 69(3)): articles are resampled within an outlet and the share recomputed.

Where a figure cannot be computed it is NaN and ``note`` says why. Nothing is rounded here.
Comparisons between outlets live in :mod:`framing.stats.compare`.
"""

from __future__ import annotations

import logging
import math
import warnings
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from framing.stats.aggregate import (
    Aggregates,
    label_counts,
    stance_sums,
    variant_counts,
    voice_words,
)
from framing.stats.compare import comparisons_from_aggregates
from framing.stats.design import Design
from framing.stats.inputs import (
    ALL_VOICES,
    article_counts,
    empty_table,
    feature_columns,
    floats,
    join_notes,
    ok_articles,
    require_columns,
    text,
)
from framing.stats.resample import (
    FEW_ARTICLES,
    bootstrap_ratio,
    bootstrap_sums,
    check_resampling_options,
    nan_percentiles,
    percentile_interval,
    rng_for,
    wilson_interval,
)
from framing.tables import columns

__all__ = [
    "FEW_ARTICLES",
    "LABEL_CHOICES_COLUMNS",
    "OUTLET_SUMMARY_COLUMNS",
    "STANCE_SUMMARY_COLUMNS",
    "VARIANTS_COLUMNS",
    "VOICES_COLUMNS",
    "feature_columns",
    "label_choices",
    "ok_articles",
    "outlet_summary",
    "stance_summary",
    "SUMMARY_ORDER",
    "comparison_tables",
    "summarize",
    "summary_tables",
    "variants",
    "voices",
]

logger = logging.getLogger(__name__)

# fmt: off
OUTLET_SUMMARY_COLUMNS = columns("outlet_summary")
LABEL_CHOICES_COLUMNS = columns("label_choices")
VARIANTS_COLUMNS = columns("variants")
VOICES_COLUMNS = columns("voices")
STANCE_SUMMARY_COLUMNS = columns("stance_summary")
# fmt: on

_ONE_ARTICLE = "n = 1 article: no between-article variation, so no bootstrap interval"


def _few_note(k: int, *, kind: str = "cluster-bootstrap") -> str:
    """A warning for 2 to ``FEW_ARTICLES - 1`` articles, else ""."""
    return f"only {k} articles: {kind} interval likely too narrow" if 2 <= k < FEW_ARTICLES else ""


def outlet_summary(
    articles: pd.DataFrame,
    *,
    features: Iterable[str] | None = None,
    B: int = 2000,
    seed: int = 0,
    ci: float = 0.95,
) -> pd.DataFrame:
    """Mean, sd, median and a bootstrap interval of each article feature, per outlet.

    The interval is the percentile bootstrap of the mean over articles (Efron & Tibshirani 1993,
    "An Introduction to the Bootstrap", ch. 13), ``B`` resamples of the outlet's articles, seeded
    per outlet and shared by its features (one resample matrix an outlet, so hundreds of outlets
    cost hundreds of draws, not outlets x features). Articles without a value (NaN, inf) are left
    out of the mean and counted in ``note``; a resample's mean is over its articles with a value.

    Args:
        articles: The articles table; only ``status == "ok"`` rows count.
        features: Columns to summarise; default every numeric ``<family>.<feature>`` column.
        B: Bootstrap resamples.
        seed: Seed; with the same inputs the table is identical.
        ci: Confidence level of the interval.

    Returns:
        One row per outlet x feature: outlet, feature, n, mean, sd, median, ci_low, ci_high, note.
    """
    check_resampling_options(B=B, seed=seed, ci=ci)
    if len(articles) == 0:
        return empty_table(OUTLET_SUMMARY_COLUMNS)
    arts = ok_articles(articles)
    feats = list(features) if features is not None else feature_columns(arts)
    require_columns(arts, feats, "articles")
    rows = []
    matrix = np.column_stack([floats(arts[f]) for f in feats]) if feats else np.zeros((len(arts), 0))
    outlet_of = arts["outlet"].to_numpy()
    k = len(feats)
    q = [(1.0 - ci) / 2.0, (1.0 + ci) / 2.0]
    for outlet in sorted(arts["outlet"].unique()):
        block = matrix[outlet_of == outlet]  # one slice per outlet, not one pandas lookup per feature
        finite = np.isfinite(block)
        lows = highs = np.full(k, math.nan)
        if block.shape[0] >= 2 and k:  # one resample matrix per outlet, shared by its features
            sums = bootstrap_sums(np.hstack([np.where(finite, block, 0.0), finite]), B=B,
                                  rng=rng_for(seed, "summary", outlet))
            with np.errstate(divide="ignore", invalid="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)  # a resample with no value in a column
                lows, highs = nan_percentiles(sums[:, :k] / sums[:, k:], q)
        for j, feature in enumerate(feats):
            x = block[:, j]
            missing = int((~finite[:, j]).sum())
            x = x[finite[:, j]]
            n = x.size
            row = {
                "outlet": outlet,
                "feature": feature,
                "n": n,
                "mean": math.nan,
                "sd": math.nan,
                "median": math.nan,
                "ci_low": math.nan,
                "ci_high": math.nan,
            }
            gap = f"{missing} of {block.shape[0]} articles have no value (left out)" if missing else ""
            if n == 0:
                row["note"] = join_notes("no article in this outlet has a value", gap)
            else:
                row.update(mean=float(x.mean()), median=float(np.median(x)))
                if n == 1:
                    row["note"] = join_notes("n = 1 article: no sd or interval", gap)
                else:
                    row["sd"] = float(x.std(ddof=1))
                    row.update(ci_low=float(lows[j]), ci_high=float(highs[j]))
                    row["note"] = join_notes(_few_note(n, kind="bootstrap"), gap)
            rows.append(row)
    return pd.DataFrame(rows, columns=list(OUTLET_SUMMARY_COLUMNS))


def label_choices(mentions: pd.DataFrame, *, B: int = 2000, seed: int = 0, ci: float = 0.95) -> pd.DataFrame:
    """Share of an entity's mentions carrying each label, per outlet, including no label ("").

    For each entity and label set, the labels reported are those used by any outlet, plus "" (the
    mention carries no label from the set), so an outlet's zero is a row, not a gap. ``share`` is
    mentions with the label / mentions of the entity in the outlet (a ratio estimator over
    articles). Mentions whose ``label_set`` is empty (the entity has no label set) are skipped.

    Two intervals, each named by its columns:

    - ``ci_low``/``ci_high``: cluster bootstrap over articles (articles of the outlet that mention
      the entity are resampled and the share recomputed; Field & Welsh 2007). It needs at least
      two articles; with one, it is NaN and ``note`` says so.
    - ``wilson_low``/``wilson_high``: Wilson (1927) score interval at mention level. It treats
      mentions as independent, which understates uncertainty when an article repeats its label;
      it is given for every row so a single-article outlet still has an interval that is labelled
      as what it is.

    Returns:
        outlet, entity, label_set, label, n, share, ci_low, ci_high, n_mentions, n_articles,
        wilson_low, wilson_high, note; sorted by entity, label_set, outlet, label.
    """
    check_resampling_options(B=B, seed=seed, ci=ci)
    return _label_choices(label_counts(mentions), B=B, seed=seed, ci=ci)


def _label_choices(ments: pd.DataFrame, *, B: int, seed: int, ci: float) -> pd.DataFrame:
    """:func:`label_choices` from per-article label counts (:func:`framing.stats.aggregate.label_counts`)."""
    if len(ments) == 0:
        return empty_table(LABEL_CHOICES_COLUMNS)
    rows = []
    for (entity, label_set), group in ments.groupby(["entity", "label_set"], sort=True):
        labels = sorted(set(group["label"]) | {""})
        ids, all_counts = article_counts(group, "label", labels, weight="n")  # once per entity
        outlet_of = group.groupby("article_id", sort=True)["outlet"].first().reindex(ids).to_numpy()
        for outlet in sorted(group["outlet"].unique()):
            counts = all_counts[outlet_of == outlet]
            den = counts.sum(axis=1)
            total, k = float(den.sum()), counts.shape[0]
            if k >= 2:
                reps = bootstrap_ratio(
                    counts, den, B=B, rng=rng_for(seed, "labels", entity, label_set, outlet)
                )
                lows, highs = percentile_interval(reps, ci)
            else:
                lows = highs = np.full(len(labels), math.nan)
            for j, label in enumerate(labels):
                n = float(counts[:, j].sum())
                w_lo, w_hi = wilson_interval(n, total, ci)
                rows.append(
                    {
                        "outlet": outlet,
                        "entity": entity,
                        "label_set": label_set,
                        "label": label,
                        "n": int(n),
                        "share": n / total,
                        "ci_low": float(lows[j]),
                        "ci_high": float(highs[j]),
                        "n_mentions": int(total),
                        "n_articles": k,
                        "wilson_low": w_lo,
                        "wilson_high": w_hi,
                        "note": _ONE_ARTICLE + "; the Wilson interval treats mentions as independent"
                        if k == 1
                        else _few_note(k),
                    }
                )
    return pd.DataFrame(rows, columns=list(LABEL_CHOICES_COLUMNS))


def variants(mentions: pd.DataFrame) -> pd.DataFrame:
    """Spelling variants of each entity, per outlet: count and share of the entity's mentions.

    Variants seen in any outlet are listed for every outlet that mentions the entity (zero counts
    included). Mentions inside quotes count too (the spelling is the outlet's choice); anaphora
    rows (no entity) do not. Descriptive only.

    Returns:
        outlet, entity, variant, n, share; sorted by entity, outlet, variant.
    """
    return _variants(variant_counts(mentions))


def _variants(counts: pd.DataFrame) -> pd.DataFrame:
    """:func:`variants` from mention counts per outlet, entity and variant."""
    if len(counts) == 0:
        return empty_table(VARIANTS_COLUMNS)
    keys = {c: counts[c].astype(str) for c in ("entity", "outlet", "variant")}  # text order, not category order
    n = counts.assign(**keys).groupby(["entity", "outlet", "variant"], sort=True)["n"].sum()
    outlets = n.index.droplevel("variant").unique().to_frame(index=False)
    names = n.index.droplevel("outlet").unique().to_frame(index=False)
    grid = outlets.merge(names, on="entity").sort_values(["entity", "outlet", "variant"], kind="mergesort")
    grid = grid.merge(n.rename("n").reset_index(), on=["entity", "outlet", "variant"], how="left")
    grid["n"] = grid["n"].fillna(0).astype(int)
    totals = grid.groupby(["entity", "outlet"], sort=False)["n"].transform("sum")
    grid["share"] = grid["n"] / totals
    return grid.reindex(columns=list(VARIANTS_COLUMNS)).reset_index(drop=True)


def voices(quotes: pd.DataFrame, *, B: int = 2000, seed: int = 0, ci: float = 0.95) -> pd.DataFrame:
    """Whose words an outlet quotes: quotes and quoted words per voice, per outlet.

    Scare quotes (``kind == "scare"``) are not speech and are left out; so are nested rows (the
    quoted words inside an indirect quote, ``nested`` true), so each quoted word counts once, under
    the quotation that holds it. ``share_words`` is the
    voice's quoted words / all quoted words in the outlet; the unit is the quoted word, clustered
    by article, so ``ci_low``/``ci_high`` come from a cluster bootstrap over the articles that
    quote anyone (Field & Welsh 2007). Voices seen in any outlet are listed for every outlet
    (zeros included). An unresolved voice is "".

    Returns:
        outlet, voice, n_quotes, quoted_words, share_words, ci_low, ci_high, n_articles, note.
    """
    check_resampling_options(B=B, seed=seed, ci=ci)
    return _voices(voice_words(quotes), B=B, seed=seed, ci=ci)


def _voices(q: pd.DataFrame, *, B: int, seed: int, ci: float) -> pd.DataFrame:
    """:func:`voices` from quotes and quoted words per article and voice."""
    if len(q) == 0:
        return empty_table(VOICES_COLUMNS)
    names = sorted(q["voice"].unique())
    rows = []
    for outlet in sorted(q["outlet"].unique()):
        sub = q[q["outlet"] == outlet]
        _, words = article_counts(sub, "voice", names, weight="n_words")
        n_quotes = sub.groupby("voice")["n_quotes"].sum()
        den = words.sum(axis=1)
        keep = den > 0
        words, den = words[keep], den[keep]
        total, k = float(den.sum()), int(keep.sum())
        lows = highs = np.full(len(names), math.nan)
        if k >= 2:
            reps = bootstrap_ratio(words, den, B=B, rng=rng_for(seed, "voices", outlet))
            lows, highs = percentile_interval(reps, ci)
        note = "the outlet's quotes carry no words" if k == 0 else _ONE_ARTICLE if k == 1 else _few_note(k)
        for j, voice in enumerate(names):
            w = float(words[:, j].sum())
            rows.append(
                {
                    "outlet": outlet,
                    "voice": voice,
                    "n_quotes": int(n_quotes.get(voice, 0)),
                    "quoted_words": w,
                    "share_words": w / total if total > 0 else math.nan,
                    "ci_low": float(lows[j]),
                    "ci_high": float(highs[j]),
                    "n_articles": k,
                    "note": note,
                }
            )
    return pd.DataFrame(rows, columns=list(VOICES_COLUMNS))


def stance_summary(stance: pd.DataFrame, *, B: int = 2000, seed: int = 0, ci: float = 0.95) -> pd.DataFrame:
    """Net stance towards each entity, per outlet and voice, with a cluster-bootstrap interval.

    Net stance of a mention is ``p_pos - p_neg`` (in [-1, 1]); an outlet's net stance is the mean
    over its mentions of the entity (a ratio estimator over articles). The interval resamples
    articles within the outlet (Field & Welsh 2007). ``voice`` is each voice in the table
    (authorial, quoted) and ``"all"``.

    Returns:
        outlet, entity, voice, n, net_stance, ci_low, ci_high, n_articles, note.
    """
    check_resampling_options(B=B, seed=seed, ci=ci)
    return _stance_summary(stance_sums(stance), B=B, seed=seed, ci=ci)


def _stance_parts(sums: pd.DataFrame):
    """``(outlet, entity, voice, (net sums, mentions))`` per article, in the order of :func:`stance_voices` per
    outlet and entity, from two groupbys over the whole table (not one per outlet and entity)."""
    cols = ["outlet", "entity", "voice", "article_id", "n", "net_sum"]
    pooled = sums.groupby(["outlet", "entity", "article_id"], sort=True).agg(
        n=("n", "sum"), net_sum=("net_sum", "sum")).reset_index().assign(voice=ALL_VOICES)
    both = pd.concat([sums[cols].assign(_pooled=False), pooled[cols].assign(_pooled=True)], ignore_index=True)
    both = both.sort_values(["outlet", "entity", "_pooled", "voice"], kind="stable", ignore_index=True)
    keys = both[["outlet", "entity", "_pooled", "voice"]]
    starts = np.flatnonzero(np.r_[True, (keys.iloc[1:].to_numpy() != keys.iloc[:-1].to_numpy()).any(axis=1)])
    bounds = np.r_[starts, len(both)]
    outlet, entity, voice = (both[c].to_numpy() for c in ("outlet", "entity", "voice"))
    num, den = both["net_sum"].to_numpy(dtype=float), both["n"].to_numpy(dtype=float)
    for a, b in zip(bounds[:-1], bounds[1:], strict=True):  # numpy slices, not a DataFrame per group
        yield outlet[a], entity[a], voice[a], (num[a:b], den[a:b])


def _stance_summary(sums: pd.DataFrame, *, B: int, seed: int, ci: float) -> pd.DataFrame:
    """:func:`stance_summary` from per-article stance sums (:func:`framing.stats.aggregate.stance_sums`)."""
    if len(sums) == 0:
        return empty_table(STANCE_SUMMARY_COLUMNS)
    rows = []
    for outlet, entity, voice, (num, den) in _stance_parts(sums):
        k = len(num)
        lo = hi = math.nan
        if k >= 2:
            reps = bootstrap_ratio(num, den, B=B, rng=rng_for(seed, "stance", outlet, entity, voice))
            lo, hi = (float(v) for v in percentile_interval(reps, ci))
        rows.append(
            {
                "outlet": outlet,
                "entity": entity,
                "voice": voice,
                "n": int(den.sum()),
                "net_stance": float(num.sum() / den.sum()),
                "ci_low": lo,
                "ci_high": hi,
                "n_articles": k,
                "note": _ONE_ARTICLE if k == 1 else _few_note(k),
            }
        )
    return pd.DataFrame(rows, columns=list(STANCE_SUMMARY_COLUMNS))


def summarize(
    tables: Mapping[str, pd.DataFrame],
    *,
    B: int = 2000,
    seed: int = 0,
    alpha: float = 0.05,
    aggregates: Aggregates | None = None,
    design: Design | None = None,
) -> dict[str, pd.DataFrame]:
    """Every summary and the comparisons from whichever input tables exist.

    Args:
        tables: Any of ``articles``, ``mentions``, ``quotes``, ``stance``; missing or empty tables
            give empty outputs with their headers.
        B: Bootstrap resamples and permutations.
        seed: Seed.
        alpha: Significance level for comparisons; every interval is at level ``1 - alpha``.
        aggregates: The long tables already reduced to per-article sums (as
            :meth:`framing.stats.aggregate.Aggregates.from_parts` makes them from disk, leaving out
            failed articles); when given, ``tables`` needs only ``articles``.
        design: Contrasts of the comparisons (:func:`framing.stats.design.choose_design`);
            default: the design chosen from the outlets present.

    Returns:
        ``outlet_summary``, ``label_choices``, ``variants``, ``voices``, ``comparisons``,
        ``stance_summary``.
    """
    check_resampling_options(B=B, seed=seed, ci=1.0 - alpha)
    articles = tables.get("articles")
    articles = articles if articles is not None else pd.DataFrame()
    if aggregates is None:
        failed: set[str] = set()
        if len(articles) and {"id", "status"} <= set(articles.columns):
            failed = set(text(articles["id"])[text(articles["status"]) != "ok"])

        def get(name: str) -> pd.DataFrame:  # rows of articles that failed to process are left out
            df = tables.get(name)
            if df is None or len(df) == 0:
                return pd.DataFrame()
            if failed and "article_id" in df.columns:
                df = df[~text(df["article_id"]).isin(failed)]
            return df

        aggregates = Aggregates.from_tables(get("mentions"), get("quotes"), get("stance"))
    ci = 1.0 - alpha
    agg = aggregates
    here = summary_tables(articles, agg, B=B, seed=seed, ci=ci)
    there = comparison_tables(articles, agg, B=B, seed=seed, alpha=alpha, design=design)
    tables = {**here, **there}
    return {name: tables[name] for name in SUMMARY_ORDER}


#: The tables of :func:`summarize`, in order.
SUMMARY_ORDER = ("outlet_summary", "label_choices", "variants", "voices", "comparisons", "stance_summary")


#: The aggregates each half of :func:`summarize` reads (:meth:`Aggregates.from_parts` ``only=``).
SUMMARY_AGGREGATES = ("variants", "voices", "stance")
COMPARISON_AGGREGATES = ("labels", "voices", "stance")


def summary_tables(articles, agg: Aggregates, *, B: int, seed: int, ci: float) -> dict[str, pd.DataFrame]:
    """``outlet_summary``, ``variants``, ``voices`` and ``stance_summary`` (one half of :func:`summarize`)."""
    return {
        "outlet_summary": outlet_summary(articles, B=B, seed=seed, ci=ci),
        "variants": _variants(agg.variants),
        "voices": _voices(agg.voices, B=B, seed=seed, ci=ci),
        "stance_summary": _stance_summary(agg.stance, B=B, seed=seed, ci=ci),
    }


def comparison_tables(articles, agg: Aggregates, *, B: int, seed: int, alpha: float,
                       design: Design | None) -> dict[str, pd.DataFrame]:
    """``label_choices`` and ``comparisons`` (the other half of :func:`summarize`)."""
    return {
        "label_choices": _label_choices(agg.labels, B=B, seed=seed, ci=1.0 - alpha),
        "comparisons": comparisons_from_aggregates(articles, agg, B=B, seed=seed, alpha=alpha, design=design),
    }
