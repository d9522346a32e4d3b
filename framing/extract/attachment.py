"""Entity mentions, their spelling variants, and the descriptor ("label") each one carries.

For every lexicon entity mentioned in a kept sentence, decide which descriptor of its label set,
if any, the text attaches to it. Rules are tried in this order and the first that reaches a
*target* of the label's set wins (every offset is in the original text):

``pre``         descriptor before the name in the same noun phrase, with only modifiers between
                ("the Palestinian militant Hamas group", "Syrian regime leader Bashar al Assad",
                "Syrian President Bashar Assad"); modifiers are capitalised or hyphenated words,
                group nouns ("group", "movement") and a short list of adjectives ("armed");
``head``        descriptor right after the name ("Hamas militants", "Assad regime"), or after a
                possessive with up to two lower-case words between ("Assad's government");
``adjective``   an entity adjective of the lexicon before the descriptor ("the Syrian regime",
                "Israeli government"): the adjective becomes a mention of its entity;
``apposition``  name, comma (or dash, parenthesis), a/an/the, up to three words, descriptor
                ("Hamas, the Palestinian militant group that ...");
``of``          descriptor, of/from, optional "the", name ("the government of Bashar al-Assad").

A descriptor whose nearest host in one of these patterns is not a target of its set (Hamas for
"leader" in "Hamas leader Khalil al-Hayya") attaches to nothing. A descriptor with no host that
heads a definite noun phrase ("the militants", "the Palestinian militants", "the regime") is
counted as **anaphora** (``anaphora=True``, never a labelled mention of a name). Given the
paragraphs, :func:`resolve_anaphora` names its referent only when the text leaves one candidate:
a target of the descriptor's set named earlier in the same paragraph, which the article has
already called by that descriptor ("militant Hamas group", "Lebanon's militant Hezbollah
group"), and, when the anaphor has modifiers ("the *Palestinian* militants"), which was seen
with those modifiers in its noun phrase ("the Palestinian militant Hamas group"). Otherwise the
row keeps entity "" and its ``note`` says why (no candidate, or which candidates remain). Other bare uses
("three militants were killed") and phrases with a capitalised word that does not look like a
nationality or creed adjective ("the Obama administration") are not counted. When a mention carries several descriptors
("Iran-backed Houthi rebels") the head noun (``head``/``adjective``), then apposition, then
``of``, then the nearest ``pre`` descriptor is the mention's ``label``; the rest are listed in
``extra_labels`` (``label@start:end``) and counted in the label features too.

Hyphenated compounds are not descriptors of their target: "pro-government", "anti-regime",
"regime-held" give a row with ``compound=True``, entity "" and the whole word as label
(unless the lexicon lists the compound itself as a form, like "Iran-backed"); "Hamas-led" is a
mention of Hamas with ``compound=True`` and label_set "" so it counts as a spelling of Hamas but
neither as a labelled nor an unlabelled mention. A possessive ("Syria's", "Hamas'") is a mention;
the apostrophe is not part of the surface.

The labels extractor (:mod:`framing.extract.labels`) turns these mentions into the ``mentions``
table and the label-choice features.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import accumulate
from typing import Any

from framing.lexicon.load import FormMatch, Lexicon
from framing.lexicon.matcher import is_compound, match_key
from framing.tables import row_columns
from framing.text.segment import WORD_RE
from framing.text.spans import Span
from framing.text.textnorm import normalize

__all__ = ["Mention", "LabelUse", "MENTION_COLUMNS", "find_mentions", "resolve_anaphora"]

MENTION_COLUMNS = row_columns("mentions")
#: Nouns that may stand between a descriptor and a name in one noun phrase.
GROUP_NOUNS = frozenset(
    "group groups movement movements organization organisation organizations organisations faction "
    "factions party outfit network wing".split()
)
#: Lower-case adjectives that may stand inside such a noun phrase.
MODIFIERS = frozenset(
    "armed radical hardline hard-line powerful main largest rival allied banned outlawed political military "
    "islamic shiite shia sunni local small new former interim current brutal repressive authoritarian ruling "
    "so-called self-styled notorious shadowy secretive clerical theocratic elected embattled".split()
)
_DETERMINERS = frozenset("the this that these those".split())
#: A capitalised word that may stand between "the" and an anaphoric descriptor: a nationality or
#: creed adjective ("the Palestinian militants"); any other capitalised word is taken as a name the
#: lexicon does not know ("the Obama administration"), and the descriptor is then not anaphora.
_ADJECTIVE_LIKE = re.compile(r"(?:[A-Z][a-z]+(?:ian|ean|ese|ish|ic|i|an|ite|ist)|Arab|Shia|North|South|East|West"
                             r"|Northern|Southern|Eastern|Western|Gulf)\Z")
_RANK = {"head": 0, "adjective": 0, "apposition": 1, "of": 2, "pre": 3}
_APPOSITION = re.compile(r"\s*(?:,|-{1,2}|\()\s*(?:the|an?)\s+(?:[\w'-]+\s+){0,3}\Z", re.IGNORECASE)
_OF = re.compile(r"\s+(?:of|from)\s+(?:the\s+)?\Z", re.IGNORECASE)
_POSSESSIVE = re.compile(r"'s?(?!\w)")


@dataclass(frozen=True)
class LabelUse:
    """One descriptor attached to a mention: label name, surface, original offsets, rule."""

    label: str
    surface: str
    start: int
    end: int
    attachment: str


@dataclass(frozen=True)
class Mention:
    """An entity mention (or an anaphoric/compound descriptor use when ``entity`` is "").

    Attributes:
        entity: Canonical entity name ("" for anaphora and compound descriptors).
        surface: ``text[start:end]``.
        variant: The lexicon variant (or adjective) that matched ("" when entity is "").
        label_set: The entity's label set ("" when it has none or the mention is a compound).
        label: The attached descriptor ("" = none).
        label_surface: ``text[label_start:label_end]`` ("" = none).
        start, end: Mention offsets in the original text.
        label_start, label_end: Descriptor offsets (-1 when none).
        anaphora: A descriptor used without a name ("the militants").
        compound: Inside a hyphenated word ("Hamas-led", "pro-government").
        quoted: Inside the content of a direct quote.
        sentence: Index of the sentence in ``doc.sentences``.
        attachment: Rule that attached the label (pre, head, adjective, apposition, of,
            anaphora, compound; "" when none).
        extra: Further descriptors of the same mention.
        note: For anaphora, how the referent was resolved or why it was not ("" otherwise).
    """

    entity: str
    surface: str
    variant: str
    label_set: str
    label: str
    label_surface: str
    start: int
    end: int
    label_start: int = -1
    label_end: int = -1
    anaphora: bool = False
    compound: bool = False
    quoted: bool = False
    sentence: int = -1
    attachment: str = ""
    extra: tuple[LabelUse, ...] = ()
    note: str = ""

    def row(self) -> dict[str, Any]:
        """The ``mentions`` table row (without article_id/outlet)."""
        row = {c: getattr(self, c) for c in MENTION_COLUMNS if c != "extra_labels"}
        row["extra_labels"] = ";".join(f"{u.label}@{u.start}:{u.end}" for u in self.extra)
        return row


class _Sentence:
    """The lexicon matches of one sentence with the small text tests the rules need."""

    def __init__(self, text: str, norm: str, start: int, items: list[FormMatch]):
        self.text = text  # original: surfaces come from here
        self.norm = norm
        self.start = start
        self.items = items
        self.compound = [is_compound(norm, m.start, m.end) for m in items]

    def kind(self, i: int) -> str:
        return self.items[i].form.kind

    def is_host(self, i: int, kind: str = "name") -> bool:
        return 0 <= i < len(self.items) and self.kind(i) == kind and not self.compound[i]

    def possessive_end(self, i: int) -> int | None:
        m = _POSSESSIVE.match(self.norm, self.items[i].end)
        if m is None or (m.group() == "'" and self.norm[self.items[i].end - 1] not in "sS"):
            return None
        return m.end()

    def words(self, a: int, b: int) -> list[str] | None:
        """Words in ``norm[a:b]`` if only words and spaces lie there, else None."""
        out, pos = [], a
        for m in WORD_RE.finditer(self.norm, a, b):
            if self.norm[pos:m.start()].strip():
                return None
            out.append(m.group())
            pos = m.end()
        return out if not self.norm[pos:b].strip() else None

    def np_gap(self, i: int, j: int, *, limit: int) -> bool:
        """Only noun-phrase modifiers between items i < j (other items in between allowed)."""
        plain = 0
        pos = self.items[i].end
        for k in range(i + 1, j + 1):
            words = self.words(pos, self.items[k].start)
            if words is None:
                return False
            for w in words:
                if not (w[0].isupper() or "-" in w or w.lower() in GROUP_NOUNS or w.lower() in MODIFIERS):
                    return False
            plain += len(words)
            pos = self.items[k].end
        return plain <= limit

    def lower_gap(self, a: int, b: int, *, limit: int) -> bool:
        words = self.words(a, b)
        return words is not None and len(words) <= limit and all(w.islower() or "-" in w for w in words)


def _hosts(s: _Sentence, i: int):
    """Candidate hosts of label item ``i`` as (rule, host item index), in rule order."""
    n = len(s.items)
    nxt = next((j for j in range(i + 1, n) if s.kind(j) == "name" and not s.compound[j]), None)
    if nxt is not None and s.np_gap(i, nxt, limit=3):
        yield "pre", nxt
    p = i - 1
    if s.is_host(p):
        pend = s.possessive_end(p)
        if pend is not None and pend <= s.items[i].start and s.lower_gap(pend, s.items[i].start, limit=2):
            yield "head", p
        elif pend is None and not s.norm[s.items[p].end:s.items[i].start].strip():
            yield "head", p
    if s.is_host(p, "adjective") and s.lower_gap(s.items[p].end, s.items[i].start, limit=2):
        yield "adjective", p
    q = next((k for k in range(i - 1, -1, -1) if s.kind(k) != "label"), None)
    if q is not None and s.is_host(q) and s.possessive_end(q) is None and all(s.kind(k) == "label" for k in range(q + 1, i)):
        if _APPOSITION.match(s.norm[s.items[q].end:s.items[i].start]):
            yield "apposition", q
    if s.is_host(i + 1) and _OF.match(s.norm[s.items[i].end:s.items[i + 1].start]):
        yield "of", i + 1


def _definite(s: _Sentence, i: int) -> bool:
    """Does label item ``i`` head a definite noun phrase ("the (Palestinian) militants")?"""
    floor = s.items[i - 1].end if i > 0 else s.start
    words = [(m.group(), m.start()) for m in WORD_RE.finditer(s.norm, floor, s.items[i].start)]
    for count, (w, start) in enumerate(reversed(words)):
        if count > 3:
            return False
        if w.lower() in _DETERMINERS:
            return s.words(start, s.items[i].start) is not None
        if not ("-" in w or w.lower() in MODIFIERS or _ADJECTIVE_LIKE.match(w)):
            return False
    return False


def find_mentions(text: str, sentences: Sequence[Span], lexicon: Lexicon, *,
                  quoted: Sequence[Span] = (), norm: str | None = None,
                  paragraphs: Sequence[Span] | None = None) -> list[Mention]:
    """Entity mentions and descriptor uses in the given sentences of one text.

    Args:
        text: The original text (surfaces are taken from it).
        sentences: Sentence spans to analyse (text outside them is ignored).
        lexicon: The lexicon.
        quoted: Content spans of direct quotes.
        norm: ``normalize(text)`` if the caller has it.
        paragraphs: Paragraph spans; when given, anaphora are resolved within them
            (:func:`resolve_anaphora`), otherwise they keep entity "" and no note.

    Returns:
        Mentions sorted by (start, end); see the module docstring for the rules.
    """
    out: list[Mention] = []
    if not sentences:
        return out
    norm = normalize(text) if norm is None else norm
    found = lexicon.scan(norm, sentences[0][0], sentences[-1][1], folded=match_key(norm))
    starts = [a for a, _ in sentences]
    buckets: list[list[FormMatch]] = [[] for _ in sentences]
    for m in found:  # one pass over the text; matches across a sentence boundary are dropped
        k = bisect.bisect_right(starts, m.start) - 1
        if k >= 0 and m.end <= sentences[k][1]:
            buckets[k].append(m)
    for k, items in enumerate(buckets):
        if items:
            out.extend(_sentence_mentions(_Sentence(text, norm, sentences[k][0], items), k, lexicon))
    if quoted:
        spans = sorted(quoted)
        q_starts = [a for a, _ in spans]
        reach = list(accumulate((b for _, b in spans), max))  # furthest end among spans so far
        out = [replace(m, quoted=True) if _inside(m.start, q_starts, reach) else m for m in out]
    out.sort(key=lambda m: (m.start, m.end))
    if paragraphs is not None:
        out = resolve_anaphora(text, out, paragraphs, lexicon, norm=norm)
    return out


def _inside(pos: int, starts: list[int], reach: list[int]) -> bool:
    """Whether ``pos`` falls inside one of the sorted spans (``reach``: running max of ends)."""
    k = bisect.bisect_right(starts, pos) - 1
    return k >= 0 and pos < reach[k]


#: Words that end a noun phrase's premodifiers when read leftwards from a name.
_NP_WORD = re.compile(r"[\w'’-]+")


def _premodifiers(norm: str, start: int, label_words: frozenset[str]) -> set[str]:
    """Lower-cased words of the noun phrase before a name: capitalised words, descriptors,
    group nouns and listed modifiers, read leftwards until anything else ("from *the*
    Palestinian militant Hamas" gives {palestinian, militant})."""
    words: set[str] = set()
    window = norm[max(0, start - 80):start]
    if window and not window[-1].isspace():
        return words
    for w in reversed(_NP_WORD.findall(window)[-5:]):
        bare = _POSSESSIVE.sub("", w)
        low = bare.lower()
        if low in _DETERMINERS or not (bare[:1].isupper() or low in label_words or low in MODIFIERS):
            break
        words.add(low)
    return words


def resolve_anaphora(text: str, mentions: Sequence[Mention], paragraphs: Sequence[Span], lexicon: Lexicon,
                     *, norm: str | None = None) -> list[Mention]:
    """Name the referent of each anaphoric descriptor where the text leaves one candidate.

    A candidate is an entity that (1) is a target of the descriptor's label set, (2) is named
    earlier in the same paragraph, (3) was already given the same descriptor earlier in the
    article, and (4), when the anaphor has modifiers between its determiner and the descriptor
    ("the Palestinian militants"), was seen with each of them among its premodifiers earlier in
    the article. One candidate: the row gets that entity and a note naming the evidence; none or
    several: entity stays "" and the note says which. One pass over the mentions (sorted by
    start), so linear in the text.

    Args:
        text: The original text.
        mentions: Mentions sorted by start (as :func:`find_mentions` returns them).
        paragraphs: Paragraph spans of the text.
        lexicon: The lexicon (label-set targets and label forms).
        norm: ``normalize(text)`` if the caller has it.

    Returns:
        The mentions, anaphora rows replaced by resolved or annotated copies.
    """
    norm = normalize(text) if norm is None else norm
    label_words = lexicon.label_words
    p_starts = [a for a, _ in paragraphs]
    labelled: dict[tuple[str, str], int] = {}  # (entity, label) -> first offset
    modifiers: dict[str, dict[str, int]] = {}  # entity -> modifier word -> first offset
    para = -1
    named: dict[str, int] = {}  # entity -> first offset in the current paragraph
    out: list[Mention] = []
    for m in mentions:
        k = bisect.bisect_right(p_starts, m.start) - 1
        if k != para:
            para, named = k, {}
        if not m.anaphora:
            if m.entity and not m.compound:
                named.setdefault(m.entity, m.start)
                for label in ([m.label] if m.label else []) + [u.label for u in m.extra]:
                    labelled.setdefault((m.entity, label), m.label_start)
                for w in _premodifiers(norm, m.label_start if m.attachment == "pre" and m.label_start >= 0
                                       else m.start, label_words) | _premodifiers(norm, m.start, label_words):
                    modifiers.setdefault(m.entity, {}).setdefault(w, m.start)
            out.append(m)
            continue
        out.append(_resolve(m, norm, lexicon, named, labelled, modifiers, label_words))
    return out


def _resolve(m: Mention, norm: str, lexicon: Lexicon, named: dict[str, int], labelled: dict[tuple[str, str], int],
             modifiers: dict[str, dict[str, int]], label_words: frozenset[str]) -> Mention:
    first = m.extra[0].start if m.extra else m.start
    own = _premodifiers(norm, first, label_words) - {u.label_surface.lower() for u in m.extra}
    own -= {w for u in m.extra for w in u.surface.lower().split()}
    wanted = sorted(own)
    in_set = [e for e in named if lexicon.target_set.get(e) == m.label_set]
    if not in_set:
        return replace(m, note=f"unresolved: no {m.label_set} target named earlier in the paragraph")
    described = [e for e in in_set if (e, m.label) in labelled]
    if not described:
        return replace(m, note=f"unresolved: no earlier {m.label_set} target of the paragraph "
                               f"({', '.join(in_set)}) was called {m.label!r} before")
    fits = [e for e in described if all(w in modifiers.get(e, {}) for w in wanted)]
    if len(fits) == 1:
        (e,) = fits
        why = f"called {m.label!r} at {labelled[e, m.label]}"
        if wanted:
            why += "".join(f", {w!r} at {modifiers[e][w]}" for w in wanted)
        return replace(m, entity=e, note=f"resolved: the only {m.label_set} target named earlier in the "
                                         f"paragraph that fits ({e}: {why})")
    left = fits or described
    return replace(m, note=f"unresolved: {len(left)} candidates in the paragraph ({', '.join(left)})"
                   + (f" fit {' '.join(wanted)!r}" if wanted and fits else ""))


def _sentence_mentions(s: _Sentence, k: int, lexicon: Lexicon) -> list[Mention]:
    text, norm, items = s.text, s.norm, s.items
    uses: dict[int, list[tuple[int, int, LabelUse]]] = {}
    free: list[int] = []
    out: list[Mention] = []
    for i, m in enumerate(items):
        form = m.form
        if form.kind != "label":
            continue
        if s.compound[i]:
            a, b = _hyphenated_word(norm, m.start, m.end)
            word = text[a:b]
            out.append(Mention("", word, "", form.label_set, norm[a:b].lower(), word, a, b, a, b,
                               compound=True, sentence=k, attachment="compound"))
            continue
        blocked = False
        for rule, h in _hosts(s, i):
            if lexicon.target_set.get(items[h].form.entity) == form.label_set:
                distance = abs(m.start - items[h].end) if h < i else abs(items[h].start - m.end)
                uses.setdefault(h, []).append((_RANK[rule], distance, LabelUse(form.label, text[m.start:m.end], m.start, m.end, rule)))
                break
            blocked = True
        else:
            if not blocked:
                free.append(i)
    for i, m in enumerate(items):
        if m.form.kind == "label" or (m.form.kind == "adjective" and i not in uses):
            continue
        entity = m.form.entity
        compound = s.compound[i]
        label_set = "" if compound else lexicon.target_set.get(entity, "")
        ranked = [u for _, _, u in sorted(uses.get(i, []), key=lambda t: (t[0], t[1]))]
        main = ranked[0] if ranked else None
        out.append(Mention(
            entity, text[m.start:m.end], m.form.text, label_set, main.label if main else "",
            main.surface if main else "", m.start, m.end, main.start if main else -1, main.end if main else -1,
            compound=compound, sentence=k, attachment=main.attachment if main else "",
            extra=tuple(sorted(ranked[1:], key=lambda u: u.start)),
        ))
    out.extend(_anaphora(s, free, k))
    return out


def _hyphenated_word(norm: str, a: int, b: int) -> tuple[int, int]:
    """Widen ``[a, b)`` to the whole hyphenated word around it ("pro-government")."""
    while a > 1 and norm[a - 1] == "-" and norm[a - 2].isalnum() or a > 0 and norm[a - 1].isalnum():
        a -= 1
    while b + 1 < len(norm) and norm[b] == "-" and norm[b + 1].isalnum() or b < len(norm) and norm[b].isalnum():
        b += 1
    return a, b


def _anaphora(s: _Sentence, free: list[int], k: int) -> list[Mention]:
    """Free descriptors heading a definite noun phrase; stacked ones ("the Islamist militant
    group") make one row whose label is the last and whose extras are the others."""
    groups: list[list[int]] = []
    for i in free:
        prev = groups[-1][-1] if groups else None
        if (prev is not None and prev == i - 1 and s.items[prev].form.label_set == s.items[i].form.label_set
                and s.np_gap(prev, i, limit=2)):
            groups[-1].append(i)
        else:
            groups.append([i])
    out = []
    for group in groups:
        if not _definite(s, group[0]):
            continue
        head = s.items[group[-1]]
        surface = s.text[head.start:head.end]
        extra = tuple(LabelUse(s.items[j].form.label, s.text[s.items[j].start:s.items[j].end],
                               s.items[j].start, s.items[j].end, "anaphora") for j in group[:-1])
        out.append(Mention("", surface, "", head.form.label_set, head.form.label, surface, head.start, head.end,
                           head.start, head.end, anaphora=True, sentence=k, attachment="anaphora", extra=extra))
    return out
