"""Finding lexicon phrases in text: one Aho-Corasick automaton, leftmost-longest on token boundaries.

Matching is case- and typography-insensitive: the text and every phrase are folded the same way
(:func:`match_key`: curly quotes and dashes to ASCII, lower case, line breaks to spaces), one
character for one, so a match found in the folded text has the same offsets in the original.
Accents are kept ("Türkiye" and "Turkiye" are different phrases). Hyphens and spaces are kept
too ("al-Hayya" and "al Hayya" are different phrases), so spelling choices stay visible.

A match counts only on token boundaries: the character before it and the character after it
must not be a letter or digit, so "regime" is never found in "regimen" nor "Israel" in
"Israeli". A hyphen or an apostrophe is a boundary: "Hamas" is found in "Hamas-led" and in
"Hamas'"; callers decide what such a match means (see :func:`is_compound`). Among overlapping
candidates the leftmost wins, then the longest ("Islamic Resistance Movement" over "resistance
movement"), as in the ``iter_long`` scan of pyahocorasick but with the boundary test applied
first, so a boundary-failing long candidate never hides a valid shorter one.

The automaton is built lazily on first use and is not pickled: a :class:`Matcher` sent to a
worker process rebuilds it there (about as fast as unpickling it).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import ahocorasick

from framing.text.textnorm import fold, normalize

__all__ = ["Matcher", "Match", "Form", "FormMatch", "EntityMatch", "PhraseIndex", "PhraseRegistry", "match_key",
           "is_compound"]

_LINE_BREAKS = str.maketrans({"\n": " ", "\r": " ", "\v": " ", "\f": " "})


def match_key(text: str) -> str:
    """Fold ``text`` for matching: typography to ASCII, lower case, line breaks to spaces.

    The result has exactly ``len(text)`` characters (``str.lower`` is used directly unless a
    character such as "İ" would lengthen, then :func:`framing.text.textnorm.fold` character by
    character).
    """
    norm = normalize(text)
    low = norm.lower()
    if len(low) != len(norm):
        low = fold(norm)
    for ch in "\n\r\v\f":
        if ch in low:
            low = low.replace(ch, " ")
    return low


def is_compound(norm: str, start: int, end: int) -> bool:
    """Is ``norm[start:end]`` glued by a hyphen to a word ("pro-government", "Hamas-led")?"""
    before = start >= 2 and norm[start - 1] == "-" and norm[start - 2].isalnum()
    after = end + 1 < len(norm) and norm[end] == "-" and norm[end + 1].isalnum()
    return before or after


class Match(NamedTuple):
    """A phrase found in a text: offsets (same in original and folded text) and phrase index."""

    start: int
    end: int
    index: int


class Matcher:
    """Leftmost-longest phrase matcher on token boundaries.

    Args:
        phrases: The phrases, as written (their position is the ``index`` of a :class:`Match`).
            Their folded forms (:func:`match_key`) must be distinct and non-empty.
        exact_case: Optional flags, one per phrase: True makes that phrase case-sensitive
            (typography is still normalised), for acronyms such as "US" or "UN".

    Raises:
        ValueError: A phrase is empty or two phrases fold to the same key.
    """

    def __init__(self, phrases: Sequence[str], *, exact_case: Sequence[bool] | None = None):
        self.phrases = tuple(phrases)
        self.exact_case = tuple(exact_case) if exact_case is not None else (False,) * len(self.phrases)
        if len(self.exact_case) != len(self.phrases):
            raise ValueError("exact_case needs one flag per phrase")
        self._keys = tuple(match_key(p) for p in self.phrases)
        seen: dict[str, int] = {}
        for i, key in enumerate(self._keys):
            if not key.strip():
                raise ValueError(f"phrase {i} is empty")
            if key in seen:
                raise ValueError(f"phrases {self.phrases[seen[key]]!r} and {self.phrases[i]!r} fold to the same key")
            seen[key] = i
        self._exact = tuple(_case_kept(p) for p in self.phrases)
        self._automaton: ahocorasick.Automaton | None = None
        self._folded: tuple[str, str] | None = None  # (text, match_key(text)) of the last call

    def __len__(self) -> int:
        return len(self.phrases)

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state["_automaton"] = None
        state["_folded"] = None
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)

    @property
    def automaton(self) -> ahocorasick.Automaton:
        """The compiled automaton (built on first access)."""
        if self._automaton is None:
            automaton = ahocorasick.Automaton()
            for i, key in enumerate(self._keys):
                automaton.add_word(key, (i, len(key)))
            automaton.make_automaton()
            self._automaton = automaton
        return self._automaton

    def find(self, text: str, start: int = 0, end: int | None = None, *, folded: str | None = None) -> list[Match]:
        """Leftmost-longest, non-overlapping matches inside ``text[start:end]``.

        Args:
            text: The text, original or typography-normalised (offsets are the same).
            start: Where to start looking.
            end: Where to stop (default: end of text). Boundaries are judged on the whole text,
                so a range cut inside a word does not create a boundary.
            folded: ``match_key(text)`` if the caller already has it (saves one pass).

        Returns:
            Matches in text order.
        """
        end = len(text) if end is None else end
        if not self.phrases or start >= end:
            return []
        if folded is None:
            # extractors scan many small ranges of one document: fold the text once, not per range
            if self._folded is not None and self._folded[0] is text:
                folded = self._folded[1]
            else:
                folded = match_key(text)
                self._folded = (text, folded)
        candidates = []
        n = len(folded)
        # iterate a slice: pyahocorasick's iter(text, start, end) copies the whole text on every call,
        # which made many small ranges of one long text quadratic
        for last, (index, length) in self.automaton.iter(folded[start:end]):
            e = start + last + 1
            s = e - length
            if s > 0 and folded[s - 1].isalnum():
                continue
            if e < n and folded[e].isalnum():
                continue
            if self.exact_case[index] and _case_kept(text[s:e]) != self._exact[index]:
                continue
            candidates.append((s, -length, index))
        candidates.sort()
        out: list[Match] = []
        reach = -1
        for s, neg_length, index in candidates:
            if s >= reach:
                out.append(Match(s, s - neg_length, index))
                reach = s - neg_length
        return out


def _case_kept(text: str) -> str:
    """Typography-normalised, case kept (for case-sensitive phrases)."""
    return normalize(text).translate(_LINE_BREAKS)


@dataclass(frozen=True)
class Form:
    """One lexicon phrase: an entity variant (``kind="name"``), an entity adjective
    (``"adjective"``) or a label form (``"label"``), with the row it comes from."""

    text: str
    kind: str
    entity: str = ""
    label_set: str = ""
    label: str = ""
    exact_case: bool = False
    source: str = ""
    where: str = ""


@dataclass(frozen=True)
class FormMatch:
    """A lexicon phrase found in a text (offsets valid in the original and normalised text)."""

    start: int
    end: int
    form: Form


@dataclass(frozen=True)
class EntityMatch:
    """An entity name found in a text: offsets, the entity's canonical name, the variant matched."""

    start: int
    end: int
    entity: str
    variant: str


class PhraseRegistry:
    """Collects forms while a lexicon is validated, keeping their folded texts distinct (one
    automaton needs one owner per phrase); a second owner is reported as ``file:line`` error."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        self.forms: list[Form] = []
        self.owner: dict[str, Form] = {}  # folded phrase -> first form claiming it

    def claim(self, form: Form) -> bool:
        """Register ``form``; False when its phrase is taken (an error unless it is the same
        entity's or label's phrase listed twice)."""
        key = match_key(form.text)
        old = self.owner.get(key)
        if old is None:
            self.owner[key] = form
            self.forms.append(form)
            return True
        if (old.kind, old.entity, old.label_set, old.label) != (form.kind, form.entity, form.label_set, form.label):
            self.errors.append(f"{form.where}: {form.text!r} is already {_describe(old)} ({old.where})")
        return False


def _describe(form: Form) -> str:
    if form.kind == "label":
        return f"a form of label {form.label!r} in set {form.label_set!r}"
    return f"{'an adjective' if form.kind == 'adjective' else 'a variant'} of entity {form.entity!r}"


_EDGE = " \t\"'.,;:!?()[]{}"


class PhraseIndex:
    """Every phrase of a lexicon behind one :class:`Matcher`, plus exact look-up.

    :class:`framing.lexicon.load.Lexicon` is a PhraseIndex over its entity variants, adjectives and
    label forms. The automaton is built on first use and not pickled (rebuilt in the worker).

    Args:
        forms: The phrases; their folded texts must be distinct.
    """

    def __init__(self, forms: Sequence[Form]):
        self.forms = tuple(forms)
        self.matcher = Matcher([f.text for f in self.forms], exact_case=[f.exact_case for f in self.forms])
        self._by_key = {match_key(f.text): f for f in self.forms}

    def scan(self, text: str, start: int = 0, end: int | None = None, *, folded: str | None = None) -> list[FormMatch]:
        """Every phrase (names, adjectives, labels) in ``text[start:end]``, in order.

        Leftmost-longest on token boundaries, case- and typography-insensitive (module docstring).
        A possessive ("Syria's", "Hamas'") is not part of a match. ``text`` may be the original or
        the normalised text (same offsets); ``folded`` is ``match_key(text)`` if already known.
        """
        return [FormMatch(m.start, m.end, self.forms[m.index])
                for m in self.matcher.find(text, start, end, folded=folded)]

    def find_entities(self, text: str, start: int = 0, end: int | None = None) -> list[EntityMatch]:
        """Entity names in ``text[start:end]``, in order; adjectives and labels excluded.

        A name glued to a hyphenated word ("Hamas-led") is included; "Iran-backed", when listed
        as a label form, is a label and not a mention of Iran.
        """
        return [EntityMatch(m.start, m.end, m.form.entity, m.form.text)
                for m in self.scan(text, start, end) if m.form.kind == "name"]

    def lookup(self, phrase: str) -> Form | None:
        """The form whose text is exactly ``phrase`` (case, typography, spacing and edge
        punctuation ignored; case kept for ``exact_case`` forms), or None."""
        phrase = " ".join(phrase.split()).strip(_EDGE)
        form = self._by_key.get(match_key(phrase))
        if form is not None and form.exact_case and _case_kept(phrase) != _case_kept(form.text):
            return None
        return form

    def name_for(self, surface: str) -> Form | None:
        """Like :meth:`lookup` for entity names only, also ignoring a leading "the" and a
        possessive ("the Houthis", "Syria's", "Hamas'")."""
        phrase = " ".join(surface.split()).strip(_EDGE)
        phrase = re.sub(r"(?i)^the\s+", "", phrase)
        phrase = re.sub(r"(?<=\w)['\u2019]s?$", "", phrase)
        form = self.lookup(phrase)
        return form if form is not None and form.kind == "name" else None
