"""Options of the steps after extraction, as small validated dataclasses.

``framing.analyze(..., stats=StatsOptions(bootstrap=200), crossdoc=CrossDocOptions(align=False))``;
``stats=False`` or ``crossdoc=False`` skips the step. Each dataclass says what the run's manifest
records of it (:meth:`manifest_facts`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from framing.crossdoc.distinctive import check_options
from framing.stats.design import PAIRS_MAX, REST_MAX, read_outlet_groups

__all__ = ["CrossDocOptions", "StatsOptions"]


def _positive_int(name: str, value: Any) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")


@dataclass(frozen=True)
class StatsOptions:
    """How the summaries and comparisons are computed.

    Attributes:
        bootstrap: Bootstrap resamples (and permutations) per interval and test.
        seed: Seed of every random draw; the same seed gives the same tables.
        alpha: Significance level; every interval is at level ``1 - alpha``.
        compare: Outlets (or groups, with ``outlet_groups``) to compare pair by pair instead of
            the default design (``--compare A,B,C``).
        outlet_groups: CSV of ``outlet,group`` (``--outlet-groups FILE``): compare groups of
            outlets, the article staying the resampling unit.
        pairs_max: Default design: every pair when there are at most this many outlets (groups),
            each one against the rest otherwise (:mod:`framing.stats.design`).
        rest_max: Most outlets (groups) each compared with the rest by default; above it, the
            ``rest_max`` with the most articles, plus one across-outlets row per measure
            (``--rest-max N``; None: every outlet against the rest).
    """

    bootstrap: int = 1000
    seed: int = 0
    alpha: float = 0.05
    compare: tuple[str, ...] | None = None
    outlet_groups: str | Path | None = None
    pairs_max: int = PAIRS_MAX
    rest_max: int | None = REST_MAX

    def __post_init__(self) -> None:
        _positive_int("bootstrap", self.bootstrap)
        if not isinstance(self.seed, int) or isinstance(self.seed, bool) or self.seed < 0:
            raise ValueError(f"seed must be a non-negative integer, got {self.seed!r}")
        if not isinstance(self.alpha, (int, float)) or not 0.0 < self.alpha < 1.0:
            raise ValueError(f"alpha must be in (0, 1), got {self.alpha!r}")
        if self.compare is not None:
            if isinstance(self.compare, str):
                object.__setattr__(self, "compare", tuple(c.strip() for c in self.compare.split(",")))
            object.__setattr__(self, "compare", tuple(str(c) for c in self.compare))
            if len(set(self.compare)) < 2:
                raise ValueError(f"compare needs at least two names, got {self.compare!r}")
        if isinstance(self.pairs_max, bool) or not isinstance(self.pairs_max, int) or self.pairs_max < 2:
            raise ValueError(f"pairs_max must be an integer of at least 2, got {self.pairs_max!r}")
        if self.rest_max is not None:
            _positive_int("rest_max", self.rest_max)

    def groups(self) -> tuple[dict[str, str] | None, str]:
        """The outlet groups read from ``outlet_groups`` (None without a file) and the file's SHA-256.

        Raises:
            framing.stats.design.OutletGroupsError: The file is missing or malformed.
        """
        if self.outlet_groups is None:
            return None, ""
        return read_outlet_groups(self.outlet_groups)

    def manifest_facts(self, enabled: bool = True) -> dict[str, Any]:
        """The manifest's record of these options."""
        return {"seed": self.seed, "bootstrap": self.bootstrap, "alpha": self.alpha, "statistics": enabled}


@dataclass(frozen=True)
class CrossDocOptions:
    """Which cross-document steps run, and how many distinctive terms are kept.

    Attributes:
        align: Mine word substitutions between outlets' versions of the same story.
        distinctive: Distinctive terms per outlet (weighted log-odds, Monroe et al. 2008).
        distinctive_top: Terms kept per outlet, highest z first (None: every term used at least
            ``min_count`` times, a table that grows with the vocabulary).
        ngram_range: Shortest and longest n-gram counted for distinctive terms.
        min_count: Fewest uses of a term in the corpus for it to be scored.
        prior: Dirichlet prior scale (share of the corpus counts used as the prior).
        descriptors: The ``descriptors`` table (every descriptor attached to each actor per outlet,
            scored with the same log-odds method).
    """

    align: bool = True
    distinctive: bool = True
    distinctive_top: int | None = 500
    ngram_range: tuple[int, int] = (1, 2)
    min_count: int = 3
    prior: float = 0.1
    descriptors: bool = True

    def __post_init__(self) -> None:
        if self.distinctive_top is not None:
            _positive_int("distinctive_top", self.distinctive_top)
        check_options(tuple(self.ngram_range), self.prior, self.min_count)

    @property
    def enabled(self) -> bool:
        """Whether any cross-document step runs."""
        return self.align or self.distinctive or self.descriptors

    def manifest_facts(self) -> dict[str, Any]:
        """The manifest's record of these options."""
        distinctive: dict[str, Any] | bool = False
        if self.distinctive:
            distinctive = {"ngram_range": list(self.ngram_range), "prior": self.prior,
                           "min_count": self.min_count, "top": self.distinctive_top}
        return {"align": self.align, "distinctive": distinctive, "descriptors": self.descriptors}


#: What ``crossdoc=False`` means.
NO_CROSSDOC = CrossDocOptions(align=False, distinctive=False, descriptors=False)
