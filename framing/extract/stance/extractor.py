"""Stance toward each entity mention: target-dependent sentiment of its sentence toward it.

Method: each mention found by the ``labels`` extractor is scored in the sentence that holds it by
:class:`framing.extract.stance.model.StanceModel` (target-centred features; logistic regression, NB-LR and
complement naive Bayes stacked by one calibration; trained on NewsMTSC, Hamborg & Donnay 2021), giving calibrated probabilities that the sentence is
negative, neutral or positive *toward that mention*, unlike sentence-level VADER, which gives
one score to every entity in a sentence.

Voice (from the ``quotes`` extractor): a mention is ``quoted`` when it lies inside the content of
a direct or indirect quote, else ``authorial`` (scare quotes are the outlet's own words). Quote
membership and being a quote's speaker are passed to the model as its ``in_quote`` and
``is_speaker`` cues, replacing its in-sentence heuristics. Without ``quotes`` output every
mention is authorial and the model infers the cues from quotation marks in the sentence.

Article features (prefixed ``stance.``): ``n_mentions`` (mentions scored), ``n_authorial``,
``mean_net`` (mean of ``p_pos - p_neg`` over authorial mentions) and ``share_negative`` (share
of authorial mentions labelled negative); the last two are NaN when there is no authorial
mention, which ``n_authorial == 0`` says.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from framing.extract.base import (
    Extractor,
    ExtractorOutput,
    quoted_content,
    speaker_spans,
    upstream_data,
)
from framing.extract.stance.model import CLASSES, StanceModel
from framing.tables import row_columns
from framing.text.segment import Document
from framing.text.spans import SpanIndex

__all__ = ["StanceExtractor", "COLUMNS"]

log = logging.getLogger(__name__)

#: Columns of the ``stance`` table (the pipeline adds ``article_id`` and ``outlet`` first).
COLUMNS = row_columns("stance")
_FEATURES = ("n_mentions", "n_authorial", "mean_net", "share_negative")



class StanceExtractor(Extractor):
    """Per-mention stance probabilities (table ``stance``) and article summaries.

    Args:
        lexicon: The project lexicon (accepted for the common constructor; entities come from the
            ``labels`` mentions).
        model: A loaded :class:`~framing.extract.stance.model.StanceModel`
            (``StanceModel.load()`` for the shipped one); the processor loads it once per worker.
        include_unresolved: Also score mentions with no entity (anaphoric descriptors such as
            "the militants"); by default they are skipped.
    """

    name: ClassVar[str] = "stance"
    requires: ClassVar[tuple[str, ...]] = ("labels", "quotes")
    tables: ClassVar[tuple[str, ...]] = ("stance",)
    columns: ClassVar[Mapping[str, tuple[str, ...]]] = {"stance": COLUMNS}

    def __init__(self, *, model: StanceModel, lexicon: Any = None, include_unresolved: bool = False) -> None:
        if not isinstance(model, StanceModel):
            raise TypeError(f"StanceExtractor needs a loaded StanceModel (StanceModel.load()), got {model!r}")
        self.lexicon = lexicon
        self.model = model
        self.include_unresolved = include_unresolved
        self.model_ = model

    def __repr__(self) -> str:
        return f"StanceExtractor(model={self.model.source!r})"

    def manifest_facts(self) -> dict[str, Any]:
        """What a run's manifest records of the model: where it came from and its files' hashes."""
        m = self.model_.manifest
        return {
            "model": self.model_.source,
            "files": dict(m.get("files", {})),
            "training_data_sha256": m.get("training", {}).get("data_sha256", ""),
            "cv_macro_f1": m.get("metrics", {}).get("cv_macro_f1"),
        }

    def feature_names(self) -> tuple[str, ...]:
        """Feature names without prefix, in output order."""
        return _FEATURES

    def extract(self, doc: Document, upstream: Mapping[str, ExtractorOutput]) -> ExtractorOutput:
        """Score every mention of ``doc`` in its sentence; see the class docstring."""
        mentions: Sequence[Any] = upstream_data(upstream, "labels")
        quotes = upstream_data(upstream, "quotes")
        content, speakers = SpanIndex(quoted_content(quotes)), SpanIndex(speaker_spans(quotes))
        kept, sentences, spans, in_quote, is_speaker = [], [], [], [], []
        for m in mentions:
            if not m.entity and not self.include_unresolved:
                continue
            k = doc.sentence_index(m.start)
            if k < 0:
                log.debug("mention %r at %d is in no sentence; not scored", m.surface, m.start)
                continue
            s, e = doc.sentences[k]
            end = min(m.end, e)
            if end <= m.start:
                continue
            kept.append(m)
            sentences.append(doc.norm[s:e])
            spans.append((m.start - s, end - s))
            in_quote.append(content.contains(m.start, m.end))
            is_speaker.append(speakers.overlaps(m.start, m.end))
        proba = self.model_.predict_proba(sentences, spans, in_quote=in_quote,
                                          is_speaker=is_speaker)
        rows = []
        for m, quoted, p in zip(kept, in_quote, proba, strict=True):
            rows.append({
                "entity": m.entity, "start": m.start, "end": m.end,
                "voice": "quoted" if quoted else "authorial",
                "p_neg": float(p[0]), "p_neu": float(p[1]), "p_pos": float(p[2]),
                "label": CLASSES[int(p.argmax())],
            })
        authorial = [r for r in rows if r["voice"] == "authorial"]
        n = len(authorial)
        net = math.fsum(r["p_pos"] - r["p_neg"] for r in authorial)
        negative = sum(r["label"] == "negative" for r in authorial)
        features = {
            "n_mentions": float(len(rows)),
            "n_authorial": float(n),
            "mean_net": net / n if n else math.nan,
            "share_negative": negative / n if n else math.nan,
        }
        return ExtractorOutput(features=features, tables={"stance": rows}, data=rows)
