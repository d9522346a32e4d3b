"""Paragraph splitting and rule-based boilerplate removal, with an audit of every removal.

Nothing is deleted from the original text. Cleaning decides which parts of it are *kept*
(paragraph spans in original offsets) and records every removed span as a :class:`Removal`
(rule, start, end, text), which becomes a row of ``removed.csv``. Rules are data
(``lexicons/boilerplate.csv``); their kinds are:

``span``
    A regex searched over the whole (typography-normalised) text; each match is removed exactly,
    even inside a paragraph (a donation appeal glued to the lead: "...difference.Two senior...").
``paragraph``
    A regex that must match a whole paragraph (after stripping); the paragraph is removed.
``repeated``
    A paragraph that matches the regex and occurs more than once verbatim in the article is
    removed at every occurrence (repeated photo captions).
``trailing``
    A regex that must match the whole last kept paragraph, when it has no sentence punctuation
    ("Route 6" left by a widget); applied once.

Matching runs on :func:`framing.text.textnorm.normalize` output, which has the original's offsets.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from framing.text.spans import Removal, Span, strip_span

__all__ = ["split_paragraphs", "remove_boilerplate", "Rule", "RULE_KINDS"]

RULE_KINDS = ("span", "paragraph", "repeated", "trailing")

_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")
_LINE = re.compile(r"[^\n]+")
_SENTENCE_END = re.compile(r"[.!?]['\")\]]*\s*$")


class Rule(Protocol):
    """What cleaning needs from a boilerplate rule (see :mod:`framing.lexicon.load`)."""

    rule: str
    kind: str
    pattern: re.Pattern[str] | str


@dataclass(frozen=True)
class _Rule:
    rule: str
    kind: str
    pattern: re.Pattern[str]


def _compiled(rules: Iterable[Rule]) -> list[_Rule]:
    out = []
    for r in rules:
        if r.kind not in RULE_KINDS:
            raise ValueError(f"boilerplate rule {r.rule!r}: unknown kind {r.kind!r}; use one of {RULE_KINDS}")
        pat = r.pattern if isinstance(r.pattern, re.Pattern) else re.compile(r.pattern)
        out.append(_Rule(r.rule, r.kind, pat))
    return out



def _hard_wrapped(norm: str, blocks: Sequence[Span]) -> bool:
    """True when blank-line blocks hold lines broken at a fixed width (not one line per paragraph)."""
    lines = [m.group() for s, e in blocks for m in _LINE.finditer(norm, s, e)]
    if len(lines) <= len(blocks) or len(lines) < 4:
        return False
    inner = [ln for ln in lines if not _SENTENCE_END.search(ln)]
    lengths = sorted(len(ln) for ln in lines)
    median = lengths[len(lengths) // 2]
    return 40 <= median <= 100 and len(inner) / len(lines) > 0.5


def split_paragraphs(norm: str) -> list[Span]:
    """Split text into paragraph spans (original offsets, white space trimmed).

    One line is one paragraph, as in most scraped news text, unless the text is hard-wrapped
    (blank-line-separated blocks whose lines break mid-sentence at a fixed width), in which case a
    blank-line block is one paragraph.

    Args:
        norm: Typography-normalised text (same offsets as the original).

    Returns:
        Paragraph spans in order.
    """
    blocks, pos = [], 0
    for m in _BLANK_LINE.finditer(norm):
        blocks.append((pos, m.start()))
        pos = m.end()
    blocks.append((pos, len(norm)))
    blocks = [b for b in (strip_span(norm, s, e) for s, e in blocks) if b]
    if len(blocks) > 1 and _hard_wrapped(norm, blocks):
        return blocks
    spans = []
    for s, e in blocks:
        for m in _LINE.finditer(norm, s, e):
            span = strip_span(norm, m.start(), m.end())
            if span:
                spans.append(span)
    return spans


def _cut(paragraphs: list[Span], s: int, e: int, norm: str) -> list[Span]:
    """Remove ``[s, e)`` from the paragraph spans, keeping what is left on either side."""
    out = []
    for ps, pe in paragraphs:
        if pe <= s or ps >= e:
            out.append((ps, pe))
            continue
        for piece in ((ps, min(pe, s)), (max(ps, e), pe)):
            span = strip_span(norm, *piece) if piece[0] < piece[1] else None
            if span:
                out.append(span)
    return out


def remove_boilerplate(
    text: str, norm: str, paragraphs: Sequence[Span], rules: Iterable[Rule]
) -> tuple[list[Span], list[Removal]]:
    """Apply boilerplate rules to paragraph spans.

    Args:
        text: Original text (removed text is reported from it).
        norm: Typography-normalised text, same offsets (rules match on it).
        paragraphs: Paragraph spans from :func:`split_paragraphs`.
        rules: Boilerplate rules (``rule``, ``kind``, ``pattern``), applied in the order
            span, paragraph, repeated, trailing; within a kind, in file order.

    Returns:
        ``(kept_paragraphs, removals)``; removals sorted by start offset.
    """
    compiled = _compiled(rules)
    kept = list(paragraphs)
    removed: list[Removal] = []

    def drop(rule: str, s: int, e: int) -> None:
        removed.append(Removal(rule, s, e, text[s:e]))

    for r in (r for r in compiled if r.kind == "span"):
        for m in r.pattern.finditer(norm):
            if m.end() > m.start():
                drop(r.rule, m.start(), m.end())
                kept = _cut(kept, m.start(), m.end(), norm)
    for r in (r for r in compiled if r.kind == "paragraph"):
        keep = []
        for s, e in kept:
            if r.pattern.fullmatch(norm, s, e):
                drop(r.rule, s, e)
            else:
                keep.append((s, e))
        kept = keep
    for r in (r for r in compiled if r.kind == "repeated"):
        counts = Counter(norm[s:e] for s, e in kept)
        keep = []
        for s, e in kept:
            if counts[norm[s:e]] > 1 and r.pattern.fullmatch(norm, s, e):
                drop(r.rule, s, e)
            else:
                keep.append((s, e))
        kept = keep
    for r in (r for r in compiled if r.kind == "trailing"):
        if len(kept) > 1:
            s, e = kept[-1]
            if not _SENTENCE_END.search(norm[s:e]) and r.pattern.fullmatch(norm, s, e):
                drop(r.rule, s, e)
                kept = kept[:-1]
    removed.sort(key=lambda x: (x.start, x.end, x.rule))
    return kept, removed
