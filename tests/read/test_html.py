"""HTML records become plain text with paragraph breaks; plain prose is left alone."""

from __future__ import annotations

import pytest

from framing.read.html import html_to_text, looks_like_html


@pytest.mark.parametrize(
    "text",
    [
        "<!DOCTYPE html><title>Report</title>",
        "<html><body>Talks resumed.</body></html>",
        "<p>Talks resumed on Monday.</p>",
        "Talks resumed.<br>Aid arrived.<br/>",
        '<div class="story">Talks resumed.</div>',
    ],
)
def test_markup_is_recognised(text):
    assert looks_like_html(text)


@pytest.mark.parametrize(
    "text",
    [
        "Talks resumed on Monday, officials said.",
        "Turnout was < 40% in the north and > 60% in the south.",
        "The memo was marked <b> for brevity, the aide said.",
    ],
)
def test_plain_prose_is_not_mistaken_for_markup(text):
    assert not looks_like_html(text)


def test_paragraphs_become_blank_line_separated_and_inline_tags_vanish():
    markup = (
        "<p>The minister <b>arrived</b> in\n   the capital on <a href='/x'>Tuesday</a>.</p>"
        "<p>Talks are expected to last two days.</p>"
    )
    assert html_to_text(markup) == (
        "The minister arrived in the capital on Tuesday.\n\nTalks are expected to last two days."
    )


def test_script_style_and_head_are_dropped_and_entities_unescaped():
    markup = (
        "<html><head><title>Site name</title><style>p {margin: 0}</style></head><body>"
        "<script>var tracking = '<p>not text</p>';</script>"
        "<p>Aid &amp; fuel arrived, &#8220;finally&#8221;, the mayor said.</p></body></html>"
    )
    assert html_to_text(markup) == "Aid & fuel arrived, \u201cfinally\u201d, the mayor said."


def test_unclosed_head_is_closed_by_body():
    markup = "<html><head><title>Site name</title><body><p>Rescue teams reached the village.</p>"
    assert html_to_text(markup) == "Rescue teams reached the village."


def test_line_breaks_are_kept_and_double_breaks_split_paragraphs():
    assert html_to_text("<p>Line one<br>line two<br><br>New paragraph</p>") == (
        "Line one\nline two\n\nNew paragraph"
    )


def test_lists_tables_and_nested_blocks_keep_words_apart():
    assert html_to_text("<ul><li>Water</li><li>Food</li></ul>") == "Water\n\nFood"
    assert html_to_text("<table><tr><td>Gaza</td><td>12</td></tr></table>") == "Gaza 12"
    assert html_to_text("<div>Lead<p>Body</p>Tail</div>") == "Lead\n\nBody\n\nTail"


def test_preformatted_text_keeps_its_spacing():
    assert html_to_text("<pre>Col A   Col B\n1       2</pre>") == "Col A   Col B\n1       2"


def test_nothing_visible_gives_empty_text():
    assert html_to_text("<html><head><script>x()</script></head><body> </body></html>") == ""
