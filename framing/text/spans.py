"""The span types every step shares: a ``(start, end)`` pair in original offsets, and a removal.

Kept apart from :mod:`framing.text.clean` and :mod:`framing.text.segment` so that cleaning (which
produces removals) and segmentation (which builds the document from cleaned paragraphs) both
depend on it, and not on each other.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import accumulate

__all__ = ["Removal", "Span", "SpanIndex", "strip_span"]

Span = tuple[int, int]


@dataclass(frozen=True)
class Removal:
    """A boilerplate span taken out of the analysed text (kept for the audit table)."""

    rule: str
    start: int
    end: int
    text: str


def strip_span(text: str, start: int, end: int) -> Span | None:
    """Shrink ``[start, end)`` to exclude surrounding white space; None if nothing is left."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


class SpanIndex:
    """Spans sorted once, so that "is this span inside / touching any of them" is a bisection.

    A scan of every span per query makes a text with thousands of mentions and quotations
    quadratic; here each query costs ``O(log n)``: spans are sorted by start, and the largest
    end among the spans starting at or before a point is a running maximum.

    Args:
        spans: ``(start, end)`` pairs, in any order, possibly overlapping or nested.
    """

    def __init__(self, spans: Iterable[Span]) -> None:
        ordered = sorted((int(a), int(b)) for a, b in spans)
        self._starts = [a for a, _ in ordered]
        self._max_end = list(accumulate((b for _, b in ordered), max))

    def __len__(self) -> int:
        return len(self._starts)

    def contains(self, start: int, end: int) -> bool:
        """True when some span ``(a, b)`` has ``a <= start`` and ``end <= b``."""
        i = bisect.bisect_right(self._starts, start)
        return i > 0 and self._max_end[i - 1] >= end

    def overlaps(self, start: int, end: int) -> bool:
        """True when some span ``(a, b)`` has ``a < end`` and ``start < b``."""
        i = bisect.bisect_left(self._starts, end)
        return i > 0 and self._max_end[i - 1] > start

    def covers(self, point: int) -> bool:
        """True when some span ``(a, b)`` has ``a <= point < b``."""
        i = bisect.bisect_right(self._starts, point)
        return i > 0 and self._max_end[i - 1] > point
