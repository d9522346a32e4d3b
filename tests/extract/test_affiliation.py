"""Voices for speakers the lexicon does not know, from the affiliation cues of the text."""

from __future__ import annotations

import pytest

from framing.extract.affiliation import UNKNOWN_NO_CUE, UNKNOWN_PRONOUN, full_name
from framing.extract.quotes import QuotesExtractor
from framing.lexicon.load import LexiconError, load_lexicon
from framing.record import Article
from framing.text.segment import build_document


@pytest.fixture(scope="module")
def extractor():
    return QuotesExtractor(load_lexicon())


def _quotes(extractor, text):
    doc = build_document(Article(id="a1", outlet="Test", text=text))
    return [q for q in extractor.extract(doc, {}).data if q.kind != "scare"]


def _voice(extractor, text, speaker_part):
    quotes = [q for q in _quotes(extractor, text) if speaker_part in q.speaker]
    assert quotes, [(q.speaker, q.voice) for q in _quotes(extractor, text)]
    return quotes[0]


@pytest.mark.parametrize(("text", "speaker", "voice"), [
    ("Republican Sen. John McCain criticised the plan. “This is a mistake,” McCain said.", "McCain", "Republicans"),
    ("“We will not wait,” said Sen. Chuck Schumer (D-N.Y.) on Tuesday.", "Schumer", "Democrats"),
    ("“The vote is close,” Ted Cruz, R-Texas, told reporters.", "Cruz", "Republicans"),
    ("Democratic lawmakers said the bill “goes too far and helps nobody at all.”", "Democratic lawmakers", "Democrats"),
    ("“We are monitoring the situation,” Interior Ministry spokesman Ana Ruiz said.", "Ruiz", "government officials"),
    ("“Inflation will ease by spring,” said Jane Doe, a pollster at a polling firm.", "Doe", "analysts"),
    ("“Two men ran from the store,” said Maria Lopez, a resident of the street.", "Lopez", "residents and witnesses"),
    ("“Officers arrived within minutes,” police said on Friday.", "police", "police"),
])
def test_cue_in_text_gives_the_voice(extractor, text, speaker, voice):
    q = _voice(extractor, text, speaker)
    assert q.voice == voice
    assert "voice from" in q.note and "affiliation_cues.csv:" in q.note   # the cue that decided, checkable


def test_mr_steele_resolves_to_the_full_name_given_earlier_and_keeps_its_cue(extractor):
    text = ("Michael Steele, the Republican national chairman, spoke on Monday.\n\n"
            "“We will win back the House,” Mr. Steele said. “It will take work,” Steele added.")
    quotes = _quotes(extractor, text)
    assert {q.speaker for q in quotes} == {"Michael Steele"}
    assert {q.voice for q in quotes} == {"Republicans"}
    assert "resolved to 'Michael Steele' at 0" in quotes[0].note


def test_a_pronoun_takes_the_voice_of_its_resolved_speaker(extractor):
    text = "“We will win back the House,” said Michael Steele (R-Md.). “It will take work,” he said."
    assert {q.voice for q in _quotes(extractor, text)} == {"Republicans"}


def test_without_a_cue_the_speaker_keeps_the_name_and_voice_says_why(extractor):
    q = _voice(extractor, "“The weather was fine,” said Ava Smith.", "Smith")
    assert (q.speaker, q.voice) == ("Ava Smith", UNKNOWN_NO_CUE)
    assert "no affiliation cue" in q.note


def test_unresolved_pronoun_says_so(extractor):
    q = _quotes(extractor, "“The weather was fine,” I said.")[0]
    assert q.voice == UNKNOWN_PRONOUN


def test_a_word_in_another_sentence_is_not_a_title():
    text = "He grew up in Ohio. Steele said so. Later Michael Steele left."
    assert full_name(text, "Steele") == ("Michael Steele", text.index("Michael"))


def test_lexicon_speaker_keeps_its_lexicon_voice(extractor, seed_docs):
    for doc in seed_docs.values():
        for q in extractor.extract(doc, {}).data:
            if q.speaker == "Khalil al-Hayya":
                assert q.voice == "Hamas"


def test_cue_voices_are_feature_columns(extractor):
    assert {"share.republicans", "share.democrats", "share.unknown_no_affiliation_in_text"} <= set(
        extractor.feature_names())


def test_bad_cue_row_is_a_file_line_error(tmp_path):
    (tmp_path / "affiliation_cues.csv").write_text(
        "voice,kind,pattern,source\nGreens,party,(unclosed,test\nother,role,x,test\nX,faction,x,test\n", encoding="utf-8")
    with pytest.raises(LexiconError) as err:
        load_lexicon(tmp_path)
    text = str(err.value)
    assert "affiliation_cues.csv:2: bad regular expression" in text
    assert "affiliation_cues.csv:3: voice 'other' is reserved" in text
    assert "affiliation_cues.csv:4: unknown kind 'faction'" in text
