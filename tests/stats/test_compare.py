"""Outlet comparisons (framing.stats.compare): planted differences, nulls, FDR, small samples."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from scipy.stats import fisher_exact

from framing.stats.compare import COMPARISON_COLUMNS, REST, UNIT_STORY, cliffs_delta, cohens_h, comparisons
from framing.stats.summaries import summarize

NULLS = [f"null.f{j}" for j in range(10)]


def planted_corpus(seed: int = 7, n_stories: int = 40):
    """40 stories, each covered once by outlets A and B. A calls the Syrian state "regime" in 80% of
    mentions, B in 20% (other mentions: "government" or no label); ten numeric features, no difference."""
    rng = np.random.default_rng(seed)
    arts, ments = [], []
    for s in range(n_stories):
        for outlet, p_regime in (("A", 0.8), ("B", 0.2)):
            aid = f"{outlet}{s:02d}"
            arts.append(
                {
                    "id": aid,
                    "outlet": outlet,
                    "story": f"story-{s:02d}",
                    "status": "ok",
                    "error": "",
                    "n_words": 400,
                    "n_sentences": 20,
                    **{f: rng.normal() for f in NULLS},
                }
            )
            for m in range(int(rng.integers(3, 9))):
                label = "regime" if rng.random() < p_regime else ("government" if rng.random() < 0.5 else "")
                ments.append(
                    {
                        "article_id": aid,
                        "outlet": outlet,
                        "entity": "Syrian state",
                        "surface": "Syria",
                        "variant": "Syria",
                        "label_set": "state",
                        "label": label,
                        "label_surface": label,
                        "start": 10 * m,
                        "end": 10 * m + 5,
                        "label_start": -1,
                        "label_end": -1,
                    }
                )
    return pd.DataFrame(arts), pd.DataFrame(ments)


@pytest.fixture(scope="module")
def planted():
    arts, ments = planted_corpus()
    return comparisons(arts, ments, pd.DataFrame(), B=1000, seed=0)


def _one_article_tables():
    arts = pd.DataFrame(
        [
            {
                "id": "t1",
                "outlet": "TRT World",
                "story": "s",
                "status": "ok",
                "error": "",
                "n_words": 700,
                "n_sentences": 30,
                "sentiment.mean_compound": 0.1,
            },
            {
                "id": "i1",
                "outlet": "The Independent",
                "story": "s",
                "status": "ok",
                "error": "",
                "n_words": 650,
                "n_sentences": 28,
                "sentiment.mean_compound": -0.2,
            },
        ]
    )
    rows = []
    for aid, outlet, n, k in (("t1", "TRT World", 12, 0), ("i1", "The Independent", 17, 3)):
        rows += [
            {
                "article_id": aid,
                "outlet": outlet,
                "entity": "Hamas",
                "surface": "Hamas",
                "variant": "Hamas",
                "label_set": "armed_group",
                "label": "militant" if i < k else "",
                "label_surface": "",
                "start": i,
                "end": i + 1,
                "label_start": -1,
                "label_end": -1,
            }
            for i in range(n)
        ]
    quotes = pd.DataFrame(
        [
            {"article_id": "t1", "outlet": "TRT World", "kind": "direct", "voice": "Hamas", "n_words": 30},
            {
                "article_id": "i1",
                "outlet": "The Independent",
                "kind": "direct",
                "voice": "Hamas",
                "n_words": 20,
            },
            {
                "article_id": "i1",
                "outlet": "The Independent",
                "kind": "indirect",
                "voice": "Israel",
                "n_words": 10,
            },
        ]
    )
    stance = pd.DataFrame(
        [
            {
                "article_id": "t1",
                "outlet": "TRT World",
                "entity": "Hamas",
                "voice": "authorial",
                "p_neg": 0.1,
                "p_pos": 0.2,
            },
            {
                "article_id": "i1",
                "outlet": "The Independent",
                "entity": "Hamas",
                "voice": "authorial",
                "p_neg": 0.6,
                "p_pos": 0.1,
            },
        ]
    )
    return arts, pd.DataFrame(rows), quotes, stance


def test_planted_label_difference_is_found_with_the_right_sign_and_interval(planted):
    row = planted[
        (planted["feature"] == "label share: regime | Syrian state | state") & (planted["unit"] != UNIT_STORY)
    ]
    assert len(row) == 1
    row = row.iloc[0]
    assert (row["outlet_a"], row["outlet_b"]) == ("A", "B")
    assert row["estimate"] > 0 and row["effect"] > 0 and row["effect_kind"] == "Cohen's h"
    assert row["ci_low"] <= 0.6 <= row["ci_high"] and row["ci_low"] > 0.4
    assert row["q"] < 0.01 and row["unit"] == "mention (clustered by article)"
    assert row["articles_a"] == 40 and row["n_a"] > 40  # mentions counted, articles are the clusters


def test_planted_labelling_shows_within_story_too(planted):
    paired = planted[
        (planted["feature"] == "labelled share | Syrian state | state") & (planted["unit"] == UNIT_STORY)
    ]
    assert len(paired) == 1 and paired.iloc[0]["n_a"] == 40
    assert (
        "within story" in paired.iloc[0]["test"]
        and paired.iloc[0]["estimate"] > 0
        and paired.iloc[0]["q"] < 0.05
    )


def test_null_features_are_not_significant_after_fdr(planted):
    nulls = planted[planted["feature"].isin(NULLS)]
    assert len(nulls) == 2 * len(NULLS)  # between outlets and within story
    assert (nulls["q"] >= 0.05).all()
    between = nulls[nulls["unit"] == "article"]
    assert (between["test"] == "Welch t-test (two-sided)").all() and (
        between["effect_kind"] == "Cliff's delta"
    ).all()


def test_q_is_never_below_p_and_unit_and_test_are_always_filled(planted):
    assert tuple(planted.columns) == COMPARISON_COLUMNS
    tested = planted["p"].notna()
    assert tested.all()
    assert (planted.loc[tested, "q"] >= planted.loc[tested, "p"]).all()
    assert (planted["unit"].str.len() > 0).all() and (planted["test"].str.len() > 0).all()


def test_comparisons_are_reproducible_for_a_seed():
    arts, ments = planted_corpus(n_stories=8)
    first = comparisons(arts, ments, pd.DataFrame(), B=200, seed=4)
    pd.testing.assert_frame_equal(first, comparisons(arts, ments, pd.DataFrame(), B=200, seed=4))


def test_one_article_per_outlet_is_descriptive_with_a_mention_level_fisher_test():
    arts, ments, quotes, stance = _one_article_tables()
    tables = {"articles": arts, "mentions": ments, "quotes": quotes, "stance": stance}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = summarize(tables, B=500, seed=0)["comparisons"]
    label = out[out["family"] == "label choice"]
    assert len(label) == 1  # one label used: its share is the labelled share, no duplicate row
    label = label.iloc[0]
    assert label["estimate"] == pytest.approx(0 / 12 - 3 / 17)
    assert label["p"] == pytest.approx(fisher_exact([[0, 12], [3, 14]]).pvalue)
    assert label["test"] == "Fisher exact, two-sided (mention level)"
    assert label["note"].startswith("n = 1 article per outlet:")
    feature = out[out["feature"] == "sentiment.mean_compound"].iloc[0]
    assert feature["estimate"] == pytest.approx(0.3) and feature["test"] == "none (descriptive)"
    assert "n = 1 article per outlet" in feature["note"] and np.isnan(feature["p"])
    for _, row in out.iterrows():  # never a bare NaN
        if row[["estimate", "effect", "ci_low", "ci_high", "p", "q"]].isna().any():
            assert row["note"], row.to_dict()
        assert row["unit"] and row["test"]


def test_clustered_label_test_does_not_treat_repeated_labels_as_independent():
    # labelling is an article-level habit: 3 articles label every mention, 3 never do, 10 mentions each
    rows = []
    for outlet, labelled in (("A", (True, True, False)), ("B", (False, True, False))):
        for i, lab in enumerate(labelled):
            rows += [
                {
                    "article_id": f"{outlet}{i}",
                    "outlet": outlet,
                    "entity": "Hamas",
                    "label_set": "g",
                    "label": "militant" if lab else "",
                }
                for _ in range(10)
            ]
    out = comparisons(pd.DataFrame(), pd.DataFrame(rows), pd.DataFrame(), B=500, seed=0).iloc[0]
    mention_level = fisher_exact([[20, 10], [10, 20]]).pvalue
    assert out["test"].startswith("permutation over articles") and "exact" in out["test"]
    assert out["p"] > 0.5 > mention_level


def test_three_outlets_add_one_vs_rest_rows():
    arts, ments = planted_corpus(n_stories=6)
    c = arts[arts["outlet"] == "B"].assign(outlet="C", id=lambda d: "C" + d["id"])
    arts = pd.concat([arts, c], ignore_index=True)
    out = comparisons(arts, ments, pd.DataFrame(), features=["null.f0"], B=200, seed=0)
    pairs = set(zip(out["outlet_a"], out["outlet_b"], strict=True))
    assert {("A", "B"), ("A", "C"), ("B", "C"), ("A", REST), ("B", REST), ("C", REST)} <= pairs
    rest = out[
        (out["outlet_a"] == "A")
        & (out["outlet_b"] == REST)
        & (out["feature"] == "null.f0")
        & (out["unit"] == "article")
    ].iloc[0]
    assert rest["n_a"] == 6 and rest["n_b"] == 12
    assert out["note"].str.contains("never mentions Syrian state").any()  # C has no mentions


def test_few_shared_stories_give_a_descriptive_within_story_row():
    arts, ments = planted_corpus(n_stories=3)
    out = comparisons(arts, ments, pd.DataFrame(), features=["null.f0"], B=200, seed=0, min_stories=5)
    paired = out[(out["feature"] == "null.f0") & (out["unit"] == UNIT_STORY)].iloc[0]
    assert np.isnan(paired["p"]) and "only 3 shared stories" in paired["note"]


def test_effect_sizes_match_their_definitions():
    assert cliffs_delta(np.array([3.0, 4.0]), np.array([1.0, 2.0])) == 1.0
    assert cliffs_delta(np.array([1.0, 2.0]), np.array([1.0, 2.0])) == 0.0
    assert cohens_h(0.5, 0.5) == 0.0
    assert cohens_h(1.0, 0.0) == pytest.approx(np.pi)


def test_nearly_constant_feature_gets_a_precision_note_not_a_warning_on_stderr():
    arts, ments = planted_corpus(n_stories=12)
    # a readability score that differs only in the 15th digit: the Welch test loses its precision
    arts["null.f0"] = 12.0 + 2e-14 * (np.arange(len(arts)) % 3)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        table = comparisons(arts, ments, pd.DataFrame(), B=200, seed=0)
    row = table[(table["feature"] == "null.f0") & (table["unit"] == "article")].iloc[0]
    assert "precision loss" in row["note"]
