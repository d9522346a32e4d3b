"""One whole `framing.analyze` run with its phases timed and its peak memory sampled.

Not meant to be run by hand: :mod:`benchmarks.scale` starts it in a fresh process per
configuration, so that each run's memory is its own::

    .venv/bin/python benchmarks/scale_run.py CORPUS.jsonl OUT_DIR --jobs 2 --bootstrap 1000

Prints one JSON line: seconds of extraction (reading to the gathered tables), statistics,
cross-document pass and export, the whole run, and the peak resident memory of this process plus
its worker processes (sampled every 0.1 s with psutil, the sum over the live processes at each
sample; the worker pool's processes are children of this one), overall and per phase, and the
CPU seconds those processes used in each phase (CPU over wall time shows how busy the cores were;
a process that ends between samples loses its last 0.1 s).
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import framing  # noqa: E402
import framing.analysis as analysis  # noqa: E402
from framing.options import StatsOptions  # noqa: E402


class PeakMemory(threading.Thread):
    """Sample RSS of this process and its descendants until stopped; keep the largest sum, overall
    and per phase (``phase`` is set by the timed steps)."""

    def __init__(self, interval: float = 0.1) -> None:
        super().__init__(daemon=True)
        self.interval, self.peak, self._stop_flag = interval, 0, threading.Event()
        self.me = psutil.Process()
        self.phase, self.by_phase = "other", {}
        self.cpu_by_phase: dict[str, float] = {}
        self.main_by_phase: dict[str, int] = {}  # this process alone
        self.child_by_phase: dict[str, int] = {}  # the largest single worker
        self._cpu_seen: dict[int, float] = {}

    def run(self) -> None:
        while not self._stop_flag.is_set():
            total = 0
            for proc in [self.me, *self.me.children(recursive=True)]:
                try:
                    with proc.oneshot():
                        rss = proc.memory_info().rss
                        times = proc.cpu_times()
                    total += rss
                    mine = self.main_by_phase if proc is self.me else self.child_by_phase
                    mine[self.phase] = max(mine.get(self.phase, 0), rss)
                    cpu = times.user + times.system
                except psutil.Error:
                    continue
                # CPU used since the last sample (a process's first sample counts from its start)
                delta = cpu - self._cpu_seen.get(proc.pid, 0.0)
                self._cpu_seen[proc.pid] = cpu
                self.cpu_by_phase[self.phase] = self.cpu_by_phase.get(self.phase, 0.0) + delta
            self.peak = max(self.peak, total)
            self.by_phase[self.phase] = max(self.by_phase.get(self.phase, 0), total)
            self._stop_flag.wait(self.interval)

    def stop(self) -> int:
        self._stop_flag.set()
        self.join()
        return self.peak


def timed(name: str, fn, seconds: dict, sampler: PeakMemory):
    def wrapper(*args, **kwargs):
        start, sampler.phase = time.perf_counter(), name
        try:
            return fn(*args, **kwargs)
        finally:
            seconds[name] = seconds.get(name, 0.0) + time.perf_counter() - start
            sampler.phase = "other"
    return wrapper


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus")
    ap.add_argument("out")
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--bootstrap", type=int, default=1000)
    args = ap.parse_args()
    seconds: dict[str, float] = {}
    # The phases are the module-level steps analyze() calls; wrapping them only reads the clock.
    sampler = PeakMemory()
    analysis._extract = timed("extraction", analysis._extract, seconds, sampler)
    analysis.spooled_statistics = timed("statistics", analysis.spooled_statistics, seconds, sampler)
    analysis.cross_document_tables = timed("crossdoc", analysis.cross_document_tables, seconds, sampler)
    sampler.start()
    start = time.perf_counter()
    result = framing.analyze(args.corpus, jobs=args.jobs, progress=False,
                             stats=StatsOptions(bootstrap=args.bootstrap))
    timed("export", result.export, seconds, sampler)(args.out)
    seconds["whole"] = time.perf_counter() - start
    peak = sampler.stop()
    comp = result.table("comparisons")
    print(json.dumps({
        "seconds": seconds, "peak_mib": peak / 2**20,
        "peak_mib_by_phase": {k: v / 2**20 for k, v in sorted(sampler.by_phase.items())},
        "main_mib_by_phase": {k: v / 2**20 for k, v in sorted(sampler.main_by_phase.items())},
        "worker_mib_by_phase": {k: v / 2**20 for k, v in sorted(sampler.child_by_phase.items())},
        "cpu_s_by_phase": {k: round(v, 1) for k, v in sorted(sampler.cpu_by_phase.items())},
        "comparisons": len(comp),
        "designs": comp["design"].value_counts().sort_index().to_dict(),
        "alignment": result.manifest.get("parameters", {}).get("alignment_pairs", {}),
        "records": result.manifest["records"],
    }))
    result.close()


if __name__ == "__main__":
    main()
