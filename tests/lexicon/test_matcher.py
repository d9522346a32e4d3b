"""The phrase matcher: one automaton, token boundaries, leftmost-longest, folding that keeps offsets."""

from __future__ import annotations

import pickle

import pytest

from framing.lexicon.matcher import Form, Matcher, PhraseIndex, is_compound, match_key


def found(matcher: Matcher, text: str) -> list[str]:
    return [text[m.start:m.end] for m in matcher.find(text)]


def test_match_key_keeps_length_even_when_lower_would_grow():
    text = "İstanbul’s al\u2011Hayya\nsaid"
    key = match_key(text)
    assert len(key) == len(text)
    assert key.endswith("'s al-hayya said")


def test_a_phrase_is_never_found_inside_a_longer_word():
    m = Matcher(["regime", "Israel", "Gaza"])
    assert found(m, "a regimen for Israeli Gazans") == []
    assert found(m, "the regime, Israel and Gaza.") == ["regime", "Israel", "Gaza"]


def test_hyphens_and_apostrophes_are_boundaries():
    m = Matcher(["Hamas", "Syria"])
    assert found(m, "a Hamas-led government, Hamas' office and Syria's army") == ["Hamas", "Hamas", "Syria"]


def test_matching_ignores_case_and_typography_but_reports_original_offsets():
    m = Matcher(["al-Hayya", "B'Tselem"])
    text = "AL\u2011HAYYA met B\u2019Tselem"
    assert [(x.start, x.end) for x in m.find(text)] == [(0, 8), (13, 21)]
    assert found(m, text) == ["AL\u2011HAYYA", "B\u2019Tselem"]


def test_accents_and_spacing_are_spelling_differences():
    m = Matcher(["Türkiye", "al-Hayya"])
    assert found(m, "Turkiye and al Hayya") == []


def test_leftmost_then_longest_match_wins():
    m = Matcher(["resistance movement", "Islamic Resistance Movement", "movement"])
    assert found(m, "the Islamic Resistance Movement, a resistance movement") == [
        "Islamic Resistance Movement", "resistance movement"]


def test_a_long_candidate_failing_the_boundary_does_not_hide_a_shorter_one():
    m = Matcher(["Gaza", "Gaza strip"])
    assert found(m, "Gaza stripped") == ["Gaza"]


def test_exact_case_phrases_only_match_their_case():
    m = Matcher(["US", "Hamas"], exact_case=[True, False])
    assert found(m, "let us see: the US and HAMAS") == ["US", "HAMAS"]


def test_range_limits_the_search_but_not_the_boundary_test():
    m = Matcher(["Israel"])
    text = "Israeli Israel"
    assert found(m, text) == ["Israel"]
    assert m.find(text, 0, 6) == []  # "Israel" inside "Israeli" stays a non-match when the range cuts the word


def test_duplicate_phrases_after_folding_are_rejected():
    with pytest.raises(ValueError, match="same key"):
        Matcher(["Hamas", "HAMAS"])
    with pytest.raises(ValueError, match="empty"):
        Matcher([" "])


def test_matcher_pickles_without_its_automaton_and_rebuilds_it():
    m = Matcher(["Hezbollah", "Hizbollah"])
    m.find("warm Hezbollah")
    clone = pickle.loads(pickle.dumps(m))
    assert clone._automaton is None
    assert found(clone, "Hizbollah and Hezbollah") == ["Hizbollah", "Hezbollah"]


def test_is_compound_detects_hyphen_glue_only():
    text = "pro-government Hamas-led - Syria"
    assert is_compound(text, 4, 14)
    assert is_compound(text, 15, 20)
    assert not is_compound(text, 27, 32)


def test_phrase_index_lookup_and_name_resolution():
    forms = [Form("Houthis", "name", entity="Houthis"), Form("US", "name", entity="United States", exact_case=True),
             Form("regime", "label", label_set="state", label="regime")]
    index = PhraseIndex(forms)
    assert index.name_for("the Houthis'").entity == "Houthis"
    assert index.name_for("us") is None
    assert index.name_for("regime") is None
    assert index.lookup(" Regime, ").label == "regime"
    assert [(m.entity, m.variant) for m in index.find_entities("US regime and the Houthis")] == [
        ("United States", "US"), ("Houthis", "Houthis")]
