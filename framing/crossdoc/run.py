"""Steps that need several documents at once: same-story alignment and distinctive terms.

The per-article part of them (n-gram counts for distinctive terms, actor descriptors) is done by
the workers of the first pass (:class:`framing.pipeline.CorpusCounting`), which return the counts
with their batch results. Alignment needs every version of a story at once, so it runs as a
second streaming pass that reads the inputs again but keeps only the articles of stories covered
by two or more outlets (and, below :data:`MAX_UNGROUPED`, the articles without a story): a story is
handed to an aligner (``jobs`` worker processes, or this one) as soon as its last article has been
read, and freed once aligned. Without counts from the first pass (``counted=None``) the second
pass counts them itself.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import multiprocessing as mp
import sys
from collections import Counter, deque
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

import pandas as pd

from framing.crossdoc.align import mine_substitutions
from framing.crossdoc.candidates import FULL_STORY, MIN_JACCARD, TOP_K, PairStats
from framing.crossdoc.descriptors import DescriptorCounts, find_descriptors
from framing.crossdoc.distinctive import DISTINCTIVE_COLUMNS, count_ngrams
from framing.crossdoc.substitutions import SUBSTITUTION_COLUMNS, SUMMARY_COLUMNS, iter_summary
from framing.crossdoc.termcounts import TermCounts
from framing.spool import TableSpool
from framing.text.segment import Document, build_document

__all__ = ["DISTINCTIVE_TOP", "MAX_UNGROUPED", "CrossDocResult", "cross_document_tables"]

log = logging.getLogger(__name__)

#: Distinct (outlet, n-gram) counts held in memory for distinctive terms; beyond it they spill to
#: disk in hash partitions (:class:`framing.crossdoc.termcounts.TermCounts`), so counts stay exact and memory
#: bounded on any corpus.
TERM_BUDGET = 200_000

#: Distinctive terms reported per outlet (highest z first) unless told otherwise: a paper table
#: needs the top of the list, and the full list grows with the vocabulary.
DISTINCTIVE_TOP = 500

#: Articles without a ``story`` are grouped by TF-IDF similarity only up to this many (the
#: clustering compares every pair); beyond it they are left out of alignment, and the manifest
#: says so.
MAX_UNGROUPED = 5000


@dataclass
class CrossDocResult:
    """Tables from the cross-document pass, with notes for the manifest."""

    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    facts: dict = field(default_factory=dict)


def _ngram_counts(doc: Document, ngram_range: tuple[int, int]) -> Counter:
    return count_ngrams([doc.clean], ngram_range)


_LEXICON = None  # the lexicon of an alignment worker process


def _init_aligner(lexicon) -> None:
    global _LEXICON
    _LEXICON = lexicon


SUMMARY_SOURCE = [c for c in SUBSTITUTION_COLUMNS if c not in ("sentence_a", "sentence_b", "similarity")]

_SORT_KEYS = ["story", "article_a", "article_b", "a_start", "b_start", "kind"]


@contextlib.contextmanager
def _no_cyclic_gc():
    """Pause the cyclic garbage collector (restored after). Aligning a story allocates hundreds of
    thousands of small acyclic objects (tokens, candidates, rows) that live until the story is
    done; each full collection would traverse all of them (about 15% of the time of a story of 300
    articles). Reference counting still frees everything; cycles wait for the next collection."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _mine(articles: list, lexicon) -> tuple[pd.DataFrame, tuple[int, int, int]]:
    """One story's substitutions (documents built here), sorted, and the story's pair counts."""
    rules = tuple(getattr(lexicon, "boilerplate", ()))
    stats = PairStats()
    with _no_cyclic_gc():
        subs = mine_substitutions([build_document(a, rules) for a in articles], lexicon=lexicon, pair_stats=stats)
    if len(subs):
        subs = subs.sort_values(_SORT_KEYS, kind="stable", ignore_index=True)
    return subs, (stats.pairs, stats.aligned, stats.large_stories)


def _mine_in_worker(articles: list) -> tuple[pd.DataFrame, tuple[int, int, int]]:
    return _mine(articles, _LEXICON)


class _Miner:
    """Aligns stories in this process or in ``jobs`` worker processes, results in submission order.

    A bounded window of stories is in flight, so memory holds a few stories at a time.
    """

    def __init__(self, lexicon, jobs: int, done) -> None:
        self.lexicon, self.done, self.pending, self.pool = lexicon, done, deque(), None
        if jobs > 1:
            ctx = mp.get_context("forkserver" if sys.platform != "win32" else "spawn")
            self.pool = ProcessPoolExecutor(jobs, mp_context=ctx, initializer=_init_aligner, initargs=(lexicon,))
            self.window = 2 * jobs

    def submit(self, articles: list) -> None:
        if self.pool is None:
            self.done(*_mine(articles, self.lexicon))
            return
        self.pending.append(self.pool.submit(_mine_in_worker, articles))
        while len(self.pending) >= self.window:
            self.done(*self.pending.popleft().result())

    def close(self) -> None:
        try:
            while self.pending:
                self.done(*self.pending.popleft().result())
        finally:
            if self.pool is not None:
                self.pool.shutdown(cancel_futures=True)


def cross_document_tables(
    articles_table: pd.DataFrame,
    reread,
    *,
    lexicon,
    align: bool = True,
    distinctive: bool = True,
    descriptors: bool = True,
    ngram_range: tuple[int, int] = (1, 2),
    min_count: int = 3,
    prior: float = 0.1,
    top: int | None = DISTINCTIVE_TOP,
    spool=None,
    counted: tuple[TermCounts, DescriptorCounts] | None = None,
    jobs: int = 1,
) -> CrossDocResult:
    """Mine substitutions within stories and distinctive terms per outlet.

    Args:
        articles_table: The ``articles`` table of the first pass (ids, outlets, stories, status).
        reread: A callable returning a fresh iterator over the same input records.
        lexicon: The run's lexicon (boilerplate rules; ``classify`` for flagging substitutions).
        align: Mine ``substitutions`` and ``substitution_summary``.
        distinctive: Compute ``distinctive_terms``.
        descriptors: Compute ``descriptors`` (:mod:`framing.crossdoc.descriptors`), scored with ``prior``.
        ngram_range, min_count, prior, top: As for :func:`framing.crossdoc.distinctive.distinctive_terms`
            (``top`` terms per outlet; None for all).
        spool: A :class:`~framing.spool.TableSpool` that receives the ``substitutions`` table story
            by story (memory holds a few stories' edits) and then ``substitution_summary``, counted
            from its parts one range of outlet pairs at a time
            (:func:`~framing.crossdoc.substitutions.iter_summary`); without one both are returned
            among the tables.
        counted: N-gram counts and descriptors already gathered from the workers of the first
            pass (:class:`framing.pipeline.CorpusCounting`); the second read then builds the
            documents of the aligned stories only.
        jobs: Worker processes that align stories (1: this process); the tables do not depend
            on it (stories are written in the order they were completed by the read).
    """
    own_spool = spool is None
    if own_spool:
        spool = TableSpool({})
    if align:
        spool.declare("substitutions", SUBSTITUTION_COLUMNS)
    pair_stats = PairStats()

    def mined(subs: pd.DataFrame, counts: tuple[int, int, int]) -> None:
        pair_stats.pairs += counts[0]
        pair_stats.aligned += counts[1]
        pair_stats.large_stories += counts[2]
        if len(subs):
            spool.add_frame("substitutions", subs)

    result = CrossDocResult()
    ok = articles_table[articles_table["status"] == "ok"]
    story = ok["story"].fillna("").astype(str)
    outlets_per_story = ok.assign(story=story)[story != ""].groupby("story")["outlet"].nunique()
    wanted = set(outlets_per_story[outlets_per_story >= 2].index) if align else set()
    remaining = ok[story.isin(wanted)].groupby(story[story.isin(wanted)]).size().to_dict()
    n_ungrouped = int((story == "").sum())
    group_ungrouped = align and 2 <= n_ungrouped <= MAX_UNGROUPED
    if align and n_ungrouped > MAX_UNGROUPED:
        result.notes.append(
            f"{n_ungrouped} articles have no story and were not aligned (more than {MAX_UNGROUPED}; "
            "give a story column to align them)"
        )
    rules = tuple(getattr(lexicon, "boilerplate", ()))
    open_stories: dict[str, list] = {}
    ungrouped: list = []
    if counted is not None:
        counts, described = counted
        count_here = False
    else:
        counts = TermCounts(budget=TERM_BUDGET, directory=getattr(spool, "directory", None))
        described = DescriptorCounts()
        count_here = distinctive or descriptors
    ok_ids = set(ok["id"])
    miner = _Miner(lexicon, jobs if (wanted or group_ungrouped) else 1, mined)
    try:
        for art in reread() if (wanted or group_ungrouped or count_here) else ():
            if not art.ok or art.id not in ok_ids:
                continue
            needs_align = art.story in wanted or (group_ungrouped and not art.story)
            if not (needs_align or count_here):
                continue
            if count_here:
                doc = build_document(art, rules)
                if descriptors:
                    described.update(art.outlet, art.id, *find_descriptors(doc, lexicon))
                if distinctive:
                    counts.update(art.outlet, _ngram_counts(doc, ngram_range))
            if art.story in wanted:
                open_stories.setdefault(art.story, []).append(art)
                remaining[art.story] -= 1
                if remaining[art.story] == 0:
                    miner.submit(open_stories.pop(art.story))
            elif group_ungrouped and not art.story:
                ungrouped.append(art)
        if ungrouped:
            miner.submit(ungrouped)
    finally:
        miner.close()
    if align:
        # counted from the spooled edits, a range of outlet pairs at a time when they are many
        summary = iter_summary(lambda: spool.parts("substitutions", columns=SUMMARY_SOURCE),
                               n_rows=spool.n_rows("substitutions"))
        if own_spool:
            pieces = list(summary)
            result.tables["substitution_summary"] = (pd.concat(pieces, ignore_index=True) if pieces
                                                     else pd.DataFrame(columns=list(SUMMARY_COLUMNS)))
            result.tables["substitutions"] = spool.read("substitutions")
            spool.cleanup()
        else:  # as long as the edits: spooled too, in table order, never whole in memory
            spool.declare("substitution_summary", SUMMARY_COLUMNS)
            for piece in summary:
                spool.add_frame("substitution_summary", piece)
            spool.flush()
        result.facts["alignment_pairs"] = {
            "cross_outlet_pairs": pair_stats.pairs, "aligned": pair_stats.aligned,
            "skipped": pair_stats.skipped, "large_stories": pair_stats.large_stories,
            "full_story_max": FULL_STORY, "min_jaccard": MIN_JACCARD, "top_k": TOP_K,
        }
        if pair_stats.skipped:
            result.notes.append(
                f"alignment: {pair_stats.skipped} of {pair_stats.pairs} cross-outlet article pairs were not "
                f"aligned: in the {pair_stats.large_stories} stories of more than {FULL_STORY} articles only "
                f"near-duplicates are (MinHash of word 3-grams, estimated Jaccard >= {MIN_JACCARD}, "
                f"at most {TOP_K} partners per article)"
            )
    if descriptors:
        result.tables["descriptors"] = described.table(prior=prior)
    if distinctive:
        with counts:
            if sum(1 for n in counts.totals.values() if n) >= 2:
                result.tables["distinctive_terms"] = counts.distinctive(prior=prior, min_count=min_count, top=top)
            else:
                result.tables["distinctive_terms"] = pd.DataFrame(columns=list(DISTINCTIVE_COLUMNS))
                result.notes.append("distinctive terms need text from at least two outlets")
    return result
