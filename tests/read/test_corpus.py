"""Readers: every input record becomes exactly one Article, good or bad, with a readable reason."""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path

import pytest

from framing.read.corpus import InputError, decode_bytes, iter_articles, read_articles

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"

LEAD = "Ministers met in the capital on Tuesday to discuss the ceasefire proposal."
BIG_LINE = "The delegation arrived at the border crossing before dawn, officials said.\n"


def _by_id(articles):
    out = {}
    for art in articles:
        out.setdefault(art.id, []).append(art)
    return out


@pytest.fixture(scope="module")
def mixed(tmp_path_factory) -> Path:
    """A folder of .txt files with a manifest, covering each way a file can go wrong."""
    d = tmp_path_factory.mktemp("mixed")
    files = {
        "empty.txt": b"",
        "blank.txt": b"  \n\t\n",
        "binary.txt": b"\x00\x01\x02\x03garbage\x00\xff" * 20,
        "report.txt": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n",
        "latin.txt": "Le caf\u00e9 de la gare a rouvert, a d\u00e9clar\u00e9 le maire."
        .encode("latin-1"),
        "curly.txt": "\u201cWe will not negotiate,\u201d the minister said \u2013 firmly."
        .encode("cp1252"),
        "utf16le.txt": "\ufeffT\u00fcrkiye welcomed the talks, the ministry said."
        .encode("utf-16-le"),
        "utf16be.txt": "\ufeffOfficials in T\u00fcrkiye declined to comment.".encode("utf-16-be"),
        "bom8.txt": ("\ufeff" + "The caf\u00e9 owner said prices rose again.").encode("utf-8"),
        "page.txt": (
            b"<html><head><style>p {color: red}</style><script>var x = 1;</script></head><body>"
            b"<p>Aid trucks entered the city &amp; residents queued.</p>"
            b"<p>The mayor said more would follow.</p></body></html>"
        ),
        "big.txt": (BIG_LINE * (5_000_000 // len(BIG_LINE) + 1)).encode("utf-8"),
        "declared.txt": "Na\u00efve hopes of a swift deal faded.".encode("cp1252"),
        "stray.txt": LEAD.encode("utf-8"),  # not in the manifest
    }
    for name, data in files.items():
        (d / name).write_bytes(data)
    rows = [
        "file,outlet,title,date,story,encoding,desk",
        "empty.txt,Daily Post,Empty,2024-01-02,s1,,world",
        "blank.txt,Daily Post,Blank,2024-01-02,s1,,world",
        "binary.txt,Daily Post,Binary,2024-01-02,s1,,world",
        "report.txt,Daily Post,PDF,2024-01-02,s1,,world",
        "latin.txt,Le Soir,Caf\u00e9,2024-01-03,s2,,europe",
        "curly.txt,Evening Star,Curly,2024-01-03,s2,,politics",
        "utf16le.txt,Evening Star,Turkey,,s3,,world",
        "utf16be.txt,Evening Star,Turkey,,s3,,world",
        "bom8.txt,Evening Star,Prices,,s4,,business",
        "page.txt,Web Desk,Aid,,s5,,world",
        "big.txt,Web Desk,Big,,s6,,world",
        "declared.txt,Le Soir,Declared,,s7,cp1252,europe",
        "gone.txt,Web Desk,Missing,,s8,,world",
    ]
    (d / "manifest.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return d


@pytest.fixture(scope="module")
def mixed_articles(mixed):
    return read_articles(mixed)


@pytest.fixture()
def jsonl(tmp_path) -> Path:
    lines = [
        json.dumps({"id": "a1", "outlet": "Wire", "text": LEAD, "desk": "world", "tags": ["x"]}),
        json.dumps({"id": "a2", "outlet": "Wire", "title": "No body"}),
        "{\"id\": \"a3\", \"outlet\": \"Wire\", \"text\": \"broken",
        "",
        json.dumps(["not", "an", "object"]),
        json.dumps({"id": "a1", "outlet": "Other", "text": "A second story with the same id."}),
        json.dumps({"id": 7, "outlet": "Wire", "text": "Numeric ids are kept as text.",
                    "date": None, "story": float("nan")}),
    ]
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# ----------------------------------------------------------------------------- folder of .txt


def test_every_manifest_row_and_stray_file_appears_exactly_once(mixed_articles):
    ids = [a.id for a in mixed_articles]
    assert ids == [
        "empty", "blank", "binary", "report", "latin", "curly", "utf16le", "utf16be", "bom8",
        "page", "big", "declared", "gone", "stray",
    ]


@pytest.mark.parametrize(
    ("art_id", "needle"),
    [
        ("empty", "empty text"),
        ("blank", "empty text"),
        ("binary", "binary content (NUL bytes"),
        ("report", "binary content (PDF"),
        ("gone", "not found: gone.txt"),
        ("stray", "not listed in manifest.csv"),
    ],
)
def test_bad_files_are_error_records_naming_the_problem(mixed_articles, art_id, needle):
    art = _by_id(mixed_articles)[art_id][0]
    assert art.status == "error"
    assert needle in art.error
    assert art.source.endswith(art_id + ".txt")


def test_unlisted_file_has_no_outlet_and_missing_listed_file_keeps_its_row(mixed_articles):
    arts = _by_id(mixed_articles)
    assert arts["stray"][0].outlet == ""
    assert (arts["gone"][0].outlet, arts["gone"][0].story) == ("Web Desk", "s8")


def test_legacy_encodings_decode_with_a_warning(mixed_articles):
    arts = _by_id(mixed_articles)
    latin, curly = arts["latin"][0], arts["curly"][0]
    assert latin.ok and "caf\u00e9" in latin.text and "d\u00e9clar\u00e9" in latin.text
    # latin-1 and cp1252 agree on accented letters, so the guess is cp1252 for both
    assert any("not valid UTF-8" in w and "legacy encoding" in w for w in latin.warnings)
    assert curly.ok and curly.text.startswith("\u201cWe will") and "\u2013" in curly.text
    assert any("cp1252" in w for w in curly.warnings)


def test_declared_encoding_in_manifest_is_used_and_noted(mixed_articles):
    art = _by_id(mixed_articles)["declared"][0]
    assert art.ok and art.text.startswith("Na\u00efve")
    assert any("declared encoding 'cp1252'" in w for w in art.warnings)
    assert "encoding" not in art.meta


def test_byte_order_marks_select_utf16_and_utf8_without_warnings(mixed_articles):
    arts = _by_id(mixed_articles)
    for art_id in ("utf16le", "utf16be"):
        art = arts[art_id][0]
        assert art.ok and "T\u00fcrkiye" in art.text
        assert not art.text.startswith("\ufeff") and art.warnings == ()
    assert arts["bom8"][0].text.startswith("The caf\u00e9") and arts["bom8"][0].warnings == ()


def test_html_is_stripped_to_paragraphs_and_noted(mixed_articles):
    art = _by_id(mixed_articles)["page"][0]
    assert art.ok
    assert art.text == (
        "Aid trucks entered the city & residents queued.\n\nThe mayor said more would follow."
    )
    assert "html stripped" in art.warnings


def test_large_text_file_reads_whole_and_fast(mixed):
    start = time.perf_counter()
    art = _by_id(read_articles(mixed))["big"][0]
    assert time.perf_counter() - start < 5
    assert art.ok and len(art.text) >= 5_000_000 and art.text.startswith(BIG_LINE)


def test_extra_manifest_columns_go_to_meta(mixed_articles):
    art = _by_id(mixed_articles)["latin"][0]
    assert art.meta == {"desk": "europe"}
    assert (art.outlet, art.title, art.date) == ("Le Soir", "Caf\u00e9", "2024-01-03")
    assert art.story == "s2"


def test_one_log_record_per_legacy_file(mixed, caplog):
    with caplog.at_level(logging.WARNING, logger="framing.read.corpus"):
        read_articles(mixed)
    about = [r.getMessage() for r in caplog.records]
    assert sum("latin.txt" in m for m in about) == 1
    assert sum("curly.txt" in m for m in about) == 1


def test_seeds_read_as_the_published_texts_with_manifest_metadata():
    arts = read_articles(SEEDS)
    assert [a.id for a in arts] == ["000_906a3f6f6af02cb7", "002_a6142d977f266a8d"]
    assert [a.outlet for a in arts] == ["TRT World", "The Independent"]
    assert [a.title for a in arts] == [
        "Hamas officials visit Syria to resume ties with Assad",
        "Militant Hamas group back in Damascus after years of tension",
    ]
    assert [a.date for a in arts] == ["2022-10-19", "2022-10-19"]
    assert all(a.ok and a.story == "hamas-damascus-2022-10" for a in arts)
    assert [len(a.text) for a in arts] == [4006, 3824]  # characters (the files are 4,022 and 3,866 bytes)
    assert all("provenance" not in a.meta for a in arts)


def test_manifest_id_column_overrides_the_file_stem(tmp_path):
    (tmp_path / "one.txt").write_text(LEAD, encoding="utf-8")
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("file,id,outlet\none.txt,story-42,Wire\n", encoding="utf-8")
    (art,) = read_articles(tmp_path)
    assert (art.id, art.status, art.source) == ("story-42", "ok", f"{tmp_path.name}/one.txt")


# --------------------------------------------------------------------------------------- JSONL


def test_jsonl_problems_are_error_records_with_line_numbers(jsonl):
    arts = read_articles(jsonl)
    assert len(arts) == 6  # the blank line is not a record
    first, no_text, broken, not_obj, dup, numeric = arts
    assert first.ok and first.meta == {"desk": "world", "tags": ["x"]}
    assert first.source == f"{jsonl.name}:1"
    assert no_text.status == "error" and "missing required field 'text'" in no_text.error
    assert no_text.title == "No body"
    assert broken.id == "batch.jsonl:3" and broken.outlet == ""
    assert broken.error.startswith("malformed JSON on line 3")
    assert not_obj.id == "batch.jsonl:5" and "not an object (got list)" in not_obj.error
    assert dup.id == "a1" and dup.status == "error" and "duplicate id 'a1'" in dup.error
    assert f"{jsonl.name}:1" in dup.error
    assert numeric.ok and numeric.id == "7" and (numeric.date, numeric.story) == ("", "")


def test_duplicate_ids_are_detected_across_files(jsonl, tmp_path):
    other = tmp_path / "more.jsonl"
    other.write_text(json.dumps({"id": "a1", "outlet": "Wire", "text": LEAD}) + "\n")
    arts = read_articles([jsonl, other])
    assert arts[-1].status == "error" and "duplicate id 'a1'" in arts[-1].error
    assert arts[0].ok


def test_jsonl_line_in_cp1252_is_decoded_with_a_warning(tmp_path):
    path = tmp_path / "legacy.jsonl"
    good = json.dumps({"id": "u", "outlet": "Wire", "text": LEAD}).encode()
    bad = '{"id": "c", "outlet": "Wire", "text": "\u201cNo comment,\u201d he said."}'
    bad = bad.encode("cp1252")
    path.write_bytes(good + b"\n" + bad + b"\n")
    u, c = read_articles(path)
    assert u.ok and u.warnings == ()
    assert c.ok and c.text.startswith("\u201cNo comment")
    assert any("line 2" in w and "cp1252" in w for w in c.warnings)


# ------------------------------------------------------------------------------ CSV and Parquet


def test_csv_without_a_required_column_names_it_on_every_row(tmp_path):
    path = tmp_path / "nocol.csv"
    path.write_text("id,text\nc1,Rain fell.\nc2,Roads closed.\n", encoding="utf-8")
    arts = read_articles(path)
    assert [a.status for a in arts] == ["error", "error"]
    assert all("missing required field 'outlet'" in a.error for a in arts)
    assert [a.source for a in arts] == [f"{path.name}:2", f"{path.name}:3"]


def test_csv_reads_quoted_multiline_text_and_ragged_rows(tmp_path):
    path = tmp_path / "news.csv"
    big = "Long paragraph. " * 20_000  # beyond the csv module's default field limit
    path.write_text(
        'id,outlet,text,section\nm1,Wire,"First line.\n\nSecond paragraph.",world\n'
        f'm2,Wire,"{big}",world\nm3,Wire\n',
        encoding="utf-8-sig",
    )
    m1, m2, m3 = read_articles(path)
    assert m1.ok and m1.text == "First line.\n\nSecond paragraph."
    assert m1.meta == {"section": "world"}
    assert m2.ok and len(m2.text) == len(big) and m2.source == f"{path.name}:5"
    assert m3.status == "error" and "2 fields" in m3.error and m3.id == "news.csv:6"


def test_parquet_is_read_in_batches_with_types_coerced(tmp_path):
    import datetime

    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "small.parquet"
    table = pa.table({
        "id": ["p1", "p2", "p3"],
        "outlet": ["Wire", "Wire", None],
        "text": [LEAD, "", "Text without an outlet."],
        "date": [datetime.date(2024, 5, 1), None, None],
        "words": [12, 0, 4],
    })
    pq.write_table(table, path)
    p1, p2, p3 = read_articles(path, batch_size=1)
    assert p1.ok and p1.date == "2024-05-01" and p1.meta == {"words": 12}
    assert p1.source == f"{path.name}:1"
    assert p2.status == "error" and p2.error == "empty text"
    assert p3.status == "error" and "missing required field 'outlet'" in p3.error
    assert p3.outlet == ""


# ------------------------------------------------------------------------------ inputs, streaming


def test_missing_path_raises_input_error_naming_it(tmp_path):
    missing = tmp_path / "nowhere.jsonl"
    with pytest.raises(InputError, match="nowhere.jsonl"):
        iter_articles([SEEDS, missing])  # raised at call time, before reading the seeds


@pytest.mark.parametrize("name", ["notes.docx", "empty_folder"])
def test_unsupported_inputs_raise_input_error(tmp_path, name):
    path = tmp_path / name
    if name.endswith("folder"):
        path.mkdir()
        (path / "a.txt").write_text(LEAD, encoding="utf-8")
    else:
        path.write_bytes(b"PK\x03\x04")
    with pytest.raises(InputError, match=name):
        read_articles(path)


def test_streaming_equals_reading_all_for_a_mix_of_inputs(mixed, jsonl):
    inputs = [SEEDS, jsonl, mixed]
    assert list(iter_articles(inputs, batch_size=2)) == read_articles(inputs)
    assert len(read_articles(inputs)) == 2 + 6 + 14


def test_decode_bytes_rejects_binary_and_unknown_declared_encodings():
    with pytest.raises(ValueError, match="binary content"):
        decode_bytes(b"\x89PNG\r\n\x1a\n")
    with pytest.raises(ValueError, match="unknown encoding"):
        decode_bytes(b"caf\xe9", encoding="no-such-codec")
    assert decode_bytes(b"caf\xc3\xa9") == ("caf\u00e9", ())
    text, warnings = decode_bytes(b"caf\xe9 \x81")  # 0x81 is unassigned in cp1252
    assert text == "caf\u00e9 \x81" and "latin-1" in warnings[0]


def test_control_character_noise_without_nul_bytes_is_binary(tmp_path):
    path = tmp_path / "noise.jsonl"
    path.write_text(json.dumps({"id": "n", "outlet": "Wire", "text": "ab\x01\x02\x03\x04" * 50}))
    (art,) = read_articles(path)
    assert art.status == "error" and art.error.startswith("binary content") and art.text == ""


def test_declared_encoding_that_does_not_fit_is_an_undecodable_error(tmp_path):
    (tmp_path / "x.txt").write_bytes("caf\u00e9".encode("latin-1"))
    (tmp_path / "manifest.csv").write_text("file,outlet,encoding\nx.txt,Wire,ascii\n")
    (tmp_path / "y.txt").write_bytes(b"caf\xe9")
    arts = read_articles(tmp_path / "manifest.csv", encoding="cp1252")  # row beats option
    assert arts[0].status == "error" and "undecodable" in arts[0].error
    assert arts[1].id == "y" and arts[1].error == "not listed in manifest.csv: y.txt"


def test_folder_without_manifest_reads_its_data_files_sorted(tmp_path, jsonl):
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "b.csv").write_text("id,outlet,text\nb1,Wire,<p>Aid arrived.</p><p>More soon.</p>\n")
    (folder / "a.jsonl").write_text(jsonl.read_text())
    arts = read_articles(folder)
    assert [a.id for a in arts][-1] == "b1" and len(arts) == 7
    assert arts[-1].text == "Aid arrived.\n\nMore soon." and "html stripped" in arts[-1].warnings


def test_manifest_without_file_column_raises_input_error(tmp_path):
    (tmp_path / "manifest.csv").write_text("name,outlet\na.txt,Wire\n")
    with pytest.raises(InputError, match="no 'file' column"):
        read_articles(tmp_path)


def test_utf16_jsonl_and_a_stray_nul_row_in_csv_spoil_nothing_else(tmp_path):
    u16 = tmp_path / "u16.jsonl"
    u16.write_text(json.dumps({"id": "t", "outlet": "Wire", "text": "T\u00fcrkiye said."}) + "\r\n",
                   encoding="utf-16")
    nul = tmp_path / "nul.csv"
    body = b"".join(b"r%d,Wire,Calm returned.\n" % i for i in range(50))
    nul.write_bytes(b"id,outlet,text\n" + body + b"bad,Wire,x\x00\x01\x02\nlast,Wire,Quiet.\n")
    arts = read_articles([u16, nul])
    assert arts[0].ok and arts[0].text == "T\u00fcrkiye said."
    assert [a.id for a in arts if not a.ok] == ["bad"] and len(arts) == 53
    assert arts[-2].error.startswith("binary content")


def test_a_bad_record_does_not_claim_the_id_of_a_later_good_one(tmp_path):
    path = tmp_path / "x.jsonl"
    path.write_text(
        json.dumps({"id": "x", "outlet": "A", "text": "  "}) + "\n"
        + json.dumps({"id": "x", "outlet": "A", "text": "Officials met in Damascus."}) + "\n",
        encoding="utf-8",
    )
    first, second = read_articles(path)
    assert first.status == "error" and "empty text" in first.error
    assert second.status == "ok"


def test_a_manifest_path_with_dot_slash_is_read_once_and_not_flagged(tmp_path):
    (tmp_path / "b.txt").write_text("Hamas officials met Assad.", encoding="utf-8")
    (tmp_path / "manifest.csv").write_text("file,outlet\n./b.txt,A\n", encoding="utf-8")
    (art,) = read_articles(tmp_path)
    assert art.status == "ok" and art.id == "b"


def test_source_does_not_depend_on_how_the_input_path_was_written(seeds_dir):
    relative = read_articles(Path("seeds"))
    absolute = read_articles(seeds_dir)
    assert [a.source for a in relative] == [a.source for a in absolute] == [
        "seeds/000_906a3f6f6af02cb7.txt", "seeds/002_a6142d977f266a8d.txt"
    ]
