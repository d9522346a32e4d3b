"""Long tables written to disk as they grow, so memory stays flat on large corpora.

Rows arrive per article; every ``chunk_rows`` rows a table is written as one Parquet part
(``<table>/part-00000.parquet`` ...) in a spool folder. Reading a table back concatenates its
parts (optionally only some columns, as categoricals); exporting streams the parts to CSV one at a
time. The first part fixes each column's dtype; later parts are cast to it, so a CSV written part
by part equals the CSV of the whole table. :func:`release_memory` hands memory freed after
reading parts (and after any other step of a run) back to the system.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import shutil
import tempfile
import weakref
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

__all__ = ["TableSpool", "read_parts", "release_memory"]


def read_parts(paths: Iterable[str | Path], columns: Sequence[str] | None = None) -> Iterable[pd.DataFrame]:
    """Yield the parts written by :meth:`TableSpool.part_files`, one DataFrame at a time (only
    ``columns`` when given)."""
    for path in paths:
        yield pd.read_parquet(path, columns=None if columns is None else list(columns))


class TableSpool:
    """Append-only, on-disk store of the long tables of one run.

    Args:
        columns: Table name -> column order; every table exists, even if it gets no row.
        directory: Spool folder (default: a new temporary folder removed by :meth:`cleanup`).
        chunk_rows: Rows buffered per table before a part is written.
    """

    def __init__(
        self,
        columns: Mapping[str, Sequence[str]],
        *,
        directory: str | Path | None = None,
        chunk_rows: int = 2_000,
    ):
        self._own = directory is None
        self.directory = Path(tempfile.mkdtemp(prefix="framing-spool-") if directory is None else directory)
        # a folder this spool made goes when the spool does, even if nobody calls cleanup()
        self._remove = weakref.finalize(self, shutil.rmtree, self.directory, True) if self._own else None
        self.columns = {name: list(cols) for name, cols in columns.items()}
        self.chunk_rows = chunk_rows
        self._buffers: dict[str, list[pd.DataFrame]] = {name: [] for name in self.columns}
        self._buffered: dict[str, int] = {name: 0 for name in self.columns}
        self._parts: dict[str, list[Path]] = {name: [] for name in self.columns}
        self._dtypes: dict[str, pd.Series] = {}
        self._rows: dict[str, int] = {name: 0 for name in self.columns}

    def _declare(self, name: str) -> None:
        if name not in self._buffers:
            self.columns[name] = []
            self._buffers[name], self._parts[name], self._rows[name], self._buffered[name] = [], [], 0, 0

    def declare(self, name: str, columns: Sequence[str]) -> None:
        """Create table ``name`` with these columns (an empty table keeps its header)."""
        self._declare(name)
        if not self.columns[name]:
            self.columns[name] = list(columns)

    def add(self, name: str, rows: Iterable[dict[str, Any]]) -> None:
        """Append rows (dicts) to table ``name`` (a table not declared up front is created)."""
        rows = list(rows)
        self._declare(name)
        if rows:
            cols = self.columns[name]
            extra = sorted({k for r in rows for k in r} - set(cols))
            self.add_frame(name, pd.DataFrame.from_records(rows, columns=cols + extra))

    def add_frame(self, name: str, frame: pd.DataFrame) -> None:
        """Append a DataFrame of rows to table ``name``."""
        self._declare(name)
        extra = [c for c in frame.columns if c not in self.columns[name]]
        if extra:
            if self._parts[name]:
                raise ValueError(f"table {name!r}: columns {extra} appeared after the first part; "
                                 "an extractor must declare every column it writes")
            self.columns[name] = self.columns[name] + sorted(extra)
        if len(frame):
            self._buffers[name].append(frame)
            self._buffered[name] += len(frame)
        if self._buffered[name] >= self.chunk_rows:
            self._flush(name)

    def _flush(self, name: str) -> None:
        frames = self._buffers[name]
        if not frames:
            return
        df = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
        df = df.reindex(columns=self.columns[name])
        if name in self._dtypes:
            df = _cast_like(df, self._dtypes[name], name)
        else:
            self._dtypes[name] = df.dtypes
        folder = self.directory / name
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"part-{len(self._parts[name]):05d}.parquet"
        df.to_parquet(path, index=False)
        self._parts[name].append(path)
        self._rows[name] += len(df)
        self._buffers[name] = []
        self._buffered[name] = 0

    def flush(self) -> None:
        """Write every buffered row."""
        for name in list(self._buffers):
            self._flush(name)

    def n_rows(self, name: str) -> int:
        """Rows written so far to table ``name`` (after :meth:`flush`)."""
        return self._rows[name] + self._buffered[name]

    @property
    def names(self) -> list[str]:
        return list(self.columns)

    def part_files(self, name: str) -> list[Path]:
        """The Parquet files of table ``name``, in row order (buffered rows written first); another
        process can read them with :func:`read_parts` while this spool exists."""
        self._flush(name)
        return list(self._parts[name])

    def parts(self, name: str, *, columns: Sequence[str] | None = None) -> Iterable[pd.DataFrame]:
        """Yield the table's parts in order (each a DataFrame)."""
        self._flush(name)
        for path in self._parts[name]:
            yield pd.read_parquet(path, columns=list(columns) if columns else None)

    def read(self, name: str, *, columns: Sequence[str] | None = None, categories: Sequence[str] = ()) -> pd.DataFrame:
        """The whole table (or some columns), with ``categories`` columns as categoricals."""
        cols = list(columns) if columns else self.columns[name]
        frames = []
        for df in self.parts(name, columns=cols):
            for c in categories:
                if c in df:
                    df[c] = df[c].astype("category")
            frames.append(df)
        if not frames:
            return pd.DataFrame(columns=cols)
        out = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
        for c in categories:
            if c in out and out[c].dtype != "category":
                out[c] = out[c].astype("category")
        return out

    def cleanup(self) -> None:
        """Remove the spool folder if this spool created it."""
        if self._remove is not None:
            self._remove()


def _cast_like(df: pd.DataFrame, dtypes: pd.Series, name: str) -> pd.DataFrame:
    for col, dtype in dtypes.items():
        if col not in df or df[col].dtype == dtype:
            continue
        if pd.api.types.is_integer_dtype(dtype) and df[col].isna().any():
            raise ValueError(f"table {name!r}: column {col!r} is an integer column but got an "
                             "empty value; extractors write -1 for a missing offset")
        if pd.api.types.is_object_dtype(dtype):
            df[col] = df[col].astype(object)
        else:
            df[col] = df[col].astype(dtype)
    return df


def release_memory() -> None:
    """Hand freed memory back to the system between the steps of a run.

    Arrow's allocator keeps memory for reuse after Parquet parts are read, and glibc's ``malloc``
    keeps freed heap pages; neither is needed by the next step. The second is what
    ``malloc_trim(0)`` does (as Dask workers do); on systems without glibc it is skipped.
    """
    pa.default_memory_pool().release_unused()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.lru_cache(maxsize=1)
def _malloc_trim():
    """glibc's ``malloc_trim``, or None where there is no glibc."""
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):
        return None
