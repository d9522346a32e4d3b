"""Descriptors attached to each actor, per outlet, whether or not a label set lists them.

A descriptor is a word an outlet puts next to an actor's name (:func:`find_descriptors`):

* ``premodifier`` — lower-case words between a determiner (or the sentence start) and the name:
  "the *militant* Hamas group", "the *Iran-backed* Hezbollah"; a hyphenated compound or a label
  form counts even without a determiner;
* ``title`` — a capitalised word just before a name, inside the sentence: "Syrian *President*
  Bashar Assad";
* ``head`` — the noun an actor's adjective or a determined name modifies: "the Syrian *regime*",
  "the Hamas *movement*";
* ``appositive`` — the words of "X, a senior figure in ...," up to the first preposition:
  "*senior figure*".

The ``descriptors`` table counts them per outlet × actor, with the share of the actor's mentions
that carry each one (``none``: no descriptor), and scores each descriptor of an outlet against
the other outlets' use of it for the same actor with the weighted log-odds and informative
Dirichlet prior of :func:`framing.crossdoc.distinctive.log_odds_z` (Monroe, Colaresi & Quinn
2008), the prior being the pooled counts of that actor's descriptors. So "militant" for Hamas in
AP copy shows as a distinctive labelling choice although no label set lists it.

Rules over tokens of one sentence: linear in the text; memory holds one count per (outlet,
actor, descriptor).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from framing.crossdoc.distinctive import log_odds_z
from framing.tables import columns

__all__ = ["DESCRIPTOR_COLUMNS", "Descriptor", "DescriptorCounts", "find_descriptors"]

DESCRIPTOR_COLUMNS = columns("descriptors")

_TOK = re.compile(r"[^\W_](?:[\w'’.-]*[^\W_])?|[^\w\s]")
#: Words that end a walk back from a name and make the words walked over premodifiers.
_DETERMINERS = frozenset("the a an this that these those its his her their our your whose".split())
#: Words that are never descriptors (function words, auxiliaries, speech verbs, quantities).
_STOP = frozenset(
    "and or but nor of in on at by for with from to into over under about against between among after before "
    "during since until than as via per without within across through toward towards upon amid despite "
    "is are was were be been being has have had do does did will would shall should can could may might must "
    "said says say told tells tell added asked called claimed warned noted stated reported according also not "
    "no more most less least very only just even still already again all both each every some any many much "
    "few several other such own same new who which what when where why how while if so then there here it "
    "they he she we i you him them us me one two three four five six seven eight nine ten".split())
#: Nouns a name modifies that describe the actor itself ("the Hamas movement").
_GROUP_HEADS = frozenset(
    "group groups movement organisation organization militia militias faction factions regime government "
    "administration authorities authority forces militants fighters rebels leadership party state "
    "officials leaders terrorists insurgents army".split())
#: Capitalised words that may open a sentence and still be a title ("President Assad said").
_TITLES = frozenset(
    "president prime minister king queen prince emir sheikh general gen. sen. rep. gov. senator governor "
    "leader chief secretary chancellor ayatollah commander mayor".split())
_APPOS_END = frozenset("in of for at with from who that which whose to on by , . ; :".split())
_MAX_PREMOD = 3
_MAX_APPOS = 5


@dataclass(frozen=True)
class Descriptor:
    """One descriptor of one mention: the actor, the descriptor (lower case), its kind and its
    offsets in the original text."""

    entity: str
    descriptor: str
    kind: str
    start: int
    end: int


def _tokens(norm: str, start: int, end: int) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in _TOK.finditer(norm, start, end)]


def _wordlike(tok: str) -> bool:
    return tok[:1].isalpha() and not tok.lower().endswith("ly")


def find_descriptors(doc, lexicon) -> tuple[list[tuple[str, int, bool]], list[Descriptor]]:
    """Actor mentions and their descriptors in one document.

    Parameters
    ----------
    doc : framing.text.segment.Document
        The article, cleaned and segmented.
    lexicon : framing.lexicon.load.Lexicon
        Entities (names and adjectives) and label forms.

    Returns
    -------
    (mentions, descriptors)
        ``mentions`` as (actor, start, has a descriptor) for every name mention and every
        adjective mention that modifies a noun; ``descriptors`` in text order.
    """
    norm, mentions, found = doc.norm, [], []
    labels = {f.text.lower() for f in lexicon.forms if f.kind == "label"}
    for s, e in doc.sentences:
        toks = _tokens(norm, s, e)
        if not toks:
            continue
        starts = [t[0] for t in toks]
        matches = [m for m in lexicon.scan(norm, s, e) if m.form.kind in ("name", "adjective")]
        covered = {i: m.form.kind for m in matches for i in range(bisect.bisect_left(starts, m.start),
                                                                   bisect.bisect_left(starts, m.end))}
        for m in matches:
            i0, i1 = bisect.bisect_left(starts, m.start), bisect.bisect_left(starts, m.end)
            mine = _around(toks, i0, i1, covered, labels, adjective=m.form.kind == "adjective")
            if m.form.kind == "adjective" and not any(d[2] == "head" for d in mine):
                continue
            mentions.append((m.form.entity, m.start, bool(mine)))
            found += [Descriptor(m.form.entity, text.lower(), kind, ds, de) for ds, de, kind, text in mine]
    return mentions, found


def _around(toks, i0: int, i1: int, covered: dict[int, str], labels: set[str], *, adjective: bool
            ) -> list[tuple[int, int, str, str]]:
    """Descriptors of the name in tokens ``[i0, i1)``: (start, end, kind, text)."""
    out: list[tuple[int, int, str, str]] = []
    walked, j, determined = [], i0 - 1, False
    while j >= 0 and len(walked) < _MAX_PREMOD:
        s, e, t = toks[j]
        low = t.lower()
        if low in _DETERMINERS or low.endswith(("'s", "’s")):
            determined = True
            break
        if j in covered and "-" not in t:
            determined = covered[j] == "adjective"                 # "the Palestinian militant Hamas group"
            break
        if not _wordlike(t) or low in _STOP:
            break
        walked.append(j)
        j -= 1
    at_start = j < 0
    for k in reversed(walked):
        s, e, t = toks[k]
        low = t.lower()
        if t[:1].isupper():
            if low in _TITLES and not adjective:
                out.append((s, e, "title", t))
            elif k > 0 and not adjective and (determined or "-" in t):
                out.append((s, e, "premodifier", t))             # "the Palestinian militant group"
            continue
        if determined or at_start or "-" in t or low in labels:
            out.append((s, e, "premodifier", t))
    if i1 < len(toks):
        s, e, t = toks[i1]
        low = t.lower()
        if _wordlike(t) and t[:1].islower() and low not in _STOP and i1 not in covered and (
                adjective or low in labels or (determined and low in _GROUP_HEADS)):
            out.append((s, e, "head", t))
        elif t == "," and not adjective and i1 + 2 < len(toks) and toks[i1 + 1][2].lower() in ("a", "an", "the"):
            words = []
            for k in range(i1 + 2, min(len(toks), i1 + 2 + _MAX_APPOS)):
                if toks[k][2].lower() in _APPOS_END or not _wordlike(toks[k][2]) or k in covered:
                    break
                words.append(toks[k])
            if words:
                out.append((words[0][0], words[-1][1], "appositive", " ".join(w[2] for w in words)))
    return out


@dataclass
class _Count:
    n: int = 0
    n_articles: int = 0
    last: str = ""
    first_article: str = ""
    first_start: int = -1


@dataclass
class DescriptorCounts:
    """Descriptor and mention counts per (outlet, actor), accumulated article by article."""

    counts: dict[tuple[str, str, str, str], _Count] = field(default_factory=dict)
    mentions: dict[tuple[str, str], _Count] = field(default_factory=dict)

    @staticmethod
    def _bump(table: dict, key, article: str, start: int) -> None:
        c = table.get(key)
        if c is None:
            c = table[key] = _Count(first_article=article, first_start=start)
        c.n += 1
        if c.last != article:
            c.n_articles, c.last = c.n_articles + 1, article

    def update(self, outlet: str, article: str, mentions: Iterable[tuple[str, int, bool]],
               descriptors: Iterable[Descriptor]) -> None:
        """Add one article's mentions and descriptors (from :func:`find_descriptors`); a mention
        without a descriptor counts as descriptor ``none``."""
        for entity, start, described in mentions:
            self._bump(self.mentions, (outlet, entity), article, start)
            if not described:
                self._bump(self.counts, (outlet, entity, "none", "none"), article, start)
        for d in descriptors:
            self._bump(self.counts, (outlet, d.entity, d.descriptor, d.kind), article, d.start)

    def table(self, *, prior: float = 0.1) -> pd.DataFrame:
        """The ``descriptors`` table: per outlet × actor, one row per descriptor and one ``none``
        row (mentions without a descriptor); sorted by actor, outlet, z descending, descriptor.

        Parameters
        ----------
        prior : float
            Scale of the informative Dirichlet prior (pooled counts of the actor's descriptors).
        """
        by_entity: dict[str, dict[tuple[str, str], dict[str, int]]] = {}
        for (outlet, entity, desc, kind), c in self.counts.items():
            by_entity.setdefault(entity, {}).setdefault((desc, kind), {})[outlet] = c.n
        for outlet, entity in self.mentions:
            by_entity.setdefault(entity, {}).setdefault(("none", "none"), {}).setdefault(outlet, 0)
        outlets_of: dict[str, list[str]] = {}
        for outlet, entity in sorted(self.mentions):
            outlets_of.setdefault(entity, []).append(outlet)
        rows = []
        for entity in sorted(by_entity):
            outlets = outlets_of[entity]
            vocab = sorted(by_entity[entity])
            y = np.array([[by_entity[entity][v].get(o, 0) for v in vocab] for o in outlets], dtype=float)
            z = log_odds = np.full_like(y, np.nan)
            note = ("one outlet: no comparison" if len(outlets) < 2
                    else "no descriptor: nothing to compare" if len(vocab) < 2 else "")
            if not note:
                total = y.sum(axis=0)
                with np.errstate(divide="ignore", invalid="ignore"):
                    log_odds, z = log_odds_z(y, prior * total, prior * total.sum(), y.sum(axis=1))
                unused = total < 1  # as with min_count=1: a descriptor nobody used has no score
                z[:, unused], log_odds[:, unused] = np.nan, np.nan
            for i, o in enumerate(outlets):
                ment = self.mentions[o, entity]
                for j, (desc, kind) in enumerate(vocab):
                    n = int(y[i, j])
                    if n == 0 and desc != "none":
                        continue
                    c = self.counts.get((o, entity, desc, kind))
                    rows.append({"outlet": o, "entity": entity, "descriptor": desc, "kind": kind, "n": n,
                                 "n_mentions": ment.n, "share": n / ment.n if ment.n else 0.0,
                                 "log_odds": log_odds[i, j], "z": z[i, j],
                                 "n_articles": c.n_articles if c else 0,
                                 "first_article": c.first_article if c else "", "first_start": c.first_start if c else -1,
                                 "note": note})
        out = pd.DataFrame(rows, columns=list(DESCRIPTOR_COLUMNS))
        if len(out):
            out = out.sort_values(["entity", "outlet", "z", "n", "descriptor", "kind"],
                                  ascending=[True, True, False, False, True, True], kind="mergesort", na_position="last")
        return out.reset_index(drop=True)
