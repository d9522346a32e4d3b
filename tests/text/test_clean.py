"""Boilerplate rules on the seeds and on text written for the test: what goes, what stays."""

from __future__ import annotations

from types import SimpleNamespace

from conftest import INDEPENDENT, TRT

from framing.text.clean import remove_boilerplate, split_paragraphs
from framing.text.textnorm import normalize


def removed_by_rule(doc):
    out = {}
    for r in doc.removed:
        out.setdefault(r.rule, []).append(r.text)
    return out


def test_every_removal_indexes_the_original_text(seed_docs):
    for doc in seed_docs.values():
        for r in doc.removed:
            assert doc.text[r.start:r.end] == r.text


def test_donation_appeal_is_removed_and_the_glued_lead_is_kept(seed_docs):
    doc = seed_docs[INDEPENDENT]
    (appeal,) = removed_by_rule(doc)["donation_appeal"]
    assert appeal.startswith("Your support helps us to tell the story")
    assert appeal.endswith("Your support makes all the difference.")
    lead = [doc.text[s:e] for s, e in doc.sentences if doc.text[s:e].startswith("Two senior officials")]
    assert len(lead) == 1 and "Palestinian militant Hamas group" in lead[0]


def test_read_more_lines_are_removed_from_trt(seed_docs):
    texts = removed_by_rule(seed_docs[TRT])["read_more"]
    assert texts == [
        "READ MORE: Hamas says it will restore ties with Syria after decade-long split",
        "READ MORE: Why Hamas is turning back to Damascus",
    ]


def test_repeated_photo_caption_and_agency_credit_are_removed(seed_docs):
    rules = removed_by_rule(seed_docs[INDEPENDENT])
    assert rules["agency_credit"] == ["AP", "AP"]
    assert len(rules["repeated_paragraph"]) == 2
    assert all(t.startswith("Syrian President Bashar Assad meets a delegation") for t in rules["repeated_paragraph"])


def test_stray_trailing_fragment_is_removed(seed_docs):
    assert removed_by_rule(seed_docs[INDEPENDENT])["trailing_fragment"] == ["Route 6"]


def test_no_seed_news_sentence_is_removed(seed_docs):
    expected = {TRT: {"read_more"}, INDEPENDENT: {"donation_appeal", "repeated_paragraph", "agency_credit", "trailing_fragment"}}
    for art_id, doc in seed_docs.items():
        assert set(removed_by_rule(doc)) == expected[art_id]
        kept = doc.clean
        for needle in ("Hamas left Syria in 2012", "Israeli officials did not immediately comment",
                       "Hamas officials said the group would not reopen", "The U.S. and the European Union"):
            if needle in doc.text:
                assert needle in kept


def _rules(lexicon):
    return lexicon.boilerplate


def test_news_text_that_resembles_boilerplate_is_kept(lexicon):
    text = (
        "AP reporters saw the convoy leave at dawn.\n"
        "A caption-like line that appears once stays in the article.\n"
        "Read more carefully, the statement says little.\n"
        "The talks ended.\n"
    )
    norm = normalize(text)
    kept, removed = remove_boilerplate(text, norm, split_paragraphs(norm), _rules(lexicon))
    assert removed == []
    assert len(kept) == 4


def test_span_rule_cuts_inside_a_paragraph():
    rule = SimpleNamespace(rule="ad", kind="span", pattern=r"\[AD[^\]]*\]")
    text = "Officials met [AD: buy now] in Damascus on Wednesday.\n"
    norm = normalize(text)
    kept, removed = remove_boilerplate(text, norm, split_paragraphs(norm), [rule])
    assert [r.text for r in removed] == ["[AD: buy now]"]
    assert [text[s:e] for s, e in kept] == ["Officials met", "in Damascus on Wednesday."]


def test_trailing_rule_leaves_a_final_sentence_alone(lexicon):
    text = "The delegation left Damascus.\nThey will return.\n"
    norm = normalize(text)
    kept, removed = remove_boilerplate(text, norm, split_paragraphs(norm), _rules(lexicon))
    assert removed == [] and len(kept) == 2
