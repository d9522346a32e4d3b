"""Voices for speakers the lexicon does not know, from the affiliation cues the text gives.

A quote whose speaker the entities do not place in a voice group (voice ``other``) gets one from
the cues of ``affiliation_cues.csv`` (:class:`framing.lexicon.files.AffiliationCue`), searched at
every mention of the speaker in the article:

* the speaker phrase itself ("Republican officials", "The Arizona Republican", "police");
* the title words just before a name ("Republican Sen. John McCain", "State Department spokesman
  Ned Price"), walking back over capitalised words and the words a cue matches;
* a parenthesis or an appositive just after it ("John McCain (R-Ariz.)", "Michael Steele, the
  Republican national chairman,").

The first cue in file order that matches wins (party before office before role), and the quote's
``note`` says which cue, what it matched and where. A name speaker ("Mr. Steele", "Steele")
resolves to the full name the article gives ("Michael Steele"). Without a cue the speaker keeps
their own name and ``voice`` says why it is unknown: :data:`UNKNOWN_NO_CUE` or, for a pronoun with
no antecedent, :data:`UNKNOWN_PRONOUN`.

Cost: one pass over the text indexes its capitalised words; each speaker then looks only at the
mentions of its own surname, so the work grows with the text, not with text × speakers.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

__all__ = ["UNKNOWN_NO_CUE", "UNKNOWN_PRONOUN", "NO_VOICE", "cue_voices", "assign_voices", "full_name"]

#: Voice of a speaker with a name or description but no affiliation cue in the article.
UNKNOWN_NO_CUE = "unknown: no affiliation in text"
#: Voice of a pronoun speaker ("I", "we", "he" with no earlier person).
UNKNOWN_PRONOUN = "unknown: pronoun not resolved"
#: Voices that say a quote has no side (the quoted-voice balance leaves them out of its counts).
NO_VOICE = ("other", "unattributed", UNKNOWN_NO_CUE, UNKNOWN_PRONOUN)

_WORD = re.compile(r"[A-Z][\w'’.-]*")
_TOKEN = re.compile(r"[\w'’.-]+")
_HONORIFIC = re.compile(
    r"^(?:(?:the|former|then|late|acting)\s+)*(?:(?:Mr|Mrs|Ms|Miss|Dr|Prof|Sen|Sens|Rep|Reps|Gov|Gen|Col|Lt|Sgt|Adm|Maj|"
    r"Rev|Sir|Dame|Lord|Lady|President|Senator|Governor|Secretary|Minister|Professor|Judge|Justice|Mayor|Chairman|"
    r"Speaker|Ambassador)\.?\s+)+", re.I)
_TITLE_WORDS = frozenset(
    "mr mrs ms miss dr prof sen sens rep reps gov gen col lt sgt adm maj rev sir dame lord lady president senator "
    "governor secretary minister professor judge justice mayor chairman speaker ambassador the former then late "
    "acting vice prime state republican democratic democrat gop".split())
#: Capitalised words that open a sentence rather than a name ("Later Michael Steele left").
_OPENERS = frozenset("later but and then when after before in on at as so yet still now today yesterday also "
                     "meanwhile however while since if".split())
_JOIN = frozenset("of the for and former then".split())
_APPOS_START = re.compile(r"(?:a|an|the|who|whose|now|then|former|also|[A-Z])")
_PAREN = re.compile(r"\s*\(([^()\n]{1,40})\)")
_APPOS = re.compile(r",\s*((?:[^,;:!?“”\"()\n.]|\.(?=\S)){1,100})")
_MAX_BACK = 8


def cue_voices(cues: Iterable[Any]) -> set[str]:
    """The voice groups ``cues`` can give, plus the two unknown voices (for stable feature columns)."""
    return {c.voice for c in cues} | {UNKNOWN_NO_CUE, UNKNOWN_PRONOUN}


def _strip(name: str) -> str:
    """A speaker phrase without honorifics, titles and a possessive ("Sen. John McCain's" -> "John McCain")."""
    name = re.sub(r"['’]s?$", "", name.strip(" ,.;:"))
    return _HONORIFIC.sub("", name).strip()


def _key(word: str) -> str:
    """Index key of a name word: no final dot or possessive, lower case ("Obama’s", "OBAMA" -> "obama")."""
    return word.rstrip(".").removesuffix("’s").removesuffix("'s").lower()


def _is_name(words: Sequence[str]) -> bool:
    return bool(words) and all(_WORD.fullmatch(w) for w in words) and words[0].lower() not in _TITLE_WORDS


class _Article:
    """The capitalised words of one text, indexed once, and the windows around a name's mentions."""

    def __init__(self, text: str, cues: Sequence[Any]):
        self.text, self.cues = text, cues
        self.at: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for m in _WORD.finditer(text):
            self.at[_key(m.group())].append(m.span())

    def _cued(self, word: str) -> bool:
        return any(c.pattern.search(word) for c in self.cues)

    def before(self, s: int) -> tuple[int, int]:
        """Span of the title words just before offset ``s`` (capitalised, joined or cue words, one line)."""
        lo, pos, n = s, s, 0
        while n < _MAX_BACK:
            m = re.search(r"([\w'’.-]+)[ \t]+$", self.text[max(0, pos - 40):pos])
            if m is None:
                break
            word, start = m.group(1), pos - len(m.group(0))
            if not (word[:1].isupper() or word.lower() in _JOIN or self._cued(word)):
                break
            if word.endswith(".") and len(word) > 2 and word[:-1].lower() not in _TITLE_WORDS:
                break                                              # "... in Ohio. Steele said": a sentence end
            lo, pos, n = start, start, n + 1
        for m in _TOKEN.finditer(self.text, lo, s):         # no leading "of", "the", "former"
            if m.group().lower() not in _JOIN:
                return m.start(), s
        return s, s

    def after(self, e: int) -> tuple[int, int] | None:
        """Span of a parenthesis or an appositive just after offset ``e``, or None."""
        m = _PAREN.match(self.text, e)
        if m is not None:
            return m.span(1)
        m = _APPOS.match(self.text, e)
        if m is not None and _APPOS_START.match(m.group(1)):
            return m.span(1)
        return None

    def windows(self, surname: str) -> list[tuple[int, int]]:
        """Windows around every mention of ``surname``, in text order: the title words before it
        with the name itself (so a cue can look ahead: "President Obama"), and what follows it."""
        out: list[tuple[int, int]] = []
        for s, e in self.at.get(_key(surname), ()):
            out.append((self.before(s)[0], e))
            if (a := self.after(e)) is not None:
                out.append(a)
        return out

    def full(self, surname: str) -> tuple[str, int] | None:
        """The first mention of ``surname`` with a given name before it: (full name, offset)."""
        for s, e in self.at.get(_key(surname), ()):
            lo, _ = self.before(s)
            words = _TOKEN.findall(self.text, lo, s)
            given: list[str] = []
            for w in reversed(words):
                if not _WORD.fullmatch(w) or w.lower().rstrip(".") in _TITLE_WORDS or self._cued(w):
                    break
                given.insert(0, w)
            while given and given[0].lower() in _OPENERS:
                given.pop(0)
            if given:
                start = s - len(" ".join(given)) - 1
                name = re.sub(r"['’]s$", "", self.text[start:e].rstrip("."))
                if " ".join(name.split()[:-1]) == " ".join(given):
                    return name, start
        return None

    def cue(self, spans: Iterable[tuple[int, int]]) -> tuple[Any, str, int] | None:
        """The first cue (file order) found in any of ``spans``: (cue, matched text, offset)."""
        spans = list(spans)
        for c in self.cues:
            for s, e in spans:
                m = c.pattern.search(self.text, s, e)
                if m is not None:
                    return c, m.group(), m.start()
        return None


def full_name(text: str, surname: str) -> tuple[str, int] | None:
    """The full name an article gives for ``surname`` ("Steele" -> ("Michael Steele", offset)), or None."""
    return _Article(text, ()).full(surname)


def assign_voices(quotes: Sequence[Any], text: str, cues: Sequence[Any]) -> Sequence[Any]:
    """Give a voice to the quotes whose speaker the lexicon did not place (voice ``other``).

    Parameters
    ----------
    quotes : sequence of framing.extract.quotes.Quote
        One article's quotes; rows with voice ``other`` (or empty: an entity listed without a
        voice) are updated in place (``speaker``,
        ``voice``, ``note``), others are left alone.
    text : str
        The article's original text (the quotes' offsets index it).
    cues : sequence of framing.lexicon.files.AffiliationCue
        Affiliation cues in priority order (``Lexicon.affiliation``).

    Returns
    -------
    sequence of Quote
        ``quotes`` itself.
    """
    pending = [q for q in quotes if q.voice in ("other", "") and q.speaker]
    if not pending:
        return quotes
    art, decided = _Article(text, cues), {}
    for q in pending:
        if "pronoun not resolved" in q.note:
            q.voice = UNKNOWN_PRONOUN
            continue
        if q.speaker not in decided:
            decided[q.speaker] = _decide(art, q)
        speaker, voice, how = decided[q.speaker]
        q.speaker, q.voice = speaker, voice
        q.note = "; ".join(n for n in (q.note, how) if n)
    return quotes


def _decide(art: _Article, q: Any) -> tuple[str, str, str]:
    """(speaker, voice, note) for one speaker of one article."""
    own = (q.speaker_start, q.speaker_end) if q.speaker_start >= 0 else None
    spans = [own] if own else []
    if own and (a := art.after(own[1])) is not None:
        spans.append(a)
    if own and text_of(art, own) == q.speaker:
        spans.append((art.before(own[0])[0], own[1]))
    words = _strip(q.speaker).split()
    speaker, notes = q.speaker, []
    if _is_name(words):
        surname = words[-1].rstrip(".")
        spans += art.windows(surname)
        if len(words) == 1 or q.speaker != " ".join(words):
            found = art.full(surname) if len(words) == 1 else None
            if found is not None:
                speaker = found[0]
                notes.append(f"speaker {q.speaker!r} resolved to {found[0]!r} at {found[1]}")
            elif len(words) > 1:
                speaker = " ".join(words)
    hit = art.cue(spans)
    if hit is None:
        return speaker, UNKNOWN_NO_CUE, "; ".join(notes + ["no affiliation cue in the article"])
    cue, matched, at = hit
    return speaker, cue.voice, "; ".join(notes + [f"voice from {cue.kind} cue {matched!r} at {at} ({cue.where.replace(os.sep, '/').rsplit('/', 1)[-1]})"])


def text_of(art: _Article, span: tuple[int, int]) -> str:
    return art.text[span[0]:span[1]]
