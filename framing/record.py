"""The input record shared by every step."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["Article", "REQUIRED_FIELDS", "OPTIONAL_FIELDS"]

REQUIRED_FIELDS = ("id", "outlet", "text")
OPTIONAL_FIELDS = ("title", "date", "story", "url", "author", "html_sha256")


@dataclass(frozen=True)
class Article:
    """One input record, good or bad.

    Attributes:
        id: Unique article id (a file stem for a folder of .txt files).
        outlet: Publishing outlet, as given.
        text: Original text, decoded; never modified after reading.
        title, date, story, url, author: Optional metadata ("" when absent).
        html_sha256: SHA-256 of the raw HTML page the text was extracted from ("" for other
            inputs), so the text traces back to its page.
        meta: Every other field of the input record, unchanged.
        source: Where the record came from, ``file`` or ``file:line``, for error messages.
        status: ``"ok"`` or ``"error"``.
        error: Readable reason when ``status == "error"``, else "".
        warnings: Non-fatal notes (e.g. a legacy encoding was assumed).
    """

    id: str
    outlet: str
    text: str
    title: str = ""
    date: str = ""
    story: str = ""
    url: str = ""
    author: str = ""
    html_sha256: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    source: str = ""
    status: str = "ok"
    error: str = ""
    warnings: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.status == "ok"
