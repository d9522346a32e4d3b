"""Statistics of a run from its spool: the summaries and comparisons, in this process or two workers.

The long tables are reduced part by part from the spool's files (:meth:`Aggregates.from_parts`), so
memory holds one part and the per-article sums. With ``jobs`` > 1 the two halves
(:func:`framing.stats.summaries.comparison_tables` with the design,
:func:`framing.stats.summaries.summary_tables`) run in two worker processes that read the part files
themselves; every figure comes from its own seeded generator, so the tables do not depend on it.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import sys
from concurrent.futures import ProcessPoolExecutor

import pandas as pd

from framing.options import StatsOptions
from framing.spool import TableSpool, read_parts, release_memory
from framing.stats.aggregate import SOURCE_COLUMNS, Aggregates
from framing.stats.compare import comparison_outlets
from framing.stats.design import Design, choose_design
from framing.stats.resample import check_resampling_options
from framing.stats.summaries import (
    COMPARISON_AGGREGATES,
    SUMMARY_AGGREGATES,
    SUMMARY_ORDER,
    comparison_tables,
    summary_tables,
)

__all__ = ["spooled_statistics", "statistics_half"]

log = logging.getLogger(__name__)


def spooled_statistics(
    articles: pd.DataFrame, spool: TableSpool, options: StatsOptions, groups: tuple[dict | None, str],
    jobs: int = 1,
) -> tuple[dict[str, pd.DataFrame], Design]:
    """Summaries and comparisons (and their design), the long tables reduced part by part from the spool.

    Memory holds one spooled part and the per-article sums (:mod:`framing.stats.aggregate`), never a
    whole mention-, quote- or stance-level table. With ``jobs`` > 1, two worker processes read the
    spooled parts themselves, one computing the comparisons and label choices, the other the other
    summaries (:func:`framing.stats.summaries.comparison_tables`, :func:`~framing.stats.summaries.summary_tables`),
    so this process holds neither the sums nor the resamples; the tables are the same.
    """
    sources = {name: ([str(p) for p in spool.part_files(name)],
                      [c for c in SOURCE_COLUMNS[name] if c in spool.columns[name]])
               for name in SOURCE_COLUMNS if name in spool.names}
    if jobs <= 1:  # one reading of the spool for both halves
        (tables, design), more = statistics_half("both", articles, sources, options, groups), {}
    else:
        ctx = mp.get_context("forkserver" if sys.platform != "win32" else "spawn")
        with ProcessPoolExecutor(2, mp_context=ctx) as pool:
            futures = [pool.submit(statistics_half, half, articles, sources, options, groups)
                       for half in ("comparisons", "summaries")]
            (tables, design), (more, _) = (f.result() for f in futures)
    if design.ungrouped:
        log.warning("%d outlet(s) not in %s take part in no group contrast: %s", len(design.ungrouped),
                    options.outlet_groups, ", ".join(design.ungrouped[:10]) + (" ..." if len(design.ungrouped) > 10 else ""))
    both = {**tables, **more}
    release_memory()
    return {name: both[name] for name in SUMMARY_ORDER}, design


def statistics_half(half: str, articles: pd.DataFrame, sources: dict[str, tuple[list[str], list[str]]],
                     options: StatsOptions, groups: tuple[dict | None, str]) -> tuple[dict[str, pd.DataFrame], Design | None]:
    """Statistics from the spooled part files (``sources``: table -> (files, columns)): ``"comparisons"``
    (label choices, comparisons and the design), ``"summaries"`` (the other tables) or ``"both"``."""

    def parts(name: str):
        if name not in sources:
            return None
        files, present = sources[name]
        return read_parts(files, columns=present)

    check_resampling_options(B=options.bootstrap, seed=options.seed, ci=1.0 - options.alpha)
    status = articles["status"].astype(str)
    failed = set(articles.loc[status != "ok", "id"].astype(str))
    only = {"comparisons": COMPARISON_AGGREGATES, "summaries": SUMMARY_AGGREGATES}.get(half)
    aggregates = Aggregates.from_parts(parts, exclude=failed, only=only)
    release_memory()
    B, seed, alpha = options.bootstrap, options.seed, options.alpha
    if half == "summaries":
        return summary_tables(articles, aggregates, B=B, seed=seed, ci=1.0 - alpha), None
    ok = articles[status == "ok"]
    mapping, sha = groups
    design = choose_design(
        comparison_outlets(ok.assign(outlet=ok["outlet"].astype(str)), aggregates),
        compare=options.compare, groups=mapping, pairs_max=options.pairs_max, rest_max=options.rest_max,
        sizes=ok["outlet"].astype(str).value_counts().to_dict(),
        groups_file=str(options.outlet_groups or ""), groups_sha256=sha,
    )
    tables = comparison_tables(articles, aggregates, B=B, seed=seed, alpha=alpha, design=design)
    if half == "both":
        tables.update(summary_tables(articles, aggregates, B=B, seed=seed, ci=1.0 - alpha))
    return tables, design
