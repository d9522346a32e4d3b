"""Descriptors attached to each actor per outlet, listed by a label set or not."""

from __future__ import annotations

import math

import pytest

from framing.crossdoc.descriptors import DescriptorCounts, find_descriptors
from framing.record import Article
from framing.text.segment import build_document


def _descriptors(lexicon, text):
    doc = build_document(Article(id="a", outlet="X", text=text))
    return find_descriptors(doc, lexicon)


@pytest.fixture(scope="module")
def seed_table(seed_docs, lexicon):
    counts = DescriptorCounts()
    for doc in seed_docs.values():
        counts.update(doc.article.outlet, doc.article.id, *find_descriptors(doc, lexicon))
    return counts.table()


def _shares(table, outlet, entity):
    rows = table[(table.outlet == outlet) & (table.entity == entity)]
    return dict(zip(rows.descriptor, rows.share, strict=True))


def test_seeds_hamas_is_militant_in_the_independent_and_never_in_trt_world(seed_table):
    assert _shares(seed_table, "The Independent", "Hamas").get("militant", 0) > 0
    assert "militant" not in _shares(seed_table, "TRT World", "Hamas")
    row = seed_table[(seed_table.outlet == "The Independent") & (seed_table.entity == "Hamas")
                     & (seed_table.descriptor == "militant")].iloc[0]
    assert row.z > 0 and row.first_article.startswith("002_")    # distinctive of the AP copy, and traceable


def test_seeds_syria_is_a_regime_in_trt_world_and_a_government_in_the_independent(seed_table):
    trt, ind = _shares(seed_table, "TRT World", "Syria"), _shares(seed_table, "The Independent", "Syria")
    assert trt.get("regime", 0) > 0 and "regime" not in ind
    assert ind.get("government", 0) > 0 and "government" not in trt


def test_shares_of_an_actor_sum_to_at_least_one_with_none(seed_table):
    for _, g in seed_table.groupby(["outlet", "entity"]):
        assert g.share.sum() >= 1 - 1e-9                # every mention has a descriptor or none
        assert (g.descriptor == "none").sum() == 1


def test_kinds_on_written_sentences(lexicon):
    mentions, found = _descriptors(lexicon, "Officials met Syrian President Bashar al-Assad. The Iran-backed "
                                            "Hezbollah said nothing. Khalil al-Hayya, a senior figure in Hamas, spoke.")
    got = {(d.entity, d.descriptor, d.kind) for d in found}
    assert ("Bashar al-Assad", "president", "title") in got
    assert ("Hezbollah", "iran-backed", "premodifier") in got
    assert ("Khalil al-Hayya", "senior figure", "appositive") in got
    assert not any(d.descriptor in ("said", "met", "officials") for d in found)


def test_a_speech_verb_before_a_name_is_not_a_descriptor(lexicon):
    _, found = _descriptors(lexicon, "Yesterday Hamas said it would attend. He told Hamas nothing.")
    assert found == []


def test_one_outlet_gets_a_note_not_a_made_up_z(lexicon):
    counts = DescriptorCounts()
    doc = build_document(Article(id="a", outlet="X", text="The militant Hamas group met."))
    counts.update("X", "a", *find_descriptors(doc, lexicon))
    table = counts.table()
    assert set(table.note) == {"one outlet: no comparison"} and all(math.isnan(z) for z in table.z)


def test_analyze_writes_the_descriptors_table(seeds_dir):
    import framing

    result = framing.analyze(seeds_dir, stats=False, crossdoc=framing.CrossDocOptions(align=False, distinctive=False))
    assert {"Hamas", "Syria"} <= set(result.descriptors.entity)
    assert result.manifest["parameters"]["descriptors"] is True
