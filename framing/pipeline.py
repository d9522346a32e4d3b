"""Run the extractors over a corpus and gather the tables.

Per article: clean and segment (:func:`framing.text.segment.build_document`), run every extractor in
dependency order, and return one ``articles`` row plus rows for the long tables. Bad records are
not processed but still give their ``articles`` row with ``status="error"``.

Work is done by an :class:`ArticleProcessor`, built once per worker process (lexicon, automaton,
VADER, stance model), never per article. Results are gathered in input order, so tables do not
depend on ``jobs`` or ``batch_size``.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing as mp
import sys
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import Any

import pandas as pd

from framing.crossdoc.descriptors import find_descriptors
from framing.crossdoc.distinctive import count_ngrams
from framing.extract import DEFAULT_EXTRACTORS, build_extractors
from framing.extract.stance.model import StanceModel
from framing.lexicon.load import load_lexicon
from framing.record import Article
from framing.spool import release_memory
from framing.tables import ARTICLE_COLUMNS, columns
from framing.text.segment import build_document, word_spans

__all__ = [
    "ArticleProcessor",
    "ArticleResult",
    "BatchResult",
    "CorpusCounting",
    "ProcessorConfig",
    "ARTICLE_COLUMNS",
    "REMOVED_COLUMNS",
    "process_articles",
]

log = logging.getLogger(__name__)

REMOVED_COLUMNS = columns("removed")


@dataclass(frozen=True)
class CorpusCounting:
    """What each worker also counts for the cross-document pass, so that pass needs no second read
    of the articles it does not align (:mod:`framing.crossdoc.run`).

    Attributes:
        ngram_range: N-gram lengths counted per outlet for distinctive terms.
        ngrams: Count n-grams (``distinctive_terms``).
        descriptors: Find actor descriptors (``descriptors``).
    """

    ngram_range: tuple[int, int] = (1, 2)
    ngrams: bool = True
    descriptors: bool = True


@dataclass(frozen=True)
class ProcessorConfig:
    """Everything a worker needs to build its own processor (picklable, small).

    Attributes:
        lexicons: Lexicon folders (None: the shipped lexicon).
        extend: Whether user folders extend (True) or replace (False) the shipped lexicon.
        extractors: Extractor names (None: all registered).
        options: Extractor name -> keyword options.
        stance_model: Stance model folder (None: the shipped model).
        counting: What to count for the cross-document pass (None: nothing).
    """

    lexicons: tuple[str, ...] | None = None
    extend: bool = True
    extractors: tuple[str, ...] | None = None
    options: tuple[tuple[str, tuple[tuple[str, Any], ...]], ...] = ()
    stance_model: str | None = None
    counting: CorpusCounting | None = None

    def build(self) -> ArticleProcessor:
        """Load the lexicon and the models (once per worker) and build the processor."""
        lexicon = load_lexicon(list(self.lexicons) if self.lexicons else None, extend=self.extend)
        names = self.extractors if self.extractors is not None else DEFAULT_EXTRACTORS
        options = {k: dict(v) for k, v in self.options}
        if "stance" in names:
            options.setdefault("stance", {}).setdefault("model", StanceModel.load(self.stance_model))
        return ArticleProcessor(lexicon=lexicon, extractors=self.extractors, options=options,
                                counting=self.counting)


@dataclass
class ArticleResult:
    """One article's output: its ``articles`` row and its rows of each long table.

    ``ngrams`` and ``descriptors`` hold what :class:`CorpusCounting` asked for (else None).
    """

    row: dict[str, Any]
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    ngrams: Counter | None = None
    descriptors: tuple | None = None


@dataclass
class BatchResult:
    """Output of a batch of articles: their ``articles`` rows, and each long table as one
    DataFrame (columnar, so it travels between processes cheaply).

    ``ngrams``: outlet -> n-gram counts summed over the batch; ``descriptors``: per ok article,
    ``(outlet, article id, mentions, descriptors)`` of :func:`framing.crossdoc.descriptors.find_descriptors`.
    """

    rows: list[dict[str, Any]]
    tables: dict[str, Any] = field(default_factory=dict)
    ngrams: dict[str, Counter] = field(default_factory=dict)
    descriptors: list[tuple] = field(default_factory=list)


class ArticleProcessor:
    """Cleans, segments and runs the extractors on one article at a time.

    It hands every extractor what it needs: the lexicon, and its options (the stance extractor's
    ``model`` among them, loaded by :meth:`ProcessorConfig.build`); no extractor reads a file.

    Args:
        lexicon: A loaded :class:`framing.lexicon.load.Lexicon`.
        extractors: Extractor names (default all registered).
        options: Extractor name -> keyword options.
    """

    def __init__(self, *, lexicon, extractors: Sequence[str] | None = None, options=None,
                 counting: CorpusCounting | None = None):
        self.lexicon = lexicon
        self.extractors = build_extractors(extractors, lexicon=lexicon, options=options)
        self.rules = tuple(getattr(lexicon, "boilerplate", ()))
        self.counting = counting

    @property
    def table_columns(self) -> dict[str, tuple[str, ...]]:
        """Long-table name -> column order (``article_id``, ``outlet`` first)."""
        cols: dict[str, tuple[str, ...]] = {"removed": REMOVED_COLUMNS}
        for ex in self.extractors:
            for table in ex.tables:
                cols[table] = ("article_id", "outlet") + tuple(ex.columns.get(table, ()))
        return cols

    def feature_order(self) -> list[str]:
        """Declared feature columns, in extractor order."""
        return [f"{ex.name}.{f}" for ex in self.extractors for f in ex.feature_names()]

    def process_batch(self, batch: Sequence[Article]) -> BatchResult:
        """Process several records; long-table rows come back as one DataFrame per table."""
        results = [self.process(a) for a in batch]
        columns = self.table_columns
        tables = {}
        for name in sorted({t for r in results for t in r.tables}):
            records = [row for r in results for row in r.tables.get(name, ())]
            declared = list(columns.get(name, ()))
            extra = sorted({k for rec in records for k in rec} - set(declared))
            tables[name] = pd.DataFrame.from_records(records, columns=declared + extra)
        ngrams: dict[str, Counter] = {}
        for r in results:
            if r.ngrams is not None:
                ngrams.setdefault(r.row["outlet"], Counter()).update(r.ngrams)
        descriptors = [(r.row["outlet"], r.row["id"], *r.descriptors) for r in results if r.descriptors is not None]
        return BatchResult([r.row for r in results], tables, ngrams, descriptors)

    def process(self, article: Article) -> ArticleResult:
        """Process one record; error records give a row and nothing else."""
        row = {
            "id": article.id, "outlet": article.outlet, "story": article.story,
            "title": article.title, "date": article.date, "source": article.source,
            "url": article.url, "author": article.author, "html_sha256": article.html_sha256,
            "status": article.status, "error": article.error,
            "warnings": "; ".join(article.warnings),
        }
        if not article.ok:
            return ArticleResult(row)
        doc = build_document(article, self.rules)
        row.update(
            n_words=sum(len(word_spans(doc.norm, s, e)) for s, e in doc.paragraphs),
            n_sentences=len(doc.sentences),
            n_paragraphs=len(doc.paragraphs),
            n_removed=len(doc.removed),
        )
        tables: dict[str, list[dict[str, Any]]] = {
            "removed": [
                {"article_id": article.id, "rule": r.rule, "start": r.start, "end": r.end, "text": r.text}
                for r in doc.removed
            ]
        }
        upstream = {}
        warnings = list(article.warnings)
        for ex in self.extractors:
            out = ex.extract(doc, upstream)
            upstream[ex.name] = out
            warnings += out.warnings
            for key, value in out.features.items():
                row[f"{ex.name}.{key}"] = value
            for table, rows in out.tables.items():
                tables.setdefault(table, []).extend(
                    {"article_id": article.id, "outlet": article.outlet, **r} for r in rows
                )
        row["warnings"] = "; ".join(warnings)
        result = ArticleResult(row, tables)
        if self.counting is not None:
            if self.counting.ngrams:
                result.ngrams = count_ngrams([doc.clean], self.counting.ngram_range)
            if self.counting.descriptors:
                result.descriptors = find_descriptors(doc, self.lexicon)
        return result


# --- process-pool plumbing -----------------------------------------------------------------

_WORKER: ArticleProcessor | None = None


def _init_worker(config: ProcessorConfig) -> None:
    global _WORKER
    logging.getLogger("framing").setLevel(logging.WARNING)
    _WORKER = config.build()


#: Characters of a batch above which a worker hands its freed memory back to the system after
#: it (a 5 MB one-paragraph record needs about 1 GB while it is processed).
LARGE_BATCH = 1_000_000


def _after(batch: list[Article]) -> None:
    if sum(len(a.text or "") for a in batch) > LARGE_BATCH:
        gc.collect()
        release_memory()


def _process_batch(batch: list[Article]) -> BatchResult:
    assert _WORKER is not None, "worker not initialised"
    result = _WORKER.process_batch(batch)
    _after(batch)
    return result


_CACHE: dict[ProcessorConfig, ArticleProcessor] = {}


def _process_batch_cached(config: ProcessorConfig, batch: list[Article]) -> BatchResult:
    """Dask task: build the processor once per worker process, then reuse it."""
    proc = _CACHE.get(config)
    if proc is None:
        proc = _CACHE[config] = config.build()
    result = proc.process_batch(batch)
    _after(batch)
    return result


def batched(items: Iterable[Article], size: int) -> Iterator[list[Article]]:
    """Yield lists of ``size`` items (the last may be shorter)."""
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


def process_articles(
    articles: Iterable[Article],
    config: ProcessorConfig,
    *,
    jobs: int = 1,
    batch_size: int = 32,
    processor: ArticleProcessor | Callable[[], ArticleProcessor] | None = None,
    engine: str = "local",
    scheduler: str | None = None,
) -> Iterator[BatchResult]:
    """Process records in input order: in this process, a pool of processes, or on Dask.

    Args:
        articles: Input records (a generator is consumed lazily).
        config: How workers build their processor.
        jobs: Worker processes (``engine="local"``; 1 runs in this process), or workers of the
            LocalCluster that ``engine="dask"`` starts when no ``scheduler`` is given.
        batch_size: Records sent to a worker at a time.
        processor: The processor for ``jobs=1``, or a callable returning it (built from
            ``config`` if None).
        engine: ``"local"`` or ``"dask"`` (needs the ``dask`` extra: dask and distributed).
        scheduler: Address of a running Dask scheduler (e.g. ``tcp://10.0.0.5:8786``).

    Yields:
        One :class:`BatchResult` per batch of records, in input order.
    """
    if engine == "dask":
        yield from _dask_results(articles, config, jobs=jobs, batch_size=batch_size, scheduler=scheduler)
        return
    if engine != "local":
        raise ValueError(f"unknown engine {engine!r}; use 'local' or 'dask'")
    articles = iter(articles)
    if jobs > 1:
        # a corpus smaller than one round of batches is not worth starting worker processes
        head = list(islice(articles, jobs * batch_size))
        if len(head) < jobs * batch_size:
            jobs = 1
        articles = chain(head, articles)
    if jobs <= 1:
        if processor is None:
            processor = config.build()
        elif callable(processor) and not isinstance(processor, ArticleProcessor):
            processor = processor()
        for batch in batched(articles, batch_size):
            yield processor.process_batch(batch)
        return
    ctx = mp.get_context("forkserver" if sys.platform != "win32" else "spawn")
    with ProcessPoolExecutor(jobs, mp_context=ctx, initializer=_init_worker, initargs=(config,)) as pool:
        # a bounded window of batches in flight keeps memory flat on large corpora
        pending: list = []
        window = jobs * 4
        for batch in batched(articles, batch_size):
            pending.append(pool.submit(_process_batch, batch))
            if len(pending) >= window:
                yield pending.pop(0).result()
        for fut in pending:
            yield fut.result()


def _dask_results(
    articles: Iterable[Article], config: ProcessorConfig, *, jobs: int, batch_size: int, scheduler: str | None
) -> Iterator[BatchResult]:
    """Run batches as Dask futures; a bounded window of batches in flight, gathered in order."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:  # pragma: no cover - depends on the optional extra
        raise ImportError("engine='dask' needs the dask extra: pip install 'framing[dask]'") from exc
    cluster = None
    if scheduler is None:
        cluster = LocalCluster(
            n_workers=max(jobs, 1), threads_per_worker=1, processes=True,
            dashboard_address=None, silence_logs=logging.WARNING,
        )
        client = Client(cluster)
    else:
        client = Client(scheduler)
    try:
        window = max(4 * len(client.scheduler_info().get("workers", {})), 4)
        pending: deque = deque()
        for batch in batched(articles, batch_size):
            pending.append(client.submit(_process_batch_cached, config, batch, pure=False))
            if len(pending) >= window:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def default_config(
    lexicons: Sequence[str | Path] | None = None,
    *,
    extend: bool = True,
    extractors: Sequence[str] | None = None,
    options: dict[str, dict[str, Any]] | None = None,
    stance_model: str | Path | None = None,
    counting: CorpusCounting | None = None,
) -> ProcessorConfig:
    """Build a :class:`ProcessorConfig` from user-facing arguments."""
    return ProcessorConfig(
        lexicons=tuple(str(p) for p in lexicons) if lexicons else None,
        extend=extend,
        extractors=tuple(extractors) if extractors else None,
        options=tuple(sorted((k, tuple(sorted(v.items()))) for k, v in (options or {}).items())),
        stance_model=str(stance_model) if stance_model is not None else None,
        counting=counting,
    )
