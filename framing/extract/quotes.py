"""Quoted voices: direct, indirect and scare quotes, with cue, speaker and voice group.

Quotation marks are paired per paragraph; cues, speakers and reported clauses come from
:mod:`framing.extract.attribution`; speakers resolve to voice groups through the lexicon.
"""

from __future__ import annotations

import bisect
import logging
import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from framing.extract.affiliation import assign_voices, cue_voices
from framing.extract.attribution import (
    NAMING,
    Frame,
    Tok,
    Verbs,
    attach_after,
    attach_before,
    find_reported,
    sentence_ranges,
    tokenize,
)
from framing.extract.base import Extractor, ExtractorOutput
from framing.extract.speakers import ROLE_VOICES, Find, Resolve, Speakers
from framing.lexicon.load import slug
from framing.tables import row_columns
from framing.text.segment import split_sentences, word_spans
from framing.text.spans import SpanIndex
from framing.text.textnorm import normalize

__all__ = ["Quote", "COLUMNS", "ROLE_VOICES", "pair_quote_marks", "find_quotes", "quote_features", "QuotesExtractor"]

log = logging.getLogger(__name__)
Span = tuple[int, int]

SCARE_MAX_WORDS = 4       # a quoted fragment inside reported speech this short is a scare quote
FRAGMENT_MAX_WORDS = 10   # a cue-less quote this short that does not read as a sentence is a scare quote
_MARK = re.compile(r"''|\"")
_TRANSCRIPT = re.compile(r"([A-Z][A-Z.'-]+(?: [A-Z][A-Z.'-]+){0,3}):\s+(?=\S)")     # "PENCE: Well, ..."


@dataclass
class Quote:
    """A row of the ``quotes`` table (DESIGN.md); offsets index the original text, -1 if absent.

    ``kind`` is ``direct`` (a quotation with its own cue, or the whole clause a cue reports: "X said
    that “...”"), ``indirect`` (a reported clause), ``partial`` (quoted words inside reported speech:
    called his visit a “glorious day”; the speaker's words, attributed to the speaker) or ``scare``
    (quoted words nobody is said to have said: the so-called “axis of resistance”).
    ``group`` ties the rows of one quotation (interrupted by its cue, over paragraphs, reported speech
    with its quoted fragments); ``nested`` marks a row whose content lies inside another row's (a
    partial quote inside its indirect quote), so its words are counted once, in the outer row;
    ``via`` is the relay of "SANA quoted Assad as telling" or "Assad told ... that “...”, SANA
    reported" (speaker Assad); ``note`` says how values were found and records unbalanced marks."""

    kind: str
    content: str
    start: int
    end: int
    cue: str = ""
    cue_start: int = -1
    cue_end: int = -1
    speaker: str = ""
    speaker_surface: str = ""
    speaker_start: int = -1
    speaker_end: int = -1
    voice: str = "unattributed"
    connotation: str = ""
    n_words: int = 0
    position: str = "body"
    note: str = ""
    group: int = -1
    nested: bool = False
    via: str = ""


COLUMNS = row_columns("quotes")


@dataclass
class _Raw:
    """Paired marks: content span, mark offsets (close -1: not closed here), the part it continues."""

    start: int
    end: int
    para: int
    open_at: int
    close_at: int = -1
    prev: int = -1
    warn: str = ""
    frame: Frame | None = None


def _orient(text: str, norm: str, s: int, e: int, lo: int, hi: int) -> str:
    """"open", "close" or "either" for a mark: from its neighbours, else from the curly glyph."""
    prev, nxt = (norm[s - 1] if s > lo else " "), (norm[e] if e < hi else " ")
    opening = (prev.isspace() or prev in "([{-/'") and not nxt.isspace()
    closing = not prev.isspace() and (nxt.isspace() or nxt in ".,;:!?)]}-'")
    if opening != closing:
        return "open" if opening else "close"
    return {"\u201c": "open", "\u201e": "open", "\u00ab": "open", "\u201d": "close", "\u00bb": "close"}.get(text[s], "either")


def pair_quote_marks(text: str, norm: str, paragraphs: Sequence[Span]) -> tuple[list[_Raw], list[str]]:
    """Pair double quotation marks per paragraph: (quotes in text order, warnings about unbalanced marks).

    A quote open at a paragraph end continues into the next paragraph if that one opens with a mark,
    else it ends at the paragraph end with a warning, so a missing mark never swallows more than one
    paragraph. A stray closing mark is ignored with a warning; nested double marks are content."""
    raws: list[_Raw] = []
    warns: list[str] = []
    carry = -1                                          # index of the quote still open
    for p, (lo, hi) in enumerate(paragraphs):
        marks = [m.span() for m in _MARK.finditer(norm, lo, hi)]
        depth, carry = (1, carry) if carry >= 0 and marks and not norm[lo:marks[0][0]].strip() else (0, -1)
        if depth:
            s, e = marks.pop(0)
            raws.append(_Raw(e, hi, p, s, prev=carry))
            carry = len(raws) - 1
        for s, e in marks:
            kind = _orient(text, norm, s, e, lo, hi)
            if depth == 0 and kind == "close":
                warns.append(f"stray closing quotation mark at {s}; ignored")
            elif depth == 0:
                raws.append(_Raw(e, hi, p, s))
                carry, depth = len(raws) - 1, 1
            else:
                depth += 1 if kind == "open" else -1
                if depth == 0:
                    raws[carry].end = raws[carry].close_at = s
                    carry = -1
        nxt = norm[paragraphs[p + 1][0]:paragraphs[p + 1][1]].lstrip() if p + 1 < len(paragraphs) else ""
        if carry >= 0 and not _MARK.match(nxt):
            raws[carry].warn = f"unclosed quotation mark at {raws[carry].open_at} (the quote ends at the paragraph end)"
            warns.append(raws[carry].warn)
            carry = -1
    for r in raws:
        r.start += len(norm[r.start:r.end]) - len(norm[r.start:r.end].lstrip())
        r.end -= len(norm[r.start:r.end]) - len(norm[r.start:r.end].rstrip())
    index = {i: n for n, i in enumerate(i for i, r in enumerate(raws) if r.end > r.start)}   # drop empty quotes
    return [_Raw(**{**vars(r), "prev": index.get(r.prev, -1)}) for i, r in enumerate(raws) if i in index], warns


def _positions(norm: str, paragraphs: Sequence[Span]) -> list[str]:
    """headline (a short first paragraph without a final period) / lead / body / last."""
    texts = [norm[s:e].strip() for s, e in paragraphs]
    head = len(texts) > 1 and len(texts[0].split()) <= 25 and not texts[0].rstrip("\"'").endswith((".", "!", "?"))
    lead = next((i for i in range(head, len(texts)) if len(texts[i].split()) > 12 or texts[i].endswith((".", '"'))), head)
    return ["headline" if head and i == 0 else "lead" if i == lead else "last" if i == len(texts) - 1 else "body"
            for i in range(len(texts))]


#: Words a title leaves in lower case ("Face the Nation", "The Art of the Deal").
_TITLE_SMALL = frozenset("a an the and or but nor of in on at to for with by from as vs".split())


def _is_title(content: str) -> bool:
    """Does a quotation read as a title: two or more words besides the small ones, all of them
    capitalised ("Face the Nation", "The Art of the Deal"; not "Here comes Big Daddy")?"""
    words = [w for w in re.findall(r"[\w'’-]+", content) if w.lower() not in _TITLE_SMALL]
    return len(words) >= 2 and all(w[:1].isupper() or w[:1].isdigit() for w in words)


def _is_sentence(content: str) -> bool:
    """Does a quotation read as speech (a sentence, or long) rather than a title or a term?"""
    words = content.split()
    long = [w for w in words if len(w) > 3]
    title = len(long) >= 2 and sum(w[:1].isupper() for w in long) >= 0.6 * len(long)
    return not title and (len(words) >= 8 or (len(words) > 1 and content[:1].isupper() and content.rstrip()[-1:] in ".?!,"))


def find_quotes(text: str, *, paragraphs: Sequence[Span], verbs: Verbs, resolve: Resolve | None = None,
                find: Find | None = None, role_voices: Mapping[str, str] = ROLE_VOICES,
                norm: str | None = None) -> tuple[list[Quote], list[str]]:
    """Find the direct, indirect and scare quotes of one article: (quotes in text order, warnings).

    Args:
        text: Original text; paragraphs: kept paragraph spans, in order; norm: ``normalize(text)``.
        verbs: Attribution verbs, form -> (lemma, connotation[, complement]) (``{}``: direct quotes found by
            their marks only, no reported speech).
        resolve, find: Lexicon look-ups (:data:`Resolve`, :data:`Find`); without them a speaker keeps
            its surface form, voice "other" or that of a role noun in ``role_voices``.
    """
    norm = normalize(text) if norm is None else norm
    raws, warns = pair_quote_marks(text, norm, paragraphs)
    in_quote = SpanIndex((r.start, r.end) for r in raws).covers  # O(log n) a query, no set of every position
    frames: list[tuple[int, Frame]] = []
    before: tuple[list[Tok], list[tuple[int, int]]] = ([], [])
    for p, (lo, hi) in enumerate(paragraphs):
        toks = tokenize(norm, lo, hi)
        sents = sentence_ranges(toks, split_sentences(norm, lo, hi))
        prior = _attach_direct(norm, toks, sents, [r for r in raws if r.para == p], verbs, before)
        used = {i for f in prior for i in (f.cue_index, f.relay_index) if i >= 0}
        frames += [(p, f) for f in find_reported(toks, sents, verbs, in_quote=in_quote, used=used, prior=prior)]
        before = (toks, sents)
    _cut_hosts(norm, raws, frames)
    speakers = Speakers(text, norm, resolve, find, role_voices, in_quote)
    return _assemble(text, norm, paragraphs, raws, frames, speakers), warns


def _cut_hosts(norm: str, raws: list[_Raw], frames: list[tuple[int, Frame]]) -> None:
    """A quotation with a cue of its own ("..., the mother replied, “...”") is not part of the
    reported clause before it: end that clause before the quotation's attribution. Frames whose
    clause is left with fewer than two words are dropped (``frames`` is edited in place)."""
    own = []
    for r in raws:
        if r.frame is None or r.frame.cue is None or r.prev >= 0:
            continue
        c = min([r.open_at, r.frame.cue[0]] + ([r.frame.speaker[0]] if r.frame.speaker else []))
        k = c - 1
        while k > 0 and norm[k].isspace():
            k -= 1
        if norm[k] in ",:;.!?-\u2014\u2013" and r.frame.lemma not in NAMING:   # a new clause, not "what it called"
            own.append((c, r.open_at))
    own.sort(key=lambda x: x[1])
    if not own:
        return
    opens = [o for _, o in own]
    keep = []
    for p, f in frames:
        parts = []
        for a, b in f.parts:
            k = bisect.bisect_left(opens, a)
            cut = min((c for c, o in own[k:bisect.bisect_left(opens, b)] if c > a), default=b)
            while cut > a and (norm[cut - 1].isspace() or norm[cut - 1] in ",;:-—–"):
                cut -= 1
            if len(word_spans(norm, a, cut)) >= 2:
                parts.append((a, cut))
        if parts:
            f.parts = tuple(parts)
            keep.append((p, f))
    frames[:] = keep


def _attach_direct(norm: str, toks: list[Tok], sents: list[tuple[int, int]], mine: list[_Raw], verbs: Verbs,
                   before: tuple[list[Tok], list[tuple[int, int]]]) -> list[Frame]:
    """Set the frame of each quote of a paragraph: from the words after the closing mark, a transcript
    name ("PENCE: ..."), the words before the opening mark, or a previous paragraph ending in "X said:".
    A quote followed by more of its clause ("said that “…” against ...") is left to reported speech."""
    starts, prior = [t.start for t in toks], []
    at = lambda pos: bisect.bisect_left(starts, pos)  # noqa: E731  (token of a mark, even one glued to a word)
    s_starts = [a for a, _ in sents]

    def sentence(k: int) -> int:
        """Index of the sentence holding token ``k`` (the last one when past the end)."""
        return max(0, bisect.bisect_right(s_starts, k) - 1)

    closed = 0                                        # first token after the previous closing mark
    for n, r in enumerate(mine):
        q, c = at(r.open_at), (at(r.close_at) if r.close_at >= 0 else -1)
        lo = max(sents[sentence(q)][0] if sents and sents[sentence(q)][0] <= q else 0, closed)
        closed = max(closed, c + 1)
        if c >= 0:
            k = sentence(c)
            s_hi = sents[k][1] if sents and sents[k][0] <= c < sents[k][1] else len(toks)
            if s_hi == c + 1 and c > 0 and toks[c - 1].text in "?!" and k + 1 < len(sents):
                s_hi = sents[k + 1][1]                # “… ?” Graham asked.  (the mark ends a sentence)
            nxt = at(mine[n + 1].open_at) if n + 1 < len(mine) else s_hi
            r.frame = attach_after(toks, c + 1, min(s_hi, nxt), verbs)
            if r.frame is not None and _is_title(norm[r.start:r.end]):
                r.frame = None                        # “Face the Nation,” Ryan said the ...: a title
            if (r.frame is None and c + 1 < s_hi and toks[c + 1].word and not toks[c + 1].cap
                    and not (q > 0 and toks[q - 1].text in ",:")):   # "saying, “…” when ...": the cue before
                continue
            if r.frame is not None and r.prev < 0:
                r.frame = _relayed(toks, lo, q, r.frame, verbs, prior)
                r.frame = _named_before(toks, lo, q, r.frame, verbs, prior)
        m = _TRANSCRIPT.match(norm, r.start, r.end) if r.frame is None else None
        if m is not None:
            r.frame, r.start = Frame((m.end(1), m.end(1) + 1), speaker=m.span(1), how="transcript"), m.end()
        if r.frame is not None:
            r.prev = -1                               # a paragraph with its own cue starts a new quote
        elif r.prev < 0:
            r.frame = attach_before(toks, lo, q, verbs, prior)
            if r.frame is None and q == 0 and before[0] and before[0][-1].text == ":":
                r.frame = attach_before(before[0], before[1][-1][0], len(before[0]), verbs)
                if r.frame is not None:
                    r.frame.cue_index = -1            # a cue of the previous paragraph
        prior += [r.frame] if r.frame is not None else []
    return prior


def _relayed(toks: list[Tok], lo: int, q: int, after: Frame, verbs: Verbs, prior: Sequence[Frame]) -> Frame:
    """The frame of a quotation with a cue on both sides: "Assad told the delegation that “...”, SANA
    reported" is Assad's statement relayed by SANA (speaker Assad, via SANA); otherwise ``after``."""
    if q - 1 <= lo or toks[q - 1].low not in ("that", ":") or after.speaker is None or after.how == "pronoun":
        return after
    inner = attach_before(toks, lo, q, verbs, prior)
    if inner is None or inner.speaker is None or inner.cue is None or inner.speaker == after.speaker:
        return after
    inner.via, inner.relay_index = after.speaker, after.cue_index
    return inner


def _named_before(toks: list[Tok], lo: int, q: int, after: Frame, verbs: Verbs, prior: Sequence[Frame]) -> Frame:
    """"X scolded him: “...,” she said": the pronoun after the quotation refers to the speaker
    named before it (its ``antecedent``); the frame keeps its cue and pronoun."""
    if after.how != "pronoun" or q - 1 <= lo or toks[q - 1].text != ":":
        return after
    before = attach_before(toks, lo, q, verbs, prior)
    if before is None or before.speaker is None or before.how == "pronoun":
        return after
    after.antecedent = before.speaker
    return after


def _assemble(text: str, norm: str, paragraphs: Sequence[Span], raws: list[_Raw], frames: list[tuple[int, Frame]],
              speakers: Speakers) -> list[Quote]:
    """Rows with kind, group, speaker (resolved in text order), position, note. A cue-less quote takes the
    frame before it (same or previous paragraph; the same quotation if a quote of the same paragraph)."""
    group_of: dict[Any, int] = {id(f): g for g, (_, f) in enumerate(frames, start=1)}
    units = [(a, b, "indirect", f, group_of[id(f)], ["mixed: contains quoted words"] if _MARK.search(norm, a, b) else [])
             for _, f in frames for a, b in f.parts]
    hosts = sorted(((a, b, f) for _, f in frames for a, b in f.parts), key=lambda h: (h[0], h[1]))
    host_starts = [h[0] for h in hosts]
    whole: set[tuple[int, Span]] = set()                              # reported clauses that are one quotation
    last: tuple[int, Frame, int, str] | None = None                   # paragraph, frame, group, kind
    events = sorted([(f.parts[0][0], 0, p, f) for p, f in frames] + [(r.start, 1, i, None) for i, r in enumerate(raws)],
                    key=lambda x: x[:2])
    for _, is_raw, i, f in events:
        if not is_raw:
            last = (i, f, group_of[id(f)], "indirect") if f.speaker is not None else last
            continue
        r = raws[i]
        notes, n_words, content = [r.warn], len(word_spans(norm, r.start, r.end)), text[r.start:r.end]
        host = _host(hosts, host_starts, r)
        g = kind = None
        if r.prev >= 0:
            r.frame, g, kind = raws[r.prev].frame, group_of[id(raws[r.prev])], "direct"
            notes.append("continues the quote of the previous paragraph")
        elif r.frame is not None:                                     # "“A,” he said, “B.”": one group
            g, kind = group_of.setdefault(r.frame.cue or id(r.frame), len(group_of) + 1), "direct"
            notes.append(f"cue: {r.frame.how}")
        elif host is not None:
            r.frame, g = host, group_of[id(host)]
            part = next(pt for pt in host.parts if pt[0] <= r.start and r.end <= pt[1])
            if _whole_clause(norm, part, r):                          # "X said that “...”": one direct quote
                kind = "direct"
                whole.add((id(host), part))
                notes.append("the clause the cue reports")
            else:
                kind = "partial"
                notes.append("inside reported speech")
        else:
            kind = "direct" if _is_sentence(content) or n_words > FRAGMENT_MAX_WORDS else "scare"
            if kind == "direct" and last is not None and last[0] >= r.para - 1:
                r.frame, g = last[1], (last[2] if last[0] == r.para and last[3] == "direct" else None)
                notes.append("speaker carried from the previous attribution")
        g = group_of[id(r)] = g if g is not None else len(group_of) + 1
        units.append((r.start, r.end, kind, r.frame, g, notes))
        if kind == "direct" and r.frame is not None and r.frame.speaker is not None:
            last = (r.para, r.frame, g, "direct")
    units = [u for u in units if not (u[2] == "indirect" and (id(u[3]), (u[0], u[1])) in whole)]
    resolved: dict[int, tuple[str, str, str]] = {}
    for f in sorted({id(u[3]): u[3] for u in units if u[3] is not None and u[3].speaker}.values(), key=lambda f: f.speaker):
        resolved[id(f)] = speakers.speaker(*f.speaker, f.appos, antecedent=f.antecedent)
    pos_of, para_starts, renumber, out = _positions(norm, paragraphs), [s for s, _ in paragraphs], {}, []
    for s, e, kind, f, g, notes in sorted(units, key=lambda u: (u[0], u[2])):
        while kind != "indirect" and e > s + 1 and norm[e - 1] in ", ":       # “...,” he said
            e -= 1
        q = Quote(kind, text[s:e], s, e, n_words=len(word_spans(norm, s, e)), group=renumber.setdefault(g, len(renumber) + 1),
                  position=pos_of[max(0, bisect.bisect_right(para_starts, s) - 1)] if paragraphs else "body")
        if f is not None and f.cue is not None:
            q.cue, (q.cue_start, q.cue_end), q.connotation = text[slice(*f.cue)], f.cue, f.connotation
        if f is not None and f.speaker is not None:
            q.speaker, q.voice, how = resolved[id(f)]
            q.speaker_surface, (q.speaker_start, q.speaker_end) = text[slice(*f.speaker)], f.speaker
            notes = notes + [how]
        if f is not None and f.via is not None:
            q.via = (speakers.entity(*f.via) or (text[slice(*f.via)],))[0]       # "SANA" for "state agency SANA"
            notes = notes + [f"reported via {q.via}"]
        q.note = "; ".join(dict.fromkeys(n for n in notes if n))
        out.append(q)
    _mark_nested(out)
    return out


def _host(hosts: list[tuple[int, int, Frame]], starts: list[int], r: _Raw, depth: int = 8) -> Frame | None:
    """The innermost reported clause holding the quotation ``r`` ("In a statement announcing the
    pick, the union called Clinton a “champion”": the clause of "called"), looking back over at
    most ``depth`` clauses that start before it (clauses nest only a few deep)."""
    k = bisect.bisect_right(starts, r.start) - 1
    for a, b, f in (hosts[j] for j in range(k, max(-1, k - depth), -1)):
        if a <= r.start and r.end <= b:
            return f
    return None


def _whole_clause(norm: str, part: Span, r: _Raw) -> bool:
    """Is the quotation ``r`` the whole reported clause ``part`` (only marks, punctuation and a
    closing "X reported" outside it)?"""
    before = norm[part[0]:r.open_at]
    after = norm[r.close_at + 1:part[1]] if r.close_at >= 0 else ""
    return not any(ch.isalnum() for ch in before) and not any(ch.isalnum() for ch in after)


def _mark_nested(quotes: list[Quote]) -> None:
    """Flag rows whose content lies inside an earlier-starting, longer row (one sweep over the
    rows in text order, so linear after the sort)."""
    reach, owner = -1, -1
    for i in sorted(range(len(quotes)), key=lambda i: (quotes[i].start, -quotes[i].end)):
        q = quotes[i]
        if owner >= 0 and q.end <= reach and (q.start, q.end) != (quotes[owner].start, quotes[owner].end):
            q.nested = True
        elif q.end > reach:
            reach, owner = q.end, i


def quote_features(quotes: Sequence[Quote], *, n_words: int, voices: Sequence[str]) -> dict[str, float]:
    """Article features from one article's quote rows.

    ``n_quotes`` counts quotations (the rows of one ``group``): ``n_direct`` in quoted words only,
    ``n_indirect`` with a reported clause; ``n_scare`` counts scare-quote rows. Quoted words are the
    word positions in direct and indirect rows, each counted once: ``quoted_share`` is their share of
    ``n_words``, ``share.<voice>`` each voice's share of them (stable columns: ``voices``). ``n_voices``
    and ``voice_entropy`` (Shannon entropy of voice shares / log of the number of voices; 0 under two
    voices) leave "unattributed" out.
    """
    kinds: dict[int, set[str]] = {}
    voice_at: dict[int, str] = {}
    for q in quotes:
        if q.kind != "scare":
            kinds.setdefault(q.group, set()).add(q.kind)
            for a, _ in word_spans(normalize(q.content)):
                voice_at.setdefault(q.start + a, q.voice)
    counts = Counter(voice_at.values())
    named = [c for v, c in counts.items() if v != "unattributed"]
    k, tot = len(named), sum(named)
    return {"n_quotes": float(len(kinds)), "n_direct": float(sum("indirect" not in s for s in kinds.values())),
            "n_indirect": float(sum("indirect" in s for s in kinds.values())),
            "n_scare": float(sum(q.kind == "scare" for q in quotes)), "n_voices": float(k),
            "quoted_share": len(voice_at) / n_words if n_words else 0.0,
            "voice_entropy": 0.0 if k < 2 else -sum(c / tot * math.log(c / tot) for c in named) / math.log(k),
            **{f"share.{slug(v)}": counts[v] / len(voice_at) if voice_at else 0.0 for v in voices}}


class QuotesExtractor(Extractor):
    """Quoted voices per article: the ``quotes`` table, quote features, :class:`Quote` objects as data.

    Args:
        lexicon: A :class:`framing.lexicon.load.Lexicon` (entities, voice groups, attribution verbs);
            the processor passes it.
        role_voices: Role noun -> voice group for speakers the lexicon does not know.
    """

    name: ClassVar[str] = "quotes"
    requires: ClassVar[tuple[str, ...]] = ()
    tables: ClassVar[tuple[str, ...]] = ("quotes",)
    columns: ClassVar[Mapping[str, tuple[str, ...]]] = {"quotes": COLUMNS}

    def __init__(self, lexicon: Any, *, role_voices: Mapping[str, str] = ROLE_VOICES):
        if lexicon is None:
            raise TypeError("QuotesExtractor needs a lexicon: QuotesExtractor(framing.load_lexicon())")
        self.lexicon, self.role_voices = lexicon, role_voices
        lex = self.lexicon_ = lexicon
        self.verbs_ = {f: (v.lemma, v.connotation, v.complement) for f, v in lex.verbs.items()}
        groups = {e.voice for e in lex.entities.values() if e.voice} | set(role_voices.values()) | cue_voices(lex.affiliation)
        self.voices_ = tuple(sorted(groups - {"other", "unattributed"})) + ("other", "unattributed")

    def _resolve(self, surface: str) -> tuple | None:
        return None if (e := self.lexicon_.entity_for(surface)) is None else (e.name, e.voice, e.type)

    def _find(self, norm: str, start: int, end: int) -> list[tuple]:
        ents = self.lexicon_.entities
        return [(m.start, m.end, e.name, e.voice, e.type, m.form.kind) for m in self.lexicon_.scan(norm, start, end)
                if m.form.kind in ("name", "adjective") and (e := ents.get(m.form.entity)) is not None]

    def feature_names(self) -> tuple[str, ...]:
        """Feature names without the ``quotes.`` prefix; one ``share.<voice>`` per voice group."""
        return ("n_quotes", "n_direct", "n_indirect", "n_scare", "n_voices", "quoted_share", "voice_entropy") + tuple(
            f"share.{slug(v)}" for v in self.voices_)

    def extract(self, doc: Any, upstream: Mapping[str, ExtractorOutput]) -> ExtractorOutput:
        """Quotes of one document; unbalanced quotation marks are noted in the quote's ``note`` and
        returned as the record's warnings (``articles.warnings``; logged at debug level only)."""
        quotes, warns = find_quotes(doc.text, paragraphs=doc.paragraphs, verbs=self.verbs_, resolve=self._resolve,
                                    find=self._find, role_voices=self.role_voices, norm=doc.norm)
        assign_voices(quotes, doc.text, self.lexicon_.affiliation)
        for w in warns:
            log.debug("%s: %s", doc.article.id, w)
        n_words = sum(len(word_spans(doc.norm, s, e)) for s, e in doc.paragraphs)
        return ExtractorOutput(features=quote_features(quotes, n_words=n_words, voices=self.voices_),
                               tables={"quotes": [{c: getattr(q, c) for c in COLUMNS} for q in quotes]}, data=quotes,
                               warnings=tuple(warns))
