"""Tables for statistics packages: Stata ``.dta`` and SPSS ``.sav``, with a codebook.

Every table can be written as ``<table>.dta`` (Stata 14+ format 118, UTF-8, by pandas'
:meth:`~pandas.DataFrame.to_stata`) and ``<table>.sav`` (SPSS, by ``pyreadstat.write_sav``), with
variable labels from the table contract (:func:`framing.tables.column_label`). Parquet stays the
choice for R and Python.

What changes on the way, and why:

- **Names.** Stata allows 32 characters of ``[A-Za-z0-9_]`` starting with a letter or ``_`` and
  reserves some words; SPSS wants a letter first. One legal name per column serves both:
  ``sentiment.mean_compound`` -> ``sentiment_mean_compound``, cut to 32 characters, made unique
  with ``_2`` ... ``codebook.csv`` maps every variable back to its column.
- **Values.** Floats are rounded as in the CSV (6 decimals); booleans become 0/1; missing
  numbers are system missing; missing strings are empty strings (neither format has a missing
  string). Strings longer than 2045 bytes become Stata ``strL``. Text stays text (dates are the
  strings the input gave, never converted through a timestamp, so no 1970 dates appear); a
  datetime column, should a table have one, is written as ISO 8601 text.
- **Memory.** Both formats are written whole, so a long table is loaded from the spool once per
  file (Stata and SPSS load the whole file anyway).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat

from framing.output.export import round_frame, to_csv
from framing.tables import column_label

__all__ = ["TABLE_FORMATS", "STAT_FORMATS", "CODEBOOK", "legal_names", "prepare", "write_dta",
           "write_sav", "write_stat_files"]

#: Table formats ``framing analyze --format`` accepts (a comma list of them).
TABLE_FORMATS = ("csv", "parquet", "dta", "sav")
#: The formats for statistics packages written by this module.
STAT_FORMATS = ("dta", "sav")
CODEBOOK = "codebook.csv"

_MAX_NAME = 32  # Stata's limit (SPSS allows 64 bytes)
_MAX_LABEL = 80  # Stata's variable label limit
_MAX_STR = 2045  # bytes of a Stata str#; longer strings need strL
# Stata's reserved names ([U] 11.3) and Mata's reserved words, which pandas' writer also refuses
_STATA_RESERVED = frozenset(
    "_all _b byte _coef _cons double float if in int long _n _N _pi _pred _rc _se _skip strL using with "
    "aggregate array boolean break case catch class colvector complex const continue default delegate "
    "delete do else eltypedef end enum explicit export external for friend function global goto "
    "inline local NULL pragma protected quad rowvector short typedef typename virtual".split()
)
_SPSS_RESERVED = frozenset("all and by eq ge gt le lt ne not or to with".split())
_ILLEGAL = re.compile(r"[^A-Za-z0-9_]")


def legal_names(columns: Sequence[str]) -> list[str]:
    """Variable names legal in Stata and SPSS, one per column, unique, in column order.

    Args:
        columns: Column names.

    Returns:
        Names of at most 32 characters of letters, digits and ``_``, starting with a letter, none
        reserved in Stata or SPSS; a legal name stays as it is.
    """
    out: list[str] = []
    used: set[str] = set()
    for col in columns:
        name = _ILLEGAL.sub("_", str(col)) or "v"
        if not name[0].isalpha():
            name = "v" + name
        if name in _STATA_RESERVED or name.lower() in _SPSS_RESERVED or re.fullmatch(r"str\d+", name):
            name += "_"
        name = name[:_MAX_NAME]
        base, k = name, 1
        while name.lower() in used:  # Stata is case-sensitive, SPSS is not
            k += 1
            suffix = f"_{k}"
            name = base[: _MAX_NAME - len(suffix)] + suffix
        used.add(name.lower())
        out.append(name)
    return out


def _column(values: pd.Series) -> pd.Series:
    """One column as a float or string column both formats accept."""
    if pd.api.types.is_bool_dtype(values):
        return values.astype("float64")
    if pd.api.types.is_datetime64_any_dtype(values):
        return values.map(lambda v: "" if pd.isna(v) else v.isoformat()).astype(object)
    if pd.api.types.is_numeric_dtype(values):
        return values.astype("float64")  # Int64 with <NA> -> NaN (system missing)
    present = values[values.notna()]
    if len(present) and all(isinstance(v, (bool, np.bool_)) for v in present):
        return values.map(lambda v: np.nan if pd.isna(v) else float(v)).astype("float64")
    return values.map(lambda v: "" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v)).astype(object)


def prepare(df: pd.DataFrame, table: str, *, precision: int = 6) -> tuple[pd.DataFrame, dict[str, str], list[dict]]:
    """A table ready for Stata/SPSS: legal names, float or string columns, labels, codebook rows.

    Args:
        df: The table.
        table: Its name in the contract (for the labels).
        precision: Decimals floats are rounded to (the CSV's).

    Returns:
        ``(frame, labels, codebook rows)``; ``labels`` maps legal name -> variable label.
    """
    rounded = round_frame(df, precision).reset_index(drop=True)
    names = legal_names(list(df.columns))
    out = pd.DataFrame({name: _column(rounded[col]) for name, col in zip(names, df.columns, strict=True)},
                       index=rounded.index)
    labels, rows = {}, []
    for name, col in zip(names, df.columns, strict=True):
        label = column_label(table, str(col))
        labels[name] = label[:_MAX_LABEL]
        rows.append({"table": table, "variable": name, "column": str(col), "label": label,
                     "type": "numeric" if pd.api.types.is_float_dtype(out[name]) else "string"})
    return out, labels, rows


def write_dta(frame: pd.DataFrame, path: str | Path, labels: dict[str, str], *, title: str = "") -> Path:
    """Write a prepared frame as Stata format 118 (UTF-8); long strings as ``strL``."""
    path = Path(path)
    strl = [c for c in frame.columns if frame[c].dtype == object
            and any(len(v.encode("utf-8")) > _MAX_STR for v in frame[c])]
    frame.to_stata(path, write_index=False, version=118, convert_strl=strl, variable_labels=labels,
                   data_label=title[:_MAX_LABEL] or None)
    return path


def write_sav(frame: pd.DataFrame, path: str | Path, labels: dict[str, str], *, title: str = "") -> Path:
    """Write a prepared frame as an SPSS ``.sav`` file with variable labels."""
    path = Path(path)
    pyreadstat.write_sav(frame, str(path), file_label=title[:64], column_labels=labels)
    return path


def write_stat_files(
    tables: Iterable[tuple[str, pd.DataFrame]],
    out_dir: str | Path,
    *,
    formats: Sequence[str] = STAT_FORMATS,
    precision: int = 6,
) -> list[Path]:
    """Write every table as ``.dta`` and/or ``.sav``, and ``codebook.csv`` for all of them.

    Args:
        tables: ``(name, table)`` pairs, e.g. a generator that loads one table at a time.
        out_dir: Output folder (must exist).
        formats: Any of "dta", "sav".
        precision: Decimals floats are rounded to.

    Returns:
        The paths written, the codebook last.

    Raises:
        ValueError: A format is not "dta" or "sav".
    """
    unknown = [f for f in formats if f not in STAT_FORMATS]
    if unknown:
        raise ValueError(f"unknown statistics file format(s): {', '.join(unknown)} (choose from dta, sav)")
    out, written, codebook = Path(out_dir), [], []
    for name, df in tables:
        frame, labels, rows = prepare(df, name, precision=precision)
        codebook += rows
        if "dta" in formats:
            written.append(write_dta(frame, out / f"{name}.dta", labels, title=name))
        if "sav" in formats:
            written.append(write_sav(frame, out / f"{name}.sav", labels, title=name))
    if formats:
        written.append(to_csv(pd.DataFrame(codebook, columns=["table", "variable", "column", "label", "type"]),
                              out / CODEBOOK))
    return written
