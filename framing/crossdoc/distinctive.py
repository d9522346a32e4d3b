"""Distinctive terms per outlet: weighted log-odds ratios with an informative Dirichlet prior.

Method: Monroe, Colaresi & Quinn (2008), "Fightin' Words: Lexical Feature Selection and
Evaluation for Identifying the Content of Political Conflict", *Political Analysis* 16(4),
372-403, section 3.5 (eqs. 16, 18-22). Each outlet ``i`` is compared with all other outlets
pooled (``j``). For an n-gram ``w`` with counts ``y_iw``, ``y_jw``, totals ``n_i``, ``n_j`` and
prior pseudo-counts ``a_w`` summing to ``a_0``::

    delta_w = log[(y_iw + a_w) / (n_i + a_0 - y_iw - a_w)] - log[(y_jw + a_w) / (n_j + a_0 - y_jw - a_w)]
    var(delta_w) ~= 1 / (y_iw + a_w) + 1 / (y_jw + a_w)
    z_w = delta_w / sqrt(var(delta_w))

The prior is *informative*: ``a_w = prior * b_w`` where ``b_w`` is the count of ``w`` in a
background corpus, by default the input itself (all outlets together), so that frequent words
need more evidence to stand out. Positive ``z`` marks terms the outlet uses more than the rest.

Text is cut into whole tokens by :func:`tokenize` before n-grams are formed, so a term only
ever matches whole tokens: "war" is never found inside "software" (unlike substring matching).
N-grams do not cross sentence punctuation (``. ! ? ; :``).
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping

import numpy as np
import pandas as pd

from framing.tables import columns

__all__ = [
    "DISTINCTIVE_COLUMNS",
    "check_options",
    "count_ngrams",
    "distinctive_terms",
    "distinctive_terms_from_counts",
    "merge_scored",
    "ngrams",
    "log_odds_z",
    "score_terms",
    "tokenize",
]

logger = logging.getLogger(__name__)

DISTINCTIVE_COLUMNS = columns("distinctive_terms")

#: Dotted abbreviations (u.s., u.n.), words and numbers with inner apostrophes or hyphens
#: (al-assad, don't, 1,000), and sentence punctuation as boundary tokens.
_TOKEN = re.compile(r"(?:[^\W\d_]\.){2,}|[^\W_]+(?:['\-][^\W_]+|[.,]\d+)*|[.!?;:]")
_BOUNDARY = frozenset(".!?;:")
_FOLD = str.maketrans({"\u2019": "'", "\u2018": "'", "\u2010": "-", "\u2011": "-"})
_MISSING_BACKGROUND = 0.5  # pseudo-count of a term absent from an external background corpus


def tokenize(text: str) -> list[str]:
    """Lower-cased whole tokens of ``text``; sentence punctuation kept as boundary tokens.

    Curly apostrophes and hyphens are folded to ASCII; a possessive ``'s`` is dropped.

    >>> tokenize("U.S. officials said: the war’s software.")
    ['u.s.', 'officials', 'said', ':', 'the', 'war', 'software', '.']
    """
    tokens = _TOKEN.findall(text.translate(_FOLD).lower())
    return [t.removesuffix("'s") for t in tokens]


def ngrams(tokens: list[str], ngram_range: tuple[int, int] = (1, 2)) -> Iterator[str]:
    """Space-joined n-grams of whole tokens, never spanning a boundary token."""
    lo, hi = ngram_range
    segment: list[str] = []
    for token in [*tokens, "."]:
        if token in _BOUNDARY:
            for n in range(lo, hi + 1):
                for i in range(len(segment) - n + 1):
                    yield " ".join(segment[i : i + n])
            segment = []
        else:
            segment.append(token)


def count_ngrams(texts: Iterable[str], ngram_range: tuple[int, int] = (1, 2)) -> Counter:
    """N-gram counts over ``texts``."""
    counts: Counter = Counter()
    for text in texts:
        counts.update(ngrams(tokenize(str(text)), ngram_range))
    return counts


def _texts_by_outlet(texts) -> dict[str, list[str]]:
    """Normalise the accepted inputs to ``{outlet: [text, ...]}``."""
    if isinstance(texts, pd.DataFrame):
        missing = [c for c in ("outlet", "text") if c not in texts.columns]
        if missing:
            raise ValueError(f"a table of texts needs columns outlet and text; missing {', '.join(missing)}")
        grouped: dict[str, list[str]] = {}
        for outlet, text in zip(texts["outlet"].astype(str), texts["text"].fillna("").astype(str), strict=True):
            grouped.setdefault(outlet, []).append(text)
        return grouped
    if isinstance(texts, Mapping):
        out = {}
        for outlet, items in texts.items():
            if isinstance(items, str):
                raise TypeError(f"texts for outlet {outlet!r} must be an iterable of strings, not one string")
            out[str(outlet)] = [str(t) for t in items]
        return out
    raise TypeError(
        "texts must be a mapping outlet -> iterable of texts, or a DataFrame with outlet and text"
    )


def check_options(ngram_range: tuple[int, int], prior: float, min_count: int) -> None:
    lo, hi = ngram_range
    if not (isinstance(lo, int) and isinstance(hi, int) and 1 <= lo <= hi):
        raise ValueError(f"ngram_range must be (min_n, max_n) with 1 <= min_n <= max_n, got {ngram_range!r}")
    if not prior > 0:
        raise ValueError(f"prior must be positive, got {prior!r}")
    if min_count < 1:
        raise ValueError(f"min_count must be at least 1, got {min_count!r}")


def distinctive_terms(
    texts: Mapping[str, Iterable[str]] | pd.DataFrame,
    *,
    ngram_range: tuple[int, int] = (1, 2),
    prior: float = 0.1,
    background: Mapping[str, float] | None = None,
    min_count: int = 3,
    top: int | None = None,
) -> pd.DataFrame:
    """Terms that distinguish each outlet from all the others (Monroe, Colaresi & Quinn 2008).

    Args:
        texts: Outlet -> iterable of (normalised) texts, or a DataFrame with ``outlet`` and
            ``text`` columns (one row per article).
        ngram_range: Smallest and largest n-gram length, in whole tokens.
        prior: Scale of the informative Dirichlet prior: ``a_w = prior * b_w``. With the default
            background (the input itself) and ``prior=0.1`` the prior weighs a tenth of the data
            (``a_0`` = 10% of all n-grams). ``prior=1`` shrinks so hard that a term used by one
            outlet only can reach at most ``log 2`` in log-odds; report the value you use.
        background: Term counts of a background corpus (n-grams as produced by
            :func:`count_ngrams`); terms absent from it get a pseudo-count of 0.5. Default: the
            input's own counts.
        min_count: Report only terms used at least this often in the whole input.
        top: Keep only the ``top`` terms with the highest ``z`` per outlet (default: all).

    Returns:
        outlet, term, log_odds, z, count_outlet, count_rest; sorted by outlet, then ``z``
        descending, then term.

    Raises:
        ValueError: Fewer than two outlets with text, or unusable options.
    """
    check_options(ngram_range, prior, min_count)
    counters = {o: count_ngrams(t, ngram_range) for o, t in sorted(_texts_by_outlet(texts).items())}
    return distinctive_terms_from_counts(
        counters, ngram_range=ngram_range, prior=prior, background=background, min_count=min_count, top=top
    )


def distinctive_terms_from_counts(
    counters: Mapping[str, Mapping[str, int]],
    *,
    ngram_range: tuple[int, int] = (1, 2),
    prior: float = 0.1,
    background: Mapping[str, float] | None = None,
    min_count: int = 3,
    top: int | None = None,
) -> pd.DataFrame:
    """:func:`distinctive_terms` from n-gram counts per outlet (as :func:`count_ngrams` makes them).

    For corpora streamed article by article: accumulate each outlet's counts, then call this.
    ``ngram_range`` is only checked; the counts decide which n-grams exist.
    """
    check_options(ngram_range, prior, min_count)
    counters = {str(o): c for o, c in sorted(counters.items()) if c}
    if len(counters) < 2:
        raise ValueError(f"distinctive terms need text from at least two outlets, got {sorted(counters)}")
    vocab = sorted(set().union(*counters.values()))
    outlets = list(counters)
    y = np.array([[counters[o].get(w, 0) for w in vocab] for o in outlets], dtype=float)
    total = y.sum(axis=0)
    if background is None:
        alpha = prior * total
    else:
        alpha = prior * np.array(
            [float(background.get(w, _MISSING_BACKGROUND)) or _MISSING_BACKGROUND for w in vocab]
        )
    # with the input as background, a_0 = prior * (all n-grams): written so, it does not depend on
    # which terms are scored together (see framing.crossdoc.termcounts, which scores them in partitions)
    alpha0 = prior * total.sum() if background is None else alpha.sum()
    frames = score_terms(vocab, outlets, y, alpha, alpha0, y.sum(axis=1), min_count=min_count, top=top)
    logger.info(
        "distinctive terms: %d outlets, %d terms kept of %d", len(outlets), int((total >= min_count).sum()), len(vocab)
    )
    return merge_scored(frames, top=top)


def log_odds_z(y: np.ndarray, alpha: np.ndarray, alpha0: float, totals: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(outlets, terms)`` log-odds and z of each outlet against the rest (eqs. 16, 18-22 of the paper).

    Args:
        y: ``(outlets, terms)`` counts.
        alpha, alpha0: Prior pseudo-counts of the terms and their sum over the whole vocabulary.
        totals: N-grams per outlet over the whole vocabulary (``n_i``).
    """
    total = y.sum(axis=0)
    n_i = np.asarray(totals, dtype=float)[:, None]
    n_j = float(np.sum(totals)) - n_i
    y_j = total[None, :] - y
    delta = np.log((y + alpha) / (n_i + alpha0 - y - alpha)) - np.log((y_j + alpha) / (n_j + alpha0 - y_j - alpha))
    return delta, delta / np.sqrt(1.0 / (y + alpha) + 1.0 / (y_j + alpha))


def score_terms(
    vocab: list[str],
    outlets: list[str],
    y: np.ndarray,
    alpha: np.ndarray,
    alpha0: float,
    totals: np.ndarray,
    *,
    min_count: int,
    top: int | None,
) -> list[pd.DataFrame]:
    """Log-odds and z of ``vocab`` for each outlet against the rest (:func:`log_odds_z`).

    Args:
        vocab: Terms scored (any subset of the corpus vocabulary), in sorted order.
        outlets: Outlet names, rows of ``y``.
        y: ``(outlets, terms)`` counts.
        alpha, alpha0: Prior pseudo-counts of the terms and their sum over the whole vocabulary.
        totals: N-grams per outlet over the whole vocabulary (``n_i``).
        min_count: Terms used fewer times in all outlets are not reported.
        top: Keep each outlet's ``top`` highest z (None: all).

    Returns:
        One frame (DISTINCTIVE_COLUMNS) of every outlet in ``outlets`` order, each outlet's rows
        by z descending then term; the top of an outlet is chosen with a partial sort, so the cost
        is linear in the vocabulary for every outlet, not a full sort per outlet.
    """
    total = y.sum(axis=0)
    keep = np.flatnonzero(total >= min_count)
    delta, z = log_odds_z(y[:, keep], np.broadcast_to(alpha, total.shape)[keep], alpha0, totals)
    rows_i, rows_j = [], []
    for i in range(len(outlets)):
        zi = z[i]
        cand = np.arange(zi.size)
        if top is not None and top < zi.size:
            cut = np.partition(-zi, top - 1)[top - 1]  # the top-th largest z, ties kept below
            cand = np.flatnonzero(-zi <= cut)
        order = cand[np.lexsort((cand, -zi[cand]))]  # z descending, then term (vocab is sorted)
        if top is not None:
            order = order[:top]
        rows_i.append(np.full(order.size, i))
        rows_j.append(order)
    ii = np.concatenate(rows_i) if rows_i else np.zeros(0, int)
    jj = np.concatenate(rows_j) if rows_j else np.zeros(0, int)
    kept_terms = np.array(vocab, dtype=object)[keep]
    y_kept = y[:, keep]
    frame = pd.DataFrame({
        "outlet": np.array(outlets, dtype=object)[ii] if len(outlets) else np.zeros(0, object),
        "term": kept_terms[jj],
        "log_odds": delta[ii, jj],
        "z": z[ii, jj],
        "count_outlet": y_kept[ii, jj].astype(np.int64),
        "count_rest": (total[keep][jj] - y_kept[ii, jj]).astype(np.int64),
    })
    return [frame]


def merge_scored(frames: list[pd.DataFrame], *, top: int | None) -> pd.DataFrame:
    """Scored frames (any number per outlet) as one table: by outlet, z descending, term; ``top`` each."""
    frames = [f for f in frames if len(f)] or frames[:1]  # empty pieces would turn text columns to object
    if not frames:
        return pd.DataFrame(columns=list(DISTINCTIVE_COLUMNS))
    out = pd.concat(frames, ignore_index=True)
    out = out.sort_values(["outlet", "z", "term"], ascending=[True, False, True], kind="mergesort")
    if top is not None:
        out = out.groupby("outlet", sort=False).head(top)
    return out.loc[:, list(DISTINCTIVE_COLUMNS)].reset_index(drop=True)
