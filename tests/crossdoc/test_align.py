"""Story grouping, sentence alignment and mined substitutions (framing.crossdoc.story, framing.crossdoc.align)."""

from __future__ import annotations

import csv
import difflib
import json
import re
from dataclasses import replace
from types import SimpleNamespace

import cydifflib
import pandas as pd
import pytest

from framing.crossdoc import story as story_module
from framing.crossdoc.align import (
    SUBSTITUTION_COLUMNS,
    SUMMARY_COLUMNS,
    align_story,
    mine_substitutions,
    substitution_summary,
    summary_from_parts,
)
from framing.crossdoc.story import MEMO_MAX, align_sentences, group_stories, story_similarity, tokenize_sentences
from framing.record import Article
from framing.text.segment import Document, build_document
from framing.text.textnorm import fold, normalize

TRT = "000_906a3f6f6af02cb7"
INDEPENDENT = "002_a6142d977f266a8d"

#: The rewrites from the AP copy (The Independent) to TRT World's version, as a reader sees them
#: in the published texts (../shared/seeds/README.md lists the same).
SEED_CHOICES = {
    ("replace", "government", "regime"),
    ("replace", "fighters", "forces"),
    ("replace", "al-hayeh", "al hayya"),
    ("replace", "program", "programme"),
    ("replace", "militants", "movement that governs gaza"),
    ("delete", "militant", ""),
    ("delete", "syrian president", ""),
    ("delete", "the iran-backed", ""),
}


def naive_document(article: Article) -> Document:
    """Sentences split on newlines and ". " only: glued boilerplate ("difference.Two"), captions,
    "READ MORE" lines and "Route 6" all stay in the text."""
    norm = normalize(article.text)
    spans = []
    for line in re.finditer(r"[^\n]+", norm):
        start = line.start()
        for piece in re.finditer(r"(?:[^.]|\.(?! ))+\.?", line.group()):
            s, e = start + piece.start(), start + piece.end()
            while s < e and norm[s].isspace():
                s += 1
            if s < e:
                spans.append((s, e))
    return Document(article, norm, tuple(spans), tuple(spans))


def doc(id_, outlet, text, *, story="s", date="") -> Document:
    return naive_document(Article(id=id_, outlet=outlet, text=text, story=story, date=date))


def choices(subs: pd.DataFrame) -> set[tuple[str, str, str]]:
    return {(r.kind, fold(r.a_text), fold(r.b_text)) for r in subs.itertuples()}


@pytest.fixture(scope="module")
def seed_versions(seed_articles):
    """The seeds segmented by the project's segmenter, with no boilerplate rules applied."""
    return [build_document(seed_articles[TRT]), build_document(seed_articles[INDEPENDENT])]


# --- seeds ---------------------------------------------------------------------------------------


def test_seed_rewrites_are_mined_as_word_choices(seed_versions):
    subs = mine_substitutions(seed_versions)
    assert SEED_CHOICES <= choices(subs)
    assert list(subs.columns) == list(SUBSTITUTION_COLUMNS)


def test_glued_boilerplate_and_naive_sentences_do_not_hide_the_rewrites(seed_articles):
    docs = [naive_document(seed_articles[TRT]), naive_document(seed_articles[INDEPENDENT])]
    glued = [d for d in docs if "difference.Two" in d.text]
    assert any("difference.Two" in d.text[s:e] for d in glued for s, e in d.sentences)
    assert SEED_CHOICES <= choices(mine_substitutions(docs))


def test_seeds_cleaned_by_the_shipped_rules_give_the_same_choices(seed_articles, repo_root):
    with open(repo_root / "lexicons" / "boilerplate.csv", encoding="utf-8", newline="") as f:
        rules = [SimpleNamespace(**row) for row in csv.DictReader(f)]
    docs = [build_document(a, rules) for a in seed_articles.values()]
    assert SEED_CHOICES <= choices(mine_substitutions(docs))


def test_reported_text_is_the_original_at_the_reported_offsets(seed_versions):
    by_id = {d.article.id: d for d in seed_versions}
    subs = mine_substitutions(seed_versions)
    for r in subs.itertuples():
        a, b = by_id[r.article_a], by_id[r.article_b]
        assert a.text[r.a_start:r.a_end] == r.a_text
        assert b.text[r.b_start:r.b_end] == r.b_text
        sa, sb = a.sentences[r.sentence_a], b.sentences[r.sentence_b]
        assert sa[0] <= r.a_start <= r.a_end <= sa[1] and sb[0] <= r.b_start <= r.b_end <= sb[1]
    # as published: TRT's straight apostrophe, the AP's curly one
    assert ("Palestinian", "Palestine's") in set(zip(subs.a_text, subs.b_text, strict=True))
    assert (subs.a_start == 1822).any() and by_id[INDEPENDENT].text[1822:1831] == "militants"


def test_outlet_a_is_the_alphabetically_first_outlet_whatever_the_input_order(seed_versions):
    forward = mine_substitutions(seed_versions)
    backward = mine_substitutions(seed_versions[::-1])
    pd.testing.assert_frame_equal(forward, backward)
    assert set(forward.outlet_a) == {"The Independent"} and set(forward.outlet_b) == {"TRT World"}


def test_unrelated_seed_sentences_are_not_aligned(seed_versions):
    by_id = {d.article.id: d for d in seed_versions}
    pairs = [(by_id[r["article_a"]].text[r["a_start"]:r["a_end"]], by_id[r["article_b"]].text[r["b_start"]:r["b_end"]])
             for r in align_story(seed_versions)]
    aligned = {s for pair in pairs for s in pair}
    unrelated = ("The pro-government Al-Watan", "“God willing", "\"We are restoring", "READ MORE", "Route 6", "AP",
                 "Your support", "Normalising relations", "\"The new rapprochement", "Last month, Hamas said",
                 "Israel has carried out", "The move by Hamas")
    assert not [s for s in aligned if s.startswith(unrelated)]
    # 8 AP sentences were rewritten by TRT; the closest is word for word but "program"
    assert len(pairs) == 8
    assert any(a.startswith("Hamas' re-establishing") and b.startswith("Hamas' re-establishing") for a, b in pairs)


def test_a_sentence_moved_in_rewriting_is_aligned_as_moved(seed_versions):
    rows = align_story(seed_versions)
    moved = [(r["sentence_a"], r["sentence_b"]) for r in rows if r["alignment"] == "moved"]
    # AP: "On Wednesday, Khalil al-Hayeh, ... and top Hamas official Osama Hamdan were among ..." comes
    # after the background; TRT moved it up ("Besides Hayya, top Hamas official Osama Hamdan was ...")
    assert moved == [(18, 13)]
    assert [r["alignment"] for r in rows].count("ordered") == 7


# --- alignment rules on small texts --------------------------------------------------------------


def test_case_and_typography_differences_are_not_edits():
    a = doc("a", "A", "Hamas’ office in Damascus said the talks — held on Monday — went well.")
    b = doc("b", "B", "Hamas' office in DAMASCUS said the talks - held on Monday - went well.")
    (row,) = align_story([a, b])
    assert row["similarity"] == 1.0 and row["edits"] == []


def test_insertion_and_deletion_offsets_point_between_words():
    a = doc("a", "A", "The army said rebels attacked the northern town on Friday night.")
    b = doc("b", "B", "The army said militant rebels attacked the town on Friday night.")
    (row,) = align_story([a, b])
    kinds = {e["kind"]: e for e in row["edits"]}
    ins, dele = kinds["insert"], kinds["delete"]
    assert (ins["a_text"], ins["b_text"]) == ("", "militant")
    assert ins["a_start"] == ins["a_end"] == a.text.index(" rebels")
    assert (dele["a_text"], dele["b_text"]) == ("northern", "")
    assert dele["b_start"] == dele["b_end"] == b.text.index(" town")


def test_a_long_rewrite_is_counted_not_listed():
    a = doc("a", "A", "Officials met in Doha on Monday and agreed to a ceasefire that starts at dawn "
                      "on the first day of the holiday.")
    b = doc("b", "B", "Officials met in Doha on Monday and agreed to a ceasefire, although several "
                      "commanders later rejected the whole plan outright.")
    (row,) = align_story([a, b], sentence_threshold=0.4)
    assert row["edits"] == [] and row["n_rewrites"] == 1


def test_reordered_sentences_are_aligned_as_moved():
    first = "Rescue teams pulled twelve survivors from the collapsed hotel late on Sunday."
    second = "The governor declared three days of mourning across the flooded province."
    a = doc("a", "A", f"{first}\n{second}")
    b = doc("b", "B", f"{second}\n{first.replace('twelve', 'eleven')}")
    rows = align_story([a, b])
    assert sorted(r["alignment"] for r in rows) == ["moved", "ordered"]
    edits = [e for r in rows for e in r["edits"]]
    assert [(e["a_text"], e["b_text"]) for e in edits] == [("twelve", "eleven")]


def test_sentences_on_the_same_topic_with_different_wording_are_not_aligned():
    a = doc("a", "A", "The central bank raised interest rates by half a point on Wednesday.")
    b = doc("b", "B", "Borrowing costs climbed after policymakers tightened monetary policy again.")
    assert align_story([a, b]) == []


def test_versions_from_one_outlet_are_not_compared():
    text = "The minister resigned on Tuesday after a week of protests in the capital."
    rows = align_story([doc("a", "Same", text), doc("b", "Same", text.replace("week", "month"))])
    assert rows == []


def test_align_story_refuses_documents_of_several_stories():
    with pytest.raises(ValueError, match="one story"):
        align_story([doc("a", "A", "One text.", story="x"), doc("b", "B", "Other.", story="y")])


@pytest.mark.parametrize("option", [{"sentence_threshold": 0}, {"min_run": 0},
                                    {"max_edit_words": 2.5}, {"token_similarity": 1.5}])
def test_invalid_options_raise_clear_errors(option):
    with pytest.raises(ValueError, match=next(iter(option))):
        align_story([doc("a", "A", "Text.")], **option)


# --- summary -------------------------------------------------------------------------------------


class WordList:
    """A minimal lexicon: exact (case-insensitive) phrases -> "label" or "entity"."""

    def __init__(self, **kinds: str) -> None:
        self.kinds = {k.casefold(): v for k, v in kinds.items()}

    def classify(self, phrase: str) -> str:
        return self.kinds.get(phrase.casefold(), "")


def two_stories() -> list[Document]:
    texts = [
        ("1a", "Wire", "1", "Government forces shelled the town of Idlib on Monday, killing four."),
        ("1b", "Daily", "1", "Regime forces shelled the town of Idlib on Monday, killing four."),
        ("2a", "Wire", "2", "The government said it would reopen the border crossing next week."),
        ("2b", "Daily", "2", "The regime said it would reopen the border crossing next week."),
        ("2c", "Daily", "2", "The Regime said it would reopen the border crossing next month."),
    ]
    return [doc(i, o, t, story=s) for i, o, s, t in texts]


def test_summary_counts_each_substitution_per_outlet_pair_case_insensitively():
    summary = substitution_summary(mine_substitutions(two_stories()))
    assert list(summary.columns) == list(SUMMARY_COLUMNS)
    top = summary.iloc[0]
    assert (top.outlet_a, top.outlet_b, top["rank"], fold(top.a_text), fold(top.b_text)) == (
        "Daily", "Wire", 1, "regime", "government")
    assert (top.n, top.n_stories, top.n_article_pairs) == (3, 2, 3)
    assert list(summary["rank"]) == list(range(1, len(summary) + 1))


def _edits_of_three_stories():
    subs = mine_substitutions(two_stories(), lexicon=WordList(regime="label"))
    copy = subs.assign(story=subs["story"] + "-copy", article_a=subs["article_a"] + "c",
                       article_b=subs["article_b"] + "c", a_text=subs["a_text"].str.upper(),
                       lexicon=subs["lexicon"].where(subs["lexicon"] == "", "entity"))
    other = subs.assign(story=subs["story"] + "-again", article_a=subs["article_a"] + "g",
                        article_b=subs["article_b"] + "g", outlet_b="Herald")
    return pd.concat([subs, copy, subs.assign(story=subs["story"] + "-again", article_a=subs["article_a"] + "g",
                                              article_b=subs["article_b"] + "g"), other], ignore_index=True)


def test_summary_counts_stories_pairs_spellings_and_lexicon_kinds_across_stories():
    edits = _edits_of_three_stories()
    summary = substitution_summary(edits)
    top = summary[(summary["outlet_b"] == "Wire") & (summary["rank"] == 1)].iloc[0]
    # the same edit in the story, its upper-case copy and its repeat: one row
    assert (fold(top.a_text), fold(top.b_text), top.n, top.n_stories, top.n_article_pairs) == (
        "regime", "government", 9, 6, 9)
    assert top.lexicon == "entity+label"  # the union of what its edits carry
    same = edits[(edits["outlet_b"] == "Wire") & (edits["a_text"].map(fold) == "regime")
                 & (edits["b_text"].map(fold) == "government")]
    spellings = same["a_text"].value_counts()
    assert top.a_text == min(spellings[spellings == spellings.max()].index)  # most often, then smallest
    first = same.sort_values(["story", "article_a", "a_start", "article_b", "b_start"]).iloc[0]
    assert (top.article_a, top.a_start, top.article_b, top.b_start) == (
        first.article_a, first.a_start, first.article_b, first.b_start)
    assert set(summary["outlet_b"]) == {"Wire", "Herald"}


@pytest.mark.parametrize("max_rows", [1, 5, 10**9])
def test_summary_from_parts_in_partitions_equals_the_summary_of_all_edits(max_rows):
    edits = _edits_of_three_stories()
    parts = [edits.iloc[i:i + 7] for i in range(0, len(edits), 7)]
    summary = summary_from_parts(lambda: iter(parts), n_rows=len(edits), max_rows=max_rows)
    pd.testing.assert_frame_equal(summary, substitution_summary(edits))
    lexicon = WordList(regime="label", Idlib="entity")
    pd.testing.assert_frame_equal(
        summary_from_parts(lambda: iter(parts), n_rows=len(edits), max_rows=max_rows, lexicon=lexicon),
        substitution_summary(edits, lexicon=lexicon))


@pytest.mark.parametrize("max_rows", [1, 9, 40])
def test_summary_in_ranges_of_outlet_pairs_is_the_table_in_order(max_rows):
    """Many outlet pairs (names differing only in case among them): the ranges, one after the
    other, are the whole table, and no range holds more than max_rows edits unless one pair does."""
    import numpy as np

    from framing.crossdoc.substitutions import iter_summary

    edits = pd.concat([_edits_of_three_stories()] * 3, ignore_index=True)
    rng = np.random.default_rng(4)
    names = np.array(["Herald", "herald", "Wire", "AP", "ap news", "Zeit"])
    edits["outlet_a"] = names[rng.integers(0, 3, len(edits))]
    edits["outlet_b"] = names[rng.integers(3, 6, len(edits))]
    parts = [edits.iloc[i:i + 11] for i in range(0, len(edits), 11)]
    pieces = list(iter_summary(lambda: iter(parts), n_rows=len(edits), max_rows=max_rows))
    whole = substitution_summary(edits)
    pd.testing.assert_frame_equal(pd.concat(pieces, ignore_index=True), whole)
    per_pair = edits.groupby(["outlet_a", "outlet_b"]).size()
    for piece in pieces:
        pairs = piece[["outlet_a", "outlet_b"]].drop_duplicates().itertuples(index=False)
        assert sum(per_pair[p] for p in pairs) <= max(max_rows, per_pair.max())
    assert len(pieces) > 1


def test_summary_of_no_edits_keeps_its_header_and_bad_tables_are_refused():
    empty = summary_from_parts(lambda: iter(()), n_rows=0)
    assert list(empty.columns) == list(SUMMARY_COLUMNS) and len(empty) == 0
    with pytest.raises(ValueError, match="lacks columns"):
        substitution_summary(pd.DataFrame({"story": ["s"]}))
    with pytest.raises(ValueError, match="max_rows"):
        summary_from_parts(lambda: iter(()), n_rows=0, max_rows=0)


def test_summary_flags_lexicon_words_and_leaves_the_rest_as_candidates():
    lexicon = WordList(regime="label", government="label", Idlib="entity")
    summary = substitution_summary(mine_substitutions(two_stories()), lexicon=lexicon)
    flags = {(fold(r.a_text), fold(r.b_text)): (r.lexicon, r.candidate)
             for r in summary.itertuples()}
    assert flags[("regime", "government")] == ("label", False)
    assert flags[("month", "week")] == ("", True)


def test_mined_rows_carry_the_lexicon_flag_into_the_summary():
    subs = mine_substitutions(two_stories(), lexicon=WordList(regime="label"))
    assert set(subs.lexicon) == {"label", ""}
    summary = substitution_summary(subs)
    assert set(summary.loc[summary.candidate, "b_text"]) == {"week"}


def test_summary_of_nothing_is_an_empty_table_with_its_columns():
    summary = substitution_summary(mine_substitutions([]))
    assert summary.empty and list(summary.columns) == list(SUMMARY_COLUMNS)


def test_the_shipped_lexicon_recognises_the_seed_labels(seed_versions):
    lexicon = pytest.importorskip("framing.lexicon.load").load_lexicon()
    if not lexicon.classify("regime"):
        pytest.skip("the shipped lexicon has no state-descriptor label set yet")
    summary = substitution_summary(mine_substitutions(seed_versions), lexicon=lexicon)
    row = summary[(summary.a_text == "government") & (summary.b_text == "regime")]
    assert not row.candidate.iloc[0]


# --- story grouping ------------------------------------------------------------------------------


def test_given_stories_are_kept_as_they_are():
    docs = two_stories()
    groups = group_stories(docs)
    assert {k: [d.article.id for d in v] for k, v in groups.items()} == {
        "1": ["1a", "1b"], "2": ["2a", "2b", "2c"]}


def test_articles_without_a_story_are_clustered_by_topic():
    docs = [replace(d, article=replace(d.article, story="")) for d in two_stories()]
    groups = group_stories(docs, threshold=0.3)
    assert sorted(sorted(d.article.id for d in v) for v in groups.values()) == [
        ["1a", "1b"], ["2a", "2b", "2c"]]
    assert set(groups) == {"auto:1a", "auto:2a"}


def test_the_date_window_separates_identical_texts_published_far_apart():
    text = "Floods closed the main highway north of the capital for a second day."
    docs = [doc("x", "A", text, story="", date="2024-03-01"),
            doc("y", "B", text, story="", date="2024-03-02"),
            doc("z", "C", text, story="", date="2024-04-20")]
    assert [len(v) for v in group_stories(docs, window_days=3).values()] == [2, 1]
    assert [len(v) for v in group_stories(docs, window_days=None).values()] == [3]


def test_story_similarity_is_a_symmetric_cosine_matrix():
    sim = story_similarity(two_stories())
    assert sim.shape == (5, 5) and (sim == sim.T).all() and (sim.diagonal() == 1).all()


@pytest.mark.parametrize("kwargs", [{"threshold": 1.5}, {"window_days": -1}])
def test_group_stories_rejects_invalid_options(kwargs):
    with pytest.raises(ValueError):
        group_stories(two_stories(), **kwargs)


# --- development data ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def newswcl(shared_data):
    path = shared_data / "newswcl50-dev" / "articles.jsonl"
    if not path.exists():
        pytest.skip("newswcl50-dev is absent")
    articles = []
    for line in path.read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        articles.append(Article(id=r["id"], outlet=r["outlet"], text=r["text"], title=r["title"],
                                date=r["date"], story=r["story"]))
    return [build_document(a) for a in articles]


def test_newswcl_events_are_recovered_when_stories_are_withheld(newswcl):
    withheld = [replace(d, article=replace(d.article, story="")) for d in newswcl]
    found = sorted(sorted(d.article.id for d in v) for v in group_stories(withheld).values())
    truth = {}
    for d in newswcl:
        truth.setdefault(d.article.story, []).append(d.article.id)
    assert found == sorted(sorted(v) for v in truth.values())


def test_newswcl_substitutions_trace_to_the_articles(newswcl):
    by_id = {d.article.id: d for d in newswcl}
    subs = mine_substitutions(newswcl)
    assert len(subs) > 0
    assert (subs.outlet_a.str.casefold() < subs.outlet_b.str.casefold()).all()
    for r in subs.itertuples():
        assert by_id[r.article_a].text[r.a_start:r.a_end] == r.a_text
        assert by_id[r.article_b].text[r.b_start:r.b_end] == r.b_text
        assert by_id[r.article_a].article.story == by_id[r.article_b].article.story == r.story


# --- sentence matching: the C++ matcher and the memo ---------------------------------------------


def _sentence_pairs(documents):
    """Every cross-document pair of tokenised sentences of the given documents."""
    tokens = [tokenize_sentences(d) for d in documents]
    for x, sents_a in enumerate(tokens):
        for sents_b in tokens[x + 1:]:
            for sa in sents_a:
                for sb in sents_b:
                    yield sa, sb


def test_cydifflib_finds_the_matching_blocks_difflib_finds(seed_versions, newswcl):
    """cydifflib is used for speed on the promise of difflib's results: checked on real sentences
    (every cross-article sentence pair of the seeds and of one NewsWCL50 event)."""
    event = [d for d in newswcl if d.article.story == newswcl[0].article.story]
    checked = 0
    for sa, sb in _sentence_pairs(seed_versions + event):
        ours = cydifflib.SequenceMatcher(None, sa.keys, sb.keys, autojunk=False).get_matching_blocks()
        theirs = difflib.SequenceMatcher(None, sa.keys, sb.keys, autojunk=False).get_matching_blocks()
        assert [tuple(m) for m in ours] == [tuple(m) for m in theirs], (sa.keys, sb.keys)
        checked += 1
    assert checked > 10_000


@pytest.mark.parametrize("memo_max", [1, 3, MEMO_MAX])
def test_a_shared_memo_does_not_change_the_alignment(newswcl, monkeypatch, memo_max):
    """Every pair of one event aligned with one memo (emptied when full, however small) gives what
    each pair aligned alone gives."""
    monkeypatch.setattr(story_module, "MEMO_MAX", memo_max)
    event = [tokenize_sentences(d) for d in newswcl if d.article.story == newswcl[0].article.story]
    memo: dict = {}
    for x, a in enumerate(event):
        for b in event[x + 1:]:
            assert align_sentences(a, b, memo=memo) == align_sentences(a, b)
    assert 0 < len(memo) <= memo_max


def test_repeated_versions_give_the_same_edits_as_distinct_ones(seed_versions):
    """A story where the AP copy is re-run by two more outlets: the memo serves the repeated
    sentence pairs, and each copy's edits are the first copy's, at its own offsets."""
    trt, ap = seed_versions
    copies = [replace(ap, article=replace(ap.article, id=f"copy{k}", outlet=f"Outlet {k}")) for k in range(2)]
    rows = align_story([trt, ap, *copies], story="s")
    by_b = {}
    for r in rows:
        if r["outlet_a"] == trt.article.outlet or r["outlet_b"] == trt.article.outlet:
            other = r["article_a"] if r["article_b"] == trt.article.id else r["article_b"]
            by_b.setdefault(other, []).append([(e["kind"], e["a_text"], e["b_text"]) for e in r["edits"]])
    assert len(by_b) == 3 and by_b[ap.article.id] and all(v == by_b[ap.article.id] for v in by_b.values())
