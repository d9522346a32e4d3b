"""Sentence and paragraph splitting on hard news cases, with exact offsets."""

from __future__ import annotations

import pytest

from framing.text.clean import split_paragraphs
from framing.text.segment import split_sentences, word_spans
from framing.text.textnorm import normalize


def sentences(text: str) -> list[str]:
    norm = normalize(text)
    return [text[s:e] for s, e in split_sentences(norm, 0, len(norm))]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The U.S. envoy met Assad. He left on Friday.", ["The U.S. envoy met Assad.", "He left on Friday."]),
        ("Aid came from the U.S. The talks ended.", ["Aid came from the U.S.", "The talks ended."]),
        ("Mr. Smith and Gen. Ali Mahmoud spoke.", ["Mr. Smith and Gen. Ali Mahmoud spoke."]),
        ("The attacks of Sept. 11 changed that. It was 2001.", ["The attacks of Sept. 11 changed that.", "It was 2001."]),
        ("They met Wednesday, Oct. 19, 2022. No deal came.", ["They met Wednesday, Oct. 19, 2022.", "No deal came."]),
        ("George W. Bush visited. Growth was 3.5 percent.", ["George W. Bush visited.", "Growth was 3.5 percent."]),
        ("Your support makes all the difference.Two senior officials met.",
         ["Your support makes all the difference.", "Two senior officials met."]),
        ("“We won.” She left.", ["“We won.”", "She left."]),
        ("“Did he?” she asked. Nobody answered.", ["“Did he?” she asked.", "Nobody answered."]),
        ("“Hamas bit the bullet. Assad’s political gain is Hamas’ moral loss.”",
         ["“Hamas bit the bullet.", "Assad’s political gain is Hamas’ moral loss.”"]),
        ("It rose 12% in 2021! Officials cheered.", ["It rose 12% in 2021!", "Officials cheered."]),
        ("Visit example.com for more. Then call.", ["Visit example.com for more.", "Then call."]),
    ],
)
def test_sentence_splitter_handles_news_cases(text, expected):
    assert sentences(text) == expected


def test_sentence_offsets_index_the_original_text():
    text = "  “We are restoring ties,” al Hayya said.  He smiled.\n"
    norm = normalize(text)
    spans = split_sentences(norm, 0, len(norm))
    assert [text[s:e] for s, e in spans] == ["“We are restoring ties,” al Hayya said.", "He smiled."]


def test_one_line_is_one_paragraph_in_scraped_text():
    text = "Headline here\nFirst paragraph ends.\n\nSecond paragraph ends.\n"
    spans = split_paragraphs(normalize(text))
    assert [text[s:e] for s, e in spans] == ["Headline here", "First paragraph ends.", "Second paragraph ends."]


def test_hard_wrapped_blocks_are_one_paragraph_each():
    line = "The delegation arrived in the Syrian capital on Wednesday morning and"
    text = (f"{line}\nmet officials there for several hours before it left the\ncity again.\n\n"
            f"{line}\nheld talks that lasted well into the night with the host\ngovernment.\n")
    spans = split_paragraphs(normalize(text))
    assert len(spans) == 2
    assert text[spans[0][0]:spans[0][1]].endswith("city again.")


def test_word_spans_keep_names_initialisms_and_numbers_whole():
    text = "al-Hayeh said U.S. aid fell 3.5% in Hamas’ areas; difference.Two"
    norm = normalize(text)
    assert [text[s:e] for s, e in word_spans(norm)] == [
        "al-Hayeh", "said", "U.S.", "aid", "fell", "3.5", "in", "Hamas’", "areas", "difference", "Two"
    ]


def test_seed_sentences_lie_inside_kept_paragraphs(seed_docs):
    for doc in seed_docs.values():
        for s, e in doc.sentences:
            k = doc.paragraph_index(s)
            assert k >= 0 and doc.paragraphs[k][0] <= s < e <= doc.paragraphs[k][1]
            assert doc.text[s:e] == doc.text[s:e].strip()
