"""Speakers: a speaker mention as written ("he", "Mr. Steele", "the Al-Watan daily") resolved to a
name and a voice group, through the lexicon, role nouns and the speakers met earlier in the text.

:class:`Speakers` is used by :mod:`framing.extract.quotes` once per article, in text order, so a
pronoun can look back at the persons named before it.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Mapping

from framing.extract.attribution import SUBJ

__all__ = ["ROLE_VOICES", "PRONOUN_LOOKBACK", "Resolve", "Find", "Speakers"]

Span = tuple[int, int]
#: Exact look-up ``surface -> (name, voice[, type])`` / entities in a span ``(norm, start, end) ->
#: [(start, end, name, voice[, type[, kind]])]``, kind "name" (default) or "adjective" ("Israeli").
Resolve = Callable[[str], "tuple | None"]
Find = Callable[[str, int, int], "list[tuple]"]

#: Role nouns that place a speaker the lexicon does not know in a voice group.
ROLE_VOICES: dict[str, str] = {w: "analysts" for w in (
    "analyst analysts expert experts professor scholar researcher researchers fellow lecturer commentator "
    "historian economist economists academic observer observers").split()}
PRONOUN_LOOKBACK = 200   # earlier mentions a pronoun speaker looks back over
_NAME = re.compile(r"(?:[A-Z]|(?:al|el|bin|ibn|abu|abd)-[A-Z])[\w'.-]*")
_ORG_WORDS = frozenset("times post news agency party campaign committee council court ministry department "
                       "office university institute center centre association union group foundation network "
                       "journal daily press bank house administration government army forces police board "
                       "commission company".split())


class Speakers:
    """Resolves speaker mentions to (name, voice, note) in text order, remembering them for pronouns."""

    def __init__(self, text: str, norm: str, resolve: Resolve | None, find: Find | None,
                 roles: Mapping[str, str], in_quote: Callable[[int], bool]):
        self.text, self.norm, self.resolve, self.find, self.roles = text, norm, resolve, find, roles
        # persons the lexicon finds (by position), then the speakers as they are resolved (in text
        # order): both sorted, so a pronoun looks back from its own position
        self.found = sorted((h[0], h[2], h[3], True, text[h[0]:h[1]]) for h in (find(norm, 0, len(norm)) if find else ())
                            if len(h) > 4 and str(h[4]) == "person" and not in_quote(h[0]))
        self.history: list[tuple] = []
        self._at = ([h[0] for h in self.found], [])

    def _remember(self, entry: tuple) -> None:
        self.history.append(entry)
        self._at[1].append(entry[0])

    def _antecedent(self, s: int, low: str) -> tuple | None:
        """The latest mention before ``s`` a pronoun can refer to, looking back over at most
        :data:`PRONOUN_LOOKBACK` mentions of each list (so linear in the text)."""
        def fits(h: tuple) -> bool:
            return h[3] == (low in ("he", "she")) and not (
                (low == "he" and h[4][:3].lower() in ("mrs", "ms.")) or (low == "she" and h[4][:3].lower() == "mr."))

        best = None
        for entries, at in ((self.found, self._at[0]), (self.history, self._at[1])):
            k = bisect.bisect_left(at, s) - 1
            hit = next((entries[j] for j in range(k, max(-1, k - PRONOUN_LOOKBACK), -1) if fits(entries[j])), None)
            if hit is not None and (best is None or hit[0] > best[0]):
                best = hit
        return best

    def entity(self, s: int, e: int, kind: str = "name") -> tuple[str, str, bool] | None:
        """The span as a lexicon variant, else the last entity of ``kind`` in it (the head)."""
        hits = [self.resolve(self.text[s:e])] if self.resolve and kind == "name" else []
        if self.find is not None:
            hits += [h[2:5] for h in sorted(self.find(self.norm, s, e), key=lambda h: (h[1], h[1] - h[0]), reverse=True)
                     if (h[5] if len(h) > 5 else "name") == kind]
        elif self.resolve and kind == "name":
            hits += [self.resolve(w) for w in reversed(self.norm[s:e].split())]
        hit = next((h for h in hits if h), None)
        return (hit[0], hit[1], len(hit) > 2 and str(hit[2]) == "person") if hit else None

    def _named(self, s: int, e: int, appos: Span | None) -> tuple[str, str, bool]:
        surface, words = self.text[s:e], re.sub(r"\([^)]*\)", " ", self.norm[s:e]).split()
        hit = self.entity(s, e) or self.entity(s, e, "adjective")          # "Israeli officials"
        role = next((self.roles[w.lower()] for w in words if w.lower() in self.roles), "")
        if appos is not None:                                                 # "X, a spokesman for Hamas"
            role = next((self.roles[w] for w in self.norm[slice(*appos)].lower().split() if w in self.roles), role)
            a_hit = self.entity(*appos) or self.entity(*appos, "adjective")
            if not (hit and hit[1]) and a_hit and a_hit[1] and not role:
                return (hit[0] if hit else surface), a_hit[1], True
        if hit and hit[1]:
            return hit
        person = hit[2] if hit else bool(words) and words[0].lower() not in ("the", "a", "an") and all(
            _NAME.match(w) for w in words) and not _ORG_WORDS & {w.lower().strip(".,") for w in words}
        return (hit[0] if hit else surface), role or "other", person

    def speaker(self, s: int, e: int, appos: Span | None, antecedent: Span | None = None) -> tuple[str, str, str]:
        """(speaker, voice, note); he/she look back for a person (titles respected), it/they a group;
        a pronoun whose ``antecedent`` the text gives ("X scolded him: “...,” she said") is that."""
        low = self.norm[s:e].lower()
        if low in SUBJ and antecedent is not None:
            name, voice, person = self._named(*antecedent, None)
            self._remember((s, name, voice, person, self.text[slice(*antecedent)]))
            return name, voice, f"pronoun resolved to {self.text[slice(*antecedent)]!r} at {antecedent[0]}, who introduces the quote"
        if low not in SUBJ:
            name, voice, person = self._named(s, e, appos)
            self._remember((s, name, voice, person, self.text[s:e]))
            return name, voice, ""
        hit = None if low in ("i", "we", "you") else self._antecedent(s, low)
        if hit is None:
            return self.text[s:e], "other", "pronoun not resolved"
        pos, name, voice, person, surf = hit
        self._remember((s, name, voice, person, surf))
        return name, voice, f"pronoun resolved to {surf!r} at {pos}"
