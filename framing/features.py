"""The article features as a scikit-learn transformer, to drop into a ``Pipeline``.

>>> from sklearn.pipeline import make_pipeline
>>> from sklearn.linear_model import LogisticRegression
>>> model = make_pipeline(FramingFeatures(extractors=["labels", "sentiment"]), LogisticRegression())

Rows are articles; columns are the ``<family>.<feature>`` numbers that ``articles.csv`` holds,
computed by the same :class:`~framing.pipeline.ArticleProcessor` (so the values are identical).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin

from framing.pipeline import default_config
from framing.record import Article

__all__ = ["FramingFeatures"]


def _as_articles(X: Any) -> list[Article]:
    if isinstance(X, pd.DataFrame):
        if "text" not in X.columns:
            raise ValueError("a DataFrame passed to FramingFeatures needs a 'text' column")
        ids = X["id"].astype(str) if "id" in X.columns else pd.Series(range(len(X))).astype(str)
        outlets = X["outlet"].astype(str) if "outlet" in X.columns else pd.Series([""] * len(X))
        return [Article(id=i, outlet=o, text=str(t)) for i, o, t in zip(ids, outlets, X["text"], strict=True)]
    items = list(X)
    out = []
    for k, item in enumerate(items):
        if isinstance(item, Article):
            out.append(item)
        elif isinstance(item, str):
            out.append(Article(id=str(k), outlet="", text=item))
        else:
            raise TypeError(f"item {k}: expected an Article or a str, got {type(item).__name__}")
    return out


class FramingFeatures(TransformerMixin, BaseEstimator):
    """Turn articles (texts, :class:`~framing.record.Article` records, or a DataFrame with a
    ``text`` column) into the article feature matrix.

    Args:
        extractors: Extractor names (default: all registered).
        lexicons: Lexicon folders extending the shipped lexicon (None: shipped only).

    Attributes:
        feature_names_in_: Not set (inputs are documents, not columns).
        n_features_out_: Number of output columns after ``fit``.
    """

    def __init__(self, extractors: Sequence[str] | None = None, lexicons: Sequence[str] | None = None):
        self.extractors = extractors
        self.lexicons = lexicons

    def _processor(self):
        return default_config(self.lexicons, extractors=self.extractors).build()

    def fit(self, X: Iterable[Any], y: Any = None) -> FramingFeatures:
        """Build the extractors and fix the output columns (no statistics are learned)."""
        self.processor_ = self._processor()
        self.feature_names_out_ = np.array(self.processor_.feature_order(), dtype=object)
        self.n_features_out_ = len(self.feature_names_out_)
        return self

    def transform(self, X: Iterable[Any]) -> np.ndarray:
        """The feature matrix, ``(n_articles, n_features_out_)``, float64 (NaN where undefined)."""
        if not hasattr(self, "processor_"):
            raise ValueError("FramingFeatures is not fitted yet; call fit() first")
        rows = [self.processor_.process(a).row for a in _as_articles(X)]
        names = list(self.feature_names_out_)
        return np.array([[float(r.get(n, np.nan)) for n in names] for r in rows], dtype=float).reshape(len(rows), len(names))

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """Names of the output columns (``<family>.<feature>``)."""
        if not hasattr(self, "feature_names_out_"):
            raise ValueError("FramingFeatures is not fitted yet; call fit() first")
        return self.feature_names_out_.copy()
