"""Target-dependent sentiment (stance) of news sentences toward one mention: model, training, IO.

Method: three linear views of the target-centred features of :mod:`framing.extract.stance.features`,
stacked by one matrix scaling:

1. multinomial logistic regression (L2, class-balanced weights) on the idf-weighted, unit-norm
   sparse features plus the scaled dense cues (``coef``, ``intercept``);
2. NB-LR (Wang & Manning 2012, "Baselines and bigrams"): the same vocabulary as binary
   indicators, scaled per class by the smoothed log-count ratio of that class against the
   others, one-vs-rest class-balanced L2 logistic regression; ratio and weights multiply into one
   linear map (``nb_coef``, ``nb_intercept``);
3. Complement naive Bayes (Rennie et al. 2003) on the same indicators: minus the log of each
   feature's smoothed share among the other classes' counts (``cnb_coef``; no intercept).

Each view's ``C`` is chosen by grouped k-fold cross-validation on the training file only; the
stacker is matrix scaling (Guo et al. 2017, "On calibration of modern neural networks") over the
nine concatenated scores, fitted on the views' out-of-fold scores, so it both weights the views
and calibrates. Trained on NewsMTSC (Hamborg & Donnay 2021, EACL), whose metric is macro-F1
over negative/neutral/positive. Probabilities are calibrated for equal class priors (class-
balanced weights), so the label, their argmax, does not simply favour the most frequent class.

Training lives in :mod:`framing.extract.stance.train`. A model directory is data, never pickle:
``manifest.json`` (schema version, hashes of the other files, training data hash, seed,
parameters, cross-validated metrics), ``vocabulary.json`` (feature names) and ``arrays.npz``
(idf, scaling, the three views' coefficients, calibration; read with ``allow_pickle=False``).
Scoring is a numpy forward pass; scikit-learn is needed only to train.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import zipfile
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from framing.extract.stance.features import (
    DENSE_NAMES,
    FEATURIZER_VERSION,
    FeatureSpace,
    featurize,
)

__all__ = ["CLASSES", "N_VIEWS", "SCHEMA_VERSION", "SCORE_BATCH", "StanceModel", "StanceModelError"]

log = logging.getLogger(__name__)

#: Output columns of :meth:`StanceModel.predict_proba`, in order.
CLASSES: tuple[str, ...] = ("negative", "neutral", "positive")
#: Version of the model directory layout this module reads and writes.
SCHEMA_VERSION = 2
#: Number of stacked views (linear scores of each concatenated before the calibration).
N_VIEWS = 3
#: Targets featurized and scored at a time by :meth:`StanceModel.predict_proba`; bounds the memory
#: of very long records (rows get the same scores whatever the batch).
SCORE_BATCH = 2048
_ARRAYS = ("idf", "dense_mean", "dense_scale", "coef", "intercept", "nb_coef", "nb_intercept",
           "cnb_coef", "calibration_coef", "calibration_intercept")
_FILES = ("vocabulary.json", "arrays.npz")


class StanceModelError(ValueError):
    """A model directory or training file that does not match what this module expects."""


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


class StanceModel:
    """A fitted stance model: feature space, three linear views and their stacker, as plain arrays.

    Build it with :meth:`load` (a model directory) or :func:`train_stance_model`. Rows of every
    weight matrix are in :data:`CLASSES` order.

    Attributes:
        space: The fitted :class:`~framing.extract.stance.features.FeatureSpace`.
        coef: ``(3, n_columns)`` logistic-regression weights on the weighted features.
        intercept: ``(3,)`` its intercepts.
        nb_coef: ``(3, n_vocabulary)`` NB-LR weights on binary indicators (log-count ratio times
            the one-vs-rest weight).
        nb_intercept: ``(3,)`` NB-LR intercepts.
        cnb_coef: ``(3, n_vocabulary)`` complement naive Bayes weights on binary indicators.
        calibration_coef: ``(3, 9)`` matrix scaling of the concatenated scores of the three
            views (logistic regression, NB-LR, complement NB, three columns each).
        calibration_intercept: ``(3,)`` calibration offsets.
        manifest: The manifest (training data hash, seed, parameters, metrics).
        source: Where the model came from: ``"(shipped)"``, a folder, or ``"(in memory)"``.
    """

    def __init__(self, *, space: FeatureSpace, coef: np.ndarray, intercept: np.ndarray,
                 nb_coef: np.ndarray, nb_intercept: np.ndarray, cnb_coef: np.ndarray,
                 calibration_coef: np.ndarray, calibration_intercept: np.ndarray,
                 manifest: Mapping[str, Any] | None = None, source: str = "(in memory)"):
        self.space = space
        self.coef = np.asarray(coef, dtype=np.float64)
        self.intercept = np.asarray(intercept, dtype=np.float64)
        self.nb_coef = np.asarray(nb_coef, dtype=np.float64)
        self.nb_intercept = np.asarray(nb_intercept, dtype=np.float64)
        self.cnb_coef = np.asarray(cnb_coef, dtype=np.float64)
        self.calibration_coef = np.asarray(calibration_coef, dtype=np.float64)
        self.calibration_intercept = np.asarray(calibration_intercept, dtype=np.float64)
        self.manifest = dict(manifest or {})
        self.source = source
        k, m, v = len(CLASSES), space.n_columns, len(space.vocabulary)
        for name, arr, shape in (("coef", self.coef, (k, m)), ("intercept", self.intercept, (k,)),
                                 ("nb_coef", self.nb_coef, (k, v)),
                                 ("nb_intercept", self.nb_intercept, (k,)),
                                 ("cnb_coef", self.cnb_coef, (k, v)),
                                 ("calibration_coef", self.calibration_coef, (k, N_VIEWS * k)),
                                 ("calibration_intercept", self.calibration_intercept, (k,))):
            if arr.shape != shape:
                raise StanceModelError(f"{name} has shape {arr.shape}, expected {shape}")
        self._sparse_coef = np.ascontiguousarray(self.coef[:, :v])
        self._dense_coef = self.coef[:, v:]

    def __repr__(self) -> str:
        return (f"StanceModel(n_features={self.space.n_columns}, "
                f"C={self.manifest.get('training', {}).get('C')})")

    # ----------------------------------------------------------------------------- scoring
    def featurize(self, sentences: Sequence[str], spans: Sequence[tuple[int, int]],
                  **context: Sequence[bool] | None) -> list[tuple[dict[str, float], np.ndarray]]:
        """Feature dicts and dense cues of a batch (see :meth:`predict_proba` for arguments)."""
        if len(sentences) != len(spans):
            raise ValueError(f"{len(sentences)} sentences but {len(spans)} spans")
        unknown = set(context) - {"in_quote", "is_speaker"}
        if unknown:
            raise TypeError(f"unknown context {sorted(unknown)}; known: in_quote, is_speaker")
        cues = {}
        for key, values in context.items():
            if values is not None:
                if len(values) != len(sentences):
                    raise ValueError(f"{key} has {len(values)} values for {len(sentences)} "
                                     "sentences")
                cues[key] = values
        return [featurize(s, int(a), int(b), **{k: v[i] for k, v in cues.items()})
                for i, (s, (a, b)) in enumerate(zip(sentences, spans, strict=True))]

    def decision_function(self, sentences: Sequence[str], spans: Sequence[tuple[int, int]],
                          **context: Sequence[bool] | None) -> np.ndarray:
        """Uncalibrated scores of the three views side by side, ``(n, 9)``.

        Columns 0-2: logistic regression; 3-5: NB-LR; 6-8: complement naive Bayes; each in
        :data:`CLASSES` order.
        """
        return self._scores(self.featurize(sentences, spans, **context))

    def _scores(self, feats) -> np.ndarray:
        n, k = len(feats), len(CLASSES)
        row, col, val, dense = self.space.parts(feats)
        z = np.empty((n, N_VIEWS * k))
        for j in range(k):
            z[:, j] = np.bincount(row, weights=val * self._sparse_coef[j, col], minlength=n)
            z[:, k + j] = np.bincount(row, weights=self.nb_coef[j, col], minlength=n)
            z[:, 2 * k + j] = np.bincount(row, weights=self.cnb_coef[j, col], minlength=n)
        z[:, :k] += dense @ self._dense_coef.T + self.intercept
        z[:, k:2 * k] += self.nb_intercept
        return z

    def _calibrate(self, z: np.ndarray) -> np.ndarray:
        return _softmax(z @ self.calibration_coef.T + self.calibration_intercept)

    def predict_proba(self, sentences: Sequence[str], spans: Sequence[tuple[int, int]],
                      **context: Sequence[bool] | None) -> np.ndarray:
        """Calibrated probabilities of negative, neutral and positive stance toward each target.

        Args:
            sentences: One sentence per target (the same sentence may repeat).
            spans: ``(start, end)`` of each target within its sentence.
            **context: Optional per-target flags overriding the in-sentence heuristics:
                ``in_quote`` (target inside quoted speech) and ``is_speaker`` (target is the
                speaker of a quote), each a sequence of bools or ``None``.

        Returns:
            ``(n, 3)`` float array, columns in :data:`CLASSES` order, rows summing to 1.
        """
        n = len(sentences)
        if not n:
            return np.zeros((0, len(CLASSES)))
        if n <= SCORE_BATCH:
            return self._calibrate(self.decision_function(sentences, spans, **context))
        # Features are per target, so scoring in batches gives each row the same numbers and keeps
        # the feature dicts of only one batch alive (a 5 MB record has tens of thousands of targets).
        if len(spans) != n:
            raise ValueError(f"{n} sentences but {len(spans)} spans")
        out = np.empty((n, len(CLASSES)))
        for i in range(0, n, SCORE_BATCH):
            part = slice(i, i + SCORE_BATCH)
            ctx = {k: (v[part] if v is not None else None) for k, v in context.items()}
            out[part] = self._calibrate(self.decision_function(sentences[part], spans[part], **ctx))
        return out

    def predict(self, sentences: Sequence[str], spans: Sequence[tuple[int, int]],
                **context: Sequence[bool] | None) -> list[str]:
        """Most probable class name of each target."""
        proba = self.predict_proba(sentences, spans, **context)
        return [CLASSES[i] for i in proba.argmax(axis=1)]

    # ---------------------------------------------------------------------------------- IO
    @classmethod
    def load(cls, path: str | Path | None = None) -> StanceModel:
        """Read a model directory (``None``: the model shipped in ``framing/extract/stance/data``).

        Nothing is unpickled or executed: JSON and ``.npz`` arrays with ``allow_pickle=False``,
        each file checked against the sha256 in ``manifest.json``.

        Raises:
            StanceModelError: Naming the file and what does not match.
        """
        root = resources.files("framing.extract.stance").joinpath("data") if path is None else Path(path)

        def read(name: str) -> bytes:
            try:
                return root.joinpath(name).read_bytes()
            except (FileNotFoundError, NotADirectoryError):
                raise StanceModelError(f"{root}: missing {name} (a stance model directory holds "
                                       f"manifest.json, {', '.join(_FILES)})") from None

        manifest = _json(read("manifest.json"), f"{root}/manifest.json")
        _check_manifest(manifest, f"{root}/manifest.json")
        blobs = {name: read(name) for name in _FILES}
        for name, blob in blobs.items():
            digest = hashlib.sha256(blob).hexdigest()
            if digest != manifest["files"].get(name):
                raise StanceModelError(f"{root}/{name}: sha256 {digest} does not match "
                                       f"manifest.json ({manifest['files'].get(name)})")
        vocab = _json(blobs["vocabulary.json"], f"{root}/vocabulary.json").get("features")
        if not isinstance(vocab, list) or not all(isinstance(v, str) for v in vocab):
            raise StanceModelError(f"{root}/vocabulary.json: 'features' must be a list of strings")
        arrays = _read_npz(blobs["arrays.npz"], f"{root}/arrays.npz", len(vocab))
        space = FeatureSpace(tuple(vocab), arrays["idf"], arrays["dense_mean"],
                             arrays["dense_scale"], float(manifest["params"]["dense_weight"]))
        return cls(space=space, coef=arrays["coef"], intercept=arrays["intercept"],
                   nb_coef=arrays["nb_coef"], nb_intercept=arrays["nb_intercept"],
                   cnb_coef=arrays["cnb_coef"], calibration_coef=arrays["calibration_coef"],
                   calibration_intercept=arrays["calibration_intercept"], manifest=manifest,
                   source="(shipped)" if path is None else str(path))

    def save(self, out_dir: str | Path) -> Path:
        """Write ``manifest.json``, ``vocabulary.json`` and ``arrays.npz`` (byte-reproducible)."""
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        arrays = {"idf": self.space.idf, "dense_mean": self.space.dense_mean,
                  "dense_scale": self.space.dense_scale, "coef": self.coef,
                  "intercept": self.intercept, "nb_coef": self.nb_coef,
                  "nb_intercept": self.nb_intercept, "cnb_coef": self.cnb_coef,
                  "calibration_coef": self.calibration_coef,
                  "calibration_intercept": self.calibration_intercept}
        blobs = {"vocabulary.json": _dumps({"features": list(self.space.vocabulary)}),
                 "arrays.npz": _npz_bytes(arrays)}
        manifest = dict(self.manifest)
        manifest.update(schema_version=SCHEMA_VERSION, featurizer_version=FEATURIZER_VERSION,
                        classes=list(CLASSES), dense_names=list(DENSE_NAMES),
                        files={k: hashlib.sha256(v).hexdigest() for k, v in blobs.items()})
        manifest.setdefault("params", {})["dense_weight"] = self.space.dense_weight
        for name, blob in blobs.items():
            (out / name).write_bytes(blob)
        (out / "manifest.json").write_bytes(_dumps(manifest))
        self.manifest = manifest
        return out


def _dumps(obj: Any) -> bytes:
    return (json.dumps(obj, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def _json(blob: bytes, where: str) -> dict:
    try:
        obj = json.loads(blob.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise StanceModelError(f"{where}: not valid JSON ({exc})") from None
    if not isinstance(obj, dict):
        raise StanceModelError(f"{where}: expected a JSON object")
    return obj


def _check_manifest(m: dict, where: str) -> None:
    if m.get("schema_version") != SCHEMA_VERSION:
        raise StanceModelError(f"{where}: schema_version {m.get('schema_version')!r} is not "
                               f"supported (this framing reads {SCHEMA_VERSION}); retrain with "
                               "'framing stance train'")
    if m.get("featurizer_version") != FEATURIZER_VERSION:
        raise StanceModelError(f"{where}: featurizer_version {m.get('featurizer_version')!r} "
                               f"differs from this framing's {FEATURIZER_VERSION}; retrain")
    for key, want in (("classes", list(CLASSES)), ("dense_names", list(DENSE_NAMES))):
        if m.get(key) != want:
            raise StanceModelError(f"{where}: {key} {m.get(key)!r} differ from {want!r}")
    if not isinstance(m.get("files"), dict) or not isinstance(m.get("params"), dict) or \
            not isinstance(m["params"].get("dense_weight"), (int, float)):
        raise StanceModelError(f"{where}: needs 'files' (name -> sha256) and 'params' with a "
                               "numeric 'dense_weight'")


def _npz_bytes(arrays: Mapping[str, np.ndarray]) -> bytes:
    """An ``.npz`` with a fixed timestamp and order, so equal arrays give equal bytes.

    Members are LZMA-compressed (a standard zip method that ``numpy.load`` reads): about a fifth
    smaller than deflate on these float64 weights.
    """
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_LZMA) as zf:
        for name in sorted(arrays):
            member = io.BytesIO()
            np.lib.format.write_array(member, np.ascontiguousarray(arrays[name], dtype="<f8"),
                                      allow_pickle=False)
            info = zipfile.ZipInfo(name + ".npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_LZMA
            zf.writestr(info, member.getvalue())
    return buf.getvalue()


def _read_npz(blob: bytes, where: str, n_vocab: int) -> dict[str, np.ndarray]:
    k, n_dense = len(CLASSES), len(DENSE_NAMES)
    shapes = {"idf": (n_vocab,), "dense_mean": (n_dense,), "dense_scale": (n_dense,),
              "coef": (k, n_vocab + n_dense), "intercept": (k,), "nb_coef": (k, n_vocab),
              "nb_intercept": (k,), "cnb_coef": (k, n_vocab),
              "calibration_coef": (k, N_VIEWS * k), "calibration_intercept": (k,)}
    try:
        with np.load(io.BytesIO(blob), allow_pickle=False) as npz:
            missing = [a for a in _ARRAYS if a not in npz.files]
            if missing:
                raise StanceModelError(f"{where}: missing arrays {missing}")
            arrays = {a: npz[a] for a in _ARRAYS}
    except StanceModelError:
        raise
    except (ValueError, OSError, zipfile.BadZipFile) as exc:
        raise StanceModelError(f"{where}: not a readable pickle-free .npz ({exc})") from None
    for a, arr in arrays.items():
        if arr.dtype != np.float64 or arr.shape != shapes[a]:
            raise StanceModelError(f"{where}: {a!r} is {arr.dtype}{arr.shape}, expected "
                                   f"float64{shapes[a]} (vocabulary.json has {n_vocab} features,"
                                   f" {n_dense} dense cues)")
        if not np.all(np.isfinite(arr)):
            raise StanceModelError(f"{where}: {a!r} holds non-finite values")
    return arrays
