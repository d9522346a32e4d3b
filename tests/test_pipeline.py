"""The pipeline: same tables whatever the number of workers or the engine; reports/ regenerates."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import REPO, SEEDS

import framing


@pytest.fixture(scope="module")
def seeds_analysis():
    return framing.analyze(SEEDS, stats=framing.StatsOptions(bootstrap=200))


def _frames_equal(a: framing.Analysis, b: framing.Analysis) -> None:
    assert a.names == b.names
    for name in a.names:
        pd.testing.assert_frame_equal(a.table(name), b.table(name), check_exact=True, obj=name)


def test_every_input_record_appears_with_a_status(seeds_analysis):
    arts = seeds_analysis.articles
    assert list(arts["id"]) == ["000_906a3f6f6af02cb7", "002_a6142d977f266a8d"]
    assert set(arts["status"]) == {"ok"}
    assert (arts["n_words"] > 250).all()


def test_mention_and_quote_offsets_give_their_text(seeds_analysis, seed_articles):
    for row in seeds_analysis.mentions.itertuples():
        assert seed_articles[row.article_id].text[row.start:row.end] == row.surface
    for row in seeds_analysis.quotes.itertuples():
        assert seed_articles[row.article_id].text[row.start:row.end] == row.content


def test_two_processes_give_the_same_tables_as_one(seeds_analysis):
    two = framing.analyze(SEEDS, stats=framing.StatsOptions(bootstrap=200), jobs=2, batch_size=1)
    _frames_equal(seeds_analysis, two)


def test_dask_engine_gives_the_same_tables(seeds_analysis):
    pytest.importorskip("distributed")
    on_dask = framing.analyze(SEEDS, stats=framing.StatsOptions(bootstrap=200), engine="dask", jobs=1, batch_size=1)
    _frames_equal(seeds_analysis, on_dask)


def test_committed_reports_regenerate_byte_for_byte(tmp_path):
    reports = REPO / "reports"
    if not (reports / "manifest.json").is_file():
        pytest.skip("reports/ has not been generated yet (make analyze)")
    framing.analyze(SEEDS, stats=framing.StatsOptions(bootstrap=1000)).export(tmp_path)
    committed = sorted(p.name for p in reports.iterdir() if p.suffix in {".csv", ".md", ".tex"})
    assert committed
    for name in committed:
        assert (reports / name).read_bytes() == (tmp_path / name).read_bytes(), name


def test_parquet_output_holds_the_same_rows_as_csv(seeds_analysis, tmp_path):
    seeds_analysis.export(tmp_path / "pq", formats=("parquet",), figures=False)
    seeds_analysis.export(tmp_path / "csv", formats=("csv",), figures=False)
    for name in ("articles", "mentions", "quotes", "stance"):
        a = pd.read_parquet(tmp_path / "pq" / f"{name}.parquet")
        b = pd.read_csv(tmp_path / "csv" / f"{name}.csv", keep_default_na=False)
        assert len(a) == len(b) and list(a.columns) == list(b.columns), name


def test_export_in_two_processes_writes_the_same_files_as_one(seeds_analysis, tmp_path):
    formats = ("csv", "parquet", "md", "tex")
    one = seeds_analysis.export(tmp_path / "one", audit=False, jobs=1, formats=formats)
    two = seeds_analysis.export(tmp_path / "two", audit=False, jobs=2, formats=formats)
    assert [p.name for p in one] == [p.name for p in two]
    assert {"mentions.parquet", "figure_comparisons.png"} <= {p.name for p in two}
    for path in one:
        if path.suffix != ".parquet":
            assert path.read_bytes() == (tmp_path / "two" / path.name).read_bytes(), path.name
        if path.suffix == ".parquet":
            pd.testing.assert_frame_equal(pd.read_parquet(path), pd.read_parquet(tmp_path / "two" / path.name))
