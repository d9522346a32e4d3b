"""Comparison designs (framing.stats.design): default by number of outlets, chosen pairs, groups."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from framing.stats.compare import REST, comparisons
from framing.stats.design import (
    ACROSS_OUTLETS,
    ALL_PAIRS,
    CHOSEN_PAIRS,
    GROUP_PAIRS,
    GROUP_REST,
    LARGEST_REST,
    ONE_VS_REST,
    PAIRS_MAX,
    REST_MAX,
    DesignError,
    OutletGroupsError,
    choose_design,
    read_outlet_groups,
)


def _names(n):
    return [f"Outlet {i:03d}" for i in range(n)]


def test_few_outlets_get_every_pair_and_each_against_the_rest():
    design = choose_design(_names(PAIRS_MAX))
    kinds = [k for _, _, k in design.contrasts]
    assert design.name == ALL_PAIRS
    assert kinds.count(ALL_PAIRS) == PAIRS_MAX * (PAIRS_MAX - 1) // 2
    assert kinds.count(ONE_VS_REST) == PAIRS_MAX


def test_more_outlets_than_pairs_max_get_one_contrast_each_against_the_rest():
    outlets = _names(REST_MAX)
    design = choose_design(outlets)
    assert design.name == ONE_VS_REST
    assert len(design.contrasts) == REST_MAX
    a, b, _ = design.contrasts[0]
    assert b.name == REST and b.outlets == frozenset(outlets) - a.outlets
    assert design.across_kind == ACROSS_OUTLETS and len(design.across) == REST_MAX


def test_hundreds_of_outlets_compare_the_largest_against_the_rest_and_all_at_once():
    outlets = _names(293)
    sizes = {o: 5 for o in outlets} | {"Outlet 200": 90, "Outlet 017": 40, "Outlet 100": 40}
    design = choose_design(outlets, sizes=sizes)
    assert design.name == LARGEST_REST
    assert len(design.contrasts) == REST_MAX  # not 42,778 pairs, nor 293 contrasts
    names = [a.name for a, _, _ in design.contrasts]
    assert names[:3] == ["Outlet 000", "Outlet 001", "Outlet 002"] and "Outlet 200" in names
    assert {"Outlet 017", "Outlet 100"} <= set(names) and names == sorted(names)  # largest, ties by name
    a, b, kind = design.contrasts[-1]
    assert kind == LARGEST_REST and b.outlets == frozenset(outlets) - a.outlets  # the rest is every other
    assert len(design.across) == 293 and len(design.without_contrast) == 293 - REST_MAX
    facts = design.manifest_facts()
    assert facts["rest_max"] == REST_MAX and facts["without_contrast"]["count"] == 283
    assert choose_design(outlets, rest_max=None).name == ONE_VS_REST
    with pytest.raises(ValueError, match="rest_max"):
        choose_design(outlets, rest_max=0)


def test_chosen_pairs_only_and_unknown_names_refused():
    design = choose_design(_names(50), compare=["Outlet 007", "Outlet 003", "Outlet 010"])
    assert design.name == CHOSEN_PAIRS
    assert [(a.name, b.name) for a, b, _ in design.contrasts] == [
        ("Outlet 003", "Outlet 007"), ("Outlet 003", "Outlet 010"), ("Outlet 007", "Outlet 010")]
    with pytest.raises(DesignError, match="Breitbart"):
        choose_design(_names(5), compare=["Outlet 001", "Breitbart"])


def test_groups_pool_their_outlets_and_ungrouped_outlets_are_listed():
    groups = {o: ("left", "centre", "right")[i % 3] for i, o in enumerate(_names(30))}
    design = choose_design(_names(30) + ["Stray Gazette"], groups=groups)
    assert design.name == GROUP_PAIRS
    assert [k for *_, k in design.contrasts].count(GROUP_REST) == 3
    left = next(a for a, _, _ in design.contrasts if a.name == "left")
    assert len(left.outlets) == 10
    assert design.ungrouped == ("Stray Gazette",)
    assert design.manifest_facts()["ungrouped_outlets"] == ["Stray Gazette"]


def test_outlet_group_file_errors_name_the_file_and_line(tmp_path):
    good = tmp_path / "lean.csv"
    good.write_text("outlet,group\nFox News,right\nHuffPost,left\n", encoding="utf-8")
    mapping, sha = read_outlet_groups(good)
    assert mapping == {"Fox News": "right", "HuffPost": "left"} and len(sha) == 64
    bad = tmp_path / "bad.csv"
    bad.write_text("outlet,group\nFox News,right\nFox News,left\n", encoding="utf-8")
    with pytest.raises(OutletGroupsError, match=r"bad\.csv:3: .*Fox News"):
        read_outlet_groups(bad)
    empty = tmp_path / "empty.csv"
    empty.write_text("outlet,group\nHuffPost,\n", encoding="utf-8")
    with pytest.raises(OutletGroupsError, match=r"empty\.csv:2: empty group"):
        read_outlet_groups(empty)
    with pytest.raises(OutletGroupsError, match="cannot read"):
        read_outlet_groups(tmp_path / "missing.csv")


def _corpus(n_outlets: int, per_outlet: int = 6, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for i, outlet in enumerate(_names(n_outlets)):
        for j in range(per_outlet):
            rows.append({"id": f"{i}-{j}", "outlet": outlet, "story": f"s{j}",
                         "f.x": rng.normal(1.0 if i == 0 else 0.0, 0.5)})
    return pd.DataFrame(rows)


def test_comparisons_say_their_design_and_grow_linearly_with_outlets():
    arts = _corpus(12)
    out = comparisons(arts, pd.DataFrame(), pd.DataFrame(), B=200, seed=0, features=["f.x"], rest_max=12)
    between = out[(out["unit"] == "article") & (out["design"] == ONE_VS_REST)]
    assert set(out["design"]) == {ACROSS_OUTLETS, ONE_VS_REST}
    assert len(between) == 12 and (out["design"] == ACROSS_OUTLETS).sum() == 1
    first = between[between["outlet_a"] == "Outlet 000"].iloc[0]
    assert first["estimate"] > 0.5 and first["ci_low"] > 0  # the planted difference is found


def test_group_comparison_pools_articles_of_the_group():
    arts = _corpus(6)
    groups = {o: ("g1" if i < 3 else "g2") for i, o in enumerate(_names(6))}
    out = comparisons(arts, pd.DataFrame(), pd.DataFrame(), B=200, seed=0, features=["f.x"], groups=groups)
    row = out[out["unit"] == "article"].iloc[0]
    assert (row["outlet_a"], row["outlet_b"], row["design"]) == ("g1", "g2", GROUP_PAIRS)
    assert row["n_a"] == row["n_b"] == 18
    x = arts.loc[arts["outlet"].isin(_names(3)), "f.x"].mean() - arts.loc[~arts["outlet"].isin(_names(3)), "f.x"].mean()
    assert row["estimate"] == pytest.approx(x)


def test_a_side_shares_its_resamples_across_contrasts():
    """The rest of one contrast and the pair rows reuse per-outlet resamples: same seed, same table."""
    arts = _corpus(10)
    first = comparisons(arts, pd.DataFrame(), pd.DataFrame(), B=100, seed=3, features=["f.x"], pairs_max=10)
    again = comparisons(arts, pd.DataFrame(), pd.DataFrame(), B=100, seed=3, features=["f.x"], pairs_max=10)
    pd.testing.assert_frame_equal(first, again)
    assert set(first["design"]) == {ALL_PAIRS, ONE_VS_REST}


def test_group_contrast_with_enough_outlets_also_has_the_outlet_as_unit():
    from framing.stats.outlet_unit import UNIT_OUTLET

    arts = _corpus(12, per_outlet=4)
    arts.loc[arts["outlet"] == "Outlet 001", "f.x"] = np.nan  # an outlet with no value is not a unit
    groups = {o: ("g1" if i < 6 else "g2") for i, o in enumerate(_names(12))}
    out = comparisons(arts, pd.DataFrame(), pd.DataFrame(), B=200, seed=0, features=["f.x"], groups=groups)
    row = out[out["unit"] == UNIT_OUTLET].iloc[0]
    means = arts.groupby("outlet")["f.x"].mean()
    expected = means[[o for o in _names(6) if o != "Outlet 001"]].mean() - means[_names(12)[6:]].mean()
    assert (row["n_a"], row["n_b"], row["articles_a"], row["articles_b"]) == (5, 6, 20, 24)
    assert row["estimate"] == pytest.approx(expected) and row["design"] == GROUP_PAIRS
    assert row["test"].startswith("permutation over outlets") and row["ci_low"] < row["estimate"] < row["ci_high"]
    few = comparisons(arts, pd.DataFrame(), pd.DataFrame(), B=200, seed=0, features=["f.x"],
                      groups={o: ("g1" if i < 3 else "g2") for i, o in enumerate(_names(12))})
    assert (few["unit"] == UNIT_OUTLET).sum() == 0  # 3 outlets in g1: the article stays the only unit


@pytest.mark.parametrize("design", ["pairs", "rest", "groups"])
def test_evicting_every_cached_resample_changes_no_figure(monkeypatch, design):
    """Per-outlet resamples are remade from their own generators: a 1-byte cache gives the same table."""
    import framing.stats.resample as resample

    arts = _corpus(12, per_outlet=4)
    kw = {"pairs": {"pairs_max": 12}, "rest": {"rest_max": 12},
          "groups": {"groups": {o: f"g{i % 3}" for i, o in enumerate(_names(12))}}}[design]
    full = comparisons(arts, pd.DataFrame(), pd.DataFrame(), B=100, seed=1, features=["f.x"], **kw)
    monkeypatch.setattr(resample, "BOOT_CACHE_BYTES", 1)
    tiny = comparisons(arts, pd.DataFrame(), pd.DataFrame(), B=100, seed=1, features=["f.x"], **kw)
    pd.testing.assert_frame_equal(full, tiny)
    assert tiny["ci_low"].notna().sum() >= 6  # intervals were drawn (not a table of NaN)


def test_member_mask_is_np_isin_on_outlet_names():
    from framing.stats.design import member_mask

    names = np.array(["AP", "BBC", "Al Jazeera", "ap", "", "TRT World", "BBC"] * 50)
    for members in [{"BBC"}, {"ap", "", "TRT World"}, set(), {"Nowhere"}, set(names.tolist())]:
        assert (member_mask(names, members) == np.isin(names, list(members))).all()
    assert member_mask(np.array([], dtype=str), {"AP"}).shape == (0,)
