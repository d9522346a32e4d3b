"""The labels extractor: the ``mentions`` table and label-choice features.

Which descriptor each entity mention carries is decided by the rules of
:mod:`framing.extract.attachment`; this module marks quoted mentions and counts.

Quoted words are the source's, not the outlet's: mentions inside the content of a *direct* quote
found by the ``quotes`` extractor have ``quoted=True`` and are left out of the label counts
(``<set>.quoted`` counts them). Without the quotes extractor nothing is marked quoted.

Article features (``labels.`` prefix added by the pipeline), for every label set in lexicon order:
``<set>.<label>`` descriptor uses on named targets, ``<set>.none`` named target mentions with no
descriptor, ``<set>.anaphora``, ``<set>.compound``, ``<set>.quoted``, ``<set>.labelled_share``
(labelled / named target mentions; NaN when there are none), ``<set>.per_1k_words``
(descriptor uses, named or anaphoric, per 1,000 words of kept paragraphs), and
``<set>.labelled_share.<entity>`` per target; plus ``n_mentions`` (entity mentions).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import ClassVar

from framing.extract.attachment import MENTION_COLUMNS, LabelUse, Mention, find_mentions
from framing.extract.base import Extractor, ExtractorOutput, upstream_data
from framing.lexicon.load import Lexicon, slug
from framing.text.segment import WORD_RE, Document

__all__ = ["LabelsExtractor", "Mention", "LabelUse", "MENTION_COLUMNS", "find_mentions"]


class LabelsExtractor(Extractor):
    """Mentions table and label-choice features (see the module docstring).

    Args:
        lexicon: The loaded lexicon (:func:`framing.lexicon.load_lexicon`); the processor passes it.
    """

    name: ClassVar[str] = "labels"
    requires: ClassVar[tuple[str, ...]] = ("quotes",)
    tables: ClassVar[tuple[str, ...]] = ("mentions",)
    columns: ClassVar[Mapping[str, tuple[str, ...]]] = {"mentions": MENTION_COLUMNS}

    def __init__(self, *, lexicon: Lexicon):
        if lexicon is None:
            raise TypeError("LabelsExtractor needs a lexicon: LabelsExtractor(lexicon=framing.load_lexicon())")
        self.lexicon = lexicon
        self._names: tuple[str, ...] | None = None
        self._share_names = {(s.name, t): f"{s.name}.labelled_share.{slug(t)}"
                             for s in self.lexicon.label_sets.values() for t in s.targets}

    def __repr__(self) -> str:
        return f"LabelsExtractor(lexicon={self.lexicon!r})"

    def feature_names(self) -> tuple[str, ...]:
        """Every feature, in a fixed order given by the lexicon (same for every article)."""
        if self._names is None:
            names = ["n_mentions"]
            for s in self.lexicon.label_sets.values():
                names += [f"{s.name}.{label}" for label in s.labels]
                names += [f"{s.name}.{x}" for x in ("none", "anaphora", "compound", "quoted", "labelled_share", "per_1k_words")]
                names += [self._share_names[s.name, t] for t in s.targets]
            self._names = tuple(names)
        return self._names

    def extract(self, doc: Document, upstream: Mapping[str, ExtractorOutput]) -> ExtractorOutput:
        """Mentions of one document, its ``mentions`` rows and its label features."""
        direct = [(q.start, q.end) for q in upstream_data(upstream, "quotes") if q.kind == "direct"]
        spans = doc.sentences or doc.paragraphs
        mentions = find_mentions(doc.text, spans, self.lexicon, quoted=direct, norm=doc.norm,
                                 paragraphs=doc.paragraphs)
        n_words = sum(len(WORD_RE.findall(doc.norm, a, b)) for a, b in doc.paragraphs)
        return ExtractorOutput(
            features=self.features(mentions, n_words),
            tables={"mentions": [m.row() for m in mentions]},
            data=mentions,
        )

    def features(self, mentions: Sequence[Mention], n_words: int) -> dict[str, float]:
        """Article features from one article's mentions (``n_words``: words of kept text)."""
        f: dict[str, float] = {name: 0.0 for name in self.feature_names()}
        f["n_mentions"] = float(sum(1 for m in mentions if m.entity and not m.compound and not m.anaphora))
        per_target: dict[tuple[str, str], list[int]] = {}
        for m in mentions:
            if not m.label_set:
                continue
            key = m.label_set
            if m.quoted:
                f[f"{key}.quoted"] += 1
                continue
            if m.compound:
                f[f"{key}.compound"] += 1
                continue
            uses = ([m.label] if m.label else []) + [u.label for u in m.extra]
            for label in uses:
                f[f"{key}.{label}"] = f.get(f"{key}.{label}", 0.0) + (0 if m.anaphora else 1)
                f[f"{key}.per_1k_words"] += 1
            if m.anaphora:
                f[f"{key}.anaphora"] += 1
                continue
            counts = per_target.setdefault((key, m.entity), [0, 0])
            counts[0] += bool(m.label)
            counts[1] += 1
            if not m.label:
                f[f"{key}.none"] += 1
        for s in self.lexicon.label_sets.values():
            f[f"{s.name}.per_1k_words"] = 1000.0 * f[f"{s.name}.per_1k_words"] / n_words if n_words else math.nan
            labelled = sum(c[0] for (k, _), c in per_target.items() if k == s.name)
            total = sum(c[1] for (k, _), c in per_target.items() if k == s.name)
            f[f"{s.name}.labelled_share"] = labelled / total if total else math.nan
            for t in s.targets:
                c = per_target.get((s.name, t))
                f[self._share_names[s.name, t]] = c[0] / c[1] if c else math.nan
        return f
