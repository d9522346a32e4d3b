"""Stance toward a target on NewsMTSC's multi-target dev split: three models, one run; throughput.

Run from the repository root::

    .venv/bin/python benchmarks/eval_stance.py             # accuracy figures + throughput
    .venv/bin/python benchmarks/eval_stance.py --train     # also time training from scratch

Data: ``../shared/data/newsmtsc/`` (``train.jsonl``, ``devtest_mt.jsonl``; Hamborg & Donnay,
EACL 2021); the script says so and stops when it is absent. Metric: macro-F1 over negative,
neutral, positive (the paper's F1m) and accuracy, on every target of ``devtest_mt``.

(a) VADER (Hutto & Gilbert 2014) compound of the whole sentence, typography-normalised, mapped
    with the standard thresholds: positive >= 0.05, negative <= -0.05, else neutral. One score
    per sentence, so every target in it gets the same class.
(b) TF-IDF + logistic regression with the target marked: the sentence with `` TGTSTART `` and
    `` TGTEND `` around the mention, word 1-2-grams (min_df 2, sublinear tf), class-balanced
    L2 logistic regression, C in {1, 3, 10} chosen by 5-fold CV on train (grouped by sentence).
(c) The shipped model (``framing/extract/stance/data``), trained on ``train.jsonl`` only: three linear
    views of the target-centred features (class-balanced logistic regression on the weighted
    features; NB-LR and complement naive Bayes on binary indicators) stacked by one
    matrix-scaling calibration fitted on their out-of-fold scores (see
    :mod:`framing.extract.stance.model`). Its manifest's cross-validated figures on train (the whole
    stacked model, cross-fitted over the 5 grouped folds) are printed beside it.

Throughput: ``StanceModel.predict_proba`` on all devtest_mt targets, one thread (BLAS pinned),
VADER cache cleared before each run, best of three, in batches of all targets and of 16 (about one
article's mentions, as the extractor calls it). Prints figures; asserts nothing.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from framing.extract.stance.features import _polarity  # noqa: E402
from framing.extract.stance.model import StanceModel  # noqa: E402
from framing.extract.stance.train import read_newsmtsc, train_stance_model  # noqa: E402
from framing.text.textnorm import normalize  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "newsmtsc"


def _scores(y, pred) -> str:
    from sklearn.metrics import accuracy_score, f1_score

    per = f1_score(y, pred, average=None, labels=[0, 1, 2])
    return (f"F1m {f1_score(y, pred, average='macro'):.3f}  acc {accuracy_score(y, pred):.3f}  "
            f"(F1 neg {per[0]:.3f} neu {per[1]:.3f} pos {per[2]:.3f})")


def vader(dev) -> np.ndarray:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    sia = SentimentIntensityAnalyzer()
    c = np.array([sia.polarity_scores(normalize(e.sentence))["compound"] for e in dev])
    return np.where(c >= 0.05, 2, np.where(c <= -0.05, 0, 1))


def tfidf_baseline(train, dev) -> tuple[np.ndarray, float]:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import f1_score
    from sklearn.model_selection import GroupKFold

    def marked(e):
        s = e.sentence
        return s[:e.start] + " TGTSTART " + s[e.start:e.end] + " TGTEND " + s[e.end:]

    def fit(texts, y, c):
        vec = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
        clf = LogisticRegression(C=c, class_weight="balanced", solver="newton-cg", max_iter=1000)
        return vec, clf.fit(vec.fit_transform(texts), y)

    texts = [marked(e) for e in train]
    y = np.array([e.label for e in train])
    groups = np.array([e.line for e in train])
    cv = {}
    for c in (1.0, 3.0, 10.0):
        pred = np.zeros(len(y), dtype=int)
        for a, b in GroupKFold(5).split(texts, y, groups):
            vec, clf = fit([texts[i] for i in a], y[a], c)
            pred[b] = clf.predict(vec.transform([texts[i] for i in b]))
        cv[c] = f1_score(y, pred, average="macro")
    best = max(cv, key=cv.get)
    vec, clf = fit(texts, y, best)
    return clf.predict(vec.transform([marked(e) for e in dev])), best


def throughput(model: StanceModel, dev, batch: int, repeat: int = 3) -> float:
    sentences = [e.sentence for e in dev]
    spans = [(e.start, e.end) for e in dev]
    best = float("inf")
    for _ in range(repeat):
        _polarity.cache_clear()
        t0 = time.process_time()
        for i in range(0, len(dev), batch):
            model.predict_proba(sentences[i:i + batch], spans[i:i + batch])
        best = min(best, time.process_time() - t0)
    return len(dev) / best


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--train", action="store_true", help="also time training from scratch")
    args = ap.parse_args(argv)
    if not (DATA / "train.jsonl").is_file() or not (DATA / "devtest_mt.jsonl").is_file():
        print(f"NewsMTSC data not found under {DATA}; nothing to evaluate")
        return
    train, dev = read_newsmtsc(DATA / "train.jsonl"), read_newsmtsc(DATA / "devtest_mt.jsonl")
    y = np.array([e.label for e in dev])
    print(f"devtest_mt: {len(dev)} targets in {len({e.line for e in dev})} sentences; "
          f"train: {len(train)} targets")
    print(f"(a) VADER sentence, +/-0.05      {_scores(y, vader(dev))}")
    pred, c = tfidf_baseline(train, dev)
    print(f"(b) TF-IDF+LR target marked C={c:<4g} {_scores(y, pred)}")
    model = StanceModel.load()
    proba = model.predict_proba([e.sentence for e in dev], [(e.start, e.end) for e in dev])
    print(f"(c) framing stance (shipped)     {_scores(y, proba.argmax(axis=1))}")
    m, t = model.manifest["metrics"], model.manifest["training"]
    print(f"    shipped model: C={t['C']} (NB-LR C={t['nb_C']}), {len(model.space.vocabulary)} "
          f"sparse features; CV on train F1m {m['cv_macro_f1']:.3f} acc {m['cv_accuracy']:.3f}")
    size = sum(p.stat().st_size for p in (ROOT / "framing" / "extract" / "stance" / "data").iterdir())
    print(f"    model files: {size / 1e6:.2f} MB")
    for batch in (len(dev), 16):
        print(f"throughput, one core, batch {batch:>4}: "
              f"{throughput(model, dev, batch):,.0f} mentions/s")
    t0 = time.perf_counter()
    StanceModel.load()
    print(f"load time: {time.perf_counter() - t0:.2f} s")
    if args.train:
        with tempfile.TemporaryDirectory() as tmp:
            t0 = time.perf_counter()
            train_stance_model(DATA / "train.jsonl", tmp, seed=0)
            print(f"training from scratch (CV of 5 LR C values and 3 NB-LR C values x 5 folds, "
                  f"stacking, final fit): "
                  f"{time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    main()
