"""The span types every step shares: a ``(start, end)`` pair in original offsets, and a removal.

Kept apart from :mod:`framing.text.clean` and :mod:`framing.text.segment` so that cleaning (which
produces removals) and segmentation (which builds the document from cleaned paragraphs) both
depend on it, and not on each other.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Removal", "Span", "strip_span"]

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
