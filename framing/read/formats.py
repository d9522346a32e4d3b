"""Record readers of the data formats: JSONL line by line, CSV streamed (delimiter sniffed),
Parquet by record batches; each yields :class:`RawRecord` (fields, source, problem so far) for
:mod:`framing.read.corpus` to map, validate and turn into articles. Bytes are decoded line by
line (a byte-order mark selects UTF-16/32; other non-UTF-8 lines a legacy encoding, noted).
"""

from __future__ import annotations

import csv
import io
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from framing.read.decode import binary_kind, bom_encoding, legacy_decode

__all__ = ["RawRecord", "csv_records", "jsonl_records", "parquet_records", "read_lines", "sniff_delimiter"]

logger = logging.getLogger("framing.read.corpus")  # one logger for the reading step


@dataclass
class RawRecord:
    """A record before validation: where it came from, its fields, any problem so far."""

    source: str
    fallback_id: str  # the id when the record has no usable one, e.g. "batch.jsonl:3"
    fields: dict[str, Any] | None = None
    error: str = ""
    warnings: list[str] = field(default_factory=list)
    page: bool = False  # text extracted from a whole HTML page (not stripped again)


def read_lines(path: Path, encoding: str | None) -> Iterator[tuple[int, str, str]]:
    """Yield ``(line number, decoded line, warning)``, one line at a time.

    Raises:
        ValueError: The file is binary, or a UTF-16/32 file stops decoding.
    """
    with open(path, "rb") as fh:
        head = fh.read(8192)
        fh.seek(0)
        bom, lineno = bom_encoding(head[:4]), 0
        if bom:
            try:
                for lineno, line in enumerate(io.TextIOWrapper(fh, encoding=bom[0], newline=""), 1):
                    yield lineno, line, ""
            except UnicodeDecodeError as exc:
                why = f"undecodable {bom[1]} after line {lineno}: {exc.reason}"
                raise ValueError(why) from None
            return
        kind = binary_kind(head, max_nul=0.05)  # a stray NUL only spoils its own record
        if kind:
            raise ValueError(f"binary content ({kind})")
        for lineno, raw in enumerate(fh, 1):
            try:
                yield lineno, raw.decode("utf-8"), ""
            except UnicodeDecodeError as exc:
                text, warning = legacy_decode(raw, encoding, exc, strict=False)
                yield lineno, text, f"line {lineno}: {warning}"


def log_fallbacks(path: Path, warnings: list[str]) -> None:
    """One logging call per file, however many lines needed a legacy encoding."""
    if warnings:
        logger.warning("%s: %d line(s) not valid UTF-8, e.g. %s", path, len(warnings), warnings[0])


def jsonl_records(path: Path, encoding: str | None) -> Iterator[RawRecord]:
    fallbacks: list[str] = []
    try:
        for lineno, line, warning in read_lines(path, encoding):
            line = line.lstrip("\ufeff") if lineno == 1 else line
            if not line.strip():
                continue  # a blank line is not a record
            raw = RawRecord(f"{path}:{lineno}", f"{path.name}:{lineno}")
            if warning:
                raw.warnings.append(warning)
                fallbacks.append(warning)
            try:
                raw.fields = json.loads(line)
            except json.JSONDecodeError as exc:
                raw.error = f"malformed JSON on line {lineno}: {exc.msg} (column {exc.colno})"
            if raw.fields is not None and not isinstance(raw.fields, dict):
                kind, raw.fields = type(raw.fields).__name__, None
                raw.error = f"JSON line {lineno} is not an object (got {kind})"
            yield raw
    except ValueError as exc:
        yield RawRecord(str(path), path.name, error=str(exc))
    log_fallbacks(path, fallbacks)


def csv_records(path: Path, encoding: str | None) -> Iterator[RawRecord]:
    """One :class:`RawRecord` per data row, fields keyed by the (stripped) header names."""
    if csv.field_size_limit() < 2**31 - 1:
        csv.field_size_limit(2**31 - 1)  # article texts exceed the 128 KiB default
    pending: list[str] = []  # fallback warnings of the lines the reader consumed for this row
    fallbacks: list[str] = []

    def lines() -> Iterator[str]:
        for _, line, warning in read_lines(path, encoding):
            pending.extend([warning] * bool(warning))
            yield line

    reader, header, previous = csv.reader(lines(), delimiter=sniff_delimiter(path)), None, 0
    try:
        while True:
            try:
                row, error = next(reader), ""
            except StopIteration:
                break
            except csv.Error as exc:
                row, error = None, f"malformed CSV at line {previous + 1}: {exc}"
            start, previous = previous + 1, reader.line_num
            raw = RawRecord(f"{path}:{start}", f"{path.name}:{start}", error=error, warnings=pending[:])
            fallbacks.extend(pending)
            pending.clear()
            if row is not None and (not row or (len(row) == 1 and not row[0].strip())):
                continue  # blank line
            if row is not None and header is None:
                header = [name.lstrip("\ufeff").strip() for name in row]
                continue
            if row is not None and len(row) != len(header):
                raw.error = f"row has {len(row)} fields, the header has {len(header)}"
            elif row is not None:
                raw.fields = dict(zip(header, row, strict=False))
            yield raw
    except ValueError as exc:
        yield RawRecord(str(path), path.name, error=str(exc))
    log_fallbacks(path, fallbacks)


def sniff_delimiter(path: Path) -> str:
    """The delimiter of a CSV file, sniffed from its header line: ``,`` (default), ``;`` or tab."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(65536)
    except OSError:
        return ","  # the reader reports the problem
    bom = bom_encoding(head[:4])
    line = head.decode(bom[0] if bom else "utf-8", errors="replace").lstrip("\ufeff")
    line = line.splitlines()[0] if line.strip() else ""
    try:
        return csv.Sniffer().sniff(line, delimiters=",;\t").delimiter
    except csv.Error:
        return ","


def parquet_records(path: Path, batch_size: int) -> Iterator[RawRecord]:
    row = 0
    try:
        for batch in pq.ParquetFile(path).iter_batches(batch_size=batch_size):
            for record in batch.to_pylist():
                row += 1
                yield RawRecord(f"{path}:{row}", f"{path.name}:{row}", fields=record)
    except (pa.ArrowException, OSError, ValueError) as exc:  # what pyarrow raises for unreadable files
        where = f" after row {row}" if row else ""
        yield RawRecord(str(path), path.name, error=f"unreadable Parquet file{where}: {exc}")
