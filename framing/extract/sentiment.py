"""VADER sentiment per sentence, split into the outlet's own and quoted voices, and per entity.

Method: VADER (Hutto & Gilbert 2014) scores each sentence separately, never a whole article: its
compound score is a normalised sum of valences, ``x / sqrt(x**2 + 15)``, which saturates towards
±1 on long texts (and one call on a 1,000-word article is several times slower than its
sentences). Each sentence is typography-normalised first (:func:`framing.text.textnorm.normalize`):
VADER strips only ASCII punctuation, so ``“positive”`` scores 0.0 against +0.557 for
``"positive"``, and a curly apostrophe breaks its negation rule ("aren’t good" +0.44 vs "aren't
good" −0.34). Offsets stay those of the original text. Scores are exactly
``SentimentIntensityAnalyzer().polarity_scores(normalised_sentence)["compound"]``.

Voices (from the ``quotes`` extractor's spans; scare quotes are the outlet's own words):
    * **quoted** units: each direct or indirect quote's content span, cut at sentence
      boundaries, each piece scored on its own (pieces with no letter or digit are dropped);
    * **authorial** units: sentences that overlap no direct/indirect quote content.
    A sentence holding any quoted text is not authorial, even when it also carries the outlet's
    words ("…, the official said, adding …"): its quoted part is a quoted unit and the rest is
    not scored (cutting the quote out would leave VADER fragments like ", he said."). Such
    sentences are counted in ``n_quote_sentences``, so ``n_authorial + n_quote_sentences ==
    n_sentences``.

Thresholds: a unit is positive when compound >= 0.05 and negative when <= -0.05 (Hutto &
Gilbert's recommended cut-offs). Means and shares are NaN only where the voice has no unit; the
``n_*`` features say so.
"""

from __future__ import annotations

import bisect
import math
import string
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, ClassVar

from vaderSentiment.vaderSentiment import BOOSTER_DICT, SentimentIntensityAnalyzer

from framing.extract.base import (
    Extractor,
    ExtractorOutput,
    quoted_content,
    upstream_data,
)
from framing.tables import row_columns
from framing.text.segment import Document
from framing.text.spans import Span
from framing.text.textnorm import normalize

__all__ = [
    "SentimentExtractor",
    "SentenceScores",
    "unscored_terms",
]

_FEATURES = (
    "n_sentences",
    "mean_compound",
    "share_positive",
    "share_negative",
    "n_authorial",
    "authorial_mean_compound",
    "authorial_share_positive",
    "authorial_share_negative",
    "n_quote_sentences",
    "n_quoted",
    "quoted_mean_compound",
    "quoted_share_positive",
    "quoted_share_negative",
)


def _analyzer():
    return SentimentIntensityAnalyzer()


@lru_cache(maxsize=1)
def _shared_analyzer():
    return _analyzer()


@dataclass(frozen=True)
class SentenceScores:
    """Per-unit scores behind the article features (``ExtractorOutput.data``), for audit.

    Attributes:
        sentences: Sentence spans (original offsets), as in the document.
        compound: VADER compound of each whole sentence.
        authorial: Whether each sentence is an authorial unit.
        quoted: ``((start, end), compound)`` for each quoted unit, in text order.
    """

    sentences: tuple[Span, ...]
    compound: tuple[float, ...]
    authorial: tuple[bool, ...]
    quoted: tuple[tuple[Span, float], ...]


def _merge(spans: Iterable[Span]) -> list[Span]:
    """Union of spans, sorted (overlapping or nested quotes are one stretch of quoted text)."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]




def _summary(values: Sequence[float], positive: float, negative: float) -> tuple[float, ...]:
    if not values:
        return (math.nan, math.nan, math.nan)
    n = len(values)
    return (
        math.fsum(values) / n,
        sum(1 for v in values if v >= positive) / n,
        sum(1 for v in values if v <= negative) / n,
    )


class SentimentExtractor(Extractor):
    """VADER compound per sentence; authorial vs quoted voice; per-entity authorial sentiment.

    Features (prefixed ``sentiment.``): ``n_sentences``, ``mean_compound``, ``share_positive``,
    ``share_negative`` over all sentences (voice-blind); the same four for ``authorial`` units
    and for ``quoted`` units (``n_authorial``, ``authorial_mean_compound``, …, ``n_quoted``,
    ``quoted_mean_compound``, …); ``n_quote_sentences`` (sentences holding quoted text).

    Table ``entity_sentiment``: one row per entity of the ``labels`` mentions that occur in a kept
    sentence, with ``n_sentences`` = authorial sentences mentioning it (a sentence counts once)
    and ``mean_compound`` = their mean compound (NaN when the entity is mentioned only in
    sentences holding quotes), sorted by entity.

    Args:
        lexicon: The project lexicon (accepted for the common constructor; not used: entities
            come from the ``labels`` mentions).
        positive: Compound at or above which a unit is positive.
        negative: Compound at or below which a unit is negative.
    """

    name: ClassVar[str] = "sentiment"
    requires: ClassVar[tuple[str, ...]] = ("labels", "quotes")
    tables: ClassVar[tuple[str, ...]] = ("entity_sentiment",)
    columns: ClassVar[Mapping[str, tuple[str, ...]]] = {
        "entity_sentiment": row_columns("entity_sentiment")
    }

    def __init__(
        self, *, lexicon: Any = None, positive: float = 0.05, negative: float = -0.05
    ) -> None:
        self.lexicon = lexicon
        self.positive = positive
        self.negative = negative
        for key, value in (("positive", positive), ("negative", negative)):
            if (
                isinstance(value, bool)
                or not isinstance(value, (int, float))
                or not -1 <= value <= 1
            ):
                raise ValueError(f"{key} must be a number in [-1, 1], got {value!r}")
        if not negative < positive:
            raise ValueError(f"negative ({negative}) must be below positive ({positive})")
        self.analyzer_ = _analyzer()

    def feature_names(self) -> tuple[str, ...]:
        """Feature names without prefix, in output order."""
        return _FEATURES

    def compound(self, text: str) -> float:
        """VADER compound of one unit of text after typography normalisation."""
        return self.analyzer_.polarity_scores(normalize(text))["compound"]

    def extract(self, doc: Document, upstream: Mapping[str, ExtractorOutput]) -> ExtractorOutput:
        """Score every sentence and quoted unit of ``doc``; see the class docstring."""
        norm = doc.norm
        score = self.analyzer_.polarity_scores
        sentences = doc.sentences
        compound = [score(norm[s:e])["compound"] for s, e in sentences]

        quoted_spans = _merge(quoted_content(upstream_data(upstream, "quotes")))
        authorial = [True] * len(sentences)
        quoted_units: list[tuple[Span, float]] = []
        ends = [e for _, e in sentences]
        for qs, qe in quoted_spans:
            k = bisect.bisect_right(ends, qs)  # first sentence ending after the quote starts
            while k < len(sentences) and sentences[k][0] < qe:
                s, e = sentences[k]
                if s < qe and qs < e:
                    authorial[k] = False
                    start, end = max(s, qs), min(e, qe)
                    piece = norm[start:end]
                    if any(ch.isalnum() for ch in piece):
                        quoted_units.append(((start, end), score(piece)["compound"]))
                k += 1

        authorial_scores = [c for c, a in zip(compound, authorial, strict=True) if a]
        quoted_scores = [c for _, c in quoted_units]
        pos, neg = self.positive, self.negative
        values = (
            float(len(sentences)),
            *_summary(compound, pos, neg),
            float(len(authorial_scores)),
            *_summary(authorial_scores, pos, neg),
            float(len(sentences) - len(authorial_scores)),
            float(len(quoted_scores)),
            *_summary(quoted_scores, pos, neg),
        )
        features = dict(zip(_FEATURES, values, strict=True))
        rows = self._entity_rows(doc, upstream, compound, authorial)
        data = SentenceScores(
            sentences=tuple(sentences),
            compound=tuple(compound),
            authorial=tuple(authorial),
            quoted=tuple(quoted_units),
        )
        return ExtractorOutput(features=features, tables={"entity_sentiment": rows}, data=data)

    @staticmethod
    def _entity_rows(
        doc: Document,
        upstream: Mapping[str, ExtractorOutput],
        compound: Sequence[float],
        authorial: Sequence[bool],
    ) -> list[dict[str, Any]]:
        mentions = upstream_data(upstream, "labels")
        by_entity: dict[str, set[int]] = {}
        for mention in mentions:
            if not mention.entity:
                continue
            k = doc.sentence_index(mention.start)
            if k >= 0:
                by_entity.setdefault(mention.entity, set()).add(k)
        rows = []
        for entity in sorted(by_entity):
            own = [compound[k] for k in sorted(by_entity[entity]) if authorial[k]]
            rows.append(
                {
                    "entity": entity,
                    "n_sentences": len(own),
                    "mean_compound": math.fsum(own) / len(own) if own else math.nan,
                }
            )
        return rows

    def __repr__(self) -> str:
        return f"SentimentExtractor(positive={self.positive}, negative={self.negative})"


def _vader_token(token: str) -> str:
    """VADER's token rule: strip edge ASCII punctuation unless that leaves 2 characters or fewer."""
    stripped = token.strip(string.punctuation)
    return token if len(stripped) <= 2 else stripped


def unscored_terms(terms: Iterable[str], *, analyzer: Any = None) -> list[str]:
    """Terms to which VADER's lexicon gives no valence (e.g. "militant", "regime").

    A term is scored when at least one of its tokens, as VADER tokenises (whitespace split, edge
    ASCII punctuation stripped, lower-cased, typography normalised first), is in the analyser's
    ``lexicon`` and is not one of VADER's booster words (which it never scores). Label sets whose
    terms VADER cannot see make sentiment blind to exactly the word choice being studied; report
    them next to any sentiment figure.

    Args:
        terms: Label terms, e.g. from the lexicon's label sets.
        analyzer: A ``SentimentIntensityAnalyzer`` (default: one shared instance).

    Returns:
        The unscored terms, in input order, without duplicates.
    """
    analyzer = _shared_analyzer() if analyzer is None else analyzer
    lexicon = analyzer.lexicon
    out: list[str] = []
    seen: set[str] = set()
    for term in terms:
        if not isinstance(term, str):
            raise TypeError(f"terms must be strings, got {term!r}")
        if term in seen:
            continue
        seen.add(term)
        tokens = [_vader_token(t).lower() for t in normalize(term).split()]
        if not any(t in lexicon and t not in BOOSTER_DICT for t in tokens):
            out.append(term)
    return out
