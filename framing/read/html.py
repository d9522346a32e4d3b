"""HTML to plain text for records whose text field arrives as markup.

Whole saved pages (``.html``/``.htm`` files) go through :mod:`framing.read.pages` (trafilatura),
which keeps the main text only; this module is for the text field of a JSONL/CSV/Parquet record
or a ``.txt`` file that holds markup, which is converted as it is.

Saved web pages and CMS exports often carry the article as HTML. :func:`html_to_text` turns such a
record into the plain text the rest of the toolkit analyses, with the standard library's
:class:`html.parser.HTMLParser`: block elements (``<p>``, ``<div>``, headings, list items ...)
become paragraphs separated by one blank line, ``<br>`` becomes a line break, ``<script>``,
``<style>``, ``<head>`` and similar non-content elements are dropped, entities are unescaped and
runs of whitespace inside a paragraph collapse to one space, as a browser renders them.

The converted text is the record's *original* text: offsets reported downstream index it, not the
markup. Nothing else is removed here (navigation, captions and credits are boilerplate, handled by
the cleaning step with an audit trail).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

__all__ = ["looks_like_html", "html_to_text"]

# Elements that start and end a paragraph.
_BLOCK = frozenset(
    "address article aside blockquote caption dd details dialog div dl dt fieldset figcaption "
    "figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr li main nav ol p pre section summary "
    "table tbody thead tfoot tr ul body html".split()
)
# Elements whose content is never article text.
_SKIP = frozenset(
    "script style noscript template head svg math iframe object canvas select".split()
)
# Table cells and similar are separated by a space so that words do not run together.
_CELL = frozenset("td th".split())

_STRONG = re.compile(r"<!doctype\s+html|<html[\s>]|<body[\s>]|<head[\s>]", re.IGNORECASE)
_TAG = re.compile(
    r"</?(?:p|br|div|h[1-6]|li|ul|ol|span|a|em|strong|b|i|blockquote|article|section|figure|"
    r"figcaption|table|tr|td|img|script|style)(?:\s[^<>]*)?/?>",
    re.IGNORECASE,
)
_SPACE = re.compile(r"[ \t\n\r\f\v]+")  # HTML whitespace; a no-break space is kept


def looks_like_html(text: str, *, sample: int = 65536) -> bool:
    """Tell whether a record holds HTML markup rather than plain text.

    A document marker (``<!DOCTYPE html>``, ``<html>``, ``<head>``, ``<body>``) is enough; otherwise
    at least two common tags (``<p>``, ``</p>``, ``<br>``, ``<div class=...>``, ``<a href=...>``)
    must occur, so that a stray ``<b>`` or a comparison such as "a < b > c" in plain prose does not
    turn a text into markup.

    Args:
        text: The decoded record text.
        sample: How many leading characters to inspect.

    Returns:
        True when the text should be converted with :func:`html_to_text`.
    """
    head = text[:sample]
    if "<" not in head:
        return False
    if _STRONG.search(head):
        return True
    found = 0
    for _ in _TAG.finditer(head):
        found += 1
        if found >= 2:
            return True
    return False


class _TextParser(HTMLParser):
    """Collects paragraphs of text; see :func:`html_to_text`."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self._parts: list[str] = []
        self._skip: list[str] = []  # stack of open non-content elements
        self._pre = 0

    def _flush(self) -> None:
        raw = "".join(self._parts)
        self._parts = []
        if self._pre:
            if raw.strip():
                self.paragraphs.append(raw.strip("\n"))
            return
        # "\x00" marks a <br>; an empty line between two breaks (<br><br>) ends a paragraph, as
        # many CMSes separate paragraphs that way.
        lines: list[str] = []
        for line in raw.split("\x00"):
            line = _SPACE.sub(" ", line).strip(" ")
            if line.strip():
                lines.append(line)
            elif lines:
                self.paragraphs.append("\n".join(lines))
                lines = []
        if lines:
            self.paragraphs.append("\n".join(lines))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body" and "head" in self._skip:  # <head> left open: browsers close it here
            del self._skip[self._skip.index("head"):]
        if tag in _SKIP:
            self._skip.append(tag)
            return
        if self._skip:
            return
        if tag == "br":
            # A line break inside a paragraph; marked with a private character until flushing.
            self._parts.append("\n" if self._pre else "\x00")
        elif tag in _BLOCK:
            self._flush()
            if tag == "pre":
                self._pre += 1
        elif tag in _CELL:
            self._parts.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            return
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            if tag in self._skip:
                while self._skip and self._skip.pop() != tag:
                    pass
            return
        if self._skip:
            return
        if tag in _BLOCK:
            self._flush()
            if tag == "pre" and self._pre:
                self._pre -= 1
        elif tag in _CELL:
            self._parts.append(" ")

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._pre:
            self._parts.append(data)
        else:
            self._parts.append(data.replace("\x00", " "))

    def close(self) -> None:
        super().close()
        self._flush()


def html_to_text(markup: str) -> str:
    """Convert an HTML document or fragment to plain text with paragraph breaks.

    Args:
        markup: HTML as a string (already decoded).

    Returns:
        The visible text: one paragraph per block element, paragraphs separated by a blank line
        (``"\\n\\n"``), ``<br>`` as ``"\\n"``, entities unescaped, whitespace collapsed outside
        ``<pre>``; ``""`` when nothing visible remains.

    Example:
        >>> html_to_text("<p>Talks resumed&nbsp;on Monday.</p><p>Aid &amp; fuel<br>arrived.</p>")
        'Talks resumed\\xa0on Monday.\\n\\nAid & fuel\\narrived.'
    """
    parser = _TextParser()
    parser.feed(markup)
    parser.close()
    return "\n\n".join(parser.paragraphs)
