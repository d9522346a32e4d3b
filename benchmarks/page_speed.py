"""Speed of reading saved news pages (trafilatura), and a whole run on pages against the same JSONL.

Run from the repository root::

    .venv/bin/python benchmarks/page_speed.py                 # 300 pages per size, 200 for the runs
    .venv/bin/python benchmarks/page_speed.py --n 100 --run-n 50

Each generated article (:mod:`benchmarks.corpus_gen`) is wrapped in a page with the chrome real
pages carry (cookie banner, navigation, related-stories box, comment section, footer, JSON-LD).
Figures: pages per second of :func:`framing.read.pages.read_page` at a small (~300 words), a news
(~900 words) and a large (~6,000 words) article size, and the wall time of ``framing.analyze`` on
a folder of pages (with a manifest giving the story ids) against the same articles as JSONL (single process, statistics with 100
bootstrap draws). Both runs read their input twice (the cross-document step streams it again), so
page extraction is paid twice. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import html
import json
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.corpus_gen import generate  # noqa: E402
from framing import StatsOptions, analyze  # noqa: E402
from framing.read.pages import read_page  # noqa: E402

CHROME_TOP = """<div class="cookie-consent"><p>We use cookies to improve your experience. <button>Accept</button></p></div>
<header><nav><ul>{links}</ul></nav></header>"""
CHROME_BOTTOM = """<aside class="related"><h2>Related stories</h2><ul>{related}</ul></aside>
<section id="comments"><h2>Comments</h2>{comments}</section>
<footer><p>© 2026 Benchmark News Ltd. All rights reserved.</p><p><a href="/privacy">Privacy</a> | <a href="/terms">Terms</a></p></footer>"""


def page_html(article, k: int) -> str:
    """A whole HTML page around one article."""
    paragraphs = [p for p in article.text.split("\n\n") if p.strip()]
    title = html.escape(paragraphs[0][:80])
    links = "".join(f'<li><a href="/s{i}">Section {i}</a></li>' for i in range(12))
    related = "".join(f'<li><a href="/r{k}-{i}">Related headline number {i} about the region</a></li>' for i in range(6))
    comments = "".join(f'<div class="comment"><p>Reader{i}: I disagree with this coverage entirely, comment {i}.</p></div>'
                       for i in range(8))
    ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": paragraphs[0][:80],
                     "datePublished": "2022-10-19T10:00:00Z", "author": {"@type": "Person", "name": "A. Writer"},
                     "publisher": {"@type": "Organization", "name": article.outlet}})
    body = "".join(f"<p>{html.escape(p)}</p>\n" for p in paragraphs)
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title>'
            f'<script type="application/ld+json">{ld}</script>'
            f'<link rel="canonical" href="https://bench.example.com/story/{k}"></head><body>'
            + CHROME_TOP.format(links=links) + f"<main><article><h1>{title}</h1>{body}</article>"
            + CHROME_BOTTOM.format(related=related, comments=comments) + "</main></body></html>")


def pages_per_second(n: int, words: int) -> tuple[float, float]:
    pages = [page_html(a.article, k).encode("utf-8") for k, a in enumerate(generate(n, seed=1, target_words=words))]
    size = sum(map(len, pages)) / len(pages) / 1024
    start = time.perf_counter()
    for data in pages:
        read_page(data)
    return n / (time.perf_counter() - start), size


def whole_runs(n: int) -> tuple[float, float]:
    corpus = [g.article for g in generate(n, seed=2)]
    with tempfile.TemporaryDirectory() as tmp:
        folder, jsonl = Path(tmp) / "pages", Path(tmp) / "corpus.jsonl"
        folder.mkdir()
        rows = []
        for k, art in enumerate(corpus):
            (folder / f"{art.id}.html").write_text(page_html(art, k), encoding="utf-8")
            page = read_page((folder / f"{art.id}.html").read_bytes())
            # the JSONL run gets exactly what the page run reads: text and metadata
            rows.append(json.dumps({"id": art.id, "outlet": art.outlet, "text": page.text, "story": art.story,
                                    "title": page.title, "date": page.date, "author": page.author, "url": page.url}))
        jsonl.write_text("\n".join(rows) + "\n", encoding="utf-8")
        # the same story ids for both runs: the manifest lists the pages with their story
        (folder / "manifest.csv").write_text("file,story\n" + "".join(f"{a.id}.html,{a.story}\n" for a in corpus),
                                             encoding="utf-8")
        times = []
        for source in (folder, jsonl):
            start = time.perf_counter()
            analyze(source, stats=StatsOptions(bootstrap=100), jobs=1, progress=False).close()
            times.append(time.perf_counter() - start)
    return times[0], times[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=300, help="pages per size")
    ap.add_argument("--run-n", type=int, default=200, help="articles in the whole-run comparison (0: skip)")
    args = ap.parse_args()
    print(f"python {platform.python_version()} on {platform.machine()}, single process")
    for label, words in (("small", 300), ("news", 900), ("large", 6000)):
        rate, size = pages_per_second(args.n, words)
        print(f"read_page {label:5s} (~{words} words, {size:.0f} KiB a page): {rate:7.1f} pages/s")
    if args.run_n:
        pages, jsonl = whole_runs(args.run_n)
        print(f"analyze {args.run_n} articles: pages {pages:.1f} s, same texts as JSONL {jsonl:.1f} s "
              f"(pages cost {pages - jsonl:+.1f} s, {pages / jsonl:.2f}x)")


if __name__ == "__main__":
    main()
