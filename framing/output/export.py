"""Write tables as CSV, Markdown and LaTeX, and the run manifest. The only place that rounds.

CSV keeps every table; Markdown and LaTeX are written for the summary tables a paper shows.
Cells that a spreadsheet would run as a formula (starting with ``= + - @``, tab or carriage
return) are neutralised with a leading apostrophe, as OWASP recommends for CSV injection.
LaTeX uses booktabs rules and escapes every special character (``& % _ # $ { } ~ ^ \\``).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from framing.spool import read_parts
from framing.tables import SUMMARY_TABLES

__all__ = [
    "SUMMARY_TABLES",
    "neutralize_formula",
    "round_frame",
    "to_csv",
    "to_markdown",
    "to_latex",
    "latex_escape",
    "export_tables",
    "export_text_tables",
    "export_part_files",
    "export_parts",
    "for_display",
    "write_manifest",
]


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_LATEX_SPECIAL = {
    "\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
    "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
}
_LATEX_RE = re.compile("|".join(re.escape(k) for k in _LATEX_SPECIAL))


def neutralize_formula(value: Any) -> Any:
    """Prefix a string cell that a spreadsheet would evaluate with an apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def round_frame(df: pd.DataFrame, precision: int) -> pd.DataFrame:
    """Round float columns to ``precision`` decimals (negative zero printed as zero)."""
    out = df.copy()
    for col in out.columns:
        if pd.api.types.is_float_dtype(out[col]):
            out[col] = out[col].round(precision) + 0.0
    return out


def _text_cells(df: pd.DataFrame) -> pd.DataFrame:
    out = None
    for col in df.columns:
        s = df[col]
        if not (s.dtype == object or pd.api.types.is_string_dtype(s)):
            continue
        try:  # vectorised: only the cells a spreadsheet would evaluate are rewritten
            hit = s.str.startswith(_FORMULA_START).fillna(False).astype(bool)
        except (AttributeError, TypeError):  # an object column holding no strings
            hit = s.map(lambda v: isinstance(v, str) and v.startswith(_FORMULA_START)).astype(bool)
        if hit.any():
            if out is None:
                out = df.copy()
            fixed = s.astype(object) if isinstance(s.dtype, pd.CategoricalDtype) else s.copy()
            fixed[hit] = "'" + s[hit].astype(str)
            out[col] = fixed
    return df if out is None else out


CSV_CHUNK_ROWS = 100_000
"""Rows rounded, neutralised and written at a time by :func:`to_csv` (bounds the copies held)."""


def to_csv(df: pd.DataFrame, path: str | Path, *, precision: int = 6, append: bool = False) -> Path:
    """Write ``df`` as UTF-8 CSV with ``\\n`` line ends, floats rounded, formulas neutralised.

    With ``append``, rows are added to an existing file without a header. Rows are written
    :data:`CSV_CHUNK_ROWS` at a time; the file is the same as one written whole.
    """
    path = Path(path)
    starts = range(0, len(df), CSV_CHUNK_ROWS) if len(df) else [0]
    for i, start in enumerate(starts):
        part = df.iloc[start:start + CSV_CHUNK_ROWS]
        out = _text_cells(round_frame(part, precision))
        first = i == 0
        out.to_csv(path, index=False, lineterminator="\n", encoding="utf-8",
                   mode="a" if append or not first else "w", header=first and not append)
    return path


def _fmt(value: Any, precision: int) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, (float, np.floating)):
        return f"{value:.{precision}f}"
    if isinstance(value, (np.integer,)):
        return str(int(value))
    return str(value)


def to_markdown(df: pd.DataFrame, *, precision: int = 3) -> str:
    """A GitHub-flavoured Markdown table (pipes and newlines in cells escaped)."""
    def cell(v: Any) -> str:
        return _fmt(v, precision).replace("|", r"\|").replace("\n", " ")

    head = "| " + " | ".join(cell(c) for c in df.columns) + " |"
    rule = "|" + "|".join(
        "---:" if pd.api.types.is_numeric_dtype(df[c]) else "---" for c in df.columns
    ) + "|"
    body = ["| " + " | ".join(cell(v) for v in row) + " |" for row in df.itertuples(index=False)]
    return "\n".join([head, rule, *body]) + "\n"


def latex_escape(text: str) -> str:
    """Escape LaTeX special characters so the text prints literally."""
    return _LATEX_RE.sub(lambda m: _LATEX_SPECIAL[m.group()], text)


def to_latex(df: pd.DataFrame, *, caption: str = "", label: str = "", precision: int = 3) -> str:
    """A booktabs ``table`` environment with caption and label; every cell escaped."""
    align = "".join("r" if pd.api.types.is_numeric_dtype(df[c]) else "l" for c in df.columns)
    lines = [r"\begin{table}[htbp]", r"\centering"]
    if caption:
        lines.append(r"\caption{" + latex_escape(caption) + "}")
    if label:
        lines.append(r"\label{" + latex_escape(label) + "}")
    lines += [r"\begin{tabular}{" + align + "}", r"\toprule"]
    lines.append(" & ".join(latex_escape(str(c)) for c in df.columns) + r" \\")
    lines.append(r"\midrule")
    for row in df.itertuples(index=False):
        lines.append(" & ".join(latex_escape(_fmt(v, precision)) for v in row) + r" \\")
    lines += [r"\bottomrule", r"\end{tabular}", r"\end{table}"]
    return "\n".join(lines) + "\n"


def for_display(df: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Prepare a summary table for Markdown/LaTeX: "" labels shown as "none", notes as footnotes.

    The ``note`` column is replaced by a reference (``[1]``) to a numbered list of its distinct
    texts, so long notes do not widen the table. CSV keeps the table as it is.

    Returns:
        ``(table, notes)``.
    """
    out = df.copy()
    if "label" in out.columns:
        out["label"] = out["label"].map(lambda v: "none" if v == "" else v)
    notes: list[str] = []
    if "note" in out.columns:
        index: dict[str, int] = {}
        refs = []
        for value in out["note"]:
            if isinstance(value, str) and value:
                if value not in index:
                    index[value] = len(index) + 1
                    notes.append(value)
                refs.append(f"[{index[value]}]")
            else:
                refs.append("")
        out["note"] = refs
    return out, notes


def _md_notes(notes: list[str]) -> str:
    return "".join(f"\n[{i}] {n}\n" for i, n in enumerate(notes, 1))


def _tex_notes(notes: list[str]) -> str:
    if not notes:
        return ""
    items = " ".join(f"[{i}]~{latex_escape(n)}." for i, n in enumerate(notes, 1))
    return "\\par\\smallskip\\footnotesize " + items + "\n"


#: Most rows of a Markdown or LaTeX table: a paper table of tens of thousands of rows (outlet
#: summaries of 300 outlets) has no reader, and the CSV holds every row.
TEXT_ROWS = 2000


def export_tables(
    tables: Mapping[str, pd.DataFrame],
    out_dir: str | Path,
    *,
    formats: Sequence[str] = ("csv", "md", "tex"),
    precision: int = 3,
    csv_precision: int = 6,
    text_rows: int | None = TEXT_ROWS,
) -> list[Path]:
    """Write every table as CSV (or Parquet) and the summary tables as Markdown and LaTeX.

    Args:
        tables: Table name -> DataFrame.
        out_dir: Output folder (created).
        formats: Any of "csv", "parquet", "md", "tex".
        precision: Decimals in Markdown and LaTeX.
        csv_precision: Decimals in CSV.
        text_rows: Most rows of a Markdown or LaTeX table (the first, in the CSV's order; a note
            under the table says how many were left out); None for all.

    Returns:
        The paths written, in order.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, df in tables.items():
        if "csv" in formats:
            written.append(to_csv(df, out / f"{name}.csv", precision=csv_precision))
        if "parquet" in formats:
            path = out / f"{name}.parquet"
            round_frame(df, csv_precision).to_parquet(path, index=False)
            written.append(path)
        if name in SUMMARY_TABLES and ("md" in formats or "tex" in formats):
            head = df if text_rows is None or len(df) <= text_rows else df.head(text_rows)
            written += export_text_tables(name, head, len(df), out, formats=formats, precision=precision)
    return written


def export_text_tables(
    name: str,
    head: pd.DataFrame,
    n_rows: int,
    out_dir: str | Path,
    *,
    formats: Sequence[str] = ("md", "tex"),
    precision: int = 3,
) -> list[Path]:
    """The Markdown and LaTeX files of summary table ``name`` from its first rows ``head`` (of
    ``n_rows`` in all; a note under the table says when rows were left out). As
    :func:`export_tables` writes them, for a table that is read part by part."""
    out, written = Path(out_dir), []
    shown, notes = for_display(head)
    if len(head) < n_rows:
        notes = [*notes, f"The first {len(head)} of {n_rows} rows; {name}.csv has every row."]
    if "md" in formats:
        path = out / f"{name}.md"
        path.write_text(to_markdown(shown, precision=precision) + _md_notes(notes), encoding="utf-8")
        written.append(path)
    if "tex" in formats:
        path = out / f"{name}.tex"
        tex = to_latex(shown, caption=SUMMARY_TABLES[name], label=f"tab:{name}", precision=precision)
        if notes:
            tex = tex.replace("\\end{table}\n", _tex_notes(notes) + "\\end{table}\n")
        path.write_text(tex, encoding="utf-8")
        written.append(path)
    return written


def export_parts(
    name: str,
    columns: Sequence[str],
    parts: Iterable[pd.DataFrame],
    out_dir: str | Path,
    *,
    formats: Sequence[str] = ("csv",),
    csv_precision: int = 6,
) -> list[Path]:
    """Write a long table that arrives in parts (from a spool) as one CSV and/or Parquet file.

    The result equals writing the concatenated table at once.
    """
    out = Path(out_dir)
    csv_path, pq_path, writer, written = out / f"{name}.csv", out / f"{name}.parquet", None, []
    if "csv" in formats:
        to_csv(pd.DataFrame(columns=list(columns)), csv_path, precision=csv_precision)
        written.append(csv_path)
    try:
        for df in parts:
            if "csv" in formats:
                to_csv(df, csv_path, precision=csv_precision, append=True)
            if "parquet" in formats:
                table = pa.Table.from_pandas(round_frame(df, csv_precision), preserve_index=False)
                if writer is None:
                    writer = pq.ParquetWriter(pq_path, table.schema)
                writer.write_table(table.cast(writer.schema))
    finally:
        if writer is not None:
            writer.close()
    if "parquet" in formats:
        if writer is None:
            pd.DataFrame(columns=list(columns)).to_parquet(pq_path, index=False)
        written.append(pq_path)
    return written


def export_part_files(
    name: str,
    columns: Sequence[str],
    paths: Sequence[str | Path],
    out_dir: str | Path,
    *,
    formats: Sequence[str] = ("csv",),
    csv_precision: int = 6,
) -> list[Path]:
    """:func:`export_parts` from the part files of a spool (:meth:`framing.spool.TableSpool.part_files`),
    so that another process can write the table."""
    return export_parts(name, columns, read_parts(paths), out_dir, formats=formats, csv_precision=csv_precision)


def write_manifest(manifest: Mapping[str, Any], path: str | Path) -> Path:
    """Write the run manifest as sorted, indented JSON (no timestamps, so reruns are identical)."""
    path = Path(path)
    path.write_text(json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
