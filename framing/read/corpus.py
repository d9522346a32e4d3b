"""Readers: files on disk in, one :class:`~framing.record.Article` per input record out.

Inputs (a path or a list, read in the given order):

- a folder with ``manifest.csv`` (``file, outlet, title, date, story``; optional ``id``, ``url``,
  ``encoding``; other columns go to ``meta``) and the ``.txt`` files it lists, in manifest order;
  the id is the file stem unless an ``id`` column gives one. A ``.txt`` the manifest does not list
  becomes an **error record** (not just a warning), so every file shows up in the articles table;
  those follow, sorted by name, then any ``.jsonl``/``.csv``/``.parquet`` in the folder.
- a folder without a manifest: its ``.html``/``.htm`` pages, then its ``.jsonl``/``.csv``/``.parquet``
  files, each sorted by name. A manifest may list pages as well as ``.txt`` files.
- ``.html``/``.htm`` saved news pages (:mod:`framing.read.pages`, trafilatura): the main text, and
  title, date, author, URL from the page's metadata where the manifest gives none; ``outlet`` from
  the manifest, else the page's site name, else the domain of its canonical URL; ``html_sha256``
  records the raw page. A page with no main text is an error record.
- ``.jsonl`` (line by line), ``.csv`` (streamed; ``source`` is the line where the record starts,
  the header being line 1) and ``.parquet`` (by record batches; ``source`` is ``path:row``).

``source`` names the record from the input's own name on (``seeds/x.txt``, ``batch.jsonl:3``),
whatever folder the input lies in, so tables are the same wherever the corpus is. CSV files
(the manifest too) may be comma, semicolon or tab delimited (sniffed from the header line).
Records of JSONL/CSV/Parquet files go through a column mapping (:mod:`framing.read.columns`).

Every record, good or bad, becomes exactly one Article, ``status`` "ok" or "error" with a readable
``error``; ids are checked for duplicates across all inputs (the first occurrence wins). Bytes are
decoded as UTF-8 (a byte-order mark selects UTF-8, UTF-16 or UTF-32); otherwise with a declared
encoding or a guessed legacy one (cp1252, else latin-1), noted in ``Article.warnings``. HTML
records go through :func:`framing.read.html.html_to_text`; the result is the original text.
"""

from __future__ import annotations

import codecs
import logging
import math
import os
import re
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from itertools import islice
from pathlib import Path
from typing import Any

from framing.read.columns import check_columns, parse_columns, remap
from framing.read.decode import decode_bytes
from framing.read.formats import RawRecord, csv_records, jsonl_records, parquet_records
from framing.read.html import html_to_text, looks_like_html
from framing.read.pages import PAGE_SUFFIXES, page_outlet, read_page
from framing.record import OPTIONAL_FIELDS, REQUIRED_FIELDS, Article

__all__ = ["InputError", "read_articles", "iter_articles", "decode_bytes", "DATA_SUFFIXES"]

logger = logging.getLogger(__name__)

#: File types read as collections of records.
DATA_SUFFIXES = (".jsonl", ".csv", ".parquet")
MANIFEST = "manifest.csv"
#: Share of control characters above which a decoded text is treated as binary.
MAX_CONTROL_SHARE = 0.05

_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")  # C0/C1 controls except \t \n \v \f \r
_FIELDS = frozenset(REQUIRED_FIELDS + OPTIONAL_FIELDS)


class InputError(Exception):
    """An input cannot be read at all (missing path, unsupported type, folder without data)."""


def _txt(path: Path, encoding: str | None, fields: dict[str, Any], warnings: list[str]) -> RawRecord:
    raw = RawRecord(str(path), path.name, fields=fields, warnings=warnings)
    try:
        text, notes = decode_bytes(path.read_bytes(), encoding=encoding)
    except FileNotFoundError:
        raw.error = f"file listed in {MANIFEST} but not found: {path.name}"
    except OSError as exc:
        raw.error = f"cannot read file: {exc.strerror or exc}"
    except ValueError as exc:
        raw.error = str(exc)
    else:
        fields["text"] = text
        raw.warnings.extend(notes)
        if notes:
            logger.warning("%s: %s", path, notes[0])
    return raw


def _page(path: Path, fields: dict[str, Any], warnings: list[str], encoding: str | None = None) -> RawRecord:
    """One saved HTML page as a record; manifest fields (``fields``) win over the page's own."""
    raw = RawRecord(str(path), path.name, fields=fields, warnings=warnings, page=True)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raw.error = f"file listed in {MANIFEST} but not found: {path.name}"
        return raw
    except OSError as exc:
        raw.error = f"cannot read file: {exc.strerror or exc}"
        return raw
    page = read_page(data, url=str(fields.get("url") or "").strip(), encoding=encoding)
    fields.setdefault("id", path.stem)
    fields["html_sha256"] = page.html_sha256
    for name, value in (("title", page.title), ("date", page.date), ("author", page.author),
                        ("url", page.url)):
        if not str(fields.get(name) or "").strip():
            fields[name] = value
    if not str(fields.get("outlet") or "").strip():
        fields["outlet"] = page_outlet(page, str(fields.get("url") or ""))
        if not fields["outlet"] and not page.error:
            raw.error = "no outlet: the manifest gives none and the page names no site or canonical URL"
    if page.error:
        raw.error = page.error
    fields["text"] = page.text
    return raw


def _pages(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in PAGE_SUFFIXES and p.is_file())


def _folder(folder: Path, encoding: str | None, batch_size: int, mapping: dict[str, str]) -> Iterator[RawRecord]:
    manifest, listed = folder / MANIFEST, set()
    if manifest.is_file():
        for row in csv_records(manifest, encoding):
            if row.fields is None:
                yield row
                continue
            if "file" not in row.fields:
                raise InputError(f"{manifest}: no 'file' column (found: {', '.join(row.fields)})")
            fields = dict(row.fields)
            name = fields.pop("file").strip()
            declared = str(fields.pop("encoding", "") or "").strip()
            row_encoding = declared or encoding
            if not name:
                row.error, row.fields = "empty 'file' in manifest row", fields
                yield row
                continue
            listed.add((folder / name).resolve())
            if not str(fields.get("id") or "").strip():
                fields["id"] = Path(name).stem
            if Path(name).suffix.lower() in PAGE_SUFFIXES:
                yield _page(folder / name, fields, row.warnings, declared or None)  # else the page's charset
            else:
                yield _txt(folder / name, row_encoding, fields, row.warnings)
    else:
        for path in _pages(folder):  # no manifest: every page, metadata from the page itself
            yield _page(path, {}, [])
    strays = (".txt",) + (PAGE_SUFFIXES if manifest.is_file() else ())  # files the manifest should list
    unlisted = sorted(p.name for p in folder.iterdir()
                      if p.suffix.lower() in strays
                      and p.resolve() not in listed and p.is_file())
    if unlisted:
        logger.warning("%s: %d .txt/.html file(s) not listed in %s", folder, len(unlisted), MANIFEST)
    for name in unlisted:
        yield RawRecord(str(folder / name), name, fields={"id": Path(name).stem},
                   error=f"not listed in {MANIFEST}: {name}")
    for path in _data_files(folder):
        yield from _file(path, encoding, batch_size, mapping)


def _data_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in DATA_SUFFIXES
                  and p.name != MANIFEST and p.is_file())


def _file(path: Path, encoding: str | None, batch_size: int, mapping: dict[str, str]) -> Iterator[RawRecord]:
    if path.is_dir():
        return _folder(path, encoding, batch_size, mapping)
    if path.name == MANIFEST:
        return _folder(path.parent, encoding, batch_size, mapping)
    suffix = path.suffix.lower()
    if suffix in PAGE_SUFFIXES:
        return iter([_page(path, {}, [])])
    if suffix == ".parquet":
        return _mapped(path, parquet_records(path, batch_size), mapping)
    return _mapped(path, (jsonl_records if suffix == ".jsonl" else csv_records)(path, encoding), mapping)


def _mapped(path: Path, raws: Iterator[RawRecord], mapping: dict[str, str]) -> Iterator[RawRecord]:
    """Apply the column mapping to a data file's records; the first record checks the columns.

    Raises:
        InputError: The first record lacks a column the mapping names.
    """
    checked = False
    for raw in raws:
        if raw.fields is not None:
            if not checked and mapping:
                problem = check_columns(str(path), raw.fields, mapping)
                if problem:
                    raise InputError(problem)
            checked = True
            raw.fields = remap(raw.fields, mapping)
        yield raw


def _plan(inputs: str | os.PathLike | Iterable[str | os.PathLike]) -> list[Path]:
    """Check every input before reading any, so a typo in the last path fails at once."""
    paths = [Path(p) for p in ([inputs] if isinstance(inputs, (str, os.PathLike)) else inputs)]
    for path in paths:
        if not path.exists():
            raise InputError(f"input not found: {path}")
        if path.is_dir():
            if not (path / MANIFEST).is_file() and not _data_files(path) and not _pages(path):
                raise InputError(f"folder has no {MANIFEST}, no .html pages and no .jsonl/.csv/.parquet: {path}")
        elif path.name != MANIFEST and path.suffix.lower() not in DATA_SUFFIXES + PAGE_SUFFIXES:
            raise InputError(f"unsupported input type '{path.suffix or path.name}': {path} "
                             "(expected a folder with manifest.csv or .html pages, .html, .jsonl, .csv or .parquet)")
    return paths


def _check_mapping(paths: list[Path], mapping: dict[str, str], encoding: str | None) -> None:
    """Check the mapped columns against each data file's first record before any work starts.

    Raises:
        InputError: A data file lacks a column the mapping names.
    """
    files = []
    for path in paths:
        if path.is_dir() or path.name == MANIFEST:
            files += _data_files(path if path.is_dir() else path.parent)
        elif path.suffix.lower() in DATA_SUFFIXES:
            files.append(path)
    for path in files:
        reader = parquet_records(path, 1) if path.suffix.lower() == ".parquet" else (
            jsonl_records if path.suffix.lower() == ".jsonl" else csv_records)(path, encoding)
        try:
            # the first good record among the first few (a file of broken lines is not scanned whole)
            first = next((raw for raw in islice(reader, 100) if raw.fields is not None), None)
        finally:
            reader.close()
        problem = check_columns(str(path), first.fields, mapping) if first is not None else ""
        if problem:
            raise InputError(problem)


def _as_str(value: Any) -> str:
    """Coerce an optional field: None/NaN -> "", dates -> ISO 8601, anything else -> str."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value if isinstance(value, str) else str(value)


def _required(fields: dict[str, Any], name: str) -> tuple[str | None, str]:
    """Return ``(value, problem)`` for a required field; the value is None when unusable."""
    value = fields.get(name)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None, f"missing required field '{name}'"
    if name == "text":
        if isinstance(value, str):
            return value, ""
        return None, f"field 'text' must be a string, got {type(value).__name__}"
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None, f"field '{name}' must be a string or an integer, got {type(value).__name__}"
    value = str(value).strip()
    return (value, "") if value else (None, f"missing required field '{name}' (empty)")


def _finish(raw: RawRecord, seen: dict[str, str]) -> Article:
    """Validate one raw record into an Article; ``seen`` maps ids to where they first appeared."""
    fields, warnings = raw.fields or {}, list(raw.warnings)
    problems = [raw.error] if raw.error else []
    values: dict[str, str | None] = {}
    for name in REQUIRED_FIELDS:
        values[name], problem = _required(fields, name)
        if problem and not raw.error:
            problems.append(problem)
    rid = values["id"]
    if rid is not None and rid in seen:
        problems.insert(0, f"duplicate id '{rid}' (first seen at {seen[rid]})")
    text = values["text"] or ""
    if not problems:
        controls = len(_CONTROL.findall(text))
        if not text.strip():
            problems.append("empty text")
        elif controls > MAX_CONTROL_SHARE * len(text):
            problems.append(f"binary content ({controls / len(text):.0%} control characters)")
            text = ""
        elif not raw.page and looks_like_html(text):
            text = html_to_text(text)
            warnings.append("html stripped")
            if not text.strip():
                problems.append("empty text (nothing left after stripping HTML)")
    if rid is not None and not problems:
        seen[rid] = raw.source  # only a good record claims its id
    return Article(
        id=rid if rid is not None else raw.fallback_id,
        outlet=values["outlet"] or "",
        text=text,
        **{name: _as_str(fields.get(name)) for name in OPTIONAL_FIELDS},
        meta={k: v for k, v in fields.items() if k not in _FIELDS},
        source=raw.source,
        status="error" if problems else "ok",
        error="; ".join(problems),
        warnings=tuple(warnings),
    )


def iter_articles(
    inputs: str | os.PathLike | Iterable[str | os.PathLike],
    *,
    encoding: str | None = None,
    batch_size: int = 1024,
    columns: str | dict[str, str] | None = None,
) -> Iterator[Article]:
    """Stream Articles from one or more inputs, one per input record, in input order.

    Inputs are checked when this function is called, before the first record is read. Memory
    stays bounded: JSONL and CSV are read line by line, Parquet by record batches; only the ids
    seen so far are kept (duplicate detection across batches and files).

    Args:
        inputs: A path (folder, .jsonl, .csv, .parquet) or a list of them, in any mix.
        encoding: Encoding for bytes that are not valid UTF-8 (a manifest ``encoding`` column
            overrides it per file). Default: guess cp1252, else latin-1, with a warning.
        batch_size: Rows per Parquet record batch.
        columns: Column mapping for JSONL/CSV/Parquet records, ``{"id": "stories_id", ...}`` or
            ``"id=stories_id,..."`` (:mod:`framing.read.columns`); Media Cloud names need none.

    Returns:
        An iterator of :class:`~framing.record.Article`.

    Raises:
        InputError: A path does not exist, has an unsupported type, is a folder with neither
            manifest.csv nor data files, a data file's first record lacks a column the ``columns``
            mapping names, or (while iterating) a manifest has no ``file`` column.
        ValueError: ``encoding`` is unknown, ``batch_size`` is not a positive integer, or
            ``columns`` is not a valid mapping.
    """
    mapping = parse_columns(columns)
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise ValueError(f"unknown encoding {encoding!r}") from None
    paths = _plan(inputs)
    if mapping:
        _check_mapping(paths, mapping, encoding)

    def generate() -> Iterator[Article]:
        seen: dict[str, str] = {}
        for path in paths:
            # ``source`` starts at the input's own name ("seeds/x.txt", "batch.jsonl:3"), so tables
            # do not depend on where the corpus lies or how its path was typed
            prefix = str(path.parent) + os.sep
            for raw in _file(path, encoding, batch_size, mapping):
                if raw.source.startswith(prefix) and str(path.parent) != ".":
                    raw.source = raw.source[len(prefix):]
                yield _finish(raw, seen)

    return generate()


def read_articles(
    inputs: str | os.PathLike | Iterable[str | os.PathLike],
    *,
    encoding: str | None = None,
    batch_size: int = 1024,
    columns: str | dict[str, str] | None = None,
) -> list[Article]:
    """Read every record of ``inputs`` into a list; see :func:`iter_articles` for the options.

    Example:
        >>> [(a.id, a.outlet, a.status) for a in read_articles("seeds")][0]  # doctest: +SKIP
        ('000_906a3f6f6af02cb7', 'TRT World', 'ok')
    """
    return list(iter_articles(inputs, encoding=encoding, batch_size=batch_size, columns=columns))
