"""Coding sheets (framing.output.sheets, ``framing sample``) from a run of the seeds."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from conftest import SEEDS

import framing
from framing.cli import main
from framing.output.sheets import SampleError, _allocate, draw_sample, write_sheets


@pytest.fixture(scope="module")
def seed_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("sheets_run")
    framing.analyze(SEEDS, stats=False, crossdoc=False).export(out, figures=False, audit=False)
    return out


def _read(path):
    return pd.read_csv(path, keep_default_na=False, dtype={"article_id": str})


def test_allocation_is_even_and_moves_what_a_small_outlet_lacks():
    assert _allocate({"a": 50, "b": 50}, 10) == {"a": 5, "b": 5}
    assert _allocate({"a": 2, "b": 100, "c": 100}, 11) == {"a": 2, "b": 5, "c": 4}
    assert _allocate({"a": 2, "b": 3}, 10) == {"a": 2, "b": 3}


def test_sheets_are_stratified_by_outlet_and_hide_the_answers(seed_run, tmp_path, seed_articles):
    paths = write_sheets(seed_run, tmp_path, n=10, seed=3, inputs=[str(SEEDS)])
    assert sorted(p.name for p in paths) == ["key.csv", "sheet_mentions.csv", "sheet_quotes.csv",
                                             "sheet_stance.csv", "sheets.html"]
    key = _read(tmp_path / "key.csv")
    for table, variables in (("mentions", ["entity", "label"]), ("quotes", ["kind", "speaker", "voice"]),
                             ("stance", ["stance"])):
        sheet = _read(tmp_path / f"sheet_{table}.csv")
        assert len(sheet) == 10 and sheet["unit_id"].is_unique
        assert all((sheet[f"code_{v}"] == "").all() for v in variables)  # for the coder
        assert not {"label", "speaker", "voice", "outlet", "value"} & set(sheet.columns)
        mine = key[key["table"] == table]
        assert mine.groupby("outlet")["unit_id"].nunique().tolist() == [5, 5]
        assert sorted(set(mine["variable"])) == sorted(variables)
        for r in sheet.itertuples():
            text = seed_articles[r.article_id].text
            assert r.unit_id == f"{table}:{r.article_id}:{r.start}:{r.end}"
            assert r.span == re.sub(r"\s+", " ", text[r.start:r.end]).strip()
            squashed = re.sub(r"\s+", " ", text[r.start:r.end])
            assert f"[[{squashed}]]" in r.context
    # the key holds the tool's answers, "none" for an empty one
    mentions = _read(seed_run / "mentions.csv")
    row = key[(key["table"] == "mentions") & (key["variable"] == "label")].iloc[0]
    tool = mentions[(mentions["article_id"] == row["article_id"]) & (mentions["start"] == row["start"])].iloc[0]
    assert row["value"] == (tool["label"] or "none")
    page = (tmp_path / "sheets.html").read_text(encoding="utf-8")
    assert all(f'id="{u}"' in page for u in key["unit_id"].unique())


def test_the_sample_is_reproducible_from_the_seed(seed_run, tmp_path):
    for name, seed in (("a", 7), ("b", 7), ("c", 8)):
        write_sheets(seed_run, tmp_path / name, n=6, seed=seed, inputs=[str(SEEDS)])
    for f in ("sheet_mentions.csv", "sheet_quotes.csv", "sheet_stance.csv", "key.csv", "sheets.html"):
        assert (tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes()
    assert (tmp_path / "a" / "key.csv").read_bytes() != (tmp_path / "c" / "key.csv").read_bytes()


def test_the_inputs_come_from_the_runs_manifest(tmp_path, monkeypatch, repo_root):
    # reports/ was written by `make analyze` in the repository: its manifest names seeds/ relatively
    reports = repo_root / "reports"
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SampleError, match="input seeds is not found from"):
        write_sheets(reports, tmp_path / "x", n=2)
    monkeypatch.chdir(repo_root)
    assert len(write_sheets(reports, tmp_path / "y", n=2)) == 5


def test_sample_then_agree_on_a_copy_of_the_key_gives_alpha_one(seed_run, tmp_path, capsys):
    sheets = tmp_path / "sheets"
    assert main(["sample", str(seed_run), "--n", "12", "--out", str(sheets), "--seed", "1",
                 "--inputs", str(SEEDS)]) == 0
    key = _read(sheets / "key.csv")
    filled = []
    for table in ("mentions", "quotes", "stance"):
        sheet = _read(sheets / f"sheet_{table}.csv")
        for col in [c for c in sheet.columns if c.startswith("code_")]:
            answers = key[key["variable"] == col[5:]].set_index("unit_id")["value"]
            sheet[col] = sheet["unit_id"].map(answers)
        sheet["coder"] = "me"
        sheet.to_csv(tmp_path / f"me_{table}.csv", index=False)
        filled.append(str(tmp_path / f"me_{table}.csv"))
    capsys.readouterr()
    assert main(["agree", *filled, "--key", str(sheets / "key.csv"), "--out", str(tmp_path / "rel"),
                 "--bootstrap", "50"]) == 0
    table = pd.read_csv(tmp_path / "rel" / "agreement.csv", keep_default_na=False)
    defined = table[table["alpha"] != ""]
    assert len(defined) >= 4 and set(defined["alpha"].astype(float)) == {1.0}
    assert set(table["percent_agreement"].astype(float)) == {1.0}


def test_draw_sample_keys_units_by_table_article_and_offsets():
    df = pd.DataFrame({"article_id": ["a", "a", "b"], "outlet": ["X", "X", "Y"], "start": [0, 0, 3],
                       "end": [4, 4, 9], "entity": ["Hamas"] * 3, "label": ["", "", "militant"]})
    out = draw_sample({"mentions": df}, 5, seed=0)
    assert sorted(out["unit_id"]) == ["mentions:a:0:4", "mentions:b:3:9"]  # one unit per key
