"""Per-article aggregates of the long tables: all that the clustered statistics read.

Every clustered statistic in :mod:`framing.stats.summaries` and :mod:`framing.stats.compare` resamples whole
articles, so it needs per-article sums, never the mention-, quote- or stance-level rows
themselves. Reducing the long tables to those sums first keeps the statistics step's memory
proportional to (articles x entities), not to mentions, and lets a corpus be reduced part by
part from disk (:meth:`Aggregates.from_parts`) with the same result as from whole tables
(:meth:`Aggregates.from_tables`): each article is always reduced from all of its rows at once.

Tables (text columns as ``str`` with "" for missing):

- ``labels``: article_id, outlet, entity, label_set, label, n — the outlet's own label choices
  (rows kept by :func:`framing.stats.inputs.labelled_mentions`), counted per article;
- ``variants``: outlet, entity, variant, n — spellings, every named mention (quotes included);
- ``voices``: article_id, outlet, voice, n_quotes, n_words — non-scare quotes per article;
- ``stance``: article_id, outlet, entity, voice, n, net_sum, net_sq — per article, the number of
  mentions with a finite net stance (``p_pos - p_neg``), its sum and its sum of squares.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from pandas.api.types import union_categoricals

from framing.stats.inputs import (
    labelled_mentions,
    net_stance,
    quoted_words,
    require_columns,
    text,
)

__all__ = ["AGGREGATE_COLUMNS", "Aggregates", "label_counts", "stance_sums", "variant_counts", "voice_words"]

AGGREGATE_COLUMNS = {
    "labels": ("article_id", "outlet", "entity", "label_set", "label", "n"),
    "variants": ("outlet", "entity", "variant", "n"),
    "voices": ("article_id", "outlet", "voice", "n_quotes", "n_words"),
    "stance": ("article_id", "outlet", "entity", "voice", "n", "net_sum", "net_sq"),
}

#: Long-table columns each aggregate reads (free text stays on disk).
SOURCE_COLUMNS = {
    "mentions": ("article_id", "outlet", "entity", "variant", "label_set", "label", "anaphora", "quoted",
                 "compound"),
    "quotes": ("article_id", "outlet", "kind", "voice", "n_words", "nested"),
    "stance": ("article_id", "outlet", "entity", "voice", "p_neg", "p_pos"),
}


def _empty(name: str) -> pd.DataFrame:
    cols = AGGREGATE_COLUMNS[name]
    return pd.DataFrame({c: pd.Series(dtype=float if c in ("n", "n_quotes", "n_words", "net_sum", "net_sq")
                                      else object) for c in cols})


def _sum_by(df: pd.DataFrame, keys: list[str], values: dict[str, pd.Series | np.ndarray | float]) -> pd.DataFrame:
    """Sum ``values`` over rows sharing ``keys`` (sorted by the keys)."""
    frame = df[keys].copy()
    for name, value in values.items():
        frame[name] = value
    return frame.groupby(keys, sort=True, observed=True).sum().reset_index()


def label_counts(mentions: pd.DataFrame) -> pd.DataFrame:
    """Own-voice labelled mentions per article, entity, label set and label (see module doc)."""
    if len(mentions) == 0:
        return _empty("labels")
    ments = labelled_mentions(mentions)
    keys = list(AGGREGATE_COLUMNS["labels"][:-1])
    return _sum_by(ments, keys, {"n": 1.0})


def variant_counts(mentions: pd.DataFrame) -> pd.DataFrame:
    """Mentions per outlet, entity and spelling variant (anaphora and unnamed rows left out)."""
    if len(mentions) == 0:
        return _empty("variants")
    require_columns(mentions, ("outlet", "entity", "variant"), "mentions")
    df = pd.DataFrame({c: text(mentions[c]) for c in ("outlet", "entity", "variant")})
    df = df[(df["entity"] != "") & (df["variant"] != "")]
    return _sum_by(df, ["outlet", "entity", "variant"], {"n": 1.0})


def voice_words(quotes: pd.DataFrame) -> pd.DataFrame:
    """Quotes and quoted words per article and voice (scare quotes and nested rows left out)."""
    if len(quotes) == 0:
        return _empty("voices")
    q = quoted_words(quotes)
    return _sum_by(q, ["article_id", "outlet", "voice"], {"n_quotes": 1.0, "n_words": q["n_words"].to_numpy()})


def stance_sums(stance: pd.DataFrame) -> pd.DataFrame:
    """Mentions, summed net stance and summed squared net stance per article, entity and voice."""
    if stance is None or len(stance) == 0:
        return _empty("stance")
    st = net_stance(stance)
    net = st["net"].to_numpy(dtype=float)
    keys = ["article_id", "outlet", "entity", "voice"]
    return _sum_by(st, keys, {"n": 1.0, "net_sum": net, "net_sq": net * net})


_REDUCERS: dict[str, tuple[str, Callable[[pd.DataFrame], pd.DataFrame]]] = {
    "labels": ("mentions", label_counts),
    "variants": ("mentions", variant_counts),
    "voices": ("quotes", voice_words),
    "stance": ("stance", stance_sums),
}


def _whole_articles(parts: Iterable[pd.DataFrame]) -> Iterable[pd.DataFrame]:
    """Re-cut consecutive parts so that no article's rows are split between two pieces.

    The long tables hold each article's rows together, in input order; the last article of a
    part may continue in the next, so its rows are carried over.
    """
    carry: pd.DataFrame | None = None
    for part in parts:
        if carry is not None and len(carry):
            part = pd.concat([carry, part], ignore_index=True)
        if len(part) == 0:
            continue
        ids = text(part["article_id"]).to_numpy()
        other = np.flatnonzero(ids != ids[-1])
        cut = int(other[-1]) + 1 if other.size else 0
        if cut:
            yield part.iloc[:cut]
        carry = part.iloc[cut:]
    if carry is not None and len(carry):
        yield carry


@dataclass(frozen=True)
class Aggregates:
    """The four per-article aggregate tables (see the module docstring)."""

    labels: pd.DataFrame
    variants: pd.DataFrame
    voices: pd.DataFrame
    stance: pd.DataFrame

    @classmethod
    def from_tables(
        cls,
        mentions: pd.DataFrame | None = None,
        quotes: pd.DataFrame | None = None,
        stance: pd.DataFrame | None = None,
        *,
        only: Iterable[str] | None = None,
    ) -> Aggregates:
        """Aggregate whole long tables (any may be None or empty).

        ``only`` names the aggregates to compute (default all); the others are left empty.
        """
        source = {"mentions": mentions, "quotes": quotes, "stance": stance}
        wanted = set(_REDUCERS) if only is None else set(only)
        out = {}
        for name, (table, reduce) in _REDUCERS.items():
            df = source[table]
            out[name] = _combine(name, [_compact(reduce(df))] if name in wanted and df is not None and len(df) else [])
        return cls(**out)

    @classmethod
    def from_parts(
        cls,
        parts: Callable[[str], Iterable[pd.DataFrame] | None],
        *,
        exclude: set[str] = frozenset(),
        only: Iterable[str] | None = None,
    ) -> Aggregates:
        """Aggregate long tables read part by part, holding one part and the sums in memory.

        Args:
            parts: ``parts(table)`` yields a long table's parts in order (only the columns in
                ``SOURCE_COLUMNS`` are needed), or returns None when the table does not exist.
            exclude: Article ids whose rows are left out (articles that failed to process).
            only: The aggregates to compute (default all); the others are left empty and a
                table none of them needs is not read.

        The result equals :meth:`from_tables` on the concatenated parts: sums are taken per
        article from all of the article's rows, then sorted by their keys.
        """
        wanted = set(_REDUCERS) if only is None else set(only)
        out = {}
        for name, (table, reduce) in _REDUCERS.items():
            source = parts(table) if name in wanted else None
            pieces = []
            if source is not None:
                for piece in _whole_articles(source):
                    if exclude:
                        piece = piece[~text(piece["article_id"]).isin(exclude)]
                    if len(piece):
                        pieces.append(_compact(reduce(piece)))
            out[name] = _combine(name, pieces)
        return cls(**out)


_NUMERIC = frozenset({"n", "n_quotes", "n_words", "net_sum", "net_sq"})


def _compact(df: pd.DataFrame) -> pd.DataFrame:
    """Key columns as categoricals: an article id repeated on every row costs a code, not a string."""
    for c in df.columns:
        if c not in _NUMERIC:
            df[c] = df[c].astype("category")
    return df


def _combine(name: str, pieces: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate per-piece sums, sorted by their keys; keys repeated across pieces are summed.

    Only outlet-level keys (``variants``) can repeat: every article lies whole in one piece.
    Key columns come out as categoricals with sorted categories, so sorting by them is sorting
    by the text.
    """
    if not pieces:
        return _empty(name)
    cols = list(AGGREGATE_COLUMNS[name])
    keys = [c for c in cols if c not in _NUMERIC]
    data = {}
    for c in cols:
        if c in _NUMERIC:
            data[c] = np.concatenate([p[c].to_numpy(dtype=float) for p in pieces])
        else:
            data[c] = union_categoricals([p[c] for p in pieces], sort_categories=True, ignore_order=True)
    df = pd.DataFrame(data)
    if "article_id" not in keys:
        df = df.groupby(keys, sort=True, observed=True).sum().reset_index()
    df = df.sort_values(keys, kind="stable", ignore_index=True)
    return df[cols]
