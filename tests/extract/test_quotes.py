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

# Every quotation of the published seeds, read by hand: (kind, start, end, cue, speaker, surface,
# voice, via, nested). A row that appears, vanishes or moves fails the test.
TRT_QUOTES = [
    ("direct", 56, 134, "tells", "Khalil al-Hayya", "senior Hamas leader Khalil al Hayya", "Hamas", "", False),
    ("direct", 879, 957, "told", "Khalil al-Hayya", "senior Hamas leader Khalil al Hayya", "Hamas", "", False),
    ("direct", 1024, 1049, "said", "Khalil al-Hayya", "he", "Hamas", "", False),
    # terming the meeting with Assad as "historic" and "positive": his words, inside his reported speech
    ("indirect", 1069, 1120, "terming", "Khalil al-Hayya", "he", "Hamas", "", False),
    ("partial", 1096, 1104, "terming", "Khalil al-Hayya", "he", "Hamas", "", True),
    ("partial", 1111, 1119, "terming", "Khalil al-Hayya", "he", "Hamas", "", True),
    ("indirect", 1139, 1224, "described", "Khalil al-Hayya", "Hayya", "Hamas", "", False),
    ("partial", 1157, 1223, "described", "Khalil al-Hayya", "Hayya", "Hamas", "", True),
    ("direct", 1227, 1296, "said", "Khalil al-Hayya", "he", "Hamas", "", False),
    ("direct", 1309, 1427, "said", "Khalil al-Hayya", "he", "Hamas", "", False),
    ("indirect", 1441, 1580, "said", "Khalil al-Hayya", "Hayya", "Hamas", "", False),
    # "Hamas signed a reconciliation deal ..., vowing to hold elections": the speaker is "Hamas"
    ("indirect", 2245, 2312, "vowing", "Hamas", "Hamas", "Hamas", "", False),
    ("indirect", 2444, 2512, "said", "Hamas", "Hamas", "Hamas", "", False),
    ("direct", 2516, 2648, "said", "Fawaz Gerges", "Fawaz Gerges", "analysts", "", False),
    ("direct", 2773, 2839, "said", "Fawaz Gerges", "Fawaz Gerges", "analysts", "", False),  # no cue of its own
    # Assad told the Palestinian delegation that "...", SANA news agency reported: one quotation
    ("direct", 3023, 3136, "told", "Bashar al-Assad", "Assad", "Syrian state", "SANA", False),
    ("indirect", 3182, 3306, "added", "Bashar al-Assad", "He", "Syrian state", "", False),
    ("partial", 3189, 3295, "added", "Bashar al-Assad", "He", "Syrian state", "", True),
    ("scare", 3401, 3419, "", "", "", "unattributed", "", False),
]
INDEPENDENT_QUOTES = [
    ("indirect", 2768, 2833, "said", "Khalil al-Hayya", "al-Hayeh", "Hamas", "", False),
    ("partial", 2779, 2832, "said", "Khalil al-Hayya", "al-Hayeh", "Hamas", "", True),
    ("indirect", 2845, 2872, "called", "Khalil al-Hayya", "al-Hayeh", "Hamas", "", False),
    ("partial", 2858, 2871, "called", "Khalil al-Hayya", "al-Hayeh", "Hamas", "", True),
    ("direct", 2874, 2936, "said", "Khalil al-Hayya", "al-Hayeh", "Hamas", "", False),
    ("indirect", 2966, 3029, "adding", "Khalil al-Hayya", "al-Hayeh", "Hamas", "", False),
    ("partial", 2988, 3028, "adding", "Khalil al-Hayya", "al-Hayeh", "Hamas", "", True),
    ("scare", 3240, 3258, "", "", "", "unattributed", "", False),
    # Al-Watan's words end at the dash: "— an apparent reference to ..." is the AP's gloss
    ("indirect", 3612, 3717, "says", "Al-Watan", "The pro-government Al-Watan daily", "Syrian state media", "", False),
    ("partial", 3651, 3668, "says", "Al-Watan", "The pro-government Al-Watan daily", "Syrian state media", "", True),
]


def _table(quotes):
    return [(q.kind, q.start, q.end, q.cue, q.speaker, q.speaker_surface, q.voice, q.via, q.nested) for q in quotes]


def test_every_trt_quotation_as_read_by_hand(seeds):
    assert _table(seeds[TRT]) == TRT_QUOTES


def test_every_independent_quotation_as_read_by_hand(seeds):
    assert _table(seeds[INDEPENDENT]) == INDEPENDENT_QUOTES


def test_maintained_relations_is_not_speech_in_either_seed(seeds, seed_docs):
    for article in (TRT, INDEPENDENT):
        assert "maintained their relations with Hamas" in seed_docs[article].text
        assert not [q for q in seeds[article] if q.cue == "maintained"]


def test_every_partial_quote_has_the_speaker_of_its_host(seeds):
    for quotes in seeds.values():
        partials = [q for q in quotes if q.kind == "partial"]
        assert partials
        for p in partials:
            (host,) = [q for q in quotes if q.kind == "indirect" and q.start <= p.start and p.end <= q.end]
            assert (p.speaker, p.cue, p.group, p.nested) == (host.speaker, host.cue, host.group, True)


def test_assads_sana_relay_is_one_quotation_and_sana_is_no_speaker(seeds):
    assad = [q for q in seeds[TRT] if "despite the war" in q.content]
    assert [(q.kind, q.speaker, q.via, q.cue) for q in assad] == [("direct", "Bashar al-Assad", "SANA", "told")]
    assert not [q for q in seeds[TRT] if q.speaker == "SANA"]
    assert "reported via SANA" in assad[0].note


def test_the_speaker_phrase_is_never_a_verb(seeds):
    for quotes in seeds.values():
        for q in quotes:
            assert not q.speaker_surface.endswith(("signed", "said", "told", "vowing"))


def test_trt_restoring_relations_is_al_hayya_of_hamas(seeds):
    q = _one(seeds[TRT], "We are restoring our relations with Syria", "direct")
    assert (q.speaker, q.voice, q.cue) == ("Khalil al-Hayya", "Hamas", "tells")


def test_trt_he_said_keeps_the_pronoun_and_resolves_to_al_hayya(seeds):
    q = _one(seeds[TRT], "We have overcome the past", "direct")
    assert (q.speaker_surface, q.speaker, q.voice) == ("he", "Khalil al-Hayya", "Hamas")
    assert "pronoun resolved" in q.note


def test_trt_cueless_quote_paragraph_takes_the_speaker_of_the_previous_paragraph(seeds):
    q = _one(seeds[TRT], "Hamas bit the bullet", "direct")
    assert q.content.endswith("Hamas’ moral loss.")
    assert (q.speaker, q.voice) == ("Fawaz Gerges", "analysts")
    assert q.speaker_start < q.start and "carried" in q.note


def test_independent_al_hayeh_is_the_same_hamas_voice_as_trts_al_hayya(seeds):
    glorious = _one(seeds[INDEPENDENT], "glorious day", "partial")
    god = _one(seeds[INDEPENDENT], "God willing", "direct")
    trt = _one(seeds[TRT], "We are restoring", "direct")
    assert glorious.speaker == god.speaker == trt.speaker == "Khalil al-Hayya"
    assert glorious.voice == god.voice == "Hamas" and glorious.cue == "called"


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


def test_unknown_speaker_says_why_and_a_quote_with_no_speaker_is_unattributed(extractor):
    quotes = _quotes(extractor, "“We will never leave this town, whatever they say,” Jane Roe said.\n\n"
                                "Elsewhere, people waited.\n\nNobody spoke.\n\n“The town is lost, and so are we.”")
    assert [(q.speaker, q.voice) for q in quotes] == [("Jane Roe", "unknown: no affiliation in text"),
                                                      ("", "unattributed")]


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


def test_unbalanced_marks_are_record_warnings_not_stderr_lines(extractor, caplog):
    doc = build_document(Article(id="t", outlet="o", text="“It never ends, she said.\n\nThe end."))
    with caplog.at_level("WARNING", logger="framing.extract.quotes"):
        out = extractor.extract(doc, {})
    assert out.warnings == ("unclosed quotation mark at 0 (the quote ends at the paragraph end)",)
    assert not caplog.records


def test_a_run_summarises_warnings_in_one_line_per_kind(tmp_path, caplog):
    import framing

    rows = [{"id": f"r{i}", "outlet": "o", "text": f"“Open mark {i}, he said.\n\nNext paragraph."} for i in range(3)]
    rows.append({"id": "fine", "outlet": "o", "text": "“Closed,” he said."})
    path = tmp_path / "c.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    with caplog.at_level("WARNING", logger="framing"):
        result = framing.analyze(path, stats=False, crossdoc=False, progress=False)
    kind = "unclosed quotation mark at N (the quote ends at the paragraph end)"
    assert result.manifest["records"]["warnings"] == {kind: 3}
    assert [r.getMessage() for r in caplog.records if "records:" in r.getMessage()] == [
        f"3 of 4 records: {kind} (each record's own in articles.warnings)"]
    warned = result.articles.set_index("id")["warnings"]
    assert warned["r0"] == "unclosed quotation mark at 0 (the quote ends at the paragraph end)" and warned["fine"] == ""


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
    assert (one.features["n_voices"], one.features["voice_entropy"],
            one.features["share.unknown_no_affiliation_in_text"]) == (1.0, 0.0, 1.0)


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


# --- attribution rules found on the published seeds and the PolNeAR dev split --------------------

@pytest.mark.parametrize("text, fragment, speaker_surface, cue", [
    # a question ends its sentence inside the marks; the cue is in the next "sentence"
    ("“Is anyone still counting the votes?” the mayor asked. “Nobody is.”", "anyone still", "the mayor", "asked"),
    # manner-of-speaking verbs
    ("“Open the gates now!” the crowd shouted outside the ministry.", "Open the gates", "the crowd", "shouted"),
    # the pronoun after a named introduction keeps its mention and resolves to the name
    ("Senator Ann Berg scolded the minister: “Your ministry failed the farmers,” she said.", "Your ministry", "she", "said"),
    # two appositions between the name and the cue
    ("“We will appeal,” Dana Roe, the lawyer for the families, one of three firms on the case, said.",
     "We will appeal", "Dana Roe", "said"),
    # a colon introduction without a speech verb: the subject of the last clause
    ("Tired of the delays, the union put up a short message: “We are done waiting.”", "done waiting", "the union", ":"),
    # "X issued a statement calling ...": the issuer speaks
    ("The council issued a statement calling the test “a grave violation of the accord”.", "grave violation",
     "The council", "calling"),
])
def test_speaker_rules_on_written_sentences(extractor, text, fragment, speaker_surface, cue):
    q = _one(_quotes(extractor, text), fragment)
    assert (q.speaker_surface, q.cue) == (speaker_surface, cue)


def test_a_pronoun_introduced_by_a_name_resolves_to_that_name(extractor):
    q = _one(_quotes(extractor, "Senator Ann Berg scolded the minister: “Your ministry failed,” she said."), "ministry")
    assert q.speaker == "Ann Berg" and "introduces the quote" in q.note  # the title is not part of the name


def test_a_title_before_a_cue_is_not_the_quotation(extractor):
    quotes = _quotes(extractor, 'Speaking on "Meet the Press," Senator Ann Berg said the vote was "a disgrace."')
    title = _one(quotes, "Meet the Press")
    assert title.kind == "scare" and title.speaker == ""
    assert _one(quotes, "the vote was", "indirect").speaker_surface == "Senator Ann Berg"


def test_a_reported_clause_stops_where_a_new_speaker_reports(extractor):
    text = ("She said the plan had failed, and when asked about the budget, the finance minister replied, "
            "“We will find the money.”")
    quotes = _quotes(extractor, text)
    assert _one(quotes, "the plan had failed", "indirect").content == "the plan had failed"
    assert _one(quotes, "find the money", "direct").speaker_surface == "the finance minister"


def test_a_passive_after_a_comma_is_not_a_new_speaker(extractor):
    text = "The envoy said Qatar and Egypt, the main mediators, were informed of the decision."
    (q,) = _quotes(extractor, text)
    assert q.content == "Qatar and Egypt, the main mediators, were informed of the decision"


def test_the_writers_gloss_after_a_dash_is_not_the_sources_words(extractor):
    text = "The daily says the ministry will talk only to the “moderate wing” — an apparent reference to its leader."
    quotes = _quotes(extractor, text)
    assert _one(quotes, "the ministry will talk", "indirect").content.endswith("“moderate wing”")


def test_maintain_continue_and_find_report_speech_only_with_a_clause(extractor):
    assert _quotes(extractor, "Over the years, Iran has maintained its relations with the group.") == []
    assert _quotes(extractor, "The army continued its advance on the city.") == []
    (q,) = _quotes(extractor, "The minister maintained that the talks were on track.")
    assert (q.kind, q.cue, q.content) == ("indirect", "maintained", "the talks were on track")
