"""The HTML audit report (framing.output.audit), read back from a real headless Chromium.

The browser tests load the written pages from ``file://`` with Debian's ``chromium``
(``--headless --dump-dom``: the DOM after scripts ran) and hold every highlighted element against
the CSV rows it names. They skip, saying why, when no chromium is installed (``.ci/run`` installs
it, so CI runs them).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from conftest import SEEDS

import framing
from framing.output.audit import AuditError, AuditSpan, nest_spans, render_text, select_stories, write_audit

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
TITLE = "hamas-damascus-2022-10 - framing audit"


def _chromium() -> str:
    for name in ("/usr/bin/chromium", "chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    pytest.skip("no chromium on this machine (apt-get install -y chromium); the audit pages are not browser-tested")


def dump_dom(page: Path) -> str:
    """The page's DOM after its scripts ran, serialised by headless Chromium."""
    proc = subprocess.run(
        [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", page.resolve().as_uri()],
        capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


class Elements(HTMLParser):
    """Every element with a ``data-table`` attribute, with its attributes and its text content."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict | None]] = []
        self.found: list[dict] = []
        self.docs: list[dict] = []
        self.tags: defaultdict[str, int] = defaultdict(int)
        self.title = ""
        self.html_attrs: dict = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags[tag] += 1
        if tag == "html":
            self.html_attrs = attrs
        if tag in VOID:
            return
        item = None
        if "data-table" in attrs or attrs.get("class") == "doc":
            item = {"attrs": attrs, "text": []}
            (self.found if "data-table" in attrs else self.docs).append(item)
        self.stack.append((tag, item))

    def handle_endtag(self, tag):
        while self.stack:
            name, _ = self.stack.pop()
            if name == tag:
                break

    def handle_data(self, data):
        if self.stack and self.stack[-1][0] == "title":
            self.title += data
        for _, item in self.stack:
            if item is not None:
                item["text"].append(data)


def parse(dom: str) -> Elements:
    parser = Elements()
    parser.feed(dom)
    for item in parser.found + parser.docs:
        item["text"] = "".join(item["text"])
    return parser


@pytest.fixture(scope="module")
def seed_audit(tmp_path_factory):
    out = tmp_path_factory.mktemp("audit_run")
    result = framing.analyze(SEEDS, stats=False, crossdoc=False)
    result.export(out, figures=False)
    return out, result


def _table(out: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(out / f"{name}.csv", keep_default_na=False, dtype={"article_id": str})


def test_seed_story_page_has_one_element_per_csv_row_with_the_rows_text(seed_audit, seed_articles):
    out, _ = seed_audit
    pages = sorted((out / "audit" / "stories").glob("*.html"))
    assert len(pages) == 1
    dom = parse(dump_dom(pages[0]))
    assert dom.html_attrs.get("data-audit-script") == "ran"  # the page's own script runs
    shown = {d["attrs"]["data-article"]: d["text"] for d in dom.docs}
    assert shown == {i: a.text for i, a in seed_articles.items()}  # every character, once
    for name in ("mentions", "quotes", "removed", "stance"):
        table = _table(out, name)
        assert len(table) > 0, name
        own = [e for e in dom.found if e["attrs"]["data-table"] == name and "data-row" in e["attrs"]]
        rows = sorted(int(e["attrs"]["data-row"]) for e in own)
        assert rows == list(range(len(table))), f"{name}: elements do not match the CSV rows one for one"
        pieces = defaultdict(list)
        for e in dom.found:
            if e["attrs"]["data-table"] == name and e["attrs"].get("data-part") == "cont":
                pieces[int(e["attrs"]["data-of"])].append(e["text"])
        for e in own:
            i = int(e["attrs"]["data-row"])
            r = table.iloc[i]
            text = seed_articles[r["article_id"]].text
            drawn = e["text"] + "".join(pieces[i])
            assert drawn == text[int(r["start"]):int(r["end"])], (name, i)
            assert f"{name}.csv row {i} " in e["attrs"]["data-info"]


def test_descriptors_cues_and_speakers_are_drawn_from_their_offsets(seed_audit, seed_articles):
    out, _ = seed_audit
    page = next((out / "audit" / "stories").glob("*.html"))
    dom = parse(dump_dom(page))
    mentions, quotes = _table(out, "mentions"), _table(out, "quotes")
    checked = 0
    for e in dom.found:
        part = e["attrs"].get("data-part")
        if part not in ("label", "cue", "speaker"):
            continue
        table = mentions if e["attrs"]["data-table"] == "mentions" else quotes
        r = table.iloc[int(e["attrs"]["data-of"])]
        text = seed_articles[r["article_id"]].text
        assert text.startswith(e["text"], int(r[f"{part}_start"])), (part, e["attrs"]["data-of"])
        checked += 1
    n_labels = int((mentions["label"] != "").sum())
    n_cues = int((quotes["cue_start"] >= 0).sum())
    assert checked >= n_labels + n_cues > 0
    # the details of a labelled mention name its descriptor and stance
    stance = _table(out, "stance")
    scored = set(zip(stance["article_id"], stance["start"], stance["end"], stance["entity"], strict=True))
    labelled = [e for e in dom.found if "k-labelled" in e["attrs"]["class"] and "data-row" in e["attrs"]]
    assert labelled
    for e in labelled:
        r = mentions.iloc[int(e["attrs"]["data-row"])]
        assert f"label: {r['label']} " in e["attrs"]["data-info"]
        has_stance = (r["article_id"], r["start"], r["end"], r["entity"]) in scored
        assert ("\nstance (" in e["attrs"]["data-info"]) == has_stance


def test_a_record_carrying_markup_shows_as_text_and_runs_nothing(tmp_path):
    # one tag-like string is not enough for the reader to treat a record as HTML, so these reach
    # the page as the record's text (a record with <script>...</script> is converted to text on
    # reading, its script dropped: see the next test for the page itself)
    hostile = ("Hamas officials met in Damascus. <img src=x onerror=\"document.title='pwned'\"> "
               "Syria welcomed Hamas. <svg onload=\"document.title='pwned'\"> &lt;script&gt;x&lt;/script&gt;")
    rows = [
        {"id": "h1", "outlet": "Hostile Wire", "story": "s1", "title": "<script>document.title='t'</script>",
         "text": hostile},
        {"id": "h2", "outlet": "Plain Post", "story": "s1", "title": "Plain", "text": "Hamas met Syria in Damascus."},
    ]
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "run"
    framing.analyze(corpus, stats=False, crossdoc=False).export(out, figures=False)
    page = next((out / "audit" / "stories").glob("*.html"))
    dom = parse(dump_dom(page))
    assert dom.title == "s1 - framing audit"
    assert dom.html_attrs.get("data-audit-script") == "ran"  # scripts do run here: only ours did
    assert dom.tags["script"] == 1 and dom.tags["img"] == 0 and dom.tags["svg"] == 0
    # the article shows exactly its text, markup and entities included, with spans drawn in it
    assert [d["text"] for d in dom.docs] == [hostile, rows[1]["text"]]
    assert any(e["text"] == "Hamas" for e in dom.found)
    index = parse(dump_dom(out / "audit" / "index.html"))
    assert index.title == "framing audit" and index.tags["script"] == 0


def test_script_tags_in_an_article_text_run_nothing_even_when_spans_cut_them(tmp_path):
    text = "Hamas <script>document.title='pwned'</script> and <img src=x onerror=\"document.title='p'\"> Syria."
    articles = pd.DataFrame({"id": ["a"], "outlet": ["A"], "story": ["s"], "title": ["t"], "status": ["ok"]})
    cut = text.index("ipt>")
    mentions = pd.DataFrame({"article_id": ["a", "a", "a"], "entity": ["Hamas", "x", "Syria"],
                             "start": [0, cut - 3, text.index("Syria")], "end": [5, cut + 10, len(text) - 1],
                             "label": ["", "", ""]})
    quotes = pd.DataFrame({"article_id": ["a"], "kind": ["direct"], "start": [cut], "end": [text.index("Syria")],
                           "cue_start": [-1], "cue_end": [-1]})
    write_audit(tmp_path, articles=articles, tables={"mentions": mentions, "quotes": quotes},
                texts=[framing.Article(id="a", outlet="A", text=text)])
    page = next((tmp_path / "stories").glob("*.html"))
    dom = parse(dump_dom(page))
    assert dom.title == "s - framing audit"
    assert dom.html_attrs.get("data-audit-script") == "ran"
    assert dom.tags["script"] == 1 and dom.tags["img"] == 0
    assert [d["text"] for d in dom.docs] == [text]
    doc = next(e for e in dom.found if e["attrs"].get("data-row") == "1" and e["attrs"]["data-table"] == "mentions")
    cont = "".join(e["text"] for e in dom.found if e["attrs"].get("data-of") == "1"
                   and e["attrs"]["data-table"] == "mentions")
    assert doc["text"] + cont == text[cut - 3:cut + 10]


def test_crossing_spans_are_split_and_every_character_is_drawn_once():
    text = "abcdefghij"
    spans = [AuditSpan(0, 6, "quote", "quotes", 0), AuditSpan(4, 9, "mention", "mentions", 0),
             AuditSpan(5, 8, "stance", "stance", 0), AuditSpan(2, 2, "removed", "removed", 0)]
    html_text = render_text(text, spans)
    dom = parse(f"<div>{html_text}</div>")
    by = {(e["attrs"]["data-table"], e["attrs"].get("data-row"), e["attrs"].get("data-part")): e["text"]
          for e in dom.found}
    assert by[("quotes", "0", None)] == "abcdef"
    assert by[("mentions", "0", None)] == "ef"
    assert by[("mentions", None, "cont")] == "ghi"
    assert by[("removed", "0", None)] == ""
    # the stance span crosses the quote too: cut at 6, continued inside the mention's rest
    assert by[("stance", "0", None)] + by[("stance", None, "cont")] == "fgh"
    events = nest_spans(spans)
    depth = 0
    for kind, _ in events:
        depth += {"open": 1, "close": -1}.get(kind, 0)
        assert depth >= 0
    assert depth == 0


def test_stories_with_most_outlets_come_first_and_the_index_counts_the_rest(tmp_path):
    articles = pd.DataFrame({
        "id": ["a1", "a2", "b1", "b2", "b3", "c1", "x"],
        "outlet": ["A", "B", "A", "B", "C", "A", "A"],
        "story": ["sa", "sa", "sb", "sb", "sb", "", "sc"],
        "status": ["ok"] * 6 + ["error"],
    })
    chosen, left = select_stories(articles, 2)
    assert [s for s, _ in chosen] == ["sb", "sa"] and left == 1
    texts = [framing.Article(id=i, outlet="A", text="Hamas and Syria.") for i in ("a1", "a2", "b1", "b2", "b3")]
    mentions = pd.DataFrame({"article_id": ["b1", "c1"], "outlet": ["A", "A"], "entity": ["Hamas"] * 2,
                             "start": [0, 0], "end": [5, 5], "label": ["", ""]})
    paths = write_audit(tmp_path, articles=articles, tables={"mentions": mentions}, texts=texts, max_stories=2)
    index = paths[0].read_text(encoding="utf-8")
    assert "1 more story was left out" in index and "1 records failed" in index
    assert len(paths) == 3
    assert 'data-table="mentions" data-row="0"' in paths[1].read_text(encoding="utf-8")


def test_a_row_outside_its_article_names_table_row_and_article(tmp_path):
    articles = pd.DataFrame({"id": ["a"], "outlet": ["A"], "story": ["s"], "status": ["ok"]})
    quotes = pd.DataFrame({"article_id": ["a", "a"], "kind": ["direct"] * 2, "start": [0, 3], "end": [2, 99],
                           "cue_start": [-1, -1], "cue_end": [-1, -1]})
    with pytest.raises(AuditError, match=r"quotes\.csv row 1 \(line 3\), article a: offsets 3-99"):
        write_audit(tmp_path, articles=articles, tables={"quotes": quotes},
                    texts=[framing.Article(id="a", outlet="A", text="short text")])


def test_the_report_is_byte_identical_on_rerun_and_can_be_skipped(seed_audit, tmp_path):
    out, result = seed_audit
    result.export(tmp_path / "again", figures=False)
    for page in sorted((out / "audit").rglob("*.html")):
        assert page.read_bytes() == (tmp_path / "again" / page.relative_to(out)).read_bytes()
    result.export(tmp_path / "none", figures=False, audit=False)
    assert not (tmp_path / "none" / "audit").exists()
    assert "audit/" not in json.loads((tmp_path / "none" / "manifest.json").read_text())["outputs"]


def test_a_topic_wide_story_page_draws_each_outlets_first_article_and_says_how_many(tmp_path):
    from framing.output.audit import shown_articles

    ids = [f"{o}{k}" for o in "ABCDE" for k in range(4)]
    articles = pd.DataFrame({"id": ids, "outlet": [i[0] for i in ids], "story": ["s"] * 20, "status": ["ok"] * 20})
    (_, frame), = select_stories(articles, 1)[0]
    shown = shown_articles(frame, 7)
    assert list(shown["id"]) == ["A0", "A1", "B0", "B1", "C0", "D0", "E0"]  # every outlet before any second
    assert shown_articles(frame, None) is frame
    texts = [framing.Article(id=i, outlet=i[0], text="Hamas and Syria.") for i in ids]
    paths = write_audit(tmp_path, articles=articles, tables={}, texts=texts, max_articles=7)
    page = paths[1].read_text(encoding="utf-8")
    assert "7 of the story's 20 articles shown" in page and page.count("<article>") == 7
