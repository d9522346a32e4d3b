"""Stata and SPSS files: every seed table reads back (pandas.read_stata, pyreadstat.read_sav) equal to its CSV."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pyreadstat
import pytest
from conftest import SEEDS

import framing
from framing.output.export import neutralize_formula
from framing.output.statfiles import CODEBOOK, legal_names, write_stat_files
from framing.tables import TABLES, column_label


@pytest.fixture(scope="module")
def seeds_out(tmp_path_factory):
    out = tmp_path_factory.mktemp("stat")
    result = framing.analyze(SEEDS, stats=framing.StatsOptions(bootstrap=50))
    result.export(out, formats=("csv", "dta", "sav"), figures=False)
    return result, out


def _csv_value(value: str, kind: str):
    if kind == "string":
        return value
    if value == "":
        return math.nan
    if value in ("True", "False"):
        return float(value == "True")
    return float(value)


def _assert_equal_to_csv(name: str, frame: pd.DataFrame, out, codebook: pd.DataFrame) -> None:
    csv = pd.read_csv(out / f"{name}.csv", dtype=str, keep_default_na=False)
    rows = codebook[codebook["table"] == name]
    assert list(frame.columns) == rows["variable"].tolist(), name
    assert list(csv.columns) == rows["column"].tolist(), name
    assert len(frame) == len(csv), name
    for variable, column, kind in rows[["variable", "column", "type"]].itertuples(index=False):
        expected = [_csv_value(v, kind) for v in csv[column]]
        got = frame[variable].tolist()
        if kind == "string":
            got = [neutralize_formula("" if v is None or (isinstance(v, float) and math.isnan(v)) else v) for v in got]
            assert got == expected, (name, column)
        else:
            np.testing.assert_array_equal(np.asarray(got, dtype=float), np.asarray(expected, dtype=float),
                                          err_msg=f"{name}.{column}")


def test_every_seed_table_reads_back_equal_to_its_csv(seeds_out):
    result, out = seeds_out
    codebook = pd.read_csv(out / CODEBOOK, keep_default_na=False)
    assert set(codebook["table"]) == set(result.names)
    for name in result.names:
        _assert_equal_to_csv(name, pd.read_stata(out / f"{name}.dta"), out, codebook)
        sav, _ = pyreadstat.read_sav(out / f"{name}.sav")
        _assert_equal_to_csv(name, sav, out, codebook)


def test_variable_labels_come_from_the_table_contract(seeds_out):
    _, out = seeds_out
    _, meta = pyreadstat.read_dta(out / "mentions.dta", metadataonly=True)
    assert meta.column_names_to_labels["start"] == column_label("mentions", "start")
    assert meta.column_names_to_labels["end_"] == "End offset in the original text (exclusive)"
    _, meta = pyreadstat.read_sav(out / "quotes.sav", metadataonly=True)
    assert meta.column_names_to_labels["speaker"] == "Speaker (resolved name)"
    reader = pd.io.stata.StataReader(out / "articles.dta")
    with reader:
        labels = reader.variable_labels()
    assert labels["html_sha256"] == "SHA-256 of the raw HTML page"
    feature = next(c for c in labels if c.startswith("sentiment_"))
    assert "(sentiment)" in labels[feature]


def test_legal_names():
    names = legal_names(["sentiment.mean_compound", "end", "_n", "1st", "with", "a" * 40, "a" * 40 + "b",
                         "quotes.share.kurdistan_regional_government", "Start", "start"])
    assert names[:5] == ["sentiment_mean_compound", "end_", "v_n", "v1st", "with_"]
    assert names[5] == "a" * 32 and names[6] == "a" * 30 + "_2"
    assert all(len(n) <= 32 and n[0].isalpha() for n in names)
    assert len({n.lower() for n in names}) == len(names)  # unique for SPSS too
    assert names[-2:] == ["Start", "start_2"]


def test_long_strings_unicode_missing_values_and_datetimes(tmp_path):
    long = "Damascus » " + "x" * 3000 + " — “quoted”"
    df = pd.DataFrame({
        "text": [long, "Türkiye", None],
        "n": pd.array([1, None, 3], dtype="Int64"),
        "flag": [True, False, True],
        "when": pd.to_datetime(["2022-10-19", None, "2023-01-02"]),
    }, index=[7, 3, 9])  # a filtered table keeps its index: written row for row all the same
    write_stat_files([("removed", df)], tmp_path)
    for frame in (pd.read_stata(tmp_path / "removed.dta"), pyreadstat.read_sav(tmp_path / "removed.sav")[0]):
        assert frame["text"].tolist() == [long, "Türkiye", ""]
        assert frame["n"].tolist()[0::2] == [1.0, 3.0] and math.isnan(frame["n"][1])
        assert frame["flag"].tolist() == [1, 0, 1]
        assert frame["when"].tolist() == ["2022-10-19T00:00:00", "", "2023-01-02T00:00:00"]  # never 1970


def test_every_contract_column_has_a_label():
    for table in TABLES.values():
        for col in table.columns:
            assert column_label(table.name, col) != col, (table.name, col)
