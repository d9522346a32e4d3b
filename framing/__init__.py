"""framing: measure how news outlets frame the same events.

The path a corpus walks: read (:mod:`framing.read.corpus`) -> clean (:mod:`framing.text.clean`) -> segment
(:mod:`framing.text.segment`) -> extract (:mod:`framing.extract`) -> aggregate and compare
(:mod:`framing.stats.summaries`) -> export (:mod:`framing.output.export`). ``framing.analyze`` runs all of it.
"""

from framing.analysis import Analysis, analyze
from framing.read.corpus import InputError, iter_articles, read_articles
from framing.features import FramingFeatures
from framing.lexicon.load import LexiconError, load_lexicon
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
