"""Classification metrics on label arrays: accuracy, precision, recall, F1 and the confusion matrix.

Every function takes `y_true` and `y_pred` as integer labels, one-hot rows, or score rows
(probabilities or logits, reduced with argmax); a single score column (binary sigmoid output)
is thresholded at 0.5. The formulas and the label set (the sorted union of the labels that
occur in y_true and y_pred, unless `labels=` is given) follow scikit-learn, and a class that
is never predicted or never present scores 0 instead of dividing by zero, as sklearn does.
"""

from __future__ import annotations

from typing import Any
from collections.abc import Callable, Sequence

import numpy as np

from jaring import backend
from jaring.autograd.tensor import Tensor

AVERAGES = ("macro", "micro", "weighted", None)


def to_labels(values: Any) -> np.ndarray:
    """Integer labels from labels, one-hot/score rows (argmax) or one probability column (> 0.5)."""
    array = values.data if isinstance(values, Tensor) else values
    array = np.asarray(backend.to_numpy(array) if not isinstance(array, (list, tuple)) else array)
    if array.ndim == 2 and array.shape[1] > 1:
        return array.argmax(axis=1)
    if array.ndim == 2:
        array = array[:, 0]
    if array.ndim != 1:
        raise ValueError(
            f"metrics need labels of shape (N,) or scores of shape (N, classes), got shape {array.shape}"
        )
    if array.dtype.kind == "f":
        # Whole numbers are labels stored as floats; anything else is a probability.
        integral = np.all(array == np.round(array))
        return array.astype(np.int64) if integral else (array > 0.5).astype(np.int64)
    if array.dtype.kind == "b":
        return array.astype(np.int64)
    if array.dtype.kind not in "iu":
        raise TypeError(f"metrics need numeric labels, got dtype {array.dtype}")
    return array


def _pair(y_true: Any, y_pred: Any, what: str) -> tuple[np.ndarray, np.ndarray]:
    t, p = to_labels(y_true), to_labels(y_pred)
    if t.shape != p.shape:
        raise ValueError(f"{what}: y_true has {t.shape[0]} samples but y_pred has {p.shape[0]}")
    if t.size == 0:
        raise ValueError(f"{what}: y_true and y_pred are empty")
    return t, p


def _label_set(t: np.ndarray, p: np.ndarray, labels: Sequence[int] | None) -> np.ndarray:
    if labels is None:
        return np.union1d(t, p)
    labels = np.asarray(labels)
    if labels.ndim != 1 or labels.size == 0 or np.unique(labels).size != labels.size:
        raise ValueError(f"labels must be a non-empty list of distinct labels, got {labels.tolist()}")
    return labels


def _confusion(t: np.ndarray, p: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Counts [true class, predicted class] over `labels`; samples with other labels are ignored."""
    order = np.argsort(labels, kind="stable")
    sorted_labels = labels[order]
    k = len(labels)

    def index(values: np.ndarray) -> np.ndarray:
        pos = np.clip(np.searchsorted(sorted_labels, values), 0, k - 1)
        found = sorted_labels[pos] == values
        return np.where(found, order[pos], -1)

    ti, pi = index(t), index(p)
    keep = (ti >= 0) & (pi >= 0)
    flat = np.bincount(ti[keep] * k + pi[keep], minlength=k * k)
    return flat.reshape(k, k)


def confusion_matrix(y_true: Any, y_pred: Any, labels: Sequence[int] | None = None) -> np.ndarray:
    """(classes, classes) counts: row = true class, column = predicted class (sklearn's layout).

    Examples:
        >>> from jaring.training import confusion_matrix
        >>> confusion_matrix([0, 1, 1], [0, 1, 0])
        array([[1, 0],
               [1, 1]])
    """
    t, p = _pair(y_true, y_pred, "confusion_matrix")
    return _confusion(t, p, _label_set(t, p, labels))


def accuracy(y_true: Any, y_pred: Any) -> float:
    """Fraction of samples whose predicted label equals the true label.

    Examples:
        >>> from jaring.training import accuracy
        >>> accuracy([0, 1, 1, 2], [0, 1, 2, 2])
        0.75
    """
    t, p = _pair(y_true, y_pred, "accuracy")
    return float(np.mean(t == p))


def _divide(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    return np.divide(num, den, out=np.zeros(num.shape, dtype=np.float64), where=den != 0)


def _scores(y_true: Any, y_pred: Any, average: str | None, labels: Any, what: str) -> tuple:
    """(precision, recall, f1), each a float or, for average=None, an array per class."""
    if average not in AVERAGES:
        raise ValueError(f"{what}: unknown average {average!r}; choose one of {list(AVERAGES)}")
    t, p = _pair(y_true, y_pred, what)
    cm = _confusion(t, p, _label_set(t, p, labels))
    tp = np.diag(cm).astype(np.float64)
    predicted, support = cm.sum(axis=0), cm.sum(axis=1)
    if average == "micro":
        precision = _divide(tp.sum(keepdims=True), predicted.sum(keepdims=True))[0]
        recall = _divide(tp.sum(keepdims=True), support.sum(keepdims=True))[0]
        f1 = _divide(np.array([2 * precision * recall]), np.array([precision + recall]))[0]
        return float(precision), float(recall), float(f1)
    precision, recall = _divide(tp, predicted), _divide(tp, support)
    f1 = _divide(2 * precision * recall, precision + recall)
    if average is None:
        return precision, recall, f1
    weights = support / support.sum() if average == "weighted" else np.full(len(tp), 1 / len(tp))
    if average == "weighted" and support.sum() == 0:
        weights = np.zeros(len(tp))
    return float(precision @ weights), float(recall @ weights), float(f1 @ weights)


def precision(y_true: Any, y_pred: Any, average: str | None = "macro", labels: Any = None) -> Any:
    """Of the samples predicted as a class, the fraction that truly are; averaged over classes.

    Examples:
        >>> from jaring.training import precision
        >>> y_true, y_pred = [0, 1, 1, 2], [0, 1, 2, 2]
        >>> round(precision(y_true, y_pred), 4), precision(y_true, y_pred, average=None)
        (0.8333, array([1. , 1. , 0.5]))
    """
    return _scores(y_true, y_pred, average, labels, "precision")[0]


def recall(y_true: Any, y_pred: Any, average: str | None = "macro", labels: Any = None) -> Any:
    """Of the samples truly in a class, the fraction predicted as it; averaged over classes.

    Examples:
        >>> from jaring.training import recall
        >>> y_true, y_pred = [0, 1, 1, 2], [0, 1, 2, 2]
        >>> round(recall(y_true, y_pred), 4), recall(y_true, y_pred, average=None)
        (0.8333, array([1. , 0.5, 1. ]))
    """
    return _scores(y_true, y_pred, average, labels, "recall")[1]


def f1(y_true: Any, y_pred: Any, average: str | None = "macro", labels: Any = None) -> Any:
    """Harmonic mean of precision and recall per class, then averaged (macro by default).

    Examples:
        >>> from jaring.training import f1
        >>> y_true, y_pred = [0, 1, 1, 2], [0, 1, 2, 2]
        >>> round(f1(y_true, y_pred), 4), f1(y_true, y_pred, average=None).round(4)
        (0.7778, array([1.    , 0.6667, 0.6667]))
    """
    return _scores(y_true, y_pred, average, labels, "f1")[2]


def macro_f1(y_true: Any, y_pred: Any) -> float:
    """F1 averaged over classes with equal weight: the usual score for unbalanced classes.

    Examples:
        >>> from jaring.training import macro_f1
        >>> round(macro_f1([0, 1, 1, 2], [0, 1, 2, 2]), 4)
        0.7778
    """
    return f1(y_true, y_pred, average="macro")


METRICS: dict[str, Callable[[Any, Any], float]] = {
    "accuracy": accuracy,
    "acc": accuracy,
    "precision": precision,
    "recall": recall,
    "f1": f1,
    "macro_f1": macro_f1,
}


def get_metrics(owner: str, metrics: Any) -> list[tuple[str, Callable[[Any, Any], float]]]:
    """`metrics=` of fit/evaluate as (name, fn) pairs: one name or function, or a list/tuple of them."""
    if isinstance(metrics, str) or callable(metrics):
        metrics = [metrics]
    if not isinstance(metrics, (list, tuple)):
        raise TypeError(
            f"{owner}: metrics must be a metric name, a function(y_true, y_pred) or a list of them, "
            f"got {metrics!r:.80} (a {type(metrics).__name__})"
        )
    return [get_metric(m) for m in metrics]


def get_metric(spec: str | Callable) -> tuple[str, Callable[[Any, Any], float]]:
    """(name, fn(y_true, y_pred) -> float) from a metric name or a function (named after it)."""
    if isinstance(spec, str):
        key = spec.lower()
        if key not in METRICS:
            raise ValueError(f"unknown metric {spec!r}; choose from {sorted(METRICS)} or pass a function")
        return ("accuracy" if key == "acc" else key), METRICS[key]
    if callable(spec):
        return getattr(spec, "__name__", type(spec).__name__), spec
    raise TypeError(f"a metric is a name or a function(y_true, y_pred), got {type(spec).__name__}")
