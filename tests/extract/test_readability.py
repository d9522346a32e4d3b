"""Readability: counted once, equal to textstat's own functions, offline."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from framing.extract.readability import METRICS, ReadabilityExtractor, TokenFacts, count_text
from framing.record import Article
from framing.text.segment import Document
from framing.text.syllables import write_nltk_cmudict
from framing.text.textnorm import normalize

REPO = Path(__file__).resolve().parents[2]
SEEDS = sorted((REPO / "seeds").glob("*.txt"))
TEXTSTAT_NAME = {"dale_chall": "dale_chall_readability_score"}

VARIED = [
    "",
    "Hello",
    "Hi.",
    "Well - no. Fine -- ok! Yes ... yes. A - b - c. 12 % of 3 ! _ x",
    "Yes. No. We are here today.",
    "Why? Because they said so! Then nothing happened... or did it?",
    "The U.S. envoy, Mr. Smith, arrived at 3.5 p.m. with 1,200 troops.",
    "DON'T shout. They don't know. It's Syria's choice, and Hamas' too; we'd said we'll see.",
    "A decade-long rift ended in a well-publicised, hastily-arranged meeting in Türkiye.",
    "İstanbul and ÇANAKKALE hosted the negotiations; İzmir didn't.",
    "Internationalisation, institutionalisation and incomprehensibility characterised "
    "deliberations.",
    "no terminal punctuation at all in this line\nand a second line without it either",
    "Headline Without A Stop\n\nThe first paragraph starts here. It has two sentences.",
    "Supercalifragilisticexpialidocious antidisestablishmentarianism! "
    "Floccinaucinihilipilification?",
    "The 'quoted' phrase and the ''odd'' marks, plus snake_case_tokens and e-mail addresses.",
    'They said: "We are restoring our relations with Syria, and we are proud of this step."',
    " ".join(
        ["The delegation met officials, analysts and residents in Damascus on Wednesday."] * 40
    ),
]


@pytest.fixture(scope="module")
def textstat(tmp_path_factory):
    """The real textstat, reading the same CMU dictionary from a local NLTK data folder."""
    import nltk

    root = tmp_path_factory.mktemp("nltk_data")
    write_nltk_cmudict(root)
    nltk.data.path.insert(0, str(root))
    import textstat as module

    yield module
    nltk.data.path.remove(str(root))


@pytest.fixture(scope="module")
def facts():
    return TokenFacts()


def _doc(text: str) -> Document:
    from framing.text.segment import build_document

    return build_document(Article(id="t", outlet="o", text=text))


def _assert_textstat_equal(text: str, textstat, facts) -> None:
    counts = count_text(text, facts=facts)
    for name, formula in METRICS.items():
        expected = getattr(textstat, TEXTSTAT_NAME.get(name, name))(text)
        assert formula(counts) == pytest.approx(expected, rel=0, abs=1e-9), (name, text[:60])
    assert counts.words == textstat.lexicon_count(text)
    assert counts.sentences == textstat.sentence_count(text)
    assert counts.syllables == textstat.syllable_count(text)
    assert counts.polysyllables == textstat.polysyllabcount(text)
    assert counts.letters == textstat.letter_count(text)
    assert counts.characters == textstat.char_count(text)


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem)
def test_every_metric_equals_textstat_on_seed_texts(path, textstat, facts):
    text = path.read_text(encoding="utf-8")
    _assert_textstat_equal(normalize(text), textstat, facts)
    _assert_textstat_equal(_doc(text).clean, textstat, facts)


@pytest.mark.parametrize("text", VARIED, ids=range(len(VARIED)))
def test_every_metric_equals_textstat_on_varied_texts(text, textstat, facts):
    _assert_textstat_equal(normalize(text), textstat, facts)


def test_extractor_scores_the_clean_text_of_the_document(textstat):
    text = SEEDS[1].read_text(encoding="utf-8")
    doc = _doc(text)
    features = ReadabilityExtractor().extract(doc, {}).features
    assert features["flesch_reading_ease"] == textstat.flesch_reading_ease(doc.clean)
    assert features["dale_chall"] == textstat.dale_chall_readability_score(doc.clean)
    assert features["words"] == textstat.lexicon_count(doc.clean)


def test_curly_apostrophe_is_normalised_before_counting(textstat):
    curly, straight = "Syria’s president welcomed them.", "Syria's president welcomed them."
    assert textstat.syllable_count(curly) != textstat.syllable_count(straight)
    extractor = ReadabilityExtractor()
    assert extractor.scores(curly) == extractor.scores(straight)
    assert extractor.scores(curly)["syllables"] == textstat.syllable_count(straight)


def test_runs_of_two_words_or_fewer_are_not_sentences(facts):
    assert count_text("Yes. No. We are here today.", facts=facts).sentences == 1
    assert count_text("Yes -- no. We are - - here today.", facts=facts).sentences == 1


def test_short_text_and_smog_sample_are_flagged_but_values_kept(textstat):
    extractor = ReadabilityExtractor()
    short = extractor.scores("The delegation met officials in Damascus on Wednesday.")
    assert short["short_text"] == 1.0 and short["smog_valid"] == 0.0
    assert short["smog_index"] == textstat.smog_index(
        "The delegation met officials in Damascus on Wednesday."
    )
    long_text = " ".join(["The delegation met officials and residents in Damascus."] * 40)
    full = extractor.scores(long_text)
    assert full["short_text"] == 0.0 and full["smog_valid"] == 1.0
    strict = ReadabilityExtractor(min_words=1000, smog_min_sentences=50).scores(long_text)
    assert strict["short_text"] == 1.0 and strict["smog_valid"] == 0.0


def test_empty_text_gives_zero_counts_and_textstat_zeros(textstat):
    features = ReadabilityExtractor().scores("")
    assert features["words"] == 0 and features["sentences"] == 0
    assert features["flesch_reading_ease"] == textstat.flesch_reading_ease("") == 0.0
    assert not any(math.isnan(v) for v in features.values())


def test_feature_names_are_stable_and_match_the_output():
    extractor = ReadabilityExtractor()
    names = extractor.feature_names()
    assert names[:7] == tuple(METRICS)
    assert tuple(extractor.scores("Some text here.")) == names
    assert names == ReadabilityExtractor().feature_names()
    assert ReadabilityExtractor.name == "readability"


def test_bad_options_raise_clear_errors():
    with pytest.raises(ValueError, match="min_words"):
        ReadabilityExtractor(min_words=-1)
    with pytest.raises(ValueError, match="smog_min_sentences"):
        ReadabilityExtractor(smog_min_sentences=2.5)
    with pytest.raises(TypeError):
        ReadabilityExtractor(100)  # options are keyword-only


def test_extractor_survives_pickling_for_worker_processes():
    import pickle

    extractor = pickle.loads(pickle.dumps(ReadabilityExtractor(min_words=50)))
    assert extractor.min_words == 50
    assert extractor.facts_("Regime") == TokenFacts()("Regime") == (2, False, True, False)


def test_works_with_empty_home_and_no_network(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    script = textwrap.dedent(
        f"""
        import json, sys
        sys.path.insert(0, {str(REPO)!r})

        def no_network(event, args):
            if event in ("socket.connect", "socket.getaddrinfo", "urllib.Request"):
                raise RuntimeError("network access attempted: " + event)

        sys.addaudithook(no_network)
        from framing.extract.readability import ReadabilityExtractor
        features = ReadabilityExtractor().scores(sys.stdin.read())
        print(json.dumps({{"features": features, "nltk": "nltk" in sys.modules}}))
        """
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("NLTK")}
    env["HOME"] = str(home)
    text = SEEDS[0].read_text(encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-c", script],
        input=text,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["nltk"] is False  # textstat's NLTK path (and its nltk.download) is never reached
    assert out["features"] == ReadabilityExtractor().scores(text)
    assert list(home.iterdir()) == []
