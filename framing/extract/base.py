"""The one small protocol every extractor follows, and the helpers for reading upstream output.

An extractor is built once (per worker) by the processor, which hands it the loaded lexicon and
its options; it is then called once per document. It returns an :class:`ExtractorOutput`: article
features (the pipeline prefixes them with the extractor's ``name``), rows for long tables (the
pipeline adds ``article_id`` and ``outlet``), and optional in-memory ``data`` for extractors that
declare it in ``requires``. Extractors never read files, print, round, or mutate the document.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from framing.text.segment import Document
from framing.text.spans import Span

__all__ = [
    "AUTHORIAL_KINDS",
    "QUOTED_KINDS",
    "Extractor",
    "ExtractorOutput",
    "quoted_content",
    "speaker_spans",
    "upstream_data",
]

#: Quote kinds whose content is another voice's words.
QUOTED_KINDS = frozenset({"direct", "indirect", "partial"})
#: Quote kinds that remain the outlet's own words (scare quotes: the outlet chose the word).
AUTHORIAL_KINDS = frozenset({"scare"})


@dataclass
class ExtractorOutput:
    """What one extractor returns for one document.

    Attributes:
        features: Article-level numbers keyed by feature name (without the family prefix).
        tables: Table name -> list of row dicts (without ``article_id``/``outlet``).
        data: Python objects for downstream extractors (e.g. the quote spans).
        warnings: Non-fatal problems of the record (e.g. an unclosed quotation mark); they go to
            the record's ``warnings`` column of ``articles``, not to stderr.
    """

    features: dict[str, float] = field(default_factory=dict)
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    data: Any = None
    warnings: tuple[str, ...] = ()


class Extractor:
    """Base class: subclasses set ``name``, ``requires``, ``tables`` and implement ``extract``.

    Attributes:
        name: Family name; prefixes article features as ``<name>.<feature>``.
        requires: Names of extractors whose output this one reads from ``upstream``.
        tables: Names of the long tables this extractor writes rows to.
        columns: Table name -> column order (so empty tables keep their header).
    """

    name: ClassVar[str] = ""
    requires: ClassVar[tuple[str, ...]] = ()
    tables: ClassVar[tuple[str, ...]] = ()
    columns: ClassVar[Mapping[str, tuple[str, ...]]] = {}

    def extract(self, doc: Document, upstream: Mapping[str, ExtractorOutput]) -> ExtractorOutput:
        """Return features and rows for one document."""
        raise NotImplementedError

    def feature_names(self) -> tuple[str, ...]:
        """Feature names (without prefix) this extractor always emits, in order; may be empty
        when the set depends on the lexicon and is only known after extraction."""
        return ()

    def manifest_facts(self) -> dict[str, Any]:
        """What a run's manifest records of this extractor (JSON-ready); nothing by default."""
        return {}


def upstream_data(upstream: Mapping[str, ExtractorOutput], name: str) -> Sequence[Any]:
    """The ``data`` of the upstream extractor ``name``, or an empty tuple when it did not run."""
    output = upstream.get(name)
    return () if output is None or output.data is None else output.data


def quoted_content(quotes: Sequence[Any]) -> list[Span]:
    """Content spans of the quotes that carry another voice's words (:data:`QUOTED_KINDS`).

    Raises:
        ValueError: A quote of a kind that is neither quoted nor authorial (a new kind must be
            classified here before sentiment and stance can use it).
    """
    spans = []
    for q in quotes:
        if q.kind in QUOTED_KINDS:
            if q.end > q.start:
                spans.append((q.start, q.end))
        elif q.kind not in AUTHORIAL_KINDS:
            known = sorted(QUOTED_KINDS | AUTHORIAL_KINDS)
            raise ValueError(f"quote kind {q.kind!r} at {q.start}-{q.end} not in {known}")
    return spans


def speaker_spans(quotes: Sequence[Any]) -> list[Span]:
    """Speaker spans of every quote that has one."""
    return [(q.speaker_start, q.speaker_end) for q in quotes
            if 0 <= getattr(q, "speaker_start", -1) < getattr(q, "speaker_end", -1)]
