"""Open world: actors and voices found with ``framing discover`` on corpora the lexicon was not written for.

Prints figures, asserts nothing. Usage (from the project root)::

    .venv/bin/python benchmarks/eval_discover.py            # NewsWCL50 dev and PolNeAR dev
    .venv/bin/python benchmarks/eval_discover.py --scale    # also: discover on 2,000 generated
                                                            # articles, analyze vs analyze --discover on 10,000

NewsWCL50 dev (events 0-4, five US outlets): the annotated concepts of type ACTOR, COUNTRY and
GROUP whose annotations include a proper name (annotated words that are capitalised names once
"the", "Mr." and titles are dropped: "Trump", "North Korea", "Democrats", "WikiLeaks") are the
*named actors*. A named actor is *found* when one of its names is a variant of an actor of the
drafted lexicon (discover with no topic lexicon: ``--replace-lexicon``). An article × actor pair is
*in the mentions* when the article's ``mentions`` table holds an entity one of whose variants is a
name the annotators gave that actor; this is measured with the shipped lexicon alone and with
``--discover`` and no topic lexicon.

PolNeAR dev: share of quotes (scare quotes left out) whose voice is none of the groups: ``other``,
``unattributed`` or ``unknown: ...``; before (shipped lexicon without affiliation cues: what the
toolkit did before them), with the cues, and with ``--discover`` and no topic lexicon.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import framing  # noqa: E402
from framing.extract.affiliation import NO_VOICE  # noqa: E402
from framing.extract.quotes import QuotesExtractor  # noqa: E402
from framing.lexicon.discover import discover  # noqa: E402
from framing.lexicon.load import DEFAULT_LEXICON_DIR, load_lexicon  # noqa: E402
from framing.lexicon.suggest import plain_key  # noqa: E402
from framing.read.corpus import read_articles  # noqa: E402
from framing.text.segment import build_document  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
WCL = DATA / "newswcl50-dev"
POLNEAR = DATA / "polnear-dev"
PUBLISHERS = {"LL": "huffpost", "L": "nytimes", "M": "usatoday", "R": "foxnews", "RR": "breitbart"}
GENERAL = [DEFAULT_LEXICON_DIR / n for n in ("attribution_verbs.csv", "boilerplate.csv", "affiliation_cues.csv")]
_TITLE = re.compile(r"^(?:(?:the|mr|mrs|ms|dr|president|former|director|sen|secretary|prime minister|"
                    r"chairman|leader|then-president)\.?\s+)+", re.I)
_NAME = re.compile(r"(?:[A-Z][\w.'’-]*)(?:\s+(?:[A-Z][\w.'’-]*|de|al|bin|von))*\Z")


def name_forms(mention: str) -> str | None:
    text = _TITLE.sub("", " ".join(str(mention).split()).strip(" ,.;:\"'")).strip()
    text = re.sub(r"['’]s$", "", text)
    return text if text and len(text.split()) <= 4 and _NAME.match(text) else None


def gold_actors() -> tuple[dict[str, set[str]], dict[tuple[str, str], set[str]]]:
    """Named actors (concept -> name keys) and gold article × actor pairs (-> the names used there)."""
    ann = pd.read_csv(WCL / "annotations.csv")
    ann = ann[ann.code_type.isin(["ACTOR", "COUNTRY", "GROUP"])]
    names: dict[str, set[str]] = defaultdict(set)
    pairs: dict[tuple[str, str], set[str]] = defaultdict(set)
    for r in ann.itertuples():
        article = f"{r.event_id}_{r.publisher_id}"
        form = name_forms(r.code_mention)
        pairs[article, r.code_name]
        if form:
            names[r.code_name].add(plain_key(form))
    named = {c: k for c, k in names.items() if k}
    return named, {p: named[p[1]] for p in pairs if p[1] in named}


def entity_keys(lexicon) -> dict[str, set[str]]:
    return {name: {plain_key(v) for v in e.variants} for name, e in lexicon.entities.items()}


def pairs_in_mentions(result, lexicon, pairs) -> float:
    keys = entity_keys(lexicon)
    m = result.mentions
    seen = defaultdict(set)
    for a, e in zip(m.article_id.astype(str), m.entity.astype(str), strict=True):
        seen[a] |= keys.get(e, set())
    return sum(bool(seen[a] & forms) for (a, _), forms in pairs.items()) / len(pairs)


def newswcl(tmp: Path) -> None:
    named, pairs = gold_actors()
    inputs = [WCL / "articles.jsonl"]
    t = time.perf_counter()
    found = discover(inputs, tmp / "wcl", extend=False, progress=False)
    took = time.perf_counter() - t
    drafted = {plain_key(v) for v in found.entities.variant}
    hit = {c for c, k in named.items() if k & drafted}
    print(f"NewsWCL50 dev: {len(named)} named actors; found as drafted actors: {len(hit)} = {len(hit) / len(named):.1%} "
          f"(discover, no topic lexicon, {found.facts['sample']['articles']} articles, {took:.1f} s)")
    print("  not found:", ", ".join(sorted(set(named) - hit)) or "-")
    shipped = framing.analyze(inputs, stats=False, crossdoc=False, extractors=["labels"], progress=False)
    with_draft = framing.analyze(inputs, lexicons=[str(p) for p in GENERAL] + [str(found.folder)], extend_lexicon=False,
                                 stats=False, crossdoc=False, extractors=["labels"], progress=False)
    lex_draft = load_lexicon([*GENERAL, found.folder], extend=False)
    print(f"  article x actor pairs in mentions ({len(pairs)} pairs of named actors): shipped lexicon "
          f"{pairs_in_mentions(shipped, load_lexicon(), pairs):.1%}; with --discover, no topic lexicon "
          f"{pairs_in_mentions(with_draft, lex_draft, pairs):.1%}")


def no_voice_share(lexicon, docs) -> tuple[float, int]:
    ex = QuotesExtractor(lexicon)
    quotes = [q for d in docs for q in ex.extract(d, {}).data if q.kind != "scare"]
    return sum(q.voice in NO_VOICE or not q.voice for q in quotes) / len(quotes), len(quotes)


def polnear(tmp: Path) -> None:
    inputs = [POLNEAR / "articles.jsonl"]
    docs = [build_document(a, load_lexicon().boilerplate) for a in read_articles(inputs)]
    before = load_lexicon([DEFAULT_LEXICON_DIR / n for n in ("entities.csv", "label_sets.csv", "label_targets.csv",
                                                            "attribution_verbs.csv", "boilerplate.csv")], extend=False)
    found = discover(inputs, tmp / "polnear", extend=False, progress=False)
    rows = [("shipped lexicon, no affiliation cues (before)", before), ("shipped lexicon with affiliation cues", load_lexicon()),
            ("--discover, no topic lexicon", load_lexicon([*GENERAL, found.folder], extend=False))]
    for label, lex in rows:
        share, n = no_voice_share(lex, docs)
        print(f"PolNeAR dev: quotes without a voice, {label}: {share:.1%} of {n}")


def scale(tmp: Path) -> None:
    from benchmarks.scale import write_corpus

    small, big = tmp / "gen2000.jsonl", tmp / "gen10000.jsonl"
    write_corpus(2000, small)
    words = write_corpus(10000, big)
    t = time.perf_counter()
    discover([small], tmp / "d2000", extend=False, progress=False)
    d_time = time.perf_counter() - t
    print(f"discover on 2,000 generated articles (~900 words): {d_time:.0f} s")
    kw = {"stats": False, "crossdoc": False, "progress": False, "jobs": 2}
    t = time.perf_counter()
    framing.analyze([big], **kw).close()
    a_time = time.perf_counter() - t
    t = time.perf_counter()
    framing.analyze([big], discover=True, discover_sample=2000, discover_dir=tmp / "d10000", **kw).close()
    ad_time = time.perf_counter() - t
    print(f"10,000 generated articles ({words:,} words), --jobs 2, extract step only: analyze {a_time:.0f} s; "
          f"analyze --discover --sample 2000 {ad_time:.0f} s = {ad_time / (a_time + d_time):.2f}x (analyze + discovery)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", action="store_true", help="also time discover and analyze --discover on generated corpora")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if WCL.is_dir():
            newswcl(Path(tmp))
        if POLNEAR.is_dir():
            polnear(Path(tmp))
        if args.scale:
            scale(Path(tmp))


if __name__ == "__main__":
    main()
