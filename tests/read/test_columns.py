"""Column mapping: exports with their own column names (Media Cloud, a researcher's CSV) read as records."""

from __future__ import annotations

import csv
import json
import subprocess
import sys

import pandas as pd
import pytest
from conftest import INDEPENDENT, REPO, SEEDS, TRT

from framing.read.columns import check_columns, parse_columns, remap
from framing.read.corpus import InputError, iter_articles, read_articles

HEADER = ["stories_id", "publish_date", "title", "url", "language", "media_id", "media_name", "media_url", "body"]


def _seed_text(name: str) -> str:
    return (SEEDS / f"{name}.txt").read_text(encoding="utf-8")


def _media_cloud_rows() -> list[list[str]]:
    """The two seed articles as a Media Cloud story export with a text column the researcher added."""
    return [
        ["2271848307", "2022-10-19 12:31:00", "Hamas officials visit Syria to resume ties with Assad",
         "https://www.trtworld.com/middle-east/hamas-officials-visit-syria-to-resume-ties-with-assad-61316",
         "en", "339960", "TRT World", "trtworld.com", _seed_text(TRT)],
        ["2271901455", "2022-10-19 15:02:11", "Militant Hamas group back in Damascus after years of tension",
         "https://www.independent.co.uk/news/hamas-ap-damascus-syria-israel-b2206013.html",
         "en", "4442", "The Independent", "independent.co.uk", _seed_text(INDEPENDENT)],
    ]


def _write(path, header, rows, delimiter=","):
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture
def export_csv(tmp_path):
    return _write(tmp_path / "export.csv", HEADER, _media_cloud_rows())


def test_parse_columns():
    assert parse_columns("id=stories_id, outlet=media_name,text=body") == {
        "id": "stories_id", "outlet": "media_name", "text": "body"}
    assert parse_columns({"text": "body"}) == {"text": "body"}
    assert parse_columns(None) == {} and parse_columns("") == {}
    for bad, why in [("id", "field=column"), ("id=", "field=column"), ("colour=x", "unknown field"),
                     ("id=a,id=b", "twice"), ("id=a,story=a", "two fields")]:
        with pytest.raises(ValueError, match=why):
            parse_columns(bad)


def test_remap_keeps_a_replaced_field():
    out = remap({"id": "row-1", "stories_id": "2271848307", "media_name": "TRT World", "body": "x"},
                {"id": "stories_id", "text": "body"})
    assert out == {"id": "2271848307", "id_input": "row-1", "outlet": "TRT World", "text": "x"}
    assert check_columns("e.csv", ["a", "b"], {"text": "body"}) == (
        "e.csv: no column 'body' (for text) named by the column mapping; its columns: a, b")


def test_media_cloud_names_need_only_the_text_column(export_csv):
    arts = read_articles(export_csv, columns="text=body")
    assert [(a.id, a.outlet, a.date, a.status) for a in arts] == [
        ("2271848307", "TRT World", "2022-10-19 12:31:00", "ok"),
        ("2271901455", "The Independent", "2022-10-19 15:02:11", "ok")]
    assert arts[0].text == _seed_text(TRT)
    assert arts[1].url.startswith("https://www.independent.co.uk/")
    assert arts[0].meta["media_url"] == "trtworld.com"


def test_semicolon_and_tab_delimited_exports_are_sniffed(tmp_path):
    rows = _media_cloud_rows()
    for delimiter, name in ((";", "semi.csv"), ("\t", "tab.csv")):
        path = _write(tmp_path / name, ["sid", "source", "when", "body"],
                      [[r[0], r[6], r[1][:10], r[8]] for r in rows], delimiter=delimiter)
        arts = read_articles(path, columns={"id": "sid", "outlet": "source", "date": "when", "text": "body"})
        assert [(a.id, a.outlet, a.date, a.ok) for a in arts] == [
            ("2271848307", "TRT World", "2022-10-19", True), ("2271901455", "The Independent", "2022-10-19", True)]
        assert arts[1].text == _seed_text(INDEPENDENT)


def test_mapping_applies_to_jsonl_and_parquet(tmp_path):
    records = [{"sid": r[0], "source": r[6], "body": r[8]} for r in _media_cloud_rows()]
    jsonl = tmp_path / "export.jsonl"
    jsonl.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    parquet = tmp_path / "export.parquet"
    pd.DataFrame(records).to_parquet(parquet, index=False)
    mapping = "id=sid,outlet=source,text=body"
    a, b = read_articles(jsonl, columns=mapping), read_articles(parquet, columns=mapping)
    assert [(x.id, x.outlet, x.text) for x in a] == [(x.id, x.outlet, x.text) for x in b]
    assert [x.outlet for x in a] == ["TRT World", "The Independent"] and all(x.ok for x in a)


def test_a_missing_mapped_column_is_one_error_naming_file_and_column(export_csv):
    with pytest.raises(InputError) as err:
        read_articles(export_csv, columns="text=story_text")
    message = str(err.value)
    assert "export.csv" in message and "'story_text' (for text)" in message and "body" in message
    with pytest.raises(InputError, match="story_text"):
        iter_articles(export_csv.parent, columns={"text": "story_text"})  # checked at the call, before any record


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "framing.cli", *args], cwd=REPO, capture_output=True,
                          text=True, timeout=600)


def test_cli_analyze_media_cloud_export(export_csv, tmp_path):
    out = tmp_path / "out"
    proc = _cli("analyze", str(export_csv), "--out", str(out), "--columns", "text=body", "--no-figures",
                "--no-align", "--bootstrap", "20", "--jobs", "1")
    assert proc.returncode == 0, proc.stderr
    assert "2 of 2 records analysed" in proc.stderr
    arts = pd.read_csv(out / "articles.csv", dtype=str, keep_default_na=False)
    assert arts[["id", "outlet", "status"]].values.tolist() == [
        ["2271848307", "TRT World", "ok"], ["2271901455", "The Independent", "ok"]]
    mentions = pd.read_csv(out / "mentions.csv", dtype={"article_id": str})
    texts = {"2271848307": _seed_text(TRT), "2271901455": _seed_text(INDEPENDENT)}
    for row in mentions.head(50).itertuples():
        assert texts[row.article_id][row.start:row.end] == row.surface
    assert json.loads((out / "manifest.json").read_text())["parameters"]["columns"] == {"text": "body"}


@pytest.mark.parametrize("mapping, needle", [("text=story_text", "'story_text' (for text)"),
                                             ("txt=body", "unknown field 'txt'")])
def test_cli_wrong_mapping_is_one_line_and_exit_2(export_csv, tmp_path, mapping, needle):
    proc = _cli("analyze", str(export_csv), "--out", str(tmp_path / "out"), "--columns", mapping, "--no-figures")
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and needle in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr
