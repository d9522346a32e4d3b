"""Figures from the summary tables: label shares, voice shares, and a forest plot of comparisons.

Every function takes a table from :mod:`framing.stats.summaries` or :mod:`framing.stats.compare` and returns a
:class:`matplotlib.figure.Figure`; nothing is computed here that is not in the table, and nothing
is shown. Matplotlib is imported lazily and figures are built without ``pyplot`` (no global
state, no GUI backend; raster output goes through Agg). :func:`save_figure` writes PNG and PDF
(optionally SVG) with fixed metadata and no creation date, so rerunning gives identical bytes.

Points are estimates; horizontal bars are the intervals stored in the table (cluster bootstrap
over articles for shares; none drawn where the table has none, e.g. n = 1 article).
"""

from __future__ import annotations

import functools
import logging
import math
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = [
    "FIGURE_METADATA",
    "FIGURE_TABLES",
    "MAX_OUTLETS",
    "forest_figure",
    "label_heatmap",
    "label_shares_figure",
    "save_figure",
    "voice_shares_figure",
    "write_all",
]

logger = logging.getLogger(__name__)

#: Most outlets a per-outlet figure shows by default (a legend of hundreds of colours is unreadable,
#: and drawing them costs minutes); the tables keep every outlet.
MAX_OUTLETS = 12

#: Fixed metadata per format; ``None`` removes a key matplotlib would otherwise fill (dates).
FIGURE_METADATA: dict[str, dict[str, str | None]] = {
    "png": {"Software": "framing (matplotlib)"},
    "pdf": {"Creator": "framing (matplotlib)", "Producer": "framing (matplotlib)", "CreationDate": None},
    "svg": {"Creator": "framing (matplotlib)", "Date": None},
}
_RC = {"svg.hashsalt": "framing", "font.family": "DejaVu Sans", "font.size": 8.0, "axes.titlesize": 9.0}
_NONE_LABEL = "none"
_UNRESOLVED = "unresolved"
_SHARE_FAMILIES = ("label choice", "voice", "stance")


def _styled(build):
    """Run a figure builder under the package's fixed rc settings (fonts are fixed at creation)."""

    @functools.wraps(build)
    def wrapper(*args, **kwargs):
        import matplotlib

        with matplotlib.rc_context(_RC):
            return build(*args, **kwargs)

    return wrapper


def _new_figure(width: float, height: float):
    """A pyplot-free Figure with constrained layout."""
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def _colours(names: Sequence[str]) -> dict[str, tuple]:
    """A fixed colour per outlet, in sorted-outlet order."""
    import matplotlib

    cmap = matplotlib.colormaps["tab10"]
    return {name: cmap(i % 10) for i, name in enumerate(names)}


def _finite(*values) -> bool:
    """True when every value is a finite number."""
    return all(isinstance(v, (int, float)) and math.isfinite(v) for v in values)


def _dot_panel(
    ax, frame: pd.DataFrame, *, category: str, value: str, outlets: list[str], colours: dict
) -> None:
    """Dots (with interval bars where finite) per category, one vertical offset per outlet.

    One ``hlines`` and one ``plot`` call per outlet, so drawing cost is per outlet, not per row.
    """
    cats = list(dict.fromkeys(frame[category]))
    where = {c: i for i, c in enumerate(cats)}
    step = 0.7 / max(len(outlets), 1)
    for k, outlet in enumerate(outlets):
        rows = frame[frame["outlet"] == outlet]
        if not len(rows):
            continue
        y = rows[category].map(where).to_numpy(dtype=float) + (k - (len(outlets) - 1) / 2) * step
        lo, hi = rows["ci_low"].to_numpy(dtype=float), rows["ci_high"].to_numpy(dtype=float)
        bars = np.isfinite(lo) & np.isfinite(hi)
        if bars.any():
            ax.hlines(y[bars], lo[bars], hi[bars], color=colours[outlet], linewidth=1.2)
        ax.plot(rows[value].to_numpy(dtype=float), y, "o", linestyle="none", color=colours[outlet],
                markersize=4, label=outlet)
    ax.set_yticks(range(len(cats)), cats)
    ax.invert_yaxis()
    ax.set_xlim(-0.02, 1.02)
    ax.grid(axis="x", linewidth=0.3, color="0.85")


def _largest_outlets(df: pd.DataFrame, weight: str, max_outlets: int | None) -> tuple[list[str], str]:
    """The ``max_outlets`` outlets with the largest total ``weight`` (ties by name), sorted by name,
    and a caption fragment saying how many were left out ("" when none were)."""
    if max_outlets is not None and (isinstance(max_outlets, bool) or not isinstance(max_outlets, int)
                                    or max_outlets < 1):
        raise ValueError(f"max_outlets must be a positive integer or None, got {max_outlets!r}")
    totals = df.groupby("outlet", sort=True)[weight].sum()
    if max_outlets is None or len(totals) <= max_outlets:
        return sorted(totals.index), ""
    ranked = sorted(totals.items(), key=lambda kv: (-float(kv[1]), kv[0]))[:max_outlets]
    return sorted(o for o, _ in ranked), f"{max_outlets} of {len(totals)} outlets, those with the most {'mentions' if weight == 'n' else weight}"


@_styled
def label_shares_figure(label_choices: pd.DataFrame, *, entities: Iterable[str] | None = None,
                        max_outlets: int | None = MAX_OUTLETS, max_panels: int | None = 12):
    """Share of each entity's mentions per label and outlet, with cluster-bootstrap intervals.

    One panel per entity and label set; the label "" is shown as "none".

    Args:
        label_choices: Table from :func:`framing.stats.summaries.label_choices`.
        entities: Entities to show (default all, sorted).
        max_outlets: Most outlets shown, those with the most mentions (None: all); the title
            says how many were left out.
        max_panels: Most entity panels, those with the most mentions (None: all).

    Returns:
        A matplotlib Figure.
    """
    df = label_choices.copy()
    if entities is not None:
        df = df[df["entity"].isin(list(entities))]
    if len(df) == 0:
        raise ValueError("label_shares_figure: no label choices to plot")
    outlets, cut = _largest_outlets(df, "n", max_outlets)
    df = df[df["outlet"].isin(outlets)].copy()
    df["shown"] = df["label"].map(lambda s: s if s else _NONE_LABEL)
    sizes = df.groupby(["entity", "label_set"], sort=True)["n"].sum()
    panels = sorted(sizes.index)
    if max_panels is not None and len(panels) > max_panels:  # entities given a label first, then the most mentioned
        labelled = df[(df["label"] != "") & (df["n"] > 0)].groupby(["entity", "label_set"]).size()
        kept = sorted(sizes.items(), key=lambda kv: (kv[0] not in labelled.index, -float(kv[1]), kv[0]))[:max_panels]
        cut = "; ".join(x for x in (cut, f"{max_panels} of {len(panels)} entities, those labelled first, then those "
                                    "with the most mentions") if x)
        panels = sorted(k for k, _ in kept)
    colours = _colours(outlets)
    heights = [df[(df["entity"] == e) & (df["label_set"] == s)]["label"].nunique() + 1 for e, s in panels]
    fig = _new_figure(6.0, 0.9 + 0.32 * sum(heights))
    axes = fig.subplots(len(panels), 1, squeeze=False, gridspec_kw={"height_ratios": heights})[:, 0]
    for ax, (entity, label_set) in zip(axes, panels, strict=False):
        sub = df[(df["entity"] == entity) & (df["label_set"] == label_set)].sort_values(
            "label", kind="mergesort"
        )
        _dot_panel(ax, sub, category="shown", value="share", outlets=outlets, colours=colours)
        ax.set_title(f"{entity} ({label_set})", loc="left")
    axes[-1].set_xlabel("share of the entity's mentions (bars: cluster bootstrap over articles)")
    if cut:
        fig.suptitle(f"Shown: {cut}", x=0.01, ha="left", fontsize=7)
    axes[0].legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7, frameon=False)
    return fig


@_styled
def voice_shares_figure(voices: pd.DataFrame, *, max_outlets: int | None = MAX_OUTLETS):
    """Share of each outlet's quoted words by voice, with cluster-bootstrap intervals.

    Args:
        voices: Table from :func:`framing.stats.summaries.voices`; voice "" is shown as "unresolved".
        max_outlets: Most outlets shown, those with the most quoted words (None: all).

    Returns:
        A matplotlib Figure.
    """
    if len(voices) == 0:
        raise ValueError("voice_shares_figure: no voices to plot")
    outlets, cut = _largest_outlets(voices, "quoted_words", max_outlets)
    df = voices[voices["outlet"].isin(outlets)].copy()
    df["shown"] = df["voice"].map(lambda s: s if s else _UNRESOLVED)
    df = df.sort_values("voice", kind="mergesort")
    fig = _new_figure(6.0, 1.0 + 0.32 * (df["voice"].nunique() + 1))
    ax = fig.subplots()
    _dot_panel(ax, df, category="shown", value="share_words", outlets=outlets, colours=_colours(outlets))
    if cut:
        ax.set_title(f"Shown: {cut.replace('quoted_words', 'quoted words')}", loc="left", fontsize=7)
    ax.set_xlabel("share of quoted words (scare quotes excluded; bars: cluster bootstrap over articles)")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7, frameon=False)
    return fig


@_styled
def forest_figure(
    comparisons: pd.DataFrame,
    *,
    families: Sequence[str] = _SHARE_FAMILIES,
    features: Sequence[str] = (),
    alpha: float = 0.05,
    max_rows: int = 80,
):
    """Forest plot: each comparison's estimate (a - b) with its interval.

    Rows are grouped so that a panel never mixes scales: one panel per family of shares (label
    choice, voice) and net stance, and one panel per article feature listed in ``features``
    (article features have their own units). Cramér's V rows are left out (not a difference).
    Filled markers: ``q < alpha``; hollow: not significant after FDR or untested.

    Args:
        comparisons: Table from :func:`framing.stats.compare.comparisons`.
        families: Families to show.
        features: Article features to show, one panel each.
        alpha: Threshold on ``q`` for filled markers.
        max_rows: Most rows per panel (the first rows in table order are kept; a note says so).

    Returns:
        A matplotlib Figure.
    """
    df = comparisons[comparisons["estimate"].notna() & (comparisons["effect_kind"] != "Cramér's V")]
    groups: list[tuple[str, pd.DataFrame]] = [
        (f, df[df["family"] == f]) for f in families if f != "article feature"
    ]
    groups += [(f, df[(df["family"] == "article feature") & (df["feature"] == f)]) for f in features]
    groups = [(title, g) for title, g in groups if len(g)]
    if not groups:
        raise ValueError("forest_figure: no comparison with an estimate in the requested families/features")
    heights = [min(len(g), max_rows) + 1 for _, g in groups]
    fig = _new_figure(7.5, 0.8 + 0.24 * sum(heights))
    axes = fig.subplots(len(groups), 1, squeeze=False, gridspec_kw={"height_ratios": heights})[:, 0]
    for ax, (title, g) in zip(axes, groups, strict=False):
        shown = g.head(max_rows)
        for y, (_, r) in enumerate(shown.iterrows()):
            if _finite(float(r["ci_low"]), float(r["ci_high"])):
                ax.hlines(y, r["ci_low"], r["ci_high"], color="0.25", linewidth=1.0)
            significant = _finite(float(r["q"])) and r["q"] < alpha
            ax.plot(
                [r["estimate"]],
                [y],
                "o",
                markersize=4,
                color="0.1",
                markerfacecolor="0.1" if significant else "white",
            )
        labels = [
            f"{r['feature']}: {r['outlet_a']} \u2212 {r['outlet_b']}"
            + (" (within story)" if "story" in r["unit"] else "")
            for _, r in shown.iterrows()
        ]
        ax.set_yticks(range(len(shown)), labels, fontsize=6)
        ax.invert_yaxis()
        ax.axvline(0.0, color="0.5", linewidth=0.6, linestyle="--")
        cut = f" (first {max_rows} of {len(g)})" if len(g) > max_rows else ""
        ax.set_title(f"{title}: difference a \u2212 b, unit {shown['unit'].iat[0]}{cut}", loc="left")
        ax.grid(axis="x", linewidth=0.3, color="0.85")
    axes[-1].set_xlabel(f"estimate with interval; filled: Benjamini\u2013Hochberg q < {alpha}")
    return fig


@_styled
def label_heatmap(label_choices: pd.DataFrame, *, label_sets: Iterable[str] | None = None,
                  max_outlets: int | None = 20):
    """Outlet x label heat map: each outlet's mentions of a label set's targets, pooled over the
    target entities, split by the descriptor attached ("none" included).

    Cells are shares of the outlet's mentions in that label set (counts ``n`` summed over the
    entities of the set, so an entity mentioned more weighs more); the count is printed in each
    cell. Descriptive: see ``label_choices`` and ``comparisons`` for intervals and tests.

    Args:
        label_choices: Table from :func:`framing.stats.summaries.label_choices`.
        label_sets: Label sets to show (default all, sorted).
        max_outlets: Most outlet rows, those with the most mentions (None: all).

    Returns:
        A matplotlib Figure, one panel per label set.
    """
    df = label_choices.copy()
    if label_sets is not None:
        df = df[df["label_set"].isin(list(label_sets))]
    if len(df) == 0:
        raise ValueError("label_heatmap: no label choices to plot")
    outlets, cut = _largest_outlets(df, "n", max_outlets)
    df = df[df["outlet"].isin(outlets)].copy()
    df["shown"] = df["label"].map(lambda s: s if s else _NONE_LABEL)
    sets = sorted(df["label_set"].unique())
    widths = [max(df[df["label_set"] == s]["shown"].nunique(), 2) for s in sets]
    fig = _new_figure(1.6 + 0.75 * sum(widths), 0.8 + 0.35 * len(outlets))
    axes = fig.subplots(1, len(sets), squeeze=False, gridspec_kw={"width_ratios": widths})[0]
    for ax, label_set in zip(axes, sets, strict=False):
        sub = df[df["label_set"] == label_set]
        counts = sub.pivot_table(index="outlet", columns="shown", values="n", aggfunc="sum", fill_value=0)
        counts = counts.reindex(index=outlets, fill_value=0)
        order = [_NONE_LABEL] + sorted(c for c in counts.columns if c != _NONE_LABEL)
        counts = counts.reindex(columns=[c for c in order if c in counts.columns])
        totals = counts.sum(axis=1).replace(0, float("nan"))
        shares = counts.div(totals, axis=0)
        ax.imshow(shares.to_numpy(dtype=float), cmap="Oranges", vmin=0.0, vmax=1.0, aspect="auto")
        for i in range(len(outlets)):
            for j in range(counts.shape[1]):
                value = shares.iat[i, j]
                text = "" if not _finite(float(value)) else f"{value:.2f}\n(n={int(counts.iat[i, j])})"
                ax.text(j, i, text, ha="center", va="center", fontsize=6,
                        color="white" if _finite(float(value)) and value > 0.6 else "0.1")
        ax.set_xticks(range(counts.shape[1]), list(counts.columns), rotation=45, ha="right")
        ax.set_yticks(range(len(outlets)), outlets if ax is axes[0] else [""] * len(outlets))
        ax.set_title(label_set, loc="left")
    if cut:
        fig.suptitle(f"Shown: {cut}", x=0.01, ha="left", fontsize=7)
    return fig


def save_figure(
    fig, path_stem: str | Path, *, formats: Sequence[str] = ("png", "pdf"), dpi: int = 150
) -> list[Path]:
    """Write ``fig`` as ``<path_stem>.<format>`` for each format, byte-identical across reruns.

    Metadata is fixed (:data:`FIGURE_METADATA`: no creation date) and SVG ids are salted with a
    constant (``svg.hashsalt``).

    Returns:
        The written paths, in ``formats`` order.
    """
    import matplotlib

    stem = Path(path_stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    paths = []
    with matplotlib.rc_context(_RC):
        for fmt in formats:
            if fmt not in FIGURE_METADATA:
                raise ValueError(f"unsupported figure format {fmt!r}; use one of {sorted(FIGURE_METADATA)}")
            path = stem.with_name(f"{stem.name}.{fmt}")
            fig.savefig(path, format=fmt, dpi=dpi, metadata=dict(FIGURE_METADATA[fmt]))
            paths.append(path)
    return paths


FIGURE_TABLES = ("label_choices", "voices", "comparisons")
"""The tables :func:`write_all` draws from."""


def write_all(tables: Mapping[str, pd.DataFrame], out_dir: str | Path, *, alpha: float = 0.05) -> list[Path]:
    """Write every figure whose table is present and non-empty into ``out_dir``.

    ``figure_label_shares``, ``figure_label_heatmap``, ``figure_voice_shares``,
    ``figure_comparisons`` (PNG and PDF).
    """
    out = Path(out_dir)
    plans = (
        ("label_choices", "figure_label_shares", label_shares_figure, {}),
        ("label_choices", "figure_label_heatmap", label_heatmap, {}),
        ("voices", "figure_voice_shares", voice_shares_figure, {}),
        ("comparisons", "figure_comparisons", forest_figure, {"alpha": alpha}),
    )
    paths: list[Path] = []
    for table, stem, build, options in plans:
        df = tables.get(table)
        if df is None or len(df) == 0:
            continue
        try:
            fig = build(df, **options)
        except ValueError as exc:  # nothing plottable in a non-empty table
            logger.info("figure %s skipped: %s", stem, exc)
            continue
        paths += save_figure(fig, out / stem)
    return paths
