"""Stories: which articles report the same event, and which of their sentences correspond.

**Grouping.** Alignment compares only versions of one story. When the input gives a ``story``
per article, that is the grouping. Articles without one are clustered: TF-IDF vectors
(scikit-learn's :class:`~sklearn.feature_extraction.text.TfidfVectorizer`, English stop words
removed, sublinear term frequency, accents stripped) compared by cosine similarity, merged by
average-linkage agglomerative clustering (:class:`~sklearn.cluster.AgglomerativeClustering`) while
the mean similarity between two groups exceeds ``threshold``, and never across more than
``window_days`` between publication dates. The date window is strict: two articles further apart
than the window are never in one cluster (an article without a readable date is compatible with
any date).

Default threshold: on newswcl50-dev (5 events x 5 outlets, ``story`` withheld), same-event
pairs have TF-IDF cosine 0.15-0.42 and different-event pairs 0.01-0.26 (two North Korea events);
thresholds 0.18-0.20 recover the five events exactly (below, the North Korea events merge;
above, short articles split off). The default 0.19 is fitted on that one small set and IDF
depends on the corpus: check the grouping on yours (``benchmarks/align_cost.py`` shows how).

**Sentence correspondence** between two versions (used by :mod:`framing.crossdoc.align`):

1. *Tokens.* Each kept sentence (``Document.sentences``, boilerplate excluded) is split into
   words with :func:`framing.text.segment.word_spans`; words are compared case- and
   typography-insensitively (on ``Document.norm``, lower-cased). Function words are scikit-learn's
   English stop-word list (the Glasgow IR list) plus contractions of them ("it's", "don't"); every
   other word is a content word.
2. *Similarity* is difflib's ratio on the token lists, ``2*M/(len_a+len_b)`` with ``M`` the tokens
   matched in order (Ratcliff-Obershelp, :class:`difflib.SequenceMatcher`, computed by cydifflib's
   C++ implementation of it, which returns the same matching blocks). A pair is a candidate
   when at least ``min_shared`` content words match and either the ratio reaches
   ``sentence_threshold``, or it reaches ``partial_threshold`` and one verbatim run holds at least
   ``min_run`` content words (a rewritten sentence that kept a clause and replaced the rest).
   Sentences with identical words occurring once in each version pair at once (as in patience
   diff); for the others, exact ratios are computed only for pairs whose longest-common-
   subsequence bounds can pass.
3. *Alignment.* First the one-to-one, order-preserving alignment with the largest total
   similarity (dynamic programming, as in Needleman-Wunsch with zero gap cost); then, greedily by
   decreasing similarity, the remaining candidates whose matched words (first to last matched run
   holding a content word, on each side) overlap no words already aligned: sentences "moved" out
   of order, and sentences "merged" or split in rewriting (one sentence paired with two whose
   matches fall on different parts of it). No word is aligned twice.
"""

from __future__ import annotations

import datetime as _dt
import functools
import warnings
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

import cydifflib
import numpy as np
from rapidfuzz.distance import Indel, LCSseq
from rapidfuzz.process import cdist

from framing.text.segment import Document, Span, word_spans

__all__ = [
    "group_stories",
    "story_similarity",
    "tokenize_sentences",
    "align_sentences",
    "is_function_word",
    "SentenceTokens",
    "SentenceOptions",
    "SentencePair",
    "DEFAULT_STORY_THRESHOLD",
    "DEFAULT_WINDOW_DAYS",
    "MEMO_MAX",
]

#: Mean TF-IDF cosine similarity above which two groups of articles are one story.
DEFAULT_STORY_THRESHOLD = 0.19
#: Largest gap, in days, between the publication dates of two articles of one story.
DEFAULT_WINDOW_DAYS = 3
#: Prefix of story ids made by clustering (followed by the smallest article id in the cluster).
AUTO_PREFIX = "auto:"


def story_similarity(documents: Iterable[Document]) -> np.ndarray:
    """Pairwise TF-IDF cosine similarity of documents (the measure :func:`group_stories` uses).

    Args:
        documents: Documents, in any order.

    Returns:
        A symmetric ``n x n`` array with ones on the diagonal (zeros for empty documents).
    """
    from sklearn.feature_extraction.text import TfidfVectorizer

    docs = list(documents)
    if not docs:
        return np.zeros((0, 0))
    # title and kept sentences (boilerplate excluded), typography normalised
    texts = [d.article.title + "\n" + "\n".join(d.norm[s:e] for s, e in d.sentences) for d in docs]
    try:
        matrix = TfidfVectorizer(
            lowercase=True, strip_accents="unicode", stop_words="english", sublinear_tf=True
        ).fit_transform(texts)
    except ValueError:  # every document empty or only stop words
        return np.eye(len(docs))
    sim = (matrix @ matrix.T).toarray()
    np.fill_diagonal(sim, 1.0)
    return np.clip(sim, 0.0, 1.0)


def _parse_date(value: str) -> _dt.date | None:
    """ISO date (``YYYY-MM-DD``, optionally followed by a time) or None."""
    try:
        return _dt.date.fromisoformat(value.strip()[:10]) if value.strip() else None
    except ValueError:
        return None


def _cluster(docs: list[Document], *, threshold: float, window_days: float | None) -> list[int]:
    """Cluster labels (0..k-1, numbered by first appearance) for ``docs``."""
    n = len(docs)
    if n == 1:
        return [0]
    distance = 1.0 - story_similarity(docs)
    if window_days is not None:
        dates = [_parse_date(d.article.date) for d in docs]
        unreadable = sum(1 for d, p in zip(docs, dates, strict=True) if d.article.date.strip() and p is None)
        if unreadable:
            warnings.warn(f"{unreadable} article date(s) are not ISO dates (YYYY-MM-DD); those "
                          "articles are treated as compatible with any date", stacklevel=3)
        # A gap beyond the window gets a distance so large that the average over any two groups
        # containing that pair exceeds every threshold (n*n >= |U|*|V|): the window is strict.
        far = float(n * n + 1)
        for i in range(n):
            for j in range(i + 1, n):
                if dates[i] and dates[j] and abs((dates[i] - dates[j]).days) > window_days:
                    distance[i, j] = distance[j, i] = far
    from sklearn.cluster import AgglomerativeClustering

    labels = AgglomerativeClustering(n_clusters=None, metric="precomputed", linkage="average",
                                     distance_threshold=1.0 - threshold).fit_predict(distance)
    renumber: dict[int, int] = {}
    return [renumber.setdefault(int(label), len(renumber)) for label in labels]


def group_stories(
    documents: Iterable[Document],
    *,
    threshold: float = DEFAULT_STORY_THRESHOLD,
    window_days: float | None = DEFAULT_WINDOW_DAYS,
    use_story: bool = True,
) -> dict[str, list[Document]]:
    """Group documents by story: the given ``article.story``, else by TF-IDF clustering.

    Method: see the module docstring (TF-IDF cosine, average-linkage agglomerative clustering,
    strict date window). Clustered stories are named ``"auto:<smallest article id>"``.

    Args:
        documents: Documents of any number of stories.
        threshold: Mean cosine similarity (0-1) two groups must exceed to be merged.
        window_days: Largest date gap within one story, in days; None for no window.
        use_story: If True (default), articles with a non-empty ``story`` are grouped by it and
            only the others are clustered; if False, every article is clustered.

    Returns:
        Story id -> documents (in input order), story ids sorted.

    Raises:
        ValueError: If ``threshold`` is outside [0, 1] or ``window_days`` is negative.
    """
    if not 0.0 <= threshold <= 1.0:
        raise ValueError(f"threshold must be in [0, 1], got {threshold!r}")
    if window_days is not None and window_days < 0:
        raise ValueError(f"window_days must be >= 0 or None, got {window_days!r}")
    groups: dict[str, list[Document]] = {}
    unassigned: list[Document] = []
    for doc in documents:
        story = doc.article.story.strip() if use_story else ""
        if story:
            groups.setdefault(story, []).append(doc)
        else:
            unassigned.append(doc)
    if unassigned:
        labels = _cluster(unassigned, threshold=threshold, window_days=window_days)
        clusters: dict[int, list[Document]] = {}
        for label, doc in zip(labels, unassigned, strict=True):
            clusters.setdefault(label, []).append(doc)
        for members in clusters.values():
            name = AUTO_PREFIX + min(d.article.id for d in members)
            groups.setdefault(name, []).extend(members)
    return {k: groups[k] for k in sorted(groups)}


# --- sentence correspondence -------------------------------------------------------------------


@dataclass(frozen=True)
class SentenceOptions:
    """When two sentences correspond (see the module docstring); validated on creation.

    Attributes:
        sentence_threshold: Smallest difflib ratio for two sentences to align.
        partial_threshold: Smallest ratio for a pair sharing a verbatim run of ``min_run``
            content words.
        min_run: Content words in one verbatim run that make a partial rewrite alignable.
        min_shared: Content words two aligned sentences must share, at least.
    """

    sentence_threshold: float = 0.5
    partial_threshold: float = 0.3
    min_run: int = 4
    min_shared: int = 2

    def __post_init__(self) -> None:
        for name in ("sentence_threshold", "partial_threshold"):
            value = getattr(self, name)
            if not isinstance(value, (int, float)) or not 0.0 < value <= 1.0:
                raise ValueError(f"{name} must be in (0, 1], got {value!r}")
        for name in ("min_run", "min_shared"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ValueError(f"{name} must be a positive integer, got {value!r}")


@functools.cache
def _stop_words() -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS)


@functools.lru_cache(maxsize=65536)
def is_function_word(key: str) -> bool:
    """Is a folded word a function word (stop word, or a contraction of one: "it's", "don't")?"""
    stop = _stop_words()
    if key in stop:
        return True
    return "'" in key and (key.split("'")[0] in stop or key.endswith("n't"))


@dataclass(frozen=True)
class SentenceTokens:
    """The words of one kept sentence.

    Attributes:
        index: Position of the sentence in ``Document.sentences``.
        start, end: The sentence span (original offsets).
        spans: Word spans (original offsets).
        keys: Words folded for comparison (case and typography; ``norm`` lower-cased).
        content: Per word, True for a content word (not a function word).
        content_keys: The content words' keys, in order.
    """

    index: int
    start: int
    end: int
    spans: tuple[Span, ...]
    keys: tuple[str, ...]
    content: tuple[bool, ...]
    content_keys: tuple[str, ...]


def tokenize_sentences(doc: Document) -> list[SentenceTokens]:
    """Words of each kept sentence of ``doc`` (sentences without a word are left out)."""
    out = []
    norm = doc.norm
    known: dict[str, tuple[str, bool]] = {}  # word as written -> (key, content word): one string per distinct word
    for k, (start, end) in enumerate(doc.sentences):
        spans = tuple(word_spans(norm, start, end))
        if spans:
            facts = []
            for s, e in spans:
                word = norm[s:e]
                fact = known.get(word)
                if fact is None:
                    key = word.lower()
                    fact = known[word] = (key, not is_function_word(key))
                facts.append(fact)
            keys = tuple(key for key, _ in facts)
            content = tuple(c for _, c in facts)
            content_keys = tuple(t for t, c in zip(keys, content, strict=True) if c)
            out.append(SentenceTokens(k, start, end, spans, keys, content, content_keys))
    return out


class SentencePair(NamedTuple):
    """Two corresponding sentences.

    Attributes:
        i, j: Positions in the two lists given to :func:`align_sentences`.
        similarity: difflib ratio of their words.
        how: "ordered", "moved" or "merged" (module docstring, step 3).
        blocks: Matching runs ``(start_a, start_b, size)`` in word positions, as
            :meth:`difflib.SequenceMatcher.get_matching_blocks` (ends with ``(len_a, len_b, 0)``).
    """

    i: int
    j: int
    similarity: float
    how: str
    blocks: tuple[tuple[int, int, int], ...]


class _Candidate(NamedTuple):
    similarity: float
    blocks: tuple[tuple[int, int, int], ...]
    a_region: Span  # first to last matched word (runs holding a content word), side a
    b_region: Span


def _identical(a: list[SentenceTokens], b: list[SentenceTokens], min_shared: int):
    """Sentences with the same words that occur once in each version (as in patience diff)."""
    seen_a, seen_b = Counter(s.keys for s in a), Counter(s.keys for s in b)
    where_b = {s.keys: j for j, s in enumerate(b) if seen_b[s.keys] == 1}
    found = {}
    for i, s in enumerate(a):
        j = where_b.get(s.keys)
        if j is not None and seen_a[s.keys] == 1 and sum(s.content) >= min_shared:
            n = len(s.keys)
            found[(i, j)] = _Candidate(1.0, ((0, 0, n), (n, n, 0)), (0, n), (0, n))
    return found


#: Sentence pairs whose outcome a memo (:func:`align_sentences`) holds at most; it is emptied when
#: full, so memory stays bounded in any story and results do not change.
MEMO_MAX = 200_000

_MISSING = object()


def _match(sa: SentenceTokens, sb: SentenceTokens, matcher, opt: SentenceOptions) -> _Candidate | None:
    """The candidate of one sentence pair by difflib (``matcher`` holds ``sb.keys`` as seq2), or None."""
    matcher.set_seq1(sa.keys)
    blocks = matcher.get_matching_blocks()
    ratio = 2.0 * sum(m.size for m in blocks) / (len(sa.keys) + len(sb.keys))
    runs = [(sum(sa.content[m.a:m.a + m.size]), m) for m in blocks if m.size]
    if sum(n for n, _ in runs) < opt.min_shared:
        return None
    if ratio >= opt.sentence_threshold or (
        ratio >= opt.partial_threshold and max(n for n, _ in runs) >= opt.min_run
    ):
        anchored = [m for n, m in runs if n]
        return _Candidate(
            ratio, tuple(tuple(m) for m in blocks),
            (anchored[0].a, anchored[-1].a + anchored[-1].size),
            (anchored[0].b, anchored[-1].b + anchored[-1].size),
        )
    return None


def _candidates(a, b, opt: SentenceOptions, skip_a: set[int], skip_b: set[int], memo: dict | None = None):
    """Sentence pairs (positions in ``a`` and ``b``) that pass the rules -> _Candidate.

    difflib's matches are a common subsequence, so the longest common subsequence bounds them:
    the LCS ratio of all words bounds the ratio, the LCS of content words bounds the content words
    matched and the longest content run (both computed in C by rapidfuzz's ``cdist``). Only pairs
    whose bounds pass are matched with difflib, once per distinct pair of word sequences when a
    ``memo`` is shared (a candidate depends on the two sentences' words alone).
    """
    rows = [i for i in range(len(a)) if i not in skip_a]
    cols = [j for j in range(len(b)) if j not in skip_b]
    if not rows or not cols:
        return {}
    ratio_bound = cdist([a[i].keys for i in rows], [b[j].keys for j in cols],
                        scorer=Indel.normalized_similarity, dtype=np.float64)
    content_bound = cdist([a[i].content_keys for i in rows], [b[j].content_keys for j in cols],
                          scorer=LCSseq.similarity, dtype=np.int32)
    eps = 1e-9
    passing = (content_bound >= opt.min_shared) & (
        (ratio_bound >= opt.sentence_threshold - eps)
        | ((ratio_bound >= opt.partial_threshold - eps) & (content_bound >= opt.min_run))
    )
    found = {}
    matcher = cydifflib.SequenceMatcher(None, autojunk=False)  # difflib's algorithm and results, in C++
    for c, r in sorted(zip(*np.nonzero(passing.T), strict=True)):  # by column: seq2's index is built once
        i, j = rows[r], cols[c]
        sa, sb = a[i], b[j]
        key = (sa.keys, sb.keys)
        cand = _MISSING if memo is None else memo.get(key, _MISSING)
        if cand is _MISSING:
            if matcher.b is not sb.keys:
                matcher.set_seq2(sb.keys)
            cand = _match(sa, sb, matcher, opt)
            if memo is not None:
                if len(memo) >= MEMO_MAX:
                    memo.clear()
                memo[key] = cand
        if cand is not None:
            found[(i, j)] = cand
    return found


def _ordered(candidates: dict[tuple[int, int], _Candidate], na: int, nb: int) -> list:
    """The order-preserving one-to-one pairs with the largest total similarity (dynamic
    programming over the sentence grid; ties prefer skipping the later sentence)."""
    weight = np.full((na, nb), -np.inf)
    for (i, j), cand in candidates.items():
        weight[i, j] = cand.similarity
    best = np.zeros((na + 1, nb + 1))
    for i in range(1, na + 1):
        step = np.maximum(best[i - 1, 1:], best[i - 1, :-1] + weight[i - 1])
        best[i, 1:] = np.maximum.accumulate(step)
    pairs, i, j = [], na, nb
    while i > 0 and j > 0:
        if best[i, j] == best[i - 1, j]:
            i -= 1
        elif best[i, j] == best[i, j - 1]:
            j -= 1
        else:
            pairs.append((i - 1, j - 1))
            i, j = i - 1, j - 1
    return pairs[::-1]


def align_sentences(
    a: list[SentenceTokens],
    b: list[SentenceTokens],
    options: SentenceOptions | None = None,
    *,
    memo: dict | None = None,
) -> list[SentencePair]:
    """Corresponding sentences of two versions of a story (method: module docstring, 2-3).

    Args:
        a: Sentences of version a (:func:`tokenize_sentences`).
        b: Sentences of version b.
        options: Thresholds; defaults of :class:`SentenceOptions` when None.
        memo: A dict shared by calls with the same ``options`` (e.g. every pair of one story):
            sentence pairs with the same words as one already matched reuse its result, since
            versions of one story repeat sentences. At most :data:`MEMO_MAX` entries (emptied
            when full). The result does not depend on it.

    Returns:
        :class:`SentencePair` objects sorted by ``i`` then ``j``.
    """
    opt = options or SentenceOptions()
    if not a or not b:
        return []
    candidates = _identical(a, b, opt.min_shared)
    taken_a, taken_b = {i for i, _ in candidates}, {j for _, j in candidates}
    candidates.update(_candidates(a, b, opt, taken_a, taken_b, memo))
    chosen = {pair: "ordered" for pair in _ordered(candidates, len(a), len(b))}
    claimed_a: dict[int, list[Span]] = {}
    claimed_b: dict[int, list[Span]] = {}
    for i, j in chosen:
        claimed_a.setdefault(i, []).append(candidates[(i, j)].a_region)
        claimed_b.setdefault(j, []).append(candidates[(i, j)].b_region)
    for (i, j), cand in sorted(candidates.items(), key=lambda kv: (-kv[1].similarity, kv[0])):
        if (i, j) in chosen or any(
            lo < e and s < hi
            for (lo, hi), claimed in ((cand.a_region, claimed_a.get(i, [])),
                                      (cand.b_region, claimed_b.get(j, [])))
            for s, e in claimed
        ):
            continue
        chosen[(i, j)] = "merged" if i in claimed_a or j in claimed_b else "moved"
        claimed_a.setdefault(i, []).append(cand.a_region)
        claimed_b.setdefault(j, []).append(cand.b_region)
    return [SentencePair(i, j, candidates[(i, j)].similarity, how, candidates[(i, j)].blocks)
            for (i, j), how in sorted(chosen.items())]
