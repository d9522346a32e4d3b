"""Agreement with hand coding (framing.stats.agreement, ``framing agree``) on sheets built by hand."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import krippendorff
import numpy as np
import pandas as pd
import pytest

from framing.cli import main
from framing.stats.agreement import AgreementError, agreement_tables, bootstrap_alpha, read_key, read_sheets

ART = "000_906a3f6f6af02cb7"


def _unit(i: int, table: str = "mentions") -> str:
    return f"{table}:{ART}:{10 * i}:{10 * i + 5}"


def _sheet(path: Path, variable: str, codes: list[str], *, coder: str = "", table: str = "mentions") -> Path:
    frame = pd.DataFrame({"unit_id": [_unit(i, table) for i in range(len(codes))], f"code_{variable}": codes,
                          "coder": coder})
    frame.to_csv(path, index=False)
    return path


def _key(path: Path, variable: str, values: list[str], *, table: str = "mentions") -> Path:
    pd.DataFrame({"unit_id": [_unit(i, table) for i in range(len(values))], "variable": variable,
                  "value": values}).to_csv(path, index=False)
    return path


def test_two_coders_give_the_alpha_worked_out_by_hand(tmp_path):
    # 10 units, two coders; they differ on units 6 and 8. Coincidences: o_aa = 2*5 = 10,
    # o_bb = 2*3 = 6, o_ab = o_ba = 2; n = 20, n_a = 12, n_b = 8.
    # Do = 4/20, De = 2*12*8/(20*19), alpha = 1 - Do/De = 1 - 76/192 = 29/48.
    a = list("aabbaabbaa")
    b = list("aabbabbaaa")
    sheets = read_sheets([_sheet(tmp_path / "a.csv", "label", a, coder="A"),
                          _sheet(tmp_path / "b.csv", "label", b, coder="B")])
    row = agreement_tables(sheets, B=200)["agreement"].iloc[0]
    assert row["comparison"] == "coders (A, B)" and row["n_units"] == 10
    assert row["alpha"] == pytest.approx(29 / 48, abs=1e-12)
    assert row["percent_agreement"] == pytest.approx(0.8)
    assert row["ci_low"] <= row["alpha"] <= row["ci_high"]


def test_a_sheet_copying_the_tool_gives_alpha_one(tmp_path, capsys):
    values = ["militant", "none", "regime", "none", "militant", "government", "none", "none"]
    key = _key(tmp_path / "key.csv", "label", values)
    sheet = _sheet(tmp_path / "copy.csv", "label", [v.upper() for v in values])  # case does not matter
    assert main(["agree", str(sheet), "--key", str(key), "--out", str(tmp_path / "out"), "--bootstrap", "100"]) == 0
    table = pd.read_csv(tmp_path / "out" / "agreement.csv")
    assert table["alpha"].tolist() == [1.0] and table["comparison"].tolist() == ["copy vs tool"]
    assert table[["ci_low", "ci_high", "percent_agreement"]].iloc[0].tolist() == [1.0, 1.0, 1.0]
    cats = pd.read_csv(tmp_path / "out" / "agreement_categories.csv")
    assert set(cats["f1"]) == {1.0}
    assert (tmp_path / "out" / "agreement.md").is_file() and (tmp_path / "out" / "agreement.tex").is_file()
    assert "| label | copy vs tool | nominal | 8 |" in capsys.readouterr().out


def test_known_disagreements_give_the_alpha_the_package_computes(tmp_path):
    tool = ["negative", "neutral", "neutral", "positive", "neutral", "negative", "positive", "neutral", "neutral"]
    coder = ["negative", "neutral", "positive", "positive", "", "neutral", "positive", "negative", "neutral"]
    key = read_key(_key(tmp_path / "key.csv", "stance", tool, table="stance"))
    sheets = read_sheets([_sheet(tmp_path / "c1.csv", "stance", coder, table="stance")])
    row = agreement_tables(sheets, key, B=300)["agreement"].iloc[0]
    order = {"negative": 0, "neutral": 1, "positive": 2}
    data = np.array([[order[v] if v else np.nan for v in coder], [order[v] for v in tool]], dtype=float)
    expected = krippendorff.alpha(reliability_data=data, level_of_measurement="ordinal", value_domain=[0, 1, 2])
    assert row["level"] == "ordinal" and row["n_units"] == 8  # the uncoded unit is not pairable
    assert row["alpha"] == pytest.approx(expected, abs=1e-12)
    assert row["percent_agreement"] == pytest.approx(5 / 8)
    # the coincidence matrix behind the bootstrap gives the same alpha
    assert bootstrap_alpha(data, 3, ordinal=True, B=10)[0] == pytest.approx(expected, abs=1e-12)
    nominal = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal", value_domain=[0, 1, 2])
    assert nominal != pytest.approx(expected)  # the level matters, and stance is ordinal


def test_precision_recall_and_f1_per_category_take_the_coder_as_reference(tmp_path):
    tool = ["militant", "militant", "none", "none", "militant"]
    coder = ["militant", "none", "none", "none", "terrorist"]
    tables = agreement_tables(read_sheets([_sheet(tmp_path / "c.csv", "label", coder)]),
                              read_key(_key(tmp_path / "k.csv", "label", tool)), B=50)
    cats = tables["agreement_categories"].set_index("category")
    assert cats.loc["militant", ["n_coder", "n_tool", "true_positive"]].tolist() == [1, 3, 1]
    assert cats.loc["militant", "precision"] == pytest.approx(1 / 3)
    assert cats.loc["militant", "recall"] == 1.0 and cats.loc["militant", "f1"] == pytest.approx(0.5)
    assert cats.loc["none", "precision"] == 1.0 and cats.loc["none", "recall"] == pytest.approx(2 / 3)
    assert np.isnan(cats.loc["terrorist", "precision"]) and cats.loc["terrorist", "recall"] == 0.0


def test_the_bootstrap_is_seeded_and_narrows_with_more_units():
    rng = np.random.default_rng(5)
    truth = rng.integers(0, 3, 400)
    noisy = np.where(rng.random(400) < 0.2, rng.integers(0, 3, 400), truth)
    data = np.vstack([truth, noisy]).astype(float)
    a = bootstrap_alpha(data, 3, B=500, seed=1)
    assert a == bootstrap_alpha(data, 3, B=500, seed=1)
    small = bootstrap_alpha(data[:, :40], 3, B=500, seed=1)
    assert a[1] <= a[0] <= a[2]
    assert (a[2] - a[1]) < (small[2] - small[1])


def test_one_value_only_gives_no_alpha_and_says_why(tmp_path):
    sheets = read_sheets([_sheet(tmp_path / "a.csv", "label", ["none"] * 4, coder="A"),
                          _sheet(tmp_path / "b.csv", "label", ["none"] * 4, coder="B")])
    row = agreement_tables(sheets, B=10)["agreement"].iloc[0]
    assert np.isnan(row["alpha"]) and "no variation" in row["note"] and row["percent_agreement"] == 1.0


@pytest.mark.parametrize(("content", "message"), [
    ("code_label\nmilitant\n", r"x\.csv:1: no unit_id column"),
    (f"unit_id,code_label\n{_unit(0)},none\nnot-a-unit,none\n", r"x\.csv:3: unit_id 'not-a-unit'"),
    (f"unit_id,code_stance\n{_unit(0, 'stance')},hostile\n", r"x\.csv:2: stance code 'hostile'"),
    (f"unit_id,code_label\n{_unit(0)},none\n{_unit(0)},militant\n", r"x\.csv:3: coder 'x' codes label .* again \(first at .*x\.csv:2\)"),
    (f"unit_id,label\n{_unit(0)},none\n", r"x\.csv:1: no code_<variable> column"),
    (f"unit_id,code_label\n{_unit(0)},none,extra\n", r"x\.csv:2: more cells than the header"),
])
def test_a_malformed_sheet_is_an_error_at_file_and_line(tmp_path, content, message):
    path = tmp_path / "x.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(AgreementError, match=message):
        read_sheets([path])


def test_a_unit_missing_from_the_key_is_an_error_at_the_sheets_line(tmp_path, capsys):
    key = _key(tmp_path / "key.csv", "label", ["none"])
    sheet = _sheet(tmp_path / "s.csv", "label", ["none", "militant"])
    with pytest.raises(AgreementError, match=r"s\.csv:3: label of .* is not in the key"):
        agreement_tables(read_sheets([sheet]), read_key(key))
    with contextlib.redirect_stderr(io.StringIO()) as err:
        assert main(["agree", str(sheet), "--key", str(key)]) == 2
    assert "s.csv:3:" in err.getvalue() and "Traceback" not in err.getvalue()
