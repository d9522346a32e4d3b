"""Across-outlet rows (framing.stats.omnibus): Kruskal-Wallis over articles, outlets as groups."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import kruskal

from framing.stats.compare import comparisons
from framing.stats.design import ACROSS_OUTLETS, EVERY_OUTLET, LARGEST_REST
from framing.stats.omnibus import kruskal_wallis


def test_kruskal_wallis_matches_scipy_with_ties():
    rng = np.random.default_rng(3)
    values = rng.integers(0, 6, size=90).astype(float)  # many ties
    groups = rng.integers(0, 7, size=90)
    h, df, p = kruskal_wallis(values, groups)
    expected = kruskal(*[values[groups == g] for g in range(7)])
    assert df == 6
    assert h == pytest.approx(expected.statistic) and p == pytest.approx(expected.pvalue)
    assert np.isnan(kruskal_wallis(np.ones(10), np.arange(10) % 2)[0])  # no variation
    assert np.isnan(kruskal_wallis(np.arange(5.0), np.zeros(5, int))[2])  # one group


def _corpus(k: int = 30, per: int = 4):
    """``k`` outlets of ``per`` articles; outlet i says "regime" in i of 30 mentions' worth."""
    articles, mentions = [], []
    for i in range(k):
        for j in range(per):
            aid = f"o{i:02d}a{j}"
            articles.append({"id": aid, "outlet": f"Outlet {i:02d}", "story": "", "status": "ok",
                             "sentiment.compound": (i % 3) + 0.1 * j})
            for m in range(3):
                mentions.append({"article_id": aid, "outlet": f"Outlet {i:02d}", "entity": "Syria",
                                 "label_set": "state", "label": "regime" if (i + m) % 4 == 0 else ""})
    return pd.DataFrame(articles), pd.DataFrame(mentions)


def test_many_outlets_get_one_across_row_per_measure_and_ten_contrasts():
    arts, ments = _corpus()
    table = comparisons(arts, ments, pd.DataFrame(), B=99, seed=0)
    across = table[table["design"] == ACROSS_OUTLETS]
    assert list(across["feature"]) == ["sentiment.compound", "labelled share | Syria | state"]
    row = across.iloc[0]
    assert row["outlet_a"] == EVERY_OUTLET and row["n_a"] == 120 and row["n_b"] == 30
    x = arts["sentiment.compound"].to_numpy()
    expected = kruskal(*[x[arts["outlet"] == o] for o in sorted(arts["outlet"].unique())])
    assert row["p"] == pytest.approx(expected.pvalue)
    assert row["effect"] == pytest.approx(expected.statistic / 119) and row["effect_kind"].startswith("epsilon")
    assert np.isnan(row["estimate"]) and "120 articles in 30 outlets" in row["note"]
    assert "each article weighs the same" in across.iloc[1]["note"]
    contrasts = table[table["design"] == LARGEST_REST]
    assert contrasts["outlet_a"].nunique() == 10  # every outlet has 4 articles: the first ten names
    assert list(table["design"].unique()) == [ACROSS_OUTLETS, LARGEST_REST]  # across rows first
    assert table["q"].notna().sum() == table["p"].notna().sum()  # across rows share the FDR family
