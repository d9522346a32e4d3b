"""Variant discovery: capitalised names in a corpus that look like unlisted spellings.

A researcher extending the lexicon wants to know which spellings the corpus uses that the lexicon
does not list ("al-Hayeh" when only "al-Hayya" is listed, "Türkiye" beside "Turkey", "Hizbollah"
beside "Hezbollah"). :func:`suggest_variants` lists them for review; it never edits a lexicon.

Method:
    1. Candidates are runs of capitalised words (with name particles such as "al", "bin", "abu"
       and hyphenated forms such as "al-Hayeh") inside kept sentences, after the phrases the
       lexicon already knows are taken out. Titles and function words at the edges of a run are
       dropped ("President", "The"); title-case headlines are skipped; a single word seen only at
       the start of sentences is skipped (it may be an ordinary capitalised word).
    2. Each candidate is compared with every name variant and adjective of the lexicon on two
       keys: a *plain* key (accents removed, lower case, Arabic article "al-"/"el-" and
       apostrophes dropped) and a *skeleton* (the plain key without vowels, doubled letters and
       spaces, q as k), by the normalised Indel similarity of rapidfuzz (``fuzz.ratio``, 0-100).
       The score is the plain similarity, or the skeleton similarity when the plain one is
       already >= 60 (skeleton of 3+ letters) or >= 80 (shorter skeleton) and the plain keys'
       lengths differ by at most a quarter ("Arab" is not "Arabiya"). Candidates scoring at
       least ``min_score`` against a variant are suggested as spellings of its entity. Plurals of
       known forms ("Syrians") are not suggested.
    3. Candidates that match no entity are compared with each other; pairs scoring at least
       ``min_score`` whose outlets differ are suggested as one unlisted entity spelled two ways.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from framing.lexicon.load import Lexicon
from framing.record import Article
from framing.text.segment import WORD_RE, Document, build_document

__all__ = ["suggest_variants", "plain_key", "skeleton", "similarity", "similarities", "SUGGESTION_COLUMNS"]

SUGGESTION_COLUMNS = (
    "candidate", "entity", "matched", "score", "kind", "count", "outlets", "n_outlets", "example_id", "example",
)
#: Lower-case particles allowed inside a name ("Khalil al Hayya", "Mohammed bin Salman") ...
PARTICLES = frozenset("al el ibn bin bint abu abd ul ud de di da van von der".split())
#: ... and those that may also open one ("al Hayya", "bin Laden").
LEADING_PARTICLES = frozenset("al el ibn bin abu abd".split())
#: Capitalised words that are not names (titles, function words, months, days).
NOT_NAMES = frozenset(
    """a an the this that these those he she it its they we i you his her their our my in on at of for
    from to by with but and or as if when while after before since during despite although though
    not no yes so then there here what who which where why how all some many most several one two
    mr mrs ms dr sir gen lt col maj sgt rep sen gov prof st sheikh sayyed imam ayatollah king queen
    prince crown president prime minister foreign defence defense interior secretary general
    spokesman spokeswoman spokesperson chief director head leader deputy senior former ambassador
    envoy official officials commander colonel captain lieutenant sergeant army navy
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday read more update photo video""".split()
)
_ARTICLE = re.compile(r"\b(?:al|el|ad|an|ar|as|ash|at|az|ul|ud)[- ](?=\w)")
_VOWELS = re.compile(r"(?<!^)[aeiouy]")
_POSSESSIVE = re.compile(r"'s?$")


def plain_key(name: str) -> str:
    """Accent-free, lower-case key without Arabic articles and apostrophes ("al-Hayeh" -> "hayeh")."""
    s = unicodedata.normalize("NFKD", name.replace("ı", "i").replace("ø", "o").replace("ß", "ss"))
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).lower()
    s = re.sub(r"['\u2018\u2019\u02bc`]", "", s)
    s = _ARTICLE.sub("", s)
    return " ".join(re.sub(r"[^a-z0-9]+", " ", s).split())


def skeleton(name: str) -> str:
    """Consonant skeleton of :func:`plain_key`: vowels (but a first one), spaces and doubled
    letters dropped, q read as k ("Hizballah" and "Hezbollah" -> "hzblh")."""
    s = plain_key(name).replace(" ", "").replace("q", "k")
    s = _VOWELS.sub("", s)
    return re.sub(r"(.)\1+", r"\1", s)


def similarity(a: str, b: str) -> float:
    """Spelling similarity of two names, 0-100 (see the module docstring)."""
    return float(_scores([a], [b])[0, 0])


def similarities(a: list[str], b: list[str]) -> np.ndarray:
    """:func:`similarity` of every name of ``a`` with every name of ``b``, as an ``(len(a), len(b))`` array."""
    return _scores(a, b)


def _scores(a: list[str], b: list[str]) -> np.ndarray:
    """:func:`similarity` for every pair, vectorised with rapidfuzz's ``cdist``."""
    pa, pb = [plain_key(x) for x in a], [plain_key(x) for x in b]
    sa, sb = [skeleton(x) for x in a], [skeleton(x) for x in b]
    plain = process.cdist(pa, pb, scorer=fuzz.ratio, dtype=np.float64)
    skel = process.cdist(sa, sb, scorer=fuzz.ratio, dtype=np.float64)
    la, lb = np.array([len(x) for x in sa]), np.array([len(x) for x in sb])
    shortest = np.minimum.outer(la, lb)
    pa_len, pb_len = np.array([len(x) for x in pa]), np.array([len(x) for x in pb])
    close_length = np.minimum.outer(pa_len, pb_len) >= 0.75 * np.maximum.outer(pa_len, pb_len)
    floor = np.where(shortest >= 3, 60, 80)
    use = (plain >= floor) & (shortest >= 2) & close_length
    return np.where(use, np.maximum(plain, skel), plain)


@dataclass
class _Candidate:
    count: int = 0
    outlets: set[str] = field(default_factory=set)
    inner: bool = False  # seen somewhere other than a sentence start
    example_id: str = ""
    example: str = ""


def _name_like(word: str) -> bool:
    return word[0].isupper() or any(part[:1].isupper() for part in word.split("-")[1:])


def _runs(doc: Document, lexicon: Lexicon) -> Iterable[tuple[str, bool, tuple[int, int]]]:
    """(candidate, at sentence start, sentence span) for each capitalised run in kept sentences."""
    norm = doc.norm
    for a, b in doc.sentences:
        words = [m for m in WORD_RE.finditer(norm, a, b)]
        if len(words) >= 4 and sum(_name_like(m.group()) for m in words) >= 0.7 * len(words):
            continue  # a title-case headline
        known = lexicon.scan(norm, a, b)
        taken = [(m.start, m.end) for m in known]
        run: list[re.Match] = []
        for m in words + [None]:
            ok = m is not None and not any(s <= m.start() < e for s, e in taken)
            ok = ok and (_name_like(m.group()) or m.group() in PARTICLES)
            if ok and run and norm[run[-1].end():m.start()] != " ":
                yield from _emit(run, a, norm, (a, b))
                run = []
            if ok:
                run.append(m)
            else:
                yield from _emit(run, a, norm, (a, b))
                run = []


def _emit(run: list[re.Match], sentence_start: int, norm: str, span: tuple[int, int]):
    while run and (run[0].group().lower() in NOT_NAMES or run[0].group() in PARTICLES
                   and (run[0].group() not in LEADING_PARTICLES or len(run) == 1)):
        run = run[1:]
    while run and (run[-1].group().lower() in NOT_NAMES or run[-1].group() in PARTICLES):
        run = run[:-1]
    if run and len(run[0].group()) > 1:
        text = _POSSESSIVE.sub("", norm[run[0].start():run[-1].end()])
        yield text, run[0].start() == sentence_start, span


def _documents(items: Iterable[Article | Document], lexicon: Lexicon) -> Iterable[Document]:
    for item in items:
        if isinstance(item, Document):
            yield item
        elif isinstance(item, Article):
            if item.ok:
                yield build_document(item, lexicon.boilerplate)
        else:
            raise TypeError(f"suggest_variants takes Articles or Documents, not {type(item).__name__}")


def suggest_variants(items: Iterable[Article | Document], lexicon: Lexicon, *, min_count: int = 2,
                     min_score: float = 85.0) -> pd.DataFrame:
    """Capitalised names in a corpus that look like unlisted spellings of known entities or of
    each other across outlets.

    Args:
        items: Articles (cleaned and segmented here; error records skipped) or Documents.
        lexicon: The lexicon whose variants are known.
        min_count: Least number of occurrences of a candidate in the corpus.
        min_score: Least similarity (0-100) to report a pair.

    Returns:
        One row per suggestion with columns :data:`SUGGESTION_COLUMNS`: ``kind`` is
        ``"known entity"`` (``matched`` is the closest listed variant of ``entity``) or
        ``"other outlet"`` (``matched`` is another candidate; ``entity`` is ""). ``outlets`` is
        ";"-joined; ``example`` is the first sentence holding the candidate. Sorted by kind,
        entity, descending score, candidate.
    """
    if min_count < 1:
        raise ValueError("min_count must be at least 1")
    found: dict[str, _Candidate] = {}
    for doc in _documents(items, lexicon):
        for text, initial, (a, b) in _runs(doc, lexicon):
            c = found.setdefault(text, _Candidate())
            c.count += 1
            c.outlets.add(doc.article.outlet)
            c.inner = c.inner or not initial or " " in text
            if not c.example:
                c.example_id, c.example = doc.article.id, doc.text[a:b]
    cands = sorted(t for t, c in found.items() if c.count >= min_count and c.inner)
    rows = []
    known = [(v, e.name) for e in lexicon.entities.values() for v in e.variants + e.adjectives]
    plains = {plain_key(v) for v, _ in known}
    cands = [t for t in cands if not (plain_key(t).endswith("s") and plain_key(t)[:-1] in plains)]
    matched_known: set[str] = set()
    if cands and known:
        scores = _scores(cands, [v for v, _ in known])
        for i, t in enumerate(cands):
            j = int(np.argmax(scores[i]))
            if scores[i, j] >= min_score:
                matched_known.add(t)
                rows.append(_row(t, known[j][1], known[j][0], float(scores[i, j]), "known entity", found[t]))
    rest = [t for t in cands if t not in matched_known]
    if len(rest) > 1:
        scores = _scores(rest, rest)
        for i, j in zip(*np.nonzero(np.triu(scores >= min_score, k=1)), strict=True):
            a, b = rest[i], rest[j]
            if found[a].outlets != found[b].outlets or len(found[a].outlets) > 1:
                rows.append(_row(a, "", b, float(scores[i, j]), "other outlet", found[a]))
    table = pd.DataFrame(rows, columns=list(SUGGESTION_COLUMNS))
    if len(table):
        table = table.sort_values(["kind", "entity", "score", "candidate"], ascending=[True, True, False, True],
                                  kind="mergesort").reset_index(drop=True)
    return table


def _row(text: str, entity: str, matched: str, score: float, kind: str, c: _Candidate) -> dict:
    return {"candidate": text, "entity": entity, "matched": matched, "score": score, "kind": kind,
            "count": c.count, "outlets": ";".join(sorted(c.outlets)), "n_outlets": len(c.outlets),
            "example_id": c.example_id, "example": c.example}
