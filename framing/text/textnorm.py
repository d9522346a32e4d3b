"""Typography normalisation that never moves an offset.

Every replacement maps one character to exactly one character, so a position in the normalised
text is the same position in the original text. Matching, counting, VADER and textstat work on the
normalised string; offsets, quotes and exports refer to the original.
"""

from __future__ import annotations

__all__ = ["TYPOGRAPHY", "normalize", "fold"]

# One character in, one character out. Ellipsis, ligatures and the like are left alone because
# expanding them would shift offsets.
TYPOGRAPHY: dict[int, str] = {
    # apostrophes and single quotes
    0x2018: "'", 0x2019: "'", 0x201A: "'", 0x201B: "'", 0x2032: "'", 0x02BC: "'", 0x02B9: "'",
    0x00B4: "'", 0x0060: "'",
    # double quotes
    0x201C: '"', 0x201D: '"', 0x201E: '"', 0x201F: '"', 0x2033: '"', 0x00AB: '"', 0x00BB: '"',
    0x2039: "'", 0x203A: "'",
    # dashes and hyphens
    0x2010: "-", 0x2011: "-", 0x2012: "-", 0x2013: "-", 0x2014: "-", 0x2015: "-", 0x2212: "-",
    0xFE58: "-", 0xFE63: "-", 0xFF0D: "-",
    # spaces
    0x00A0: " ", 0x2002: " ", 0x2003: " ", 0x2004: " ", 0x2005: " ", 0x2006: " ", 0x2007: " ",
    0x2008: " ", 0x2009: " ", 0x200A: " ", 0x202F: " ", 0x205F: " ", 0x3000: " ", 0x0009: " ",
    # invisible characters become spaces (not deleted: deletion would move offsets)
    0x200B: " ", 0xFEFF: " ", 0x00AD: " ",
}


def normalize(text: str) -> str:
    """Return ``text`` with curly quotes, dashes and odd spaces mapped to ASCII, same length.

    Args:
        text: Any string.

    Returns:
        A string of exactly ``len(text)`` characters.
    """
    return text.translate(TYPOGRAPHY)


def fold(text: str) -> str:
    """Normalise typography and lower-case, keeping length (for case-insensitive matching).

    ``str.lower`` can change the length of a few characters (e.g. "İ"); those are kept as they are.
    """
    norm = normalize(text)
    low = norm.lower()
    # Equal length means every character lowered to one character (none lowers to nothing); the
    # one context-dependent lowering (Greek capital sigma: final or not) is done per character.
    if len(low) == len(norm) and "\u03a3" not in norm:
        return low
    out = []
    for ch in norm:
        low = ch.lower()
        out.append(low if len(low) == 1 else ch)
    return "".join(out)
