"""framing: measure how news outlets frame the same events.

The path a corpus walks, one subpackage a step: read (:mod:`framing.read`) -> clean and segment
(:mod:`framing.text`) -> extract (:mod:`framing.extract`, with the lexicon of
:mod:`framing.lexicon`) -> aggregate and compare (:mod:`framing.stats`) -> cross-document steps
(:mod:`framing.crossdoc`) -> export (:mod:`framing.output`). ``framing.analyze`` runs all of it;
:mod:`framing.tables` is the contract of the tables it returns.

Importing ``framing`` stays light: scikit-learn, SciPy and matplotlib load when first used
(``framing.FramingFeatures`` imports scikit-learn on first access).
"""

from framing.analysis import Analysis, analyze
from framing.lexicon.load import LexiconError, load_lexicon
from framing.options import CrossDocOptions, StatsOptions
from framing.read.corpus import InputError, iter_articles, read_articles
from framing.record import Article

__version__ = "0.1.0"

__all__ = [
    "Analysis",
    "Article",
    "CrossDocOptions",
    "FramingFeatures",
    "InputError",
    "LexiconError",
    "StatsOptions",
    "analyze",
    "iter_articles",
    "load_lexicon",
    "read_articles",
    "__version__",
]


def __getattr__(name: str):
    # the scikit-learn transformer loads scikit-learn, so it is imported on first use
    if name == "FramingFeatures":
        from framing.features import FramingFeatures

        return FramingFeatures
    raise AttributeError(f"module 'framing' has no attribute {name!r}")
