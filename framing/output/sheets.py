"""Coding sheets: a seeded, outlet-stratified sample of a run's units for hand coding.

``framing sample RUN_DIR --n N --out SHEETS/`` draws up to ``N`` units from each of the run's
``mentions`` (coded: entity and label), ``quotes`` (kind, speaker, voice) and ``stance`` (stance
toward the target entity) tables, spread evenly over the outlets (an outlet with fewer units gives
all it has and the rest go to the others). A unit is identified by its key ``(table, article_id,
start, end)``, written as ``unit_id = "table:article_id:start:end"``.

Written to ``SHEETS/``:

- ``sheet_<table>.csv``: one row per unit, in a seeded random order: the span, its context
  sentence with the span marked ``[[...]]``, the target (for stance), and empty ``code_<variable>``
  columns, ``coder`` and ``comment`` for the coder. The tool's answers are not in it.
- ``key.csv``: the tool's answers, one row per unit and variable (keep it away from the coders).
- ``sheets.html``: the same units to read, their context highlighted (static, escaped).

The sample depends only on the run's tables and the seed. The texts are read again from the
inputs recorded in the run's ``manifest.json`` (or those given), with the run's lexicon folders
for the sentence boundaries.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from framing.lexicon.load import load_lexicon
from framing.output.export import to_csv
from framing.read.corpus import iter_articles
from framing.text.segment import build_document

__all__ = ["CODE_VARIABLES", "SampleError", "draw_sample", "context_of", "run_inputs", "write_sheets"]

#: table -> (variable, column of the tool's answer, level of measurement)
CODE_VARIABLES: dict[str, tuple[tuple[str, str, str], ...]] = {
    "mentions": (("entity", "entity", "nominal"), ("label", "label", "nominal")),
    "quotes": (("kind", "kind", "nominal"), ("speaker", "speaker", "nominal"), ("voice", "voice", "nominal")),
    "stance": (("stance", "label", "ordinal"),),
}
#: Ordered values of the ordinal variables.
ORDINAL_VALUES = {"stance": ("negative", "neutral", "positive")}
#: What a coder writes when the answer is "nothing" (no descriptor, no speaker, no voice).
NONE = "none"

SHEET_COLUMNS = ("unit_id", "table", "article_id", "start", "end", "span", "context", "target")
KEY_COLUMNS = ("unit_id", "table", "article_id", "outlet", "start", "end", "variable", "value", "level")


class SampleError(ValueError):
    """The run folder cannot be sampled (a table or the inputs are missing)."""


def _read_table(run: Path, name: str) -> pd.DataFrame | None:
    if (run / f"{name}.csv").is_file():
        return pd.read_csv(run / f"{name}.csv", keep_default_na=False, dtype={"article_id": str}, low_memory=False)
    if (run / f"{name}.parquet").is_file():
        return pd.read_parquet(run / f"{name}.parquet")
    return None


def run_inputs(run_dir: str | Path) -> tuple[list[str], list[str] | None]:
    """The inputs and lexicon folders a run recorded in its ``manifest.json``.

    Parameters
    ----------
    run_dir : str or Path
        Output folder of ``framing analyze``.

    Returns
    -------
    (list of str, list of str or None)
        Input paths (a folder for ``.txt`` files read with its ``manifest.csv``) and the lexicon
        folders (None: the shipped lexicon).

    Raises
    ------
    SampleError
        No manifest, or an input it names is not found.
    """
    path = Path(run_dir) / "manifest.json"
    if not path.is_file():
        raise SampleError(f"{path}: not found; is {run_dir} the --out folder of 'framing analyze'?")
    manifest = json.loads(path.read_text(encoding="utf-8"))
    files = [Path(p) for p in manifest.get("inputs", {})]
    folders = {p.parent for p in files if p.name == "manifest.csv"}
    inputs = sorted({str(p.parent) if p.parent in folders else str(p) for p in files})
    for p in inputs:
        if not Path(p).exists():
            raise SampleError(f"{path}: input {p} is not found from {Path.cwd()}; run from the folder the "
                              "analysis ran in, or give the inputs with --inputs")
    return inputs, _lexicon_folders(run_dir)


def _lexicon_folders(run_dir: str | Path) -> list[str] | None:
    path = Path(run_dir) / "manifest.json"
    if not path.is_file():
        return None
    lex = json.loads(path.read_text(encoding="utf-8")).get("lexicon", {}).get("folders", ["(shipped)"])
    return None if lex == ["(shipped)"] else lex


def _allocate(sizes: dict[str, int], n: int) -> dict[str, int]:
    """Split ``n`` over strata as evenly as their sizes allow (largest remainders to the first)."""
    quota = {k: 0 for k in sizes}
    left = min(n, sum(sizes.values()))
    open_ = sorted(k for k in sizes if sizes[k] > 0)
    while left > 0 and open_:
        share, extra = divmod(left, len(open_))
        for i, k in enumerate(open_):
            give = min(share + (1 if i < extra else 0), sizes[k] - quota[k])
            quota[k] += give
            left -= give
        open_ = [k for k in open_ if quota[k] < sizes[k]]
    return quota


def draw_sample(tables: dict[str, pd.DataFrame], n: int, *, seed: int = 0) -> pd.DataFrame:
    """Draw up to ``n`` units per table, stratified by outlet, reproducibly.

    Parameters
    ----------
    tables : dict of str to pandas.DataFrame
        ``mentions``, ``quotes`` and/or ``stance`` tables of a run.
    n : int
        Units per table at most.
    seed : int
        Seed of the draw.

    Returns
    -------
    pandas.DataFrame
        The sampled rows with ``table``, ``unit_id`` and the table's columns, in a seeded random
        order within each table (tables in the order of :data:`CODE_VARIABLES`).
    """
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    rng = np.random.default_rng(seed)
    frames = []
    for name in CODE_VARIABLES:
        df = tables.get(name)
        if df is None or not len(df):
            continue
        df = df.assign(start=df["start"].astype(int), end=df["end"].astype(int), article_id=df["article_id"].astype(str))
        df = df.sort_values(["outlet", "article_id", "start", "end"], kind="stable")
        df = df.drop_duplicates(["article_id", "start", "end"], keep="first")
        sizes = df.groupby("outlet").size().to_dict()
        quota = _allocate({str(k): int(v) for k, v in sizes.items()}, n)
        picked = []
        for outlet in sorted(quota):
            rows = df[df["outlet"].astype(str) == outlet]
            idx = rng.choice(len(rows), size=quota[outlet], replace=False) if quota[outlet] else []
            picked.append(rows.iloc[np.sort(np.asarray(idx, dtype=int))])
        out = pd.concat(picked, ignore_index=True)
        out = out.iloc[rng.permutation(len(out))].reset_index(drop=True)
        out.insert(0, "unit_id", [f"{name}:{a}:{s}:{e}" for a, s, e in zip(out["article_id"], out["start"],
                                                                          out["end"], strict=True)])
        out.insert(0, "table", name)
        frames.append(out)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["table", "unit_id"])


def context_of(doc, start: int, end: int) -> tuple[int, int]:
    """Offsets of the sentence(s) around ``start``-``end``: from the start of the sentence holding
    ``start`` to the end of the one holding ``end - 1`` (the paragraph, or 200 characters either
    side, when the span is outside the kept sentences, e.g. in removed boilerplate)."""
    a = doc.sentence_index(start)
    b = doc.sentence_index(max(end - 1, start))
    if a >= 0 and b >= 0:
        return doc.sentences[a][0], max(doc.sentences[b][1], end)
    p = doc.paragraph_index(start)
    if p >= 0:
        return min(doc.paragraphs[p][0], start), max(doc.paragraphs[p][1], end)
    return max(0, start - 200), min(len(doc.text), end + 200)


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _flat(text: str) -> str:
    return _squash(text).strip()


def _answer(value) -> str:
    text = "" if value is None or (isinstance(value, float) and value != value) else str(value)
    return text if text else NONE


def write_sheets(
    run_dir: str | Path,
    out_dir: str | Path,
    *,
    n: int = 50,
    seed: int = 0,
    inputs: Sequence[str] | None = None,
) -> list[Path]:
    """Sample a run's units and write coding sheets, the key and an HTML page.

    Parameters
    ----------
    run_dir : str or Path
        Output folder of ``framing analyze``.
    out_dir : str or Path
        Folder for the sheets (created).
    n : int
        Units per table at most (mentions, quotes, stance).
    seed : int
        Seed of the sample (same run and seed, same sheets).
    inputs : sequence of str, optional
        The run's inputs, when the paths in its manifest do not resolve from here.

    Returns
    -------
    list of Path
        Files written.

    Raises
    ------
    SampleError
        The run has none of the tables, or a unit's article is missing from the inputs.
    """
    run, out = Path(run_dir), Path(out_dir)
    tables = {name: t for name in CODE_VARIABLES if (t := _read_table(run, name)) is not None}
    if not tables:
        raise SampleError(f"{run}: none of {', '.join(f'{t}.csv' for t in CODE_VARIABLES)} found")
    if inputs is None:
        recorded, lexicons = run_inputs(run)
    else:
        recorded, lexicons = list(inputs), _lexicon_folders(run)
    sample = draw_sample(tables, n, seed=seed)
    wanted = set(sample["article_id"].astype(str))
    rules = load_lexicon(lexicons).boilerplate
    docs = {a.id: build_document(a, rules) for a in iter_articles(recorded) if a.id in wanted and a.ok}
    missing = sorted(wanted - set(docs))
    if missing:
        raise SampleError(f"{run}: article {missing[0]} of the run is not among the inputs {', '.join(recorded)}")
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    sheet_rows: dict[str, list[dict]] = {t: [] for t in CODE_VARIABLES}
    key_rows: list[dict] = []
    for r in sample.to_dict("records"):
        doc = docs[str(r["article_id"])]
        s, e = int(r["start"]), int(r["end"])
        if not 0 <= s <= e <= len(doc.text):
            raise SampleError(f"{run / (r['table'] + '.csv')}: unit {r['unit_id']} lies outside its article's "
                              f"text of {len(doc.text)} characters")
        a, b = context_of(doc, s, e)
        context = _squash(doc.text[a:s]) + "[[" + _squash(doc.text[s:e]) + "]]" + _squash(doc.text[e:b])
        row = {"unit_id": r["unit_id"], "table": r["table"], "article_id": r["article_id"], "start": s, "end": e,
               "span": _flat(doc.text[s:e]), "context": context.strip(),
               "target": str(r.get("entity", "")) if r["table"] == "stance" else "",
               "_a": a, "_b": b}
        for var, col, level in CODE_VARIABLES[r["table"]]:
            row[f"code_{var}"] = ""
            key_rows.append({"unit_id": r["unit_id"], "table": r["table"], "article_id": r["article_id"],
                             "outlet": r["outlet"], "start": s, "end": e, "variable": var,
                             "value": _answer(r.get(col)), "level": level})
        sheet_rows[r["table"]].append(row)
    for table, rows in sheet_rows.items():
        if table not in tables:
            continue
        cols = list(SHEET_COLUMNS) + [f"code_{v}" for v, _, _ in CODE_VARIABLES[table]] + ["coder", "comment"]
        frame = pd.DataFrame([{k: v for k, v in r.items() if not k.startswith("_")} for r in rows], columns=cols)
        frame[["coder", "comment"]] = ""
        written.append(to_csv(frame, out / f"sheet_{table}.csv"))
    written.append(to_csv(pd.DataFrame(key_rows, columns=list(KEY_COLUMNS)), out / "key.csv"))
    page = out / "sheets.html"
    page.write_text(_sheets_html(sheet_rows, docs, seed=seed, n=n), encoding="utf-8")
    written.append(page)
    return written


def _sheets_html(sheet_rows: dict[str, list[dict]], docs, *, seed: int, n: int) -> str:
    parts = []
    for table, rows in sheet_rows.items():
        if not rows:
            continue
        codes = ", ".join(v for v, _, _ in CODE_VARIABLES[table])
        parts.append(f"<h2>{html.escape(table)} ({len(rows)} units; code: {html.escape(codes)})</h2><ol>")
        for r in rows:
            text = docs[str(r["article_id"])].text
            a, s, e, b = r["_a"], r["start"], r["end"], r["_b"]
            target = f' <span class="t">target: {html.escape(r["target"])}</span>' if r["target"] else ""
            parts.append(
                f'<li id="{html.escape(r["unit_id"], quote=True)}"><div class="u">{html.escape(r["unit_id"])}{target}'
                f'</div><div class="c">{html.escape(text[a:s])}<mark>{html.escape(text[s:e])}</mark>'
                f"{html.escape(text[e:b])}</div></li>"
            )
        parts.append("</ol>")
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
        "<title>framing coding sheets</title><style>body{font-family:system-ui,sans-serif;margin:1.5em;max-width:60em}"
        ".u{font-family:monospace;color:#555;font-size:.85em}.t{color:#000;font-weight:bold}"
        ".c{font-family:Georgia,serif;line-height:1.6;white-space:pre-wrap;margin:.2em 0 .9em}"
        "mark{background:#ffd6a5}</style></head>\n<body><h1>Coding sheets</h1>"
        f"<p>Sample: up to {n} units per table, stratified by outlet, seed {seed}. Code each unit in the "
        "matching <code>sheet_&lt;table&gt;.csv</code> row (same unit id); leave a cell empty when you cannot "
        f"decide, write <code>{NONE}</code> when there is nothing (no descriptor, no speaker).</p>"
        + "".join(parts) + "\n</body></html>\n"
    )
