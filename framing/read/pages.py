"""Saved news pages (whole HTML documents) to article records, through trafilatura.

A page collected from a URL carries the article among navigation bars, cookie banners,
related-story boxes, comment sections and footers. :func:`read_page` hands the page to
trafilatura (Barbaresi 2021, the main-text extractor web-corpus work uses) and keeps:

- the main text only (comments excluded, tables kept), one paragraph a line;
- title, date (``<meta>``, JSON-LD, then the page itself; ``YYYY-MM-DD``), author and site name
  from the page's metadata, and its canonical URL;
- the SHA-256 of the raw bytes, so the text can be traced back to its page.

The extracted text is the record's *original* text: every offset downstream indexes it, and a run
on HTML input writes it to ``texts.jsonl`` so the offsets can be checked. A page with no main
text (an empty shell, a consent wall, a page that only loads by script) is reported as a problem,
never an empty article. :func:`framing.read.html.html_to_text` stays for HTML fragments inside
the text field of a JSONL/CSV record, which are not whole pages.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from urllib.parse import urlsplit

import trafilatura

from framing.read.decode import binary_kind, bom_encoding, decode_bytes

__all__ = ["PAGE_SUFFIXES", "Page", "read_page", "page_outlet", "url_domain"]

#: File types read as whole HTML pages.
PAGE_SUFFIXES = (".html", ".htm")

# Date search limited to the page's declared metadata and markup (htmldate's "extensive search"
# also guesses from free text and URLs, which misdates pages that cite other days); the original
# publication date rather than the last update.
# ``<noscript>`` holds what a browser without scripts shows ("enable JavaScript to run this app"),
# never the article; pruned so that a script-rendered shell is an error, not a one-line article.
_PRUNE = "//noscript"
_DATE_PARAMS = {"extensive_search": False, "original_date": True, "outputformat": "%Y-%m-%d"}


class _Reported(logging.Filter):
    """Drops trafilatura's "discarding data" warning: the page becomes an error record instead."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("discarding data")


logging.getLogger("trafilatura.core").addFilter(_Reported())


@dataclass(frozen=True)
class Page:
    """What one HTML page gives.

    Attributes:
        text: Main text, paragraphs on their own lines ("" when none was found).
        title: Headline from the page's metadata ("" when absent).
        date: Publication date, ``YYYY-MM-DD`` ("" when none was found).
        author: Author(s) as the page declares them, ``"; "``-separated ("" when absent).
        site_name: Site name (``og:site_name``, JSON-LD publisher ...; "" when absent).
        url: Canonical URL declared by the page ("" when absent).
        html_sha256: SHA-256 hex digest of the raw bytes.
        error: Why the page gives no article ("" when it does).
    """

    text: str
    title: str = ""
    date: str = ""
    author: str = ""
    site_name: str = ""
    url: str = ""
    html_sha256: str = ""
    error: str = ""


def url_domain(url: str) -> str:
    """The host of ``url`` without a leading ``www.`` ("" for no or a relative URL)."""
    host = urlsplit(url.strip()).hostname or ""
    return host[4:] if host.startswith("www.") else host


def page_outlet(page: Page, fallback_url: str = "") -> str:
    """The outlet a page names: its site name, else the domain of its canonical URL, else the
    domain of ``fallback_url`` (e.g. the URL the page was collected from); "" when none."""
    return page.site_name or url_domain(page.url) or url_domain(fallback_url)


def read_page(data: bytes, *, url: str = "", encoding: str | None = None) -> Page:
    """Extract the main text and metadata of one saved HTML page.

    Args:
        data: The page's raw bytes (trafilatura decodes them, honouring a declared charset).
        url: The URL the page was collected from, if known (helps resolve relative links; the
            page's own canonical URL, when it declares one, is what :attr:`Page.url` reports).
        encoding: The page's encoding when known (a manifest ``encoding`` column); by default
            trafilatura follows the page's declared charset, else guesses.

    Returns:
        A :class:`Page`; when the page has no extractable main text, ``text`` is "" and ``error``
        says why.

    Example:
        >>> page = read_page(b"<html><head><title>T</title></head><body><nav>Home</nav>"
        ...                  b"<article><p>" + b"Talks resumed in Damascus on Wednesday. " * 4
        ...                  + b"</p></article></body></html>")
        >>> page.text.startswith("Talks resumed"), page.error
        (True, '')
    """
    digest = hashlib.sha256(data).hexdigest()
    if not data.strip():
        return Page("", html_sha256=digest, error="empty HTML file")
    content: bytes | str = data
    if encoding and not bom_encoding(data[:4]):
        try:
            content = data.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            return Page("", html_sha256=digest, error=f"not decodable as {encoding}: {exc}")
    elif bom_encoding(data[:4]):  # UTF-16/32 pages: decode here, their NUL bytes are not binary
        try:
            content = decode_bytes(data)[0]
        except ValueError as exc:
            return Page("", html_sha256=digest, error=f"not an HTML page: {exc}")
    else:
        kind = binary_kind(data[:8192], max_nul=0.0)
        if kind:
            return Page("", html_sha256=digest, error=f"not an HTML page: binary content ({kind})")
    doc = trafilatura.bare_extraction(
        content, url=url or None, with_metadata=True, include_comments=False, include_tables=True,
        include_images=False, include_links=False, include_formatting=False, deduplicate=False,
        date_extraction_params=_DATE_PARAMS, prune_xpath=_PRUNE,
    )
    if doc is None or not (doc.text or "").strip():
        meta = trafilatura.extract_metadata(content) if doc is None else doc
        return Page("", title=_clean(getattr(meta, "title", None)),
                    site_name=_clean(getattr(meta, "sitename", None)), html_sha256=digest,
                    error="no main text found in the HTML page (empty shell, consent wall or "
                          "script-rendered page?)")
    return Page(
        text=doc.text.strip("\n"),
        title=_clean(doc.title),
        date=_clean(doc.date),
        author=_clean(doc.author),
        site_name=_clean(doc.sitename),
        url=_clean(doc.url),
        html_sha256=digest,
    )


def _clean(value: str | None) -> str:
    return " ".join(value.split()) if value else ""
