"""Statistics on corpora of many outlets: time and size of the comparison table per design.

Run from the repository root::

    .venv/bin/python benchmarks/many_outlets.py                 # 1,000 articles, 53/109/293 outlets
    .venv/bin/python benchmarks/many_outlets.py --n 10000 --outlets 300

Extracts a generated corpus once (benchmarks/corpus_gen.py, topic-wide stories of ``--story-size``
articles), then for each outlet count relabels the articles' outlets in turn and times
:func:`framing.stats.summaries.summarize` (every summary and the comparisons, ``--bootstrap``
resamples; with ``--groups K`` also the group design). Prints the design, the contrasts, the rows of ``comparisons`` and the seconds;
asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import framing  # noqa: E402
from benchmarks.corpus_gen import generate  # noqa: E402
from framing.stats.design import choose_design  # noqa: E402
from framing.stats.summaries import summarize  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1000, help="articles")
    ap.add_argument("--outlets", type=int, nargs="+", default=[53, 109, 293])
    ap.add_argument("--story-size", type=int, default=200, help="articles per story (topic-wide)")
    ap.add_argument("--bootstrap", type=int, default=1000)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--groups", type=int, default=0,
                    help="also time the group design: outlets in this many groups (outlet i -> group i %% K)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "corpus.jsonl"
        with path.open("w", encoding="utf-8") as fh:
            for g in generate(args.n, seed=0, outlets=max(args.outlets), story_size=args.story_size):
                a = g.article
                fh.write(json.dumps({"id": a.id, "outlet": a.outlet, "story": a.story, "text": a.text}) + "\n")
        start = time.perf_counter()
        result = framing.analyze(str(path), stats=False, crossdoc=False, jobs=args.jobs, progress=False)
        extract = time.perf_counter() - start
        tables = {name: result.table(name) for name in ("articles", "mentions", "quotes", "stance")}
        print(f"{args.n} articles, stories of {args.story_size}: extraction {extract:.1f} s (jobs={args.jobs})",
              flush=True)
        for k in args.outlets:
            relabelled = {}
            for name, df in tables.items():
                key = "id" if name == "articles" else "article_id"
                number = df[key].str.slice(3).astype(int)
                relabelled[name] = df.assign(outlet=[f"Outlet {i % k:03d}" for i in number])
            start = time.perf_counter()
            out = summarize(relabelled, B=args.bootstrap, seed=0)
            seconds = time.perf_counter() - start
            comp = out["comparisons"]
            designs = ", ".join(f"{d}: {n}" for d, n in comp["design"].value_counts().sort_index().items())
            print(f"  {k:4d} outlets: statistics {seconds:7.1f} s; comparisons {len(comp):6d} rows ({designs})",
                  flush=True)
            if args.groups:
                groups = {f"Outlet {i:03d}": f"group {i % args.groups}" for i in range(k)}
                design = choose_design(sorted(groups), groups=groups)
                start = time.perf_counter()
                comp = summarize(relabelled, B=args.bootstrap, seed=0, design=design)["comparisons"]
                seconds = time.perf_counter() - start
                designs = ", ".join(f"{d}: {n}" for d, n in comp["design"].value_counts().sort_index().items())
                print(f"  {k:4d} outlets in {args.groups} groups: statistics {seconds:7.1f} s; "
                      f"comparisons {len(comp):6d} rows ({designs})", flush=True)
        result.close()


if __name__ == "__main__":
    main()
