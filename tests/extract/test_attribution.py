"""Tokens of the attribution grammar (framing.extract.attribution)."""

from __future__ import annotations

from framing.extract.attribution import tokenize
from framing.text.textnorm import normalize


def test_tokens_carry_offsets_and_flags_and_repeated_words_share_one_string():
    text = 'Hamas said "no". Hamas\'s leader, in Gaza, said: Hamas will stay.'
    norm = normalize(text)
    toks = tokenize(norm, 0, len(norm))
    assert [norm[t.start:t.end] for t in toks] == [t.text for t in toks]
    hamas = [t for t in toks if t.low == "hamas"]
    assert [t.start for t in hamas] == [0, text.rindex("Hamas")]
    assert all(t.cap and t.word for t in hamas)
    assert hamas[0].text is hamas[1].text  # one string for the repeated word
    poss = next(t for t in toks if t.low == "hamas's")
    assert poss.poss and poss.cap and not poss.quote
    assert [t.text for t in toks if t.quote] == ['"', '"']
    said = [t for t in toks if t.low == "said"]
    assert len(said) == 2 and not said[0].cap
    # a window of the text: offsets stay in the text, nothing outside the window
    lo = text.index("leader")
    inner = tokenize(norm, lo, lo + len("leader, in Gaza"))
    assert [(t.text, t.start) for t in inner] == [("leader", lo), (",", lo + 6), ("in", lo + 8), ("Gaza", lo + 11)]
