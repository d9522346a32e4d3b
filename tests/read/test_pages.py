"""Saved news pages through trafilatura: the article text only, with its title, date and outlet."""

from __future__ import annotations

import hashlib
import json
import logging
import re
import shutil
from pathlib import Path

import pytest

import framing
from framing.read.corpus import InputError, read_articles
from framing.read.pages import page_outlet, read_page, url_domain

PAGES = Path(__file__).resolve().parents[1] / "data" / "pages"
FULL = PAGES / "nav_cookie_related_comments.html"
JSONLD = PAGES / "jsonld_date.html"
AMP = PAGES / "amp.html"
SHELL = PAGES / "empty_shell.html"

# text of the chrome around the article in the test pages: none of it may reach the article text
CHROME = [
    "cookies", "Accept all", "Home", "Politics", "Subscribe", "Related stories",
    "Israel strikes targets", "Comments", "Reader123", "shameful betrayal", "common sense",
    "All rights reserved", "Privacy", "Terms of use", "Contact", "Log in", "Newsletter",
    "Advertise", "Quay Street", "Menu", "About", "By Jane Reporter",
]


def _paragraphs(path: Path) -> list[str]:
    """The article paragraphs of a test page as written in its <p> elements (body text only)."""
    html = path.read_text(encoding="utf-8")
    article = re.search(r"<(article|div class=\"story-body\")[^>]*>(.*?)</(article|div)>", html, re.S).group(2)
    return re.findall(r"<p>(.*?)</p>", article, re.S)


def test_page_with_chrome_gives_the_article_text_only():
    page = read_page(FULL.read_bytes())
    assert page.error == ""
    assert page.title == "Hamas delegation visits Damascus to restore ties"
    assert page.date == "2022-10-19"
    assert page.author == "Jane Reporter"
    assert page.site_name == "Example News"
    assert page.url == "https://www.example-news.com/world/2022/10/19/hamas-damascus"
    lines = page.text.split("\n")
    assert lines[0] == page.title  # the headline, as in the seed texts
    assert lines[1:] == _paragraphs(FULL)
    for chrome in CHROME:
        assert chrome not in page.text, chrome


def test_date_only_in_json_ld_is_found_and_is_the_publication_date():
    html = JSONLD.read_text(encoding="utf-8")
    assert "article:published_time" not in html and "<time" not in html  # the date is only in JSON-LD
    page = read_page(JSONLD.read_bytes())
    assert page.date == "2022-08-23"  # datePublished, not dateModified
    assert page.author == "Omar Kaya"
    assert page.site_name == "Harbour Times"  # JSON-LD publisher
    assert page.text.split("\n")[1:] == _paragraphs(JSONLD)
    for chrome in CHROME:
        assert chrome not in page.text, chrome


def test_amp_page():
    page = read_page(AMP.read_bytes())
    assert page.error == ""
    assert page.title == "Hezbollah leader praises Hamas return to Damascus"
    assert page.date == "2022-10-21"
    assert page.url == "https://www.levantdaily.example.com/politics/hezbollah-hamas-damascus.html"
    assert page_outlet(page) == "Levant Daily"
    assert page.text.split("\n")[1:] == _paragraphs(AMP)
    assert "Menu" not in page.text and "Levant Daily ©" not in page.text


def test_empty_shell_is_an_error_with_a_reason(caplog):
    with caplog.at_level(logging.WARNING):
        page = read_page(SHELL.read_bytes())
    assert "discarding" not in caplog.text  # the error record says it; no stray log line
    assert page.text == ""
    assert "no main text" in page.error
    assert page.html_sha256 == hashlib.sha256(SHELL.read_bytes()).hexdigest()


@pytest.mark.parametrize("data, why", [(b"", "empty"), (b"  \n", "empty"), (b"%PDF-1.7\n\x00\x01", "binary")])
def test_not_a_page(data, why):
    page = read_page(data)
    assert page.text == "" and why in page.error


def test_outlet_falls_back_to_the_canonical_domain():
    html = FULL.read_text(encoding="utf-8").replace(
        '<meta property="og:site_name" content="Example News">', "")
    page = read_page(html.encode("utf-8"))
    assert page.site_name in ("", "example-news.com") and page_outlet(page) == "example-news.com"
    assert url_domain("https://www.bbc.co.uk/news/x") == "bbc.co.uk"
    assert url_domain("/relative/path") == ""


def test_a_folder_of_pages_without_manifest(tmp_path):
    arts = {a.id: a for a in read_articles(PAGES)}
    assert sorted(arts) == ["amp", "empty_shell", "jsonld_date", "nav_cookie_related_comments"]
    full = arts["nav_cookie_related_comments"]
    assert (full.status, full.outlet, full.title, full.date, full.author) == (
        "ok", "Example News", "Hamas delegation visits Damascus to restore ties", "2022-10-19", "Jane Reporter")
    assert full.url == "https://www.example-news.com/world/2022/10/19/hamas-damascus"
    assert full.html_sha256 == hashlib.sha256(FULL.read_bytes()).hexdigest()
    assert full.source == "pages/nav_cookie_related_comments.html"
    assert "html stripped" not in full.warnings
    assert arts["jsonld_date"].outlet == "Harbour Times" and arts["jsonld_date"].date == "2022-08-23"
    assert arts["amp"].outlet == "Levant Daily"
    shell = arts["empty_shell"]
    assert shell.status == "error" and "no main text" in shell.error and shell.text == ""


def test_manifest_fields_win_and_unlisted_pages_are_errors(tmp_path):
    for page in (FULL, AMP, JSONLD):
        shutil.copy(page, tmp_path / page.name)
    (tmp_path / "manifest.csv").write_text(
        "file;outlet;title;date;url\n"  # semicolon-delimited: sniffed
        f"{FULL.name};The Example;;;https://example-news.com/x\n"
        f"{AMP.name};;Own title;2022-10-22;\n"
        "missing.html;X;;;\n", encoding="utf-8")
    arts = {a.id: a for a in read_articles(tmp_path)}
    full, amp = arts["nav_cookie_related_comments"], arts["amp"]
    assert full.outlet == "The Example" and full.title.startswith("Hamas delegation") and full.date == "2022-10-19"
    assert full.url == "https://example-news.com/x"  # the manifest's URL wins over the canonical one
    assert amp.outlet == "Levant Daily" and amp.title == "Own title" and amp.date == "2022-10-22"
    assert arts["missing"].status == "error" and "not found" in arts["missing"].error
    assert arts["jsonld_date"].status == "error" and "not listed" in arts["jsonld_date"].error


def test_a_single_page_file_and_an_empty_folder(tmp_path):
    (art,) = read_articles(AMP)
    assert art.ok and art.id == "amp"
    with pytest.raises(InputError, match="no .html pages"):
        read_articles(tmp_path)


def test_analyze_on_pages_writes_texts_that_the_offsets_index(tmp_path):
    result = framing.analyze(PAGES, stats=False, crossdoc=False)
    written = result.export(tmp_path, formats=("csv",), figures=False)
    arts = result.articles.set_index("id")
    assert arts.loc["empty_shell", "status"] == "error"
    assert arts.loc["nav_cookie_related_comments", "html_sha256"] == hashlib.sha256(FULL.read_bytes()).hexdigest()
    assert arts.loc["amp", "url"].startswith("https://www.levantdaily.example.com/")
    assert tmp_path / "texts.jsonl" in written
    texts = [json.loads(line) for line in (tmp_path / "texts.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [t["id"] for t in texts] == ["amp", "jsonld_date", "nav_cookie_related_comments"]
    by_id = {t["id"]: t["text"] for t in texts}
    mentions = result.mentions
    assert len(mentions)
    for row in mentions.itertuples():
        assert by_id[row.article_id][row.start:row.end] == row.surface


def test_a_page_naming_no_outlet_is_an_error_unless_the_manifest_gives_one(tmp_path):
    html = AMP.read_text(encoding="utf-8")
    html = html.replace('<meta property="og:site_name" content="Levant Daily">', "")
    html = re.sub(r'<link rel="canonical"[^>]*>', "", html)
    (tmp_path / "anon.html").write_text(html, encoding="utf-8")
    (art,) = read_articles(tmp_path / "anon.html")
    assert art.status == "error" and "no outlet" in art.error
    (tmp_path / "manifest.csv").write_text("file,url\nanon.html,https://www.levantdaily.example.com/x\n")
    (art,) = read_articles(tmp_path)
    assert art.ok and art.outlet == "levantdaily.example.com"  # the domain of the manifest's URL


def test_encodings_of_pages(tmp_path):
    html = FULL.read_text(encoding="utf-8").replace("Hamas met", "Hamas met in Türkiye’s view")
    legacy = html.replace('<meta charset="utf-8">', '<meta charset="windows-1252">').encode("cp1252")
    utf16 = ("\ufeff" + html).encode("utf-16-le")
    for data in (legacy, utf16):
        page = read_page(data)
        assert page.error == "" and "Hamas met in Türkiye’s view" in page.text


def test_reading_pages_is_deterministic():
    first = [(a.id, a.text, a.title, a.date, a.outlet, a.html_sha256) for a in read_articles(PAGES)]
    assert first == [(a.id, a.text, a.title, a.date, a.outlet, a.html_sha256) for a in read_articles(PAGES)]


def test_a_manifest_encoding_is_honoured_for_a_page(tmp_path):
    html = FULL.read_text(encoding="utf-8").replace('<meta charset="utf-8">', "").replace("Hamas met", "Hamas met in Türkiye’s view")
    (tmp_path / "p.html").write_bytes(html.encode("cp1252"))
    (tmp_path / "manifest.csv").write_text("file,outlet,encoding\np.html,Example News,cp1252\n")
    (art,) = read_articles(tmp_path)
    assert art.ok and "Hamas met in Türkiye’s view" in art.text
    (tmp_path / "manifest.csv").write_text("file,outlet,encoding\np.html,Example News,ascii\n")
    (art,) = read_articles(tmp_path)
    assert art.status == "error" and "not decodable as ascii" in art.error
