"""Options of the steps after extraction, as small validated dataclasses.

``framing.analyze(..., stats=StatsOptions(bootstrap=200), crossdoc=CrossDocOptions(align=False))``;
``stats=False`` or ``crossdoc=False`` skips the step. Each dataclass says what the run's manifest
records of it (:meth:`manifest_facts`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from framing.crossdoc.distinctive import check_options

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
    """

    bootstrap: int = 1000
    seed: int = 0
    alpha: float = 0.05

    def __post_init__(self) -> None:
        _positive_int("bootstrap", self.bootstrap)
        if not isinstance(self.seed, int) or isinstance(self.seed, bool) or self.seed < 0:
            raise ValueError(f"seed must be a non-negative integer, got {self.seed!r}")
        if not isinstance(self.alpha, (int, float)) or not 0.0 < self.alpha < 1.0:
            raise ValueError(f"alpha must be in (0, 1), got {self.alpha!r}")

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
