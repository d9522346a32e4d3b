"""Figures (framing.output.figures): built from the tables, written byte-identically on rerun."""

from __future__ import annotations

import os
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from framing.output.figures import (
    FIGURE_TABLES,
    forest_figure,
    label_shares_figure,
    save_figure,
    voice_shares_figure,
    write_all,
)
from framing.stats.compare import comparisons
from framing.stats.summaries import label_choices, voices


def _tables():
    rng = np.random.default_rng(0)
    ments, quotes = [], []
    for outlet, p in (("A", 0.7), ("B", 0.3)):
        for i in range(8):
            aid = f"{outlet}{i}"
            for _ in range(4):
                lab = "militant" if rng.random() < p else ("terrorist" if rng.random() < 0.3 else "")
                ments.append(
                    {
                        "article_id": aid,
                        "outlet": outlet,
                        "entity": "Hamas",
                        "label_set": "armed",
                        "label": lab,
                    }
                )
            quotes.append(
                {
                    "article_id": aid,
                    "outlet": outlet,
                    "kind": "direct",
                    "voice": "Hamas" if i % 2 else "",
                    "n_words": int(rng.integers(5, 40)),
                }
            )
            quotes.append(
                {
                    "article_id": aid,
                    "outlet": outlet,
                    "kind": "direct",
                    "voice": "Israel",
                    "n_words": int(rng.integers(5, 40)),
                }
            )
    ments, quotes = pd.DataFrame(ments), pd.DataFrame(quotes)
    return {
        "label_choices": label_choices(ments, B=100, seed=0),
        "voices": voices(quotes, B=100, seed=0),
        "comparisons": comparisons(pd.DataFrame(), ments, quotes, B=100, seed=0),
    }


@pytest.fixture(scope="module")
def tables():
    return _tables()


def test_figures_are_built_from_the_tables(tables):
    fig = label_shares_figure(tables["label_choices"])
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["none", "militant", "terrorist"]
    fig = voice_shares_figure(tables["voices"])
    assert "unresolved" in [t.get_text() for t in fig.axes[0].get_yticklabels()]
    fig = forest_figure(tables["comparisons"])
    assert len(fig.axes) == 2  # label choice and voice panels


def test_figures_need_no_pyplot_and_raise_no_warnings(tables, tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        paths = write_all(tables, tmp_path)
    assert sorted(p.name for p in paths) == sorted(
        f"figure_{n}.{ext}" for n in ("label_shares", "label_heatmap", "voice_shares", "comparisons") for ext in ("png", "pdf")
    )


_SCRIPT = """
import sys
sys.path.insert(0, {tests!r})
from test_figures import _tables
from framing.output.figures import write_all
write_all(_tables(), {out!r})
assert "matplotlib.pyplot" not in sys.modules, "figures must not need pyplot"
"""


def test_figures_are_identical_across_processes_without_pyplot(tmp_path):
    tests = str(Path(__file__).resolve().parent)
    for run, hashseed in (("a", "1"), ("b", "2")):
        env = dict(os.environ, PYTHONHASHSEED=hashseed, MPLBACKEND="Agg")
        subprocess.run(
            [sys.executable, "-c", _SCRIPT.format(tests=tests, out=str(tmp_path / run))],
            check=True,
            env=env,
            cwd=Path(tests).parents[1],
        )
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert len(names) == 8  # label shares, label heat map, voice shares, comparisons; PNG and PDF
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_saved_figures_are_byte_identical_on_rerun(tables, tmp_path):
    first = save_figure(
        forest_figure(tables["comparisons"]), tmp_path / "one" / "forest", formats=("png", "pdf", "svg")
    )
    again = save_figure(
        forest_figure(_tables()["comparisons"]), tmp_path / "two" / "forest", formats=("png", "pdf", "svg")
    )
    for a, b in zip(first, again, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
    pdf = first[1].read_bytes()
    assert b"CreationDate" not in pdf and b"ModDate" not in pdf


def test_empty_tables_write_no_figure_and_bad_format_raises(tmp_path, tables):
    assert write_all({"label_choices": pd.DataFrame()}, tmp_path) == []
    with pytest.raises(ValueError, match="format"):
        save_figure(voice_shares_figure(tables["voices"]), tmp_path / "x", formats=("gif",))


def test_label_heatmap_pools_entities_of_a_label_set():
    from framing.output.figures import label_heatmap

    lc = pd.DataFrame({
        "outlet": ["A", "A", "B", "B", "A", "B"],
        "entity": ["Syria", "Syria", "Syria", "Syria", "Hamas", "Hamas"],
        "label_set": ["state", "state", "state", "state", "armed_group", "armed_group"],
        "label": ["", "regime", "", "regime", "militant", ""],
        "n": [1, 3, 4, 0, 2, 5],
    })
    fig = label_heatmap(lc)
    axes = fig.get_axes()
    assert [ax.get_title(loc="left") for ax in axes] == ["armed_group", "state"]
    texts = [t.get_text() for t in axes[1].texts]
    assert "0.75\n(n=3)" in texts and "1.00\n(n=4)" in texts


def _many_outlet_choices(k: int) -> pd.DataFrame:
    """A label_choices-shaped table for ``k`` outlets; outlet i has i + 1 mentions of each label."""
    rows = []
    for i in range(k):
        for label in ("", "militant"):
            rows.append({"outlet": f"Outlet {i:03d}", "entity": "Hamas", "label_set": "armed_group",
                         "label": label, "n": i + 1, "share": 0.5, "ci_low": 0.4, "ci_high": 0.6})
    return pd.DataFrame(rows)


def test_per_outlet_figures_show_the_largest_outlets_and_say_so(tmp_path):
    from matplotlib.image import imread

    from framing.output.figures import MAX_OUTLETS, label_heatmap

    lc = _many_outlet_choices(30)
    fig = label_shares_figure(lc)
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert legend == [f"Outlet {i:03d}" for i in range(30 - MAX_OUTLETS, 30)]  # the most mentions
    assert fig._suptitle.get_text() == "Shown: 12 of 30 outlets, those with the most mentions"
    heat = label_heatmap(lc, max_outlets=5)
    assert [t.get_text() for t in heat.axes[0].get_yticklabels()] == [f"Outlet {i:03d}" for i in range(25, 30)]
    every = label_shares_figure(lc, max_outlets=None)
    assert len(every.axes[0].get_legend().get_texts()) == 30 and every._suptitle is None
    with pytest.raises(ValueError, match="max_outlets"):
        label_shares_figure(lc, max_outlets=0)
    png = save_figure(fig, tmp_path / "shares", formats=("png",))[0]
    image = imread(png)
    assert image.shape[0] > 100 and image.shape[1] > 100 and image[..., :3].std() > 0.05  # drawn, not blank


def test_write_all_reads_only_the_figure_tables(tables, tmp_path):
    """The export sends a figure worker FIGURE_TABLES only; write_all must need nothing else."""

    class Watched(dict):
        asked: list = []

        def get(self, key, default=None):
            self.asked.append(key)
            return super().get(key, default)

        def __getitem__(self, key):
            self.asked.append(key)
            return super().__getitem__(key)

    watched = Watched(tables)
    assert write_all(watched, tmp_path)
    assert set(watched.asked) == set(FIGURE_TABLES)
