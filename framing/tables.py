"""The table contract: every table's name, columns, row unit and caption, in output order.

Every producer takes its column order from here (extractors declare the columns they fill, the
statistics and cross-document steps build their frames with them) and the exports take their
captions and order from here, so a new table is one entry below plus the code that fills it. The
README's table list is checked against :data:`TABLES` by a test.

Long tables (``step == "extract"``) start with ``article_id`` and ``outlet``, which the pipeline
adds; :func:`row_columns` gives the columns an extractor fills. ``articles`` lists only its
leading columns: the ``<family>.<feature>`` columns follow, declared by the extractors.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "ARTICLE_COLUMNS",
    "LONG_TABLES",
    "SUMMARY_TABLES",
    "TABLES",
    "Table",
    "columns",
    "row_columns",
]


@dataclass(frozen=True)
class Table:
    """One table of a run.

    Attributes:
        name: File stem (``mentions`` -> ``mentions.csv``).
        unit: What one row is.
        columns: Column order (for ``articles``, the leading columns).
        step: The step that makes it: ``read``, ``extract``, ``stats`` or ``crossdoc``.
        caption: Caption of the Markdown/LaTeX version; tables with a caption are the summary
            tables a paper shows, also written as ``.md`` and ``.tex``.
    """

    name: str
    unit: str
    columns: tuple[str, ...]
    step: str
    caption: str = ""


_KEYS = ("article_id", "outlet")

# fmt: off
TABLES: dict[str, Table] = {t.name: t for t in (
    Table("articles", "input record (good or bad: `status`, `error`)", (
        "id", "outlet", "story", "title", "date", "source", "status", "error", "warnings",
        "n_words", "n_sentences", "n_paragraphs", "n_removed"), "read"),
    Table("mentions", "entity mention", _KEYS + (
        "entity", "surface", "variant", "label_set", "label", "label_surface", "start", "end",
        "label_start", "label_end", "anaphora", "compound", "quoted", "sentence", "attachment",
        "extra_labels"), "extract"),
    Table("quotes", "quotation", _KEYS + (
        "kind", "content", "start", "end", "cue", "cue_start", "cue_end", "speaker",
        "speaker_surface", "speaker_start", "speaker_end", "voice", "connotation", "n_words",
        "position", "note", "group", "nested", "via"), "extract"),
    Table("removed", "boilerplate span", ("article_id", "rule", "start", "end", "text"), "extract"),
    Table("entity_sentiment", "article × entity", _KEYS + ("entity", "n_sentences", "mean_compound"),
          "extract"),
    Table("stance", "entity mention", _KEYS + (
        "entity", "start", "end", "voice", "p_neg", "p_neu", "p_pos", "label"), "extract"),
    Table("outlet_summary", "outlet × feature", (
        "outlet", "feature", "n", "mean", "sd", "median", "ci_low", "ci_high", "note"), "stats",
        "Article features per outlet: mean, SD, median and 95% bootstrap interval over articles."),
    Table("label_choices", "outlet × entity × label", (
        "outlet", "entity", "label_set", "label", "n", "share", "ci_low", "ci_high", "n_mentions",
        "n_articles", "wilson_low", "wilson_high", "note"), "stats",
        "Descriptor attached to each entity per outlet (\"\" = none), with cluster-bootstrap "
        "intervals over articles."),
    Table("variants", "outlet × entity × variant", ("outlet", "entity", "variant", "n", "share"),
          "stats", "Spelling variants used for each entity per outlet."),
    Table("voices", "outlet × voice", (
        "outlet", "voice", "n_quotes", "quoted_words", "share_words", "ci_low", "ci_high",
        "n_articles", "note"), "stats",
        "Quoted voices per outlet: quotes, quoted words and share of quoted words."),
    Table("comparisons", "feature × outlet pair (and one-vs-rest)", (
        "feature", "outlet_a", "outlet_b", "design", "estimate", "effect", "effect_kind", "ci_low",
        "ci_high", "test", "p", "q", "n_a", "n_b", "unit", "note", "family", "articles_a",
        "articles_b"), "stats",
        "Outlet comparisons: estimate, effect size, interval, test, p and Benjamini-Hochberg q."),
    Table("stance_summary", "outlet × entity × voice", (
        "outlet", "entity", "voice", "n", "net_stance", "ci_low", "ci_high", "n_articles", "note"),
        "stats", "Net stance (mean p_pos - p_neg) toward each entity per outlet and voice."),
    Table("substitutions", "aligned edit between two outlets' versions of a story", (
        "story", "outlet_a", "outlet_b", "article_a", "article_b", "a_text", "b_text", "kind",
        "a_start", "a_end", "b_start", "b_end", "sentence_a", "sentence_b", "similarity", "lexicon"),
        "crossdoc"),
    Table("substitution_summary", "distinct edit × outlet pair", (
        "outlet_a", "outlet_b", "rank", "kind", "a_text", "b_text", "n", "n_stories",
        "n_article_pairs", "lexicon", "candidate", "article_a", "a_start", "a_end", "article_b",
        "b_start", "b_end"), "crossdoc",
        "Word substitutions between outlets' versions of the same story."),
    Table("distinctive_terms", "outlet × term", (
        "outlet", "term", "log_odds", "z", "count_outlet", "count_rest"), "crossdoc",
        "Distinctive terms per outlet: weighted log-odds with informative Dirichlet prior."),
)}
# fmt: on

#: Leading columns of ``articles``; feature columns ``<family>.<feature>`` follow.
ARTICLE_COLUMNS = TABLES["articles"].columns
#: Long tables in output order (extractors may add more, which follow these).
LONG_TABLES = tuple(n for n, t in TABLES.items() if t.step == "extract")
#: Tables also written as Markdown and LaTeX, name -> caption.
SUMMARY_TABLES = {n: t.caption for n, t in TABLES.items() if t.caption}


def columns(name: str) -> tuple[str, ...]:
    """Column order of table ``name``.

    Raises:
        KeyError: ``name`` is not in the contract.
    """
    try:
        return TABLES[name].columns
    except KeyError:
        raise KeyError(f"no table {name!r} in the contract; tables: {', '.join(TABLES)}") from None


def row_columns(name: str) -> tuple[str, ...]:
    """The columns an extractor fills in a long table: :func:`columns` without the keys the
    pipeline adds (``article_id``, ``outlet``)."""
    return tuple(c for c in columns(name) if c not in _KEYS)
