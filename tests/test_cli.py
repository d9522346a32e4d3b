"""The command line on the seeds and on bad input: exit codes, stderr, byte-identical tables."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, SEEDS


def run_cli(*args: str, cwd: Path = REPO, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "framing.cli", *args],
        cwd=cwd, capture_output=True, text=True, env=env, timeout=600,
    )


@pytest.fixture(scope="module")
def seeds_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("run1")
    proc = run_cli("analyze", str(SEEDS), "--out", str(out), "--bootstrap", "200")
    assert proc.returncode == 0, proc.stderr
    return out, proc


def test_analyze_writes_the_design_tables(seeds_run):
    out, proc = seeds_run
    for name in ("articles", "mentions", "quotes", "removed", "outlet_summary", "comparisons",
                 "label_choices", "variants", "voices", "stance", "entity_sentiment"):
        assert (out / f"{name}.csv").is_file(), name
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["records"] == {"in": 2, "ok": 2, "error": 0, "warnings": {}}
    assert manifest["parameters"]["bootstrap"] == 200
    assert "2 of 2 records analysed" in proc.stderr
    index = (out / "audit" / "index.html").read_text(encoding="utf-8")
    assert "hamas-damascus-2022-10" in index and "Every story has a page." in index
    assert "audit/" in manifest["outputs"]


def test_no_audit_skips_the_report_and_audit_stories_limits_it(tmp_path):
    proc = run_cli("analyze", str(SEEDS), "--out", str(tmp_path / "a"), "--no-audit", "--no-figures",
                   "--no-align", "--no-distinctive", "--bootstrap", "10")
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "a" / "mentions.csv").is_file() and not (tmp_path / "a" / "audit").exists()
    proc = run_cli("analyze", str(SEEDS), "--out", str(tmp_path / "b"), "--audit-stories", "0", "--no-figures",
                   "--no-align", "--no-distinctive", "--bootstrap", "10")
    assert proc.returncode == 0, proc.stderr
    index = (tmp_path / "b" / "audit" / "index.html").read_text(encoding="utf-8")
    assert "1 more story was left out: pages are written for the 0 stories" in index
    assert not list((tmp_path / "b" / "audit" / "stories").iterdir())


def test_analyze_twice_gives_byte_identical_tables(seeds_run, tmp_path):
    first, _ = seeds_run
    proc = run_cli("analyze", str(SEEDS), "--out", str(tmp_path), "--bootstrap", "200")
    assert proc.returncode == 0, proc.stderr
    names = sorted(p.name for p in first.iterdir() if p.suffix in {".csv", ".md", ".tex", ".json"})
    assert names
    for name in names:
        assert (first / name).read_bytes() == (tmp_path / name).read_bytes(), name


def test_missing_input_path_is_one_line_on_stderr_and_exit_2(tmp_path):
    proc = run_cli("analyze", str(tmp_path / "nope"), "--out", str(tmp_path / "out"))
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "nope" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_mixed_good_and_bad_input_exits_0_and_counts_failures(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "good.txt").write_text("Officials met in Damascus on Wednesday. Hamas said the talks went well.\n", encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    (folder / "bin.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (folder / "manifest.csv").write_text(
        "file,outlet,title,date,story\ngood.txt,A,,,s1\nempty.txt,A,,,s1\nbin.txt,B,,,s1\ngone.txt,B,,,s1\n",
        encoding="utf-8",
    )
    lines = [json.dumps({"id": "j1", "outlet": "C", "text": "Assad met the delegation."}),
             json.dumps({"id": "j1", "outlet": "C", "text": "A duplicate id."}),
             json.dumps({"id": "j2", "outlet": "C"}),
             "{broken"]
    (tmp_path / "more.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    proc = run_cli("analyze", str(folder), str(tmp_path / "more.jsonl"), "--out", str(out), "--bootstrap", "50")
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "6 of 8 records failed" in proc.stderr
    import pandas as pd

    arts = pd.read_csv(out / "articles.csv", keep_default_na=False)
    assert len(arts) == 8
    status = dict(zip(arts["source"], arts["status"], strict=True))
    assert sorted(arts.loc[arts.status == "ok", "id"]) == ["good", "j1"]
    assert all(arts.loc[arts.status == "error", "error"].str.len() > 0)
    assert any("duplicate" in e for e in arts["error"])
    assert any("malformed JSON" in e or "JSON" in e for e in arts["error"])
    assert len(status) == 8


def test_analyze_works_offline_with_an_empty_home(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("NLTK")}
    env["HOME"] = str(tmp_path / "home")
    (tmp_path / "home").mkdir()
    proc = run_cli("analyze", str(SEEDS), "--out", str(tmp_path / "out"), "--bootstrap", "50", env=env)
    assert proc.returncode == 0, proc.stderr
    written = [p.relative_to(tmp_path / "home").as_posix() for p in (tmp_path / "home").rglob("*")]
    assert not [w for w in written if "nltk" in w.lower()]  # no dictionary download attempted
    import pandas as pd

    arts = pd.read_csv(tmp_path / "out" / "articles.csv")
    assert arts["readability.flesch_reading_ease"].notna().all()


def test_lexicon_check_reports_what_vader_cannot_see():
    proc = run_cli("lexicon", "check")
    assert proc.returncode == 0, proc.stderr
    assert "militant" in proc.stdout and "regime" in proc.stdout


def test_bad_lexicon_is_one_line_naming_file_and_line(tmp_path):
    (tmp_path / "entities.csv").write_text("entity,variant,type,voice,source,colour\nHamas,Hamas,group,Hamas,x,red\n", encoding="utf-8")
    proc = run_cli("lexicon", "check", "--lexicons", str(tmp_path))
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "entities.csv" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_retrained_stance_model_folder_is_used_and_recorded(seeds_run, tmp_path):
    import shutil

    model = tmp_path / "my_model"
    shutil.copytree(REPO / "framing" / "extract" / "stance" / "data", model)
    out = tmp_path / "out"
    proc = run_cli("analyze", str(SEEDS), "--out", str(out), "--bootstrap", "200", "--stance-model", str(model),
                   "--no-align", "--no-distinctive")
    assert proc.returncode == 0, proc.stderr
    info = json.loads((out / "manifest.json").read_text())["parameters"]["stance"]
    shipped = json.loads((seeds_run[0] / "manifest.json").read_text())["parameters"]["stance"]
    assert info["model"] == str(model) and shipped["model"] == "(shipped)"
    assert info["files"] == shipped["files"] and len(info["files"]["arrays.npz"]) == 64
    # the same model, so the same stance rows as the shipped one gives
    assert (out / "stance.csv").read_bytes() == (seeds_run[0] / "stance.csv").read_bytes()


def test_a_folder_that_is_not_a_stance_model_is_one_line_and_exit_2(tmp_path):
    (tmp_path / "empty").mkdir()
    proc = run_cli("analyze", str(SEEDS), "--out", str(tmp_path / "out"), "--stance-model", str(tmp_path / "empty"))
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "empty" in proc.stderr and "manifest.json" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_discover_then_analyze_with_the_draft_records_it(tmp_path):
    out = tmp_path / "run"
    r = run_cli("analyze", str(SEEDS), "--out", str(out), "--discover", "--replace-lexicon", "--no-figures",
                "--no-align", "--bootstrap", "20", "--jobs", "1")
    assert r.returncode == 0, r.stderr
    lex = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["lexicon"]
    drafted = json.loads((out / "discovered" / "discovery.json").read_text(encoding="utf-8"))
    assert lex["discovered"]["sha256"] == drafted["drafted_sha256"]
    assert lex["discovered"]["sample"]["articles"] == 2 and lex["discovered"]["model"]["version"] == "3.8.0"
    mentions = (out / "mentions.csv").read_text(encoding="utf-8")
    assert ",Hamas," in mentions                           # found with no topic lexicon at all


def test_discover_with_a_bad_sample_is_one_line_and_exit_2(tmp_path):
    r = run_cli("discover", str(SEEDS), "--out", str(tmp_path / "d"), "--sample", "0")
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "--sample" in r.stderr


def test_the_comparison_design_is_in_the_manifest_and_every_row(seeds_run):
    import pandas as pd

    out, _ = seeds_run
    design = json.loads((out / "manifest.json").read_text())["parameters"]["comparison_design"]
    assert design["name"] == "all pairs" and design["contrasts"] == 1 and design["pairs_max"] == 8
    comparisons = pd.read_csv(out / "comparisons.csv", keep_default_na=False)
    assert set(comparisons["design"]) == {"all pairs"}


def test_outlet_groups_and_compare_on_the_command_line(tmp_path):
    groups = tmp_path / "country.csv"
    groups.write_text("outlet,group\nTRT World,Turkey\nThe Independent,UK\n", encoding="utf-8")
    out = tmp_path / "out"
    proc = run_cli("analyze", str(SEEDS), "--out", str(out), "--bootstrap", "50", "--no-figures",
                   "--outlet-groups", str(groups), "--compare", "UK,Turkey")
    assert proc.returncode == 0, proc.stderr
    design = json.loads((out / "manifest.json").read_text())["parameters"]["comparison_design"]
    assert design["name"] == "group pairs" and design["groups"] == ["Turkey", "UK"]
    header, first = (out / "comparisons.csv").read_text(encoding="utf-8").splitlines()[:2]
    assert first.startswith("quotes.") and ",Turkey,UK,group pairs," in first
    bad = run_cli("analyze", str(SEEDS), "--out", str(tmp_path / "bad"), "--compare", "TRT World,Al Jazeera")
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "Al Jazeera" in bad.stderr
