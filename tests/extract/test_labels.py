"""The labels extractor: which descriptor the text attaches to each entity mention."""

from __future__ import annotations

import csv
import math
import pickle
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from framing.extract.base import ExtractorOutput
from framing.extract.labels import MENTION_COLUMNS, LabelsExtractor, Mention, find_mentions
from framing.lexicon.load import load_lexicon
from framing.record import Article
from framing.text.segment import Document
from framing.text.textnorm import normalize

REPO = Path(__file__).resolve().parents[2]
TRT = "000_906a3f6f6af02cb7"
INDEPENDENT = "002_a6142d977f266a8d"


def make_doc(text: str) -> Document:
    """A Document with one paragraph per line and a plain sentence split (no cleaning)."""
    norm = normalize(text)
    paragraphs, sentences = [], []
    for line in re.finditer(r"[^\n]+", norm):
        paragraphs.append(line.span())
        for s in re.finditer(r"[^.!?]+(?:[.!?]+[\"']?|$)", norm[line.start():line.end()]):
            a, b = line.start() + s.start(), line.start() + s.end()
            while a < b and norm[a].isspace():
                a += 1
            if a < b:
                sentences.append((a, b))
    return Document(Article(id="t", outlet="o", text=text), norm, tuple(paragraphs), tuple(sentences))


@pytest.fixture(scope="module")
def extractor(lexicon):
    return LabelsExtractor(lexicon=lexicon)


def mentions_of(extractor, text, upstream=None):
    return extractor.extract(make_doc(text), upstream or {}).data


def labelled(ms):
    return [(m.entity, m.surface, m.label, m.attachment) for m in ms]


# --- attachment rules ----------------------------------------------------------------------------


@pytest.mark.parametrize("text, entity, label, rule", [
    ("Officials from the Palestinian militant Hamas group met him.", "Hamas", "militant", "pre"),
    ("Militant Hamas group sends delegation.", "Hamas", "militant", "pre"),
    ("Hamas militants crossed the fence.", "Hamas", "militant", "head"),
    ("Hamas, the militant group that rules Gaza, said so.", "Hamas", "militant", "apposition"),
    ("The delegation met the government of Bashar al-Assad.", "Bashar al-Assad", "government", "of"),
    ("They restored ties with the Syrian regime.", "Syria", "regime", "adjective"),
    ("A close ally of Assad\u2019s government spoke.", "Bashar al-Assad", "government", "head"),
    ("They met Syrian regime leader Bashar al Assad.", "Bashar al-Assad", "regime", "pre"),
    ("They met Syrian President Bashar Assad.", "Bashar al-Assad", "president", "pre"),
    ("Lebanon\u2019s militant Hezbollah group mediated.", "Hezbollah", "militant", "pre"),
    ("Hamas rules the besieged Gaza Strip.", "Gaza Strip", "besieged", "pre"),
])
def test_descriptor_attaches_to_its_entity(extractor, text, entity, label, rule):
    ms = [m for m in mentions_of(extractor, text) if m.entity == entity]
    assert [(m.label, m.attachment) for m in ms] == [(label, rule)]
    (m,) = ms
    assert text[m.label_start:m.label_end] == m.label_surface
    assert m.label_surface.lower().startswith(label.split("_")[0][:5])


def test_an_unlabelled_mention_has_label_none(extractor):
    (m,) = mentions_of(extractor, "Hamas said it would return.")
    assert (m.entity, m.label, m.label_surface, m.label_start, m.label_end) == ("Hamas", "", "", -1, -1)
    assert m.label_set == "armed_group"


def test_descriptor_of_a_non_target_host_attaches_to_nothing(extractor):
    ms = mentions_of(extractor, "Hamas leader Khalil al-Hayya said the American government was wrong.")
    assert labelled(ms) == [("Hamas", "Hamas", "", ""), ("Khalil al-Hayya", "Khalil al-Hayya", "", ""),
                            ("United States", "American", "government", "adjective")]


def test_regime_is_not_found_inside_regimen(extractor):
    assert mentions_of(extractor, "The Syrian regimen of exercise was strict.") == []


def test_an_adjective_without_a_descriptor_is_not_a_mention(extractor):
    ms = mentions_of(extractor, "Syrian officials said Israeli troops left.")
    assert [(m.entity, m.surface) for m in ms] == [("Israel Defense Forces", "Israeli troops")]


def test_descriptor_heading_a_definite_noun_phrase_is_anaphora(extractor):
    (m,) = mentions_of(extractor, "The Palestinian militants fired rockets.")
    assert (m.entity, m.label_set, m.label, m.anaphora, m.attachment) == ("", "armed_group", "militant", True, "anaphora")
    assert (m.start, m.end, m.surface) == (16, 25, "militants")
    assert mentions_of(extractor, "Three militants were killed.") == []


def test_stacked_descriptors_give_one_label_and_extras(extractor):
    (m,) = [m for m in mentions_of(extractor, "Iran-backed Houthi rebels fired a missile.") if m.entity == "Houthis"]
    assert (m.label, m.attachment) == ("rebel", "head")
    assert [(u.label, u.surface, u.attachment) for u in m.extra] == [("iran-backed", "Iran-backed", "pre")]
    assert m.row()["extra_labels"] == "iran-backed@0:11"


def test_hyphenated_compounds_are_marked_and_kept_apart(extractor):
    ms = mentions_of(extractor, "The pro-government daily said a Hamas-led body met anti-regime activists.")
    rows = [(m.entity, m.surface, m.label_set, m.label, m.compound) for m in ms]
    assert rows == [("", "pro-government", "state", "pro-government", True),
                    ("Hamas", "Hamas", "", "", True),
                    ("", "anti-regime", "state", "anti-regime", True)]


def test_possessive_is_a_mention_without_its_apostrophe(extractor):
    text = "Syria\u2019s Assad met Hamas\u2019 envoy."
    assert [m.surface for m in mentions_of(extractor, text)] == ["Syria", "Assad", "Hamas"]


def test_direct_quotes_are_marked_and_left_out_of_label_counts(extractor):
    @dataclass
    class Quote:
        kind: str
        start: int
        end: int

    text = "He said: \u201cHamas terrorists attacked us.\u201d Hamas militants denied it."
    quotes = ExtractorOutput(data=[Quote("direct", 10, 36)])
    out = extractor.extract(make_doc(text), {"quotes": quotes})
    assert [(m.label, m.quoted) for m in out.data] == [("terrorist", True), ("militant", False)]
    assert out.features["armed_group.terrorist"] == 0
    assert out.features["armed_group.militant"] == 1
    assert out.features["armed_group.quoted"] == 1


def test_offsets_give_the_surface_and_rows_follow_the_columns(extractor):
    text = "In Türkiye, al\u2011Hayya met the Syrian government and Israeli forces.\nThe regime said so."
    out = extractor.extract(make_doc(text), {})
    for m in out.data:
        assert text[m.start:m.end] == m.surface
        if m.label:
            assert text[m.label_start:m.label_end] == m.label_surface
    assert all(tuple(r) == MENTION_COLUMNS for r in out.tables["mentions"])
    assert [m.sentence for m in out.data] == sorted(m.sentence for m in out.data)


def test_features_are_the_same_names_for_every_article(extractor):
    a = extractor.extract(make_doc("Hamas militants met the Syrian regime."), {}).features
    b = extractor.extract(make_doc("Nothing here."), {}).features
    assert list(a) == list(b) == list(extractor.feature_names())
    assert a["armed_group.militant"] == 1 and a["state.regime"] == 1
    assert a["armed_group.labelled_share"] == 1.0 and a["armed_group.labelled_share.hamas"] == 1.0
    assert math.isnan(b["armed_group.labelled_share"]) and b["armed_group.militant"] == 0
    assert a["armed_group.per_1k_words"] == pytest.approx(1000 * 1 / 6)


def test_mention_objects_carry_what_stance_and_sentiment_read(extractor):
    (m,) = mentions_of(extractor, "Hamas militants met.")
    assert isinstance(m, Mention)
    for attr in ("entity", "surface", "variant", "label_set", "label", "label_surface", "start", "end",
                 "label_start", "label_end"):
        assert hasattr(m, attr)


def test_extractor_pickles_for_worker_processes(extractor):
    clone = pickle.loads(pickle.dumps(extractor))
    assert labelled(mentions_of(clone, "Hamas militants met.")) == [("Hamas", "Hamas", "militant", "head")]


def test_find_mentions_ignores_text_outside_the_sentences(lexicon):
    text = "Hamas met. READ MORE: Hezbollah"
    assert [m.entity for m in find_mentions(text, [(0, 10)], lexicon)] == ["Hamas"]


# --- the seeds, as the issue reads them by hand ---------------------------------------------------


@pytest.fixture(scope="module")
def seed_mentions(seed_docs, extractor):
    return {i: extractor.extract(doc, {}) for i, doc in seed_docs.items()}


def _labelled(out, entity):
    return [(m.label, m.label_start, m.end) for m in out.data if m.entity == entity and m.label and not m.anaphora]


def test_independent_labels_hamas_militant_in_headline_standfirst_and_lead(seed_mentions, seed_docs):
    doc = seed_docs[INDEPENDENT]
    # "Militant Hamas group back ..." (headline), "the Palestinian militant Hamas group" (standfirst, lead)
    assert _labelled(seed_mentions[INDEPENDENT], "Hamas") == [("militant", 0, 14), ("militant", 103, 117),
                                                             ("militant", 1267, 1281)]
    militant = [m for m in seed_mentions[INDEPENDENT].data if m.entity == "Hamas" and m.label == "militant"
                and not m.anaphora]
    assert [doc.paragraph_index(m.start) for m in militant] == [0, 1, 2]  # the appeal is not a paragraph
    assert seed_mentions[INDEPENDENT].features["armed_group.labelled_share.hamas"] == 3 / 17
    assert not [m for m in seed_mentions[INDEPENDENT].data if m.label == "regime"]


def test_trt_never_labels_hamas_and_writes_regime_three_times(seed_mentions):
    out = seed_mentions[TRT]
    hamas = [m for m in out.data if m.entity == "Hamas"]
    # 18 times in the text, 2 of them in the removed READ MORE lines
    assert all(m.label == "" for m in hamas) and len(hamas) == 16
    # "the Syrian regime" twice, "Syrian regime forces" once
    regime = [(m.entity, m.start, m.label_end) for m in out.data if m.label == "regime"]
    assert regime == [("Syria", 760, 773), ("Syria", 2499, 2512), ("Syria", 3563, 3576)]
    assert (out.features["state.regime"], out.features["state.government"]) == (3, 0)
    # the only other state descriptor is the title in "President Assad"
    assert [(m.label, m.label_start) for m in out.data if m.label and m.label != "regime" and not m.compound] == [
        ("president", 1379)]


def test_independent_writes_the_syrian_government_once(seed_mentions):
    out = seed_mentions[INDEPENDENT]
    assert [(m.entity, m.start, m.label_end) for m in out.data if m.label == "government"] == [("Syria", 1531, 1548)]
    assert (out.features["state.regime"], out.features["state.government"]) == (0, 1)
    (president,) = [m for m in out.data if m.label == "president"]
    assert (president.entity, president.label_start, president.end) == ("Bashar al-Assad", 1660, 1682)


def test_seed_spellings_resolve_to_one_entity_each(seed_mentions):
    def spellings(art, entity):
        return sorted({m.surface for m in seed_mentions[art].data if m.entity == entity})

    assert spellings(TRT, "Khalil al-Hayya") == ["Al Hayya", "Hayya", "Khalil al Hayya"]
    assert spellings(INDEPENDENT, "Khalil al-Hayya") == ["Al-Hayeh", "Khalil al-Hayeh", "al-Hayeh"]
    assert spellings(TRT, "Turkey") == ["Türkiye"] and spellings(INDEPENDENT, "Turkey") == ["Turkey"]
    assert [m.start for m in seed_mentions[TRT].data if m.entity == "Turkey"] == [1441, 3923]
    assert spellings(TRT, "Bashar al-Assad") == ["Assad", "Bashar al Assad"]
    assert spellings(INDEPENDENT, "Bashar al-Assad") == ["Assad", "Bashar Assad"]


def test_lebanons_militant_hezbollah_group_is_a_labelled_mention(seed_mentions, seed_docs):
    text = seed_docs[INDEPENDENT].text
    hezbollah = [m for m in seed_mentions[INDEPENDENT].data if m.entity == "Hezbollah"]
    assert [(m.label, m.label_start, m.end) for m in hezbollah] == [
        ("militant", 1606, 1624), ("iran-backed", 1715, 1736), ("", -1, 2667)]
    assert text[1606:1624 + len(" group")] == "militant Hezbollah group"
    assert text[1715:1736] == "Iran-backed Hezbollah"


def test_the_palestinian_militants_resolve_to_hamas_and_other_anaphora_say_why_not(seed_mentions, seed_docs):
    text = seed_docs[INDEPENDENT].text
    anaphora = [m for m in seed_mentions[INDEPENDENT].data if m.anaphora]
    assert [(text[m.start - 16:m.end], m.entity) for m in anaphora] == [
        ("the Palestinian militants", "Hamas"), (" sided with the rebels", ""), ("o oust him. The rebels", ""),
        ("the Palestinian resistance", "")]
    first = anaphora[0]
    assert first.note.startswith("resolved:") and "'palestinian' at 112" in first.note
    assert all(m.note.startswith("unresolved:") for m in anaphora[1:])
    assert "(Hamas) was called 'rebel'" in anaphora[1].note
    # resolving the reference does not make it a labelled name: militant Hamas stays 3
    assert seed_mentions[INDEPENDENT].features["armed_group.militant"] == 4  # 3 Hamas + 1 Hezbollah
    assert seed_mentions[INDEPENDENT].features["armed_group.anaphora"] == 4


def test_anaphora_needs_one_candidate_that_the_article_described_so(lexicon):
    from framing.extract.attachment import find_mentions

    def resolved(text):
        spans = [(0, len(text))]
        return [(m.surface, m.entity) for m in find_mentions(text, spans, lexicon, paragraphs=spans) if m.anaphora]

    assert resolved("The militant Hamas group met Hezbollah officials. Later the militants left.") == [
        ("militants", "Hamas")]
    both = "The Palestinian militant Hamas group and Lebanon's militant Hezbollah group met. The militants left."
    assert resolved(both) == [("militants", "")]
    assert resolved(both.replace("The militants", "The Palestinian militants")) == [("militants", "Hamas")]
    # a candidate only in an earlier paragraph is not one
    text = "The militant Hamas group spoke.\n\nThe militants left."
    ms = find_mentions(text, [(0, 31), (33, len(text))], lexicon, paragraphs=[(0, 31), (33, len(text))])
    assert [(m.entity, m.note) for m in ms if m.anaphora] == [
        ("", "unresolved: no armed_group target named earlier in the paragraph")]


def test_every_seed_mention_offset_gives_its_surface(seed_mentions, seed_docs):
    for i, out in seed_mentions.items():
        text = seed_docs[i].text
        for m in out.data:
            assert text[m.start:m.end] == m.surface
            assert m.label_start == -1 or text[m.label_start:m.label_end] == m.label_surface


# --- NewsWCL50: annotated named mentions are found ------------------------------------------------

CONCEPTS = {"PRK\\Kim": "Kim Jong-un", "PRK\\Jong Un": "Kim Jong-un", "USA\\Trump": "Donald Trump",
            "USA\\Comey": "James Comey", "FRA\\Macron": "Emmanuel Macron", "JPN\\Abe": "Shinzo Abe",
            "KOR\\Moon": "Moon Jae-in", "USA\\Mike Pompeo": "Mike Pompeo", "PRK": "North Korea", "IRN": "Iran"}


def test_newswcl_annotated_named_mentions_are_found(shared_data):
    from framing.read.corpus import read_articles
    from framing.text.segment import build_document

    lexicon = load_lexicon([REPO / "tests" / "data" / "newswcl_lexicon"], extend=False)
    extractor = LabelsExtractor(lexicon=lexicon)
    wanted: Counter = Counter()
    with open(shared_data / "newswcl50-dev" / "annotations.csv", newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            entity = CONCEPTS.get(row["code_name"])
            form = lexicon.name_for(row["code_mention"]) if entity else None
            if form is not None and form.entity == entity:  # the annotated words are a listed name
                wanted[row["id"].rsplit("_", 1)[0], entity, form.text] += 1
    got: Counter = Counter()
    for article in read_articles([shared_data / "newswcl50-dev" / "articles.jsonl"]):
        for m in extractor.extract(build_document(article), {}).data:
            got[article.id, m.entity, m.variant] += 1
    found = sum(min(n, got[key]) for key, n in wanted.items())
    assert sum(wanted.values()) > 300
    assert found / sum(wanted.values()) >= 0.97


def test_a_descriptor_after_an_unknown_name_is_not_anaphora(extractor):
    assert mentions_of(extractor, "The Obama administration disagreed.") == []
    (m,) = mentions_of(extractor, "The Lebanese government disagreed.")
    assert (m.entity, m.label, m.attachment) == ("Lebanon", "government", "adjective")
    (m,) = mentions_of(extractor, "The Kurdish militants disagreed.")
    assert (m.entity, m.label, m.anaphora) == ("", "militant", True)
