"""Recall of the labels extractor against NewsWCL50's manual mention annotations (dev events 0-4).

NewsWCL50 (Hamborg, Zhukova & Gipp, JCDL 2019) codes every mention of a concept, named or not
("Kim Jong Un", "Mr. Kim", "North Korean dictator", "the two leaders"). A small test lexicon for
nine of its concepts (``tests/data/newswcl_lexicon``) is run over the 25 articles, and each
annotated mention is looked up in the text and counted as found when a mention of the same entity
overlaps it. Annotations give paragraph, sentence and token numbers of the annotators' tokeniser;
the texts were re-collected and differ slightly, so each annotated phrase is located by searching
its words in the annotated paragraph (then up to two paragraphs either side), occurrences taken
in order. Annotations that cannot be located are reported and left out.

Figures printed:
    * recall per concept and overall, over all annotated mentions;
    * recall over *named* annotations (the annotated words contain a listed variant of the
      concept: what a lexicon can find) and over the rest (descriptions, pronoun-like phrases);
    * label attachment: among named annotations that contain a descriptor of the test label set
      ("President Trump", "North Korean dictator Kim Jong Un"), the share whose found mention
      carries that descriptor.

Usage: ``python benchmarks/eval_labels_newswcl.py`` (prints; asserts nothing).
"""

from __future__ import annotations

import csv
import re
import sys
from collections import defaultdict
from pathlib import Path

from framing.extract.labels import LabelsExtractor
from framing.lexicon.load import load_lexicon
from framing.read.corpus import read_articles
from framing.text.segment import build_document
from framing.text.textnorm import normalize

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data" / "newswcl50-dev"
LEXICON = REPO / "tests" / "data" / "newswcl_lexicon"

#: NewsWCL50 concept code -> entity of the test lexicon.
CONCEPTS = {
    "PRK\\Kim": "Kim Jong-un", "PRK\\Jong Un": "Kim Jong-un", "USA\\Trump": "Donald Trump",
    "USA\\Republicans\\Trump": "Donald Trump", "USA\\Comey": "James Comey", "FRA\\Macron": "Emmanuel Macron",
    "JPN\\Abe": "Shinzo Abe", "KOR\\Moon": "Moon Jae-in", "USA\\Mike Pompeo": "Mike Pompeo",
    "PRK": "North Korea", "IRN": "Iran",
}


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Spans of the blank-line-separated paragraphs (the annotation's paragraph numbering)."""
    spans, pos = [], 0
    for m in re.finditer(r"\n\s*\n", text):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(text)))
    return spans


def phrase_pattern(phrase: str) -> re.Pattern[str]:
    phrase = normalize(phrase.replace("``", '"').replace("''", '"'))
    words = [re.escape(w) for w in phrase.split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.IGNORECASE)


def locate(annotations: list[dict], text: str) -> dict[str, tuple[int, int] | None]:
    """Annotation id -> character span in ``text`` (None when it cannot be found)."""
    norm = normalize(text)
    paras = paragraphs(norm)
    used: set[tuple[int, int]] = set()
    out: dict[str, tuple[int, int] | None] = {}
    for a in sorted(annotations, key=lambda a: (int(a["paragraph"]), int(a["sentence"]), int(a["start"]))):
        p = int(a["paragraph"])
        out[a["id"]] = None
        pattern = phrase_pattern(a["code_mention"])
        for q in (p, p - 1, p + 1, p - 2, p + 2):
            if not 0 <= q < len(paras):
                continue
            hit = next((m.span() for m in pattern.finditer(norm, *paras[q]) if m.span() not in used), None)
            if hit:
                used.add(hit)
                out[a["id"]] = hit
                break
    return out


def main() -> int:
    if not DATA.is_dir():
        print(f"development data not found at {DATA}; nothing to measure")
        return 0
    lexicon = load_lexicon([LEXICON], extend=False)
    extractor = LabelsExtractor(lexicon=lexicon)
    label_forms = {f.text.lower(): f.label for f in lexicon.forms if f.kind == "label"}
    by_article: dict[str, list[dict]] = defaultdict(list)
    with open(DATA / "annotations.csv", newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["code_name"] in CONCEPTS:
                by_article[row["id"].rsplit("_", 1)[0]].append(row)
    stats: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for article in read_articles([DATA / "articles.jsonl"]):
        mentions = extractor.extract(build_document(article, lexicon.boilerplate), {}).data
        spans = locate(by_article.get(article.id, []), article.text)
        for a in by_article.get(article.id, []):
            entity = CONCEPTS[a["code_name"]]
            s = stats[entity]
            s["annotated"] += 1
            span = spans[a["id"]]
            if span is None:
                s["unlocated"] += 1
                continue
            named = any(m.entity == entity for m in lexicon.find_entities(normalize(a["code_mention"])))
            kind = "named" if named else "other"
            s[kind] += 1
            hits = [m for m in mentions if m.entity == entity and m.start < span[1] and span[0] < m.end]
            if hits:
                s["found"] += 1
                s[f"found_{kind}"] += 1
            words = normalize(a["code_mention"]).lower()
            wanted = {lab for form, lab in label_forms.items() if re.search(rf"(?<!\w){re.escape(form)}(?!\w)", words)}
            if named and wanted:
                s["with_label"] += 1
                s["label_ok"] += any(m.label in wanted or any(u.label in wanted for u in m.extra) for m in hits)
    total: dict[str, int] = defaultdict(int)
    print(f"{'entity':18} {'annot':>6} {'unloc':>6} {'recall':>7} {'named':>6} {'recall':>7} {'other':>6} {'recall':>7}")
    for entity in sorted(stats):
        s = stats[entity]
        for k, v in s.items():
            total[k] += v
        _line(entity, s)
    _line("ALL", total)
    print(f"label attachment on named annotations holding a descriptor: {total['label_ok']}/{total['with_label']}"
          f" = {_ratio(total['label_ok'], total['with_label'])}")
    return 0


def _ratio(a: int, b: int) -> str:
    return f"{a / b:.3f}" if b else "n/a"


def _line(name: str, s: dict[str, int]) -> None:
    located = s["annotated"] - s["unlocated"]
    print(f"{name:18} {s['annotated']:6d} {s['unlocated']:6d} {_ratio(s['found'], located):>7} "
          f"{s['named']:6d} {_ratio(s['found_named'], s['named']):>7} {s['other']:6d} {_ratio(s['found_other'], s['other']):>7}")


if __name__ == "__main__":
    sys.exit(main())
