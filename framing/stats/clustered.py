"""Comparison rows for mention- and quote-level measures, clustered by article.

Label choices (share labelled, each label's share, Cramér's V of the distribution), voices (share
of quoted words) and net stance. See :mod:`framing.stats.compare` for the methods and their references;
this module only builds the rows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from framing.stats.contrast import (
    UNIT_MENTION,
    UNIT_WORD,
    clustered_difference,
    few_note,
    new_row,
    p_text,
    paired_rows,
    small_note,
    story_ratio,
)
from framing.stats.design import OutletIndex, Side
from framing.stats.inputs import article_counts, join_notes, stance_voices
from framing.stats.resample import (
    bootstrap_ratio,
    cluster_permutation_p,
    cohens_h,
    cramers_v,
    percentile_interval,
    rng_for,
)
from framing.stats.shared import SharedResamples

__all__ = [
    "Clusters",
    "label_clusters",
    "label_rows",
    "stance_clusters",
    "stance_rows",
    "voice_clusters",
    "voice_rows",
]

#: Pooled variances below this are rounding residue of sums of squares: net stance does not vary.
_VARIANCE_FLOOR = 1e-12


@dataclass(frozen=True)
class Clusters:
    """Per-article arrays of one measure, built once and shared by every contrast.

    Attributes:
        key: What the arrays are of (entity and label set, or entity and voice).
        categories: Column names of ``counts``.
        counts: ``(n, k)`` per-article totals (labels, voices) or ``(n, 2)`` net-stance sums.
        outlet: ``(n,)`` outlet of each article.
        stories: ``(n,)`` story of each article ("" = none).
        extra: ``(n,)`` optional third array (net stance: sum of squares).
    """

    key: tuple[str, ...]
    categories: tuple[str, ...]
    counts: np.ndarray
    outlet: np.ndarray
    stories: np.ndarray
    extra: np.ndarray | None = None

    def members(self, side: Side) -> np.ndarray:
        """Boolean mask of the articles of ``side``."""
        index = self.__dict__.get("_index")
        if index is None:
            index = OutletIndex(self.outlet)
            object.__setattr__(self, "_index", index)
        return index.mask(side)


def label_clusters(group: pd.DataFrame, story_of: dict) -> Clusters:
    """Per-article label counts of one entity and label set (one groupby, shared by contrasts)."""
    entity, label_set = group["entity"].iat[0], group["label_set"].iat[0]
    labels = sorted(set(group["label"]) | {""})
    ids, counts = article_counts(group, "label", labels, weight="n")
    outlet_of = group.groupby("article_id", sort=True)["outlet"].first().reindex(ids).to_numpy()
    stories = np.array([story_of.get(i, "") for i in ids], dtype=object)
    return Clusters((entity, label_set), tuple(labels), counts, outlet_of, stories)


def label_rows(pre: Clusters, a: Side, b: Side, opts: dict, shared: SharedResamples | None = None) -> list[dict]:
    """Rows for one entity and label set: labelled share (+ within story), each label, distribution.

    ``shared`` (for a contrast against the rest): resamples of ``pre.counts`` shared by every such
    contrast (:mod:`framing.stats.shared`).
    """
    entity, label_set = pre.key
    labels = list(pre.categories)
    counts, stories = pre.counts, pre.stories
    in_a, in_b = pre.members(a), pre.members(b)
    ca, cb = counts[in_a], counts[in_b]
    ka, kb = ca.shape[0], cb.shape[0]
    head = f"{entity} | {label_set}"
    base = {
        "outlet_a": a.name,
        "outlet_b": b.name,
        "family": "label choice",
        "unit": UNIT_MENTION,
        "n_a": int(ca.sum()),
        "n_b": int(cb.sum()),
        "articles_a": ka,
        "articles_b": kb,
    }
    if ka == 0 or kb == 0:
        return [
            new_row(
                **base,
                feature=f"labelled share | {head}",
                note=f"{a.name if ka == 0 else b.name} never mentions {entity}",
            )
        ]
    named = [lab for lab in labels if lab]
    titles = ["labelled share"]
    columns = [np.array([lab != "" for lab in labels], dtype=float)]
    if len(named) > 1:  # with a single label its share is the labelled share: no duplicate test
        titles += [f"label share: {lab}" for lab in named]
        columns += [np.array([lab == name for lab in labels], dtype=float) for name in named]
    targets = np.column_stack(columns)  # labels x targets
    xa, xb, den_a, den_b = ca @ targets, cb @ targets, ca.sum(axis=1), cb.sum(axis=1)
    small = small_note(
        ka, kb, a.name, b.name, "no interval; the test is at mention level and treats mentions as independent"
    )
    if not small and shared is not None:
        def share(sums):
            return (sums @ targets) / sums.sum(axis=1, keepdims=True)

        tested = shared.difference(a, b, share, ci=opts["ci"], test="permutation over articles (difference in share)")
    elif not small:
        tested = clustered_difference(
            xa,
            den_a,
            xb,
            den_b,
            key=("label", head, a.name, b.name),
            opts=opts,
            test="permutation over articles (difference in share)",
        )
    rows = []
    for j, title in enumerate(titles):
        sa, sb = xa[:, j].sum(), xb[:, j].sum()
        pa, pb = sa / den_a.sum(), sb / den_b.sum()
        row = new_row(
            **base,
            feature=f"{title} | {head}",
            estimate=float(pa - pb),
            effect=cohens_h(pa, pb),
            effect_kind="Cohen's h",
        )
        if small:
            from scipy.stats import fisher_exact

            table = np.array([[sa, den_a.sum() - sa], [sb, den_b.sum() - sb]], dtype=np.int64)
            row.update(
                p=float(fisher_exact(table).pvalue),
                test="Fisher exact, two-sided (mention level)",
                note=small,
            )
        else:
            row.update(tested[j], note=few_note(ka, kb))
        if j == 0 and len(named) == 1:
            row["note"] = join_notes(
                row["note"], f"the only label used is {named[0]!r}: this is also its share"
            )
        rows.append(row)
        if j == 0:
            rows += paired_rows(
                story_ratio(xa[:, 0], den_a, stories[in_a]),
                story_ratio(xb[:, 0], den_b, stories[in_b]),
                row,
                "label",
                opts,
            )
    if len(labels) >= 3:
        rows.append(_distribution_row(ca, cb, base, head, a, b, small, opts, shared))
    return rows


def _distribution_row(ca, cb, base, head, a, b, small, opts, shared=None) -> dict:
    """Cramér's V of the side x label table; p from relabelling articles (or mentions if n = 1)."""
    ta, tb = ca.sum(axis=0), cb.sum(axis=0)
    v = float(cramers_v(ta[None, :], tb[None, :])[0])
    row = new_row(
        **base, feature=f"label distribution | {head}", estimate=v, effect=v, effect_kind="Cramér's V"
    )
    rng = rng_for(opts["seed"], "labels-dist", head, a.name, b.name)
    if small:  # each mention is its own unit: one-hot label rows, relabelled between the sides
        k = np.arange(ta.size)
        which = np.r_[np.repeat(k, ta.astype(int)), np.repeat(k, tb.astype(int))]
        flags = np.r_[np.ones(int(ta.sum()), bool), np.zeros(int(tb.sum()), bool)]
        p, exact = cluster_permutation_p(
            np.eye(ta.size)[which], np.ones(flags.size), flags, statistic="chi2", B=opts["B"], rng=rng
        )
        row.update(
            p=p,
            test=p_text("chi-square, permutation over mentions (mention level)", exact, opts["B"]),
            note=join_notes(small, "estimate is Cramér's V (no single difference for k labels)"),
        )
        return row
    ka, kb = ca.shape[0], cb.shape[0]  # resampled tables: mean per article x articles = sums
    if shared is not None:
        boot_a, boot_b = shared.boot(a), shared.boot(b)
        p = shared.chi2_p(a)
        test = f"chi-square, permutation over articles, {opts['B']} random relabellings (shared by the contrasts against the rest)"
    else:
        boot_a = bootstrap_ratio(ca, np.ones(ka), B=opts["B"], rng=rng) * ka
        boot_b = bootstrap_ratio(cb, np.ones(kb), B=opts["B"], rng=rng) * kb
        in_a = np.r_[np.ones(ca.shape[0], bool), np.zeros(cb.shape[0], bool)]
        p, exact = cluster_permutation_p(
            np.vstack([ca, cb]), np.ones(in_a.size), in_a, statistic="chi2", B=opts["B"], rng=rng
        )
        test = p_text("chi-square, permutation over articles", exact, opts["B"])
    lo, hi = percentile_interval(cramers_v(boot_a, boot_b), opts["ci"])
    row.update(
        ci_low=float(lo),
        ci_high=float(hi),
        p=p,
        test=test,
        note=join_notes(
            few_note(ca.shape[0], cb.shape[0]),
            "estimate is Cramér's V (no single difference for k labels); V is biased upwards",
        ),
    )
    return row


def voice_clusters(q: pd.DataFrame) -> Clusters:
    """Per-article quoted words of each voice (one groupby, shared by contrasts)."""
    names = sorted(q["voice"].unique())
    ids, words = article_counts(q, "voice", names, weight="n_words")
    outlet_of = q.groupby("article_id", sort=True)["outlet"].first().reindex(ids).to_numpy()
    return Clusters(("voice",), tuple(names), words, outlet_of, np.full(len(ids), "", dtype=object))


def voice_rows(pre: Clusters, a: Side, b: Side, opts: dict, shared: SharedResamples | None = None) -> list[dict]:
    """One row per voice: difference in the share of quoted words (scare quotes already removed)."""
    names, words = list(pre.categories), pre.counts
    den = words.sum(axis=1)
    in_a = pre.members(a) & (den > 0)
    in_b = pre.members(b) & (den > 0)
    ka, kb = int(in_a.sum()), int(in_b.sum())
    base = {
        "outlet_a": a.name,
        "outlet_b": b.name,
        "family": "voice",
        "unit": UNIT_WORD,
        "n_a": float(den[in_a].sum()),
        "n_b": float(den[in_b].sum()),
        "articles_a": ka,
        "articles_b": kb,
    }
    if ka == 0 or kb == 0:
        return [
            new_row(
                **base,
                feature=f"voice word share | {v}",
                note=f"{a.name if ka == 0 else b.name} quotes no one",
            )
            for v in names
        ]
    small = small_note(
        ka, kb, a.name, b.name, "descriptive difference only (quoted words are not independent)"
    )
    if not small and shared is not None:
        def share(sums):
            return sums / sums.sum(axis=1, keepdims=True)

        tested = shared.difference(a, b, share, ci=opts["ci"], test="permutation over articles (difference in share)")
    elif not small:
        tested = clustered_difference(
            words[in_a],
            den[in_a],
            words[in_b],
            den[in_b],
            key=("voice", a.name, b.name),
            opts=opts,
            test="permutation over articles (difference in share)",
        )
    rows = []
    for j, voice in enumerate(names):
        pa, pb = words[in_a, j].sum() / den[in_a].sum(), words[in_b, j].sum() / den[in_b].sum()
        row = new_row(
            **base,
            feature=f"voice word share | {voice}",
            estimate=float(pa - pb),
            effect=cohens_h(pa, pb),
            effect_kind="Cohen's h",
        )
        if small:
            row["note"] = small
        else:
            row.update(tested[j], note=few_note(ka, kb))
        rows.append(row)
    return rows


def _sum_of_squares(side: pd.DataFrame) -> float:
    """Sum of squared deviations from the mean over the mentions behind per-article sums."""
    return _sos(side["n"].to_numpy(float), side["net_sum"].to_numpy(float), side["net_sq"].to_numpy(float))


def _sos(n: np.ndarray, net_sum: np.ndarray, net_sq: np.ndarray) -> float:
    """Sum of squared deviations from the mean over the mentions behind per-article sums."""
    total_n, total = float(n.sum()), float(net_sum.sum())
    return max(0.0, float(net_sq.sum()) - total * total / total_n) if total_n else 0.0


def stance_clusters(st: pd.DataFrame) -> list[Clusters]:
    """Per-article stance sums for each entity and voice (and "all"), built once for every contrast.

    ``st`` holds per-article stance sums (:func:`framing.stats.aggregate.stance_sums`); each
    :class:`Clusters` has ``counts`` = ``(n, 2)`` columns ``n`` and ``net_sum``, ``extra`` = ``net_sq``.
    """
    out = []
    for entity, group in st.groupby("entity", sort=True):
        for voice, sub in stance_voices(group):
            out.append(Clusters(
                (str(entity), str(voice)), ("n", "net_sum"),
                np.column_stack([sub["n"].to_numpy(float), sub["net_sum"].to_numpy(float)]),
                sub["outlet"].to_numpy(), np.full(len(sub), "", dtype=object),
                sub["net_sq"].to_numpy(float),
            ))
    return out


def stance_rows(pre: Clusters, a: Side, b: Side, opts: dict, shared: SharedResamples | None = None) -> list[dict]:
    """The row of one entity and voice: difference in mean net stance over mentions (or none)."""
    entity, voice = pre.key
    in_a, in_b = pre.members(a), pre.members(b)
    ka, kb = int(in_a.sum()), int(in_b.sum())
    n_all, sums, sq = pre.counts[:, 0], pre.counts[:, 1], pre.extra
    na, nb = int(n_all[in_a].sum()), int(n_all[in_b].sum())
    base = {
        "feature": f"net stance | {entity} | {voice}",
        "outlet_a": a.name,
        "outlet_b": b.name,
        "family": "stance",
        "unit": UNIT_MENTION,
        "n_a": na,
        "n_b": nb,
        "articles_a": ka,
        "articles_b": kb,
    }
    if ka == 0 or kb == 0:
        if ka or kb:
            return [new_row(**base, note=f"no {voice} stance towards {entity} in {a.name if ka == 0 else b.name}")]
        return []
    row = new_row(**base, estimate=float(sums[in_a].sum() / na - sums[in_b].sum() / nb))
    notes = []
    if na >= 2 and nb >= 2:
        pooled = (_sos(n_all[in_a], sums[in_a], sq[in_a]) + _sos(n_all[in_b], sums[in_b], sq[in_b])) / (na + nb - 2)
        if pooled > _VARIANCE_FLOOR:
            row.update(effect=float(row["estimate"] / math.sqrt(pooled)), effect_kind="Cohen's d (mention level)")
        else:
            notes.append("net stance does not vary: Cohen's d undefined")
    else:
        notes.append("fewer than 2 mentions on one side: no effect size")
    small = small_note(ka, kb, a.name, b.name, "descriptive difference only")
    if small:
        notes.insert(0, small)
    elif shared is not None:
        def mean(sums):
            return sums[:, 1:2] / sums[:, 0:1]

        row.update(shared.difference(a, b, mean, ci=opts["ci"], test="permutation over articles (difference in mean)")[0])
        notes.insert(0, few_note(ka, kb))
    else:
        row.update(
            clustered_difference(
                sums[in_a], n_all[in_a], sums[in_b], n_all[in_b],
                key=("stance", entity, voice, a.name, b.name),
                opts=opts,
                test="permutation over articles (difference in mean)",
            )[0]
        )
        notes.insert(0, few_note(ka, kb))
    row["note"] = join_notes(*notes)
    return [row]
