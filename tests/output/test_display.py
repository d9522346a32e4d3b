"""Highlighting from offsets: overlapping spans nest, text is escaped, bad spans fail loudly."""

from __future__ import annotations

import pytest

from framing.output.display import Span, highlight


def test_overlapping_spans_carry_both_classes_and_text_is_escaped():
    text = "“Hamas <bit> the bullet,” said Gerges."
    out = highlight(text, [Span(1, 6, "fr-mention", "Hamas"), Span(1, 23, "fr-quote", "quote")])
    assert '<span class="fr-quote fr-mention" title="quote | Hamas">Hamas</span>' in out
    assert "&lt;bit&gt;" in out
    assert out._repr_html_() == str(out)


def test_a_span_outside_the_text_is_an_error():
    with pytest.raises(ValueError, match="outside a text of 5 characters"):
        highlight("Hamas", [Span(2, 9, "x")])
