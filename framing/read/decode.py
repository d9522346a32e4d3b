"""Decoding the bytes of a text file: byte-order marks, binary detection, legacy fallbacks.

UTF-8 first (a byte-order mark selects UTF-8, UTF-16 or UTF-32); binary content (a file signature
such as PDF or PNG, or NUL bytes) is rejected; bytes that are not UTF-8 are decoded with a declared
encoding, else cp1252, else latin-1, and the caller records a warning saying so.
"""

from __future__ import annotations

import codecs

__all__ = ["decode_bytes", "bom_encoding", "binary_kind", "legacy_decode"]

_BOMS = (  # UTF-32 LE before UTF-16 LE: same first two bytes.
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"), (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"), (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)
_MAGIC = (
    (b"%PDF", "PDF document"), (b"\x89PNG", "PNG image"), (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"), (b"PK\x03\x04", "ZIP archive or Office document"),
    (b"\x1f\x8b", "gzip archive"), (b"PAR1", "Parquet file"),
    (b"\xd0\xcf\x11\xe0", "Office document"),
)


def bom_encoding(head: bytes) -> tuple[str, str] | None:
    """``(codec, label)`` of the byte-order mark ``head`` starts with, or None."""
    return next(((codec, label) for bom, codec, label in _BOMS if head.startswith(bom)), None)


def binary_kind(head: bytes, *, max_nul: float = 0.0) -> str:
    """Name the kind of binary content (file signature, NUL bytes), or "" for text."""
    kind = next((kind for magic, kind in _MAGIC if head.startswith(magic)), "")
    if not kind and head.count(b"\x00") > max_nul * len(head):
        kind = "NUL bytes; UTF-16 without a byte-order mark?"
    return kind


def legacy_decode(
    data: bytes, encoding: str | None, exc: UnicodeDecodeError, *, strict: bool = True
) -> tuple[str, str]:
    """Decode non-UTF-8 bytes with the declared encoding, else cp1252, else latin-1 (+ warning).

    With ``strict``, bytes the declared encoding cannot decode raise ValueError; otherwise (one
    line of a JSONL/CSV file) the legacy guess is used and the warning says so.
    """
    why = f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})"
    if encoding:
        try:
            return data.decode(encoding), f"{why}; decoded with the declared encoding '{encoding}'"
        except LookupError:
            raise ValueError(f"unknown encoding '{encoding}'") from None
        except UnicodeDecodeError:
            if strict:
                raise ValueError(f"undecodable: {why} nor valid '{encoding}' (declared)") from None
            why += f" nor valid '{encoding}' (declared)"
    try:
        return data.decode("cp1252"), f"{why}; assumed the legacy encoding cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), f"{why}; assumed the legacy encoding latin-1"


def decode_bytes(data: bytes, *, encoding: str | None = None) -> tuple[str, tuple[str, ...]]:
    """Decode the bytes of one text file.

    A byte-order mark (UTF-8, UTF-16 LE/BE, UTF-32) decides; binary content (a file signature
    such as PDF or PNG, or NUL bytes) is rejected; then UTF-8; then the declared ``encoding``;
    then cp1252 when the bytes decode as cp1252, else latin-1, with a warning.

    Args:
        data: The raw bytes.
        encoding: Encoding for bytes that are not UTF-8 (e.g. ``"cp1252"``).

    Returns:
        ``(text, warnings)``.

    Raises:
        ValueError: Binary or undecodable content, or an unknown ``encoding``; the message says
            which.
    """
    bom = bom_encoding(data[:4])
    if bom:
        try:
            return data.decode(bom[0]), ()
        except UnicodeDecodeError as exc:
            raise ValueError(f"undecodable: starts with a {bom[1]} byte-order mark but is not "
                             f"valid {bom[1]} ({exc.reason} at offset {exc.start})") from None
    kind = binary_kind(data)
    if kind:
        raise ValueError(f"binary content ({kind})")
    try:
        return data.decode("utf-8"), ()
    except UnicodeDecodeError as exc:
        text, warning = legacy_decode(data, encoding, exc)
        return text, (warning,)
