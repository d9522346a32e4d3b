"""``texts.jsonl``: the text extracted from HTML pages, so every offset can be checked.

Offsets in every table index an article's original text. For a ``.txt``, JSONL, CSV or Parquet
input that text is in the user's own file; for an HTML page it is what trafilatura extracted, which
exists nowhere else. :class:`TextsLog` records it while the run reads its input (one pass, one
line per page, nothing held in memory) and :meth:`TextsLog.export` writes it beside the tables as
``texts.jsonl``: one JSON object per line, ``{"id": ..., "html_sha256": ..., "text": ...}``, in
input order. A run without HTML input writes no such file.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from framing.record import Article

__all__ = ["TEXTS_FILE", "TextsLog"]

TEXTS_FILE = "texts.jsonl"


class TextsLog:
    """Collects the texts of page-derived articles in a temporary file until export."""

    def __init__(self) -> None:
        self._dir: Path | None = None
        self.count = 0

    @property
    def path(self) -> Path | None:
        """The temporary file, or None when no page was read."""
        return self._dir / TEXTS_FILE if self._dir is not None else None

    def wrap(self, articles: Iterable[Article]) -> Iterator[Article]:
        """Yield ``articles`` unchanged, recording each good page-derived one (``html_sha256`` set).

        Args:
            articles: Articles in input order.

        Returns:
            The same articles, lazily.
        """
        fh = None
        try:
            for art in articles:
                if art.ok and art.html_sha256:
                    if fh is None:
                        self._dir = Path(tempfile.mkdtemp(prefix="framing-texts-"))
                        fh = open(self._dir / TEXTS_FILE, "w", encoding="utf-8", newline="\n")
                    fh.write(json.dumps({"id": art.id, "html_sha256": art.html_sha256, "text": art.text},
                                        ensure_ascii=False) + "\n")
                    self.count += 1
                yield art
        finally:
            if fh is not None:
                fh.close()

    def export(self, out_dir: str | Path) -> list[Path]:
        """Copy ``texts.jsonl`` into ``out_dir`` when pages were read.

        Returns:
            The path written, or an empty list.
        """
        if self.path is None or not self.path.is_file():
            return []
        target = Path(out_dir) / TEXTS_FILE
        shutil.copyfile(self.path, target)
        return [target]

    def cleanup(self) -> None:
        """Remove the temporary file."""
        if self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)
            self._dir = None
