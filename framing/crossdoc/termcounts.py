"""Exact n-gram counts per outlet in bounded memory, for distinctive terms over large corpora.

Counts accumulate in memory up to ``budget`` distinct (outlet, n-gram) entries; then they are
spilled to a Parquet file on disk, split into ``partitions`` row groups by a stable hash (CRC-32)
of the n-gram, and memory starts afresh. Distinctive terms (:mod:`framing.crossdoc.distinctive`) are then
scored one partition at a time: all counts of an n-gram live in one partition, and the rest of the
statistic needs only corpus totals (n-grams per outlet, kept exactly), so the table equals
:func:`framing.crossdoc.distinctive.distinctive_terms_from_counts` on the whole counts while memory holds
one partition. No count is approximated.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import weakref
import zlib
from collections import Counter
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from framing.crossdoc.distinctive import check_options, merge_scored, score_terms

__all__ = ["TermCounts"]

log = logging.getLogger(__name__)


class TermCounts:
    """N-gram counts per outlet that spill to disk beyond a memory budget.

    Args:
        budget: Distinct (outlet, n-gram) entries held in memory before a spill (about 150 bytes
            each in Python's dictionaries).
        partitions: Hash partitions of the vocabulary; scoring holds one in memory.
        directory: Where spill files go (a temporary directory inside it; default the system's).
    """

    def __init__(self, *, budget: int = 200_000, partitions: int = 32, directory: str | Path | None = None):
        if budget < 1 or partitions < 1:
            raise ValueError(f"budget and partitions must be positive, got {budget!r} and {partitions!r}")
        self.budget = int(budget)
        self.partitions = int(partitions)
        self._parent = directory
        self._dir: Path | None = None
        self._memory: dict[str, Counter] = {}
        self._entries = 0
        self._spills: list[tuple[Path, dict[int, int]]] = []  # file, partition -> row group
        self.totals: Counter = Counter()  # n-grams per outlet, exact

    @property
    def n_spills(self) -> int:
        """Spill files written so far."""
        return len(self._spills)

    def update(self, outlet: str, counts: Mapping[str, int]) -> None:
        """Add one document's (or any) n-gram counts to ``outlet``."""
        mine = self._memory.setdefault(outlet, Counter())
        before = len(mine)
        mine.update(counts)
        self._entries += len(mine) - before
        self.totals[outlet] += sum(counts.values())
        if self._entries > self.budget:
            self._spill()

    def _part(self, term: str) -> int:
        return zlib.crc32(term.encode("utf-8")) % self.partitions

    def _buckets(self) -> dict[int, tuple[list, list, list]]:
        """The in-memory counts split by partition: partition -> (outlets, terms, counts)."""
        rows: dict[int, tuple[list, list, list]] = {}
        for outlet in sorted(self._memory):
            for term, count in self._memory[outlet].items():
                bucket = rows.setdefault(self._part(term), ([], [], []))
                bucket[0].append(outlet)
                bucket[1].append(term)
                bucket[2].append(count)
        return rows

    def _spill(self) -> None:
        if self._dir is None:
            self._dir = Path(tempfile.mkdtemp(prefix="framing-terms-", dir=self._parent))
            # the spill folder goes with this object, even if nobody calls cleanup()
            self._remove = weakref.finalize(self, shutil.rmtree, self._dir, True)
        rows = self._buckets()
        path = self._dir / f"spill-{len(self._spills):05d}.parquet"
        schema = pa.schema([("outlet", pa.string()), ("term", pa.string()), ("count", pa.int64())])
        groups: dict[int, int] = {}
        with pq.ParquetWriter(path, schema) as writer:
            for p in sorted(rows):
                outlets, terms, counts = rows[p]
                writer.write_table(pa.table([outlets, terms, counts], schema=schema), row_group_size=len(terms))
                groups[p] = len(groups)
        self._spills.append((path, groups))
        log.debug("term counts: spilled %d entries to %s", self._entries, path)
        self._memory = {}
        self._entries = 0

    def _partition(self, p: int, memory: tuple[list, list, list] | None) -> pd.DataFrame:
        """``(term, outlet) -> count`` of partition ``p``, from the spills and its in-memory bucket."""
        frames = []
        for path, groups in self._spills:
            if p in groups:
                frames.append(pq.ParquetFile(path).read_row_group(groups[p]).to_pandas())
        if memory is not None:
            frames.append(pd.DataFrame(dict(zip(("outlet", "term", "count"), memory, strict=True))))
        if not frames:
            return pd.DataFrame(columns=["outlet", "term", "count"])
        df = pd.concat(frames, ignore_index=True)
        return df.groupby(["term", "outlet"], sort=True)["count"].sum()

    def distinctive(self, *, prior: float = 0.1, min_count: int = 3, top: int | None = None) -> pd.DataFrame:
        """Distinctive terms of every outlet against the rest, with the input as background.

        Equals :func:`framing.crossdoc.distinctive.distinctive_terms_from_counts` on the whole counts with
        the same ``prior``, ``min_count`` and ``top``.

        Raises:
            ValueError: Fewer than two outlets with text.
        """

        check_options((1, 1), prior, min_count)
        outlets = sorted(o for o, n in self.totals.items() if n > 0)
        if len(outlets) < 2:
            raise ValueError(f"distinctive terms need text from at least two outlets, got {outlets}")
        totals = np.array([float(self.totals[o]) for o in outlets])
        alpha0 = prior * float(totals.sum())
        frames, n_terms = [], 0
        memory = self._buckets()  # hashed once, not once per partition
        for p in range(self.partitions):
            counts = self._partition(p, memory.get(p))
            if len(counts) == 0:
                continue
            table = counts.unstack("outlet", fill_value=0).reindex(columns=outlets, fill_value=0)
            vocab = table.index.tolist()
            y = table.to_numpy(dtype=float).T
            n_terms += len(vocab)
            frames += score_terms(vocab, outlets, y, prior * y.sum(axis=0), alpha0, totals,
                                  min_count=min_count, top=top)
        log.info("distinctive terms: %d outlets, %d terms in %d partitions, %d spills", len(outlets), n_terms,
                 self.partitions, self.n_spills)
        return merge_scored(frames, top=top)

    def cleanup(self) -> None:
        """Remove the spill files."""
        if self._dir is not None:
            self._remove()
            self._dir = None
        self._spills = []

    def __enter__(self) -> TermCounts:
        return self

    def __exit__(self, *exc) -> None:
        self.cleanup()
