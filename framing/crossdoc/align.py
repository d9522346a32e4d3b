"""Mined word substitutions between outlets' versions of a story ("government" -> "regime").

Outlets often rewrite the same wire copy; where they change a word, they reveal a choice. For each
pair of articles of one story from different outlets (outlet ``a`` = the alphabetically first,
compared case-insensitively), corresponding sentences are found as described in
:mod:`framing.crossdoc.story` (difflib ratio on case- and typography-folded words; an order-preserving
one-to-one alignment, then moved and merged sentences). Then, per aligned sentence pair:

**Edits.** Word opcodes (Ratcliff-Obershelp, :class:`difflib.SequenceMatcher`) give replacements,
insertions and deletions; text and offsets reported are the originals'. A lone matched function
word between two differences is not evidence that they correspond, so such differences are
merged. A difference longer than ``max_edit_words`` on either side is a rewrite, not a word
choice: it is counted (``n_rewrites``) but not listed. A replacement of several words is split
where words pair up by spelling (rapidfuzz ratio at least ``token_similarity``; one word with one
or two, hyphens and apostrophes ignored: "Palestinian" / "Palestine's", "Jong-un" / "Jong Un"), so
"the Palestinian militant" -> "Palestine's" yields the deletion of "militant".

**Summary** (:mod:`framing.crossdoc.substitutions`, re-exported here). :func:`substitution_summary` counts each (a_text -> b_text) per outlet pair and flags
whether the lexicon already knows a word of it (a label form or an entity variant) or whether it
is a candidate for the lexicon.

Checks (``benchmarks/align_cost.py``): pooling the five newswcl50-dev events (independently
written, 5 outlets each) as one story, 4 of 103 aligned sentence pairs join different events
(out of 269,511 cross-event sentence pairs): short quotes of common words ("It will be a great day
for the world") and shared names ("North Korean leader Kim Jong Un"); they yield 4 edits. Cost
grows with the number of version pairs: for five ~1,000-word versions of one story it is about
twice VADER's on the same sentences (CPU time; more when nearly every sentence is edited).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd
from rapidfuzz.fuzz import ratio

from framing.crossdoc.candidates import FULL_STORY, PairStats, candidate_pairs
from framing.crossdoc.story import (
    DEFAULT_STORY_THRESHOLD,
    DEFAULT_WINDOW_DAYS,
    MEMO_MAX,
    SentenceOptions,
    SentenceTokens,
    align_sentences,
    group_stories,
    tokenize_sentences,
)
from framing.crossdoc.substitutions import (
    SUBSTITUTION_COLUMNS,
    SUMMARY_COLUMNS,
    check_lexicon,
    lexicon_kinds,
    substitution_summary,
    summary_from_parts,
)
from framing.text.segment import Document, Span

__all__ = [
    "SUBSTITUTION_COLUMNS",
    "SUMMARY_COLUMNS",
    "AlignOptions",
    "align_story",
    "mine_substitutions",
    "substitution_summary",
    "summary_from_parts",
]

@dataclass(frozen=True)
class AlignOptions(SentenceOptions):
    """When sentences correspond (:class:`~framing.crossdoc.story.SentenceOptions`) and which of
    their differences are listed as edits; validated on creation. The one place these defaults live.

    Attributes:
        max_edit_words: Longest stretch (words, each side) listed as an edit.
        token_similarity: Spelling similarity (0-1) at which words inside a replaced stretch
            pair up.
    """

    max_edit_words: int = 5
    token_similarity: float = 0.7

    def __post_init__(self) -> None:
        super().__post_init__()
        m = self.max_edit_words
        if not isinstance(m, int) or isinstance(m, bool) or m < 1:
            raise ValueError(f"max_edit_words must be a positive integer, got {m!r}")
        if not isinstance(self.token_similarity, (int, float)) or not (
            0.0 < self.token_similarity <= 1.0
        ):
            raise ValueError(f"token_similarity must be in (0, 1], got {self.token_similarity!r}")


def _squash(keys: tuple[str, ...]) -> str:
    """Words joined without hyphens or apostrophes ("jong-un" and "jong un" -> "jongun")."""
    return "".join(keys).replace("-", "").replace("'", "")


def _word_groups(ka: tuple[str, ...], kb: tuple[str, ...], opt: AlignOptions) -> list[tuple]:
    """Order-preserving groups of similarly spelled words inside one replaced stretch: one word
    with one, or one with two ("Jong-un" / "Jong Un"), scored by rapidfuzz ratio on the words
    joined without hyphens and apostrophes; the total score is maximised."""
    shapes = ((1, 1), (1, 2), (2, 1))
    best = [[0.0] * (len(kb) + 1) for _ in range(len(ka) + 1)]
    back: dict[tuple[int, int], tuple[int, int, bool]] = {}
    for i in range(len(ka) + 1):
        for j in range(len(kb) + 1):
            if i == 0 and j == 0:
                continue
            options = []
            if i:
                options.append((best[i - 1][j], (1, 0, False)))
            if j:
                options.append((best[i][j - 1], (0, 1, False)))
            for da, db in shapes:
                if i >= da and j >= db:
                    score = ratio(_squash(ka[i - da:i]), _squash(kb[j - db:j])) / 100.0
                    if score >= opt.token_similarity:
                        options.append((best[i - da][j - db] + score, (da, db, True)))
            best[i][j], back[(i, j)] = max(options, key=lambda o: o[0])  # first of equals wins
    groups, i, j = [], len(ka), len(kb)
    while i or j:
        da, db, paired = back[(i, j)]
        if paired:
            groups.append((i - da, i, j - db, j))
        i, j = i - da, j - db
    return groups[::-1]


def _split_replacement(i1, i2, j1, j2, sa, sb, opt) -> list[tuple[str, int, int, int, int]]:
    """Split one replaced stretch at groups of similarly spelled words (identical words, e.g. a
    lone function word merged into the stretch, pair up too but yield no edit); else keep it
    whole."""
    if i2 - i1 <= 1 and j2 - j1 <= 1:
        return [("replace", i1, i2, j1, j2)]
    groups = [(i1 + x0, i1 + x1, j1 + y0, j1 + y1)
              for x0, x1, y0, y1 in _word_groups(sa.keys[i1:i2], sb.keys[j1:j2], opt)]
    edits, a, b = [], i1, j1
    for x0, x1, y0, y1 in groups + [(i2, i2, j2, j2)]:
        if a < x0 and b < y0:
            edits.append(("replace", a, x0, b, y0))
        elif a < x0:
            edits.append(("delete", a, x0, b, b))
        elif b < y0:
            edits.append(("insert", a, a, b, y0))
        if x0 < x1 and sa.keys[x0:x1] != sb.keys[y0:y1]:
            edits.append(("replace", x0, x1, y0, y1))
        a, b = x1, y1
    return edits


def _opcodes(blocks) -> list[tuple[str, int, int, int, int]]:
    """difflib-style opcodes from matching blocks (as :meth:`SequenceMatcher.get_opcodes`)."""
    ops, i, j = [], 0, 0
    for a0, b0, size in blocks:
        if i < a0 or j < b0:
            tag = "replace" if i < a0 and j < b0 else "delete" if i < a0 else "insert"
            ops.append((tag, i, a0, j, b0))
        i, j = a0 + size, b0 + size
        if size:
            ops.append(("equal", a0, i, b0, j))
    return ops


def _sentence_edits(sa: SentenceTokens, sb: SentenceTokens, blocks, opt: AlignOptions):
    """Edits (kind, i1, i2, j1, j2) in token positions, and the number of rewrites dropped."""
    ops = _opcodes(blocks)
    merged: list[list] = []
    for k, (tag, i1, i2, j1, j2) in enumerate(ops):
        lone_function_word = tag == "equal" and i2 - i1 == 1 and not sa.content[i1]
        between = (merged and merged[-1][0] != "equal" and k + 1 < len(ops)
                   and ops[k + 1][0] != "equal")
        if tag != "equal" or (lone_function_word and between):
            if merged and merged[-1][0] != "equal":
                merged[-1] = ["diff", merged[-1][1], i2, merged[-1][3], j2]
            else:
                merged.append(["diff", i1, i2, j1, j2])
        else:
            merged.append([tag, i1, i2, j1, j2])
    edits, rewrites = [], 0
    for tag, i1, i2, j1, j2 in merged:
        if tag == "equal":
            continue
        if i2 - i1 > opt.max_edit_words or j2 - j1 > opt.max_edit_words:
            rewrites += 1
        elif i1 == i2:
            edits.append(("insert", i1, i2, j1, j2))
        elif j1 == j2:
            edits.append(("delete", i1, i2, j1, j2))
        else:
            edits.extend(_split_replacement(i1, i2, j1, j2, sa, sb, opt))
    return edits, rewrites


def _offsets(s: SentenceTokens, i1: int, i2: int) -> Span:
    if i1 < i2:
        return s.spans[i1][0], s.spans[i2 - 1][1]
    point = s.spans[i1 - 1][1] if i1 > 0 else s.spans[0][0]
    return point, point


def _outlet_key(doc: Document) -> tuple[str, str, str]:
    return doc.article.outlet.casefold(), doc.article.outlet, doc.article.id


def align_story(
    documents: Iterable[Document],
    *,
    story: str | None = None,
    pair_stats: PairStats | None = None,
    **options: Any,
) -> list[dict[str, Any]]:
    """Align the sentences of the cross-outlet pairs of one story's articles, with their edits.

    Every pair when the story has at most :data:`~framing.crossdoc.candidates.FULL_STORY`
    articles; in a larger story only likely versions of one another
    (:func:`framing.crossdoc.candidates.candidate_pairs`: MinHash of word 3-grams, estimated
    Jaccard >= 0.3, at most 5 partners per article).

    Method: sentence correspondence as in :mod:`framing.crossdoc.story`, edits as in the module docstring.

    Args:
        documents: The versions of one story (documents of one outlet are not compared).
        story: Story id for the rows; default: the documents' common ``article.story``.
        pair_stats: Receives the number of cross-outlet pairs and of pairs aligned.
        **options: Fields of :class:`AlignOptions` (``sentence_threshold``, ``partial_threshold``,
            ``min_run``, ``min_shared``, ``max_edit_words``, ``token_similarity``).

    Returns:
        One dict per aligned sentence pair, ordered by outlet pair, articles and ``sentence_a``:
        story, outlet_a, outlet_b, article_a, article_b, sentence_a, sentence_b (indexes into
        ``Document.sentences``), a_start, a_end, b_start, b_end (sentence spans, original
        offsets), similarity, alignment ("ordered", "moved" or "merged", see
        :mod:`framing.crossdoc.story`), n_rewrites (differences too long to list) and edits (dicts with
        kind, a_text, b_text and their offsets).

    Raises:
        ValueError: On an invalid option, or documents of several stories without ``story``.
    """
    opt = AlignOptions(**options)
    docs = sorted(documents, key=_outlet_key)
    if story is None:
        stories = sorted({d.article.story for d in docs})
        if len(stories) > 1:
            raise ValueError(
                f"align_story expects one story, got {len(stories)} ({', '.join(stories[:5])}); "
                "group the documents with group_stories() first or pass story="
            )
        story = stories[0] if stories else ""
    tokens = [tokenize_sentences(d) for d in docs]
    outlets = [d.article.outlet for d in docs]
    per_outlet = Counter(outlets)
    n_pairs = (len(docs) * (len(docs) - 1) - sum(k * (k - 1) for k in per_outlet.values())) // 2
    if len(docs) <= FULL_STORY:
        pairs = [(x, y) for x in range(len(docs)) for y in range(x + 1, len(docs)) if outlets[x] != outlets[y]]
    else:
        words = [[k for s in sents for k in s.keys] for sents in tokens]
        pairs = candidate_pairs(words, outlets)
    if pair_stats is not None:
        pair_stats.pairs += n_pairs
        pair_stats.aligned += len(pairs)
        pair_stats.large_stories += len(docs) > FULL_STORY
    rows = []
    memo: dict = {}  # versions repeat sentences: each distinct pair of word sequences is matched once
    edit_memo: dict = {}
    for x, y in pairs:
        doc_a, sents_a, doc_b, sents_b = docs[x], tokens[x], docs[y], tokens[y]
        for pair in align_sentences(sents_a, sents_b, opt, memo=memo):
            sa, sb = sents_a[pair.i], sents_b[pair.j]
            key = (sa.keys, sb.keys, pair.blocks)
            got = edit_memo.get(key)
            if got is None:
                got = _sentence_edits(sa, sb, pair.blocks, opt)
                if len(edit_memo) >= MEMO_MAX:
                    edit_memo.clear()
                edit_memo[key] = got
            found, rewrites = got
            edits = []
            for kind, i1, i2, j1, j2 in found:
                a0, a1 = _offsets(sa, i1, i2)
                b0, b1 = _offsets(sb, j1, j2)
                edits.append({
                    "kind": kind, "a_text": doc_a.text[a0:a1], "b_text": doc_b.text[b0:b1],
                    "a_start": a0, "a_end": a1, "b_start": b0, "b_end": b1,
                })
            rows.append({
                "story": story, "outlet_a": doc_a.article.outlet,
                "outlet_b": doc_b.article.outlet, "article_a": doc_a.article.id,
                "article_b": doc_b.article.id, "sentence_a": sa.index,
                "sentence_b": sb.index, "a_start": sa.start, "a_end": sa.end,
                "b_start": sb.start, "b_end": sb.end, "similarity": pair.similarity,
                "alignment": pair.how,
                "n_rewrites": rewrites, "edits": edits,
            })
    return rows


def mine_substitutions(
    documents: Iterable[Document],
    *,
    lexicon: Any = None,
    story_threshold: float = DEFAULT_STORY_THRESHOLD,
    window_days: float | None = DEFAULT_WINDOW_DAYS,
    pair_stats: PairStats | None = None,
    **options: Any,
) -> pd.DataFrame:
    """The ``substitutions`` table: every edit between outlets' versions of the same stories.

    Documents are grouped with :func:`framing.crossdoc.story.group_stories` (``story_threshold``,
    ``window_days``), each story aligned with :func:`align_story` (the other options).

    Args:
        documents: Documents of any number of stories.
        lexicon: Optional object with ``classify(phrase) -> "label" | "entity" | ""``; fills the
            ``lexicon`` column (what it recognises in either side, whole or word by word).
        story_threshold, window_days: As for :func:`framing.crossdoc.story.group_stories`.
        pair_stats: Receives how many cross-outlet pairs there were and how many were aligned.
        **options: Fields of :class:`AlignOptions`, for :func:`align_story`.

    Returns:
        A DataFrame with :data:`SUBSTITUTION_COLUMNS`, one row per edit.
    """
    check_lexicon(lexicon)
    AlignOptions(**options)  # invalid options fail before any work
    groups = group_stories(documents, threshold=story_threshold, window_days=window_days)
    cache: dict[str, str] = {}
    rows = []
    for story, docs in groups.items():
        aligned = align_story(docs, story=story, pair_stats=pair_stats, **options)
        for pair in aligned:
            for edit in pair["edits"]:
                kinds = lexicon_kinds(lexicon, (edit["a_text"], edit["b_text"]), cache) \
                    if lexicon is not None else ""
                rows.append({
                    **{k: pair[k] for k in ("story", "outlet_a", "outlet_b", "article_a",
                                            "article_b", "sentence_a", "sentence_b", "similarity")},
                    **edit, "lexicon": kinds,
                })
    return pd.DataFrame(rows, columns=list(SUBSTITUTION_COLUMNS))
