"""The Python entry point: ``framing.analyze(inputs)`` -> an :class:`Analysis` of tables.

``analyze`` reads the inputs (every record, good or bad), runs the pipeline, gathers the long
tables, computes the statistics, and returns them as pandas DataFrames with a run manifest.
``Analysis.export(dir)`` writes exactly what ``framing analyze`` writes.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import sys
import tempfile
import weakref
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from itertools import chain
from pathlib import Path
from typing import Any

import pandas as pd
from tqdm.auto import tqdm

from framing.crossdoc.descriptors import DescriptorCounts
from framing.crossdoc.run import TERM_BUDGET, cross_document_tables
from framing.crossdoc.termcounts import TermCounts
from framing.lexicon.discover import discover as discover_lexicon
from framing.lexicon.load import DEFAULT_LEXICON_DIR
from framing.manifest import build_manifest, warning_kinds
from framing.options import NO_CROSSDOC, CrossDocOptions, StatsOptions
from framing.output.audit import AUDIT_TABLES, MAX_ARTICLES, write_audit
from framing.output.export import (
    TEXT_ROWS,
    export_part_files,
    export_parts,
    export_tables,
    export_text_tables,
    write_manifest,
)
from framing.output.figures import FIGURE_TABLES
from framing.output.figures import write_all as write_figures
from framing.output.statfiles import STAT_FORMATS, write_stat_files
from framing.output.texts import TextsLog
from framing.pipeline import (
    ArticleProcessor,
    BatchResult,
    CorpusCounting,
    ProcessorConfig,
    default_config,
    process_articles,
)
from framing.read.columns import parse_columns
from framing.read.corpus import iter_articles
from framing.spool import TableSpool, release_memory
from framing.stats.spooled import spooled_statistics
from framing.tables import ARTICLE_COLUMNS, LONG_TABLES, SUMMARY_TABLES

__all__ = ["Analysis", "analyze", "gather_tables"]

log = logging.getLogger(__name__)

#: Articles rows gathered as dicts before they are packed into a DataFrame.
ARTICLE_CHUNK = 1000

#: Rows of the long tables from which :meth:`Analysis.export` writes them in the run's ``jobs``
#: processes when not told otherwise (below, starting the workers costs more than it saves).
PARALLEL_EXPORT_ROWS = 200_000
#: Articles from which the comparisons are computed in a worker process beside the other
#: statistics when ``jobs`` > 1 (below, starting the worker costs more than it saves).
PARALLEL_STATS_ARTICLES = 2_000


class Analysis:
    """Tables of one run, as DataFrames, with the manifest that says how they were made.

    The ``articles`` table and the statistics tables are held in memory; the long tables
    (``mentions``, ``quotes``, ``stance`` ...) live in an on-disk :class:`~framing.spool.TableSpool`
    and are read when first asked for, so a large run does not hold them all in memory.

    Attributes:
        manifest: Versions, input and lexicon hashes, parameters, record counts.
    """

    def __init__(self, tables: dict[str, pd.DataFrame], manifest: dict[str, Any], spool=None,
                 inputs: Sequence[str] = (), texts: TextsLog | None = None,
                 columns: str | Mapping[str, str] | None = None, jobs: int = 1):
        self._tables = dict(tables)
        self._jobs = max(1, int(jobs))
        self._inputs = [str(p) for p in inputs]
        self._columns = columns
        self._texts = texts
        self._spool = spool
        self.manifest = manifest
        long = [n for n in (spool.names if spool is not None else []) if n not in self._tables]
        head = [n for n in self._tables if n == "articles"]
        self._names = head + long + [n for n in self._tables if n != "articles"]
        if spool is not None:
            weakref.finalize(self, spool.cleanup)
        if texts is not None:
            weakref.finalize(self, texts.cleanup)

    @property
    def names(self) -> list[str]:
        """Table names in output order."""
        return list(self._names)

    def table(self, name: str) -> pd.DataFrame:
        """One table as a DataFrame (long tables are read from the spool once, then kept)."""
        if name not in self._tables:
            if self._spool is None or name not in self._spool.names:
                raise KeyError(f"no table {name!r}; tables: {', '.join(self.names)}")
            self._tables[name] = self._spool.read(name)
        return self._tables[name]

    def parts(self, name: str) -> Iterable[pd.DataFrame]:
        """Table ``name`` in parts, in the row order of its CSV (one part when it is in memory)."""
        if name in self._tables or self._spool is None or name not in self._spool.names:
            return [self.table(name)]
        return self._spool.parts(name)

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table, name -> DataFrame, in output order."""
        return {name: self.table(name) for name in self.names}

    def __getattr__(self, name: str) -> pd.DataFrame:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self.table(name)
        except KeyError as exc:
            raise AttributeError(str(exc)) from None

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.table(name)

    def __repr__(self) -> str:
        return f"Analysis(tables={self.names}, records={self.manifest.get('records')})"

    def export(
        self,
        out_dir: str | Path,
        *,
        formats: Sequence[str] = ("csv", "md", "tex"),
        precision: int = 3,
        figures: bool = True,
        audit: bool = True,
        audit_stories: int | None = 50,
        audit_articles: int | None = MAX_ARTICLES,
        progress: bool = False,
        jobs: int | None = None,
    ) -> list[Path]:
        """Write every table, the summary tables as Markdown/LaTeX, figures, the audit report
        (``audit/``, see :mod:`framing.output.audit`) and manifest.json.

        Long tables are streamed from the spool part by part.

        Args:
            out_dir: Output folder (created).
            formats: Table formats: "csv" (or "parquet" for large outputs), "dta" (Stata), "sav"
                (SPSS; with either, ``codebook.csv`` too), "md", "tex".
            precision: Decimals in Markdown and LaTeX tables (CSV keeps 6).
            figures: Also write PNG and PDF figures.
            audit: Also write the HTML audit report into ``out_dir/audit`` (needs the inputs the
                run read, which are read again for the drawn stories' texts).
            audit_stories: Story pages at most, the stories with the most outlets first (None: all).
            audit_articles: Articles side by side on a story page at most, each outlet's first
                before any second (None: all).
            progress: Progress bar over the audit pages.
            jobs: Processes writing the files. With more than one, worker processes write the long
                tables (largest first) and the figures while this one writes the rest; the files
                are the same. None: the run's ``jobs`` when the long tables hold at least
                :data:`PARALLEL_EXPORT_ROWS` rows, else 1.

        Returns:
            Paths written.
        """
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        spooled = [n for n in self.names if n not in self._tables and self._spool is not None]
        if jobs is None:
            big = sum(self._spool.n_rows(n) for n in spooled) >= PARALLEL_EXPORT_ROWS if spooled else False
            jobs = self._jobs if big else 1
        pool = _export_pool(jobs) if jobs > 1 and (spooled or figures) else None
        written: dict[str, list[Path]] = {}
        try:
            pending = {}
            if pool is not None:  # the long tables, largest first, and the figures go to workers
                for name in sorted(spooled, key=lambda n: -self._spool.n_rows(n)):
                    pending[name] = pool.submit(export_part_files, name, self._spool.columns[name],
                                                self._spool.part_files(name), out, formats=formats)
                if figures:
                    pending[_FIGURES] = pool.submit(write_figures, self._figure_tables(), out)
            for name in self.names:
                if name in pending:
                    continue
                if name in spooled:
                    written[name] = export_parts(name, self._spool.columns[name], self._spool.parts(name), out,
                                                 formats=formats)
                    written[name] += self._spooled_text_tables(name, out, formats, precision)
                else:
                    written[name] = export_tables({name: self._tables[name]}, out, formats=formats,
                                                  precision=precision)
            stat = [f for f in formats if f in STAT_FORMATS]
            if stat:  # Stata/SPSS files are written whole: a spooled table is loaded for its file only
                written[_STAT] = write_stat_files(((n, self._spool.read(n) if n in spooled else self._tables[n])
                                                   for n in self.names), out, formats=stat)
            if self._texts is not None:
                written[_TEXTS] = self._texts.export(out)  # texts.jsonl: the text extracted from HTML pages
            if figures and _FIGURES not in pending:
                written[_FIGURES] = write_figures(self._figure_tables(), out)
            if audit and self._inputs:
                write_audit(out / "audit", articles=self.table("articles"),
                            tables={n: (lambda n=n: self.parts(n)) for n in AUDIT_TABLES if n in self.names},
                            texts=iter_articles(self._inputs, columns=self._columns), max_stories=audit_stories,
                            max_articles=audit_articles,
                            progress=progress)
            for key, future in pending.items():
                written[key] = future.result()
                if key in spooled:
                    written[key] += self._spooled_text_tables(key, out, formats, precision)
        finally:
            if pool is not None:
                pool.shutdown(cancel_futures=True)
        paths = [p for key in [*self.names, _STAT, _TEXTS, _FIGURES] for p in written.get(key, [])]
        names = sorted(p.name for p in paths)
        if audit and self._inputs:
            names.append("audit/")
        manifest = dict(self.manifest, outputs=names + ["manifest.json"])
        paths.append(write_manifest(manifest, out / "manifest.json"))
        return paths

    def _spooled_text_tables(self, name: str, out: Path, formats, precision: int) -> list[Path]:
        """Markdown/LaTeX of a spooled summary table (``substitution_summary``) from its first rows."""
        if name not in SUMMARY_TABLES or not {"md", "tex"} & set(formats):
            return []
        head, rows = [], 0
        for part in self._spool.parts(name):
            head.append(part.head(TEXT_ROWS - rows))
            rows += len(head[-1])
            if rows >= TEXT_ROWS:
                break
        first = (pd.concat(head, ignore_index=True) if len(head) > 1 else head[0]) if head else \
            pd.DataFrame(columns=self._spool.columns[name])
        return export_text_tables(name, first, self._spool.n_rows(name), out, formats=formats, precision=precision)

    def _figure_tables(self) -> dict[str, pd.DataFrame]:
        # only what the figures draw: the worker is sent these, not every summary table
        return {n: self.table(n) for n in self.names if n in FIGURE_TABLES}

    def close(self) -> None:
        """Remove the on-disk spool (tables already read stay available)."""
        if self._spool is not None:
            self._spool.cleanup()
        if self._texts is not None:
            self._texts.cleanup()


_FIGURES, _STAT, _TEXTS = "(figures)", "(stat files)", "(texts)"


def _export_pool(jobs: int):
    ctx = mp.get_context("forkserver" if sys.platform != "win32" else "spawn")
    return ProcessPoolExecutor(jobs, mp_context=ctx)


def gather_tables(
    results: Iterable[BatchResult],
    *,
    table_columns: Mapping[str, Sequence[str]],
    feature_order: Sequence[str] = (),
    progress=None,
    spool=None,
    counted: tuple[TermCounts, DescriptorCounts] | None = None,
) -> dict[str, pd.DataFrame]:
    """Collect per-article results into the ``articles`` table and the long tables.

    Args:
        results: Batch results in input order.
        table_columns: Long-table name -> column order (empty tables keep this header).
        feature_order: Declared feature columns, in order; features not declared follow, sorted.
        progress: Optional tqdm-like object updated once per article.
        spool: A :class:`~framing.spool.TableSpool` that receives the long-table rows; when None,
            they are returned as DataFrames.
        counted: Collectors of the n-gram counts and descriptors the workers return
            (:class:`framing.pipeline.CorpusCounting`), updated batch by batch in input order.

    Returns:
        ``{"articles": ...}`` plus the long tables when no spool is given.
    """
    own = spool is None
    if own:
        spool = TableSpool(table_columns)
    declared = list(dict.fromkeys(feature_order))
    columns = list(ARTICLE_COLUMNS) + declared
    rows: list[dict[str, Any]] = []
    frames: list[pd.DataFrame] = []

    def pack() -> None:
        # rows as dicts cost ~10 KB an article; packed into a frame, a few hundred bytes
        frames.append(pd.DataFrame.from_records(rows, columns=columns + sorted({k for r in rows for k in r} - set(columns))))
        rows.clear()

    for res in results:
        rows.extend(res.rows)
        if len(rows) >= ARTICLE_CHUNK:
            pack()
        for name, frame in res.tables.items():
            spool.add_frame(name, frame)
        if counted is not None:
            for outlet in sorted(res.ngrams):
                counted[0].update(outlet, res.ngrams[outlet])
            for outlet, article, mentions, descriptors in res.descriptors:
                counted[1].update(outlet, article, mentions, descriptors)
        if progress is not None:
            progress.update(len(res.rows))
    spool.flush()
    if rows or not frames:
        pack()
    extra = sorted({c for f in frames for c in f.columns} - set(columns))
    articles = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    articles = articles.reindex(columns=columns + extra)
    for col in ("n_words", "n_sentences", "n_paragraphs", "n_removed"):
        articles[col] = articles[col].astype("Int64")
    tables = {"articles": articles}
    if own:
        tables.update({name: spool.read(name) for name in spool.names})
        spool.cleanup()
    return tables


def _extract(inputs: list[str], config: ProcessorConfig, *, jobs: int, batch_size: int, engine: str,
             scheduler: str | None, progress: bool, columns=None,
             texts: TextsLog | None = None):
    """Read and process every record: the ``articles`` table in memory, the long tables spooled.

    Returns the processor, the tables, the spool and the cross-document counts gathered from the
    workers (None when ``config.counting`` is None).
    """
    built: list[ArticleProcessor] = []

    def get_processor() -> ArticleProcessor:
        if not built:
            built.append(config.build())
        return built[0]

    bar = tqdm(desc="articles", unit="art", file=sys.stderr) if progress else None
    articles = iter_articles(inputs, columns=columns)
    results = process_articles(
        texts.wrap(articles) if texts is not None else articles, config, jobs=jobs, batch_size=batch_size, processor=get_processor,
        engine=engine, scheduler=scheduler,
    )
    # with workers, let them start on the first batches before this process builds its own
    # processor (only needed here for table columns and feature order)
    first = next(results, None)
    results = chain([first] if first is not None else [], results)
    processor = get_processor()
    long_order = [t for t in LONG_TABLES if t in processor.table_columns]
    long_order += [t for t in processor.table_columns if t not in long_order]
    spool = TableSpool({t: processor.table_columns[t] for t in long_order})
    counted = None
    if config.counting is not None:
        counted = (TermCounts(budget=TERM_BUDGET, directory=spool.directory), DescriptorCounts())
    try:
        tables = gather_tables(results, table_columns=processor.table_columns,
                               feature_order=processor.feature_order(), progress=bar, spool=spool,
                               counted=counted)
    except BaseException:
        spool.cleanup()
        raise
    finally:
        if bar is not None:
            bar.close()
    release_memory()
    return processor, tables, spool, counted


def _options(value, cls, off):
    """An options dataclass from ``True`` (defaults), ``False`` (``off``) or an instance."""
    if value is True:
        return cls()
    if value is False:
        return off
    if not isinstance(value, cls):
        raise TypeError(f"expected True, False or a {cls.__name__}, got {value!r}")
    return value


def _discovered(inputs, lexicons, extend, sample, folder, seed, progress, jobs):
    del jobs  # the NER runs in one process: measured faster than nlp.pipe(n_process=2) up to 2,000 articles
    """Run discovery; the lexicon paths and extend flag for the analysis, and the manifest facts."""
    folder = Path(folder) if folder is not None else Path(tempfile.mkdtemp(prefix="framing-discovered-"))
    found = discover_lexicon(inputs, folder, sample=sample, lexicons=lexicons, extend=extend, seed=seed, jobs=1,
                     progress=progress)
    paths = list(lexicons or [])
    if not extend and not paths:
        paths = [DEFAULT_LEXICON_DIR / n for n in ("attribution_verbs.csv", "boilerplate.csv", "affiliation_cues.csv")]
    facts = {"folder": str(folder), "sha256": found.facts["drafted_sha256"], "sample": found.facts["sample"],
             "model": found.facts["model"], "actors": found.facts["actors"]}
    return [str(p) for p in paths] + [str(folder)], extend, facts


def analyze(
    inputs: str | Path | Sequence[str | Path],
    *,
    lexicons: Sequence[str | Path] | None = None,
    extend_lexicon: bool = True,
    extractors: Sequence[str] | None = None,
    stance_model: str | Path | None = None,
    stats: StatsOptions | bool = True,
    crossdoc: CrossDocOptions | bool = True,
    jobs: int = 1,
    batch_size: int = 32,
    engine: str = "local",
    scheduler: str | None = None,
    progress: bool | None = None,
    columns: str | Mapping[str, str] | None = None,
    discover: bool = False,
    discover_sample: int | None = None,
    discover_dir: str | Path | None = None,
    seed: int = 0,
) -> Analysis:
    """Analyse a corpus: read, clean, segment, extract, aggregate, compare.

    Args:
        inputs: Files or folders (a folder of .txt with manifest.csv; .jsonl; .csv; .parquet).
        lexicons: Lexicon folders to use beside (``extend_lexicon=True``) or instead of the
            shipped one.
        extend_lexicon: Extend the shipped lexicon (True) or replace it (False).
        extractors: Extractor names (default: all).
        stance_model: A stance model folder (from ``framing stance train``) to use instead of the
            shipped one; the manifest records its path and file hashes.
        stats: :class:`~framing.options.StatsOptions` (bootstrap, seed, alpha) for the summary and
            comparison tables; True for the defaults, False to skip them.
        crossdoc: :class:`~framing.options.CrossDocOptions` for same-story alignment and
            distinctive terms; True for the defaults, False to skip both.
        jobs: Worker processes (1 = this process) of the extraction, the alignment of stories and,
            from :data:`PARALLEL_STATS_ARTICLES` articles, the comparisons (beside the other
            statistics); the tables do not depend on it.
        batch_size: Articles per worker task.
        engine: ``"local"`` (this process or ``jobs`` processes) or ``"dask"``.
        scheduler: Dask scheduler address; None starts a LocalCluster of ``jobs`` workers.
        progress: Show a progress bar on stderr (default: when stderr is a terminal).
        columns: Column mapping for JSONL/CSV/Parquet inputs, ``{"id": "stories_id", ...}`` or
            ``"id=stories_id,outlet=media_name"`` (:mod:`framing.read.columns`).
        discover: First draft a lexicon from the corpus (:func:`framing.lexicon.discover.discover`,
            spaCy NER on ``discover_sample`` articles or all), then analyse with the given lexicons
            and the drafted one together (with ``extend_lexicon=False`` and no ``lexicons``: the
            shipped general files, attribution verbs, affiliation cues and boilerplate rules, and
            the drafted one). The manifest records the drafted lexicon's hash, the sample and the model.
        discover_sample: Articles to discover from (default: all).
        discover_dir: Folder for the drafted lexicon (default: a new temporary folder, named in
            the manifest).
        seed: Seed of the discovery sample.

    Returns:
        An :class:`Analysis`.

    Raises:
        framing.read.corpus.InputError: An input path is missing or of an unknown kind, or a
            data file lacks a column the ``columns`` mapping names.
        ValueError: ``columns`` is not a valid mapping.
    """
    columns = parse_columns(columns)
    inputs = [str(p) for p in ([inputs] if isinstance(inputs, (str, Path)) else inputs)]
    stats_on = stats is not False
    stats_options = _options(stats, StatsOptions, StatsOptions())
    cross = _options(crossdoc, CrossDocOptions, NO_CROSSDOC)
    groups = stats_options.groups() if stats_on else (None, "")  # a bad group file fails before extraction
    drafted = None
    if discover:
        lexicons, extend_lexicon, drafted = _discovered(inputs, lexicons, extend_lexicon, discover_sample, discover_dir,
                                                        seed, progress, jobs)
    counting = None
    if cross.enabled and (cross.distinctive or cross.descriptors):  # counted by the workers of the first pass
        counting = CorpusCounting(ngram_range=tuple(cross.ngram_range), ngrams=cross.distinctive,
                                  descriptors=cross.descriptors)
    config = default_config(lexicons, extend=extend_lexicon, extractors=extractors, stance_model=stance_model,
                            counting=counting)
    texts = TextsLog()
    try:
        processor, tables, spool, counted = _extract(
            inputs, config, jobs=jobs, batch_size=batch_size, engine=engine, scheduler=scheduler,
            progress=sys.stderr.isatty() if progress is None else progress, columns=columns, texts=texts,
        )
    except BaseException:
        texts.cleanup()
        raise
    notes: list[str] = []
    design_facts: dict = {}
    if stats_on:
        stats_jobs = jobs if engine == "local" and len(tables["articles"]) >= PARALLEL_STATS_ARTICLES else 1
        stat_tables, design = spooled_statistics(tables["articles"], spool, stats_options, groups, jobs=stats_jobs)
        tables.update(stat_tables)
        design_facts = {"comparison_design": design.manifest_facts()}
        if design.ungrouped:
            notes.append(f"{len(design.ungrouped)} outlet(s) absent from the outlet-group file take part "
                         f"in no comparison: {', '.join(design.ungrouped)}")
    if cross.enabled:
        result = cross_document_tables(
            tables["articles"], lambda: iter_articles(inputs, columns=columns), lexicon=processor.lexicon, align=cross.align,
            distinctive=cross.distinctive, descriptors=cross.descriptors, ngram_range=cross.ngram_range, min_count=cross.min_count,
            prior=cross.prior, top=cross.distinctive_top, spool=spool, counted=counted,
            jobs=jobs,
        )
        tables.update(result.tables)
        notes += result.notes
        design_facts.update(result.facts)
        release_memory()
    arts = tables["articles"]
    parameters = {
        "extractors": [ex.name for ex in processor.extractors],
        **({"columns": columns} if columns else {}),
        **stats_options.manifest_facts(stats_on),
        **design_facts,
        **cross.manifest_facts(),
        **{ex.name: facts for ex in processor.extractors if (facts := ex.manifest_facts())},
    }
    manifest = build_manifest(
        inputs=inputs,
        lexicon={"folders": [str(p) for p in lexicons] if lexicons else ["(shipped)"],
                 "extend": extend_lexicon, "sha256": processor.lexicon.hash,
                 **({"discovered": drafted} if drafted is not None else {})},
        parameters=parameters,
        records={"in": len(arts), "ok": int((arts["status"] == "ok").sum()),
                 "error": int((arts["status"] == "error").sum()), "warnings": warning_kinds(
                     arts["warnings"].fillna("").astype(str) if "warnings" in arts.columns else ())},
        tables={**{name: len(df) for name, df in tables.items()}, **{n: spool.n_rows(n) for n in spool.names}},
        notes=notes,
    )
    for kind, n in manifest["records"]["warnings"].items():
        log.warning("%d of %d records: %s (each record's own in articles.warnings)", n, len(arts), kind)
    return Analysis(tables, manifest, spool=spool, inputs=inputs, texts=texts, columns=columns,
                    jobs=jobs if engine == "local" else 1)

