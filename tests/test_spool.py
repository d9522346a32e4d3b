"""The on-disk table spool: parts equal the whole, dtypes stay fixed, CSV identical."""

from __future__ import annotations

import pandas as pd
import pytest

from framing.output.export import export_parts, to_csv
from framing.spool import TableSpool


def rows(n, start=0):
    return [{"article_id": f"a{i}", "entity": "Hamas", "label": "" if i % 3 else "militant",
             "start": i, "end": i + 5, "p": i / 7} for i in range(start, start + n)]


def test_a_spool_folder_it_made_goes_with_the_spool_and_a_given_one_stays(tmp_path):
    spool = TableSpool({"t": ["start"]}, chunk_rows=1)
    spool.add("t", [{"start": 1}, {"start": 2}])
    made = spool.directory
    assert made.is_dir()
    del spool
    assert not made.exists()
    given = TableSpool({"t": ["start"]}, directory=tmp_path, chunk_rows=1)
    given.add("t", [{"start": 1}, {"start": 2}])
    given.cleanup()
    assert tmp_path.is_dir()


def test_parts_stream_to_the_same_csv_as_the_whole_table(tmp_path):
    spool = TableSpool({"mentions": ["article_id", "entity", "label", "start", "end", "p"]}, chunk_rows=4)
    for k in range(5):
        spool.add("mentions", rows(3, 3 * k))
    whole = pd.DataFrame(rows(15))
    to_csv(whole, tmp_path / "whole.csv")
    (tmp_path / "s").mkdir()
    (streamed,) = export_parts("mentions", spool.columns["mentions"], spool.parts("mentions"), tmp_path / "s")
    assert streamed.read_bytes() == (tmp_path / "whole.csv").read_bytes()
    back = spool.read("mentions", columns=["entity", "label"], categories=["entity"])
    assert len(back) == 15 and back["entity"].dtype == "category"
    spool.cleanup()
    assert not spool.directory.exists()


def test_an_empty_table_keeps_its_header(tmp_path):
    spool = TableSpool({"quotes": ["article_id", "kind", "content"]})
    (path,) = export_parts("quotes", spool.columns["quotes"], spool.parts("quotes"), tmp_path)
    assert path.read_text() == "article_id,kind,content\n"
    assert list(spool.read("quotes").columns) == ["article_id", "kind", "content"]


def test_a_missing_integer_offset_is_a_clear_error():
    spool = TableSpool({"t": ["start"]}, chunk_rows=1)
    spool.add("t", [{"start": 3}])
    with pytest.raises(ValueError, match="column 'start' is an integer column"):
        spool.add("t", [{"start": None}])


def test_release_memory_returns_freed_memory_without_touching_live_data():
    from framing.spool import release_memory

    kept = pd.DataFrame({"x": range(1000)})
    garbage = [bytes(1024) for _ in range(10_000)]
    del garbage
    release_memory()
    release_memory()  # idempotent
    assert kept["x"].sum() == 499500
