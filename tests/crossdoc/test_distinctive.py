"""Distinctive terms (framing.crossdoc.distinctive): whole-token n-grams, Fightin' Words log-odds."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from framing.crossdoc.distinctive import DISTINCTIVE_COLUMNS, count_ngrams, distinctive_terms, ngrams, tokenize

FILLER = "officials said on monday that talks would continue in the capital"


def _corpus():
    a = [f"{FILLER}. The war dragged on; the war was costly." for _ in range(6)]
    b = [f"{FILLER}. The software update shipped; software engineers cheered." for _ in range(6)]
    return {"B-outlet": b, "A-outlet": a}


def test_terms_match_whole_tokens_never_substrings():
    counts = count_ngrams(["software warehouse wartime war"])
    assert counts["war"] == 1
    assert "war" not in tokenize("software warehouse")
    out = distinctive_terms({"A": ["software software software"], "B": ["war war war"]}, min_count=1)
    a = out[out["outlet"] == "A"].set_index("term")
    assert a.loc["war", "count_outlet"] == 0 and a.loc["war", "count_rest"] == 3


def test_planted_term_has_the_right_sign():
    out = distinctive_terms(_corpus(), min_count=3)
    a = out[out["outlet"] == "A-outlet"].set_index("term")
    assert a.loc["war", "z"] > 2 and a.loc["war", "log_odds"] > 0
    assert a.loc["software", "z"] < -2
    assert out[out["outlet"] == "A-outlet"]["term"].iat[0] in {"war", "the war"}
    assert abs(a.loc["officials", "z"]) < 0.5  # used as often by both outlets


def test_log_odds_follow_monroe_colaresi_quinn():
    texts = {"A": ["x x y"], "B": ["y z"]}
    out = distinctive_terms(texts, ngram_range=(1, 1), prior=1.0, min_count=1)
    # counts A: x2 y1; B: y1 z1; prior a_w = corpus counts: x2 y2 z1, a0 = 5; n_A = 3, n_B = 2
    y_i, y_j, a_w, n_i, n_j, a0 = 2, 0, 2, 3, 2, 5
    delta = math.log((y_i + a_w) / (n_i + a0 - y_i - a_w)) - math.log((y_j + a_w) / (n_j + a0 - y_j - a_w))
    z = delta / math.sqrt(1 / (y_i + a_w) + 1 / (y_j + a_w))
    row = out[(out["outlet"] == "A") & (out["term"] == "x")].iloc[0]
    assert row["log_odds"] == pytest.approx(delta) and row["z"] == pytest.approx(z)


def test_ngrams_do_not_cross_sentence_punctuation():
    assert list(ngrams(tokenize("Syrian regime. Officials met"), (2, 2))) == [
        "syrian regime",
        "officials met",
    ]
    assert tokenize("Al\u2011Assad\u2019s U.S. allies") == ["al-assad", "u.s.", "allies"]


def test_output_is_sorted_and_deterministic_and_accepts_a_table():
    corpus = _corpus()
    table = pd.DataFrame([{"outlet": o, "text": t} for o, texts in corpus.items() for t in texts])
    first = distinctive_terms(table)
    assert tuple(first.columns) == DISTINCTIVE_COLUMNS
    pd.testing.assert_frame_equal(first, distinctive_terms(corpus))
    assert list(first["outlet"].unique()) == ["A-outlet", "B-outlet"]
    for _, group in first.groupby("outlet"):
        assert group["z"].is_monotonic_decreasing
    assert (distinctive_terms(corpus, top=3).groupby("outlet").size() == 3).all()


def test_invalid_input_raises():
    with pytest.raises(ValueError, match="two outlets"):
        distinctive_terms({"A": ["only one outlet"]})
    with pytest.raises(TypeError, match="iterable of strings"):
        distinctive_terms({"A": "a string", "B": ["x"]})
    with pytest.raises(ValueError, match="ngram_range"):
        distinctive_terms(_corpus(), ngram_range=(2, 1))
