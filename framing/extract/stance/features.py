"""Target-centred features for the stance model: what a sentence says about one mention in it.

Method: the feature families of target-dependent sentiment classifiers before neural encoders
(Jiang et al. 2011, "Target-dependent Twitter sentiment classification"; Kiritchenko et al.
2014, NRC-Canada at SemEval-2014 Task 4; Vo & Zhang 2015), adapted to news sentences
(NewsMTSC, Hamborg & Donnay 2021) and kept free of a parser:

* sentence words and bigrams with the target replaced by ``<t>`` (``w:``, ``b:``);
* words by side and distance bucket (``l1:`` … ``r12:``), bigrams in a five-word window
  (``lb:``, ``rb:``) and distance-weighted words, weight ``exp(-(d - 1) / tau)`` (``d:``);
* words of the clause holding the target, clauses cut at punctuation and contrast cues
  (``c:``), and the mention's own words, which carry any descriptor inside it (``m:``);
* VADER (Hutto & Gilbert 2014): compound/pos/neg of the sentence and of the target's clause,
  compound of eight words each side, lexicon valences by side and distance with VADER's
  negation scaling (-0.74 within three words), and each valence attributed to the target when
  no other name or pronoun is nearer (``pp:``, ``pc:``, ``at:``, ``ao:``);
* cues: negation in the clause, a contrast word, inside quotation marks, next to a speech verb
  (speaker), pronoun, sentence-initial (subject), relative position, length, and crosses of
  that role with the sign of the VADER scores (``x:``).

Sparse features are ``{name: value}`` dicts; dense cues are a vector in :data:`DENSE_NAMES`
order. Everything is computed on the typography-normalised sentence
(:func:`framing.text.textnorm.normalize`), so spans index it unchanged. Pure and deterministic.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from vaderSentiment.vaderSentiment import NEGATE, SentimentIntensityAnalyzer

from framing.text.textnorm import normalize

__all__ = ["DENSE_NAMES", "FEATURIZER_VERSION", "FeatureSpace", "featurize", "tokenize"]

#: Bumped whenever a feature's definition changes; stored in and checked against a model dir.
FEATURIZER_VERSION = 1

#: Names of the dense cues, in vector order.
DENSE_NAMES: tuple[str, ...] = (
    "sent_compound", "sent_pos", "sent_neg",
    "clause_compound", "clause_pos", "clause_neg",
    "left_compound", "right_compound",
    "near_pos", "near_neg",
    "clause_negation", "contrast",
    "in_quote", "has_quote", "speaker", "pronoun", "initial", "rel_position", "log_length",
    "attributed_pos", "attributed_neg", "other_abs", "log_n_names",
)

_TOKEN = re.compile(r"[A-Za-z0-9]+(?:'[A-Za-z]+)*|[^\sA-Za-z0-9]")
_CONTRAST = frozenset({"but", "however", "although", "though", "while", "whereas", "yet",
                       "despite"})
_CLAUSE_PUNCT = frozenset({",", ";", ":", "(", ")", "-", '"'})
_PRONOUNS = frozenset({"he", "she", "him", "her", "his", "hers", "they", "them", "their", "it",
                       "its", "i", "we", "us", "our", "my", "me", "you", "your"})
_SPEECH = frozenset({"said", "says", "say", "told", "tells", "added", "stated", "wrote",
                     "argued", "claimed", "insisted", "explained", "noted", "according", "asked",
                     "declared", "announced", "tweeted", "warned", "suggested"})
_TAU = 4.0
_WINDOW = 5
_VADER_WINDOW = 8
_NEG_SCALAR = -0.74  # VADER's N_SCALAR


@lru_cache(maxsize=1)
def _vader():
    """VADER analyser, its lexicon and negation words (built once per process)."""
    analyzer = SentimentIntensityAnalyzer()
    negate = frozenset(NEGATE) | {"not", "no", "never", "without", "nor"}
    return analyzer, analyzer.lexicon, negate


@lru_cache(maxsize=4096)
def _polarity(text: str) -> tuple[float, float, float]:
    if not text:
        return 0.0, 0.0, 0.0
    s = _vader()[0].polarity_scores(text)
    return s["compound"], s["pos"], s["neg"]


def tokenize(text: str) -> list[tuple[str, int, int]]:
    """Lower-cased words (with internal apostrophes) and single punctuation marks, with offsets."""
    return [(m.group().lower(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def _bucket(d: int) -> str:
    if d <= 2:
        return str(d)
    for top in (3, 5, 8, 12):
        if d <= top:
            return str(top)
    return ""


def featurize(sentence: str, start: int, end: int, *, in_quote: bool | None = None,
              is_speaker: bool | None = None) -> tuple[dict[str, float], np.ndarray]:
    """Features of one target mention in one sentence.

    Args:
        sentence: The sentence (normalised here; offsets are unchanged by normalisation).
        start: Target start offset in ``sentence``.
        end: Target end offset (exclusive).
        in_quote: Whether the target is inside quoted speech; ``None`` = infer from quotation
            marks in the sentence (an odd number of ``"`` before the target).
        is_speaker: Whether the target is the speaker of a quote; ``None`` = infer (a speech
            verb within three words, outside quotation marks).

    Returns:
        ``(sparse, dense)``: feature name -> value, and a float64 vector in
        :data:`DENSE_NAMES` order.

    Raises:
        ValueError: When the span is empty or outside the sentence.
    """
    if not 0 <= start < end <= len(sentence):
        raise ValueError(f"target span ({start}, {end}) is empty or outside a sentence of "
                         f"{len(sentence)} characters")
    _, lexicon, negate = _vader()
    text = normalize(sentence)
    toks = tokenize(text)
    inside = [i for i, (_, a, b) in enumerate(toks) if a < end and b > start]
    t0 = inside[0] if inside else sum(1 for _, a, _b in toks if a < start)
    t1 = inside[-1] + 1 if inside else t0
    words = [w for w, _, _ in toks]
    seq = words[:t0] + ["<t>"] + words[t1:]
    pos = t0  # index of "<t>" in seq
    # seq index -> (char start, char end) in text
    spans = [(a, b) for _, a, b in toks[:t0]] + [(start, end)] + [(a, b) for _, a, b in toks[t1:]]
    n = len(seq)

    f: dict[str, float] = {}

    def add(key: str, value: float = 1.0) -> None:
        f[key] = f.get(key, 0.0) + value

    for i, w in enumerate(seq):
        add("w:" + w)
        if i + 1 < n:
            add("b:" + w + " " + seq[i + 1])
        if i != pos:
            d = abs(i - pos)
            side = "l" if i < pos else "r"
            b = _bucket(d)
            if b:
                add(side + b + ":" + w)
            add("d:" + w, math.exp(-(d - 1) / _TAU))
    for i in range(max(0, pos - _WINDOW), pos):
        add("lb:" + seq[i] + " " + seq[i + 1])
    for i in range(pos, min(n - 1, pos + _WINDOW)):
        add("rb:" + seq[i] + " " + seq[i + 1])
    cs = pos
    while cs > 0 and seq[cs - 1] not in _CLAUSE_PUNCT and seq[cs - 1] not in _CONTRAST:
        cs -= 1
    ce = pos + 1
    while ce < n and seq[ce] not in _CLAUSE_PUNCT and seq[ce] not in _CONTRAST:
        ce += 1
    for w in seq[cs:ce]:
        if w != "<t>":
            add("c:" + w)
    for w in words[t0:t1]:
        add("m:" + w)

    def chars(i0: int, i1: int) -> str:
        return text[spans[i0][0]:spans[i1 - 1][1]] if i1 > i0 else ""

    s_comp, s_pos, s_neg = _polarity(text)
    c_comp, c_pos, c_neg = _polarity(chars(cs, ce))
    l_comp = _polarity(chars(max(0, pos - _VADER_WINDOW), pos))[0]
    r_comp = _polarity(chars(pos + 1, min(n, pos + 1 + _VADER_WINDOW)))[0]

    # names and pronouns other than the target, for attributing valences to the nearest one
    names = [i for i in range(n) if i != pos and (
        seq[i] in _PRONOUNS or (i > 0 and text[spans[i][0]].isupper() and seq[i] != "i"))]
    near_pos = near_neg = att_pos = att_neg = other = 0.0
    for i, w in enumerate(seq):
        v = lexicon.get(w)
        if v is None or i == pos:
            continue
        negated = any(x in negate for x in seq[max(0, i - 3):i])
        if negated:
            v *= _NEG_SCALAR
        pol = ("n" if negated else "") + ("P" if v > 0 else "N")
        d = abs(i - pos)
        add("pp:" + ("l" if i < pos else "r") + (_bucket(d) or "far") + pol)
        add("pc:" + ("in" if cs <= i < ce else "out") + pol)
        weight = math.exp(-(d - 1) / _TAU)
        if v > 0:
            near_pos += v * weight
        else:
            near_neg -= v * weight
        if d <= min((abs(i - j) for j in names), default=n + 1):
            att_pos += max(v, 0.0)
            att_neg += max(-v, 0.0)
            add("at:" + ("P" if v > 0 else "N"))
        else:
            other += abs(v)
            add("ao:" + ("P" if v > 0 else "N"))

    marks = [i for i, w in enumerate(seq) if w == '"']
    quoted = (sum(1 for i in marks if i < pos) % 2 == 1) if in_quote is None else bool(in_quote)
    if is_speaker is None:
        near = seq[max(0, pos - 3):pos] + seq[pos + 1:pos + 4]
        speaker = (not quoted) and any(w in _SPEECH for w in near)
    else:
        speaker = bool(is_speaker)
    initial = t0 <= 1
    role = "Q" if quoted else "S" if speaker else "F" if initial else "O"
    for tag, value in (("c", c_comp), ("s", s_comp), ("l", l_comp), ("r", r_comp)):
        add("x:" + role + tag + ("p" if value >= 0.05 else "n" if value <= -0.05 else "0"))

    dense = np.array([
        s_comp, s_pos, s_neg, c_comp, c_pos, c_neg, l_comp, r_comp, near_pos, near_neg,
        float(any(w in negate for w in seq[cs:ce])), float(any(w in _CONTRAST for w in seq)),
        float(quoted), float(bool(marks)), float(speaker),
        float(t1 > t0 and words[t0] in _PRONOUNS), float(initial), pos / max(1, n - 1),
        math.log1p(n), att_pos, att_neg, other, math.log1p(len(names)),
    ], dtype=np.float64)
    return f, dense


Features = tuple[dict[str, float], np.ndarray]


@dataclass(frozen=True)
class FeatureSpace:
    """Fitted mapping from feature dicts to the numbers the linear model reads.

    Sparse part: ``value * idf`` per vocabulary feature (smoothed idf,
    ``ln((1 + N) / (1 + df)) + 1``, as in scikit-learn's ``TfidfTransformer``), the row then
    scaled to unit L2 norm. Dense part: standardised cues times ``dense_weight``. Columns are the
    vocabulary (sorted) followed by :data:`DENSE_NAMES`. The stance model's naive-Bayes views
    read the same vocabulary as binary indicators: the ``(rows, cols)`` coordinates of
    :meth:`parts`, values ignored.

    Attributes:
        vocabulary: Sparse feature names, sorted; position = column.
        idf: Inverse document frequency of each vocabulary feature.
        dense_mean: Training mean of each dense cue.
        dense_scale: Training standard deviation of each dense cue (1 where constant).
        dense_weight: Scale of the standardised dense block against the unit-norm sparse block.
    """

    vocabulary: tuple[str, ...]
    idf: np.ndarray
    dense_mean: np.ndarray
    dense_scale: np.ndarray
    dense_weight: float
    index: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "index", {k: i for i, k in enumerate(self.vocabulary)})

    @property
    def n_columns(self) -> int:
        return len(self.vocabulary) + len(DENSE_NAMES)

    @classmethod
    def fit(cls, feats: Sequence[Features], *, min_df: int = 2,
            dense_weight: float = 0.3) -> FeatureSpace:
        """Keep sparse features seen in at least ``min_df`` examples; learn idf and scaling."""
        if not feats:
            raise ValueError("cannot fit a feature space on no examples")
        df: dict[str, int] = {}
        for sparse, _ in feats:
            for key in sparse:
                df[key] = df.get(key, 0) + 1
        vocabulary = tuple(sorted(k for k, c in df.items() if c >= min_df))
        n = len(feats)
        idf = np.array([math.log((1 + n) / (1 + df[k])) + 1.0 for k in vocabulary])
        dense = np.vstack([d for _, d in feats])
        scale = dense.std(axis=0)
        scale[scale == 0] = 1.0
        return cls(vocabulary, idf, dense.mean(axis=0), scale, float(dense_weight))

    def parts(self, feats: Sequence[Features]) -> tuple[np.ndarray, np.ndarray, np.ndarray,
                                                       np.ndarray]:
        """Weighted sparse entries and the dense block of a batch.

        Returns:
            ``(rows, cols, values, dense)``: coordinates and values of the non-zero sparse
            entries (idf-weighted, unit L2 norm per row; unknown features dropped) and the
            ``(n, len(DENSE_NAMES))`` scaled dense block.
        """
        rows: list[int] = []
        cols: list[int] = []
        vals: list[float] = []
        index = self.index
        for r, (sparse, _) in enumerate(feats):
            for key, value in sparse.items():
                j = index.get(key)
                if j is not None:
                    rows.append(r)
                    cols.append(j)
                    vals.append(value)
        n = len(feats)
        row = np.asarray(rows, dtype=np.intp)
        col = np.asarray(cols, dtype=np.intp)
        val = np.asarray(vals, dtype=np.float64) * self.idf[col]
        norm = np.sqrt(np.bincount(row, weights=val * val, minlength=n))
        norm[norm == 0] = 1.0
        val = val / norm[row]
        dense = np.vstack([d for _, d in feats]) if n else np.zeros((0, len(DENSE_NAMES)))
        dense = (dense - self.dense_mean) / self.dense_scale * self.dense_weight
        return row, col, val, dense
