"""Readability formulas from counts taken once per article, equal to textstat's own functions.

Calling textstat's metric functions one after another re-tokenises the text for each of them.
Here the text is counted once (:func:`count_text`) and every formula is a small pure function of
those counts, reproducing textstat 0.7.13 (its tokenisation, its sentence rule, its zero-division
guards and its order of floating-point operations), so values equal ``textstat.<metric>(text)``
(tested to 1e-9). Syllables come from :mod:`framing.text.syllables`, offline.

Formulas (coefficients as in textstat):
    * Flesch reading ease (Flesch 1948): 206.835 - 1.015 W/S - 84.6 Y/W.
    * Flesch–Kincaid grade (Kincaid et al. 1975): 0.39 W/S + 11.8 Y/W - 15.59.
    * Gunning fog (Gunning 1952): 0.4 (W/S + 100 C/W), C = words of 3+ syllables not on the
      Dale–Chall easy list.
    * SMOG (McLaughlin 1969): 1.043 sqrt(30 P/S) + 3.1291, P = words of 3+ syllables. Designed
      for samples of 30 sentences; see ``smog_valid``.
    * Coleman–Liau (Coleman & Liau 1975): 0.058 L - 0.296 S' - 15.8, L = letters per 100 words,
      S' = sentences per 100 words.
    * Automated readability index (Senter & Smith 1967): 4.71 chars/token + 0.5 W/S - 21.43.
    * Dale–Chall (Dale & Chall 1948, new list 1995): 0.1579 D + 0.0496 W/S (+ 3.6365 when
      D > 5), D = % words not on the easy list (textstat does not stem; names count as hard).

W, S, Y are textstat's words, sentences and syllables: words are whitespace tokens after
removing punctuation (apostrophes of contractions kept); a sentence is a run ending in . ! ? and
runs of two words or fewer are not counted. Counts are taken on :attr:`Document.clean` (kept
paragraphs, typography normalised: a curly apostrophe would change the count for "Syria’s").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from framing.extract.base import Extractor, ExtractorOutput
from framing.text.segment import Document
from framing.text.syllables import SyllableCounter, easy_words
from framing.text.textnorm import normalize

__all__ = [
    "TextCounts",
    "TokenFacts",
    "count_text",
    "flesch_reading_ease",
    "flesch_kincaid_grade",
    "gunning_fog",
    "smog_index",
    "coleman_liau_index",
    "automated_readability_index",
    "dale_chall",
    "METRICS",
    "ReadabilityExtractor",
]

# textstat.backend.transformations.remove_punctuation(rm_apostrophe=False): drop apostrophes not
# starting a contraction ending, then every character that is not a word char, space or apostrophe.
_NON_CONTRACTION_APOSTROPHE = re.compile(r"'(?![tsd]|ve|ll|re)")
_PUNCTUATION_BUT_APOSTROPHE = re.compile(r"[^\w\s']")
_SENTENCE = re.compile(r"\b[^.!?]+[.!?]*")

#: Syllables from which a word is "polysyllabic" (SMOG) or "complex" (Gunning fog), as textstat.
POLYSYLLABLE = 3


# The same removal for ASCII text as one translation table (much faster than the regex).
_ASCII_PUNCTUATION = {
    i: None
    for i in range(128)
    if not (chr(i).isalnum() or chr(i) == "_" or chr(i).isspace() or chr(i) == "'")
}


def _words(text: str) -> list[str]:
    """textstat's ``list_words(text)``: punctuation removed, contractions kept, split on space."""
    text = _NON_CONTRACTION_APOSTROPHE.sub("", text)
    if text.isascii():
        return text.translate(_ASCII_PUNCTUATION).split()
    return _PUNCTUATION_BUT_APOSTROPHE.sub("", text).split()


@dataclass(frozen=True)
class TextCounts:
    """Everything the formulas need, counted once.

    Attributes:
        words: Words after punctuation removal (textstat ``count_words``).
        sentences: Sentences of three words or more, at least 1 for non-empty text
            (textstat ``count_sentences``).
        syllables: Syllables over all words (textstat ``count_syllables``).
        polysyllables: Words of 3+ syllables (SMOG).
        complex_words: Words of 3+ syllables not on the easy-word list (Gunning fog).
        difficult_words: Words not on the Dale–Chall easy-word list (Dale–Chall).
        letters: Word characters (letters, digits, underscore) (Coleman–Liau).
        characters: Non-space characters, punctuation included (ARI).
        tokens: Whitespace tokens, punctuation-only tokens included (ARI's word count).
    """

    words: int
    sentences: int
    syllables: int
    polysyllables: int
    complex_words: int
    difficult_words: int
    letters: int
    characters: int
    tokens: int


class TokenFacts:
    """What each formula needs to know about one word token, cached per distinct token.

    For a token of :func:`_words` (punctuation removed, case kept) returns ``(syllables,
    polysyllabic, difficult, complex)``: textstat's syllable count of the lower-cased token; 3+
    syllables (SMOG); not on the Dale–Chall easy list (Dale–Chall); and not on the list with 3+
    syllables (Gunning fog).

    Args:
        counter: The syllable counter (default: a new one, which loads the CMU dictionary).
        cache_size: Distinct tokens remembered; the cache is emptied when full.
    """

    def __init__(self, *, counter: SyllableCounter | None = None, cache_size: int = 200_000):
        if isinstance(cache_size, bool) or not isinstance(cache_size, int) or cache_size < 1:
            raise ValueError(f"cache_size must be a positive int, got {cache_size!r}")
        self.counter = counter
        self.cache_size = cache_size
        self.counter_ = SyllableCounter() if counter is None else counter
        self.easy_ = easy_words()
        self._cache: dict[str, tuple[int, bool, bool, bool]] = {}

    def __call__(self, token: str) -> tuple[int, bool, bool, bool]:
        facts = self._cache.get(token)
        if facts is None:
            if len(self._cache) >= self.cache_size:
                self._cache.clear()
            facts = self._cache[token] = self._facts(token)
        return facts

    def _facts(self, token: str) -> tuple[int, bool, bool, bool]:
        count = self.counter_.count
        low = token.lower()
        n = count(low)
        difficult = low not in self.easy_
        # For the difficult-word test textstat re-tokenises the lower-cased word before counting;
        # that only differs when lower-casing creates a non-word character ("İ" -> "i" + U+0307).
        n_difficult = n if low.isascii() else sum(count(part.lower()) for part in _words(low))
        return n, n >= POLYSYLLABLE, difficult, difficult and n_difficult >= POLYSYLLABLE

    def __getstate__(self) -> dict:
        return {"counter": self.counter_, "cache_size": self.cache_size}

    def __setstate__(self, state: dict) -> None:
        self.__init__(counter=state["counter"], cache_size=state["cache_size"])


def _has_word_char(chunk: str) -> bool:
    # re's \w is str.isalnum() or "_", character by character
    return chunk.isalnum() or any(ch.isalnum() or ch == "_" for ch in chunk)


def _at_most_two_words(run: str) -> bool:
    """``count_words(run) <= 2`` without rewriting the run.

    Removing punctuation never removes whitespace, and an apostrophe it keeps is followed by a
    letter, so a whitespace chunk survives as a word exactly when it holds a word character.
    """
    head = run.split(None, 3)
    if len(head) <= 2:
        return True
    if _has_word_char(head[0]) and _has_word_char(head[1]) and _has_word_char(head[2]):
        return False
    chunks = run.split()
    found = 0
    for chunk in chunks:
        if _has_word_char(chunk):
            found += 1
            if found == 3:
                return False
    return True


def count_text(text: str, *, facts: TokenFacts | None = None) -> TextCounts:
    """Count ``text`` once for every formula, exactly as textstat 0.7.13 counts it.

    Args:
        text: The text, typography already normalised (see :func:`framing.text.textnorm.normalize`).
        facts: Per-token facts to reuse (building them loads the CMU dictionary).

    Returns:
        The counts.
    """
    facts = TokenFacts() if facts is None else facts
    words = _words(text)
    syllables = polysyllables = complex_words = difficult = 0
    for token, k in Counter(words).items():
        n, poly, hard, complex_ = facts(token)
        syllables += k * n
        if poly:
            polysyllables += k
        if hard:
            difficult += k
            if complex_:
                complex_words += k
    if text:
        runs = _SENTENCE.findall(text)
        sentences = max(1, len(runs) - sum(1 for run in runs if _at_most_two_words(run)))
    else:
        sentences = 0
    joined = "".join(words)  # word characters and the apostrophes of contractions
    chunks = text.split()
    return TextCounts(
        words=len(words),
        sentences=sentences,
        syllables=syllables,
        polysyllables=polysyllables,
        complex_words=complex_words,
        difficult_words=difficult,
        letters=len(joined) - joined.count("'"),
        characters=sum(map(len, chunks)),
        tokens=len(chunks),
    )


def _ratio(a: int, b: int) -> float:
    return a / b if b else 0.0


def words_per_sentence(c: TextCounts) -> float:
    """Mean words per sentence (0 for empty text)."""
    return _ratio(c.words, c.sentences)


def syllables_per_word(c: TextCounts) -> float:
    """Mean syllables per word (0 for empty text)."""
    return _ratio(c.syllables, c.words)


def flesch_reading_ease(c: TextCounts) -> float:
    """Flesch (1948) reading ease; 0.0 where textstat gives 0.0 (no words)."""
    wps, spw = words_per_sentence(c), syllables_per_word(c)
    if wps == 0 or spw == 0:
        return 0.0
    return 206.835 - 1.015 * wps - 84.6 * spw


def flesch_kincaid_grade(c: TextCounts) -> float:
    """Flesch–Kincaid grade level (Kincaid, Fishburne, Rogers & Chissom 1975)."""
    wps, spw = words_per_sentence(c), syllables_per_word(c)
    if wps == 0 or spw == 0:
        return 0.0
    return (0.39 * wps) + (11.8 * spw) - 15.59


def gunning_fog(c: TextCounts) -> float:
    """Gunning (1952) fog index; complex words exclude the Dale–Chall easy words, as textstat."""
    if not c.words:
        return 0.0
    return 0.4 * (words_per_sentence(c) + 100 * c.complex_words / c.words)


def smog_index(c: TextCounts) -> float:
    """McLaughlin (1969) SMOG grade, without the 30-sentence sampling (see ``smog_valid``)."""
    if not c.sentences:
        return 0.0
    return (1.043 * (30 * (c.polysyllables / c.sentences)) ** 0.5) + 3.1291


def coleman_liau_index(c: TextCounts) -> float:
    """Coleman & Liau (1975) index from letters and sentences per 100 words."""
    letters = _ratio(c.letters, c.words) * 100
    sentences = _ratio(c.sentences, c.words) * 100
    if letters == 0 or sentences == 0:
        return 0.0
    return (0.058 * letters) - (0.296 * sentences) - 15.8


def automated_readability_index(c: TextCounts) -> float:
    """Senter & Smith (1967) ARI: characters per whitespace token and words per sentence."""
    a, b = _ratio(c.characters, c.tokens), words_per_sentence(c)
    if a == 0 or b == 0:
        return 0.0
    return (4.71 * a) + (0.5 * b) - 21.43


def dale_chall(c: TextCounts) -> float:
    """Dale & Chall (1948) score with the 1995 list, as textstat estimates it (no stemming)."""
    if not c.words:
        return 0.0
    percent = 100 * c.difficult_words / c.words
    score = (0.1579 * percent) + (0.0496 * words_per_sentence(c))
    if percent > 5:
        score += 3.6365
    return score


#: Feature name -> formula, in output order; each equals the textstat function in the comment.
METRICS = {
    "flesch_reading_ease": flesch_reading_ease,  # textstat.flesch_reading_ease
    "flesch_kincaid_grade": flesch_kincaid_grade,  # textstat.flesch_kincaid_grade
    "gunning_fog": gunning_fog,  # textstat.gunning_fog
    "smog_index": smog_index,  # textstat.smog_index
    "coleman_liau_index": coleman_liau_index,  # textstat.coleman_liau_index
    "automated_readability_index": automated_readability_index,  # textstat.automated_...
    "dale_chall": dale_chall,  # textstat.dale_chall_readability_score
}

_COUNT_FEATURES = ("words", "sentences", "syllables", "polysyllables", "difficult_words")
_FEATURES = (
    *METRICS,
    *_COUNT_FEATURES,
    "words_per_sentence",
    "syllables_per_word",
    "short_text",
    "smog_valid",
)


class ReadabilityExtractor(Extractor):
    """Seven readability formulas and their counts for each article, offline.

    Features (prefixed ``readability.`` by the pipeline): the seven formulas of :data:`METRICS`;
    ``words``, ``sentences``, ``syllables``, ``polysyllables``, ``difficult_words`` (the counts the
    formulas use, textstat's definitions, which differ from the segmenter's ``n_words`` /
    ``n_sentences``); ``words_per_sentence``, ``syllables_per_word``; ``short_text`` (1.0 when
    fewer than ``min_words`` words: Flesch-type scores are noisy there) and ``smog_valid`` (1.0
    when at least ``smog_min_sentences`` sentences, the sample SMOG was calibrated on). Flagged
    values are kept as the formula gives them.

    Args:
        lexicon: The project lexicon (accepted for the common constructor; not used).
        min_words: Word count below which ``short_text`` is 1.0.
        smog_min_sentences: Sentence count from which ``smog_valid`` is 1.0.
    """

    name: ClassVar[str] = "readability"
    requires: ClassVar[tuple[str, ...]] = ()
    tables: ClassVar[tuple[str, ...]] = ()
    columns: ClassVar[Mapping[str, tuple[str, ...]]] = {}

    def __init__(
        self, *, lexicon: Any = None, min_words: int = 100, smog_min_sentences: int = 30
    ) -> None:
        self.lexicon = lexicon
        self.min_words = min_words
        self.smog_min_sentences = smog_min_sentences
        for key in ("min_words", "smog_min_sentences"):
            value = getattr(self, key)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"{key} must be a non-negative int, got {value!r}")
        self.facts_ = TokenFacts()  # loads the dictionaries once per worker

    def feature_names(self) -> tuple[str, ...]:
        """Feature names without prefix, in output order."""
        return _FEATURES

    def scores(self, text: str) -> dict[str, float]:
        """Features for a text (typography is normalised here; offsets are not needed)."""
        return self._features(normalize(text))

    def _features(self, text: str) -> dict[str, float]:
        counts = count_text(text, facts=self.facts_)
        features: dict[str, float] = {name: fn(counts) for name, fn in METRICS.items()}
        for key in _COUNT_FEATURES:
            features[key] = float(getattr(counts, key))
        features["words_per_sentence"] = words_per_sentence(counts)
        features["syllables_per_word"] = syllables_per_word(counts)
        features["short_text"] = float(counts.words < self.min_words)
        features["smog_valid"] = float(counts.sentences >= self.smog_min_sentences)
        return features

    def extract(self, doc: Document, upstream: Mapping[str, ExtractorOutput]) -> ExtractorOutput:
        """Readability of :attr:`Document.clean` (kept paragraphs, boilerplate excluded)."""
        return ExtractorOutput(features=self._features(doc.clean))  # already normalised

    def __repr__(self) -> str:
        return (
            f"ReadabilityExtractor(min_words={self.min_words}, "
            f"smog_min_sentences={self.smog_min_sentences})"
        )
