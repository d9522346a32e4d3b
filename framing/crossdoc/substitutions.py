"""The substitution tables: their columns, the lexicon flag, and the summary per outlet pair.

:func:`framing.crossdoc.align.mine_substitutions` writes one ``substitutions`` row per edit (columns
:data:`SUBSTITUTION_COLUMNS`); :func:`substitution_summary` and :func:`summary_from_parts` (which
reads a spooled table part by part, in partitions of outlet pairs when it is large) count each
(a_text -> b_text) per outlet pair (:data:`SUMMARY_COLUMNS`). Both say, through :func:`lexicon_kinds`, whether the
lexicon already knows a word of an edit (a label form or an entity variant) or whether the edit is
a candidate for the lexicon.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

import numpy as np
import pandas as pd

from framing.tables import columns
from framing.text.segment import word_spans
from framing.text.textnorm import fold, normalize

__all__ = [
    "SUBSTITUTION_COLUMNS",
    "SUMMARY_COLUMNS",
    "SUMMARY_PART_ROWS",
    "check_lexicon",
    "iter_summary",
    "lexicon_kinds",
    "substitution_summary",
    "summary_from_parts",
]

SUBSTITUTION_COLUMNS = columns("substitutions")
SUMMARY_COLUMNS = columns("substitution_summary")


def lexicon_kinds(lexicon: Any, texts: Iterable[str], cache: dict[str, str]) -> str:
    """'label', 'entity', 'entity+label' or '': what the lexicon recognises in the texts, whole
    or word by word."""
    kinds = set()
    for text in texts:
        phrases = [text] + [text[s:e] for s, e in word_spans(normalize(text))]
        for phrase in phrases:
            if phrase and phrase not in cache:
                cache[phrase] = lexicon.classify(phrase) or ""
            if phrase and cache[phrase]:
                kinds.add(cache[phrase])
    return "+".join(sorted(kinds))


def check_lexicon(lexicon: Any) -> None:
    """Raise ``TypeError`` unless ``lexicon`` is None or has a ``classify(phrase)`` method."""
    if lexicon is not None and not callable(getattr(lexicon, "classify", None)):
        raise TypeError("lexicon must have a classify(phrase) method (see framing.lexicon.load)")



def _phrase_key(text: str) -> str:
    return " ".join(fold(text).split())


SUMMARY_PART_ROWS = 250_000
"""Edits aggregated at a time by :func:`iter_summary`: above it, the edits are summarised in
consecutive ranges of outlet pairs (same table, one spool read per range)."""

_ORDER = ("story", "article_a", "a_start", "article_b", "b_start")  # the first occurrence is the smallest
_NEEDED = ("story", "outlet_a", "outlet_b", "article_a", "article_b", "a_text", "b_text", "kind",
           "a_start", "a_end", "b_start", "b_end")


def _codes(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes in the sort order of the values, and the sorted distinct values."""
    codes, uniques = pd.factorize(values, sort=True, use_na_sentinel=False)
    return codes, np.asarray(uniques, dtype=object)


def _phrase_codes(codes: np.ndarray, uniques: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each text's phrase key as a code (texts given as :func:`_codes`), folding each distinct
    text once; and the keys."""
    key_codes, keys = pd.factorize(pd.Series([_phrase_key(t) for t in uniques], dtype=object), sort=True)
    return key_codes[codes], np.asarray(keys, dtype=object)


def _most_frequent(group: np.ndarray, codes: np.ndarray, n_groups: int) -> np.ndarray:
    """Per group, the code seen most often in it (ties: the smallest code, i.e. the smallest text)."""
    counts = pd.DataFrame({"g": group, "c": codes}).value_counts(sort=False).reset_index(name="n")
    counts = counts.sort_values(["g", "n", "c"], ascending=[True, False, True], ignore_index=True)
    best = counts.drop_duplicates("g")
    out = np.empty(n_groups, dtype=np.int64)
    out[best["g"].to_numpy()] = best["c"].to_numpy()
    return out


def _aggregate(edits: pd.DataFrame) -> pd.DataFrame:
    """One row per distinct edit of ``edits`` (outlet pair, kind, folded a and b text): its counts,
    most frequent spellings, first occurrence and the lexicon kinds its edits carry.

    Works on integer codes of the columns, so memory holds the codes, not a Python object per edit.
    """
    edits = edits.reset_index(drop=True)
    spelled = {side: _codes(edits[side]) for side in ("a_text", "b_text")}
    a_key, a_keys = _phrase_codes(*spelled["a_text"])
    b_key, b_keys = _phrase_codes(*spelled["b_text"])
    work = pd.DataFrame({"outlet_a": edits["outlet_a"], "outlet_b": edits["outlet_b"], "kind": edits["kind"],
                         "a": a_key, "b": b_key})
    group = work.groupby(list(work.columns), sort=False, dropna=False).ngroup().to_numpy()
    n_groups = int(group.max()) + 1
    story, _ = _codes(edits["story"])
    article_a, _ = _codes(edits["article_a"])
    article_b, _ = _codes(edits["article_b"])
    # the first occurrence: the smallest (story, article_a, a_start, article_b, b_start), then input order
    order = pd.DataFrame({"g": group, "story": story, "article_a": article_a, "a_start": edits["a_start"].to_numpy(),
                          "article_b": article_b, "b_start": edits["b_start"].to_numpy(), "row": np.arange(len(edits))})
    first = order.sort_values(["g", *_ORDER, "row"], ignore_index=True).drop_duplicates("g")["row"].to_numpy()
    out = edits.loc[first, ["outlet_a", "outlet_b", "kind", "story", "article_a", "a_start", "a_end", "article_b",
                            "b_start", "b_end"]].reset_index(drop=True)
    out["_a_key"], out["_b_key"] = a_keys[a_key[first]], b_keys[b_key[first]]
    for side, (codes, texts) in spelled.items():
        out[side] = texts[_most_frequent(group, codes, n_groups)]
    out["n"] = np.bincount(group, minlength=n_groups)
    out["n_stories"] = np.bincount(pd.DataFrame({"g": group, "s": story}).drop_duplicates()["g"], minlength=n_groups)
    pairs = pd.DataFrame({"g": group, "a": article_a, "b": article_b}).drop_duplicates()
    out["n_article_pairs"] = np.bincount(pairs["g"], minlength=n_groups)
    out["lexicon"] = _carried_kinds(edits, group, n_groups) if "lexicon" in edits.columns else ""
    return out


def _carried_kinds(edits: pd.DataFrame, group: np.ndarray, n_groups: int) -> np.ndarray:
    """Per group, the union of the kinds its edits carry (``"entity+label"``), sorted and joined.

    Each distinct kind word is a bit; a group's kinds are the OR of its edits' bits, so the work
    is column-wise, whatever the number of groups.
    """
    given = edits["lexicon"].fillna("").astype(str).to_numpy(dtype=object)
    codes, values = pd.factorize(given, sort=True)
    words = sorted({w for v in values for w in str(v).split("+") if w})
    if not words:
        return np.full(n_groups, "", dtype=object)
    if len(words) > 62:
        raise ValueError(f"more than 62 lexicon kinds in the substitutions: {words[:5]} ...")
    bit = {w: 1 << i for i, w in enumerate(words)}
    value_bits = np.array([sum(bit[w] for w in set(str(v).split("+")) if w) for v in values], dtype=np.int64)
    masks = np.zeros(n_groups, dtype=np.int64)
    np.bitwise_or.at(masks, group, value_bits[codes])
    distinct, inverse = np.unique(masks, return_inverse=True)
    names = np.array(["+".join(w for i, w in enumerate(words) if m >> i & 1) for m in distinct], dtype=object)
    return names[inverse]


def _finish(aggregates: pd.DataFrame, lexicon: Any) -> pd.DataFrame:
    """The summary table from the aggregates: lexicon kinds, order, rank, candidate flag."""
    if not len(aggregates):
        return pd.DataFrame(columns=list(SUMMARY_COLUMNS))
    table = aggregates
    if lexicon is not None:
        cache: dict[str, str] = {}
        table["lexicon"] = [lexicon_kinds(lexicon, pair, cache) for pair in zip(table["a_text"], table["b_text"],
                                                                                   strict=True)]
    table["_a_fold"] = table["outlet_a"].map(str.casefold)
    table["_b_fold"] = table["outlet_b"].map(str.casefold)
    # by outlet pair (case-insensitively, then as written), most frequent first, then text;
    # the last keys make the group key, so the order is total
    table = table.sort_values(
        ["_a_fold", "outlet_a", "_b_fold", "outlet_b", "n", "n_stories", "_a_key", "_b_key", "kind"],
        ascending=[True, True, True, True, False, False, True, True, True], kind="stable", ignore_index=True,
    )
    table["rank"] = table.groupby(["outlet_a", "outlet_b"], sort=False).cumcount() + 1
    table["candidate"] = table["lexicon"] == ""
    return table[list(SUMMARY_COLUMNS)]


def _check_edits(columns: Iterable[str]) -> None:
    missing = [c for c in _NEEDED if c not in set(columns)]
    if missing:
        raise ValueError(f"subs lacks columns {missing}; pass the table from mine_substitutions()")


def _pair_order(pairs: pd.DataFrame) -> pd.DataFrame:
    """Outlet pairs (``outlet_a``, ``outlet_b``, ``n``) in the summary's order of outlet pairs."""
    keyed = pairs.assign(_a=pairs["outlet_a"].map(str.casefold), _b=pairs["outlet_b"].map(str.casefold))
    return keyed.sort_values(["_a", "outlet_a", "_b", "outlet_b"], kind="stable", ignore_index=True)


def iter_summary(
    parts: Callable[[], Iterable[pd.DataFrame]],
    *,
    n_rows: int,
    lexicon: Any = None,
    max_rows: int = SUMMARY_PART_ROWS,
) -> Iterator[pd.DataFrame]:
    """The rows of :func:`summary_from_parts`, in table order, one range of outlet pairs at a time.

    Above ``max_rows`` edits, a first read counts the edits of each outlet pair; the pairs, in the
    table's order, are cut into consecutive ranges of at most ``max_rows`` edits (a larger pair
    alone), and each range is read, summarised and yielded in turn. Every group of the summary lies
    within one outlet pair and the table is ordered by outlet pair first, so the ranges, one after
    the other, are the table; memory holds one range's edits and summary rows.
    """
    check_lexicon(lexicon)
    if max_rows < 1:
        raise ValueError(f"max_rows must be at least 1, got {max_rows}")

    def checked():
        for part in parts():
            _check_edits(part.columns)
            if len(part):
                yield part

    if n_rows <= max_rows:
        chunk = list(checked())
        if chunk:
            yield _finish(_aggregate(pd.concat(chunk, ignore_index=True) if len(chunk) > 1 else chunk[0]), lexicon)
        return
    sizes = pd.concat([p.groupby(["outlet_a", "outlet_b"], sort=False).size() for p in checked()])
    if not len(sizes):
        return
    pairs = _pair_order(sizes.groupby(level=[0, 1], sort=False).sum().rename("n").reset_index())
    ranges, current, rows = np.empty(len(pairs), dtype=np.int64), 0, 0
    for i, n in enumerate(pairs["n"].to_numpy()):  # greedy: a new range when this pair would overflow
        if rows and rows + n > max_rows:
            current, rows = current + 1, 0
        ranges[i], rows = current, rows + int(n)
    range_of = pd.Series(ranges, index=pd.MultiIndex.from_frame(pairs[["outlet_a", "outlet_b"]]))
    codes = [range_of.reindex(pd.MultiIndex.from_frame(p[["outlet_a", "outlet_b"]])).to_numpy() for p in checked()]
    for r in range(int(ranges[-1]) + 1):
        chunk = [p[c == r] for p, c in zip(checked(), codes, strict=True) if (c == r).any()]
        if chunk:
            yield _finish(_aggregate(pd.concat(chunk, ignore_index=True) if len(chunk) > 1 else chunk[0]), lexicon)


def summary_from_parts(
    parts: Callable[[], Iterable[pd.DataFrame]],
    *,
    n_rows: int,
    lexicon: Any = None,
    max_rows: int = SUMMARY_PART_ROWS,
) -> pd.DataFrame:
    """:func:`substitution_summary` of the edits in ``parts()`` (e.g. the parts of a spooled
    ``substitutions`` table), without building the whole edit table when it is large.

    Args:
        parts: A callable returning a fresh iterator over the edit tables, in order.
        n_rows: The edits in all parts (above ``max_rows``, they are summarised in ranges).
        lexicon: As for :func:`substitution_summary`.
        max_rows: Edits summarised at once: above it, consecutive ranges of outlet pairs of at
            most ``max_rows`` edits each (see :func:`iter_summary`; one more read of ``parts()``
            per range). The table does not depend on it.

    Raises:
        ValueError: A part lacks a column of :data:`SUBSTITUTION_COLUMNS` the summary needs.
    """
    pieces = list(iter_summary(parts, n_rows=n_rows, lexicon=lexicon, max_rows=max_rows))
    if not pieces:
        return pd.DataFrame(columns=list(SUMMARY_COLUMNS))
    return pd.concat(pieces, ignore_index=True) if len(pieces) > 1 else pieces[0]


def substitution_summary(subs: pd.DataFrame, *, lexicon: Any = None) -> pd.DataFrame:
    """Count each substitution (a_text -> b_text, case- and typography-insensitive) per outlet pair.

    Args:
        subs: The table from :func:`mine_substitutions`.
        lexicon: Optional object with ``classify(phrase)``. Given, it decides the ``lexicon``
            column; otherwise the ``lexicon`` column of ``subs`` is carried over.

    Returns:
        A DataFrame with :data:`SUMMARY_COLUMNS`, one row per outlet pair, kind and (a, b) text,
        ranked within the outlet pair by count (``n``), then stories, then text. ``a_text`` and
        ``b_text`` show the most frequent original spelling; ``candidate`` is True when the
        lexicon recognises nothing in the edit (a candidate entry for the lexicon; every row
        when no lexicon was used); ``article_a`` .. ``b_end`` locate the first occurrence.
    """
    check_lexicon(lexicon)
    _check_edits(subs.columns)
    return _finish(_aggregate(subs), lexicon) if len(subs) else pd.DataFrame(columns=list(SUMMARY_COLUMNS))
