"""Outlet summaries (framing.stats.summaries) and the resampling primitives behind them."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest

from framing.options import StatsOptions
from framing.spool import TableSpool
from framing.stats import resample as rs
from framing.stats.spooled import spooled_statistics
from framing.stats.summaries import (
    LABEL_CHOICES_COLUMNS,
    OUTLET_SUMMARY_COLUMNS,
    STANCE_SUMMARY_COLUMNS,
    VARIANTS_COLUMNS,
    VOICES_COLUMNS,
    label_choices,
    outlet_summary,
    stance_summary,
    summarize,
    variants,
    voices,
)


def _articles(n_per_outlet=(30, 1), seed=1):
    rng = np.random.default_rng(seed)
    rows = []
    for outlet, n in zip(("A", "B"), n_per_outlet, strict=True):
        for i in range(n):
            rows.append(
                {
                    "id": f"{outlet}{i}",
                    "outlet": outlet,
                    "story": "",
                    "status": "ok",
                    "error": "",
                    "n_words": 100,
                    "n_sentences": 5,
                    "sentiment.mean_compound": rng.normal(0.2, 0.3),
                    "readability.grade": rng.normal(10, 2),
                }
            )
    rows.append(
        {
            "id": "bad",
            "outlet": "A",
            "story": "",
            "status": "error",
            "error": "no text",
            "n_words": 0,
            "n_sentences": 0,
            "sentiment.mean_compound": 99.0,
            "readability.grade": 99.0,
        }
    )
    return pd.DataFrame(rows)


def _mentions(spec):
    """spec: list of (article_id, outlet, [labels]) for entity Hamas / armed_group."""
    rows = []
    for aid, outlet, labels in spec:
        for i, lab in enumerate(labels):
            rows.append(
                {
                    "article_id": aid,
                    "outlet": outlet,
                    "entity": "Hamas",
                    "surface": "Hamas",
                    "variant": "Hamas" if i % 2 else "HAMAS",
                    "label_set": "armed_group",
                    "label": lab,
                    "label_surface": lab,
                    "start": i,
                    "end": i + 1,
                    "label_start": -1,
                    "label_end": -1,
                }
            )
    return pd.DataFrame(rows)


def _no_bare_nan(df: pd.DataFrame) -> None:
    numeric = df.select_dtypes("number")
    for i in range(len(df)):
        if numeric.iloc[i].isna().any():
            assert str(df["note"].iat[i]).strip(), f"row {i} has NaN without a note: {df.iloc[i].to_dict()}"


def test_outlet_summary_uses_ok_articles_and_bootstraps_the_mean():
    arts = _articles()
    out = outlet_summary(arts, B=500, seed=3)
    assert tuple(out.columns) == OUTLET_SUMMARY_COLUMNS
    a = out[(out["outlet"] == "A") & (out["feature"] == "sentiment.mean_compound")].iloc[0]
    values = arts[(arts["outlet"] == "A") & (arts["status"] == "ok")]["sentiment.mean_compound"]
    assert a["n"] == 30
    assert a["mean"] == pytest.approx(values.mean())
    assert a["sd"] == pytest.approx(values.std(ddof=1))
    assert a["ci_low"] < a["mean"] < a["ci_high"]
    # the interval is close to the normal-theory one for a mean of 30 values
    half = 1.96 * values.std(ddof=1) / math.sqrt(30)
    assert a["ci_high"] - a["ci_low"] == pytest.approx(2 * half, rel=0.25)


def test_outlet_summary_with_one_article_gives_no_interval_and_says_why():
    out = outlet_summary(_articles(), B=200, seed=0)
    b = out[out["outlet"] == "B"]
    assert (b["n"] == 1).all()
    assert b["ci_low"].isna().all() and b["sd"].isna().all()
    assert b["note"].str.contains("n = 1 article").all()
    _no_bare_nan(out)


def test_outlet_summary_is_reproducible_for_a_seed_and_varies_with_it():
    arts = _articles()
    first, again = outlet_summary(arts, B=300, seed=5), outlet_summary(arts, B=300, seed=5)
    pd.testing.assert_frame_equal(first, again)
    other = outlet_summary(arts, B=300, seed=6)
    assert not np.allclose(first["ci_low"].dropna(), other["ci_low"].dropna())


def test_outlet_summary_counts_missing_values_in_note():
    arts = _articles((5, 5))
    arts.loc[0, "readability.grade"] = np.nan
    out = outlet_summary(arts, features=["readability.grade"], B=100, seed=0)
    row = out[out["outlet"] == "A"].iloc[0]
    assert row["n"] == 4 and "1 of 5 articles have no value" in row["note"]


def test_label_choices_includes_none_and_zero_rows_and_shares_sum_to_one():
    ments = _mentions(
        [
            ("a1", "A", ["militant", "", "militant"]),
            ("a2", "A", ["", ""]),
            ("a3", "A", ["terrorist", "militant"]),
            ("b1", "B", ["", "", "", ""]),
            ("b2", "B", ["militant"]),
        ]
    )
    out = label_choices(ments, B=300, seed=0)
    assert tuple(out.columns) == LABEL_CHOICES_COLUMNS
    assert set(out["label"]) == {"", "militant", "terrorist"}
    b_terror = out[(out["outlet"] == "B") & (out["label"] == "terrorist")].iloc[0]
    assert b_terror["n"] == 0 and b_terror["share"] == 0.0
    for _, group in out.groupby("outlet"):
        assert group["share"].sum() == pytest.approx(1.0)
    a_mil = out[(out["outlet"] == "A") & (out["label"] == "militant")].iloc[0]
    assert a_mil["share"] == pytest.approx(3 / 7) and a_mil["n_articles"] == 3 and a_mil["n_mentions"] == 7
    assert a_mil["ci_low"] <= a_mil["share"] <= a_mil["ci_high"]
    assert a_mil["wilson_low"] < a_mil["share"] < a_mil["wilson_high"]
    assert "too narrow" in a_mil["note"]  # three articles only


def test_label_choices_with_one_article_gives_wilson_interval_only():
    ments = _mentions([("t1", "T", [""] * 12), ("i1", "I", ["militant"] * 3 + [""] * 14)])
    out = label_choices(ments, B=200, seed=0)
    assert out["ci_low"].isna().all()
    assert out["note"].str.contains("n = 1 article").all() and out["note"].str.contains("Wilson").all()
    t_mil = out[(out["outlet"] == "T") & (out["label"] == "militant")].iloc[0]
    assert t_mil["wilson_low"] == 0.0 and t_mil["wilson_high"] == pytest.approx(0.2425, abs=1e-4)


def test_label_choices_skip_mentions_without_a_label_set():
    ments = _mentions([("a1", "A", ["militant"])])
    extra = ments.assign(entity="Syria", label_set="", label="")
    out = label_choices(pd.concat([ments, extra], ignore_index=True), B=50, seed=0)
    assert set(out["entity"]) == {"Hamas"}


def test_variants_are_zero_filled_per_outlet():
    ments = _mentions([("a1", "A", ["", ""]), ("b1", "B", [""])])  # B only uses "HAMAS"
    out = variants(ments)
    assert tuple(out.columns) == VARIANTS_COLUMNS
    b = out[out["outlet"] == "B"].set_index("variant")
    assert b.loc["Hamas", "n"] == 0 and b.loc["HAMAS", "share"] == 1.0


def test_voices_exclude_scare_quotes_and_share_quoted_words():
    quotes = pd.DataFrame(
        [
            {
                "article_id": "a1",
                "outlet": "A",
                "kind": "direct",
                "content": "",
                "speaker": "x",
                "voice": "Hamas",
                "n_words": 30,
            },
            {
                "article_id": "a1",
                "outlet": "A",
                "kind": "scare",
                "content": "",
                "speaker": "",
                "voice": "media",
                "n_words": 2,
            },
            {
                "article_id": "a2",
                "outlet": "A",
                "kind": "indirect",
                "content": "",
                "speaker": "y",
                "voice": "Israel",
                "n_words": 10,
            },
            {
                "article_id": "a3",
                "outlet": "A",
                "kind": "direct",
                "content": "",
                "speaker": "z",
                "voice": "",
                "n_words": 10,
            },
        ]
    )
    out = voices(quotes, B=200, seed=0)
    assert tuple(out.columns) == VOICES_COLUMNS
    assert "media" not in set(out["voice"])
    hamas = out[out["voice"] == "Hamas"].iloc[0]
    assert (
        hamas["n_quotes"] == 1 and hamas["quoted_words"] == 30 and hamas["share_words"] == pytest.approx(0.6)
    )
    assert out["share_words"].sum() == pytest.approx(1.0)
    assert hamas["n_articles"] == 3


def test_stance_summary_reports_net_stance_per_voice_and_all():
    stance = pd.DataFrame(
        [
            {
                "article_id": f"a{i}",
                "outlet": "A",
                "entity": "Hamas",
                "start": 0,
                "end": 1,
                "voice": v,
                "p_neg": pn,
                "p_neu": 1 - pn - pp,
                "p_pos": pp,
                "label": "",
            }
            for i, (v, pn, pp) in enumerate(
                [("authorial", 0.6, 0.1), ("quoted", 0.2, 0.5), ("authorial", 0.4, 0.2)]
            )
        ]
    )
    out = stance_summary(stance, B=200, seed=0)
    assert tuple(out.columns) == STANCE_SUMMARY_COLUMNS
    got = out.set_index("voice")["net_stance"]
    assert got["authorial"] == pytest.approx(-0.35) and got["quoted"] == pytest.approx(0.3)
    assert got["all"] == pytest.approx((-0.5 + 0.3 - 0.2) / 3)
    assert math.isnan(out.set_index("voice").loc["quoted", "ci_low"])
    _no_bare_nan(out)


def test_summarize_gives_headers_for_missing_or_empty_inputs():
    out = summarize({"articles": pd.DataFrame(), "quotes": None}, B=10, seed=0)
    assert set(out) == {
        "outlet_summary",
        "label_choices",
        "variants",
        "voices",
        "comparisons",
        "stance_summary",
    }
    assert all(len(df) == 0 and len(df.columns) > 0 for df in out.values())


def test_summarize_leaves_out_rows_of_articles_that_failed():
    arts = pd.DataFrame(
        [
            {"id": "a1", "outlet": "A", "status": "ok"},
            {"id": "a2", "outlet": "A", "status": "error"},
        ]
    )
    ments = _mentions([("a1", "A", ["militant"]), ("a2", "A", ["", "", ""])])
    out = summarize({"articles": arts, "mentions": ments}, B=10, seed=0)["label_choices"]
    assert out.set_index("label").loc["militant", "share"] == 1.0


def test_bad_options_and_tables_raise_clear_errors():
    with pytest.raises(ValueError, match="B must be"):
        outlet_summary(_articles(), B=0)
    with pytest.raises(ValueError, match="label_set"):
        label_choices(pd.DataFrame({"article_id": ["a"], "outlet": ["A"], "entity": ["E"], "label": [""]}))


def test_summaries_raise_no_warnings_on_degenerate_input():
    ments = _mentions([("a1", "A", [""]), ("a2", "A", [""])])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = label_choices(ments, B=100, seed=0)
        outlet_summary(_articles((2, 1)).assign(**{"readability.grade": 1.0}), B=100, seed=0)
    assert (out["ci_low"] == out["ci_high"]).all()


# ---------------------------------------------------------------- primitives


def test_cluster_bootstrap_of_a_constant_ratio_has_no_spread():
    reps = rs.bootstrap_ratio(
        np.array([1.0, 2.0, 3.0]), np.array([2.0, 4.0, 6.0]), B=50, rng=rs.rng_for(0, "k")
    )
    assert np.allclose(reps, 0.5)


def test_cluster_permutation_is_exact_when_relabellings_fit_in_B():
    num, den = np.array([1.0, 1.0, 0.0, 0.0]), np.ones(4)
    p, exact = rs.cluster_permutation_p(
        num, den, np.array([True, True, False, False]), statistic="diff", B=1000, rng=rs.rng_for(0)
    )
    assert exact and p == pytest.approx(2 / 6)  # the observed split and its mirror


def test_sign_flip_p_is_exact_for_few_pairs():
    p, exact = rs.sign_flip_p(np.array([1.0, 2.0, 3.0]), B=100, rng=rs.rng_for(0))
    assert exact and p == pytest.approx(2 / 8)


def test_bh_qvalues_are_never_below_p_and_keep_nan():
    p = np.array([0.01, np.nan, 0.04, 0.03, 0.5])
    q = rs.bh_qvalues(p)
    assert np.isnan(q[1]) and (q[~np.isnan(p)] >= p[~np.isnan(p)]).all()
    assert q[0] == pytest.approx(0.04)


def test_voices_count_the_words_inside_an_indirect_quote_once(seed_articles, lexicon):
    """TRT: 'he said, terming the meeting with Assad as "historic" and "positive"': the indirect
    row holds 8 words; the two partial rows inside it (nested) are not counted again."""
    from framing.extract.quotes import QuotesExtractor
    from framing.text.segment import build_document

    doc = build_document(seed_articles["000_906a3f6f6af02cb7"], lexicon.boilerplate)
    rows = QuotesExtractor(lexicon).extract(doc, {}).tables["quotes"]
    quotes = pd.DataFrame([{**r, "article_id": doc.article.id, "outlet": "TRT World"} for r in rows])
    by_kind = quotes.groupby("kind")["n_words"].sum().to_dict()
    spoken = sum(r["n_words"] for r in rows if r["kind"] != "scare" and not r["nested"])
    out = voices(quotes, B=50, seed=0).set_index("voice")
    assert out["quoted_words"].sum() == spoken == by_kind["direct"] + by_kind["indirect"]
    # by hand: al-Hayya's rows are 13+13+5+8+13+13+21+21 words; Hamas' two statements 15+11
    assert out.loc["Hamas", "quoted_words"] == 13 + 13 + 5 + 8 + 13 + 13 + 21 + 21 + 15 + 11
    assert out.loc["Hamas", "n_quotes"] == 10


def test_statistics_in_two_worker_processes_give_the_same_tables(tmp_path):
    """jobs=2 computes the comparisons and label choices in one worker, the other summaries in
    another, both reading the spooled parts: the tables of jobs=1, in the same order, and those of
    :func:`summarize` on the whole tables."""
    arts = _articles(n_per_outlet=(12, 9))
    pairs = enumerate(zip(arts["id"], arts["outlet"], strict=True))
    ments = _mentions([(a, o, ["militant", ""][: 1 + i % 2]) for i, (a, o) in pairs])
    spool = TableSpool({"mentions": list(ments.columns)}, directory=tmp_path, chunk_rows=5)
    spool.add_frame("mentions", ments)
    spool.flush()
    options = StatsOptions(bootstrap=100, seed=2)
    here, design_here = spooled_statistics(arts, spool, options, (None, ""), jobs=1)
    there, design_there = spooled_statistics(arts, spool, options, (None, ""), jobs=2)
    assert list(there) == list(here) == ["outlet_summary", "label_choices", "variants", "voices", "comparisons",
                                         "stance_summary"]
    assert design_there == design_here
    whole = summarize({"articles": arts, "mentions": ments}, B=100, seed=2)
    for name in here:
        pd.testing.assert_frame_equal(there[name], here[name])
        pd.testing.assert_frame_equal(here[name], whole[name], check_dtype=False, check_categorical=False)
    assert len(there["comparisons"]) >= 3 and there["comparisons"]["p"].notna().any()
