"""CSV, Markdown and LaTeX writers: escaping, formula cells, rounding only here."""

from __future__ import annotations

import math

import pandas as pd

from framing.output.export import export_tables, latex_escape, neutralize_formula, to_csv, to_latex, to_markdown


def test_latex_escapes_every_special_character():
    raw = r"50% of R&D_costs #1 cost $5 {x} ~y^2 C:\path"
    out = latex_escape(raw)
    assert out == (r"50\% of R\&D\_costs \#1 cost \$5 \{x\} \textasciitilde{}y\textasciicircum{}2 "
                   r"C:\textbackslash{}path")


def _balanced(tex: str) -> bool:
    depth, i = 0, 0
    while i < len(tex):
        if tex[i] == "\\":
            i += 2
            continue
        depth += {"{": 1, "}": -1}.get(tex[i], 0)
        if depth < 0:
            return False
        i += 1
    return depth == 0


def test_latex_table_is_booktabs_with_caption_label_and_balanced_braces():
    df = pd.DataFrame({"outlet": ["TRT World", "The_Independent & co"], "share": [0.0, 3 / 17]})
    tex = to_latex(df, caption="Hamas labelled 'militant' (%)", label="tab:labels", precision=3)
    assert r"\toprule" in tex and r"\midrule" in tex and r"\bottomrule" in tex
    assert r"\caption{Hamas labelled 'militant' (\%)}" in tex and r"\label{tab:labels}" in tex
    assert r"The\_Independent \& co & 0.176 \\" in tex
    assert _balanced(tex)


def test_csv_neutralises_formula_cells_but_not_numbers(tmp_path):
    df = pd.DataFrame({"text": ["=HYPERLINK(\"x\")", "+1 call", "-dash", "@user", "plain"], "x": [-1.5, 2.0, 0.0, -0.0, 1.0]})
    path = to_csv(df, tmp_path / "t.csv")
    back = pd.read_csv(path)
    assert list(back["text"]) == ["'=HYPERLINK(\"x\")", "'+1 call", "'-dash", "'@user", "plain"]
    assert list(back["x"]) == [-1.5, 2.0, 0.0, 0.0, 1.0]
    assert "-0.0" not in path.read_text()


def test_neutralize_formula_leaves_other_values():
    assert neutralize_formula(-3) == -3
    assert neutralize_formula("Hamas") == "Hamas"


def test_markdown_escapes_pipes_and_rounds_only_on_output():
    df = pd.DataFrame({"label": ["a|b"], "share": [1 / 3], "n": [3]})
    md = to_markdown(df, precision=2)
    assert md.splitlines()[2] == r"| a\|b | 0.33 | 3 |"
    assert df["share"][0] == 1 / 3  # the frame itself is not rounded


def test_empty_tables_keep_their_header(tmp_path):
    df = pd.DataFrame(columns=["outlet", "voice", "n_quotes"])
    export_tables({"voices": df}, tmp_path)
    assert (tmp_path / "voices.csv").read_text() == "outlet,voice,n_quotes\n"
    assert "outlet & voice & n\\_quotes" in (tmp_path / "voices.tex").read_text()


def test_nan_prints_as_empty_cell_in_markdown():
    df = pd.DataFrame({"p": [math.nan]})
    assert to_markdown(df).splitlines()[2] == "|  |"


def test_summary_tables_show_none_and_footnote_their_notes(tmp_path):
    df = pd.DataFrame({"outlet": ["A", "B", "C"], "label": ["", "militant", ""], "share": [0.5, 0.25, 1.0],
                       "note": ["n = 1 article", "n = 1 article", ""]})
    export_tables({"label_choices": df}, tmp_path)
    md = (tmp_path / "label_choices.md").read_text()
    assert "| A | none | 0.500 | [1] |" in md and "| C | none | 1.000 |  |" in md
    assert md.rstrip().endswith("[1] n = 1 article")
    tex = (tmp_path / "label_choices.tex").read_text()
    assert r"\footnotesize [1]~n = 1 article." in tex and tex.rstrip().endswith(r"\end{table}")
    assert _balanced(tex)
    assert pd.read_csv(tmp_path / "label_choices.csv", keep_default_na=False)["label"].tolist() == ["", "militant", ""]


def test_csv_written_in_chunks_equals_the_file_written_whole(tmp_path, monkeypatch):
    from framing.output import export

    df = pd.DataFrame({
        "text": ["=SUM(A1)", "plain", None, "-x", "\tTab", "Hamas", "+", "ok"],
        "mixed": [1, "=a", None, 2.5, "b", True, "@c", ""],
        "none": [None] * 8,
        "x": [0.1234567, -0.0, 1e-9, 2.0, float("nan"), 3.5, -1.25, 7.0],
        "n": list(range(8)),
    })
    whole = to_csv(df, tmp_path / "whole.csv").read_bytes()
    monkeypatch.setattr(export, "CSV_CHUNK_ROWS", 3)
    chunked = to_csv(df, tmp_path / "chunked.csv").read_bytes()
    assert chunked == whole
    assert whole.decode().splitlines()[1].startswith("'=SUM(A1),1,")
    to_csv(df, tmp_path / "chunked.csv", append=True)
    assert (tmp_path / "chunked.csv").read_bytes() == whole + whole.split(b"\n", 1)[1]
    assert df["text"][0] == "=SUM(A1)"  # the frame itself is untouched
