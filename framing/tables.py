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
    "COLUMN_LABELS",
    "column_label",
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
        step: The step that makes it: ``read``, ``extract``, ``stats``, ``crossdoc``, or ``agree``
            (``framing agree``, from hand-coded sheets, not part of a run).
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
        "id", "outlet", "story", "title", "date", "source", "url", "author", "html_sha256", "status",
        "error", "warnings",
        "n_words", "n_sentences", "n_paragraphs", "n_removed"), "read"),
    Table("mentions", "entity mention", _KEYS + (
        "entity", "surface", "variant", "label_set", "label", "label_surface", "start", "end",
        "label_start", "label_end", "anaphora", "compound", "quoted", "sentence", "attachment",
        "note", "extra_labels"), "extract"),
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
    Table("descriptors", "outlet × actor × descriptor", (
        "outlet", "entity", "descriptor", "kind", "n", "n_mentions", "share", "log_odds", "z",
        "n_articles", "first_article", "first_start", "note"), "crossdoc",
        "Descriptors attached to each actor per outlet (premodifiers, titles, heads, appositives; "
        "none = no descriptor): share of the actor's mentions and weighted log-odds z against the "
        "other outlets."),
    Table("agreement", "coded variable × comparison (coder vs tool, coders)", (
        "variable", "comparison", "level", "n_units", "n_coders", "alpha", "ci_low", "ci_high",
        "p_below_min", "percent_agreement", "note"), "agree",
        "Agreement with hand coding: Krippendorff's alpha with a 95% bootstrap interval (Hayes & "
        "Krippendorff 2007), share of resamples below 0.667, percent agreement and pairable units."),
    Table("agreement_categories", "coded variable × coder × category", (
        "variable", "coder", "category", "n_coder", "n_tool", "true_positive", "precision", "recall",
        "f1"), "agree",
        "The tool against each coder per category: precision, recall and F1 (the coder as reference)."),
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


# Variable labels for statistics packages (Stata allows 80 characters): what a column holds, the
# same in every table unless a table gives its own (``(table, column)`` keys win).
# fmt: off
COLUMN_LABELS: dict[str | tuple[str, str], str] = {
    "id": "Article id", "article_id": "Article id", "outlet": "Publishing outlet",
    "story": "Story (same event) id", "title": "Headline", "date": "Publication date (as given)",
    "source": "Input file and line of the record", "url": "URL of the article",
    "author": "Author(s) as the page declares them", "html_sha256": "SHA-256 of the raw HTML page",
    "status": "Record status: ok or error", "error": "Why the record failed", "warnings": "Non-fatal notes on reading",
    "n_words": "Words in kept paragraphs", "n_sentences": "Sentences", "n_paragraphs": "Kept paragraphs",
    "n_removed": "Boilerplate spans removed",
    "entity": "Entity (canonical name)", "surface": "Text of the mention as written", "variant": "Spelling variant",
    "label_set": "Label set of the descriptor", "label": "Descriptor attached (empty = none)",
    "label_surface": "Descriptor as written", "start": "Start offset in the original text",
    "end": "End offset in the original text (exclusive)", "label_start": "Start offset of the descriptor",
    "label_end": "End offset of the descriptor", "anaphora": "Mention is an anaphor (1 = yes)",
    "compound": "Descriptor in a compound such as pro-government (1 = yes)",
    "quoted": "Mention inside a quotation (1 = yes)", "sentence": "Sentence index in the article",
    "attachment": "How the descriptor attaches to the mention", "extra_labels": "Further descriptors attached",
    "kind": "Kind", "content": "Quoted content", "cue": "Attribution verb", "cue_start": "Start offset of the cue",
    "cue_end": "End offset of the cue", "speaker": "Speaker (resolved name)", "speaker_surface": "Speaker as written",
    "speaker_start": "Start offset of the speaker", "speaker_end": "End offset of the speaker",
    "voice": "Voice group the speaker belongs to", "connotation": "Connotation of the attribution verb",
    "position": "Position of the quote in the article", "note": "Note on the row",
    "group": "Quote group (one quotation split by its cue)", "nested": "Quote nested in another (1 = yes)",
    "via": "Intermediary that relayed the quote", ("removed", "rule"): "Boilerplate rule that removed the span",
    ("removed", "text"): "Exact text removed", "n": "Count", "mean": "Mean", "sd": "Standard deviation",
    "median": "Median", "ci_low": "Lower bound of the 95% interval", "ci_high": "Upper bound of the 95% interval",
    "feature": "Feature (family.feature)", "share": "Share", "n_mentions": "Mentions", "n_articles": "Articles",
    "wilson_low": "Lower bound of the Wilson interval (mentions)", "wilson_high": "Upper bound of the Wilson interval (mentions)",
    "n_quotes": "Quotes", "quoted_words": "Quoted words", "share_words": "Share of quoted words",
    "outlet_a": "First outlet of the pair", "outlet_b": "Second outlet (or rest)", "estimate": "Estimate",
    "effect": "Effect size", "effect_kind": "Kind of effect size", "test": "Test", "p": "p value",
    "q": "Benjamini-Hochberg q value", "n_a": "Units of the first outlet", "n_b": "Units of the second outlet",
    "unit": "Unit of analysis", "family": "Feature family", "articles_a": "Articles of the first outlet",
    "articles_b": "Articles of the second outlet", "net_stance": "Net stance (mean p_pos - p_neg)",
    "p_neg": "Probability of negative stance", "p_neu": "Probability of neutral stance",
    "p_pos": "Probability of positive stance", ("stance", "label"): "Most probable stance",
    ("entity_sentiment", "n_sentences"): "Sentences naming the entity", "mean_compound": "Mean VADER compound score",
    "article_a": "Article of the first outlet", "article_b": "Article of the second outlet",
    "a_text": "Text in the first outlet's version", "b_text": "Text in the second outlet's version",
    "a_start": "Start offset in the first article", "a_end": "End offset in the first article",
    "b_start": "Start offset in the second article", "b_end": "End offset in the second article",
    "sentence_a": "Sentence index in the first article", "sentence_b": "Sentence index in the second article",
    "similarity": "Similarity of the aligned sentences", "lexicon": "Lexicon entry that knows the edit",
    "rank": "Rank", "n_stories": "Stories", "n_article_pairs": "Article pairs",
    "candidate": "Candidate edit not in the lexicon (1 = yes)", "term": "Term",
    "log_odds": "Weighted log-odds (informative Dirichlet prior)", "z": "z score of the log-odds",
    "count_outlet": "Count in the outlet", "count_rest": "Count in the other outlets",
    "design": "Comparison design (all pairs, one vs rest, chosen pairs, groups)",
    "descriptor": "Descriptor attached to the actor", "first_article": "Article of its first use",
    "first_start": "Start offset of its first use",
    "variable": "Coded variable", "comparison": "Who is compared (coder vs tool, coders)",
    "level": "Level of measurement", "n_units": "Pairable units", "n_coders": "Coders in the comparison",
    "alpha": "Krippendorff's alpha", "p_below_min": "Share of bootstrap alphas below 0.667",
    "percent_agreement": "Percent agreement", "coder": "Coder", "category": "Category (code value)",
    "n_coder": "Units the coder put in the category", "n_tool": "Units the tool put in the category",
    "true_positive": "Units both put in the category", "precision": "Precision of the tool",
    "recall": "Recall of the tool", "f1": "F1 of the tool",
}
# fmt: on


def column_label(table: str, column: str) -> str:
    """A short description of ``column`` of ``table`` for statistics packages.

    ``(table, column)`` entries of :data:`COLUMN_LABELS` win over plain column entries; an
    article feature ``<family>.<feature>`` is described by its family and feature; any other
    column is labelled with its own name, so a renamed variable still shows where it came from.
    """
    label = COLUMN_LABELS.get((table, column)) or COLUMN_LABELS.get(column)
    if label:
        return label
    family, dot, feature = column.partition(".")
    if dot:
        return f"{feature} ({family})"
    return column
