"""Training the stance model from NewsMTSC-format JSONL (``framing stance train``).

Method: see :mod:`framing.stance_model` (class-balanced multinomial logistic regression over the
features of :mod:`framing.stance_features`, ``C`` by grouped k-fold cross-validation on the
training file only, matrix-scaling calibration on the out-of-fold scores). Deterministic: the
same file and seed give the same model bytes.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from framing.stance_features import FeatureSpace, featurize
from framing.stance_model import CLASSES, StanceModel, StanceModelError

__all__ = ["StanceExample", "read_newsmtsc", "train_stance_model"]

log = logging.getLogger(__name__)

_POLARITY = {2.0: 0, 4.0: 1, 6.0: 2}


@dataclass(frozen=True)
class StanceExample:
    """One annotated target: sentence, span, class index into :data:`CLASSES`, source line."""

    sentence: str
    start: int
    end: int
    label: int
    line: int


def read_newsmtsc(path: str | Path) -> list[StanceExample]:
    """Read NewsMTSC-format JSON Lines: one sentence a line, one example per target.

    Each line needs ``sentence_normalized`` and a ``targets`` list whose items have ``from``,
    ``to`` (character offsets) and ``polarity`` (2.0 negative, 4.0 neutral, 6.0 positive);
    other fields (``mention``, ``further_mentions``, ids) are ignored.

    Raises:
        StanceModelError: Naming ``file:line`` and the problem.
    """
    path = Path(path)
    out: list[StanceExample] = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            where = f"{path}:{n}"
            try:
                rec = json.loads(line)
                sentence, targets = rec["sentence_normalized"], rec["targets"]
            except (json.JSONDecodeError, KeyError, TypeError) as exc:
                raise StanceModelError(f"{where}: expected a JSON object with "
                                       f"'sentence_normalized' and 'targets' ({exc})") from None
            if not isinstance(sentence, str) or not isinstance(targets, list) or not targets:
                raise StanceModelError(f"{where}: 'sentence_normalized' must be a string and "
                                       "'targets' a non-empty list")
            for t in targets:
                try:
                    a, b, label = int(t["from"]), int(t["to"]), _POLARITY[float(t["polarity"])]
                except (KeyError, TypeError, ValueError):
                    raise StanceModelError(f"{where}: each target needs 'from', 'to' and "
                                           f"'polarity' in 2.0/4.0/6.0, got {t!r}") from None
                if not 0 <= a < b <= len(sentence):
                    raise StanceModelError(f"{where}: target span ({a}, {b}) outside the "
                                           f"sentence ({len(sentence)} characters)")
                out.append(StanceExample(sentence, a, b, label, n))
    if not out:
        raise StanceModelError(f"{path}: no targets")
    return out


def _design(space: FeatureSpace, feats):
    from scipy import sparse

    row, col, val, dense = space.parts(feats)
    x = sparse.csr_matrix((val, (row, col)), shape=(len(feats), len(space.vocabulary)))
    return sparse.hstack([x, sparse.csr_matrix(dense)], format="csr")


def _fit_linear(space: FeatureSpace, feats, y: np.ndarray, c: float):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=c, class_weight="balanced", solver="newton-cg",
                              max_iter=1000).fit(_design(space, feats), y)


def _fit_calibration(scores: np.ndarray, y: np.ndarray):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=100.0, class_weight="balanced", solver="newton-cg",
                              max_iter=1000).fit(scores, y)


def _folds(groups: np.ndarray, k: int, seed: int) -> np.ndarray:
    """Fold of each example: whole sentences (lines) assigned at random, round robin."""
    unique = np.unique(groups)
    order = np.random.default_rng(seed).permutation(len(unique))
    fold_of = dict(zip(unique[order].tolist(), (np.arange(len(unique)) % k).tolist()))
    return np.array([fold_of[g] for g in groups.tolist()])


def train_stance_model(path_jsonl: str | Path, out_dir: str | Path | None, *, seed: int = 0,
                       **options) -> StanceModel:
    """Train a stance model (see :func:`_train`), with BLAS limited to one thread.

    Floating-point sums in multi-threaded BLAS depend on the thread count, so without the limit
    the same data and seed would give different weights on machines with different core counts.
    """
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):
        return _train(path_jsonl, out_dir, seed=seed, **options)


def _train(path_jsonl: str | Path, out_dir: str | Path | None, *, seed: int = 0,
                       c_grid: Sequence[float] = (1.0, 2.0, 4.0, 8.0, 16.0), folds: int = 5,
                       min_df: int = 2, dense_weight: float = 0.3,
                       limit: int | None = None) -> StanceModel:
    """Train a stance model on NewsMTSC-format JSON Lines and write it to ``out_dir``.

    ``C`` is the value of ``c_grid`` with the best macro-F1 over ``folds`` grouped folds (a
    sentence's targets stay in one fold; ties go to the smaller ``C``); the calibration is fitted
    on that ``C``'s out-of-fold scores; the final weights on all examples. Deterministic: the same
    file, options and seed give the same bytes, on any machine.

    Args:
        path_jsonl: Training file (see :func:`read_newsmtsc`).
        out_dir: Directory to write the model to (created); ``None`` to keep it in memory.
        seed: Seed of the fold assignment.
        c_grid: Inverse L2 strengths to try.
        folds: Number of cross-validation folds (>= 2).
        min_df: Minimum number of training targets a sparse feature must occur with.
        dense_weight: Scale of the standardised dense cues.
        limit: Use only the first ``limit`` targets (for quick tests).

    Returns:
        The fitted :class:`StanceModel`; its ``manifest["metrics"]`` holds the out-of-fold
        macro-F1 and accuracy of the chosen ``C`` (and, after calibration, macro-F1 and log loss;
        the 12 calibration parameters are fitted on those same out-of-fold scores).
    """
    import sklearn
    from sklearn.metrics import accuracy_score, f1_score, log_loss

    if folds < 2 or not c_grid:
        raise ValueError("need folds >= 2 and a non-empty c_grid")
    path = Path(path_jsonl)
    examples = read_newsmtsc(path)[:limit]
    y = np.array([e.label for e in examples])
    if len(set(y.tolist())) < len(CLASSES):
        raise StanceModelError(f"{path}: training needs examples of all three classes")
    feats = [featurize(e.sentence, e.start, e.end) for e in examples]
    fold = _folds(np.array([e.line for e in examples]), folds, seed)
    oof = {c: np.zeros((len(y), len(CLASSES))) for c in c_grid}
    for k in range(folds):
        train, test = np.flatnonzero(fold != k), np.flatnonzero(fold == k)
        if len(np.unique(y[train])) < len(CLASSES):
            raise StanceModelError(f"{path}: fold {k} leaves a class out of training; use fewer "
                                   "folds or more examples")
        space = FeatureSpace.fit([feats[i] for i in train], min_df=min_df,
                                 dense_weight=dense_weight)
        x_test = _design(space, [feats[i] for i in test])
        for c in c_grid:
            clf = _fit_linear(space, [feats[i] for i in train], y[train], c)
            oof[c][test] = clf.decision_function(x_test)
        log.info("stance CV fold %d/%d done", k + 1, folds)
    cv_f1 = {c: float(f1_score(y, oof[c].argmax(1), average="macro")) for c in c_grid}
    best = max(c_grid, key=lambda c: (cv_f1[c], -c))
    cal = _fit_calibration(oof[best], y)
    cal_proba = cal.predict_proba(oof[best])
    space = FeatureSpace.fit(feats, min_df=min_df, dense_weight=dense_weight)
    clf = _fit_linear(space, feats, y, best)
    counts = np.bincount(y, minlength=len(CLASSES))
    manifest = {
        "model": "framing stance: target-centred features, multinomial logistic regression "
                 "(class-balanced), matrix-scaling calibration",
        "training": {
            "data_file": path.name, "data_sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
            "n_targets": len(examples), "n_sentences": len({e.line for e in examples}),
            "class_counts": dict(zip(CLASSES, counts.tolist())), "limit": limit, "seed": seed,
            "folds": folds, "c_grid": list(c_grid), "C": best, "min_df": min_df,
            "solver": "newton-cg", "class_weight": "balanced",
            "sklearn_version": sklearn.__version__,
        },
        "params": {"dense_weight": dense_weight},
        "metrics": {
            "cv_macro_f1_by_C": {str(c): v for c, v in cv_f1.items()},
            "cv_macro_f1": cv_f1[best],
            "cv_accuracy": float(accuracy_score(y, oof[best].argmax(1))),
            "cv_macro_f1_calibrated": float(f1_score(y, cal_proba.argmax(1), average="macro")),
            "cv_log_loss_calibrated": float(log_loss(y, cal_proba, labels=[0, 1, 2])),
        },
    }
    model = StanceModel(space=space, coef=clf.coef_, intercept=clf.intercept_,
                        calibration_coef=cal.coef_, calibration_intercept=cal.intercept_,
                        manifest=manifest)
    if out_dir is not None:
        model.save(out_dir)
    return model
