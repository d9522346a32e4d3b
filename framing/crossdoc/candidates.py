"""Which article pairs of a story are aligned: all of a small story, near-duplicates of a large one.

Alignment compares two versions sentence by sentence, so aligning every cross-outlet pair of a
story costs the square of its size: a topic-wide ``story`` (``politics``) of 500 articles has
about 125,000 pairs, nearly all of them articles written independently of each other, which share
no sentences to align. Stories of at most :data:`FULL_STORY` articles are still aligned pair by
pair (every table of a corpus with one story per event is unchanged); in a larger story only the
pairs that are likely versions of one another are aligned:

1. *Shingles.* Each article is the set of its word 3-grams (case-folded words of the kept
   sentences, boilerplate excluded), hashed to 64 bits (BLAKE2b, so the same on every machine).
2. *MinHash.* :data:`N_HASHES` = 64 min-hashes per article estimate the Jaccard similarity of two
   shingle sets as the share of equal min-hashes (Broder 1997, "On the resemblance and
   containment of documents").
3. *Banding (LSH).* The signature is cut into 32 bands of 2 hashes; two articles are candidates
   when one band is equal (Leskovec, Rajaraman & Ullman, *Mining of Massive Datasets*, ch. 3.4):
   a pair of Jaccard 0.3 becomes a candidate with probability 1 - (1 - 0.3^2)^32 = 0.95, of 0.5
   with 0.9999, of 0.05 with 0.08 (then dropped by the threshold).
4. *Threshold and cap.* A candidate pair is kept when its estimated Jaccard reaches
   :data:`MIN_JACCARD` = 0.3 (an agency story re-run with edits shares most of its 3-grams; two
   independently written reports of one event share a few names and quotes, typically < 0.1),
   and each article keeps at most :data:`TOP_K` = 5 partners, the most similar first, so the
   pairs aligned in a story grow at most linearly with its size.

The number of cross-outlet pairs not aligned is reported (:class:`PairStats`), and the run's
manifest says how many were skipped.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = [
    "FULL_STORY",
    "MIN_JACCARD",
    "N_HASHES",
    "TOP_K",
    "BUCKET_CAP",
    "PairStats",
    "candidate_pairs",
    "minhash_signatures",
]

#: Stories with at most this many articles have every cross-outlet pair aligned.
FULL_STORY = 20
#: Min-hashes per article (32 bands of 2).
N_HASHES = 64
BANDS = 32
#: Smallest estimated Jaccard similarity of 3-gram sets for a pair of a large story to be aligned.
MIN_JACCARD = 0.3
#: Most partners per article in a large story.
TOP_K = 5
#: Within one LSH bucket, each article is paired with at most this many later members (a bucket of
#: hundreds of copies of one wire story would otherwise give every pair).
BUCKET_CAP = 50
_MASK64 = np.uint64(0xFFFFFFFFFFFFFFFF)
_CHUNK_PAIRS = 16384  # candidate pairs whose signatures are compared at once


@dataclass
class PairStats:
    """Cross-outlet article pairs of the stories aligned so far: how many, how many aligned."""

    pairs: int = 0
    aligned: int = 0
    large_stories: int = 0

    @property
    def skipped(self) -> int:
        """Cross-outlet pairs left unaligned as unlikely versions of one another."""
        return self.pairs - self.aligned


#: One 64-bit key per min-hash, fixed so that signatures are the same on every run and machine.
_KEYS = np.random.default_rng(20240601).integers(0, 2**63, size=N_HASHES, dtype=np.uint64)


def _mix(z: np.ndarray) -> np.ndarray:
    """The splitmix64 finaliser (Steele, Lea & Flood 2014), arithmetic modulo 2**64."""
    with np.errstate(over="ignore"):
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def _shingle_hashes(words: Sequence[str]) -> np.ndarray:
    grams = {" ".join(words[i:i + 3]) for i in range(max(0, len(words) - 2))}
    if not grams and words:
        grams = {" ".join(words)}
    digests = b"".join(hashlib.blake2b(g.encode("utf-8"), digest_size=8).digest() for g in grams)
    return np.frombuffer(digests, dtype="<u8").astype(np.uint64)


def minhash_signatures(documents_words: Sequence[Sequence[str]]) -> np.ndarray:
    """``(n, N_HASHES)`` MinHash signatures of the word-3-gram sets of ``n`` documents.

    Hash ``k`` of a shingle is ``splitmix64(shingle XOR key_k)``; linear in the documents' lengths
    (shingles processed in chunks). A document without words gets the largest value everywhere.
    """
    out = np.full((len(documents_words), N_HASHES), _MASK64, dtype=np.uint64)
    for k, words in enumerate(documents_words):
        x = _shingle_hashes(list(words))
        for start in range(0, x.size, 8192):
            chunk = _mix(x[start:start + 8192, None] ^ _KEYS[None, :]).min(axis=0)
            out[k] = np.minimum(out[k], chunk)
    return out


def candidate_pairs(
    documents_words: Sequence[Sequence[str]],
    outlets: Sequence[str],
    *,
    min_jaccard: float = MIN_JACCARD,
    top_k: int = TOP_K,
) -> list[tuple[int, int]]:
    """Index pairs ``(i, j)``, ``i < j``, of different outlets that are likely versions of one another.

    Parameters
    ----------
    documents_words : sequence of sequences of str
        Case-folded words of each document, in order.
    outlets : sequence of str
        Outlet of each document (pairs of one outlet are never returned).
    min_jaccard : float
        Smallest estimated Jaccard similarity of the 3-gram sets.
    top_k : int
        Most partners kept per document (most similar first; ties by index).

    Returns
    -------
    list of (int, int)
        Sorted pairs.
    """
    n = len(documents_words)
    if n < 2:
        return []
    sig = minhash_signatures(documents_words)
    rows = N_HASHES // BANDS
    seen: set[tuple[int, int]] = set()
    for band in range(BANDS):
        buckets: dict[bytes, list[int]] = defaultdict(list)
        block = np.ascontiguousarray(sig[:, band * rows:(band + 1) * rows])
        for i in range(n):
            buckets[block[i].tobytes()].append(i)
        for members in buckets.values():
            if len(members) < 2:
                continue
            for x, i in enumerate(members[:-1]):
                for j in members[x + 1:x + 1 + BUCKET_CAP]:
                    seen.add((i, j))
    partners: dict[int, list[tuple[float, int]]] = defaultdict(list)
    across = np.array(sorted((i, j) for i, j in seen if outlets[i] != outlets[j]), dtype=np.intp).reshape(-1, 2)
    for start in range(0, len(across), _CHUNK_PAIRS):  # share of equal min-hashes, a chunk of pairs at a time
        chunk = across[start:start + _CHUNK_PAIRS]
        estimates = (sig[chunk[:, 0]] == sig[chunk[:, 1]]).sum(axis=1) / N_HASHES
        for (i, j), est in zip(chunk.tolist(), estimates.tolist(), strict=True):
            if est >= min_jaccard:
                partners[i].append((-est, j))
                partners[j].append((-est, i))
    kept: set[tuple[int, int]] = set()
    for i, cands in partners.items():
        for _, j in sorted(cands)[:top_k]:
            kept.add((min(i, j), max(i, j)))
    return sorted(kept)
