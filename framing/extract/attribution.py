"""Reporting cues, speaker mentions and reported clauses, by pattern rules over word tokens.

No parser model: a speaker is a short noun phrase next to a verb of the attribution-verb lexicon in
the orders news writing uses ("X said", "said X", "X, a professor at Y, said", "according to X",
"... and said", ", saying", "X quoted Y as saying"); reported speech is the clause the verb governs
(cue/source/content, as in PolNeAR: Newell, Margolin & Ruths 2018). Offsets are the original's.
"""

from __future__ import annotations

import bisect
import re
from collections import namedtuple
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from framing.text.segment import WORD_RE

__all__ = ["Tok", "Frame", "Verbs", "SUBJ", "tokenize", "sentence_ranges", "match_cue",
           "attach_after", "attach_before", "find_reported"]

Span = tuple[int, int]
#: Attribution verbs: lower-cased form (one to three words) -> (lemma, connotation[, complement]);
#: complement "clause" marks a verb that reports speech only with a that-clause or a quotation
#: (``attribution_verbs.csv``), "any" (or absent) every other verb.
Verbs = Mapping[str, tuple[str, ...]]
#: A token (a word, ``''`` used as a double mark, or one punctuation character) with flags:
#: word (alphanumeric), cap (capital or digit), quote (a double mark), poss ("Hamas'", "Syria's").
Tok = namedtuple("Tok", "start end text low word cap quote poss")

TOKEN_RE = re.compile(rf"(?:{WORD_RE.pattern})|''|[^\w\s]", re.UNICODE)
_w = lambda s: frozenset(s.split())  # noqa: E731
SUBJ, OBJ_PRON = _w("he she they it we i you"), _w("him her them me us")
BE, CLAUSE_OPENERS = _w("is was were are be been being"), _w("and but so then when while because after before as once")
DETS = _w("the a an this these those his her its their our my your some many several most few both each "
          "every any no one two three four")
FUNCTION = _w("in on at by for with about from into of over after before during through against to up out "
              "off down under between among since without within across toward towards upon per via like "
              "than as and or but nor so yet because while when if although though whether where whereas "
              "unless until that which who whom whose what how why there here not also then despite amid "
              "including following according regarding besides beyond near around behind along outside "
              "inside throughout once ago has have had will would could should may might can must do does "
              "did") | BE
AUX = _w("has have had will would could should may might can did does do also later earlier then again once "
         "previously recently reportedly long repeatedly publicly privately often still further already even "
         "never ever just not n't first last separately initially originally only too") | BE
#: Time words and adverbs: never the head of a speaker phrase ("said Tuesday", "Meanwhile, it").
TIME = _w("monday tuesday wednesday thursday friday saturday sunday today yesterday tonight earlier later "
          "recently again also repeatedly publicly privately morning afternoon evening night week weekend "
          "month year meanwhile however instead indeed moreover still now even only just")
PARTICLES = _w("al el bin ibn abu abd de da di du van von der den la le ben bint")
ABBREV = _w("mr mrs ms dr sen rep gov gen lt col sgt capt prof st jr sr rev fr pres atty")
NP_PREPS, ADV_PREPS = _w("of for at in from"), _w("on in at during after before via through last this late early")
STARTERS = _w("how why what whether if when where who which there that")   # a clause may open with these
LY_NOUNS = _w("daily weekly monthly quarterly family ally assembly rally")  # "the Al-Watan daily"
#: Verb frames: object skipped ("told reporters ..."), "to" complement, that-clause only, naming.
OBJ_SKIP = _w("tell inform assure remind advise warn caution urge ask notify")
TO_LEMMAS = _w("vow pledge promise threaten urge ask agree demand appeal order advise propose caution warn call_on")
NAMING = _w("call dub label brand term describe characterize")
#: Documents that "say" what their issuer says ("the Council issued a statement calling ...").
DOCUMENTS = _w("statement statements letter report release memo tweet tweets post email video ad message")
#: Irregular past forms that end a speaker phrase as its verb ("Hamas won ..."); regular ones end in -ed.
PAST_IRREGULAR = _w("said told met made took gave won held kept left sent went came began became brought thought "
                    "found lost led ran stood put set built fought sought spent struck wrote drew chose broke")


@dataclass
class Frame:
    """A reported-speech frame (spans None when absent): ``cue`` (a verb, or the colon/dash of a
    quote) and its lexicon entry; ``speaker`` as written; ``appos`` ("a professor of ..."); ``via``
    ("X quoted Y as saying"); ``parts`` (reported content); ``how`` (the rule); the cue's index, and
    the index of the relaying cue ("Assad told ... that “...”, SANA reported": "reported"); the
    ``antecedent`` of a pronoun speaker when the text names it ("X scolded him: “...,” she said")."""

    cue: Span | None
    form: str = ""
    lemma: str = ""
    connotation: str = ""
    speaker: Span | None = None
    appos: Span | None = None
    via: Span | None = None
    parts: tuple[Span, ...] = ()
    how: str = ""
    cue_index: int = -1
    relay_index: int = -1
    antecedent: Span | None = None


def tokenize(norm: str, start: int, end: int) -> list[Tok]:
    """Tokens of ``norm[start:end]``, offsets in ``norm``.

    Tokens with the same text share one string and one set of flags, so a long paragraph costs
    its offsets and not a copy of every word.
    """
    out, facts = [], {}
    for m in TOKEN_RE.finditer(norm, start, end):
        t = m.group()
        known = facts.get(t)
        if known is None:
            low = t.lower()
            known = facts[t] = (t, low, t[:1].isalnum(), t[:1].isupper() or t[:1].isdigit(), t in ('"', "''"),
                                low.endswith("'s") or (low.endswith("s'") and len(low) > 2))
        out.append(Tok(m.start(), m.end(), *known))
    return out


def sentence_ranges(toks: Sequence[Tok], spans: Sequence[Span]) -> list[tuple[int, int]]:
    """Sentence character spans as ``(lo, hi)`` token index ranges."""
    starts = [t.start for t in toks]
    out = [(bisect.bisect_left(starts, s), bisect.bisect_left(starts, e)) for s, e in spans]
    return [(lo, hi) for lo, hi in out if lo < hi] or [(0, len(toks))]


_FIRST_WORDS: dict[int, tuple[Verbs, frozenset[str]]] = {}


def _first_words(verbs: Verbs) -> frozenset[str]:
    """First words of every verb form (cached per verbs mapping), to skip most tokens at once."""
    entry = _FIRST_WORDS.get(id(verbs))
    if entry is None or entry[0] is not verbs:
        entry = (verbs, frozenset(form.split(" ", 1)[0] for form in verbs))
        _FIRST_WORDS[id(verbs)] = entry
    return entry[1]


def match_cue(toks: Sequence[Tok], i: int, hi: int, verbs: Verbs) -> tuple[int, str] | None:
    """Longest verb form starting at token ``i`` (up to three words): ``(end index, form)``."""
    if i >= min(hi, len(toks)) or toks[i].low not in _first_words(verbs):
        return None
    forms = [(i + w, " ".join(t.low for t in toks[i:i + w])) for w in (3, 2, 1)
             if i + w <= hi and all(t.word for t in toks[i:i + w])]
    return next((f for f in forms if f[1] in verbs), None)


def _lemma(verbs: Verbs, form: str) -> str:
    return verbs[form][0].replace(" ", "_")


def _np_left(toks: Sequence[Tok], k: int, lo: int, verbs: Verbs, of: bool = True) -> tuple[int, int] | None:
    """Noun phrase whose head is token ``k``, walking left: token range or None (``of``: a phrase
    after "of"/"for" may be the complement of a head noun before it, "a spokesman for the group")."""
    if k >= lo and toks[k].text == ")":                     # "Rep. Gwen Moore (D-Wis.) said"
        k = next((m for m in range(k - 1, max(lo, k - 8) - 1, -1) if toks[m].text == "("), lo) - 1
    if k < lo or toks[k].low in SUBJ:
        return None if k < lo else (k, k)
    if (not (t := toks[k]).word or t.low in FUNCTION | DETS | TIME or t.poss or t.low in verbs or t.text.isdigit()
            or (t.low.endswith("ly") and t.low not in LY_NOUNS)):
        return None
    a, lower = k, 0
    while a - 1 >= lo and k - a < 10:
        p, q = toks[a - 1], toks[a - 2] if a >= 2 else None
        if q is not None and a - 2 >= lo and p.text in ".-" and p.start == q.end and (p.end == toks[a].start or (
                p.text == "." and (q.low in ABBREV or (len(q.text) == 1 and q.cap)))):
            a -= 1                                          # "G.K.", "Mr.", "Holtz-Eakin"
        elif not p.word or p.low in FUNCTION | TIME:
            break
        elif p.low in DETS:
            a -= 1
            break
        elif p.cap or p.low in PARTICLES or p.poss:
            a -= 1
        elif p.low not in verbs and p.low not in SUBJ and not p.low.endswith("ly") and lower < 4:
            a, lower = a - 1, lower + 1                     # "state news agency SANA"
        else:
            break
    if of and a - 2 >= lo and toks[a - 1].low in NP_PREPS and not toks[a].poss:
        head = _np_left(toks, a - 2, lo, verbs)             # "a spokesman for the group"
        a = head[0] if head is not None and toks[head[1]].low not in SUBJ else a
    return a, k


def _verb_after_noun(toks: Sequence[Tok], b: int) -> bool:
    """Is token ``b`` a past-tense verb following the head of a noun phrase ("Hamas signed", "the
    officials accused")? A phrase of a speaker is a noun phrase, never a verb; an -ed adjective comes
    after a determiner or an adverb ("a retired general", "the newly elected leader"), not after a noun."""
    t, prev = toks[b], toks[b - 1]
    if not t.word or t.cap or not prev.word or prev.poss or prev.low in DETS or prev.low.endswith("ly"):
        return False
    return t.low in PAST_IRREGULAR or (len(t.low) > 3 and t.low.endswith("ed") and "-" not in t.low)


def _np_right(toks: Sequence[Tok], k: int, hi: int, verbs: Verbs) -> tuple[int, int] | None:
    """Noun phrase starting at token ``k``, walking right: token range or None."""
    if k >= hi or toks[k].low in SUBJ | OBJ_PRON | TIME | FUNCTION:
        return (k, k) if k < hi and toks[k].low in SUBJ | OBJ_PRON else None
    b, words = k + (toks[k].low in DETS), 0
    while b < hi and b - k < 12:
        p = toks[b]
        if (p.word and p.low in SUBJ | OBJ_PRON) or (b > k and _verb_after_noun(toks, b)):
            break
        if p.word and p.low not in FUNCTION | DETS and p.low not in verbs:
            words += 1
        elif p.text == "(" and words:                       # "(D-N.C.)"
            b = next((m for m in range(b + 1, min(hi, b + 8)) if toks[m].text == ")"), hi)
        elif not ((p.text in ".-" and p.start == toks[b - 1].end and (p.text == "." or (
                b + 1 < hi and toks[b + 1].start == p.end)))
                  or (p.low in NP_PREPS and words and b + 1 < hi and (toks[b + 1].cap or toks[b + 1].low in DETS))
                  or (p.low in DETS and toks[b - 1].low in NP_PREPS)):
            break
        b += 1
    b = min(b, hi)
    while b > k and ((not toks[b - 1].word and toks[b - 1].text != ")") or toks[b - 1].low in NP_PREPS | DETS):
        b -= 1
    return (k, b - 1) if words else None


def _appos_right(toks: Sequence[Tok], b: int, hi: int) -> Span | None:
    """Span of an apposition after a phrase ending at token ``b`` (", a professor of ...")."""
    s = e = b + 2
    if s >= hi or toks[b + 1].text != "," or (toks[s].cap and toks[s].low not in ("a", "an", "the")):
        return None
    while e < hi and toks[e].text not in ",;.!?" and not toks[e].quote:
        e += 1
    return (toks[s].start, toks[e - 1].end) if e > s else None


def _span(toks: Sequence[Tok], r: tuple[int, int] | None) -> Span | None:
    return None if r is None else (toks[r[0]].start, toks[r[1]].end)


def _clause_subject(toks: Sequence[Tok], k: int, lo: int, verbs: Verbs) -> tuple[int, int] | None:
    """Nearest phrase left of token ``k`` that opens a clause ("I laughed and said")."""
    for j in range(k - 1, max(lo, k - 25) - 1, -1):
        t = toks[j]
        if not (j == lo or toks[j - 1].text in ",;:" or toks[j - 1].low in CLAUSE_OPENERS) or (
                not t.word or t.low in FUNCTION | TIME):
            continue
        r = (j, j) if t.low in SUBJ else _np_right(toks, j, k, verbs)
        if r is not None and (t.low in SUBJ or ((t.cap or t.low in DETS) and r[1] + 1 < k and toks[r[1] + 1].word)):
            return r
    return None


def _subject(toks: Sequence[Tok], i: int, lo: int, verbs: Verbs,
             prior: Sequence[Frame]) -> tuple[Frame | None, int]:
    """Speaker left of the cue at token ``i``: (frame without cue, index before the phrase)."""
    k, ing = i - 1, toks[i].low.endswith("ing")
    be = k >= lo and toks[k].low in BE
    while k >= lo and toks[k].low in AUX:
        k -= 1
    if k < lo or (be and not ing):                          # passive: "it was reported"
        return None, -1
    t = toks[k]
    if ing and t.poss and t.low[:-2] in SUBJ:              # "He's claiming": a contraction, not a possessive
        return Frame(None, speaker=(t.start, t.end - 2), how="pronoun"), k - 1
    if t.low in ("and", "but") or (ing and not be and k == i - 1 and not t.word):     # "and said", ", saying"
        same = [f for f in prior if f.speaker is not None and lo <= f.cue_index < i]
        if same:
            return Frame(None, speaker=same[-1].speaker, appos=same[-1].appos, via=same[-1].via, how="coordinated"), -1
        r = _clause_subject(toks, k, lo, verbs)
        return (Frame(None, speaker=_span(toks, r), how="clause subject"), -1) if r else (None, -1)
    if t.low == "as":                                       # "SANA quoted Assad as telling"
        r = _np_left(toks, k - 1, lo, verbs)
        m = match_cue(toks, r[0] - 1, i, verbs) if r is not None and r[0] > lo else None
        if m is None or _lemma(verbs, m[1]) not in ("quote", "cite"):
            return None, -1
        outer, _ = _subject(toks, r[0] - 1, lo, verbs, prior)
        return Frame(None, speaker=_span(toks, r), via=outer and outer.speaker, how="quoted as"), r[0] - 1
    appos = None
    if t.low in ("who", "that") and k - 1 >= lo:            # "Assad, who said"
        k -= 1 + (toks[k - 1].text == ",")
    elif t.text == ",":                                     # "Khalil al-Hayeh, who heads ..., called"
        m = next((m for m in range(k - 1, max(lo, k - 25) - 1, -1) if toks[m].text == ","), k)
        first, seg = toks[m + 1], toks[m + 1:k]
        short = k - m <= 6 and (any("-" in x.text or "." in x.text for x in seg) or first.text.isdigit())
        if m + 1 >= k or (first.cap and first.low not in ("a", "an", "the") and not (short or first.poss)):
            return None, -1                                 # ", R-Ky.," and ", 76," are appositions
        appos, k = (first.start, toks[k - 1].end), m - 1
    r = _np_left(toks, k, lo, verbs, of=not ing)            # "footage of Clinton asking": Clinton asks
    if (ing and r is not None and toks[r[1]].low in DOCUMENTS and r[0] - 2 >= lo and toks[r[0] - 1].word
            and toks[r[0] - 1].low not in FUNCTION | DETS and not toks[r[0] - 1].cap):
        issuer = _np_left(toks, r[0] - 2, lo, verbs)        # "the Council issued a statement calling"
        r = issuer if issuer is not None and toks[issuer[1]].low not in SUBJ else r
    if (r is not None and r[0] - 3 >= lo and toks[r[0] - 1].low in FUNCTION - NP_PREPS
            and toks[r[0] - 2].low.endswith("ing") and toks[r[0] - 2].low not in verbs):
        head = _np_left(toks, r[0] - 3, lo, verbs)          # "Protesters marching through the streets chanted"
        r = head if head is not None and toks[head[1]].low not in SUBJ else r
    while (r is not None and appos is not None and toks[r[0]].low in ("a", "an", "the") and r[0] - 2 >= lo
           and toks[r[0] - 1].text == ","):                 # "X, the attorney general of Y, one of ..., said"
        name = _np_left(toks, r[0] - 2, lo, verbs)
        if name is None or not toks[name[1]].cap or toks[name[0]].low in ("a", "an", "the"):
            break
        appos, r = (toks[r[0]].start, appos[1]), name
    how = "pronoun" if r is not None and toks[r[1]].low in SUBJ else "subject"
    return (Frame(None, speaker=_span(toks, r), appos=appos, how=how), r[0] - 1) if r else (None, -1)


def _cue_frame(base: Frame, toks: Sequence[Tok], i: int, end: int, form: str, verbs: Verbs) -> Frame:
    lemma, conn = verbs[form][:2]
    return Frame((toks[i].start, toks[end - 1].end), form, lemma, conn, base.speaker, base.appos, base.via,
                 (), base.how, i)


def attach_after(toks: Sequence[Tok], j: int, hi: int, verbs: Verbs) -> Frame | None:
    """Cue and speaker after a closing mark ("…,” X said", "said X", "according to X", "— X"):
    ``j`` is the first token after the mark, ``hi`` ends the window (sentence end or next quote)."""
    j += j < hi and toks[j].text == ","
    if j < hi and toks[j].text == "-":
        d = next((d for d in range(j, hi) if toks[d].text != "-"), hi)
        r = _np_right(toks, d, hi, verbs)
        if r is not None and toks[r[0]].cap and (r[1] + 1 >= hi or toks[r[1] + 1].text in ",.(;"):
            return Frame((toks[j].start, toks[d - 1].end), speaker=_span(toks, r), how="dash",
                         appos=_appos_right(toks, r[1], hi))
        return None
    m = match_cue(toks, j, hi, verbs)
    if m is not None:                                       # "said Fawaz Gerges, a professor ..."
        r = _np_right(toks, m[0], hi, verbs)
        how = "according to" if _lemma(verbs, m[1]) == "according_to" else "inverted"
        base = r and Frame(None, speaker=_span(toks, r), appos=_appos_right(toks, r[1], hi), how=how)
        return _cue_frame(base, toks, j, m[0], m[1], verbs) if base else None
    for i in range(j + 1, min(hi, j + 30)):
        m = match_cue(toks, i, hi, verbs)
        if toks[i].quote or m is not None:
            base, before = _subject(toks, i, j, verbs, ()) if m else (None, -1)
            return _cue_frame(base, toks, i, m[0], m[1], verbs) if base and before == j - 1 else None
    return None


def attach_before(toks: Sequence[Tok], lo: int, q: int, verbs: Verbs, prior: Sequence[Frame] = ()) -> Frame | None:
    """Cue and speaker before an opening mark at token ``q`` ("X said: “", "X added, “", "Said Ellis:
    “", "X said that “", "Hamas: “"); ``lo`` starts the window."""
    for i in range(q - 1, max(lo, q - 9) - 1, -1):
        m = match_cue(toks, i, q, verbs)
        if m is None:
            continue
        between = toks[m[0]:q]
        if (between and between[-1].low not in (",", ":", "that")) or any(not t.word for t in between[:-1]):
            return None
        base, _ = (None, -1) if _lemma(verbs, m[1]) == "according_to" else _subject(toks, i, lo, verbs, prior)
        r = _np_right(toks, m[0], q, verbs) if base is None and (i == lo or _lemma(verbs, m[1]) == "according_to") else None
        if r is not None and r[1] + 2 >= q:                 # "Said Ellis: “", "According to X, “"
            base = Frame(None, speaker=_span(toks, r), how="inverted")
        return _cue_frame(base, toks, i, m[0], m[1], verbs) if base is not None else None
    names = toks[lo:q - 1]
    if q - 1 > lo and toks[q - 1].text == ":" and len(names) <= 5 and names[0].cap and all(
            t.cap or t.low in PARTICLES or t.text in ".-" for t in names):
        return Frame((toks[q - 1].start, toks[q - 1].end), speaker=(names[0].start, names[-1].end), how="colon")
    if q - 2 > lo and toks[q - 1].text == ":":            # "Sanders made the following comment: “...”"
        starts = [lo] + [k + 1 for k in range(lo, q - 2) if toks[k].text == "," or toks[k].low == "that"]
        for a in reversed(starts):                          # the last clause: "Worried ..., Obama is ...:"
            if (not (toks[a].cap or toks[a].low in SUBJ | {"the", "a", "an"}) or toks[a].low in FUNCTION
                    or toks[a].low.endswith(("ed", "ing"))):
                continue
            r = _np_right(toks, a, q - 1, verbs)
            if r is not None and r[1] + 2 < q and toks[r[1] + 1].word and toks[r[1] + 1].low not in FUNCTION - AUX:
                return Frame((toks[q - 1].start, toks[q - 1].end), speaker=_span(toks, r), how="colon introduction")
    return None


def _clause_only(verbs: Verbs, form: str) -> bool:
    """Does the verb report speech only with a that-clause or a quotation (complement "clause")?"""
    entry = verbs[form]
    return len(entry) > 2 and entry[2] == "clause"


def _content_start(toks: Sequence[Tok], j: int, hi: int, lemma: str, verbs: Verbs,
                   clause_only: bool = False) -> int | str:
    """Token where the clause reported by a cue ending at ``j`` starts, or "end", "comma", "none"
    (``clause_only``: only a that-clause or a quotation counts)."""
    reach = 11 if j < hi and toks[j].low in ADV_PREPS else 7  # "said during a rally in Michigan that"
    for k in range(j, min(hi, j + reach)):                  # "said on Tuesday that", "told X that"
        if toks[k].low == "that" and k + 1 < hi:
            return k + 1
        if not toks[k].word:
            break
    r = _np_right(toks, j, hi, verbs) if lemma in OBJ_SKIP else None
    if r is not None and r[1] - r[0] < 4 and not (lemma in TO_LEMMAS and r[1] + 1 < hi and toks[r[1] + 1].low == "to"):
        j = r[1] + 1                                        # "told reporters ..."
    while j < hi and toks[j].low in TIME | ADV_PREPS:       # "said Tuesday", "said in a statement"
        if toks[j].low in TIME:
            j += 1
            continue
        j = next((k for k in range(j + 2, min(hi, j + 5) + 1) if k == hi or toks[k].text in ",.;:!?"
                  or toks[k].low in DETS | SUBJ or toks[k].quote), -1)
        if j < 0:
            return "none"
        if j == hi or toks[j].text not in ",.;:!?":
            break
    if j >= hi or toks[j].text in ".!?;":
        return "end"
    t = toks[j]
    if t.text in ",:":
        return "comma" if t.text == "," else (j + 1 if j + 1 < hi else "end")
    if clause_only:                                         # "maintained their relations": not speech
        return j if t.quote else "none"
    if t.quote or t.cap or t.low in DETS | SUBJ | STARTERS or (t.low in ("to", "not") and lemma in TO_LEMMAS):
        return j
    return j if t.word and t.low not in FUNCTION | OBJ_PRON and t.low not in verbs else "none"


def _trim(toks: Sequence[Tok], a: int, b: int) -> Span | None:
    """Span of tokens a..b-1 without edge punctuation; None under two words."""
    while b > a and toks[b - 1].text in ",;:.-":
        b -= 1
    while a < b and toks[a].text in ",;:-":
        a += 1
    return (toks[a].start, toks[b - 1].end) if sum(t.word for t in toks[a:b]) >= 2 else None


def _tense(form: str) -> str:
    """Rough tense of a verb form: "past", "ing", "s" (third person) or "base"."""
    last = form.split()[0]
    if last in PAST_IRREGULAR or last.endswith("ed"):
        return "past"
    return "ing" if last.endswith("ing") else "s" if last.endswith("s") else "base"


def _next_cue(toks: Sequence[Tok], j: int, hi: int, verbs: Verbs, tense: str, limit: int = 5) -> bool:
    """Does a speech verb of the same tense follow within ``limit`` tokens of ``j``, with only a
    short subject and adverbs between ("but he said", ", Ham also noted", "and the mayor added")?"""
    for k in range(j, min(hi, j + limit)):
        t = toks[k]
        if not t.word or t.quote or t.low == "that":
            return False
        m = match_cue(toks, k, hi, verbs)
        if m is not None:                                   # a subject first; "were informed" is passive
            subject = [x for x in toks[j:k] if x.low not in AUX]
            return bool(subject) and _tense(m[1]) == tense and toks[k - 1].low not in DETS | BE
        if t.low in ("of", "for") and k > j and k + 1 < hi and toks[k + 1].cap:
            continue                                        # ", the Association of Flight Attendants called"
        if t.low in FUNCTION - AUX - {"that"} and t.low not in ("who",):
            return False
    return False


def _clause_end(toks: Sequence[Tok], a: int, hi: int, verbs: Verbs, in_quote: Callable[[int], bool],
                form: str = "said") -> int:
    """End of a reported clause starting at ``a``: before ";", ", adding", "and said", a new
    speaker with a speech verb of the same tense (", Ham also noted", "but he said"), or ``hi``."""
    tense = _tense(form)
    for k in range(a, hi):
        t = toks[k]
        if in_quote(t.start):
            continue
        if t.text == ";" or (t.text == "," and k + 1 < hi and (toks[k + 1].low == "according" or (
                toks[k + 1].low.endswith("ing") and match_cue(toks, k + 1, hi, verbs)))):
            return k
        if t.low in ("and", "but"):
            j = next((j for j in range(k + 1, hi) if toks[j].low not in AUX), hi)
            m = match_cue(toks, j, hi, verbs) if j < hi else None
            if m is not None and _tense(m[1]) in (tense, "ing"):
                return k
            if _next_cue(toks, k + 1, hi, verbs, tense):
                return k
        if t.text == "," and k > a and _next_cue(toks, k + 1, hi, verbs, tense, limit=8):
            for c in range(k - 1, max(a, k - 12), -1):      # "..., and when asked about X, the minister replied"
                if toks[c].text == "," and c + 2 < k and toks[c + 1].low in ("and", "but") and toks[c + 2].low in (
                        "when", "while", "after", "before", "if", "asked", "pressed"):
                    return c
            return k
        if t.text == "-" and k > a and _gloss(toks, k + 1, hi):
            return k
    return hi


#: Words that open the writer's own gloss after a dash ("— an apparent reference to ...").
GLOSS_OPENERS = _w("apparently presumably seemingly possibly probably likely referring alluding")
GLOSS_NOUNS = _w("apparent clear veiled thinly oblique likely possible reference allusion nod swipe jab dig")


def _gloss(toks: Sequence[Tok], j: int, hi: int) -> bool:
    """Does a dash at ``j - 1`` open the writer's gloss on the reported words rather than more of
    them ("Al-Watan says ... faction — an apparent reference to Mashaal")?"""
    while j < hi and toks[j].text == "-":
        j += 1
    if j >= hi:
        return False
    if toks[j].low in GLOSS_OPENERS:
        return True
    return toks[j].low in ("a", "an") and j + 1 < hi and toks[j + 1].low in GLOSS_NOUNS


def find_reported(toks: Sequence[Tok], sents: Sequence[tuple[int, int]], verbs: Verbs, *,
                  in_quote: Callable[[int], bool], used: set[int], prior: Sequence[Frame] = ()) -> list[Frame]:
    """Reported speech in one paragraph (tokens, sentence token ranges): frames with content.
    Cues inside quoted content (``in_quote``) or already ``used`` by direct quotes are skipped;
    ``prior`` frames of the paragraph's quotes give the speaker of "and said", ", adding"."""
    out: list[Frame] = []
    prior = sorted(prior, key=lambda f: f.cue_index)
    prior_at = [f.cue_index for f in prior]
    for lo, hi in sents:                                    # frames of other sentences never matter:
        here: list[Frame] = []                              # linear in the paragraph
        before_here = prior[bisect.bisect_left(prior_at, lo):bisect.bisect_left(prior_at, hi)]
        i = lo
        while i < hi:
            m = match_cue(toks, i, hi, verbs)
            if m is None or i in used or in_quote(toks[i].start):
                i += 1
                continue
            nested = any(a <= toks[i].start < b for f in here for a, b in f.parts)
            local = sorted([*before_here, *here], key=lambda f: f.cue_index)
            frame = None
            if not nested or verbs[m[1]][1] == "neutral":    # not "... protests demand that ..."
                frame = _reported(toks, i, m, lo, hi, verbs, in_quote, local)
                here += [frame] if frame is not None else []
            i = max(m[0], frame.cue_index + 1 if frame is not None else 0)
        out += here
    return out


def _reported(toks, i, m, lo, hi, verbs, in_quote, local) -> Frame | None:
    """The frame of the cue at token ``i`` (``m`` its match), or None."""
    end, form = m
    lemma, clause = _lemma(verbs, form), lambda a: _trim(toks, a, _clause_end(toks, a, hi, verbs, in_quote, form))
    if lemma == "according_to":
        r = _np_right(toks, end, hi, verbs)
        frame = r and _cue_frame(Frame(None, speaker=_span(toks, r), how="according to"), toks, i, end, form, verbs)
        if frame and (i == lo or toks[i - 1].text == "," or (i == lo + 1 and toks[lo].low in ("but", "and"))):
            return _with(frame, _trim(toks, lo, i), clause(r[1] + 1 + (r[1] + 1 < hi and toks[r[1] + 1].text == ",")))
        return frame and _with(frame, _trim(toks, lo, i))
    base, before = _subject(toks, i, lo, verbs, local)
    if base is None:                                        # "..., said X."
        r = _np_right(toks, end, hi, verbs) if i - 1 > lo and toks[i - 1].text == "," else None
        if r is None or not (r[1] + 1 >= hi or toks[r[1] + 1].text in ",.!?;"):
            return None
        base = Frame(None, speaker=_span(toks, r), appos=_appos_right(toks, r[1], hi), how="inverted")
        return _with(_cue_frame(base, toks, i, end, form, verbs), _trim(toks, lo, i - 1))
    if lemma in NAMING and before >= lo and toks[before].low in ("a", "an", "the") and not any(
            toks[x].cap for x in range(before, i)):         # "a group called Hamas"
        return None
    frame = _cue_frame(base, toks, i, end, form, verbs)
    r = _np_right(toks, end, hi, verbs) if lemma in ("quote", "cite") and base.how != "quoted as" else None
    m2 = match_cue(toks, r[1] + 2, hi, verbs) if r and r[1] + 2 < hi and toks[r[1] + 1].low == "as" else None
    if m2 is not None:                                      # "SANA quoted Assad as telling ..."
        frame = _cue_frame(Frame(None, speaker=_span(toks, r), via=base.speaker, how="quoted as"),
                           toks, r[1] + 2, m2[0], m2[1], verbs)
        end, lemma, form = m2[0], _lemma(verbs, m2[1]), m2[1]
    start = _content_start(toks, end, hi, lemma, verbs, _clause_only(verbs, form))
    comma_before = before >= lo and toks[before].text == ","
    if isinstance(start, int):                              # "X said (that) ..."
        return _with(frame, clause(start))
    if start == "end" and comma_before:                     # "..., X said."
        return _with(frame, _trim(toks, lo, before))
    if start == "comma" and comma_before:                   # "A, X said, B."
        return _with(frame, _trim(toks, lo, before), clause(next(k for k in range(end, hi) if toks[k].text == ",") + 1))
    return None


def _with(frame: Frame, *parts: Span | None) -> Frame | None:
    frame.parts = tuple(p for p in parts if p)
    return frame if frame.parts else None
