"""Stance extractor: per-mention stance rows, voice from quote spans, article summaries."""

from __future__ import annotations

import math

import numpy as np
import pytest
from upstream import Mention, Quote

from framing.extract.base import ExtractorOutput
from framing.extract.stance.extractor import COLUMNS, StanceExtractor
from framing.extract.stance.model import StanceModel
from framing.record import Article
from framing.text.segment import Document
from framing.text.textnorm import normalize

TEXT = ("Smith praised the brave firefighters, but denounced Jones as a corrupt liar. "
        "\u201cJones is a disgrace,\u201d Garcia said. The \u201cexperts\u201d met Lee on Tuesday.")




def _doc(text: str = TEXT) -> Document:
    sentences, start = [], 0
    for i, ch in enumerate(text):
        if ch == "." and (i + 1 == len(text) or text[i + 1] == " "):
            sentences.append((start, i + 1))
            start = i + 2
    return Document(article=Article(id="a1", outlet="X", text=text), norm=normalize(text),
                    paragraphs=((0, len(text)),), sentences=tuple(sentences))


def _mention(entity: str, surface: str, nth: int = 0) -> Mention:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(surface, start + 1)
    return Mention(entity, start, start + len(surface), surface)


MENTIONS = [_mention("Smith", "Smith"), _mention("Jones", "Jones"),
            _mention("Jones", "Jones", 1), _mention("Garcia", "Garcia"), _mention("Lee", "Lee"),
            _mention("", "experts")]
QUOTE_START = TEXT.index("\u201c") + 1
QUOTES = [Quote("direct", QUOTE_START, TEXT.index("\u201d"), "Garcia",
                TEXT.index("Garcia"), TEXT.index("Garcia") + 6),
          Quote("scare", TEXT.index("experts"), TEXT.index("experts") + 7)]


@pytest.fixture(scope="module")
def extractor() -> StanceExtractor:
    return StanceExtractor(model=StanceModel.load())


def _upstream(mentions=MENTIONS, quotes=QUOTES) -> dict[str, ExtractorOutput]:
    up = {}
    if mentions is not None:
        up["labels"] = ExtractorOutput(data=list(mentions))
    if quotes is not None:
        up["quotes"] = ExtractorOutput(data=list(quotes))
    return up


def test_one_row_per_resolved_mention_with_the_table_columns(extractor):
    out = extractor.extract(_doc(), _upstream())
    rows = out.tables["stance"]
    assert [r["entity"] for r in rows] == ["Smith", "Jones", "Jones", "Garcia", "Lee"]
    assert all(tuple(r) == COLUMNS for r in rows)
    for r in rows:
        assert math.isclose(r["p_neg"] + r["p_neu"] + r["p_pos"], 1.0)
        probs = {"negative": r["p_neg"], "neutral": r["p_neu"], "positive": r["p_pos"]}
        assert r["label"] == max(probs, key=probs.get)


def test_stance_differs_between_targets_of_one_sentence(extractor):
    rows = extractor.extract(_doc(), _upstream()).tables["stance"]
    assert rows[0]["label"] == "positive" and rows[1]["label"] == "negative"


def test_mentions_inside_direct_quotes_are_quoted_and_scare_quotes_stay_authorial(extractor):
    rows = extractor.extract(_doc(), _upstream()).tables["stance"]
    voices = {(r["entity"], r["start"]): r["voice"] for r in rows}
    assert voices[("Jones", MENTIONS[2].start)] == "quoted"
    assert voices[("Garcia", MENTIONS[3].start)] == "authorial"
    assert voices[("Lee", MENTIONS[4].start)] == "authorial"


def test_rows_equal_the_model_scores_with_quote_and_speaker_cues(extractor):
    doc = _doc()
    rows = extractor.extract(doc, _upstream()).tables["stance"]
    s, e = doc.sentences[1]
    garcia = MENTIONS[3]
    expected = StanceModel.load().predict_proba(
        [doc.norm[s:e]], [(garcia.start - s, garcia.end - s)], in_quote=[False],
        is_speaker=[True])[0]
    np.testing.assert_allclose([rows[3]["p_neg"], rows[3]["p_neu"], rows[3]["p_pos"]], expected)


def test_article_features_summarise_authorial_mentions(extractor):
    out = extractor.extract(_doc(), _upstream())
    authorial = [r for r in out.tables["stance"] if r["voice"] == "authorial"]
    assert out.features["n_mentions"] == 5 and out.features["n_authorial"] == len(authorial) == 4
    assert math.isclose(out.features["mean_net"],
                        sum(r["p_pos"] - r["p_neg"] for r in authorial) / 4)
    assert out.features["share_negative"] == sum(r["label"] == "negative" for r in authorial) / 4
    assert tuple(out.features) == extractor.feature_names()


def test_without_quotes_every_mention_is_authorial(extractor):
    rows = extractor.extract(_doc(), _upstream(quotes=None)).tables["stance"]
    assert rows and all(r["voice"] == "authorial" for r in rows)


def test_without_labels_there_are_no_rows_and_nan_means(extractor):
    out = extractor.extract(_doc(), _upstream(mentions=None))
    assert out.tables["stance"] == [] and out.features["n_mentions"] == 0
    assert math.isnan(out.features["mean_net"]) and math.isnan(out.features["share_negative"])


def test_unresolved_mentions_are_scored_only_on_request(extractor):
    rows = StanceExtractor(model=extractor.model, include_unresolved=True).extract(_doc(), _upstream()).tables["stance"]
    assert [r["entity"] for r in rows].count("") == 1


def test_an_unknown_quote_kind_is_an_error(extractor):
    with pytest.raises(ValueError, match="quote kind 'rumour'"):
        extractor.extract(_doc(), _upstream(quotes=[Quote("rumour", 0, 5)]))


def test_the_extractor_needs_a_loaded_model_and_reads_no_file(tmp_path):
    with pytest.raises(TypeError, match="loaded StanceModel"):
        StanceExtractor(model=str(tmp_path))
