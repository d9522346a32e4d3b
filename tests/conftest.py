"""Shared fixtures: the seed corpus, the shipped lexicon, and the development data beside the project."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
SHARED_DATA = REPO.parent / "shared" / "data"
TRT = "000_906a3f6f6af02cb7"
INDEPENDENT = "002_a6142d977f266a8d"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """../shared/data, or skip: the development data is not part of a user's clone."""
    if not SHARED_DATA.is_dir():
        pytest.skip("development data ../shared/data is absent")
    return SHARED_DATA


@pytest.fixture(scope="session")
def lexicon():
    from framing.lexicon.load import load_lexicon

    return load_lexicon()


@pytest.fixture(scope="session")
def seed_articles():
    """The two seed records, keyed by id."""
    from framing.read.corpus import read_articles

    return {a.id: a for a in read_articles([SEEDS])}


@pytest.fixture(scope="session")
def seed_docs(seed_articles, lexicon):
    """The seed articles cleaned and segmented with the shipped boilerplate rules, keyed by id."""
    from framing.text.segment import build_document

    return {i: build_document(a, lexicon.boilerplate) for i, a in seed_articles.items()}
