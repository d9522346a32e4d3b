"""Resamples of one clustered measure shared by every one-vs-rest contrast.

With hundreds of outlets each compared with all the others, resampling and relabelling the
pooled side afresh for every contrast costs (outlets x articles x B) per measure. Here one set of
draws per measure serves every contrast against the rest (``one vs rest``, ``group vs rest``):

- *Bootstrap.* The articles of each outlet are resampled within the outlet, from one
  ``(B, n_outlet)`` index matrix per outlet (generator keyed by seed, measure and outlet); the
  resampled column sums of a side are the sums over its outlets, and those of a pooled rest are
  the total minus the outlet's own (a bootstrap stratified by outlet: the rest keeps its mix of
  outlets, as the data has it).
- *Permutation.* One set of ``B`` random permutations of all the measure's articles (generator
  keyed by seed and measure); a contrast whose side A has ``k`` articles takes the first ``k``
  of each permutation as A and the others as the rest, which is a uniformly random relabelling
  of the articles into groups of the observed sizes. Only the first ``max(k)`` places of each
  permutation are drawn (an ordered sample without replacement), and sums over the first ``k``
  come from running sums, so every side size costs one column read.

Every contrast gets the same statistic and test as in :mod:`framing.stats.contrast`; only the
random draws are shared (p-values of different contrasts are then dependent, as they already are
through their shared data; Benjamini–Hochberg remains valid under positive dependence).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np

from framing.stats.design import OutletIndex, Side
from framing.stats.resample import TOL, BootCache, bootstrap_sums, chi2_2xk, nan_percentiles, rng_for

__all__ = ["SharedResamples"]

_CELLS = 2_000_000  # floats held at once by the running sums of the permutations


class SharedResamples:
    """Per-outlet bootstrap sums and permutation sums of one measure's per-article columns.

    Parameters
    ----------
    x : ndarray
        ``(n, K)`` per-article columns (counts, words, or net-stance sum and mentions).
    outlet : ndarray
        ``(n,)`` outlet of each article.
    key : tuple of str
        Names the measure; seeds its generators.
    B, seed : int
        Resamples and seed.
    side_sizes : iterable of int
        Article counts of the A sides of the contrasts that will ask (for the permutation sums).
    """

    def __init__(self, x: np.ndarray, outlet: np.ndarray, key: tuple, *, B: int, seed: int,
                 side_sizes: Iterable[int]):
        self.x = np.asarray(x, dtype=float).reshape(len(outlet), -1)
        self.outlet = np.asarray(outlet)
        self.key, self.B, self.seed = tuple(str(k) for k in key), int(B), int(seed)
        self.total = self.x.sum(axis=0)
        self.index = OutletIndex(self.outlet)
        self._sizes = sorted({int(s) for s in side_sizes if 0 < int(s) < len(outlet)})
        self._own = BootCache()  # outlet, or a side's outlets -> (B, K) sums; bounded
        self._all: np.ndarray | None = None
        self._perm: dict[int, np.ndarray] | None = None

    def _outlet_boot(self, outlet: str) -> np.ndarray:
        def make() -> np.ndarray:
            rng = rng_for(self.seed, "shared-boot", *self.key, outlet)
            return bootstrap_sums(self.x[self.index.rows(outlet)], B=self.B, rng=rng)
        return self._own.get(outlet, make)

    def _sum_of(self, outlets: list[str]) -> np.ndarray:
        """Sum of the outlets' resampled sums, added in ``outlets`` order onto zeros (one outlet's
        is not cached twice: the cache keeps the outlet's own)."""
        zeros = np.zeros((self.B, self.x.shape[1]))
        if len(outlets) == 1:
            return zeros + self._outlet_boot(outlets[0])
        return self._own.get(("side", frozenset(outlets)), lambda: sum(
            (self._outlet_boot(o) for o in outlets), zeros))

    def boot(self, side: Side) -> np.ndarray:
        """``(B, K)`` resampled column sums of the side's articles (within each outlet)."""
        everyone = list(self.index.names)
        present = [o for o in everyone if o in side.outlets]
        if len(present) > len(everyone) / 2:
            if self._all is None:
                self._all = sum(self._outlet_boot(o) for o in everyone)
            return self._all - self._sum_of([o for o in everyone if o not in side.outlets])
        return self._sum_of(present)

    def perm_sums(self, k: int) -> np.ndarray:
        """``(B, K)`` column sums of the first ``k`` articles of each shared permutation.

        Only the first ``max(side sizes)`` places of each permutation are drawn (an ordered
        random sample without replacement is the head of a uniformly random permutation), so the
        cost is ``B x`` the largest side, not ``B x`` all the measure's articles.
        """
        if self._perm is None:
            self._perm = {s: [] for s in self._sizes}
            n, width = self.x.shape
            head = max(self._sizes, default=0)
            rng = rng_for(self.seed, "shared-perm", *self.key)
            step = max(1, _CELLS // max(1, head * width))
            for start in range(0, self.B if head else 0, step):
                b = min(step, self.B - start)
                if head * 8 < n:  # a small side: draw its places only
                    order = np.stack([rng.choice(n, size=head, replace=False) for _ in range(b)])
                else:
                    order = rng.permuted(np.tile(np.arange(n), (b, 1)), axis=1)[:, :head]
                running = np.cumsum(self.x[order], axis=1)  # (b, head, K)
                for s in self._sizes:
                    self._perm[s].append(running[:, s - 1, :])
            self._perm = {s: np.concatenate(v, axis=0) for s, v in self._perm.items()}
        return self._perm[int(k)]

    def difference(self, a: Side, b: Side, ratio: Callable[[np.ndarray], np.ndarray], *, ci: float,
                   test: str) -> list[dict]:
        """Interval and permutation p of ``ratio(A sums) - ratio(B sums)``, one per output column.

        ``b`` must hold every article of the measure not in ``a`` (a rest side).
        """
        in_a = self.index.mask(a)
        sa = self.x[in_a].sum(axis=0)
        observed = ratio(sa[None, :])[0] - ratio((self.total - sa)[None, :])[0]
        with np.errstate(divide="ignore", invalid="ignore"):
            reps = ratio(self.boot(a)) - ratio(self.boot(b))
            lo, hi = nan_percentiles(reps, [(1.0 - ci) / 2.0, (1.0 + ci) / 2.0])
            perm_a = self.perm_sums(int(in_a.sum()))
            values = np.abs(ratio(perm_a) - ratio(self.total[None, :] - perm_a))
        hits = (values >= np.abs(observed) - TOL).sum(axis=0)
        p = (1.0 + hits) / (1.0 + self.B)
        text = f"{test}, {self.B} random relabellings (shared by the contrasts against the rest)"
        return [{"ci_low": float(lo[j]), "ci_high": float(hi[j]), "p": float(p[j]), "test": text}
                for j in range(np.size(observed))]

    def chi2_p(self, a: Side) -> float:
        """Permutation p of the chi-square of the side x category table (columns = categories)."""
        in_a = self.index.mask(a)
        sa = self.x[in_a].sum(axis=0)
        observed = chi2_2xk(sa[None, :], (self.total - sa)[None, :])[0]
        perm_a = self.perm_sums(int(in_a.sum()))
        values = chi2_2xk(perm_a, self.total[None, :] - perm_a)
        return float((1.0 + (values >= observed - TOL).sum()) / (1.0 + self.B))
