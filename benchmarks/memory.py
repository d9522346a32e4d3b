"""Peak memory (RSS) of a whole `framing analyze` run at 1,000 and 10,000 articles.

Run from the repository root::

    .venv/bin/python benchmarks/memory.py               # 1k and 10k articles
    .venv/bin/python benchmarks/memory.py --sizes 500 5000

Each size runs in a fresh child process (`framing analyze corpus.jsonl --out DIR --jobs 1`, the
full analysis with statistics and exports) and the child reports its own peak resident set size:
VmHWM from /proc/self/status on Linux (getrusage's ru_maxrss is inherited across fork and exec, so
it would also count this process's memory after generating the corpus), else ru_maxrss.
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.scale import write_corpus  # noqa: E402


def peak_rss_mib(n: int, tmp: Path, bootstrap: int, extra: list[str]) -> tuple[float, float]:
    corpus = tmp / f"corpus{n}.jsonl"
    write_corpus(n, corpus)
    code = (
        "import resource, sys\n"
        "from framing.cli import main\n"
        "def peak_kib():\n"
        "    try:\n"  # VmHWM: this process's own high-water mark (ru_maxrss also counts the parent's at fork)
        "        for line in open('/proc/self/status'):\n"
        "            if line.startswith('VmHWM:'):\n"
        "                return int(line.split()[1])\n"
        "    except OSError:\n"
        "        pass\n"
        "    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        f"rc = main(['analyze', {str(corpus)!r}, '--out', {str(tmp / f'out{n}')!r}, '--bootstrap', '{bootstrap}', '--jobs', '1', '--no-progress', *{extra!r}])\n"
        "print(peak_kib())\n"
        "sys.exit(rc)\n"
    )
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    elapsed = time.perf_counter() - start
    if proc.returncode:
        raise SystemExit(proc.stderr)
    return int(proc.stdout.strip().splitlines()[-1]) / 1024, elapsed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--bootstrap", type=int, default=200)
    ap.add_argument("--no-align", action="store_true", help="pass --no-align to framing analyze")
    args = ap.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            rss, secs = peak_rss_mib(n, Path(tmp), args.bootstrap, ["--no-align"] if args.no_align else [])
            results[n] = rss
            print(f"{n:>7} articles: peak RSS {rss:8.1f} MiB  ({secs:.0f} s)")
    base = results[args.sizes[0]]
    for n in args.sizes[1:]:
        print(f"ratio {n} / {args.sizes[0]}: {results[n] / base:.2f}")


if __name__ == "__main__":
    main()
