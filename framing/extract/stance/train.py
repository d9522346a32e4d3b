"""Training the stance model from NewsMTSC-format JSONL (``framing stance train``).

Method: see :mod:`framing.extract.stance.model`. Three linear views of the features of
:mod:`framing.extract.stance.features` (class-balanced multinomial logistic regression on the weighted
features; NB-LR and complement naive Bayes on the same vocabulary as binary indicators), each
view's ``C`` by grouped k-fold cross-validation on the training file only, then one matrix
scaling over the nine concatenated out-of-fold scores that weights the views and calibrates.
Deterministic: the same file and seed give the same model bytes.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from framing.extract.stance.features import FeatureSpace, featurize
from framing.extract.stance.model import CLASSES, StanceModel, StanceModelError

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


def _indicators(space: FeatureSpace, feats):
    """Binary ``(n, n_vocabulary)`` matrix: which vocabulary features each example has."""
    from scipy import sparse

    row, col, _, _ = space.parts(feats)
    return sparse.csr_matrix((np.ones(len(row)), (row, col)),
                             shape=(len(feats), len(space.vocabulary)))


def _class_counts(b, y: np.ndarray) -> np.ndarray:
    """``(3, n_vocabulary)``: in how many examples of each class each feature occurs."""
    return np.vstack([np.asarray(b[y == k].sum(axis=0)).ravel() for k in range(len(CLASSES))])


def _log_count_ratios(counts: np.ndarray, alpha: float) -> np.ndarray:
    """NB-LR scaling, one row per class: ``log((p / |p|_1) / (q / |q|_1))``.

    ``p`` = ``alpha`` + counts in that class, ``q`` = ``alpha`` + counts in the other classes.
    """
    p = counts + alpha
    q = counts.sum(axis=0) - counts + alpha
    return np.log(p / p.sum(axis=1, keepdims=True)) - np.log(q / q.sum(axis=1, keepdims=True))


def _fit_nb(b, y: np.ndarray, ratios: np.ndarray, c: float) -> tuple[np.ndarray, np.ndarray]:
    """NB-LR: one-vs-rest class-balanced L2 logistic regression on ``b`` scaled by each class's
    ratios; returns ``(coef, intercept)`` with the ratios folded into ``coef`` (linear in ``b``)."""
    from scipy import sparse
    from sklearn.linear_model import LogisticRegression

    coef = np.empty_like(ratios)
    intercept = np.empty(len(CLASSES))
    for k in range(len(CLASSES)):
        clf = LogisticRegression(C=c, class_weight="balanced", solver="newton-cg",
                                 max_iter=1000).fit(b @ sparse.diags(ratios[k]), y == k)
        coef[k] = ratios[k] * clf.coef_[0]
        intercept[k] = clf.intercept_[0]
    return coef, intercept


def _fit_cnb(counts: np.ndarray, alpha: float) -> np.ndarray:
    """Complement naive Bayes weights (Rennie et al. 2003, unnormalised, as scikit-learn's
    ``ComplementNB(norm=False)``): minus the log share of each feature among the smoothed
    counts of the other classes."""
    comp = counts.sum(axis=0) - counts + alpha
    return -np.log(comp / comp.sum(axis=1, keepdims=True))


def _fit_calibration(scores: np.ndarray, y: np.ndarray):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=100.0, class_weight="balanced", solver="newton-cg",
                              max_iter=1000).fit(scores, y)


def _folds(groups: np.ndarray, k: int, seed: int) -> np.ndarray:
    """Fold of each example: whole sentences (lines) assigned at random, round robin."""
    unique = np.unique(groups)
    order = np.random.default_rng(seed).permutation(len(unique))
    fold_of = dict(zip(unique[order].tolist(), (np.arange(len(unique)) % k).tolist(), strict=True))
    return np.array([fold_of[g] for g in groups.tolist()])


def train_stance_model(path_jsonl: str | Path, out_dir: str | Path | None, *, seed: int = 0,
                       **options) -> StanceModel:
    """Train a stance model (see :func:`_train`), with BLAS limited to one thread.

    Floating-point sums in multi-threaded BLAS depend on the thread count, so without the limit
    the same data and seed would give different weights on machines with different core counts.
    """
    with threadpool_limits(limits=1):
        return _train(path_jsonl, out_dir, seed=seed, **options)


def _train(path_jsonl: str | Path, out_dir: str | Path | None, *, seed: int = 0,
           c_grid: Sequence[float] = (1.0, 2.0, 4.0, 8.0, 16.0),
           nb_c_grid: Sequence[float] = (0.03, 0.1, 0.3), nb_alpha: float = 1.0,
           cnb_alpha: float = 1.0, folds: int = 5, min_df: int = 2, dense_weight: float = 0.3,
           limit: int | None = None) -> StanceModel:
    """Train a stance model on NewsMTSC-format JSON Lines and write it to ``out_dir``.

    The logistic regression's ``C`` is the value of ``c_grid``, and NB-LR's the value of
    ``nb_c_grid``, with the best macro-F1 of that view alone over ``folds`` grouped folds (a
    sentence's targets stay in one fold; ties go to the smaller ``C``). The stacking calibration
    (matrix scaling of the nine concatenated scores) is fitted on the three views' out-of-fold
    scores; the final views on all examples. Deterministic: the same file, options and seed give
    the same bytes, on any machine.

    Args:
        path_jsonl: Training file (see :func:`read_newsmtsc`).
        out_dir: Directory to write the model to (created); ``None`` to keep it in memory.
        seed: Seed of the fold assignment.
        c_grid: Inverse L2 strengths of the logistic regression to try.
        nb_c_grid: Inverse L2 strengths of NB-LR to try.
        nb_alpha: Smoothing of NB-LR's log-count ratios.
        cnb_alpha: Smoothing of complement naive Bayes.
        folds: Number of cross-validation folds (>= 2).
        min_df: Minimum number of training targets a sparse feature must occur with.
        dense_weight: Scale of the standardised dense cues.
        limit: Use only the first ``limit`` targets (for quick tests).

    Returns:
        The fitted :class:`StanceModel`. Its ``manifest["metrics"]``: ``cv_macro_f1`` and
        ``cv_accuracy`` of the whole model, cross-fitted (each fold labelled by a stacking
        calibration fitted on the other folds' out-of-fold scores); each view's out-of-fold
        macro-F1 by ``C``; and macro-F1 and log loss of the final calibration on the out-of-fold
        scores it was fitted on (``cv_macro_f1_calibrated``, ``cv_log_loss_calibrated``).
    """
    import sklearn
    from sklearn.metrics import accuracy_score, f1_score, log_loss

    if folds < 2 or not c_grid or not nb_c_grid:
        raise ValueError("need folds >= 2 and non-empty c_grid and nb_c_grid")
    path = Path(path_jsonl)
    examples = read_newsmtsc(path)[:limit]
    y = np.array([e.label for e in examples])
    if len(set(y.tolist())) < len(CLASSES):
        raise StanceModelError(f"{path}: training needs examples of all three classes")
    feats = [featurize(e.sentence, e.start, e.end) for e in examples]
    fold = _folds(np.array([e.line for e in examples]), folds, seed)
    k3 = len(CLASSES)
    oof = {c: np.zeros((len(y), k3)) for c in c_grid}
    oof_nb = {c: np.zeros((len(y), k3)) for c in nb_c_grid}
    oof_cnb = np.zeros((len(y), k3))
    for k in range(folds):
        train, test = np.flatnonzero(fold != k), np.flatnonzero(fold == k)
        if len(np.unique(y[train])) < len(CLASSES):
            raise StanceModelError(f"{path}: fold {k} leaves a class out of training; use fewer "
                                   "folds or more examples")
        f_train, f_test = [feats[i] for i in train], [feats[i] for i in test]
        space = FeatureSpace.fit(f_train, min_df=min_df, dense_weight=dense_weight)
        x_test = _design(space, f_test)
        for c in c_grid:
            clf = _fit_linear(space, f_train, y[train], c)
            oof[c][test] = clf.decision_function(x_test)
        b_train, b_test = _indicators(space, f_train), _indicators(space, f_test)
        fold_counts = _class_counts(b_train, y[train])
        ratios = _log_count_ratios(fold_counts, nb_alpha)
        for c in nb_c_grid:
            nb_coef, nb_intercept = _fit_nb(b_train, y[train], ratios, c)
            oof_nb[c][test] = b_test @ nb_coef.T + nb_intercept
        oof_cnb[test] = b_test @ _fit_cnb(fold_counts, cnb_alpha).T
        log.info("stance CV fold %d/%d done", k + 1, folds)

    def macro_f1(scores: np.ndarray) -> float:
        return float(f1_score(y, scores.argmax(1), average="macro"))

    cv_f1 = {c: macro_f1(oof[c]) for c in c_grid}
    cv_f1_nb = {c: macro_f1(oof_nb[c]) for c in nb_c_grid}
    best = max(c_grid, key=lambda c: (cv_f1[c], -c))
    best_nb = max(nb_c_grid, key=lambda c: (cv_f1_nb[c], -c))
    stacked = np.hstack([oof[best], oof_nb[best_nb], oof_cnb])
    crossfit = np.zeros(len(y), dtype=np.intp)
    for k in range(folds):
        crossfit[fold == k] = _fit_calibration(stacked[fold != k], y[fold != k]).predict(
            stacked[fold == k])
    cal = _fit_calibration(stacked, y)
    cal_proba = cal.predict_proba(stacked)
    space = FeatureSpace.fit(feats, min_df=min_df, dense_weight=dense_weight)
    clf = _fit_linear(space, feats, y, best)
    b_all = _indicators(space, feats)
    all_counts = _class_counts(b_all, y)
    nb_coef, nb_intercept = _fit_nb(b_all, y, _log_count_ratios(all_counts, nb_alpha), best_nb)
    cnb_coef = _fit_cnb(all_counts, cnb_alpha)
    counts = np.bincount(y, minlength=len(CLASSES))
    manifest = {
        "model": "framing stance: target-centred features; multinomial logistic regression "
                 "(class-balanced), NB-LR and complement naive Bayes on binary indicators, "
                 "stacked by matrix-scaling calibration",
        "training": {
            "data_file": path.name, "data_sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
            "n_targets": len(examples), "n_sentences": len({e.line for e in examples}),
            "class_counts": dict(zip(CLASSES, counts.tolist(), strict=True)), "limit": limit, "seed": seed,
            "folds": folds, "c_grid": list(c_grid), "C": best, "nb_c_grid": list(nb_c_grid),
            "nb_C": best_nb, "min_df": min_df, "solver": "newton-cg",
            "class_weight": "balanced",
            "sklearn_version": sklearn.__version__,
        },
        "params": {"dense_weight": dense_weight, "nb_alpha": nb_alpha, "cnb_alpha": cnb_alpha},
        "metrics": {
            "cv_macro_f1": float(f1_score(y, crossfit, average="macro")),
            "cv_accuracy": float(accuracy_score(y, crossfit)),
            "cv_macro_f1_by_C": {str(c): v for c, v in cv_f1.items()},
            "cv_accuracy_lr": float(accuracy_score(y, oof[best].argmax(1))),
            "cv_macro_f1_nb_by_C": {str(c): v for c, v in cv_f1_nb.items()},
            "cv_macro_f1_cnb": macro_f1(oof_cnb),
            "cv_macro_f1_calibrated": float(f1_score(y, cal_proba.argmax(1), average="macro")),
            "cv_log_loss_calibrated": float(log_loss(y, cal_proba, labels=[0, 1, 2])),
        },
    }
    model = StanceModel(space=space, coef=clf.coef_, intercept=clf.intercept_, nb_coef=nb_coef,
                        nb_intercept=nb_intercept, cnb_coef=cnb_coef,
                        calibration_coef=cal.coef_, calibration_intercept=cal.intercept_,
                        manifest=manifest)
    if out_dir is not None:
        model.save(out_dir)
    return model
