"""Column mapping: the names researchers' exports use, turned into the record's fields.

A CSV, JSONL or Parquet file read as records must give ``id``, ``outlet`` and ``text`` (and may
give ``title``, ``date``, ``story``, ``url``, ``author``). Exports name them otherwise, so a mapping
``field -> column`` renames them on reading: ``--columns id=stories_id,outlet=media_name,text=body``
on the command line, ``columns={"id": "stories_id", ...}`` in the API.

Media Cloud's export names (``stories_id``, ``media_name``, ``publish_date``; ``title`` and
``url`` already match) are recognised without a mapping, when the field itself is absent. A column
the mapping names but the file lacks is an :class:`~framing.read.corpus.InputError` naming the
file and the column; a field the input already has and a mapping replaces is kept under
``<field>_input`` in the record's ``meta``, not dropped.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from framing.record import OPTIONAL_FIELDS, REQUIRED_FIELDS

__all__ = ["FIELDS", "MEDIA_CLOUD", "parse_columns", "check_columns", "remap"]

#: Fields a mapping may fill.
FIELDS = tuple(f for f in REQUIRED_FIELDS + OPTIONAL_FIELDS if f != "html_sha256")
#: Media Cloud export column -> field, applied when the field is absent and no mapping names it.
MEDIA_CLOUD = {"stories_id": "id", "media_name": "outlet", "publish_date": "date"}


def parse_columns(spec: str | Mapping[str, str] | None) -> dict[str, str]:
    """Parse and check a column mapping.

    Args:
        spec: ``"id=stories_id,outlet=media_name"``, a mapping ``{"id": "stories_id"}``, or None.

    Returns:
        ``{field: column}`` (empty for None or "").

    Raises:
        ValueError: An item is not ``field=column``, a field is unknown or given twice, or two
            fields name the same column.
    """
    if spec is None:
        return {}
    if isinstance(spec, str):
        pairs = []
        for item in (part.strip() for part in spec.split(",")):
            if not item:
                continue
            field, sep, column = item.partition("=")
            if not sep or not field.strip() or not column.strip():
                raise ValueError(f"column mapping item {item!r} is not field=column "
                                 "(e.g. id=stories_id,outlet=media_name,text=body)")
            pairs.append((field.strip(), column.strip()))
    elif isinstance(spec, Mapping):
        pairs = [(str(k).strip(), str(v).strip()) for k, v in spec.items()]
    else:
        raise ValueError(f"columns must be a 'field=column,...' string or a mapping, got {type(spec).__name__}")
    out: dict[str, str] = {}
    for field, column in pairs:
        if field not in FIELDS:
            raise ValueError(f"column mapping: unknown field {field!r} (fields: {', '.join(FIELDS)})")
        if field in out:
            raise ValueError(f"column mapping: field {field!r} given twice")
        if column in out.values():
            raise ValueError(f"column mapping: column {column!r} mapped to two fields")
        out[field] = column
    return out


def check_columns(where: str, names: Any, mapping: Mapping[str, str]) -> str:
    """The problem with the columns ``names`` of input ``where`` under ``mapping``, or "".

    Args:
        where: The file, for the message.
        names: The input's column names (a header, a first record's keys, a Parquet schema).
        mapping: ``{field: column}`` from :func:`parse_columns`.

    Returns:
        One line naming the file and every mapped column it lacks, with the columns it has; ""
        when every mapped column is there.
    """
    have = list(names)
    missing = [f"'{column}' (for {field})" for field, column in mapping.items() if column not in have]
    if not missing:
        return ""
    return (f"{where}: no column {', '.join(missing)} named by the column mapping; "
            f"its columns: {', '.join(map(str, have)) or '(none)'}")


def remap(fields: dict[str, Any], mapping: Mapping[str, str]) -> dict[str, Any]:
    """Rename one record's columns to fields: the explicit mapping, then Media Cloud names.

    Args:
        fields: The record as read (column -> value).
        mapping: ``{field: column}``.

    Returns:
        A new dict; the source columns are renamed, a replaced field kept as ``<field>_input``.
    """
    out = dict(fields)
    for field, column in mapping.items():
        if column not in out:
            continue  # reported per file by check_columns
        value = out.pop(column)
        if field in out:
            out[f"{field}_input"] = out.pop(field)
        out[field] = value
    for column, field in MEDIA_CLOUD.items():
        if column in out and field not in out and field not in mapping:
            out[field] = out.pop(column)
    return out
