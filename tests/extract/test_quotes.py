"""Quoted voices: direct, indirect and scare quotes, cue, speaker, voice, features."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import pytest

from framing.extract.base import ExtractorOutput
from framing.extract.quotes import COLUMNS, Quote, QuotesExtractor, find_quotes, pair_quote_marks
from framing.record import Article
from framing.text.segment import build_document
from framing.text.textnorm import normalize

REPO = Path(__file__).resolve().parents[2]
TRT, INDEPENDENT = "000_906a3f6f6af02cb7", "002_a6142d977f266a8d"


@pytest.fixture(scope="module")
def extractor(lexicon):
    return QuotesExtractor(lexicon)


@pytest.fixture(scope="module")
def seeds(seed_docs, extractor):
    """Quote objects of the two seed articles, keyed by article id."""
    return {i: extractor.extract(doc, {}).data for i, doc in seed_docs.items()}


def _quotes(extractor, text: str) -> list[Quote]:
    return extractor.extract(build_document(Article(id="t", outlet="o", text=text)), {}).data


def _one(quotes, fragment: str, kind: str | None = None) -> Quote:
    hits = [q for q in quotes if fragment in q.content and (kind is None or q.kind == kind)]
    assert hits, f"no quote containing {fragment!r} in {[q.content for q in quotes]}"
    return hits[0]


# --- the seeds, as read by hand -----------------------------------------------------------------

def test_trt_restoring_relations_is_al_hayya_of_hamas(seeds):
    q = _one(seeds[TRT], "We are restoring our relations with Syria", "direct")
    assert (q.speaker, q.speaker_surface, q.voice, q.cue) == ("Khalil al-Hayya", "al Hayya", "Hamas", "told")


def test_trt_he_said_keeps_the_pronoun_and_resolves_to_al_hayya(seeds):
    q = _one(seeds[TRT], "We have overcome the past", "direct")
    assert (q.speaker_surface, q.speaker, q.voice) == ("he", "Khalil al-Hayya", "Hamas")
    assert "pronoun resolved" in q.note


def test_trt_cueless_quote_paragraph_takes_the_speaker_of_the_previous_paragraph(seeds):
    q = _one(seeds[TRT], "Hamas bit the bullet", "direct")
    assert q.content.endswith("Hamas’ moral loss.")
    assert (q.speaker, q.voice) == ("Fawaz Gerges", "analysts")
    assert q.speaker_start < q.start and "carried" in q.note


def test_assad_quote_reported_by_sana_is_assads_via_sana(seeds):
    for article in (TRT, INDEPENDENT):
        q = _one(seeds[article], "will not change, whatever the circumstances", "direct")
        assert (q.speaker, q.speaker_surface, q.voice, q.via) == ("Bashar al-Assad", "Assad", "Syrian state", "SANA")


def test_independent_al_hayeh_is_the_same_hamas_voice_as_trts_al_hayya(seeds):
    glorious = _one(seeds[INDEPENDENT], "glorious day", "indirect")
    god = _one(seeds[INDEPENDENT], "God willing", "direct")
    trt = _one(seeds[TRT], "We are restoring", "direct")
    assert glorious.speaker == god.speaker == trt.speaker == "Khalil al-Hayya"
    assert glorious.voice == god.voice == "Hamas" and glorious.cue == "called"
    assert god.speaker_surface == "he"


def test_al_watan_says_is_an_indirect_quote_of_syrian_state_media(seeds):
    q = _one(seeds[INDEPENDENT], "Damascus will be reconciling with Hamas", "indirect")
    assert (q.speaker, q.voice, q.cue) == ("Al-Watan", "Syrian state media", "says")
    assert q.content.endswith("reopen offices in the capital soon")


def test_axis_of_resistance_and_resistance_branch_are_scare_quotes(seeds):
    assert _one(seeds[TRT], "axis of resistance", "scare").content == "axis of resistance"
    assert _one(seeds[TRT], "resistance branch", "scare").content == "resistance branch"


def test_every_offset_gives_its_text(seed_docs, seeds):
    for article, quotes in seeds.items():
        text = seed_docs[article].text
        assert quotes
        for q in quotes:
            assert text[q.start:q.end] == q.content and q.n_words > 0
            assert q.cue_start < 0 or text[q.cue_start:q.cue_end] == q.cue
            assert q.speaker_start < 0 or text[q.speaker_start:q.speaker_end] == q.speaker_surface
            if q.kind != "indirect":
                assert not q.content.startswith(("“", '"')) and not q.content.endswith(("”", '"'))


# --- orders of cue and speaker ------------------------------------------------------------------

@pytest.mark.parametrize("text, speaker, cue", [
    ("“We will win,” Jane Roe said.", "Jane Roe", "said"),
    ("“We will win,” said Jane Roe, a professor at Oxford.", "Jane Roe", "said"),
    ("Jane Roe said: “We will win.”", "Jane Roe", "said"),
    ("Jane Roe added, “We will win.”", "Jane Roe", "added"),
    ("“We will win.” — Jane Roe", "Jane Roe", "—"),
    ("“We will win,” Jane Roe, who leads the party, told reporters on Monday.", "Jane Roe", "told"),
    ("“We will win,” Rep. G.K. Roe (D-N.C.) claimed.", "Rep. G.K. Roe", "claimed"),
])
def test_speaker_and_cue_are_found_in_every_common_order(extractor, text, speaker, cue):
    q = _one(_quotes(extractor, text), "We will win", "direct")
    assert (q.speaker_surface, q.cue) == (speaker, cue)
    assert text[q.speaker_start:q.speaker_end] == speaker


def test_cue_connotation_comes_from_the_verb_lexicon(extractor):
    quotes = _quotes(extractor, "“It was fair,” Jane Roe claimed. “It was not,” John Doe admitted.")
    assert [q.connotation for q in quotes] == ["distancing", "conceding"]


def test_a_quote_interrupted_by_its_cue_is_one_quotation(extractor):
    quotes = _quotes(extractor, "“We came,” she said, “and we stayed.”")
    assert [q.kind for q in quotes] == ["direct", "direct"]
    assert quotes[0].group == quotes[1].group and quotes[1].cue == "said"


@pytest.mark.parametrize("text, content, speaker", [
    ("Jane Roe said the talks would resume next week.", "the talks would resume next week", "Jane Roe"),
    ("Jane Roe told reporters that the talks had failed.", "the talks had failed", "Jane Roe"),
    ("The talks will resume next week, the ministry said.", "The talks will resume next week", "the ministry"),
    ("According to the ministry, the talks will resume next week.", "the talks will resume next week", "the ministry"),
    ("Analysts say the visit reflects a wider shift.", "the visit reflects a wider shift", "Analysts"),
])
def test_indirect_quotes_take_the_clause_the_verb_governs(extractor, text, content, speaker):
    q = _one(_quotes(extractor, text), content, "indirect")
    assert (q.content, q.speaker_surface) == (content, speaker)


def test_role_noun_in_apposition_gives_the_analysts_voice(extractor):
    q = _one(_quotes(extractor, "“It is a shift,” said Jane Roe, a professor of politics."), "shift")
    assert (q.speaker, q.voice) == ("Jane Roe", "analysts")


def test_unknown_speaker_is_other_and_a_quote_with_no_speaker_is_unattributed(extractor):
    quotes = _quotes(extractor, "“We will never leave this town, whatever they say,” Jane Roe said.\n\n"
                                "Elsewhere, people waited.\n\nNobody spoke.\n\n“The town is lost, and so are we.”")
    assert [(q.speaker, q.voice) for q in quotes] == [("Jane Roe", "other"), ("", "unattributed")]


# --- quotation marks ----------------------------------------------------------------------------

def test_unclosed_mark_is_ended_at_its_paragraph_with_a_warning(extractor):
    text = "“We will win, Jane Roe said at the rally.\n\nThe rally ended. “It was great,” John Doe said."
    quotes = _quotes(extractor, text)
    first = _one(quotes, "We will win")
    assert first.end <= text.index("\n") and "unclosed" in first.note
    assert _one(quotes, "It was great").speaker == "John Doe"


def test_stray_closing_mark_is_ignored_with_a_warning():
    text = "He left.” Then “we stayed,” she said."
    raws, warns = pair_quote_marks(text, normalize(text), [(0, len(text))])
    assert [text[r.start:r.end] for r in raws] == ["we stayed,"]
    assert warns and "stray closing" in warns[0]


def test_quotes_at_the_very_start_and_end_of_a_text(extractor):
    text = "“Start here,” she said. The crowd said nothing. He replied: “End here.”"
    quotes = _quotes(extractor, text)
    assert [q.content for q in quotes if q.kind == "direct"] == ["Start here", "End here."]
    assert quotes[-1].end == len(text) - 1


def test_an_article_that_is_one_long_quote_is_one_quotation(extractor):
    text = "“First paragraph of the speech.\n\n“Second paragraph goes on.\n\n“Third and last paragraph.”"
    quotes = _quotes(extractor, text)
    assert [q.content for q in quotes] == ["First paragraph of the speech.", "Second paragraph goes on.",
                                           "Third and last paragraph."]
    assert len({q.group for q in quotes}) == 1 and all(q.kind == "direct" for q in quotes)


def test_an_article_without_closing_marks_loses_no_paragraph(extractor):
    text = "“One, she said.\n\nTwo paragraphs later.\n\n“Three, he said."
    quotes = _quotes(extractor, text)
    assert [q.content for q in quotes] == ["One, she said.", "Three, he said."]
    assert all("unclosed" in q.note for q in quotes)


def test_straight_marks_double_apostrophes_and_nested_single_quotes(extractor):
    quotes = _quotes(extractor, "''We said ‘no’ to them,'' Jane Roe said. \"It was 'final',\" she added.")
    assert [(q.content, q.speaker) for q in quotes] == [("We said ‘no’ to them", "Jane Roe"),
                                                        ("It was 'final'", "Jane Roe")]


def test_empty_text_and_text_without_quotes():
    assert find_quotes("", paragraphs=[], verbs={}) == ([], [])
    assert find_quotes("Nothing here.", paragraphs=[(0, 13)], verbs={}) == ([], [])


def test_unbalanced_marks_are_logged_as_warnings(extractor, caplog):
    with caplog.at_level("WARNING", logger="framing.extract.quotes"):
        _quotes(extractor, "“It never ends, she said.\n\nThe end.")
    assert any("unclosed quotation mark" in r.getMessage() for r in caplog.records)


def test_position_is_headline_lead_body_or_last(extractor):
    text = ("“We will win,” says Roe\n\nJane Roe said on Monday that her party would win the vote in May.\n\n"
            "“It is certain,” she said.\n\n“It is over,” John Doe said.")
    positions = {q.content: q.position for q in _quotes(extractor, text)}
    assert positions == {"We will win": "headline", "her party would win the vote in May": "lead",
                         "It is certain": "body", "It is over": "last"}


def test_plain_callables_resolve_speakers_without_a_lexicon():
    text = "“We are back,” al Hayya said. “We stay,” he added."
    resolve = {"al Hayya": ("Khalil al-Hayya", "Hamas", "person")}.get
    quotes, warns = find_quotes(text, paragraphs=[(0, len(text))], resolve=resolve,
                                verbs={"said": ("say", "neutral"), "added": ("add", "neutral")})
    assert [(q.speaker, q.speaker_surface, q.voice) for q in quotes] == [
        ("Khalil al-Hayya", "al Hayya", "Hamas"), ("Khalil al-Hayya", "he", "Hamas")]
    assert warns == []


# --- table, data and features -------------------------------------------------------------------

def test_extractor_output_rows_data_and_stable_features(extractor, seed_docs):
    names = extractor.feature_names()
    assert names[:7] == ("n_quotes", "n_direct", "n_indirect", "n_scare", "n_voices", "quoted_share",
                         "voice_entropy")
    assert {"share.hamas", "share.analysts", "share.other", "share.unattributed"} <= set(names)
    for doc in seed_docs.values():
        out = extractor.extract(doc, {})
        assert isinstance(out, ExtractorOutput) and set(out.features) == set(names)
        assert all(not math.isnan(v) for v in out.features.values())
        assert [list(r) for r in out.tables["quotes"]] == [list(COLUMNS)] * len(out.tables["quotes"])
        assert [r["content"] for r in out.tables["quotes"]] == [q.content for q in out.data]
        shares = [v for k, v in out.features.items() if k.startswith("share.")]
        assert math.isclose(sum(shares), 1.0) and 0 < out.features["quoted_share"] < 1


def test_features_of_an_article_without_quotes_are_zero_and_one_voice_has_zero_entropy(extractor):
    empty = extractor.extract(build_document(Article(id="e", outlet="o", text="No quotes here.")), {})
    assert set(empty.features.values()) == {0.0}
    one = extractor.extract(build_document(Article(id="v", outlet="o", text="“We won,” Jane Roe said.")), {})
    assert (one.features["n_voices"], one.features["voice_entropy"], one.features["share.other"]) == (1.0, 0.0, 1.0)


def test_attribution_verbs_csv_lists_inflected_forms_with_connotation_and_source():
    with open(REPO / "lexicons" / "attribution_verbs.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    forms = {r["form"]: r for r in rows}
    assert len(forms) == len(rows) and len({r["lemma"] for r in rows}) >= 100
    assert all(r["source"].strip() and r["connotation"].strip() for r in rows)
    assert {forms[f]["connotation"] for f in ("said", "says", "told", "added")} == {"neutral"}
    assert (forms["claimed"]["connotation"], forms["alleged"]["connotation"], forms["admitted"]["connotation"],
            forms["acknowledged"]["connotation"]) == ("distancing", "distancing", "conceding", "conceding")


def test_polnear_dev_offsets_hold_and_nothing_crashes(shared_data, extractor):
    path = shared_data / "polnear-dev" / "articles.jsonl"
    if not path.is_file():
        pytest.skip("PolNeAR dev data absent")
    for line in path.open(encoding="utf-8"):
        a = json.loads(line)
        doc = build_document(Article(id=a["id"], outlet=a["outlet"], text=a["text"]))
        for q in extractor.extract(doc, {}).data:
            assert doc.text[q.start:q.end] == q.content
            assert q.speaker_start < 0 or doc.text[q.speaker_start:q.speaker_end] == q.speaker_surface
