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
    removed = [(r.rule, r.start, r.end) for r in doc.removed]
    assert removed == [("donation_appeal", 292, 1225)]
    (appeal,) = removed_by_rule(doc)["donation_appeal"]
    assert appeal.startswith("Your support helps us to tell the story")
    assert appeal.endswith("Your support makes all the difference.")
    # "difference.Two senior officials": the lead is glued to the appeal and starts right after it
    leads = [(s, doc.text[s:e]) for s, e in doc.sentences if doc.text[s:e].startswith("Two senior officials")]
    assert [s for s, _ in leads] == [61, 1225]  # the standfirst and the lead
    assert all("Palestinian militant Hamas group" in t for _, t in leads)
    assert "visited Syria's capital on Wednesday" in leads[1][1]


def test_read_more_lines_are_removed_from_trt(seed_docs):
    doc = seed_docs[TRT]
    got = [(r.start, r.end, r.text) for r in doc.removed if r.rule == "read_more"]
    assert got == [
        (2315, 2396, "READ MORE:\xa0Fatah-Hamas deal: Can Palestinians have a united front against Israel?"),
        (3939, 3997, "READ MORE:\xa0Hamas 'working to avoid escalation' with Israel"),
    ]


def test_repeated_photo_caption_and_agency_credit_are_removed(seed_docs):
    doc = seed_docs[TRT]
    got = [(r.rule, r.start, r.end) for r in doc.removed if r.rule in {"repeated_paragraph", "agency_credit"}]
    # caption, "AP" credit line, the same caption again: all three go
    assert got == [("repeated_paragraph", 218, 333), ("agency_credit", 334, 336), ("repeated_paragraph", 338, 453)]
    caption = 'Khalil al Hayya (C) described the meeting as a "natural response to Israeli schemes against the Palestinian cause."'
    assert removed_by_rule(doc)["repeated_paragraph"] == [caption, caption]
    # the same words as the body's own sentence ("Hayya described the meeting ...") are kept there
    assert 'Hayya described the meeting as a "natural response' in doc.clean


def test_stray_trailing_fragment_is_removed(seed_docs):
    doc = seed_docs[TRT]
    assert [(r.start, r.end, r.text) for r in doc.removed if r.rule == "trailing_fragment"] == [(3999, 4006, "Route 6")]
    assert doc.clean.rstrip().endswith("with almost four million hosted by Türkiye alone.")


def test_no_seed_news_sentence_is_removed(seed_docs):
    expected = {
        TRT: {"repeated_paragraph": 2, "agency_credit": 1, "read_more": 2, "trailing_fragment": 1},
        INDEPENDENT: {"donation_appeal": 1},
    }
    for art_id, doc in seed_docs.items():
        assert {k: len(v) for k, v in removed_by_rule(doc).items()} == expected[art_id]
        removed_chars = sum(r.end - r.start for r in doc.removed)
        for needle in ("Normalising relations", "Hamas bit the bullet.", "SANA news agency reported",
                       "with almost four million hosted by Türkiye alone.",
                       "Your support makes all the difference.Two senior officials"[-20:],
                       "The pro-government Al-Watan daily says", "Israel has carried out hundreds of airstrikes"):
            if needle in doc.text:
                assert needle in doc.clean, needle
        assert removed_chars == {TRT: 7 + 81 + 58 + 2 + 115 + 115, INDEPENDENT: 1225 - 292}[art_id]


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
