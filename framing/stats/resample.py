"""Resampling and effect-size primitives shared by :mod:`framing.stats.summaries` and :mod:`framing.stats.compare`.

Everything here works on plain numpy arrays and a seeded :class:`numpy.random.Generator`:

- cluster bootstrap of ratio estimators (sum of numerators / sum of denominators over resampled
  clusters), clusters drawn with replacement (Davison & Hinkley 1997, sec. 3.8; Field & Welsh
  2007, "Bootstrapping clustered data", JRSS-B 69(3));
- percentile intervals (Efron & Tibshirani 1993, ch. 13);
- two-group permutation tests over clusters and sign-flip tests over pairs, exact by enumeration
  when the number of distinct relabellings is at most ``B``, else Monte Carlo with the
  ``(1 + b) / (1 + B)`` estimate (Phipson & Smyth 2010, SAGMB 9(1));
- Wilson score intervals (Wilson 1927) and Benjamini–Hochberg q-values (Benjamini & Hochberg 1995);
- effect sizes: Cliff's delta, Cohen's h, Cramér's V.

Each figure gets its own generator from ``(seed, key)``, so an interval does not change when other
features are added to or removed from a run.
"""

from __future__ import annotations

import functools
import itertools
import math
import warnings
import zlib
from collections import OrderedDict
from collections.abc import Callable, Hashable

import numpy as np

__all__ = [
    "BOOT_CACHE_BYTES",
    "BootCache",
    "FEW_ARTICLES",
    "TOL",
    "bh_qvalues",
    "bootstrap_ratio",
    "bootstrap_sums",
    "check_resampling_options",
    "chi2_2xk",
    "cliffs_delta",
    "cluster_permutation_p",
    "cohens_h",
    "cramers_v",
    "percentile_interval",
    "rng_for",
    "sign_flip_p",
    "wilson_interval",
]

#: Below this many articles (clusters) a bootstrap interval is reported but flagged as unreliable:
#: with very few clusters the percentile bootstrap is too narrow (Field & Welsh 2007).
FEW_ARTICLES = 5

_CHUNK_CELLS = 500_000  # at most this many weights in memory at once (a few MB per array)
TOL = 1e-12  # ties between a resampled and the observed statistic count as "at least as extreme"
#: Bytes of resampled sums a :class:`BootCache` keeps (per measure); older entries are made again.
BOOT_CACHE_BYTES = 64 * 2**20


class BootCache:
    """Arrays made on demand, the most recently used kept up to ``max_bytes``.

    The per-outlet resamples of a measure come from a generator keyed by the seed, the measure and
    the outlet, so an evicted entry made again is the same array: the budget changes the time, never
    a figure. With hundreds of outlets, keeping every outlet's ``(B, k)`` sums would cost
    outlets x B x k floats per measure.
    """

    def __init__(self, max_bytes: int | None = None) -> None:
        self.max_bytes = int(BOOT_CACHE_BYTES if max_bytes is None else max_bytes)
        self.nbytes = 0
        self._items: OrderedDict = OrderedDict()

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: Hashable, make: Callable[[], np.ndarray]) -> np.ndarray:
        """The array stored under ``key``, made by ``make()`` when absent (or evicted)."""
        if key in self._items:
            self._items.move_to_end(key)
            return self._items[key]
        value = make()
        self._items[key] = value
        self.nbytes += int(getattr(value, "nbytes", 0))
        while self.nbytes > self.max_bytes and len(self._items) > 1:
            _, old = self._items.popitem(last=False)
            self.nbytes -= int(getattr(old, "nbytes", 0))
        return value


def check_resampling_options(*, B: int, seed: int, ci: float | None = None) -> None:
    """Raise ``ValueError`` for unusable ``B``, ``seed`` or ``ci``."""
    if isinstance(B, bool) or not isinstance(B, (int, np.integer)) or B < 1:
        raise ValueError(f"B must be a positive integer (number of resamples), got {B!r}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    if ci is not None and not 0.0 < float(ci) < 1.0:
        raise ValueError(f"confidence level must lie strictly between 0 and 1, got {ci!r}")


def rng_for(seed: int, *key: str) -> np.random.Generator:
    """A generator seeded by ``seed`` and a stable hash (CRC-32) of the ``key`` strings."""
    words = [zlib.crc32(str(k).encode("utf-8")) for k in key]
    return np.random.default_rng(np.random.SeedSequence([int(seed), *words]))


def _chunks(B: int, n: int):
    """Sizes of resample batches holding at most ``_CHUNK_CELLS`` weights each."""
    step = max(1, _CHUNK_CELLS // max(n, 1))
    for start in range(0, B, step):
        yield min(step, B - start)


def bootstrap_ratio(num: np.ndarray, den: np.ndarray, *, B: int, rng: np.random.Generator) -> np.ndarray:
    """Cluster-bootstrap replicates of ``sum(num) / sum(den)``.

    Each replicate draws ``n`` clusters with replacement (Davison & Hinkley 1997, sec. 3.8) and
    recomputes the ratio over them.

    Args:
        num: ``(n,)`` or ``(n, k)`` per-cluster numerators (e.g. mentions with each label).
        den: ``(n,)`` per-cluster denominators, all > 0 (e.g. mentions in the article).
            Use ``np.ones(n)`` and the values as ``num`` for a plain mean.
        B: Number of resamples.
        rng: Generator.

    Returns:
        ``(B,)`` or ``(B, k)`` replicates.
    """
    num = np.asarray(num, dtype=float)
    den = np.asarray(den, dtype=float)
    n = den.shape[0]
    out = []
    for b in _chunks(B, n):
        idx = rng.integers(0, n, size=(b, n), dtype=np.int32)
        if num.ndim == 1:
            out.append(num[idx].sum(axis=1) / den[idx].sum(axis=1))
        else:  # draw counts per cluster, then one matrix product for all k columns
            flat = (idx + (n * np.arange(b, dtype=np.int64))[:, None]).ravel()
            w = np.bincount(flat, minlength=b * n).reshape(b, n).astype(float)
            out.append((w @ num) / (w @ den)[:, None])
    return np.concatenate(out, axis=0)


def bootstrap_sums(x: np.ndarray, *, B: int, rng: np.random.Generator) -> np.ndarray:
    """``(B, k)`` column sums of ``x`` over ``n`` rows drawn with replacement, ``B`` times.

    One ``(B, n)`` index matrix (drawn in chunks) serves every column, so all columns of ``x``
    (features and their value counts) share the resamples.
    """
    x = np.asarray(x, dtype=float)
    n = x.shape[0]
    if n == 0:
        return np.zeros((B, x.shape[1]))
    out = []
    for b in _chunks(B, n):
        idx = rng.integers(0, n, size=(b, n), dtype=np.int32)
        flat = (idx + (n * np.arange(b, dtype=np.int64))[:, None]).ravel()
        w = np.bincount(flat, minlength=b * n).reshape(b, n).astype(float)
        out.append(w @ x)
    return np.concatenate(out, axis=0)


def nan_percentiles(reps: np.ndarray, q) -> np.ndarray:
    """``np.nanquantile(reps, q, axis=0)`` with the columns that hold no NaN done in one call.

    NumPy's ``nanquantile`` falls back to one Python call per column as soon as any NaN is
    present; here only the columns with a NaN (a resample that drew no value) take that path.
    Returns ``(len(q), columns)`` (or ``(len(q),)`` for a 1-D ``reps``).
    """
    reps = np.asarray(reps, dtype=float)
    if reps.ndim == 1:
        return np.nanquantile(reps, q) if np.isnan(reps).any() else np.quantile(reps, q)
    out = np.empty((len(q), reps.shape[1]))
    gaps = np.isnan(reps).any(axis=0)
    if (~gaps).any():
        out[:, ~gaps] = np.quantile(reps[:, ~gaps], q, axis=0)
    if gaps.any():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # an all-NaN column gives NaN
            out[:, gaps] = np.nanquantile(reps[:, gaps], q, axis=0)
    return out


def percentile_interval(reps: np.ndarray, ci: float) -> tuple[np.ndarray, np.ndarray]:
    """Percentile interval of bootstrap replicates along axis 0."""
    lo, hi = np.quantile(reps, [(1.0 - ci) / 2.0, (1.0 + ci) / 2.0], axis=0)
    return lo, hi


def _splits(n_a: int, n: int, B: int, rng: np.random.Generator):
    """Yield boolean ``(b, n)`` masks of group A and whether the set is exhaustive."""
    total = math.comb(n, n_a)
    if total <= B:
        masks = np.zeros((total, n), dtype=bool)
        for i, idx in enumerate(itertools.combinations(range(n), n_a)):
            masks[i, list(idx)] = True
        yield masks
        return
    for b in _chunks(B, n):  # a uniformly random subset of size n_a per row
        chosen = np.argpartition(rng.random((b, n)), n_a - 1, axis=1)[:, :n_a]
        masks = np.zeros((b, n), dtype=bool)
        np.put_along_axis(masks, chosen, True, axis=1)
        yield masks


def _ratio_diff(num: np.ndarray, den: np.ndarray, masks: np.ndarray) -> np.ndarray:
    """``(b, k)`` absolute differences of ratios for ``(n, k)`` numerators."""
    m = masks.astype(float)
    num_a, den_a = m @ num, (m @ den)[:, None]
    num_b, den_b = num.sum(axis=0) - num_a, den.sum() - den_a
    return np.abs(num_a / den_a - num_b / den_b)


def chi2_2xk(obs_a: np.ndarray, obs_b: np.ndarray) -> np.ndarray:
    """Pearson chi-square of 2 x k tables given as rows ``(m, k)`` of side A and side B counts.

    Categories with no count in a table contribute nothing (they are dropped, not divided by 0);
    a table with an empty side or a single used category has statistic 0.
    """
    obs_a = np.atleast_2d(np.asarray(obs_a, dtype=float))
    obs_b = np.atleast_2d(np.asarray(obs_b, dtype=float))
    col = obs_a + obs_b
    row_a = obs_a.sum(axis=1, keepdims=True)
    row_b = obs_b.sum(axis=1, keepdims=True)
    total = row_a + row_b
    with np.errstate(divide="ignore", invalid="ignore"):
        exp_a = row_a * col / total
        exp_b = row_b * col / total
        cells = np.where(exp_a > 0, (obs_a - exp_a) ** 2 / exp_a, 0.0)
        cells = cells + np.where(exp_b > 0, (obs_b - exp_b) ** 2 / exp_b, 0.0)
    return cells.sum(axis=1)


def _chi2(counts: np.ndarray, masks: np.ndarray) -> np.ndarray:
    """Pearson chi-square of the 2 x k table for each relabelling mask."""
    obs_a = masks.astype(float) @ counts
    return chi2_2xk(obs_a, counts.sum(axis=0) - obs_a)


def cluster_permutation_p(
    num: np.ndarray,
    den: np.ndarray,
    in_a: np.ndarray,
    *,
    statistic: str,
    B: int,
    rng: np.random.Generator,
) -> tuple[float, bool]:
    """Two-sided permutation p-value, relabelling whole clusters between two groups.

    Under the null hypothesis that the group label of a cluster (article) is exchangeable, every
    split of the pooled clusters into groups of the observed sizes is equally likely.

    Args:
        num: ``(n,)`` or ``(n, k)`` numerators (``statistic="diff"``: one test per column, all
            on the same relabellings) or ``(n, k)`` category counts (``statistic="chi2"``).
        den: ``(n,)`` denominators, > 0 (ignored for ``"chi2"``).
        in_a: ``(n,)`` boolean, True for clusters of group A.
        statistic: ``"diff"`` (absolute difference of ratios) or ``"chi2"`` (Pearson chi-square
            of the 2 x k table of summed counts).
        B: Number of random relabellings when enumeration would need more.
        rng: Generator.

    Returns:
        ``(p, exact)``; ``p`` is an array of ``k`` p-values for a 2-D ``"diff"`` numerator.
    """
    in_a = np.asarray(in_a, dtype=bool)
    n, n_a = in_a.size, int(in_a.sum())
    flat = True
    if statistic == "diff":
        num = np.asarray(num, dtype=float)
        flat = num.ndim == 1
        num = num[:, None] if flat else num
        den = np.asarray(den, dtype=float)
        observed = _ratio_diff(num, den, in_a[None, :])[0]

        def stat(masks):
            return _ratio_diff(num, den, masks)
    elif statistic == "chi2":
        counts = np.asarray(num, dtype=float)
        counts = counts[:, counts.sum(axis=0) > 0]
        if counts.shape[1] < 2:
            return 1.0, True  # one category only: every relabelling gives the same table
        observed = _chi2(counts, in_a[None, :])[0]

        def stat(masks):
            return _chi2(counts, masks)
    else:  # pragma: no cover - internal misuse
        raise ValueError(f"unknown statistic {statistic!r}")
    exact = math.comb(n, n_a) <= B
    hits, drawn = 0, 0
    for masks in _splits(n_a, n, B, rng):
        values = stat(masks)
        hits = hits + (values >= observed - TOL).sum(axis=0)
        drawn += masks.shape[0]
    p = hits / drawn if exact else (1.0 + hits) / (1.0 + drawn)
    return (float(np.ravel(p)[0]) if flat else np.asarray(p, dtype=float)), exact


def sign_flip_p(d: np.ndarray, *, B: int, rng: np.random.Generator) -> tuple[float, bool]:
    """Two-sided sign-flip permutation p-value for the mean of paired differences.

    Under the null hypothesis that each paired difference is symmetric about zero, its sign is
    exchangeable (Fisher 1935, "The Design of Experiments", sec. 21; Good 2005, ch. 3).

    Returns:
        ``(p, exact)``; exact (all ``2**m`` sign vectors) when ``2**m <= B``.
    """
    d = np.asarray(d, dtype=float)
    m = d.size
    observed = abs(d.mean())
    if m <= 30 and 2**m <= B:
        signs = np.array(list(itertools.product((1.0, -1.0), repeat=m)))
        values = np.abs(signs @ d) / m
        return float((values >= observed - TOL).mean()), True
    hits = drawn = 0
    for b in _chunks(B, m):
        signs = rng.choice(np.array([1.0, -1.0]), size=(b, m))
        values = np.abs(signs @ d) / m
        hits += int((values >= observed - TOL).sum())
        drawn += b
    return (1.0 + hits) / (1.0 + drawn), False


@functools.lru_cache(maxsize=16)
def _z(ci: float) -> float:
    """The standard normal quantile of ``(1 + ci) / 2``."""
    from scipy.stats import norm

    return float(norm.ppf((1.0 + ci) / 2.0))


def wilson_interval(x: float, n: float, ci: float) -> tuple[float, float]:
    """Wilson (1927) score interval for a binomial proportion ``x / n``; NaN for ``n == 0``."""
    if n <= 0:
        return math.nan, math.nan
    z = _z(ci)
    p = x / n
    denom = 1.0 + z * z / n
    centre = (p + z * z / (2.0 * n)) / denom
    half = z * math.sqrt(p * (1.0 - p) / n + z * z / (4.0 * n * n)) / denom
    low = 0.0 if x <= 0 else max(0.0, centre - half)  # exact bounds at 0 and n (no float residue)
    high = 1.0 if x >= n else min(1.0, centre + half)
    return low, high


def bh_qvalues(p: np.ndarray) -> np.ndarray:
    """Benjamini–Hochberg (1995) adjusted p-values over the finite entries of ``p``; NaN kept."""
    from statsmodels.stats.multitest import multipletests

    p = np.asarray(p, dtype=float)
    q = np.full(p.shape, np.nan)
    ok = np.isfinite(p)
    if ok.any():
        q[ok] = multipletests(p[ok], method="fdr_bh")[1]
        q[ok] = np.maximum(q[ok], p[ok])  # guard against floating-point drift: q >= p always
    return q


def cliffs_delta(x: np.ndarray, y: np.ndarray) -> float:
    """Cliff's (1993) delta, ``P(x > y) - P(x < y)``, from the Mann–Whitney U statistic."""
    from scipy.stats import rankdata

    ranks = rankdata(np.concatenate([x, y]))
    u = ranks[: x.size].sum() - x.size * (x.size + 1) / 2.0
    return float(2.0 * u / (x.size * y.size) - 1.0)


def cohens_h(p_a: float, p_b: float) -> float:
    """Cohen's (1988) h for two proportions: ``2 asin sqrt(p_a) - 2 asin sqrt(p_b)``."""
    return float(2.0 * math.asin(math.sqrt(p_a)) - 2.0 * math.asin(math.sqrt(p_b)))


def cramers_v(table_a: np.ndarray, table_b: np.ndarray) -> np.ndarray:
    """Cramér's (1946) V of 2 x k tables given as rows ``(m, k)``: ``sqrt(chi2 / N)``.

    With two rows, ``min(r, c) - 1 = 1``; categories unused in a table are dropped.
    """
    n = np.atleast_2d(table_a).sum(axis=1) + np.atleast_2d(table_b).sum(axis=1)
    return np.sqrt(chi2_2xk(table_a, table_b) / n)
