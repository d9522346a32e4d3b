"""Agreement between hand coding and the tool: Krippendorff's alpha with a bootstrap interval.

``framing agree SHEET.csv [SHEET2.csv ...] [--key KEY.csv]`` reads coding sheets written by
``framing sample`` (:mod:`framing.output.sheets`) and filled in by coders, and the key with the
tool's answers. For every coded variable it reports:

- Krippendorff's alpha (computed with the ``krippendorff`` package; nominal, ordinal for stance)
  for each coder against the tool and, with two or more coders, for the coders among themselves;
  a unit coded by fewer than two (a missing code is an empty cell) is not pairable and does not
  count, as alpha defines;
- a 95% bootstrap interval, by the algorithm of Hayes & Krippendorff (2007): resample pairs of
  judgments from the observed coincidence matrix (as many pairs as the data hold), keep the
  expected disagreement of the data, and take percentiles of ``1 - Do*/De``; plus the share of
  resamples below 0.667, the lowest alpha Krippendorff (2004) accepts for tentative conclusions;
- percent agreement (share of pairable pairs that agree) and the number of units;
- precision, recall and F1 of the tool per category, taking the coder as the reference.

Codes are compared after trimming and case-folding; ``none`` stands for "nothing" (no
descriptor, no speaker), which is an answer, not a missing code.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import krippendorff
import numpy as np
import pandas as pd

from framing.tables import columns

__all__ = ["AgreementError", "Codes", "agreement_tables", "bootstrap_alpha", "coincidences", "read_key", "read_sheets"]

#: Ordered values of ordinal variables (others are nominal).
ORDINAL = {"stance": ("negative", "neutral", "positive")}
#: Krippendorff's (2004) lowest acceptable alpha for tentative conclusions.
ALPHA_MIN = 0.667
_UNIT = re.compile(r"^(mentions|quotes|stance):(.+):(\d+):(\d+)$")


class AgreementError(ValueError):
    """A sheet or key is malformed; the message starts with ``file:line``."""


@dataclass(frozen=True)
class Codes:
    """Codes read from sheets or a key: one row per (variable, unit, coder), value as coded.

    Parameters
    ----------
    frame : pandas.DataFrame
        Columns ``variable``, ``unit_id``, ``coder``, ``value`` (normalised), ``source``
        (``file:line``).
    """

    frame: pd.DataFrame


def _norm(value: str) -> str:
    return re.sub(r"\s+", " ", value).strip().casefold()


def _check_value(variable: str, value: str, where: str) -> None:
    if variable in ORDINAL and value not in ORDINAL[variable]:
        raise AgreementError(f"{where}: {variable} code {value!r} is not one of {', '.join(ORDINAL[variable])}")


def _rows(path: Path) -> Iterable[tuple[int, dict[str, str]]]:
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise AgreementError(f"{path}:0: cannot read: {exc.strerror}") from None
    with handle:
        reader = csv.DictReader(handle)
        try:
            header = reader.fieldnames or []
            if "unit_id" not in header:
                raise AgreementError(f"{path}:1: no unit_id column (header: {', '.join(header) or 'empty'})")
            yield 1, {h: h for h in header}
            for row in reader:
                if None in row:
                    raise AgreementError(f"{path}:{reader.line_num}: more cells than the header has columns")
                yield reader.line_num, {k: (v or "") for k, v in row.items()}
        except csv.Error as exc:
            raise AgreementError(f"{path}:{reader.line_num}: {exc}") from None


def _unit(unit_id: str, where: str) -> str:
    if not _UNIT.match(unit_id):
        raise AgreementError(f"{where}: unit_id {unit_id!r} is not table:article_id:start:end "
                             "(table mentions, quotes or stance)")
    return unit_id


def read_sheets(paths: Sequence[str | Path]) -> Codes:
    """Read filled coding sheets.

    Parameters
    ----------
    paths : sequence of str or Path
        Sheets (``sheet_<table>.csv`` from ``framing sample``), one or more per coder. The coder
        is the ``coder`` cell of a row, else the file's stem.

    Returns
    -------
    Codes
        The non-empty codes.

    Raises
    ------
    AgreementError
        ``file:line`` of a missing column, a malformed unit id, a code a variable does not allow,
        or a unit coded twice by one coder.
    """
    rows, seen = [], {}
    for path in map(Path, paths):
        variables: list[str] = []
        for line, row in _rows(path):
            if line == 1:
                variables = [c[len("code_"):] for c in row if c.startswith("code_")]
                if not variables:
                    raise AgreementError(f"{path}:1: no code_<variable> column")
                continue
            where = f"{path}:{line}"
            unit = _unit(row["unit_id"].strip(), where)
            coder = row.get("coder", "").strip() or path.stem
            for var in variables:
                value = _norm(row[f"code_{var}"])
                if not value:
                    continue  # missing: not pairable
                _check_value(var, value, where)
                k = (var, unit, coder)
                if k in seen:
                    raise AgreementError(f"{where}: coder {coder!r} codes {var} of {unit} again (first at {seen[k]})")
                seen[k] = where
                rows.append({"variable": var, "unit_id": unit, "coder": coder, "value": value, "source": where})
    return Codes(pd.DataFrame(rows, columns=["variable", "unit_id", "coder", "value", "source"]))


def read_key(path: str | Path) -> Codes:
    """Read the tool's answers (``key.csv`` from ``framing sample``; coder ``tool``)."""
    path = Path(path)
    rows, seen = [], {}
    for line, row in _rows(path):
        if line == 1:
            missing = {"variable", "value"} - set(row)
            if missing:
                raise AgreementError(f"{path}:1: no {', '.join(sorted(missing))} column")
            continue
        where = f"{path}:{line}"
        unit, var = _unit(row["unit_id"].strip(), where), row["variable"].strip()
        value = _norm(row["value"])
        if not var or not value:
            raise AgreementError(f"{where}: empty variable or value")
        _check_value(var, value, where)
        if (var, unit) in seen:
            raise AgreementError(f"{where}: {var} of {unit} given twice (first at {seen[var, unit]})")
        seen[var, unit] = where
        rows.append({"variable": var, "unit_id": unit, "coder": "tool", "value": value, "source": where})
    return Codes(pd.DataFrame(rows, columns=["variable", "unit_id", "coder", "value", "source"]))


# ---------------------------------------------------------------- alpha and its bootstrap


def _matrix(codes: pd.DataFrame, coders: Sequence[str], variable: str) -> tuple[np.ndarray, list[str]]:
    """Reliability data (coders x units) as float codes with NaN for missing, and the values."""
    values = list(ORDINAL[variable]) if variable in ORDINAL else sorted(set(codes["value"]))
    index = {v: i for i, v in enumerate(values)}
    units = sorted(set(codes["unit_id"]))
    col = {u: j for j, u in enumerate(units)}
    row = {c: i for i, c in enumerate(coders)}
    data = np.full((len(coders), len(units)), np.nan)
    for r in codes.itertuples(index=False):
        data[row[r.coder], col[r.unit_id]] = index[r.value]
    return data, values


def _pairable(data: np.ndarray) -> np.ndarray:
    return data[:, (~np.isnan(data)).sum(axis=0) >= 2]


def coincidences(data: np.ndarray, n_values: int) -> np.ndarray:
    """Krippendorff's coincidence matrix ``o[c, k]`` of reliability data (coders x units, NaN
    missing): each pairable unit with ``m_u`` values adds ``1 / (m_u - 1)`` for every ordered pair
    of values from different coders."""
    o = np.zeros((n_values, n_values))
    for unit in _pairable(data).T:
        vals = unit[~np.isnan(unit)].astype(int)
        counts = np.bincount(vals, minlength=n_values).astype(float)
        o += (np.outer(counts, counts) - np.diag(counts)) / (len(vals) - 1)
    return o


def _delta(o: np.ndarray, ordinal: bool) -> np.ndarray:
    v = len(o)
    if not ordinal:
        return 1.0 - np.eye(v)
    n = o.sum(axis=1)
    cum = np.concatenate([[0.0], np.cumsum(n)])
    d = np.zeros((v, v))
    for c in range(v):
        for k in range(v):
            lo, hi = min(c, k), max(c, k)
            d[c, k] = (cum[hi + 1] - cum[lo] - (n[c] + n[k]) / 2) ** 2
    return d


def bootstrap_alpha(data: np.ndarray, n_values: int, *, ordinal: bool = False, B: int = 1000,
                    seed: int = 0) -> tuple[float, float, float, float]:
    """Alpha's 95% interval by Hayes & Krippendorff's (2007) bootstrap.

    Draws, ``B`` times, as many pairs of values as the data have pairable pairs
    (``sum_u m_u (m_u - 1) / 2``) from the coincidence matrix (probability ``o[c, k] / n``), and
    computes ``alpha* = 1 - Do*/De`` with the data's expected disagreement ``De``.

    Parameters
    ----------
    data : numpy.ndarray
        Reliability data, coders x units, integer codes, NaN missing.
    n_values : int
        Number of values (codes are ``0 .. n_values - 1``).
    ordinal : bool
        Ordinal metric (else nominal).
    B : int
        Resamples.
    seed : int
        Seed of the draws.

    Returns
    -------
    (float, float, float, float)
        Alpha from the coincidences, interval low and high, share of resamples below
        :data:`ALPHA_MIN` (NaN throughout when the data have no variation: alpha is undefined).
    """
    o = coincidences(data, n_values)
    n = o.sum()
    delta = _delta(o, ordinal)
    marg = o.sum(axis=1)
    de = float((np.outer(marg, marg) * delta).sum() / (n * (n - 1))) if n > 1 else 0.0
    if de == 0.0:
        return float("nan"), float("nan"), float("nan"), float("nan")
    do = float((o * delta).sum() / n)
    m = int(round(sum(k * (k - 1) / 2 for k in (~np.isnan(_pairable(data))).sum(axis=0))))
    rng = np.random.default_rng(seed)
    draws = rng.multinomial(m, (o / n).ravel(), size=B)
    alphas = 1.0 - (draws @ delta.ravel() / m) / de
    low, high = np.quantile(alphas, [0.025, 0.975])
    return 1.0 - do / de, float(low), float(high), float((alphas < ALPHA_MIN).mean())


def _percent(data: np.ndarray) -> float:
    agree = total = 0.0
    for unit in _pairable(data).T:
        vals = unit[~np.isnan(unit)]
        k = len(vals)
        counts = np.unique(vals, return_counts=True)[1]
        agree += float((counts * (counts - 1)).sum()) / 2
        total += k * (k - 1) / 2
    return agree / total if total else float("nan")


def _alpha_row(variable: str, comparison: str, codes: pd.DataFrame, coders: Sequence[str], *, B: int,
               seed: int) -> dict:
    level = "ordinal" if variable in ORDINAL else "nominal"
    data, values = _matrix(codes, coders, variable)
    pairable = _pairable(data)
    row = {"variable": variable, "comparison": comparison, "level": level, "n_units": pairable.shape[1],
           "n_coders": len(coders), "alpha": float("nan"), "ci_low": float("nan"), "ci_high": float("nan"),
           "p_below_min": float("nan"), "percent_agreement": _percent(data), "note": ""}
    if pairable.shape[1] == 0:
        row["note"] = "no unit coded by both"
        return row
    if len(np.unique(pairable[~np.isnan(pairable)])) < 2:
        row["note"] = "one value only: no variation, alpha undefined"
        return row
    row["alpha"] = float(krippendorff.alpha(reliability_data=data, value_domain=list(range(len(values))),
                                            level_of_measurement=level))
    _, row["ci_low"], row["ci_high"], row["p_below_min"] = bootstrap_alpha(
        data, len(values), ordinal=level == "ordinal", B=B, seed=seed)
    return row


def _category_rows(variable: str, coder: str, pairs: pd.DataFrame) -> list[dict]:
    out = []
    for cat in sorted(set(pairs["coder_value"]) | set(pairs["tool_value"])):
        tp = int(((pairs["coder_value"] == cat) & (pairs["tool_value"] == cat)).sum())
        n_coder = int((pairs["coder_value"] == cat).sum())
        n_tool = int((pairs["tool_value"] == cat).sum())
        p = tp / n_tool if n_tool else float("nan")
        r = tp / n_coder if n_coder else float("nan")
        f1 = 2 * p * r / (p + r) if n_tool and n_coder and (p + r) > 0 else (0.0 if n_tool and n_coder else float("nan"))
        out.append({"variable": variable, "coder": coder, "category": cat, "n_coder": n_coder, "n_tool": n_tool,
                    "true_positive": tp, "precision": p, "recall": r, "f1": f1})
    return out


def agreement_tables(sheets: Codes, key: Codes | None = None, *, B: int = 1000,
                     seed: int = 0) -> dict[str, pd.DataFrame]:
    """The reliability tables ``agreement`` and ``agreement_categories``.

    Parameters
    ----------
    sheets : Codes
        Coders' codes (:func:`read_sheets`).
    key : Codes, optional
        The tool's answers (:func:`read_key`); without it only coders are compared.
    B : int
        Bootstrap resamples.
    seed : int
        Seed of the bootstrap.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``agreement`` (variable x comparison) and ``agreement_categories`` (variable x coder x
        category, coder against tool).

    Raises
    ------
    AgreementError
        A coded unit is not in the key (``file:line`` of the code).
    """
    codes = sheets.frame
    tool = key.frame if key is not None else None
    if tool is not None:
        known = set(zip(tool["variable"], tool["unit_id"], strict=True))
        for r in codes.itertuples(index=False):
            if (r.variable, r.unit_id) not in known:
                raise AgreementError(f"{r.source}: {r.variable} of {r.unit_id} is not in the key")
    rows, cats = [], []
    for variable in sorted(set(codes["variable"])):
        mine = codes[codes["variable"] == variable]
        coders = sorted(set(mine["coder"]))
        if tool is not None:
            theirs = tool[tool["variable"] == variable]
            for coder in coders:
                one = mine[mine["coder"] == coder]
                both = pd.concat([one, theirs[theirs["unit_id"].isin(set(one["unit_id"]))]], ignore_index=True)
                rows.append(_alpha_row(variable, f"{coder} vs tool", both, [coder, "tool"], B=B, seed=seed))
                pairs = one.merge(theirs, on="unit_id", suffixes=("_c", "_t"))
                pairs = pairs.rename(columns={"value_c": "coder_value", "value_t": "tool_value"})
                cats += _category_rows(variable, coder, pairs)
        if len(coders) >= 2:
            rows.append(_alpha_row(variable, f"coders ({', '.join(coders)})", mine, coders, B=B, seed=seed))
    return {
        "agreement": pd.DataFrame(rows, columns=list(columns("agreement"))),
        "agreement_categories": pd.DataFrame(cats, columns=list(columns("agreement_categories"))),
    }
