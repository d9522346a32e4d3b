"""Show articles with the extracted spans highlighted, from their offsets (for notebooks).

Every highlight is drawn from the ``start``/``end`` offsets of a table row, so what a reader sees
marked is exactly the text that produced the number. Spans may overlap (a mention inside a quote):
the text is cut at every span boundary and each piece carries the classes of all spans over it.
"""

from __future__ import annotations

import html
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

__all__ = ["HTML", "Span", "highlight", "article_spans", "article_view", "side_by_side"]

_STYLE = """<style>
.fr-doc{font-family:Georgia,serif;line-height:1.5;white-space:pre-wrap;max-width:46em}
.fr-label{background:#ffd6a5;border-bottom:2px solid #e85d04}
.fr-mention{background:#caf0f8}
.fr-labelled{background:#ffadad}
.fr-quote{background:#e9f5db}
.fr-scare{text-decoration:underline dotted}
.fr-removed{color:#999;text-decoration:line-through}
.fr-grid{display:grid;grid-template-columns:1fr 1fr;gap:2em}
</style>"""


class HTML(str):
    """A string that Jupyter renders as HTML."""

    def _repr_html_(self) -> str:
        return str(self)


@dataclass(frozen=True)
class Span:
    """A highlighted span: offsets into the original text, a CSS class and a tooltip."""

    start: int
    end: int
    css: str
    title: str = ""


def highlight(text: str, spans: Iterable[Span]) -> HTML:
    """Render ``text`` as HTML with every span marked; overlapping spans nest their classes.

    Args:
        text: The original article text.
        spans: Spans with offsets into ``text``.

    Returns:
        HTML (a ``str`` with ``_repr_html_``).

    Raises:
        ValueError: A span lies outside the text.
    """
    spans = sorted(spans, key=lambda s: (s.start, -s.end, s.css))
    for s in spans:
        if not 0 <= s.start <= s.end <= len(text):
            raise ValueError(f"span {s.start}-{s.end} lies outside a text of {len(text)} characters")
    cuts = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    parts = []
    for a, b in itertools.pairwise(cuts):
        active = [s for s in spans if s.start <= a and b <= s.end]
        piece = html.escape(text[a:b])
        if active:
            classes = " ".join(dict.fromkeys(s.css for s in active))
            title = html.escape(" | ".join(s.title for s in active if s.title), quote=True)
            piece = f'<span class="{classes}" title="{title}">{piece}</span>'
        parts.append(piece)
    return HTML(_STYLE + '<div class="fr-doc">' + "".join(parts) + "</div>")


def article_spans(
    article_id: str,
    *,
    mentions: pd.DataFrame | None = None,
    quotes: pd.DataFrame | None = None,
    removed: pd.DataFrame | None = None,
) -> list[Span]:
    """Spans for one article from the ``mentions``, ``quotes`` and ``removed`` tables."""
    out: list[Span] = []
    if mentions is not None and len(mentions):
        for r in mentions[mentions["article_id"] == article_id].itertuples():
            label = getattr(r, "label", "") or ""
            tip = f"{r.entity}: {label or 'no label'}"
            out.append(Span(int(r.start), int(r.end), "fr-labelled" if label else "fr-mention", tip))
            if label and int(getattr(r, "label_start", -1)) >= 0:
                out.append(Span(int(r.label_start), int(r.label_end), "fr-label", f"label {label}"))
    if quotes is not None and len(quotes):
        for r in quotes[quotes["article_id"] == article_id].itertuples():
            css = "fr-scare" if r.kind == "scare" else "fr-quote"
            who = getattr(r, "speaker", "") or "unattributed"
            out.append(Span(int(r.start), int(r.end), css, f"{r.kind} quote: {who} ({getattr(r, 'voice', '')})"))
    if removed is not None and len(removed):
        for r in removed[removed["article_id"] == article_id].itertuples():
            out.append(Span(int(r.start), int(r.end), "fr-removed", f"removed: {r.rule}"))
    return out


def article_view(analysis, article_id: str, text: str) -> HTML:
    """One article with its mentions, labels, quotes and removed boilerplate highlighted.

    Args:
        analysis: A :class:`framing.Analysis`.
        article_id: The article's id.
        text: The article's original text (``Article.text``).
    """
    spans = article_spans(
        article_id,
        mentions=analysis.table("mentions") if "mentions" in analysis.names else None,
        quotes=analysis.table("quotes") if "quotes" in analysis.names else None,
        removed=analysis.table("removed") if "removed" in analysis.names else None,
    )
    return highlight(text, spans)


def side_by_side(views: Sequence[tuple[str, HTML]]) -> HTML:
    """Put several rendered articles next to each other, each under its heading."""
    cells = "".join(f"<div><h4>{html.escape(title)}</h4>{view}</div>" for title, view in views)
    return HTML(f'<div class="fr-grid">{cells}</div>')
