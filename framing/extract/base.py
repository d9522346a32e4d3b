"""The one small protocol every extractor follows.

An extractor is built once (per worker) with its options and the lexicon, then called once per
document. It returns an :class:`ExtractorOutput`: article features (the pipeline prefixes them with
the extractor's ``name``), rows for long tables (the pipeline adds ``article_id`` and ``outlet``),
and optional in-memory ``data`` for extractors that declare it in ``requires``.
Extractors never read files, print, round, or mutate the document.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Mapping

if TYPE_CHECKING:  # pragma: no cover
    from framing.text.segment import Document

__all__ = ["Extractor", "ExtractorOutput"]


@dataclass
class ExtractorOutput:
    """What one extractor returns for one document.

    Attributes:
        features: Article-level numbers keyed by feature name (without the family prefix).
        tables: Table name -> list of row dicts (without ``article_id``/``outlet``).
        data: Python objects for downstream extractors (e.g. the quote spans).
    """

    features: dict[str, float] = field(default_factory=dict)
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    data: Any = None


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

    def extract(self, doc: "Document", upstream: Mapping[str, ExtractorOutput]) -> ExtractorOutput:
        """Return features and rows for one document."""
        raise NotImplementedError

    def feature_names(self) -> tuple[str, ...]:
        """Feature names (without prefix) this extractor always emits, in order; may be empty
        when the set depends on the lexicon and is only known after extraction."""
        return ()
