"""Across-outlet rows: does a measure differ among many outlets at all?

With more outlets (or groups) than every pair can cover, each measure also gets one row that
tests all of them at once, so that every outlet is in the table even when it has no contrast of
its own (:mod:`framing.stats.design`, ``across outlets`` / ``across groups``).

**Method.** The article is the unit, whatever the measure: each article gives one value (an
article feature; for a label set, the share of the entity's mentions in the article that carry
a label, or a given label; for a voice, its share of the article's quoted words; for stance, the
mean net stance of the article's mentions of the entity), and the outlets (groups) are the
groups of a Kruskal–Wallis test (Kruskal & Wallis 1952, JASA 47(260)): ranks, ties given mid-ranks
and the statistic corrected for them, p from the chi-square distribution with ``k - 1`` degrees
of freedom. The article weighs the same whether it mentions an entity once or ten times, unlike
the pooled shares of the contrast rows: the note says so. Effect size: epsilon-squared,
``H / (n - 1)`` (Tomczak & Tomczak 2014, Trends Sport Sci. 1(21)), the share of rank variance
between outlets, from 0 to 1. ``estimate`` is empty (there is no single difference), ``n_a``
and ``articles_a`` count the articles, ``n_b`` and ``articles_b`` count the outlets (groups) with
at least one of them. The chi-square p needs no resampling, so these rows cost one ranking per
measure, however many outlets there are.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from framing.stats.contrast import UNIT_ARTICLE, new_row
from framing.stats.design import ACROSS_GROUPS, EVERY_GROUP, EVERY_OUTLET, Side

__all__ = ["PER_ARTICLE", "SideCodes", "across_rows", "kruskal_wallis", "omnibus_row"]

#: The note of rows whose per-article value is a share or mean over the article's own mentions.
PER_ARTICLE = "per-article values: each article weighs the same, however many mentions it has"


def kruskal_wallis(values: np.ndarray, groups: np.ndarray) -> tuple[float, int, float]:
    """Kruskal–Wallis H (tie-corrected), degrees of freedom and chi-square p.

    Parameters
    ----------
    values : ndarray
        One finite value per observation.
    groups : ndarray of int
        Group code of each observation (non-negative).

    Returns
    -------
    (H, df, p)
        NaN H and p when fewer than two groups have observations or every value is the same.
    """
    from scipy.stats import chi2, rankdata

    values, groups = np.asarray(values, dtype=float), np.asarray(groups)
    n = values.size
    sizes = np.bincount(groups) if n else np.zeros(0, int)
    used = sizes > 0
    k = int(used.sum())
    if k < 2:
        return float("nan"), max(k - 1, 0), float("nan")
    ranks = rankdata(values)
    _, ties = np.unique(values, return_counts=True)
    correction = 1.0 - float((ties**3 - ties).sum()) / float(n**3 - n)
    if correction <= 0:
        return float("nan"), k - 1, float("nan")
    rank_sums = np.bincount(groups, weights=ranks)
    h = (12.0 / (n * (n + 1)) * float((rank_sums[used] ** 2 / sizes[used]).sum()) - 3.0 * (n + 1)) / correction
    h = max(h, 0.0)
    return h, k - 1, float(chi2.sf(h, k - 1))


class SideCodes:
    """Side index of each outlet, for the across rows (outlets that no side holds get -1)."""

    def __init__(self, sides: Sequence[Side]) -> None:
        self.sides = tuple(sides)
        self.code = {o: i for i, s in enumerate(self.sides) for o in s.outlets}
        self.grouped = any(len(s.outlets) != 1 or s.name not in s.outlets for s in self.sides)

    def __call__(self, outlets: np.ndarray) -> np.ndarray:
        return np.fromiter((self.code.get(str(o), -1) for o in outlets), dtype=np.int64, count=len(outlets))


def omnibus_row(feature: str, family: str, values: np.ndarray, codes: np.ndarray, *, kind: str,
                unit_note: str = "") -> dict:
    """The across row of one measure from per-article ``values`` (NaN = no value) and side ``codes``."""
    keep = np.isfinite(values) & (codes >= 0)
    x, g = values[keep], codes[keep]
    sides = int(np.unique(g).size)
    what = "groups" if kind == ACROSS_GROUPS else "outlets"
    row = new_row(feature=feature, outlet_a=EVERY_GROUP if kind == ACROSS_GROUPS else EVERY_OUTLET,
                  outlet_b="", family=family, unit=UNIT_ARTICLE, n_a=int(x.size), n_b=sides,
                  articles_a=int(x.size), articles_b=sides, design=kind)
    notes = [f"{x.size} articles in {sides} {what}; n_b counts {what}"]
    if unit_note:
        notes.append(unit_note)
    if sides < 2:
        row["note"] = "; ".join([f"fewer than two {what} with a value: no test", *notes])
        return row
    h, df, p = kruskal_wallis(x, np.unique(g, return_inverse=True)[1])
    if not np.isfinite(h):
        row["note"] = "; ".join(["no variation: Kruskal-Wallis undefined", *notes])
        return row
    row.update(effect=float(h / (x.size - 1)), effect_kind="epsilon-squared (ranks)",
               test=f"Kruskal-Wallis H = {h:.2f}, df = {df} (chi-square p; {what} as groups)", p=p,
               note="; ".join(notes))
    return row


def across_rows(fm, labels, voices, stances, sides: Sequence[Side], kind: str) -> list[dict]:
    """Every across row: article features, then label shares, voice shares, net stance.

    ``fm`` is the :class:`~framing.stats.compare.FeatureMatrix`; ``labels``, ``voices`` and
    ``stances`` are the :class:`~framing.stats.clustered.Clusters` of the comparison run.
    """
    code = SideCodes(sides)
    rows: list[dict] = []
    feature_codes = code(fm.outlet)
    for j, feature in enumerate(fm.features):
        rows.append(omnibus_row(feature, "article feature", fm.values[:, j], feature_codes, kind=kind))
    with np.errstate(divide="ignore", invalid="ignore"):
        for pre in labels:
            entity, label_set = pre.key
            head = f"{entity} | {label_set}"
            cats = list(pre.categories)
            den = pre.counts.sum(axis=1)
            codes = code(pre.outlet)
            named = [lab for lab in cats if lab]
            shares = [("labelled share", pre.counts[:, [i for i, lab in enumerate(cats) if lab]].sum(axis=1))]
            if len(named) > 1:
                shares += [(f"label share: {lab}", pre.counts[:, cats.index(lab)]) for lab in named]
            for title, num in shares:
                rows.append(omnibus_row(f"{title} | {head}", "label choice", num / den, codes, kind=kind,
                                        unit_note=PER_ARTICLE))
        if voices is not None:
            den = voices.counts.sum(axis=1)
            codes = code(voices.outlet)
            for j, voice in enumerate(voices.categories):
                rows.append(omnibus_row(f"voice word share | {voice}", "voice", voices.counts[:, j] / den, codes,
                                        kind=kind, unit_note=PER_ARTICLE.replace("mentions", "quoted words")))
        for pre in stances:
            entity, voice = pre.key
            rows.append(omnibus_row(f"net stance | {entity} | {voice}", "stance", pre.counts[:, 1] / pre.counts[:, 0],
                                    code(pre.outlet), kind=kind, unit_note=PER_ARTICLE))
    return rows
