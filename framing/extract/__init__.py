"""Feature extractors, one module per family, all behind :class:`~framing.extract.base.Extractor`.

Extractors are named in :data:`REGISTRY` and imported only when used. ``resolve`` returns them in
an order where every extractor comes after the ones it ``requires``.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable

from framing.extract.base import Extractor, ExtractorOutput

__all__ = ["Extractor", "ExtractorOutput", "REGISTRY", "DEFAULT_EXTRACTORS", "build_extractors"]

#: name -> "module:Class". Each class takes ``lexicon=`` (and keyword-only options).
REGISTRY: dict[str, str] = {
    "labels": "framing.extract.labels:LabelsExtractor",
    "quotes": "framing.extract.quotes:QuotesExtractor",
    "sentiment": "framing.extract.sentiment:SentimentExtractor",
    "readability": "framing.extract.readability:ReadabilityExtractor",
    "stance": "framing.extract.stance.extractor:StanceExtractor",
}
DEFAULT_EXTRACTORS: tuple[str, ...] = tuple(REGISTRY)


def _load(name: str) -> type[Extractor]:
    try:
        target = REGISTRY[name]
    except KeyError:
        raise ValueError(f"unknown extractor {name!r}; known: {', '.join(REGISTRY)}") from None
    module, cls = target.split(":")
    return getattr(importlib.import_module(module), cls)


def build_extractors(names: Iterable[str] | None = None, *, lexicon=None, options=None) -> list[Extractor]:
    """Instantiate extractors, dependencies first.

    Args:
        names: Extractor names (default: all of :data:`DEFAULT_EXTRACTORS`). An extractor whose
            ``requires`` names one that is not selected still runs; it sees no upstream output.
        lexicon: The :class:`framing.lexicon.load.Lexicon` passed to every extractor.
        options: Optional mapping name -> dict of keyword options for that extractor.

    Returns:
        Extractor instances in dependency order.
    """
    names = list(DEFAULT_EXTRACTORS if names is None else names)
    options = options or {}
    classes = {n: _load(n) for n in names}
    order: list[str] = []
    visiting: set[str] = set()

    def visit(n: str) -> None:
        if n in order:
            return
        if n in visiting:
            raise ValueError(f"extractor dependency cycle through {n!r}")
        visiting.add(n)
        for dep in classes[n].requires:
            if dep in classes:
                visit(dep)
        visiting.discard(n)
        order.append(n)

    for n in names:
        visit(n)
    return [classes[n](lexicon=lexicon, **options.get(n, {})) for n in order]
