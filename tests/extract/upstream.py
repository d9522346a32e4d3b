"""Stand-ins for the labels and quotes extractors' output, for testing the extractors that read
them (sentiment, stance) on spans written by hand: only the attributes those extractors use."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Mention:
    entity: str
    start: int
    end: int
    surface: str = ""
    label: str = ""


@dataclass(frozen=True)
class Quote:
    kind: str
    start: int
    end: int
    speaker: str = ""
    speaker_start: int = -1
    speaker_end: int = -1
