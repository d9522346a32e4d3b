"""The notebooks: stored without outputs, thin, run top to bottom, export what the CLI writes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from conftest import REPO, SEEDS, SHARED_DATA
from nbclient import NotebookClient

NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))


def _load(path: Path):
    return nbformat.read(path, as_version=4)


def _run(path: Path, **parameters):
    """Execute a notebook in its folder with the ``parameters`` cell's values replaced."""
    book = _load(path)
    cell = next(c for c in book.cells if "parameters" in c.metadata.get("tags", []))
    lines = cell.source.splitlines()
    for name, value in parameters.items():
        lines = [f"{name} = {value!r}" if ln.split("=")[0].strip() == name else ln for ln in lines]
    cell.source = "\n".join(lines)
    NotebookClient(book, timeout=900, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    return book


def test_there_are_four_notebooks():
    assert [p.name for p in NOTEBOOKS] == [
        "01_seed_framing.ipynb", "02_corpus_comparison.ipynb", "03_custom_lexicon.ipynb", "04_validation.ipynb",
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebooks_are_stored_without_outputs_and_define_no_functions(path):
    book = _load(path)
    tagged = [c for c in book.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, "one cell tagged 'parameters' (papermill style)"
    for cell in book.cells:
        if cell.cell_type != "code":
            continue
        assert cell.outputs == [] and cell.execution_count is None, "strip outputs before committing"
        for line in cell.source.splitlines():
            stripped = line.lstrip()
            assert not stripped.startswith(("def ", "class ", "async def ")), "notebooks stay thin"
            assert "lambda" not in stripped


@pytest.fixture(scope="module")
def cli_seed_tables(tmp_path_factory):
    out = tmp_path_factory.mktemp("cli")
    proc = subprocess.run([sys.executable, "-m", "framing.cli", "analyze", str(SEEDS), "--out", str(out)],
                          capture_output=True, text=True, cwd=REPO)
    assert proc.returncode == 0, proc.stderr
    return out


def _same_tables(a: Path, b: Path) -> None:
    names = sorted(p.name for p in a.iterdir() if p.suffix in {".csv", ".md", ".tex", ".png", ".pdf"})
    assert names == sorted(p.name for p in b.iterdir() if p.suffix in {".csv", ".md", ".tex", ".png", ".pdf"})
    for name in names:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_seed_notebook_runs_and_exports_what_the_cli_writes(tmp_path, cli_seed_tables):
    _run(REPO / "notebooks" / "01_seed_framing.ipynb", OUT=str(tmp_path))
    _same_tables(tmp_path, cli_seed_tables)


def test_corpus_notebook_runs_on_the_seeds_and_exports_what_the_cli_writes(tmp_path, cli_seed_tables):
    _run(REPO / "notebooks" / "02_corpus_comparison.ipynb", OUT=str(tmp_path))
    _same_tables(tmp_path, cli_seed_tables)


def test_corpus_notebook_runs_on_newswcl50_dev(tmp_path):
    data = SHARED_DATA / "newswcl50-dev" / "articles.jsonl"
    if not data.is_file():
        pytest.skip("development data ../shared/data is absent")
    book = _run(REPO / "notebooks" / "02_corpus_comparison.ipynb", INPUTS=[str(data)], BOOTSTRAP=200, OUT=str(tmp_path))
    assert (tmp_path / "comparisons.csv").is_file()
    errors = [o for c in book.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert errors == []


def test_custom_lexicon_notebook_runs(tmp_path):
    book = _run(REPO / "notebooks" / "03_custom_lexicon.ipynb", OUT=str(tmp_path))
    text = "\n".join(str(o.get("text", "")) + str(o.get("data", {}).get("text/plain", ""))
                     for c in book.cells for o in c.get("outputs", []))
    assert "entities.csv:3" in text  # the deliberate mistake is reported with file and line
    assert "undocumented" in text and "illegal" in text


def test_validation_notebook_prints_the_reliability_table_of_the_coded_seed_sample(tmp_path):
    book = _run(REPO / "notebooks" / "04_validation.ipynb", OUT=str(tmp_path), BOOTSTRAP=200)
    errors = [o for c in book.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert errors == []
    text = "\n".join(str(o.get("data", {}).get("text/plain", "")) for c in book.cells for o in c.get("outputs", []))
    for variable in ("entity", "label", "kind", "speaker", "voice", "stance"):
        assert variable in text
    assert (tmp_path / "sheets" / "key.csv").is_file()
