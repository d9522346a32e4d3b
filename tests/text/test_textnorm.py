"""Typography normalisation and case folding keep the length of the text (offsets stay valid)."""

from __future__ import annotations

from framing.text.textnorm import fold, normalize


def _fold_per_character(text: str) -> str:
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in normalize(text))


def test_fold_equals_folding_each_character_and_keeps_the_length():
    every = "".join(chr(c) for c in range(0x20, 0x3000) if not 0xD800 <= c < 0xE000)
    texts = [
        every,
        "Türkiye’s President Recep Tayyip Erdoğan — “no”",
        "İstanbul and IZMIR",  # "İ".lower() is two characters: kept as it is
        "ΟΔΟΣ ΣΟΦΙΑΣ",  # capital sigma lowers by context in str.lower(), per character here
        "",
    ]
    for text in texts:
        folded = fold(text)
        assert len(folded) == len(text)
        assert folded == _fold_per_character(text)
    assert fold("“Hamas” — AP") == '"hamas" - ap'
