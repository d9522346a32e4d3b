

def test_span_index_answers_as_a_scan_of_every_span_does():
    import random

    from framing.text.spans import SpanIndex

    rng = random.Random(7)
    spans = [(a, a + rng.randint(1, 40)) for a in (rng.randint(0, 500) for _ in range(60))]
    spans += [(100, 300), (120, 130)]  # nested
    index = SpanIndex(spans)
    assert len(index) == 62 and not SpanIndex([]).contains(0, 1) and not SpanIndex([]).overlaps(0, 1)
    for _ in range(2000):
        s = rng.randint(0, 560)
        e = s + rng.randint(0, 30)
        assert index.contains(s, e) == any(a <= s and e <= b for a, b in spans)
        assert index.overlaps(s, e) == any(a < e and s < b for a, b in spans)
        assert index.covers(s) == any(a <= s < b for a, b in spans)
