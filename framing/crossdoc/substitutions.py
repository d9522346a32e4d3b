"""The substitution tables: their columns, the lexicon flag, and the summary per outlet pair.

:func:`framing.crossdoc.align.mine_substitutions` writes one ``substitutions`` row per edit (columns
:data:`SUBSTITUTION_COLUMNS`); :func:`substitution_summary` and :class:`SummaryBuilder` (which
builds it story by story, holding counts, never the edits) count each (a_text -> b_text) per
outlet pair (:data:`SUMMARY_COLUMNS`). Both say, through :func:`lexicon_kinds`, whether the
lexicon already knows a word of an edit (a label form or an entity variant) or whether the edit is
a candidate for the lexicon.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from framing.tables import columns
from framing.text.segment import word_spans
from framing.text.textnorm import fold, normalize

__all__ = [
    "SUBSTITUTION_COLUMNS",
    "SUMMARY_COLUMNS",
    "SummaryBuilder",
    "check_lexicon",
    "lexicon_kinds",
    "substitution_summary",
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



def _union_kinds(mine: str, given: str) -> str:
    return "+".join(sorted({k for k in mine.split("+") if k} | {k for k in given.split("+") if k}))


def _phrase_key(text: str) -> str:
    return " ".join(fold(text).split())


class SummaryBuilder:
    """Builds :func:`substitution_summary` from the substitutions of one story at a time.

    It holds one small aggregate per distinct (outlet pair, kind, a_text, b_text): counts, the
    spellings seen and the first occurrence, never the edits themselves. Distinct stories and
    article pairs are counted within each call, so every story's edits must come in a single call
    (as :func:`mine_substitutions` gives them); a story seen in an earlier call is refused.
    """

    _ORDER = ("story", "article_a", "a_start", "article_b", "b_start")
    _FIRST = _ORDER + ("a_end", "b_end")

    def __init__(self, *, lexicon: Any = None):
        check_lexicon(lexicon)
        self.lexicon = lexicon
        # key -> [n, n_stories, n_pairs, first occurrence (tuple in _FIRST order), a spellings,
        #         b spellings, lexicon kinds]; a spelling seen once is kept as a plain string and
        #         becomes a {spelling: count} dict at the second spelling; kinds is a "+"-joined string
        self._groups: dict[tuple, list] = {}
        self._stories: set[str] = set()
        self._names: dict[str, str] = {}  # one string object per story and article id

    def _name(self, value: str) -> str:
        return self._names.setdefault(value, value)

    def add(self, subs: pd.DataFrame) -> SummaryBuilder:
        """Count the edits of ``subs`` (a table from :func:`mine_substitutions`).

        Raises:
            ValueError: ``subs`` lacks columns, or holds a story already added.
        """
        missing = [c for c in SUBSTITUTION_COLUMNS if c != "lexicon" and c not in subs.columns]
        if missing:
            raise ValueError(f"subs lacks columns {missing}; pass the table from mine_substitutions()")
        stories = set(subs["story"].astype(str))
        again = sorted(stories & self._stories)
        if again:
            raise ValueError(f"the edits of story {again[0]!r} were already added; add each story once, whole")
        self._stories |= stories
        local: dict[tuple, tuple[set, set]] = {}
        given_kinds = subs["lexicon"].tolist() if "lexicon" in subs.columns else [None] * len(subs)
        cols = [subs[c].tolist() for c in ("outlet_a", "outlet_b", "kind", "a_text", "b_text", "story",
                                            "article_a", "article_b", *self._FIRST)]
        for outlet_a, outlet_b, kind, a_text, b_text, story, article_a, article_b, *first_values, given in zip(
            *cols, given_kinds, strict=True
        ):
            key = (outlet_a, outlet_b, kind, _phrase_key(a_text), _phrase_key(b_text))
            first = tuple(self._name(v) if isinstance(v, str) else v for v in first_values)
            g = self._groups.get(key)
            if g is None:
                g = self._groups[key] = [0, 0, 0, first, a_text, b_text, ""]
            else:
                if first[:len(self._ORDER)] < g[3][:len(self._ORDER)]:
                    g[3] = first
                for j, text in ((4, a_text), (5, b_text)):
                    if isinstance(g[j], str):
                        if text != g[j]:
                            g[j] = {g[j]: g[0], text: 0}
                    if isinstance(g[j], dict):
                        g[j][text] = g[j].get(text, 0) + 1
            g[0] += 1
            if isinstance(given, str) and given:
                g[6] = _union_kinds(g[6], given)
            seen = local.setdefault(key, (set(), set()))
            seen[0].add(story)
            seen[1].add((article_a, article_b))
        for key, (in_stories, pairs) in local.items():
            self._groups[key][1] += len(in_stories)
            self._groups[key][2] += len(pairs)
        return self

    def merge(self, other: SummaryBuilder) -> SummaryBuilder:
        """Add the counts of ``other`` (built from other stories, e.g. in a worker process).

        Merging builders in the order their stories would have been added gives the same summary
        as adding every story to one builder.

        Raises:
            ValueError: ``other`` holds a story already added here.
        """
        again = sorted(other._stories & self._stories)
        if again:
            raise ValueError(f"the edits of story {again[0]!r} were already added; add each story once, whole")
        self._stories |= other._stories
        for key, (n, n_stories, n_pairs, first, a, b, kinds) in other._groups.items():
            first = tuple(self._name(v) if isinstance(v, str) else v for v in first)
            g = self._groups.get(key)
            if g is None:
                self._groups[key] = [n, n_stories, n_pairs, first, a, b, kinds]
                continue
            if first[:len(self._ORDER)] < g[3][:len(self._ORDER)]:
                g[3] = first
            for j, theirs in ((4, a), (5, b)):
                mine = g[j]
                if isinstance(mine, str) and isinstance(theirs, str) and mine == theirs:
                    continue
                merged = dict(mine) if isinstance(mine, dict) else {mine: g[0]}
                for text, count in (theirs.items() if isinstance(theirs, dict) else ((theirs, n),)):
                    merged[text] = merged.get(text, 0) + count
                g[j] = merged
            g[0] += n
            g[1] += n_stories
            g[2] += n_pairs
            if kinds:
                g[6] = _union_kinds(g[6], kinds)
        return self

    def result(self) -> pd.DataFrame:
        """The summary table (see :func:`substitution_summary`).

        Built column by column (the cells are the strings already held), so that memory holds the
        aggregates and one table, not a row object per substitution.
        """
        cache: dict[str, str] = {}
        names = ("outlet_a", "outlet_b", "kind", "a_text", "b_text", "n", "n_stories", "n_article_pairs",
                 "lexicon", *self._FIRST, "_a_key", "_b_key")
        cols: dict[str, list] = {name: [] for name in names}
        put = [cols[name].append for name in names]
        for (outlet_a, outlet_b, kind, a_key, b_key), (n, n_stories, n_pairs, first, a, b, given) in self._groups.items():
            a_text = a if isinstance(a, str) else min(a.items(), key=lambda kv: (-kv[1], kv[0]))[0]
            b_text = b if isinstance(b, str) else min(b.items(), key=lambda kv: (-kv[1], kv[0]))[0]
            kinds = lexicon_kinds(self.lexicon, (a_text, b_text), cache) if self.lexicon is not None else given
            for add, value in zip(put, (outlet_a, outlet_b, kind, a_text, b_text, n, n_stories, n_pairs, kinds,
                                        *first, a_key, b_key), strict=True):
                add(value)
        if not self._groups:
            return pd.DataFrame(columns=list(SUMMARY_COLUMNS))
        table = pd.DataFrame(cols)
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
    return SummaryBuilder(lexicon=lexicon).add(subs).result()
