"""Stance model: target-centred features, deterministic training, numpy scoring, safe model dirs."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from framing.extract.stance.features import DENSE_NAMES, FeatureSpace, featurize
from framing.extract.stance.model import (
    CLASSES,
    N_VIEWS,
    StanceModel,
    StanceModelError,
    _softmax,
)
from framing.extract.stance.train import (
    _class_counts,
    _design,
    _fit_calibration,
    _fit_cnb,
    _fit_linear,
    _fit_nb,
    _indicators,
    _log_count_ratios,
    read_newsmtsc,
    train_stance_model,
)

POSITIVE = ["praised {t} for brave and honest work", "thanked {t} for a generous gift",
            "said {t} did a wonderful job", "celebrated {t} as a hero"]
NEGATIVE = ["condemned {t} as a corrupt liar", "accused {t} of fraud and abuse",
            "said {t} failed badly", "attacked {t} for a disgraceful lie"]
NEUTRAL = ["met {t} on Tuesday", "spoke with {t} in Ohio", "said {t} would travel to Iowa",
           "scheduled a call with {t} this week"]
NAMES = ["Smith", "Jones", "Garcia", "Lee", "Brown", "Khan", "Novak", "Okafor"]


def _synthetic(path: Path) -> Path:
    """A small NewsMTSC-format file: one or two targets per sentence, all three classes."""
    lines = []
    for i, name in enumerate(NAMES):
        for j, (templates, polarity) in enumerate(((POSITIVE, 6.0), (NEGATIVE, 2.0),
                                                   (NEUTRAL, 4.0))):
            for k, template in enumerate(templates):
                subject = NAMES[(i + j + k + 1) % len(NAMES)]
                sentence = f"{subject} " + template.format(t=name) + "."
                a = sentence.index(name, len(subject))
                targets = [{"from": a, "to": a + len(name), "mention": name,
                            "polarity": polarity}]
                if k % 2:
                    targets.append({"from": 0, "to": len(subject), "mention": subject,
                                    "polarity": 4.0})
                lines.append(json.dumps({"primary_gid": f"s{i}{j}{k}",
                                         "sentence_normalized": sentence, "targets": targets}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Path:
    return _synthetic(tmp_path_factory.mktemp("stance") / "train.jsonl")


@pytest.fixture(scope="module")
def shipped() -> StanceModel:
    return StanceModel.load()


def test_featurize_replaces_the_target_and_keys_words_by_side_and_distance():
    sparse, dense = featurize("Critics said Smith lied again.", 13, 18)
    assert "b:said <t>" in sparse and "b:<t> lied" in sparse
    assert "l1:said" in sparse and "r1:lied" in sparse and "m:smith" in sparse
    assert not any(k.startswith("w:smith") for k in sparse)
    assert dense.shape == (len(DENSE_NAMES),) and dense.dtype == np.float64


def test_featurize_infers_quote_and_speaker_cues_unless_given():
    inside = featurize('He said "Smith is great" yesterday.', 9, 14)[1]
    speaker = featurize('"It is great," said Smith.', 20, 25)[1]
    q, s = DENSE_NAMES.index("in_quote"), DENSE_NAMES.index("speaker")
    assert inside[q] == 1.0 and speaker[s] == 1.0 and speaker[q] == 0.0
    assert featurize('"It is great," said Smith.', 20, 25, is_speaker=False)[1][s] == 0.0


def test_featurize_rejects_an_empty_or_outside_span():
    with pytest.raises(ValueError, match="outside"):
        featurize("Short.", 3, 3)
    with pytest.raises(ValueError, match="outside"):
        featurize("Short.", 2, 40)


def test_read_newsmtsc_names_file_and_line_of_a_bad_polarity(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"sentence_normalized": "A b.", "targets": [{"from": 0, "to": 1, '
                    '"polarity": 2.0}]}\n{"sentence_normalized": "A b.", "targets": '
                    '[{"from": 0, "to": 1, "polarity": 5.0}]}\n')
    with pytest.raises(StanceModelError, match=r"bad\.jsonl:2: .*polarity"):
        read_newsmtsc(path)


def _sklearn_views(space, feats, y, c=4.0, nb_c=0.3):
    """The three views fitted with scikit-learn directly, and their stacked training scores."""
    from scipy import sparse
    from sklearn.linear_model import LogisticRegression
    from sklearn.naive_bayes import ComplementNB

    clf = _fit_linear(space, feats, y, c)
    x, b = _design(space, feats), _indicators(space, feats)
    ratios = _log_count_ratios(_class_counts(b, y), 1.0)
    nb = [LogisticRegression(C=nb_c, class_weight="balanced", solver="newton-cg", max_iter=1000)
          .fit(b @ sparse.diags(ratios[k]), y == k) for k in range(len(CLASSES))]
    cnb = ComplementNB(alpha=1.0, norm=False).fit(b, y)
    scores = np.hstack([clf.decision_function(x),
                        np.column_stack([m.decision_function(b @ sparse.diags(ratios[k]))
                                         for k, m in enumerate(nb)]),
                        b @ cnb.feature_log_prob_.T])
    return clf, cnb, scores


def test_indicators_mark_presence_of_vocabulary_features_only():
    feats = [featurize("Critics said Smith lied again.", 13, 18),
             featurize("Fans said Smith won again.", 10, 15)]
    space = FeatureSpace.fit(feats, min_df=2)
    b = _indicators(space, feats).toarray()
    assert b.shape == (2, len(space.vocabulary)) and set(np.unique(b)) == {1.0}
    assert "r1:lied" not in space.index and "l1:said" in space.index


def test_log_count_ratios_and_complement_nb_follow_their_definitions():
    counts = np.array([[3.0, 0.0, 1.0], [1.0, 2.0, 1.0], [0.0, 0.0, 4.0]])
    r = _log_count_ratios(counts, 1.0)
    p, q = counts[0] + 1, counts[1] + counts[2] + 1
    np.testing.assert_allclose(r[0], np.log(p / p.sum()) - np.log(q / q.sum()))
    complement = counts[0] + counts[1] + 1  # class 2's complement: the other classes' counts
    np.testing.assert_allclose(_fit_cnb(counts, 1.0)[2], -np.log(complement / complement.sum()))


def test_numpy_forward_pass_equals_sklearn_predict_proba(synthetic):
    examples = read_newsmtsc(synthetic)
    feats = [featurize(e.sentence, e.start, e.end) for e in examples]
    y = np.array([e.label for e in examples])
    space = FeatureSpace.fit(feats, min_df=1)
    clf, cnb, scores = _sklearn_views(space, feats, y)
    b = _indicators(space, feats)
    np.testing.assert_allclose(_fit_cnb(_class_counts(b, y), 1.0), cnb.feature_log_prob_,
                               rtol=0, atol=1e-12)
    nb_coef, nb_intercept = _fit_nb(b, y, _log_count_ratios(_class_counts(b, y), 1.0), 0.3)
    cal = _fit_calibration(scores, y)
    model = StanceModel(space=space, coef=clf.coef_, intercept=clf.intercept_, nb_coef=nb_coef,
                        nb_intercept=nb_intercept, cnb_coef=cnb.feature_log_prob_,
                        calibration_coef=cal.coef_, calibration_intercept=cal.intercept_)
    sentences, spans = [e.sentence for e in examples], [(e.start, e.end) for e in examples]
    ours = model.decision_function(sentences, spans)
    assert ours.shape == (len(examples), N_VIEWS * len(CLASSES))
    np.testing.assert_allclose(ours, scores, rtol=0, atol=1e-9)
    np.testing.assert_allclose(model.predict_proba(sentences, spans), cal.predict_proba(scores),
                               rtol=0, atol=1e-9)


def test_a_model_with_a_calibration_of_the_wrong_width_is_refused(synthetic):
    examples = read_newsmtsc(synthetic)
    feats = [featurize(e.sentence, e.start, e.end) for e in examples]
    space = FeatureSpace.fit(feats, min_df=1)
    k, v = len(CLASSES), len(space.vocabulary)
    with pytest.raises(StanceModelError, match=r"calibration_coef has shape \(3, 3\), expected "
                                               r"\(3, 9\)"):
        StanceModel(space=space, coef=np.zeros((k, space.n_columns)), intercept=np.zeros(k),
                    nb_coef=np.zeros((k, v)), nb_intercept=np.zeros(k), cnb_coef=np.zeros((k, v)),
                    calibration_coef=np.eye(k), calibration_intercept=np.zeros(k))


def test_training_twice_gives_identical_bytes_and_reloads_to_the_same_scores(synthetic, tmp_path):
    kw = dict(seed=3, c_grid=(1.0, 4.0), folds=3, min_df=1)
    a = train_stance_model(synthetic, tmp_path / "a", **kw)
    train_stance_model(synthetic, tmp_path / "b", **kw)
    for name in ("manifest.json", "vocabulary.json", "arrays.npz"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    loaded = StanceModel.load(tmp_path / "a")
    for name in ("coef", "intercept", "nb_coef", "nb_intercept", "cnb_coef", "calibration_coef",
                 "calibration_intercept"):
        np.testing.assert_array_equal(getattr(loaded, name), getattr(a, name))
    assert loaded.calibration_coef.shape == (3, N_VIEWS * 3)
    assert loaded.manifest["training"]["nb_C"] in loaded.manifest["training"]["nb_c_grid"]
    sentences, spans = ["Lee praised Smith for honest work."], [(12, 17)]
    np.testing.assert_allclose(loaded.predict_proba(sentences, spans),
                               a.predict_proba(sentences, spans), rtol=0, atol=1e-12)
    assert loaded.manifest["training"]["data_sha256"] == hashlib.sha256(
        synthetic.read_bytes()).hexdigest()
    assert loaded.manifest["training"]["seed"] == 3
    assert loaded.predict(sentences, spans) == ["positive"]


def test_shipped_model_scores_the_target_not_the_sentence(shipped):
    sentence = "Smith praised the brave firefighters, but denounced Jones as a corrupt liar."
    proba = shipped.predict_proba([sentence, sentence], [(0, 5), (51, 56)])
    assert proba.shape == (2, 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert proba[0, 2] > proba[0, 0] and proba[1, 0] > proba[1, 2]
    assert shipped.predict(["The senator spoke on Tuesday."], [(4, 11)]) == ["neutral"]


def test_shipped_model_is_small_and_described_by_its_manifest(shipped, repo_root):
    folder = repo_root / "framing" / "extract" / "stance" / "data"
    assert sum(p.stat().st_size for p in folder.iterdir()) < 5_000_000
    m = shipped.manifest
    assert m["classes"] == list(CLASSES) and m["training"]["data_file"] == "train.jsonl"
    assert m["metrics"]["cv_macro_f1"] > 0.6
    assert m["schema_version"] == 2 and m["params"]["nb_alpha"] == m["params"]["cnb_alpha"] == 1.0
    assert set(m["metrics"]["cv_macro_f1_nb_by_C"]) == {str(c) for c in m["training"]["nb_c_grid"]}


def test_predict_proba_of_no_targets_is_an_empty_matrix(shipped):
    assert shipped.predict_proba([], []).shape == (0, 3)


def test_predict_proba_rejects_mismatched_context(shipped):
    with pytest.raises(ValueError, match="in_quote"):
        shipped.predict_proba(["A b."], [(0, 1)], in_quote=[True, False])
    with pytest.raises(TypeError, match="unknown context"):
        shipped.predict_proba(["A b."], [(0, 1)], speaker=[True])


def _copy_shipped(tmp_path: Path) -> Path:
    src = Path(__file__).resolve().parents[3] / "framing" / "extract" / "stance" / "data"
    dst = tmp_path / "model"
    shutil.copytree(src, dst)
    return dst


def _rewrite(folder: Path, name: str, blob: bytes) -> None:
    (folder / name).write_bytes(blob)
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["files"][name] = hashlib.sha256(blob).hexdigest()
    (folder / "manifest.json").write_text(json.dumps(manifest))


def _edit_arrays(folder: Path, edit) -> None:
    """Apply ``edit`` to the model's arrays (a dict) and write them back with a matching hash."""
    with np.load(folder / "arrays.npz", allow_pickle=False) as npz:
        arrays = {k: npz[k] for k in npz.files}
    edit(arrays)
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    _rewrite(folder, "arrays.npz", buf.getvalue())


def test_a_missing_file_is_named(tmp_path):
    folder = _copy_shipped(tmp_path)
    (folder / "vocabulary.json").unlink()
    with pytest.raises(StanceModelError, match="missing vocabulary.json"):
        StanceModel.load(folder)


def test_a_tampered_file_fails_its_hash(tmp_path):
    folder = _copy_shipped(tmp_path)
    blob = bytearray((folder / "arrays.npz").read_bytes())
    blob[len(blob) // 2] ^= 0xFF
    (folder / "arrays.npz").write_bytes(bytes(blob))
    with pytest.raises(StanceModelError, match=r"arrays\.npz: sha256 .* does not match"):
        StanceModel.load(folder)


@pytest.mark.parametrize("version, message", [(99, r"schema_version 99"),
                                               (1, r"schema_version 1 is not supported .*retrain")])
def test_an_unsupported_schema_version_is_refused(tmp_path, version, message):
    folder = _copy_shipped(tmp_path)
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["schema_version"] = version
    (folder / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(StanceModelError, match=rf"manifest\.json: {message}"):
        StanceModel.load(folder)


@pytest.mark.parametrize("name", ["nb_coef", "nb_intercept", "cnb_coef"])
def test_a_missing_view_array_is_named(tmp_path, name):
    folder = _copy_shipped(tmp_path)
    _edit_arrays(folder, lambda arrays: arrays.pop(name))
    with pytest.raises(StanceModelError, match=rf"arrays\.npz: missing arrays \['{name}'\]"):
        StanceModel.load(folder)


@pytest.mark.parametrize("name,bad", [("nb_coef", lambda a: a[:, :-1]),
                                      ("cnb_coef", lambda a: a.T),
                                      ("calibration_coef", lambda a: a[:, :3]),
                                      ("nb_intercept", lambda a: a.astype(np.float32))])
def test_a_view_array_of_the_wrong_shape_or_dtype_is_refused(tmp_path, name, bad):
    folder = _copy_shipped(tmp_path)

    def edit(arrays):
        arrays[name] = bad(arrays[name])

    _edit_arrays(folder, edit)
    with pytest.raises(StanceModelError, match=rf"arrays\.npz: '{name}' is float\d+\(.*expected"):
        StanceModel.load(folder)


def test_a_non_finite_view_weight_is_refused(tmp_path):
    folder = _copy_shipped(tmp_path)

    def edit(arrays):
        arrays["nb_coef"][1, 7] = np.nan

    _edit_arrays(folder, edit)
    with pytest.raises(StanceModelError, match=r"'nb_coef' holds non-finite values"):
        StanceModel.load(folder)


def test_arrays_of_the_wrong_shape_are_refused_even_with_a_matching_hash(tmp_path):
    folder = _copy_shipped(tmp_path)

    def edit(arrays):
        arrays["coef"] = arrays["coef"][:, :-1]

    _edit_arrays(folder, edit)
    with pytest.raises(StanceModelError,
                       match=r"arrays\.npz: 'coef' is float64\(3, \d+\), expected"):
        StanceModel.load(folder)


def test_pickled_arrays_are_refused_not_executed(tmp_path):
    folder = _copy_shipped(tmp_path)

    def edit(arrays):
        arrays["coef"] = np.array([{"x": 1}], dtype=object)

    _edit_arrays(folder, edit)
    with pytest.raises(StanceModelError, match=r"arrays\.npz: not a readable pickle-free"):
        StanceModel.load(folder)


def test_shipped_model_was_trained_on_the_shared_newsmtsc_train_split(shipped, shared_data):
    train = shared_data / "newsmtsc" / "train.jsonl"
    if not train.is_file():
        pytest.skip("NewsMTSC train split absent")
    assert shipped.manifest["training"]["data_sha256"] == hashlib.sha256(
        train.read_bytes()).hexdigest()


def test_shipped_model_beats_the_tfidf_baseline_on_devtest_mt(shipped, shared_data):
    from sklearn.metrics import f1_score

    path = shared_data / "newsmtsc" / "devtest_mt.jsonl"
    if not path.is_file():
        pytest.skip("NewsMTSC devtest_mt split absent")
    dev = read_newsmtsc(path)
    proba = shipped.predict_proba([e.sentence for e in dev], [(e.start, e.end) for e in dev])
    f1 = f1_score([e.label for e in dev], proba.argmax(axis=1), average="macro")
    assert f1 > 0.595 + 0.05  # the README's TF-IDF + LR baseline, with margin


def test_training_on_a_newsmtsc_slice_is_reproducible_and_matches_sklearn(shared_data, tmp_path):
    path = shared_data / "newsmtsc" / "train.jsonl"
    if not path.is_file():
        pytest.skip("NewsMTSC train split absent")
    kw = dict(seed=0, c_grid=(2.0, 8.0), folds=3, limit=400)
    a = train_stance_model(path, tmp_path / "a", **kw)
    train_stance_model(path, tmp_path / "b", **kw)
    for name in ("arrays.npz", "vocabulary.json", "manifest.json"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    examples = read_newsmtsc(path)[:400]
    feats = [featurize(e.sentence, e.start, e.end) for e in examples]
    y = np.array([e.label for e in examples])
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):  # as training does, so BLAS sums match to the last bit
        clf = _fit_linear(a.space, feats, y, a.manifest["training"]["C"])
        b = _indicators(a.space, feats)
        counts = _class_counts(b, y)
        nb_coef, nb_intercept = _fit_nb(b, y, _log_count_ratios(counts, 1.0),
                                        a.manifest["training"]["nb_C"])
    np.testing.assert_allclose(clf.coef_, a.coef, rtol=0, atol=1e-12)
    np.testing.assert_allclose(nb_coef, a.nb_coef, rtol=0, atol=1e-12)
    np.testing.assert_allclose(nb_intercept, a.nb_intercept, rtol=0, atol=1e-12)
    np.testing.assert_allclose(_fit_cnb(counts, 1.0), a.cnb_coef, rtol=0, atol=1e-12)
    x = _design(a.space, feats)
    scores = np.hstack([clf.decision_function(x), b @ nb_coef.T + nb_intercept,
                        b @ a.cnb_coef.T])
    np.testing.assert_allclose(
        a.predict_proba([e.sentence for e in examples], [(e.start, e.end) for e in examples]),
        _softmax(scores @ a.calibration_coef.T + a.calibration_intercept), rtol=0, atol=1e-9)


def test_stance_train_command_writes_a_model_that_loads(synthetic, tmp_path):
    import subprocess
    import sys

    out = tmp_path / "model"
    proc = subprocess.run([sys.executable, "-m", "framing.cli", "stance", "train", "--data", str(synthetic),
                           "--out", str(out)], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    model = StanceModel.load(out)
    probs = model.predict_proba(["Critics condemned Smith as a corrupt liar."], [(18, 23)])
    assert probs.shape == (1, 3) and abs(probs.sum() - 1.0) < 1e-9


def test_scoring_in_batches_gives_every_target_the_same_probabilities(shipped, monkeypatch):
    import framing.extract.stance.model as model

    sentences, spans, quoted = [], [], []
    for i, name in enumerate(NAMES * 4):
        template = (POSITIVE + NEGATIVE + NEUTRAL)[i % 12]
        sentence = "Officials " + template.format(t=name) + "."
        a = sentence.index(name)
        sentences.append(sentence)
        spans.append((a, a + len(name)))
        quoted.append(i % 3 == 0)
    whole = shipped.predict_proba(sentences, spans, in_quote=quoted, is_speaker=None)
    monkeypatch.setattr(model, "SCORE_BATCH", 5)  # 32 targets: seven batches, the last of two
    batched = shipped.predict_proba(sentences, spans, in_quote=quoted, is_speaker=None)
    np.testing.assert_allclose(batched, whole, rtol=0, atol=1e-12)
    assert batched.shape == (32, 3)
    with pytest.raises(ValueError, match="32 sentences but 31 spans"):
        shipped.predict_proba(sentences, spans[:-1])
