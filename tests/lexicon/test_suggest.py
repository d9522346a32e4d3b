"""Variant discovery: unlisted spellings of known entities, and of each other across outlets."""

from __future__ import annotations

import pandas as pd
import pytest

from framing.lexicon.load import load_lexicon
from framing.lexicon.suggest import SUGGESTION_COLUMNS, plain_key, similarity, skeleton, suggest_variants
from framing.record import Article


@pytest.fixture
def small_lexicon(tmp_path):
    folder = tmp_path / "lx"
    folder.mkdir()
    (folder / "entities.csv").write_text(
        "entity,variant,type,voice,source\n"
        "Khalil al-Hayya,Khalil al-Hayya,person,Hamas,test\n"
        "Khalil al-Hayya,al-Hayya,person,Hamas,test\n"
        "Turkey,Turkey,state,Turkish state,test\n"
        "Hamas,Hamas,armed_group,Hamas,test\n"
        "Hezbollah,Hezbollah,armed_group,Hezbollah,test\n",
        encoding="utf-8",
    )
    return load_lexicon(folder, extend=False)


def test_seed_spellings_missing_from_a_lexicon_are_suggested(seed_articles, small_lexicon):
    table = suggest_variants(seed_articles.values(), small_lexicon, min_count=1)
    assert list(table.columns) == list(SUGGESTION_COLUMNS)
    known = table[table["kind"] == "known entity"]
    pairs = set(zip(known["candidate"], known["entity"], strict=True))
    # TRT: "Khalil al Hayya" (standfirst, the caption twice, the body), "Al Hayya"; AP: "Khalil al-Hayeh"
    assert {("Al Hayya", "Khalil al-Hayya"), ("Khalil al Hayya", "Khalil al-Hayya"),
            ("Khalil al-Hayeh", "Khalil al-Hayya"), ("Türkiye", "Turkey")} <= pairs
    counts = dict(zip(known["candidate"], known["count"], strict=True))
    assert (counts["Khalil al Hayya"], counts["Al Hayya"], counts["Khalil al-Hayeh"]) == (4, 1, 1)
    row = known[known["candidate"] == "Türkiye"].iloc[0]
    assert row["outlets"] == "TRT World" and row["count"] == 2 and "Türkiye" in row["example"]


def test_listed_spellings_are_not_suggested(seed_articles, lexicon):
    table = suggest_variants(seed_articles.values(), lexicon, min_count=1)
    assert not set(table["candidate"]) & {"al Hayya", "al-Hayeh", "Türkiye", "Hamas", "Assad"}


def test_unknown_names_spelled_two_ways_by_two_outlets_are_paired(small_lexicon):
    articles = [
        Article(id="a", outlet="Outlet A", text="Foreign Minister Faisal Mekdad said talks went well."),
        Article(id="b", outlet="Outlet B", text="Foreign Minister Faisal Miqdad said talks went well."),
    ]
    table = suggest_variants(articles, small_lexicon, min_count=1)
    (row,) = table[table["kind"] == "other outlet"].itertuples()
    assert {row.candidate, row.matched} == {"Faisal Mekdad", "Faisal Miqdad"}
    assert row.entity == ""


def test_min_count_drops_rare_candidates(seed_articles, small_lexicon):
    assert suggest_variants(seed_articles.values(), small_lexicon, min_count=50).empty
    with pytest.raises(ValueError, match="min_count"):
        suggest_variants([], small_lexicon, min_count=0)


def test_documents_error_records_and_bad_items(seed_docs, small_lexicon):
    from_docs = suggest_variants(seed_docs.values(), small_lexicon, min_count=1)
    assert "Türkiye" in set(from_docs["candidate"])
    bad = Article(id="x", outlet="o", text="", status="error", error="no text")
    assert suggest_variants([bad], small_lexicon, min_count=1).empty
    with pytest.raises(TypeError, match="Articles or Documents"):
        suggest_variants(["just a string"], small_lexicon)


def test_output_is_deterministic(seed_articles, small_lexicon):
    a = suggest_variants(list(seed_articles.values()), small_lexicon, min_count=1)
    b = suggest_variants(list(reversed(list(seed_articles.values()))), small_lexicon, min_count=1)
    pd.testing.assert_frame_equal(a.drop(columns=["example", "example_id"]), b.drop(columns=["example", "example_id"]))


@pytest.mark.parametrize("a, b", [("Türkiye", "Turkey"), ("Hizballah", "Hezbollah"), ("al-Qaida", "al-Qaeda"),
                                  ("Mekdad", "Miqdad"), ("Khalil al Hayya", "Khalil al-Hayeh"), ("Sissi", "Sisi"),
                                  ("Erdoğan", "Erdogan")])
def test_transliterations_are_similar(a, b):
    assert similarity(a, b) >= 85


@pytest.mark.parametrize("a, b", [("Iran", "Iraq"), ("Gaza", "Giza"), ("Arab", "Al Arabiya"), ("Syria", "Serbia")])
def test_different_names_are_not(a, b):
    assert similarity(a, b) < 85


def test_keys_drop_accents_articles_and_vowels():
    assert plain_key("al-Hayeh’s") == "hayehs"
    assert plain_key("Erdoğan") == "erdogan"
    assert skeleton("Hizballah") == skeleton("Hezbollah") == "hzblh"
