"""Paragraphs and news-aware sentences, with offsets into the original text.

The :class:`Document` is what every extractor receives. Spans are ``(start, end)`` character
offsets into ``article.text`` (the original); ``norm`` is the same text with typography
normalised one character for one (see :mod:`framing.text.textnorm`), so a span indexes both.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cached_property

from framing.record import Article
from framing.text.clean import remove_boilerplate, split_paragraphs
from framing.text.spans import Removal, Span, strip_span
from framing.text.textnorm import normalize

__all__ = ["Document", "Span", "Removal", "word_spans", "WORD_RE"]


#: A word on normalised text (see :func:`framing.text.textnorm.normalize`): an initialism ("U.S."),
#: a number ("3.5", "1,000"), or letters with inner hyphens/apostrophes ("al-Hayeh", "aren't"),
#: with a possessive apostrophe after s ("Hamas'").
WORD_RE = re.compile(
    r"(?<!\w)(?:[^\W\d_]\.){2,}|\d+(?:[.,:]\d+)*|\w+(?:[-']\w+)*(?:(?<=[sS])'(?!\w))?", re.UNICODE
)


def word_spans(norm: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Word tokens of ``norm[start:end]`` as spans in the same offsets as ``norm``.

    Args:
        norm: Typography-normalised text (same offsets as the original).
        start: Where to start looking.
        end: Where to stop (default: end of text).

    Returns:
        ``(start, end)`` spans in order.
    """
    end = len(norm) if end is None else end
    return [m.span() for m in WORD_RE.finditer(norm, start, end)]



@dataclass(frozen=True)
class Document:
    """An article ready for extraction.

    Attributes:
        article: The input record (``article.text`` is the original text).
        norm: ``article.text`` with typography normalised, same length.
        paragraphs: Kept paragraphs as spans in original offsets, in order, boilerplate excluded.
        sentences: Sentences as spans in original offsets, in order, each inside one paragraph.
        removed: Boilerplate removals, in order of ``start``.
    """

    article: Article
    norm: str
    paragraphs: tuple[Span, ...]
    sentences: tuple[Span, ...]
    removed: tuple[Removal, ...] = field(default=())

    @property
    def text(self) -> str:
        """The original text."""
        return self.article.text

    @cached_property
    def clean(self) -> str:
        """Kept paragraphs, typography normalised, joined by blank lines."""
        return "\n\n".join(self.norm[s:e] for s, e in self.paragraphs)

    @cached_property
    def _clean_starts(self) -> list[int]:
        starts, pos = [], 0
        for s, e in self.paragraphs:
            starts.append(pos)
            pos += (e - s) + 2
        return starts

    def clean_to_original(self, i: int) -> int:
        """Map an offset in :attr:`clean` to the original text.

        Offsets that fall on a paragraph separator map to the end of the paragraph before it.
        """
        if not self.paragraphs:
            return 0
        k = max(bisect.bisect_right(self._clean_starts, i) - 1, 0)
        s, e = self.paragraphs[k]
        return min(s + (i - self._clean_starts[k]), e)

    def paragraph_index(self, pos: int) -> int:
        """Index of the paragraph containing original offset ``pos`` (-1 if none)."""
        k = bisect.bisect_right([s for s, _ in self.paragraphs], pos) - 1
        if k >= 0 and pos < self.paragraphs[k][1]:
            return k
        return -1

    def sentence_index(self, pos: int) -> int:
        """Index of the sentence containing original offset ``pos`` (-1 if none)."""
        k = bisect.bisect_right(self._sentence_starts, pos) - 1
        if k >= 0 and pos < self.sentences[k][1]:
            return k
        return -1

    @cached_property
    def _sentence_starts(self) -> list[int]:
        return [s for s, _ in self.sentences]


# --- sentences -------------------------------------------------------------------------------

#: Abbreviations after which a period never ends a sentence (titles, name parts, months before a
#: day, common shorthands). Compared case-sensitively, without the period.
TITLES = frozenset(
    "Mr Mrs Ms Dr Prof Gen Lt Col Maj Capt Cmdr Adm Sgt Cpl Pvt Sen Rep Gov Lt.Gov Pres Rev Fr "
    "St Mt Ft Jr Sr Hon Amb Atty Supt Insp Det Gov.Gen No Nos Vol Art Fig Sec Dept Univ Inc Corp "
    "Ltd Co Bros vs v etc approx est al e.g i.e".split()
)
MONTHS = frozenset("Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec".split())
#: Capitalised words that start a sentence after an initialism such as "U.S." ("... the U.S. The").
SENTENCE_STARTERS = frozenset(
    "The A An He She It They We I You His Her Its Their Our This That These Those There But And "
    "Yet So In On At As After Before When While If Since Some Many Most Officials Meanwhile "
    "However".split()
)

_BOUNDARY = re.compile(
    r"""(?P<end>[.!?]+['")\]]*)          # terminal punctuation, then closing quotes/brackets
        (?:\s+|(?<=[a-z]{2}[.!?])(?=[A-Z][a-z]))   # space, or a glued "difference.Two"
        (?=['"(\[]?[A-Z0-9])             # next sentence opens with a capital or digit
    """,
    re.VERBOSE,
)
_PREV_WORD = re.compile(r"([\w.'-]+)$")


def _is_abbreviation(norm: str, end_punct: int, next_start: int) -> bool:
    """Does the period at ``end_punct`` close an abbreviation rather than a sentence?"""
    if norm[end_punct] != ".":
        return False
    window = max(0, end_punct - 40)  # the word before the period; a bounded look-back
    m = _PREV_WORD.search(norm, window, end_punct)
    if not m:
        return False
    word = m.group(1).rstrip(".")
    nxt = re.match(r"['\"(\[]?(\w+)", norm[next_start:next_start + 40])
    next_word = nxt.group(1) if nxt else ""
    if word in TITLES or word.split(".")[-1] in TITLES:
        return True
    if word in MONTHS:
        return next_word[:1].isdigit()
    if len(word) == 1 and word.isupper():  # an initial: "George W. Bush"
        return True
    if re.fullmatch(r"(?:[^\W\d_]\.)+[^\W\d_]", word):  # an initialism: U.S., U.N., a.m.
        return next_word not in SENTENCE_STARTERS
    return False


def split_sentences(norm: str, start: int, end: int) -> list[Span]:
    """Split one paragraph into sentences (news-aware, rule-based).

    Boundaries are terminal punctuation followed by space and a capital (or an opening quote),
    or glued to the next capitalised word with no space ("difference.Two"); not after titles
    (Mr., Gen.), initials, initialisms (U.S. unless a sentence starter follows) or a month before a
    day (Oct. 19). A closing quote after the period stays with its sentence.

    Args:
        norm: Typography-normalised text.
        start: Paragraph start.
        end: Paragraph end.

    Returns:
        Sentence spans in original offsets, whitespace trimmed.
    """
    spans, pos = [], start
    for m in _BOUNDARY.finditer(norm, start, end):
        cut = m.end("end")
        if _is_abbreviation(norm, m.start("end"), m.end()):
            continue
        span = strip_span(norm, pos, cut)
        if span:
            spans.append(span)
        pos = cut
    span = strip_span(norm, pos, end)
    if span:
        spans.append(span)
    return spans



def build_document(article: Article, rules=()) -> Document:
    """Normalise, clean and segment one article.

    Args:
        article: An ``ok`` input record.
        rules: Boilerplate rules (``Lexicon.boilerplate``); none by default.

    Returns:
        The :class:`Document` every extractor receives.
    """
    norm = normalize(article.text)
    paragraphs, removed = remove_boilerplate(article.text, norm, split_paragraphs(norm), rules)
    sentences = tuple(s for p in paragraphs for s in split_sentences(norm, *p))
    return Document(article, norm, tuple(paragraphs), sentences, tuple(removed))
