"""The HTML audit report: every highlighted phrase traced to the table row that counts it.

``write_audit`` writes ``index.html`` (stories and outlets, with links) and one page per story
with its articles side by side. Mentions (and the descriptor attached to them), quotes (with cue
and speaker), removed boilerplate and stance rows are highlighted from their ``start``/``end``
offsets into the article's original text. Each highlighted element names its source:
``data-table`` (``mentions``, ``quotes``, ``removed`` or ``stance``) and the row index in that
table's CSV (0 = the first data row, CSV line 2):

- the element of the row's own span carries ``data-row``; there is exactly one per row;
- the descriptor of a mention and the cue and speaker of a quote are drawn as separate elements
  with ``data-part`` (``label``, ``cue``, ``speaker``) and ``data-of`` (the row);
- spans that cross (one starts inside another and ends after it) are split where the outer one
  ends: the first piece carries ``data-row``, the others ``data-part="cont"`` and ``data-of``.

Spans nest with a stack; a crossing span is cut at the end of the span it crosses, and the rest
waits in a heap for its turn, so the page costs O(n log n) in the number of spans plus one pass
over the text.

The pages are static: inline CSS, a few lines of vanilla JS (details on hover or focus, a filter
by kind), no network. A Content-Security-Policy allows only that script (by its SHA-256 hash) and
no other resource. All text is HTML-escaped, so a record holding ``<script>`` or
``<img onerror=...>`` shows as text and runs nothing.
"""

from __future__ import annotations

import base64
import hashlib
import heapq
import html
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from tqdm.auto import tqdm

__all__ = ["AUDIT_TABLES", "AuditError", "AuditSpan", "nest_spans", "render_text", "MAX_ARTICLES", "select_stories", "shown_articles", "write_audit"]

#: Tables the report highlights, in the order they are read.
AUDIT_TABLES = ("mentions", "quotes", "removed", "stance")

# nesting order of spans with equal extent: the first listed is outermost
_PRIORITY = {"removed": 0, "quote": 1, "stance": 2, "mention": 3, "labelled": 3, "speaker": 4, "label": 5, "cue": 5}

#: kind -> (legend text, CSS rule body)
KINDS: dict[str, tuple[str, str]] = {
    "mention": ("entity mention, no descriptor", "background:#caf0f8"),
    "labelled": ("entity mention with a descriptor", "background:#ffc8dd"),
    "label": ("descriptor (label)", "background:#ffd6a5;border-bottom:2px solid #e85d04"),
    "quote": ("quotation (direct, indirect)", "background:#e9f5db"),
    "scare": ("scare quote", "background:#f1f7e9;text-decoration:underline dotted #588157"),
    "cue": ("attribution cue", "font-weight:bold;border-bottom:2px solid #6a4c93"),
    "speaker": ("speaker", "font-style:italic;border-bottom:2px solid #1982c4"),
    "removed": ("boilerplate removed", "color:#888;text-decoration:line-through"),
    "stance": ("stance (underline: red neg, green pos, grey neutral)", "border-bottom:3px solid #bbb"),
}

_STYLE = """
body{font-family:system-ui,sans-serif;margin:1.5em;color:#222}
h1{font-size:1.3em}h2{font-size:1.05em;margin:.2em 0}
.meta{color:#555;font-size:.85em;margin-bottom:.6em}
.grid{display:grid;grid-template-columns:repeat(var(--n),minmax(22em,1fr));gap:1.5em;overflow-x:auto}
.doc{font-family:Georgia,serif;line-height:1.7;white-space:pre-wrap;overflow-wrap:anywhere}
.hl{cursor:help}.hl:focus{outline:2px solid #000}
.k-stance.neg{border-bottom-color:#d62828}.k-stance.pos{border-bottom-color:#2a9d8f}
#legend{display:flex;flex-wrap:wrap;gap:.4em 1.2em;font-size:.85em;margin:.6em 0}
#legend label{white-space:nowrap}
#details{position:fixed;right:1em;bottom:1em;max-width:30em;background:#fffbe6;border:1px solid #999;
padding:.5em .8em;font-size:.85em;white-space:pre-line;box-shadow:0 2px 6px #0003}
table.idx{border-collapse:collapse;font-size:.9em}table.idx td,table.idx th{border-bottom:1px solid #ddd;
padding:.2em .6em;text-align:left;vertical-align:top}
"""

_SCRIPT = """(function(){
var box=document.getElementById('details');
function show(e){
  var el=e.target, lines=[];
  while(el&&el.getAttribute){if(el.hasAttribute('data-info')){lines.push(el.getAttribute('data-info'));}el=el.parentNode;}
  if(lines.length){box.textContent=lines.join('\\n\\n');}
}
document.addEventListener('mouseover',show);
document.addEventListener('focusin',show);
var boxes=document.querySelectorAll('input[data-filter]');
for(var i=0;i<boxes.length;i++){boxes[i].addEventListener('change',function(e){
  document.body.classList.toggle('hide-'+e.target.getAttribute('data-filter'),!e.target.checked);});}
document.documentElement.setAttribute('data-audit-script','ran');
})();"""


class AuditError(ValueError):
    """A table row cannot be drawn on its article (offsets outside the text, unknown article)."""


@dataclass(frozen=True)
class AuditSpan:
    """One highlighted span, with offsets into the original text.

    Parameters
    ----------
    start, end : int
        Character offsets into the article's original text (``end`` exclusive).
    kind : str
        A key of :data:`KINDS` (decides the colour, the legend entry and the filter).
    table : str
        Source table (``mentions``, ``quotes``, ``removed``, ``stance``).
    row : int
        Row index in that table's CSV (0 = first data row).
    part : str
        ``""`` for the row's own span, else ``label``, ``cue`` or ``speaker``.
    info : str
        Text shown on hover or focus.
    css : str
        Extra CSS classes (stance polarity).
    """

    start: int
    end: int
    kind: str
    table: str
    row: int
    part: str = ""
    info: str = ""
    css: str = ""


def nest_spans(spans: Iterable[AuditSpan]) -> list[tuple[str, Any]]:
    """Turn possibly overlapping spans into properly nested open/close events.

    Spans that merely nest are kept whole. A span that crosses the end of an open span is cut
    there; the remainder is opened again right after (flagged as a continuation).

    Parameters
    ----------
    spans : iterable of AuditSpan
        Spans in any order.

    Returns
    -------
    list of tuple
        ``("text", (a, b))``, ``("open", (span, is_continuation, end))`` and ``("close", None)``
        events in document order; ``text`` events cover the text from 0 to the last span end
        (the caller draws what follows).
    """
    spans = list(spans)
    # heap entries: (start, -end, priority, seq, span index, is continuation); tuples compare fast
    heap = [(s.start, -s.end, _PRIORITY.get(s.kind, 9), i, i, False) for i, s in enumerate(spans)]
    heapq.heapify(heap)
    seq = len(heap)
    events: list[tuple[str, Any]] = []
    stack: list[int] = []  # ends of the open spans, non-increasing from bottom to top
    pos = 0
    while heap or stack:
        if stack and (not heap or stack[-1] <= heap[0][0]):
            end = stack.pop()
            if end > pos:
                events.append(("text", (pos, end)))
                pos = end
            events.append(("close", None))
            continue
        start, neg_end, priority, _, index, cont = heapq.heappop(heap)
        if start > pos:
            events.append(("text", (pos, start)))
            pos = start
        end = -neg_end
        if stack and end > stack[-1]:
            cut = stack[-1]
            heapq.heappush(heap, (cut, neg_end, priority, seq, index, True))
            seq += 1
            end = cut
        events.append(("open", (spans[index], cont, end)))
        stack.append(end)
    return events


def _attr(value: Any) -> str:
    return html.escape(str(value), quote=True)


def render_text(text: str, spans: Iterable[AuditSpan]) -> str:
    """The article text as escaped HTML with every span drawn as a ``<span>`` element.

    Parameters
    ----------
    text : str
        The article's original text.
    spans : iterable of AuditSpan
        Spans inside ``text`` (checked by the caller).

    Returns
    -------
    str
        HTML, text escaped; one element with ``data-row`` per row span.
    """
    out: list[str] = []
    pos = 0
    for kind, value in nest_spans(spans):
        if kind == "text":
            a, b = value
            out.append(html.escape(text[a:b], quote=False))
            pos = b
        elif kind == "close":
            out.append("</span>")
        else:
            span, cont, _ = value
            css = f"hl k-{span.kind}" + (f" {span.css}" if span.css else "")
            if span.part or cont:
                ref = f' data-part="{_attr(span.part or "cont")}" data-of="{span.row}"'
            else:
                ref = f' data-row="{span.row}"'
            out.append(
                f'<span class="{css}" tabindex="0" data-table="{span.table}"{ref} data-info="{_attr(span.info)}">'
            )
    out.append(html.escape(text[pos:], quote=False))
    return "".join(out)


# ---------------------------------------------------------------- spans from the tables


def _s(value: Any) -> str:
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return ""
    return str(value)


def _p(value: Any) -> str:
    """A probability as the CSV writes it (6 decimals): the page shows what the table says."""
    text = _s(value)
    try:
        return f"{float(text):.6f}" if text else ""
    except ValueError:
        return text


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


def _where(table: str, row: int) -> str:
    return f"{table}.csv row {row} (line {row + 2})"


def _stance_key(article_id: str, start: int, end: int, entity: str) -> tuple:
    return (article_id, start, end, entity)


def _row_spans(table: str, row: int, r: dict[str, Any], stance: Mapping[tuple, dict]) -> list[AuditSpan]:
    """The spans one table row is drawn as."""
    start, end = _int(r.get("start")), _int(r.get("end"))
    where = _where(table, row)
    if table == "mentions":
        label = _s(r.get("label"))
        flags = [f for f in ("anaphora", "compound", "quoted") if _s(r.get(f)) in ("True", "true", "1")]
        st = stance.get(_stance_key(_s(r.get("article_id")), start, end, _s(r.get("entity"))))
        lines = [
            f"entity: {_s(r.get('entity'))} (surface “{_s(r.get('surface'))}”, variant {_s(r.get('variant'))})",
            f"label: {label or 'none'}" + (f" (“{_s(r.get('label_surface'))}”, set {_s(r.get('label_set'))})"
                                           if label else f" (set {_s(r.get('label_set'))})"),
        ]
        if flags:
            lines.append("flags: " + ", ".join(flags))
        if st is not None:
            lines.append(f"stance ({st['voice']}): {st['label']} (neg {st['p_neg']}, neu {st['p_neu']}, "
                         f"pos {st['p_pos']}; {st['where']})")
        lines.append(f"source: {where}")
        out = [AuditSpan(start, end, "labelled" if label else "mention", table, row, info="\n".join(lines))]
        ls, le = _int(r.get("label_start")), _int(r.get("label_end"))
        if label and ls >= 0 and le > ls:
            out.append(AuditSpan(ls, le, "label", table, row, "label",
                                 f"descriptor “{_s(r.get('label_surface'))}” = {label}, attached to "
                                 f"{_s(r.get('entity'))}\nsource: {where}"))
        return out
    if table == "quotes":
        kind = _s(r.get("kind"))
        speaker = _s(r.get("speaker")) or "unattributed"
        lines = [
            f"{kind} quote",
            f"speaker: {speaker}" + (f" (“{_s(r.get('speaker_surface'))}”)" if _s(r.get("speaker_surface")) else ""),
            f"voice: {_s(r.get('voice')) or 'none'}",
            f"cue: {_s(r.get('cue')) or 'none'}" + (f" ({_s(r.get('connotation'))})" if _s(r.get("connotation")) else ""),
        ]
        if _s(r.get("via")):
            lines.append(f"via: {_s(r.get('via'))}")
        lines.append(f"source: {where}")
        out = [AuditSpan(start, end, "scare" if kind == "scare" else "quote", table, row, info="\n".join(lines))]
        for part, kind_name in (("cue", "cue"), ("speaker", "speaker")):
            ps, pe = _int(r.get(f"{part}_start")), _int(r.get(f"{part}_end"))
            if ps >= 0 and pe > ps:
                out.append(AuditSpan(ps, pe, kind_name, table, row, part,
                                     f"{part} of the {kind} quote: {_s(r.get(part)) or speaker}\nsource: {where}"))
        return out
    if table == "removed":
        return [AuditSpan(start, end, "removed", table, row, info=f"removed as boilerplate: rule {_s(r.get('rule'))}"
                          f"\nsource: {where}")]
    label = _s(r.get("label"))
    css = {"negative": "neg", "positive": "pos"}.get(label, "")
    info = (f"stance toward {_s(r.get('entity'))} ({_s(r.get('voice'))} voice): {label}\n"
            f"p_neg {_p(r.get('p_neg'))}, p_neu {_p(r.get('p_neu'))}, p_pos {_p(r.get('p_pos'))}\nsource: {where}")
    return [AuditSpan(start, end, "stance", table, row, info=info, css=css)]


def _check_span(span: AuditSpan, n: int, article_id: str) -> None:
    if not 0 <= span.start <= span.end <= n:
        what = f"{span.part} offsets" if span.part else "offsets"
        raise AuditError(
            f"{_where(span.table, span.row)}, article {article_id}: {what} {span.start}-{span.end} "
            f"lie outside the article's text of {n} characters"
        )


# ---------------------------------------------------------------- stories and pages


def select_stories(articles: pd.DataFrame, max_stories: int | None) -> tuple[list[tuple[str, pd.DataFrame]], int]:
    """Stories to draw, those with the most outlets first, and how many were left out.

    Parameters
    ----------
    articles : pandas.DataFrame
        The ``articles`` table (records with ``status != "ok"`` are not drawn).
    max_stories : int or None
        Pages at most; None for all.

    Returns
    -------
    (list of (story, frame), int)
        Chosen stories with their articles (by outlet, then id), and the number left out. An
        article without a story is a story of its own, named ``(no story) <id>``.
    """
    keep = [c for c in ("id", "outlet", "story", "title", "date") if c in articles.columns]
    ok = articles.loc[articles["status"].astype(str) == "ok", keep]  # not the feature columns
    story = ok["story"].fillna("").astype(str)
    story = story.where(story != "", "(no story) " + ok["id"].astype(str))
    groups = []
    for name, frame in ok.assign(_story=story).groupby("_story", sort=True):
        groups.append((-frame["outlet"].nunique(), -len(frame), str(name), frame))
    groups.sort(key=lambda g: g[:3])
    chosen = groups if max_stories is None else groups[:max(0, max_stories)]
    out = [(name, f.sort_values(["outlet", "id"], kind="stable").drop(columns="_story")) for _, _, name, f in chosen]
    return out, len(groups) - len(out)


def _page_name(index: int, story: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", story.lower()).strip("-")[:40] or "story"
    digest = hashlib.sha1(story.encode("utf-8")).hexdigest()[:8]
    return f"{index:03d}-{slug}-{digest}.html"


def _csp() -> str:
    digest = base64.b64encode(hashlib.sha256(_SCRIPT.encode("utf-8")).digest()).decode("ascii")
    return f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{digest}'"


def _page(title: str, body: str, *, script: bool) -> str:
    hide = "".join(f".hide-{k} .k-{k}{{background:none;border-bottom:none;text-decoration:none;"
                   f"font-weight:inherit;font-style:inherit;color:inherit}}\n" for k in KINDS)
    kinds = "".join(f".k-{k}{{{rule}}}\n" for k, (_, rule) in KINDS.items())
    js = f"<script>{_SCRIPT}</script>" if script else ""
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<meta http-equiv=\"Content-Security-Policy\" content=\"{_csp()}\">"
        f"<title>{html.escape(title)}</title><style>{_STYLE}{kinds}{hide}</style></head>\n"
        f"<body>\n{body}\n{js}\n</body></html>\n"
    )


def _legend() -> str:
    items = "".join(
        f'<label><input type="checkbox" checked data-filter="{k}"> <span class="k-{k}">{html.escape(text)}</span></label>'
        for k, (text, _) in KINDS.items()
    )
    return f'<div id="legend" role="group" aria-label="show kinds">{items}</div>'


#: Articles drawn side by side on a story page by default: a topic-wide story of hundreds of
#: articles is unreadable as columns, and its page would take minutes to write.
MAX_ARTICLES = 12


def shown_articles(frame: pd.DataFrame, max_articles: int | None) -> pd.DataFrame:
    """The articles of a story page: every outlet's first article (by id) before any outlet's
    second, outlets in name order, at most ``max_articles``; drawn by outlet, then id."""
    if max_articles is None or len(frame) <= max_articles:
        return frame
    turn = frame.groupby("outlet", sort=False).cumcount()  # frame is sorted by outlet, then id
    order = frame.assign(_turn=turn.to_numpy()).sort_values(["_turn", "outlet", "id"], kind="stable")
    return order.head(max_articles).drop(columns="_turn").sort_values(["outlet", "id"], kind="stable")


def _story_page(story: str, frame: pd.DataFrame, texts: Mapping[str, str],
                spans: Mapping[str, list[AuditSpan]], total: int | None = None) -> str:
    columns = []
    for art in frame.itertuples(index=False):
        aid = str(art.id)
        text = texts[aid]
        for span in spans.get(aid, []):
            _check_span(span, len(text), aid)
        meta = " · ".join(x for x in (_s(getattr(art, "date", "")), aid) if x)
        columns.append(
            f'<article><h2>{html.escape(_s(art.outlet))}</h2>'
            f'<div class="meta">{html.escape(_s(getattr(art, "title", "")))}<br>{html.escape(meta)}</div>'
            f'<div class="doc" data-article="{_attr(aid)}">{render_text(text, spans.get(aid, []))}</div></article>'
        )
    body = (
        f'<p><a href="../index.html">all stories</a></p><h1>{html.escape(story)}</h1>'
        f'<p class="meta">{_shown(frame, total)}. Hover or focus (Tab) a '
        "highlighted phrase for its entity, label, voice, stance and table row; untick a kind to hide it.</p>"
        f'{_legend()}<div class="grid" style="--n:{len(columns)}">{"".join(columns)}</div>'
        '<div id="details" aria-live="polite">Hover or focus a highlighted phrase.</div>'
    )
    return _page(f"{story} - framing audit", body, script=True)


def _shown(frame: pd.DataFrame, total: int | None) -> str:
    text = f"{len(frame)} articles, {frame['outlet'].nunique()} outlets"
    if total is not None and total > len(frame):
        text = (f"{len(frame)} of the story's {total} articles shown (each outlet's first before any second; "
                f"--audit-articles), {frame['outlet'].nunique()} outlets; every row of every article is in the CSVs")
    return text


def _index_page(chosen: list[tuple[str, pd.DataFrame, str]], left_out: int, max_stories: int | None,
                n_failed: int) -> str:
    rows = "".join(
        f'<tr><td><a href="stories/{page}">{html.escape(story)}</a></td><td>{frame["outlet"].nunique()}</td>'
        f'<td>{len(frame)}</td><td>{html.escape(", ".join(sorted(frame["outlet"].astype(str).unique())))}</td></tr>'
        for story, frame, page in chosen
    )
    notes = []
    if left_out:
        notes.append(f"{left_out} more {'story was' if left_out == 1 else 'stories were'} left out: pages are "
                     f"written for the {max_stories} stories with the most outlets (--audit-stories).")
    else:
        notes.append("Every story has a page.")
    if n_failed:
        notes.append(f"{n_failed} records failed and are not drawn; see status and error in articles.csv.")
    body = (
        "<h1>framing audit: stories and outlets</h1>"
        + "".join(f'<p class="meta">{html.escape(n)}</p>' for n in notes)
        + '<table class="idx"><thead><tr><th>story</th><th>outlets</th><th>articles</th><th>which outlets</th>'
        f"</tr></thead><tbody>{rows}</tbody></table>"
    )
    return _page("framing audit", body, script=False)


def _frames(source: pd.DataFrame | Iterable[pd.DataFrame] | Callable[[], Iterable[pd.DataFrame]]):
    if isinstance(source, pd.DataFrame):
        return [source]
    if callable(source):
        return source()
    return source


def write_audit(
    out_dir: str | Path,
    *,
    articles: pd.DataFrame,
    tables: Mapping[str, pd.DataFrame | Iterable[pd.DataFrame] | Callable[[], Iterable[pd.DataFrame]]],
    texts: Iterable[Any],
    max_stories: int | None = 50,
    max_articles: int | None = MAX_ARTICLES,
    progress: bool = False,
) -> list[Path]:
    """Write the audit report: ``index.html`` and ``stories/<page>.html`` per story.

    Parameters
    ----------
    out_dir : str or Path
        Folder of the report (created), e.g. ``RUN/audit``.
    articles : pandas.DataFrame
        The ``articles`` table of the run.
    tables : mapping
        Table name (of :data:`AUDIT_TABLES`) -> the table, its parts in CSV order, or a callable
        returning them. Row indices count across parts, as in the exported CSV. Missing tables
        are not drawn.
    texts : iterable
        The run's records (objects with ``id`` and ``text``, e.g. from
        :func:`framing.read.corpus.iter_articles`); only those of drawn stories are kept.
    max_stories : int or None
        Story pages at most (most outlets first); None for all.
    max_articles : int or None
        Articles drawn on a story page at most (:func:`shown_articles`; the page says how many
        it leaves out); None for all.
    progress : bool
        Show a progress bar over story pages.

    Returns
    -------
    list of Path
        Files written, index first.

    Raises
    ------
    AuditError
        A row's offsets lie outside its article's text, or a drawn article has no text.
    """
    out = Path(out_dir)
    (out / "stories").mkdir(parents=True, exist_ok=True)
    stories, left_out = select_stories(articles, max_stories)
    totals = {story: len(f) for story, f in stories}
    stories = [(story, shown_articles(f, max_articles)) for story, f in stories]
    wanted = {str(i) for _, f in stories for i in f["id"]}
    spans: dict[str, list[AuditSpan]] = {}
    stance: dict[tuple, dict] = {}
    present = [t for t in AUDIT_TABLES if t in tables]
    # stance first, so a mention's details can show its stance row
    for name in sorted(present, key=lambda t: t != "stance"):
        offset = 0
        for part in _frames(tables[name]):
            part = part.reset_index(drop=True)
            keep = part[part["article_id"].astype(str).isin(wanted)]
            for i, r in zip(keep.index, keep.to_dict("records"), strict=True):
                row = offset + int(i)
                aid = str(r["article_id"])
                if name == "stance":
                    stance[_stance_key(aid, _int(r["start"]), _int(r["end"]), _s(r.get("entity")))] = {
                        "voice": _s(r.get("voice")), "label": _s(r.get("label")),
                        "p_neg": f"{float(r['p_neg']):.3f}", "p_neu": f"{float(r['p_neu']):.3f}",
                        "p_pos": f"{float(r['p_pos']):.3f}", "where": _where(name, row)}
                spans.setdefault(aid, []).extend(_row_spans(name, row, r, stance))
            offset += len(part)
    found: dict[str, str] = {}
    for rec in texts:
        if str(rec.id) in wanted:
            found[str(rec.id)] = rec.text
    missing = sorted(wanted - set(found))
    if missing:
        raise AuditError(f"no text for {len(missing)} articles of the run (first: {missing[0]}); "
                         "were the inputs changed after the analysis?")
    written = []
    chosen = []
    bar = tqdm(stories, desc="audit pages", unit="story", disable=not progress)
    for i, (story, frame) in enumerate(bar):
        page = _page_name(i, story)
        path = out / "stories" / page
        path.write_text(_story_page(story, frame, found, spans, totals[story]), encoding="utf-8")
        written.append(path)
        chosen.append((story, frame, page))
    n_failed = int((articles["status"].astype(str) != "ok").sum())
    index = out / "index.html"
    index.write_text(_index_page(chosen, left_out, max_stories, n_failed), encoding="utf-8")
    return [index, *written]
