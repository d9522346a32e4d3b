"""Input tables: validation and normalisation shared by :mod:`framing.stats.summaries` and :mod:`framing.stats.compare`.

Text columns become ``str`` with missing values as ""; numeric columns become float arrays with
missing values as NaN. Nothing here computes a statistic.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

__all__ = [
    "ALL_VOICES",
    "article_counts",
    "empty_table",
    "feature_columns",
    "finite_or_zero",
    "floats",
    "join_notes",
    "labelled_mentions",
    "net_stance",
    "ok_articles",
    "quoted_words",
    "require_columns",
    "stance_voices",
    "text",
]

#: Name of the stance row that pools every voice.
ALL_VOICES = "all"


def empty_table(columns: Iterable[str]) -> pd.DataFrame:
    """A table with no rows and the given header."""
    return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})


def require_columns(df: pd.DataFrame, columns: Iterable[str], table: str) -> None:
    """Raise ``ValueError`` naming every column of the schema that ``df`` lacks."""
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"{table} table lacks column(s) {', '.join(missing)}; see DESIGN.md for the schema")


def text(series: pd.Series) -> pd.Series:
    """Strings with missing values as "" (labels, stories, voices)."""
    return series.astype(object).where(series.notna(), "").astype(str)


def floats(series: pd.Series) -> np.ndarray:
    """A numeric column as a float array; non-numbers and missing values (NaN, None, pd.NA) -> NaN."""
    return pd.to_numeric(series, errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def finite_or_zero(x: np.ndarray) -> np.ndarray:
    """``x`` with NaN and infinities replaced by 0 (for counts such as quoted words)."""
    return np.where(np.isfinite(x), x, 0.0)


def join_notes(*parts: str) -> str:
    """Non-empty notes joined with "; "."""
    return "; ".join(p for p in parts if p)


def ok_articles(articles: pd.DataFrame) -> pd.DataFrame:
    """Rows of ``articles`` with ``status == "ok"`` (all rows if there is no status column)."""
    require_columns(articles, ("id", "outlet"), "articles")
    if "status" in articles.columns:
        articles = articles[text(articles["status"]) == "ok"]
    out = articles.copy()
    out["id"] = text(out["id"])
    out["outlet"] = text(out["outlet"])
    out["story"] = text(out["story"]) if "story" in out.columns else ""
    return out


def feature_columns(articles: pd.DataFrame) -> list[str]:
    """Numeric ``<family>.<feature>`` columns of ``articles``, in table order."""
    return [c for c in articles.columns if "." in str(c) and pd.api.types.is_numeric_dtype(articles[c])]


def article_counts(
    df: pd.DataFrame, column: str, categories: list[str], *, weight: str | None = None
) -> tuple[pd.Index, np.ndarray]:
    """Per-article totals of each category (counts, or summed ``weight``): ``(ids, (n, k) array)``."""
    keys = [text(df["article_id"]), text(df[column])]
    values = pd.Series(finite_or_zero(floats(df[weight])) if weight else 1.0, index=df.index)
    table = values.groupby(keys, sort=True).sum().unstack(fill_value=0.0)
    table = table.reindex(columns=categories, fill_value=0.0)
    return table.index, table.to_numpy(dtype=float)


def _flag(df: pd.DataFrame, column: str) -> pd.Series:
    """A boolean flag column of a table (False where absent)."""
    if column not in df.columns:
        return pd.Series(False, index=df.index)
    col = df[column]
    if col.dtype == bool:
        return col
    return text(col).str.lower().isin(("true", "1", "yes"))


def labelled_mentions(mentions: pd.DataFrame) -> pd.DataFrame:
    """An outlet's own label choices: mentions of entities that have a label set.

    Kept: rows that name an entity (``entity != ""``; anaphora such as "the militants" are not a
    choice about a named actor), in the outlet's own voice (``quoted`` False: a label inside a
    direct quote is the speaker's word), and not a compound ("pro-government", "Hamas-led";
    ``compound`` False). Text columns are normalised.
    """
    require_columns(mentions, ("article_id", "outlet", "entity", "label_set", "label"), "mentions")
    out = mentions.copy()
    for col in ("article_id", "outlet", "entity", "label_set", "label"):
        out[col] = text(out[col])
    keep = (out["label_set"] != "") & (out["entity"] != "")
    keep &= ~_flag(out, "quoted") & ~_flag(out, "compound") & ~_flag(out, "anaphora")
    return out[keep]


def quoted_words(quotes: pd.DataFrame) -> pd.DataFrame:
    """Quotes that count as speech, each quoted word once: scare quotes are left out, and so are
    nested rows (``nested`` true: the quoted words inside an indirect quote, which the host row
    already counts); text columns normalised and ``n_words`` numeric (>= 0)."""
    require_columns(quotes, ("article_id", "outlet", "kind", "voice", "n_words"), "quotes")
    out = quotes.copy()
    for col in ("article_id", "outlet", "kind", "voice"):
        out[col] = text(out[col])
    out = out[(out["kind"] != "scare") & ~_flag(out, "nested")]
    out["n_words"] = np.clip(finite_or_zero(floats(out["n_words"])), 0.0, None)
    return out


def net_stance(stance: pd.DataFrame) -> pd.DataFrame:
    """Stance rows with text columns normalised and ``net = p_pos - p_neg`` (finite rows only)."""
    require_columns(stance, ("article_id", "outlet", "entity", "voice", "p_neg", "p_pos"), "stance")
    out = stance.copy()
    for col in ("article_id", "outlet", "entity", "voice"):
        out[col] = text(out[col])
    out["net"] = floats(out["p_pos"]) - floats(out["p_neg"])
    return out[np.isfinite(out["net"].to_numpy())]


def stance_voices(sums: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """``(voice, per-article sums)`` for each voice present, then ``"all"`` pooling every voice.

    ``sums`` is a stance aggregate (one row per article, entity and voice: ``n``, ``net_sum``,
    ``net_sq``; see :mod:`framing.stats.aggregate`) for one entity; each part has one row per article,
    sorted by article id.
    """
    parts = [(v, sums[sums["voice"] == v]) for v in sorted(sums["voice"].unique())]
    pooled = sums.groupby("article_id", sort=True).agg(
        outlet=("outlet", "first"), n=("n", "sum"), net_sum=("net_sum", "sum"), net_sq=("net_sq", "sum")
    ).reset_index()
    return parts + [(ALL_VOICES, pooled)]
