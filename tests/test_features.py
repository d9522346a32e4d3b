"""FramingFeatures: the article features as a scikit-learn transformer."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import SEEDS
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

import framing

TEXTS = [
    "The militant Hamas group said it would fight on. Officials were angry.",
    "Hamas officials met Assad in Damascus. They called it a glorious day.",
    "The Syrian regime welcomed the Palestinian militants, a spokesman said.",
    "The Syrian government received the delegation. Talks went well.",
]


def test_transformer_gives_the_article_features_in_a_pipeline():
    # NaN marks a feature that is undefined for an article (the labelled share of an entity it
    # never mentions), so an imputer comes before a model that cannot take NaN
    model = make_pipeline(framing.FramingFeatures(extractors=["labels", "sentiment", "readability"]),
                          SimpleImputer(strategy="constant", fill_value=0.0, keep_empty_features=True),
                          LogisticRegression(max_iter=200))
    X = model[0].fit_transform(TEXTS)
    names = model[0].get_feature_names_out()
    assert X.shape == (4, len(names)) and len(names) > 10
    assert "sentiment.mean_compound" in names and "labels.armed_group.militant" in names
    model.fit(TEXTS, [1, 0, 1, 0])
    assert model.predict(TEXTS).shape == (4,)


def test_transformer_values_equal_the_articles_table():
    result = framing.analyze(SEEDS, extractors=["labels", "readability"], stats=False, crossdoc=False)
    from framing.read.corpus import read_articles

    ft = framing.FramingFeatures(extractors=["labels", "readability"]).fit(None)
    X = ft.transform(read_articles(SEEDS))
    table = result.articles[list(ft.get_feature_names_out())].to_numpy(dtype=float)
    np.testing.assert_array_equal(X, table)


def test_transform_before_fit_is_a_clear_error():
    with pytest.raises(ValueError, match="not fitted"):
        framing.FramingFeatures().transform(TEXTS)
