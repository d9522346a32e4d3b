"""Command line: ``framing analyze``, ``framing discover``, ``framing sample``, ``framing agree``,
``framing lexicon check|suggest``, ``framing stance train``.

Errors a user can fix (a missing input, a bad lexicon line) print one line on stderr and exit 2,
never a traceback. Records that fail are reported in ``articles.csv`` and counted on stderr; the
run still exits 0.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from framing import __version__
from framing.analysis import analyze
from framing.extract.sentiment import unscored_terms
from framing.extract.stance.model import StanceModelError
from framing.extract.stance.train import train_stance_model
from framing.lexicon.discover import discover
from framing.lexicon.load import LexiconError, load_lexicon
from framing.lexicon.suggest import suggest_variants
from framing.options import CrossDocOptions, StatsOptions
from framing.output.audit import MAX_ARTICLES, AuditError
from framing.output.export import export_tables, for_display, round_frame, to_markdown
from framing.output.sheets import SampleError, write_sheets
from framing.output.statfiles import TABLE_FORMATS
from framing.read.columns import parse_columns
from framing.read.corpus import InputError, read_articles
from framing.stats.agreement import AgreementError, agreement_tables, read_key, read_sheets
from framing.stats.design import PAIRS_MAX, REST_MAX, DesignError

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="framing", description="Measure how news outlets frame the same events.")
    p.add_argument("--version", action="store_true", help="print the version and exit")
    sub = p.add_subparsers(dest="command")

    a = sub.add_parser("analyze", help="analyse a corpus and write the tables")
    a.add_argument("inputs", nargs="+",
                   help="folders of .txt/.html (+ manifest.csv), or .html/.jsonl/.csv/.parquet files")
    a.add_argument("--out", required=True, help="output folder")
    a.add_argument("--lexicons", action="append", default=None, metavar="DIR",
                   help="lexicon folder extending the shipped one (repeatable)")
    a.add_argument("--replace-lexicon", action="store_true",
                   help="use only --lexicons folders, not the shipped lexicon")
    a.add_argument("--extractors", default=None,
                   help="comma-separated extractor names (default: all)")
    a.add_argument("--jobs", type=int, default=0,
                   help="worker processes (default 0 = all cores; a corpus smaller than one round of "
                        "batches runs in this process)")
    a.add_argument("--engine", choices=("local", "dask"), default="local",
                   help="local processes, or Dask (needs the dask extra)")
    a.add_argument("--scheduler", default=None, metavar="ADDRESS",
                   help="Dask scheduler address (default: start a LocalCluster of --jobs workers)")
    a.add_argument("--batch-size", type=int, default=32, help="articles per worker task")
    a.add_argument("--seed", type=int, default=0, help="seed for bootstrap and permutation draws")
    a.add_argument("--bootstrap", type=int, default=1000, help="bootstrap resamples (default 1000)")
    a.add_argument("--compare", default=None, metavar="A,B,...",
                   help="compare only these outlets (or groups, with --outlet-groups) pair by pair")
    a.add_argument("--outlet-groups", default=None, metavar="FILE",
                   help="CSV of outlet,group: compare groups of outlets (articles stay the unit)")
    a.add_argument("--pairs-max", type=int, default=PAIRS_MAX, metavar="N",
                   help=f"every pair of outlets (groups) when there are at most N, else each against "
                        f"the rest (default {PAIRS_MAX})")
    a.add_argument("--rest-max", type=int, default=REST_MAX, metavar="N",
                   help=f"above --pairs-max, each outlet (group) against the rest when there are at most N, "
                        f"else only the N with the most articles, plus one across-outlets row per measure; "
                        f"0 = every outlet (default {REST_MAX})")
    a.add_argument("--format", default="csv", metavar="LIST",
                   help="formats of the tables, comma-separated: csv, parquet, dta (Stata), sav (SPSS); "
                        "default csv")
    a.add_argument("--columns", default=None, metavar="MAP",
                   help="column mapping for .jsonl/.csv/.parquet inputs, field=column,... (e.g. "
                        "id=stories_id,outlet=media_name,text=body); Media Cloud names need none")
    a.add_argument("--precision", type=int, default=3, help="decimals in Markdown/LaTeX tables")
    a.add_argument("--no-figures", action="store_true", help="do not write figures")
    a.add_argument("--no-audit", action="store_true", help="do not write the HTML audit report (OUT/audit/)")
    a.add_argument("--audit-stories", type=int, default=50, metavar="N",
                   help="audit pages for at most N stories, those with the most outlets first (default 50)")
    a.add_argument("--audit-articles", type=int, default=MAX_ARTICLES, metavar="N",
                   help=f"articles side by side on an audit story page at most, each outlet's first before "
                        f"any second; 0 = all (default {MAX_ARTICLES})")
    a.add_argument("--no-align", action="store_true",
                   help="skip same-story alignment (the substitutions tables)")
    a.add_argument("--no-distinctive", action="store_true", help="skip distinctive terms")
    a.add_argument("--stance-model", default=None, metavar="DIR",
                   help="stance model folder from 'framing stance train' (default: the shipped model)")
    a.add_argument("--distinctive-top", type=int, default=500, metavar="N",
                   help="distinctive terms kept per outlet, highest z first (0: all; default 500)")
    a.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="progress bar on stderr (default: when stderr is a terminal)")
    a.add_argument("--discover", action="store_true",
                   help="first draft a lexicon from the corpus (written to OUT/discovered), then analyse "
                        "with it and the other lexicons together")
    a.add_argument("--sample", type=int, default=None, metavar="N",
                   help="with --discover: discover from N articles (seeded by --seed; default all)")

    d = sub.add_parser("discover", help="draft a lexicon folder (actors, spellings, descriptors, voices) from a corpus")
    d.add_argument("inputs", nargs="+", help="folders of .txt + manifest.csv, or .jsonl/.csv/.parquet files")
    d.add_argument("--out", required=True, help="folder for the drafted lexicon")
    d.add_argument("--sample", type=int, default=None, metavar="N", help="discover from N articles (default all)")
    d.add_argument("--seed", type=int, default=0, help="seed of the sample")
    d.add_argument("--lexicons", action="append", default=None, metavar="DIR",
                   help="lexicon folder whose actors are known already (repeatable; beside the shipped one)")
    d.add_argument("--replace-lexicon", action="store_true",
                   help="the shipped lexicon's actors are not known: draft every actor")
    d.add_argument("--min-mentions", type=int, default=2, help="fewest mentions for an actor (default 2)")
    d.add_argument("--jobs", type=int, default=1, help="processes for the NER (0 = all cores; default 1: measured faster up to a few thousand articles, the model loads in each process)")
    d.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="progress bar on stderr (default: when stderr is a terminal)")

    sm = sub.add_parser("sample", help="draw a coding sample of a run's units (outlet-stratified, seeded)")
    sm.add_argument("run_dir", metavar="RUN_DIR", help="the --out folder of 'framing analyze'")
    sm.add_argument("--n", type=int, default=50, help="units per table (mentions, quotes, stance; default 50)")
    sm.add_argument("--out", required=True, metavar="SHEETS", help="folder for the sheets, key.csv and sheets.html")
    sm.add_argument("--seed", type=int, default=0, help="seed of the sample")
    sm.add_argument("--inputs", nargs="+", default=None,
                    help="the run's inputs, when the paths in RUN_DIR/manifest.json do not resolve from here")

    ag = sub.add_parser("agree", help="reliability of hand coding: Krippendorff's alpha against the tool")
    ag.add_argument("sheets", nargs="+", metavar="SHEET.csv", help="filled coding sheets (one or more per coder)")
    ag.add_argument("--key", default=None, metavar="KEY.csv",
                    help="the tool's answers (default: key.csv beside the first sheet, when present)")
    ag.add_argument("--out", default=None, metavar="DIR", help="also write the tables as CSV, Markdown and LaTeX")
    ag.add_argument("--bootstrap", type=int, default=1000, help="bootstrap resamples (default 1000)")
    ag.add_argument("--seed", type=int, default=0, help="seed of the bootstrap")
    ag.add_argument("--precision", type=int, default=3, help="decimals in the printed and Markdown/LaTeX tables")

    lx = sub.add_parser("lexicon", help="check or extend a lexicon")
    lsub = lx.add_subparsers(dest="lexicon_command", required=True)
    c = lsub.add_parser("check", help="validate lexicon files and report what VADER cannot see")
    c.add_argument("--lexicons", action="append", default=None, metavar="DIR")
    c.add_argument("--replace-lexicon", action="store_true")
    s = lsub.add_parser("suggest", help="list name forms that look like unlisted spellings")
    s.add_argument("inputs", nargs="+")
    s.add_argument("--lexicons", action="append", default=None, metavar="DIR")
    s.add_argument("--min-count", type=int, default=2)
    s.add_argument("--columns", default=None, metavar="MAP", help="column mapping, as for analyze")
    s.add_argument("--out", default=None, help="write the suggestions as CSV here (default: stdout)")

    st = sub.add_parser("stance", help="train the stance model")
    ssub = st.add_subparsers(dest="stance_command", required=True)
    t = ssub.add_parser("train", help="train from NewsMTSC-format JSONL")
    t.add_argument("--data", required=True, help="training JSONL (sentence_normalized, targets)")
    t.add_argument("--out", required=True, help="model folder to write")
    t.add_argument("--seed", type=int, default=0)
    return p


def _fail(message: str) -> int:
    sys.stderr.write(f"framing: error: {message}\n")
    return 2


def _formats(value: str) -> tuple[str, ...]:
    """The table formats of ``--format``; raises ValueError naming an unknown one."""
    chosen = tuple(dict.fromkeys(f.strip().lower() for f in value.split(",") if f.strip()))
    unknown = [f for f in chosen if f not in TABLE_FORMATS]
    if unknown or not chosen:
        raise ValueError(f"--format: unknown format {', '.join(unknown) or repr(value)} "
                         f"(choose from {', '.join(TABLE_FORMATS)})")
    return chosen


def _analyze(args: argparse.Namespace) -> int:
    try:
        table_formats = _formats(args.format)
        columns = parse_columns(args.columns)
    except ValueError as exc:
        return _fail(str(exc))
    jobs = (os.cpu_count() or 1) if args.jobs == 0 else args.jobs
    result = analyze(
        args.inputs,
        lexicons=args.lexicons,
        extend_lexicon=not args.replace_lexicon,
        extractors=args.extractors.split(",") if args.extractors else None,
        stance_model=args.stance_model,
        stats=StatsOptions(bootstrap=args.bootstrap, seed=args.seed, pairs_max=args.pairs_max,
                           rest_max=args.rest_max or None,
                           compare=tuple(c.strip() for c in args.compare.split(",")) if args.compare else None,
                           outlet_groups=args.outlet_groups),
        crossdoc=CrossDocOptions(align=not args.no_align, distinctive=not args.no_distinctive,
                                 distinctive_top=args.distinctive_top or None),
        jobs=jobs,
        batch_size=args.batch_size,
        engine=args.engine,
        scheduler=args.scheduler,
        progress=args.progress,
        columns=columns,
        discover=args.discover,
        discover_sample=args.sample,
        discover_dir=Path(args.out) / "discovered" if args.discover else None,
        seed=args.seed,
    )
    formats = (*table_formats, "md", "tex")
    result.export(args.out, formats=formats, precision=args.precision, figures=not args.no_figures,
                  audit=not args.no_audit, audit_stories=args.audit_stories,
                  audit_articles=args.audit_articles or None, progress=bool(args.progress))
    records = result.manifest["records"]
    sys.stderr.write(
        f"framing: {records['ok']} of {records['in']} records analysed; tables in {args.out}\n"
    )
    if records["error"]:
        sys.stderr.write(
            f"framing: {records['error']} of {records['in']} records failed; "
            f"see status and error in {Path(args.out) / 'articles.csv'}\n"
        )
    return 0


def _sample(args: argparse.Namespace) -> int:
    paths = write_sheets(args.run_dir, args.out, n=args.n, seed=args.seed, inputs=args.inputs)
    print(f"{len(paths)} files written to {args.out} (keep key.csv away from the coders)")
    return 0


def _agree(args: argparse.Namespace) -> int:
    key = Path(args.key) if args.key else Path(args.sheets[0]).parent / "key.csv"
    if args.key is None and not key.is_file():
        key = None
        sys.stderr.write("framing: no key.csv beside the sheets: coders are compared among themselves only\n")
    tables = agreement_tables(read_sheets(args.sheets), read_key(key) if key else None,
                              B=args.bootstrap, seed=args.seed)
    for name, table in tables.items():
        shown, notes = for_display(table)
        notes_text = "".join(f"[{i}] {n}\n" for i, n in enumerate(notes, 1))
        print(f"{name}:\n{to_markdown(round_frame(shown, args.precision), precision=args.precision)}{notes_text}")
    if args.out:
        export_tables(tables, args.out, precision=args.precision)
    return 0


def _discover(args: argparse.Namespace) -> int:
    found = discover(args.inputs, args.out, sample=args.sample, seed=args.seed, lexicons=args.lexicons,
                     extend=not args.replace_lexicon, min_mentions=args.min_mentions, progress=args.progress,
                     jobs=(os.cpu_count() or 1) if args.jobs == 0 else args.jobs)
    sys.stderr.write(f"framing: {found.facts['actors']} actors drafted from {found.facts['sample']['articles']} "
                     f"articles in {found.folder} (use it with --lexicons {found.folder})\n")
    return 0


def _lexicon_check(args: argparse.Namespace) -> int:
    lex = load_lexicon(args.lexicons, extend=not args.replace_lexicon)
    print(lex.describe())
    terms = sorted(set(lex.label_forms()))
    blind = unscored_terms(terms)
    if blind:
        print(f"VADER gives no valence to {len(blind)} of {len(terms)} label forms, so sentence "
              "sentiment cannot see these labelling choices:")
        print("  " + ", ".join(blind))
    return 0


def _lexicon_suggest(args: argparse.Namespace) -> int:
    lex = load_lexicon(args.lexicons)
    try:
        columns = parse_columns(args.columns)
    except ValueError as exc:
        return _fail(str(exc))
    table = suggest_variants(read_articles(args.inputs, columns=columns), lex, min_count=args.min_count)
    if args.out:
        table.to_csv(args.out, index=False, lineterminator="\n")
    else:
        print(table.to_string(index=False) if len(table) else "no suggestions")
    return 0


def _stance_train(args: argparse.Namespace) -> int:
    train_stance_model(args.data, args.out, seed=args.seed)
    print(f"model written to {args.out}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="framing: %(levelname)s: %(message)s")
    if args.version:
        print(__version__)
        return 0
    handlers = {
        "analyze": _analyze,
        "sample": _sample,
        "agree": _agree,
        "discover": _discover,
        ("lexicon", "check"): _lexicon_check,
        ("lexicon", "suggest"): _lexicon_suggest,
        ("stance", "train"): _stance_train,
    }
    key = args.command
    if key == "lexicon":
        key = ("lexicon", args.lexicon_command)
    elif key == "stance":
        key = ("stance", args.stance_command)
    if key not in handlers:
        _parser().print_help(sys.stderr)
        return 2
    try:
        return handlers[key](args)
    except (InputError, LexiconError, StanceModelError, AuditError, SampleError, AgreementError, DesignError,
            FileNotFoundError, ValueError) as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        return _fail("interrupted")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
