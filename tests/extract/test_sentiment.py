"""Sentiment: VADER per normalised sentence, authorial vs quoted voice, per entity."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from upstream import Mention, Quote
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from framing.extract.base import ExtractorOutput
from framing.extract.sentiment import SentimentExtractor, unscored_terms
from framing.record import Article
from framing.text.segment import Document
from framing.text.textnorm import normalize

REPO = Path(__file__).resolve().parents[2]
SEEDS = sorted((REPO / "seeds").glob("*.txt"))




@pytest.fixture(scope="module")
def extractor():
    return SentimentExtractor()


@pytest.fixture(scope="module")
def vader():
    return SentimentIntensityAnalyzer()


def make_doc(*paragraphs: list[str]) -> Document:
    """A document whose sentences are exactly the given strings (spaces between, lines apart)."""
    text, spans, paras = "", [], []
    for sentences in paragraphs:
        if text:
            text += "\n"
        p_start = len(text)
        for i, sentence in enumerate(sentences):
            if i:
                text += " "
            spans.append((len(text), len(text) + len(sentence)))
            text += sentence
        paras.append((p_start, len(text)))
    article = Article(id="a", outlet="o", text=text)
    return Document(article, normalize(text), tuple(paras), tuple(spans))


def span_of(doc: Document, fragment: str) -> tuple[int, int]:
    start = doc.text.index(fragment)
    return start, start + len(fragment)


def upstream(quotes=(), mentions=()) -> dict[str, ExtractorOutput]:
    return {
        "quotes": ExtractorOutput(data=list(quotes)),
        "labels": ExtractorOutput(data=list(mentions)),
    }


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem)
def test_each_sentence_scores_exactly_as_vader_on_the_normalised_sentence(path, extractor, vader):
    from framing.text.segment import build_document

    doc = build_document(Article(id=path.stem, outlet="o", text=path.read_text(encoding="utf-8")))
    out = extractor.extract(doc, {})
    assert out.data.compound == tuple(
        vader.polarity_scores(normalize(doc.text[s:e]))["compound"] for s, e in doc.sentences
    )
    assert out.features["n_sentences"] == len(doc.sentences)
    assert out.features["mean_compound"] == pytest.approx(
        sum(out.data.compound) / len(doc.sentences), abs=1e-12
    )


def test_curly_quotes_do_not_hide_a_word_from_vader(extractor, vader):
    assert vader.polarity_scores("“positive”")["compound"] == 0.0  # why normalisation matters
    doc = make_doc(["“positive”"])
    assert extractor.extract(doc, {}).data.compound == (0.5574,)
    assert extractor.compound("“positive”") == vader.polarity_scores('"positive"')["compound"]


def test_curly_apostrophe_keeps_vader_negation(extractor, vader):
    assert vader.polarity_scores("They aren’t good")["compound"] == 0.4404  # broken negation
    doc = make_doc(["They aren’t good"])
    assert extractor.extract(doc, {}).data.compound == (-0.3412,)
    assert (
        extractor.compound("They aren’t good")
        == vader.polarity_scores("They aren't good")["compound"]
    )


def test_quoted_anger_does_not_make_the_outlet_sound_negative(extractor, vader):
    doc = make_doc(
        ["The delegation met officials in Damascus on Wednesday."],
        ["“This is a brutal, hateful and disgusting betrayal,” a resident said."],
        ["He said the visit was a terrible mistake."],
    )
    direct = Quote("direct", *span_of(doc, "This is a brutal, hateful and disgusting betrayal,"))
    indirect = Quote("indirect", *span_of(doc, "the visit was a terrible mistake"))
    f = extractor.extract(doc, upstream([direct, indirect])).features
    assert f["n_sentences"] == 3 and f["n_authorial"] == 1 and f["n_quote_sentences"] == 2
    assert f["authorial_mean_compound"] == 0.0 and f["authorial_share_negative"] == 0.0
    assert f["n_quoted"] == 2 and f["quoted_share_negative"] == 1.0
    expected = [
        vader.polarity_scores(doc.text[q.start : q.end])["compound"] for q in (direct, indirect)
    ]
    assert f["quoted_mean_compound"] == pytest.approx(sum(expected) / 2, abs=1e-12)
    assert f["mean_compound"] < 0  # voice-blind figure would blame the outlet


def test_scare_quotes_stay_authorial(extractor, vader):
    doc = make_doc(["Iran calls the alliance an “axis of resistance” against Israel."])
    scare = Quote("scare", *span_of(doc, "axis of resistance"))
    f = extractor.extract(doc, upstream([scare])).features
    assert f["n_authorial"] == 1 and f["n_quoted"] == 0 and f["n_quote_sentences"] == 0
    assert f["authorial_mean_compound"] == vader.polarity_scores(normalize(doc.text))["compound"]


def test_a_quote_over_two_sentences_is_scored_sentence_by_sentence(extractor, vader):
    doc = make_doc(["“We are proud.", "We are happy,” he said."], ["The meeting ended."])
    quote = Quote("direct", *span_of(doc, "We are proud. We are happy,"))
    out = extractor.extract(doc, upstream([quote]))
    pieces = [doc.text[s:e] for (s, e), _ in out.data.quoted]
    assert pieces == ["We are proud.", "We are happy,"]
    assert [c for _, c in out.data.quoted] == [vader.polarity_scores(p)["compound"] for p in pieces]
    assert out.data.authorial == (False, False, True)


def test_missing_upstream_means_no_quotes_and_no_entities(extractor):
    doc = make_doc(["Peace is wonderful.", "War is terrible."])
    out = extractor.extract(doc, {})
    f = out.features
    assert f["n_authorial"] == 2 and f["n_quoted"] == 0
    assert math.isnan(f["quoted_mean_compound"]) and math.isnan(f["quoted_share_positive"])
    assert f["share_positive"] == 0.5 and f["share_negative"] == 0.5
    assert out.tables == {"entity_sentiment": []}


def test_empty_document_counts_zero_and_leaves_means_undefined(extractor):
    doc = Document(Article(id="e", outlet="o", text=""), "", (), ())
    f = extractor.extract(doc, upstream()).features
    assert f["n_sentences"] == f["n_authorial"] == f["n_quoted"] == 0
    assert all(math.isnan(f[k]) for k in f if not k.startswith("n_"))


def test_entity_sentiment_uses_authorial_sentences_once_each(extractor, vader):
    doc = make_doc(
        ["Hamas praised Hamas allies in a wonderful, friendly meeting."],
        ["Assad hosted a brutal crackdown."],
        ["“Hamas betrayed us,” Assad said."],
    )
    text = doc.text
    mentions = [
        Mention("Hamas", text.index("Hamas praised"), text.index("Hamas praised") + 5),
        Mention("Hamas", text.index("Hamas allies"), text.index("Hamas allies") + 5),
        Mention("Bashar al-Assad", text.index("Assad hosted"), text.index("Assad hosted") + 5),
        Mention("Hamas", text.index("Hamas betrayed"), text.index("Hamas betrayed") + 5),
        Mention("Bashar al-Assad", text.index("Assad said"), text.index("Assad said") + 5),
        Mention("Iran", text.index("“Hamas betrayed") + 1, text.index("“Hamas betrayed") + 6),
        Mention("", 0, 5),
    ]
    quote = Quote("direct", *span_of(doc, "Hamas betrayed us,"))
    rows = extractor.extract(doc, upstream([quote], mentions)).tables["entity_sentiment"]
    assert [r["entity"] for r in rows] == ["Bashar al-Assad", "Hamas", "Iran"]
    by = {r["entity"]: r for r in rows}
    first = vader.polarity_scores(text[doc.sentences[0][0] : doc.sentences[0][1]])["compound"]
    second = vader.polarity_scores(text[doc.sentences[1][0] : doc.sentences[1][1]])["compound"]
    assert by["Hamas"] == {"entity": "Hamas", "n_sentences": 1, "mean_compound": first}
    assert by["Bashar al-Assad"]["n_sentences"] == 1
    assert by["Bashar al-Assad"]["mean_compound"] == second
    assert by["Iran"]["n_sentences"] == 0 and math.isnan(by["Iran"]["mean_compound"])
    assert set(rows[0]) == set(SentimentExtractor.columns["entity_sentiment"])


def test_unknown_quote_kind_is_an_error(extractor):
    doc = make_doc(["He said yes."])
    with pytest.raises(ValueError, match="quote kind 'paraphrase'"):
        extractor.extract(doc, upstream([Quote("paraphrase", 8, 11)]))


def test_unscored_terms_names_labels_vader_cannot_see():
    terms = ["militant", "regime", "terrorist", "fighter", "armed group", "Islamist", "regime"]
    assert unscored_terms(terms) == ["militant", "regime", "armed group", "Islamist"]
    assert unscored_terms(["“terrorist”", "freedom fighters"]) == []
    with pytest.raises(TypeError):
        unscored_terms([None])


def test_feature_names_are_stable_and_match_the_output(extractor):
    names = extractor.feature_names()
    assert tuple(extractor.extract(make_doc(["Fine."]), {}).features) == names
    assert names == SentimentExtractor().feature_names()
    assert SentimentExtractor.name == "sentiment"
    assert SentimentExtractor.requires == ("labels", "quotes")
    assert SentimentExtractor.tables == ("entity_sentiment",)


def test_thresholds_are_keyword_only_and_validated():
    with pytest.raises(ValueError, match="below"):
        SentimentExtractor(positive=-0.1, negative=0.1)
    with pytest.raises(ValueError, match="positive"):
        SentimentExtractor(positive=2)
    with pytest.raises(TypeError):
        SentimentExtractor(0.1)
    strict = SentimentExtractor(positive=0.9, negative=-0.9)
    f = strict.extract(make_doc(["Peace is wonderful.", "War is terrible."]), {}).features
    assert f["share_positive"] == 0.0 and f["share_negative"] == 0.0
