"""Which contrasts a comparison table holds: the comparison design of a study.

A study with few outlets can afford every pair; one with hundreds cannot (293 outlets make 42,778
pairs, each tested on every feature, and a reader cannot use a table of millions of rows). The
design is chosen from the data and the options, and every row of ``comparisons`` names it:

- ``all pairs`` — every pair of outlets, only when there are at most ``pairs_max`` outlets
  (default :data:`PAIRS_MAX` = 8, i.e. at most 28 pairs), plus ``one vs rest`` rows when there
  are three or more;
- ``one vs rest`` — each outlet against all other outlets pooled (the default above
  ``pairs_max`` outlets, up to ``rest_max``: as many contrasts as outlets);
- ``largest vs rest`` — above ``rest_max`` outlets (default :data:`REST_MAX` = 10), only the
  ``rest_max`` outlets with the most articles (ties by name) are each compared with all others:
  a table of hundreds of outlets x hundreds of measures has no reader, and a study of that many
  outlets compares groups of them (below) or the outlets it names (``compare``);
- ``across outlets`` — above ``pairs_max`` outlets, one more row per measure tests whether the
  outlets differ at all (:mod:`framing.stats.omnibus`: Kruskal–Wallis over every article, each
  outlet a group), so every outlet is in the table even when it has no contrast of its own;
- ``chosen pairs`` — every pair of the outlets named in ``compare`` (``--compare A,B,C``), and
  nothing else;
- ``group pairs`` / ``group vs rest`` / ``largest groups vs rest`` / ``across groups`` — with an
  outlet-group file (``--outlet-groups FILE``, a CSV
  of ``outlet,group`` such as AllSides lean or country), the same rules applied to groups: each
  side pools the articles of its group's outlets, and the article stays the resampling unit of
  those rows; where both sides have at least 5 outlets, article features also get rows with the
  outlet as the unit (:mod:`framing.stats.outlet_unit`). ``compare`` then names groups.

Outlets that no group lists take part in no group contrast; the design records them
(:attr:`Design.ungrouped`) and the run's manifest lists them, so nothing leaves silently.
"""

from __future__ import annotations

import csv
import hashlib
import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "member_mask",
    "ALL_PAIRS",
    "CHOSEN_PAIRS",
    "GROUP_PAIRS",
    "ACROSS_GROUPS",
    "ACROSS_OUTLETS",
    "GROUP_LARGEST",
    "GROUP_REST",
    "LARGEST_REST",
    "ONE_VS_REST",
    "PAIRS_MAX",
    "REST",
    "REST_MAX",
    "Design",
    "EVERY_GROUP",
    "EVERY_OUTLET",
    "DesignError",
    "OutletGroupsError",
    "OutletIndex",
    "Side",
    "choose_design",
    "read_outlet_groups",
]

#: Most outlets (or groups) for which every pair is compared by default: 8 outlets, 28 pairs.
PAIRS_MAX = 8
#: Most outlets (or groups) each compared with the rest by default; above it only the largest are.
REST_MAX = 10
#: Name of the pooled side of a one-vs-rest contrast.
REST = "(all others)"
#: Values of the ``design`` column.
ALL_PAIRS = "all pairs"
ONE_VS_REST = "one vs rest"
CHOSEN_PAIRS = "chosen pairs"
GROUP_PAIRS = "group pairs"
GROUP_REST = "group vs rest"
LARGEST_REST = "largest vs rest"
GROUP_LARGEST = "largest groups vs rest"
ACROSS_OUTLETS = "across outlets"
ACROSS_GROUPS = "across groups"
#: Name (``outlet_a``) of the one side of an across-outlets row.
EVERY_OUTLET = "(all outlets)"
EVERY_GROUP = "(all groups)"


class DesignError(ValueError):
    """A comparison design that cannot be made (``compare`` names an outlet not in the data)."""


class OutletGroupsError(DesignError):
    """An outlet-group file that cannot be used (the message names the file and the line)."""


@dataclass(frozen=True)
class Side:
    """One side of a contrast: its name in the table and the outlets it pools."""

    name: str
    outlets: frozenset[str]


@dataclass(frozen=True)
class Design:
    """The contrasts of one comparison table and the name of each.

    Attributes:
        name: The design as a whole (``"all pairs"``, ``"one vs rest"``, ``"chosen pairs"``,
            ``"group pairs"``, ``"group vs rest"``; the all-pairs design also has one-vs-rest rows).
        contrasts: ``(side_a, side_b, row design)`` in table order (pairs first, then the rests).
        pairs_max: The threshold the default design was chosen with.
        groups: Outlet -> group used (empty without a group file).
        ungrouped: Outlets of the data that no group lists (they take part in no contrast).
        across: The sides of the across-outlets (across-groups) rows, every outlet (group) of
            the design; empty when there are at most ``pairs_max`` of them.
        across_kind: The ``design`` value of those rows.
        rest_max: The threshold above which only the largest sides are compared with the rest.
        without_contrast: Sides that, above ``rest_max``, have no contrast of their own.
    """

    name: str
    contrasts: tuple[tuple[Side, Side, str], ...]
    pairs_max: int = PAIRS_MAX
    across: tuple[Side, ...] = ()
    across_kind: str = ""
    rest_max: int | None = REST_MAX
    without_contrast: tuple[str, ...] = ()
    groups: Mapping[str, str] = field(default_factory=dict)
    ungrouped: tuple[str, ...] = ()
    groups_file: str = ""
    groups_sha256: str = ""

    def manifest_facts(self) -> dict[str, Any]:
        """What the run's manifest records of the design."""
        facts: dict[str, Any] = {
            "name": self.name,
            "contrasts": len(self.contrasts),
            "pairs_max": self.pairs_max,
            "rest_max": self.rest_max,
            "across_rows": self.across_kind or "none",
            "unit": "article (resampled within each outlet of a side, relabelled between the sides)",
        }
        if self.without_contrast:
            facts["without_contrast"] = {"count": len(self.without_contrast),
                                         "note": "in the across rows and the pooled rests only"}
        if self.groups_file or self.groups:
            facts.update(
                outlet_unit="also the outlet, for article features, where both groups have at least 5 outlets",
                groups_file=self.groups_file,
                groups_sha256=self.groups_sha256,
                groups=sorted(set(self.groups.values())),
                ungrouped_outlets=list(self.ungrouped),
            )
        return facts


def member_mask(values, members: Iterable[str]) -> np.ndarray:
    """Boolean mask of the ``values`` (outlet names) that are among ``members``: ``np.isin`` by
    hashing (``np.isin`` sorts string arrays, slow on hundreds of thousands of rows)."""
    return pd.Series(np.asarray(values), dtype=object).isin(set(members)).to_numpy(dtype=bool)


class OutletIndex:
    """Outlet names coded once, so a side's rows are a table look-up (not a string search per row).

    Parameters
    ----------
    outlets : array-like of str
        Outlet of each row.
    """

    def __init__(self, outlets) -> None:
        self.names, self.codes = np.unique(np.asarray(outlets).astype(str), return_inverse=True)
        self._order = np.argsort(self.codes, kind="stable")  # rows grouped by outlet, in row order
        self._bounds = np.searchsorted(self.codes[self._order], np.arange(self.names.size + 1))

    def mask(self, side: Side) -> np.ndarray:
        """Boolean mask of the rows whose outlet belongs to ``side``; the same as ``np.isin``."""
        return member_mask(self.names, side.outlets)[self.codes]

    def rows(self, outlet: str) -> np.ndarray:
        """Row numbers of ``outlet``, ascending (``np.flatnonzero(outlets == outlet)`` without a scan)."""
        k = int(np.searchsorted(self.names, outlet))
        if k == self.names.size or self.names[k] != outlet:
            return np.zeros(0, dtype=np.intp)
        return self._order[self._bounds[k]:self._bounds[k + 1]]


def _singles(names: Iterable[str], members: Mapping[str, frozenset[str]]) -> list[Side]:
    return [Side(n, members[n]) for n in names]


def _largest(sides: list[Side], k: int, sizes: Mapping[str, int] | None) -> list[Side]:
    """The ``k`` sides with the most articles (ties by name), in name order."""
    def size(side: Side) -> int:
        return sum(int((sizes or {}).get(o, 0)) for o in side.outlets)
    return sorted(sorted(sides, key=lambda s: (-size(s), s.name))[:k], key=lambda s: s.name)


def _pairs_and_rests(
    sides: list[Side], kinds: tuple[str, str, str], pairs_max: int, rest_max: int | None,
    sizes: Mapping[str, int] | None,
) -> tuple[str, list[tuple[Side, Side, str]], list[Side]]:
    """Name, contrasts and the sides without a contrast of their own."""
    pair_kind, rest_kind, largest_kind = kinds
    everyone = frozenset().union(*(s.outlets for s in sides)) if sides else frozenset()
    if len(sides) <= pairs_max:
        rests = [(s, Side(REST, everyone - s.outlets), rest_kind) for s in sides] if len(sides) > 2 else []
        return pair_kind, [(a, b, pair_kind) for a, b in itertools.combinations(sides, 2)] + rests, []
    if rest_max is None or len(sides) <= rest_max:
        return rest_kind, [(s, Side(REST, everyone - s.outlets), rest_kind) for s in sides], []
    chosen = _largest(sides, rest_max, sizes)
    names = {s.name for s in chosen}
    return (largest_kind, [(s, Side(REST, everyone - s.outlets), largest_kind) for s in chosen],
            [s for s in sides if s.name not in names])


def choose_design(
    outlets: Iterable[str],
    *,
    compare: Sequence[str] | None = None,
    groups: Mapping[str, str] | None = None,
    pairs_max: int = PAIRS_MAX,
    rest_max: int | None = REST_MAX,
    sizes: Mapping[str, int] | None = None,
    groups_file: str = "",
    groups_sha256: str = "",
) -> Design:
    """The contrasts to compute for the outlets present in the data.

    Parameters
    ----------
    outlets : iterable of str
        Outlets present in the data.
    compare : sequence of str, optional
        Outlets (or, with ``groups``, groups) to compare pair by pair instead of the default
        design; each must be present and at least two must be given.
    groups : mapping, optional
        Outlet -> group; sides are then groups of outlets.
    pairs_max : int
        Most sides for which every pair is compared by default (:data:`PAIRS_MAX`).
    rest_max : int or None
        Most sides each compared with the rest by default (:data:`REST_MAX`); above it, the
        ``rest_max`` largest by ``sizes``. None: every side.
    sizes : mapping, optional
        Outlet -> articles (ok articles), to find the largest sides; a group's size is the sum
        over its outlets. Without it every size is 0 and the first names are taken.
    groups_file, groups_sha256 : str
        Where ``groups`` came from, for the manifest.

    Returns
    -------
    Design

    Raises
    ------
    DesignError
        ``compare`` names something absent, or fewer than two sides; ``pairs_max`` < 2.
    """
    if isinstance(pairs_max, bool) or not isinstance(pairs_max, int) or pairs_max < 2:
        raise ValueError(f"pairs_max must be an integer of at least 2, got {pairs_max!r}")
    if rest_max is not None and (isinstance(rest_max, bool) or not isinstance(rest_max, int) or rest_max < 1):
        raise ValueError(f"rest_max must be a positive integer or None, got {rest_max!r}")
    present = sorted(set(outlets))
    ungrouped: tuple[str, ...] = ()
    if groups:
        members: dict[str, set[str]] = {}
        for outlet in present:
            if outlet in groups:
                members.setdefault(groups[outlet], set()).add(outlet)
        ungrouped = tuple(o for o in present if o not in groups)
        member_sets = {g: frozenset(m) for g, m in members.items()}
        what = "group"
    else:
        member_sets = {o: frozenset([o]) for o in present}
        what = "outlet"
    names = sorted(member_sets)
    extra = {"pairs_max": pairs_max, "rest_max": rest_max, "groups": dict(groups or {}), "ungrouped": ungrouped,
             "groups_file": groups_file, "groups_sha256": groups_sha256}
    if compare is not None:
        chosen = list(dict.fromkeys(str(c).strip() for c in compare if str(c).strip()))
        missing = [c for c in chosen if c not in member_sets]
        if missing:
            known = ", ".join(names[:20]) + (" ..." if len(names) > 20 else "")
            raise DesignError(
                f"compare names {what}(s) not in the data: {', '.join(missing)} (known: {known or 'none'})"
            )
        if len(chosen) < 2:
            raise DesignError(f"compare needs at least two {what}s, got {chosen!r}")
        sides = _singles(sorted(chosen), member_sets)
        kind = GROUP_PAIRS if groups else CHOSEN_PAIRS
        return Design(kind, tuple((a, b, kind) for a, b in itertools.combinations(sides, 2)), **extra)
    sides = _singles(names, member_sets)
    kinds = (GROUP_PAIRS, GROUP_REST, GROUP_LARGEST) if groups else (ALL_PAIRS, ONE_VS_REST, LARGEST_REST)
    name, contrasts, left = _pairs_and_rests(sides, kinds, pairs_max, rest_max, sizes)
    across = tuple(sides) if len(sides) > pairs_max else ()
    return Design(name, tuple(contrasts), across=across,
                  across_kind=(ACROSS_GROUPS if groups else ACROSS_OUTLETS) if across else "",
                  without_contrast=tuple(s.name for s in left), **extra)


def read_outlet_groups(path: str | Path) -> tuple[dict[str, str], str]:
    """Read an outlet-group CSV: a header with ``outlet`` and ``group``, one outlet a line.

    Parameters
    ----------
    path : str or Path
        The CSV file (UTF-8; other columns are ignored).

    Returns
    -------
    (dict, str)
        Outlet -> group, and the SHA-256 of the file's bytes.

    Raises
    ------
    OutletGroupsError
        Missing or undecodable file, missing column, empty value, or an outlet given two groups;
        the message names the file and the line.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise OutletGroupsError(f"{path}: cannot read outlet groups ({exc.strerror or exc})") from exc
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise OutletGroupsError(f"{path}: not UTF-8 text (byte {exc.start})") from exc
    reader = csv.DictReader(content.splitlines())
    header = [h.strip() for h in (reader.fieldnames or [])]
    if "outlet" not in header or "group" not in header:
        raise OutletGroupsError(f"{path}:1: header must name columns 'outlet' and 'group', got {header!r}")
    reader.fieldnames = header
    out: dict[str, str] = {}
    for line, row in enumerate(reader, start=2):
        outlet, group = (row.get("outlet") or "").strip(), (row.get("group") or "").strip()
        if not outlet and not group:
            continue
        if not outlet or not group:
            raise OutletGroupsError(f"{path}:{line}: empty {'outlet' if not outlet else 'group'}")
        if outlet in out and out[outlet] != group:
            raise OutletGroupsError(
                f"{path}:{line}: outlet {outlet!r} is in group {out[outlet]!r} and {group!r}"
            )
        out[outlet] = group
    if not out:
        raise OutletGroupsError(f"{path}: no outlet,group rows")
    return out, hashlib.sha256(raw).hexdigest()
