"""Per-article aggregates: reducing the long tables part by part gives what whole tables give."""

import numpy as np
import pandas as pd
import pytest

import framing
from framing.stats.aggregate import Aggregates, label_counts, stance_sums, voice_words


@pytest.fixture(scope="module")
def seed_run(seeds_dir):
    return framing.analyze(seeds_dir, stats=framing.StatsOptions(bootstrap=50), crossdoc=False, progress=False)


def _cut(df: pd.DataFrame, size: int):
    """Parts of ``size`` rows, so articles straddle part boundaries."""
    return [df.iloc[i : i + size] for i in range(0, len(df), size)] or [df]


@pytest.mark.parametrize("size", [1, 7, 50, 10_000])
def test_parts_give_the_same_sums_as_whole_tables(seed_run, size):
    tables = {n: seed_run.table(n) for n in ("mentions", "quotes", "stance")}
    whole = Aggregates.from_tables(tables["mentions"], tables["quotes"], tables["stance"])
    parted = Aggregates.from_parts(lambda name: _cut(tables[name], size))
    for name in ("labels", "variants", "voices", "stance"):
        a, b = getattr(whole, name), getattr(parted, name)
        assert len(a) > 0, name
        pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True), check_dtype=False)


def test_sums_match_the_rows_they_reduce(seed_run):
    stance = seed_run.table("stance")
    sums = stance_sums(stance)
    net = stance["p_pos"] - stance["p_neg"]
    assert sums["n"].sum() == len(stance)
    assert sums["net_sum"].sum() == pytest.approx(net.sum())
    assert sums["net_sq"].sum() == pytest.approx((net**2).sum())
    # own-voice label choices only: quoted, compound and anaphoric mentions are not the outlet's choice
    ments = seed_run.table("mentions")
    own = ments[(ments["label_set"] != "") & (ments["entity"] != "") & ~ments["quoted"].astype(bool)
                & ~ments["compound"].astype(bool) & ~ments["anaphora"].astype(bool)]
    assert label_counts(ments)["n"].sum() == len(own)
    quotes = seed_run.table("quotes")
    speech = quotes[(quotes["kind"] != "scare") & ~quotes["nested"].astype(bool)]  # nested words count once
    words = voice_words(quotes)
    assert words["n_quotes"].sum() == len(speech)
    assert words["n_words"].sum() == pytest.approx(speech["n_words"].sum())


def test_excluded_articles_leave_no_sums(seed_run):
    tables = {n: seed_run.table(n) for n in ("mentions", "quotes", "stance")}
    first = str(seed_run.articles["id"].iat[0])
    parted = Aggregates.from_parts(lambda name: _cut(tables[name], 13), exclude={first})
    for name in ("labels", "voices", "stance"):
        assert first not in set(getattr(parted, name)["article_id"])
    assert len(parted.stance) > 0


def test_missing_table_gives_empty_aggregates_with_headers():
    agg = Aggregates.from_parts(lambda name: None)
    assert list(agg.stance.columns) == ["article_id", "outlet", "entity", "voice", "n", "net_sum", "net_sq"]
    assert len(agg.labels) == len(agg.voices) == len(agg.variants) == 0


def test_pooled_variance_from_sums_equals_the_mention_level_one():
    from framing.stats.clustered import _sum_of_squares

    rng = np.random.default_rng(0)
    net = rng.uniform(-1, 1, 40)
    article = np.repeat(np.arange(8), 5)
    df = pd.DataFrame({"article_id": article.astype(str), "outlet": "A", "entity": "Hamas",
                       "voice": "authorial", "p_pos": np.clip(net, 0, 1), "p_neg": np.clip(-net, 0, 1)})
    sums = stance_sums(df)
    assert _sum_of_squares(sums) == pytest.approx(((net - net.mean()) ** 2).sum())
