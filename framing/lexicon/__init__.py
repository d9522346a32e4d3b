"""Lexicon: load and validate the lexicon files (``file:line`` errors), one automaton, variant suggestions."""

from framing.lexicon.load import Lexicon, LexiconError, load_lexicon

__all__ = ["Lexicon", "LexiconError", "load_lexicon"]
