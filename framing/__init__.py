"""framing: measure how news outlets frame the same events.

The path a corpus walks: read (:mod:`framing.corpus`) -> clean (:mod:`framing.clean`) -> segment
(:mod:`framing.segment`) -> extract (:mod:`framing.extract`) -> aggregate and compare
(:mod:`framing.stats`) -> export (:mod:`framing.export`). ``framing.analyze`` runs all of it.
"""

from framing.analysis import Analysis, analyze
from framing.corpus import InputError, iter_articles, read_articles
from framing.features import FramingFeatures
from framing.lexicon import LexiconError, load_lexicon
from framing.record import Article

__version__ = "0.1.0"

__all__ = [
    "Analysis",
    "Article",
    "FramingFeatures",
    "InputError",
    "LexiconError",
    "analyze",
    "iter_articles",
    "load_lexicon",
    "read_articles",
    "__version__",
]
