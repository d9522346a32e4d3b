"""A folder of awkward inputs analysed end to end: time, and a status for every record (prints, asserts nothing).

The folder holds a ~5 MB single-paragraph record, an empty file, a binary file, a latin-1 and a
UTF-16 text, a saved HTML page and a JSONL file with a broken line, beside two ordinary articles.
It runs ``framing analyze`` on it and prints the wall time and each record's status and error.

Usage (from the project root)::

    .venv/bin/python benchmarks/mixed_folder.py [--words 800000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]

PAGE = """<!doctype html><html><head><title>Council votes on the budget</title>
<meta property="og:site_name" content="Example Gazette"><meta name="date" content="2024-03-05"></head>
<body><nav>Home | World | Subscribe</nav><article><h1>Council votes on the budget</h1>
<p>The city council voted on Tuesday to approve the budget after a long debate.</p>
<p>"We listened to every resident," the mayor said after the vote.</p>
<p>Opponents said the plan would cut services in the poorest districts of the city.</p></article>
<footer>Copyright Example Gazette</footer></body></html>"""


def build(folder: Path, words: int) -> None:
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    base = " ".join(p.read_text(encoding="utf-8").replace("\n", " ") for p in seeds)
    long = (base + " ") * max(1, words // len(base.split()))
    rows = [("long.txt", "Long Wire", long.encode("utf-8")),
            ("empty.txt", "Empty Times", b""),
            ("binary.txt", "Binary Post", bytes(range(256)) * 40),
            ("latin1.txt", "Le Monde", "Le président a déclaré à la presse que la réforme était nécessaire.".encode("latin-1")),
            ("utf16.txt", "UTF Daily", "The minister said the talks in Zürich had gone well.".encode("utf-16")),
            ("page.html", "", PAGE.encode("utf-8"))]
    for p in seeds:
        rows.append((p.name, "", p.read_bytes()))
    for name, _, data in rows:
        (folder / name).write_bytes(data)
    outlets = {p.name: o for p, o in zip(seeds, ("TRT World", "The Independent"), strict=True)}
    with open(folder / "manifest.csv", "w", encoding="utf-8") as fh:
        fh.write("file,outlet\n")
        for name, outlet, _ in rows:
            fh.write(f"{name},{outlet or outlets.get(name, 'Example Gazette')}\n")
    good = {"id": "j1", "outlet": "JSON Wire", "text": "The envoy said the ceasefire would hold."}
    (folder.parent / "feed.jsonl").write_text(json.dumps(good) + "\n{broken json\n", encoding="utf-8")


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--words", type=int, default=800_000, help="words of the one-paragraph record (~6 chars each)")
    ap.add_argument("--keep", type=Path, default=None, help="build the folder here and keep it")
    args = ap.parse_args(argv)
    work = args.keep or Path(tempfile.mkdtemp(prefix="framing-mixed-"))
    folder = work / "in"
    folder.mkdir(parents=True, exist_ok=True)
    build(folder, args.words)
    size = (folder / "long.txt").stat().st_size
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "framing.cli", "analyze", str(folder), str(work / "feed.jsonl"),
                           "--out", str(work / "out"), "--no-figures", "--no-audit"],
                          capture_output=True, text=True, cwd=ROOT)
    secs = time.perf_counter() - t0
    print(f"long record {size / 1e6:.1f} MB; framing analyze exit {proc.returncode} in {secs:.1f} s")
    if proc.returncode not in (0, 1):
        print(proc.stderr[-2000:])
        return
    arts = pd.read_csv(work / "out" / "articles.csv", keep_default_na=False)
    for r in arts.itertuples():
        print(f"  {r.source:28} {r.status:6} {r.error[:90]}")


if __name__ == "__main__":
    main()
