"""MUTANT normalize_all_divides_by_sample_count: normalize="all" divides by the number of samples instead of
the total of the matrix, which differs when labels= leaves samples out.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np

AVERAGES = (None, "binary", "micro", "macro", "weighted")
NORMALIZATIONS = (None, "true", "pred", "all")


class UndefinedMetricWarning(UserWarning):
    """A metric is ill-defined (a zero denominator) and ``zero_division="warn"`` set it to 0.0."""


def _check_targets(y_true: Any, y_pred: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Validate two label sequences; return them as 1-D arrays with the sorted union of their labels."""
    y_true = np.asarray(y_true)
    y_pred = np.asarray(y_pred)
    if y_true.ndim != 1 or y_pred.ndim != 1:
        raise ValueError(
            "y_true and y_pred must be 1-D sequences of labels (multilabel input is not supported)"
        )
    if len(y_true) != len(y_pred):
        raise ValueError(f"y_true and y_pred have different lengths: {len(y_true)} and {len(y_pred)}")
    if len(y_true) == 0:
        raise ValueError("empty input: at least one sample is required")
    if (y_true.dtype.kind in "US") != (y_pred.dtype.kind in "US"):
        raise ValueError("mix of string and numeric labels")
    for y in (y_true, y_pred):
        if y.dtype.kind == "f" and not np.all(np.mod(y, 1) == 0):
            raise ValueError(
                "continuous targets are not supported: labels must be integers, booleans or strings"
            )
    return y_true, y_pred, np.union1d(y_true, y_pred)


def confusion_matrix(
    y_true: Sequence[Any] | np.ndarray,
    y_pred: Sequence[Any] | np.ndarray,
    *,
    labels: Sequence[Any] | np.ndarray | None = None,
    normalize: str | None = None,
) -> np.ndarray:
    """Confusion matrix: ``C[i, j]`` counts samples of true label ``labels[i]`` predicted as ``labels[j]``.

    Parameters
    ----------
    y_true, y_pred : sequence of int, bool or str, of the same non-zero length
        True and predicted labels.
    labels : sequence, optional
        The labels indexing the rows and columns, in this order. Samples whose true or predicted label is not
        in ``labels`` are left out. Default: the sorted union of the labels in ``y_true`` and ``y_pred``.
    normalize : {None, "true", "pred", "all"}, default=None
        Divide by the row sums ("true"), the column sums ("pred") or the total ("all"); a row or column whose
        sum is zero stays all zeros.

    Returns
    -------
    np.ndarray of shape (n_labels, n_labels)
        Integer counts, or floats when ``normalize`` is set.

    Raises
    ------
    ValueError
        Empty input, different lengths, an unknown ``normalize``, an empty ``labels``, or ``labels``
        containing none of the labels of ``y_true``.
    """
    y_true, y_pred, present = _check_targets(y_true, y_pred)
    if normalize not in NORMALIZATIONS:
        raise ValueError(f"normalize must be one of {NORMALIZATIONS}, got {normalize!r}")
    if labels is None:
        labels = present
    else:
        labels = np.asarray(labels)
        if labels.size == 0:
            raise ValueError("labels must contain at least one label")
        if not np.isin(y_true, labels).any():
            raise ValueError("at least one label specified must be in y_true")
    index = {label: i for i, label in enumerate(labels.tolist())}
    n = len(index)
    rows = np.array([index.get(label, n) for label in y_true.tolist()])
    cols = np.array([index.get(label, n) for label in y_pred.tolist()])
    keep = (rows < n) & (cols < n)
    cm = np.zeros((len(labels), len(labels)), dtype=np.int64)
    np.add.at(cm, (rows[keep], cols[keep]), 1)
    if normalize is None:
        return cm
    counts = cm.astype(np.float64)
    if normalize == "true":
        totals = counts.sum(axis=1, keepdims=True)
    elif normalize == "pred":
        totals = counts.sum(axis=0, keepdims=True)
    else:
        totals = np.full((1, 1), float(len(y_true)))
    return np.divide(counts, totals, out=np.zeros_like(counts), where=totals != 0)


def accuracy(
    y_true: Sequence[Any] | np.ndarray, y_pred: Sequence[Any] | np.ndarray, *, normalize: bool = True
) -> float:
    """Fraction (or, with ``normalize=False``, number) of samples whose predicted label equals the true one.

    Parameters
    ----------
    y_true, y_pred : sequence of int, bool or str, of the same non-zero length
        True and predicted labels.
    normalize : bool, default=True
        Return the fraction of correct predictions; if ``False``, their count.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        Empty input or different lengths.
    """
    y_true, y_pred, _ = _check_targets(y_true, y_pred)
    correct = int(np.count_nonzero(y_true == y_pred))
    return correct / len(y_true) if normalize else float(correct)


def _zero_division_value(zero_division: Any) -> float:
    if isinstance(zero_division, str) and zero_division == "warn":
        return 0.0
    if isinstance(zero_division, (int, float)) and (math.isnan(zero_division) or zero_division in (0, 1)):
        return float(zero_division)
    raise ValueError(f'zero_division must be "warn", 0, 1 or np.nan, got {zero_division!r}')


def _divide(numerator: np.ndarray, denominator: np.ndarray, zero_value: float) -> np.ndarray:
    """numerator / denominator, and ``zero_value`` where the denominator is zero (never computing 0/0)."""
    out = np.full(np.shape(numerator), zero_value, dtype=np.float64)
    np.divide(numerator, denominator, out=out, where=denominator != 0)
    return out


def _nanaverage(values: np.ndarray, weights: np.ndarray | None = None) -> float:
    """Weighted mean ignoring NaN entries (and their weights); NaN if nothing is left."""
    keep = ~np.isnan(values)
    if not keep.any():
        return float("nan")
    values = values[keep]
    if weights is not None:
        weights = weights[keep].astype(np.float64)
        if weights.sum() > 0:
            return float(np.sum(values * weights) / weights.sum())
    return float(np.mean(values))


def _warn(metric: str, modifier: str, size: int) -> None:
    where = "due to" if size == 1 else "in labels with"
    warnings.warn(
        f"{metric} is ill-defined and being set to 0.0 {where} no {modifier} samples. "
        "Use `zero_division` parameter to control this behavior.",
        UndefinedMetricWarning,
        stacklevel=4,
    )


def _prfs(
    y_true: Any,
    y_pred: Any,
    *,
    labels: Any,
    pos_label: Any,
    average: str | None,
    beta: float,
    zero_division: Any,
    warn_for: tuple[str, ...],
) -> tuple[Any, Any, Any, Any]:
    zero_value = _zero_division_value(zero_division)
    if average not in AVERAGES:
        raise ValueError(f"average must be one of {AVERAGES}, got {average!r}")
    if not beta >= 0:
        raise ValueError(f"beta must be >= 0, got {beta!r}")
    y_true, y_pred, present = _check_targets(y_true, y_pred)

    if average == "binary":
        if len(present) > 2:
            raise ValueError(
                "Target is multiclass but average='binary'. Choose another average: None, 'micro', 'macro' "
                "or 'weighted'."
            )
        if pos_label not in present.tolist() and len(present) == 2:
            raise ValueError(
                f"pos_label={pos_label!r} is not a valid label: it should be one of {present.tolist()}"
            )
        labels = [pos_label]
    elif labels is None:
        labels = present.tolist()
    else:
        labels = np.asarray(labels).tolist()

    tp_sum = np.array([np.count_nonzero((y_true == lab) & (y_pred == lab)) for lab in labels], dtype=np.int64)
    pred_sum = np.array([np.count_nonzero(y_pred == lab) for lab in labels], dtype=np.int64)
    true_sum = np.array([np.count_nonzero(y_true == lab) for lab in labels], dtype=np.int64)
    support = true_sum
    if average == "micro":
        tp_sum, pred_sum, true_sum = (np.array([s.sum()]) for s in (tp_sum, pred_sum, true_sum))

    precision = _divide(tp_sum, pred_sum, zero_value)
    recall = _divide(tp_sum, true_sum, zero_value)
    f_denominator = None
    if math.isinf(beta):
        fscore = recall.copy()
    elif beta == 0:
        fscore = precision.copy()
    else:
        # F = (1 + b^2) tp / ((1 + b^2) tp + b^2 fn + fp): only ill-defined when tp + fp + fn = 0, even where
        # precision or recall alone is ill-defined.
        beta2 = beta**2
        f_denominator = beta2 * true_sum + pred_sum
        fscore = _divide((1 + beta2) * tp_sum, f_denominator, zero_value)

    if isinstance(zero_division, str):
        checks = [("Precision", pred_sum, "predicted"), ("Recall", true_sum, "true")]
        if f_denominator is not None:
            checks.append(("F-score", f_denominator, "true nor predicted"))
        for metric, denominator, modifier in checks:
            if metric.lower() in warn_for and np.any(denominator == 0):
                _warn(metric, modifier, len(denominator))

    if average is None:
        return precision, recall, fscore, support
    weights = support if average == "weighted" else None
    return _nanaverage(precision, weights), _nanaverage(recall, weights), _nanaverage(fscore, weights), None


def precision_recall_fscore_support(
    y_true: Sequence[Any] | np.ndarray,
    y_pred: Sequence[Any] | np.ndarray,
    *,
    labels: Sequence[Any] | np.ndarray | None = None,
    pos_label: Any = 1,
    average: str | None = None,
    beta: float = 1.0,
    zero_division: str | float = "warn",
) -> tuple[Any, Any, Any, Any]:
    """Precision, recall, F-beta and support, per label or averaged, as ``sklearn.metrics`` computes them.

    Parameters
    ----------
    y_true, y_pred : sequence of int, bool or str, of the same non-zero length
        True and predicted labels.
    labels : sequence, optional
        The labels to score, in this order, when ``average != "binary"``; they may include labels absent from
        the data. Default: the sorted union of the labels in ``y_true`` and ``y_pred``.
    pos_label : int, bool or str, default=1
        The positive label when ``average="binary"`` (ignored otherwise).
    average : {None, "binary", "micro", "macro", "weighted"}, default=None
        None: per-label scores. "binary": the scores of ``pos_label`` only (binary targets). "micro": from
        the total true positives, false positives and false negatives. "macro": the unweighted mean of the
        per-label scores. "weighted": their mean weighted by support. NaN scores are left out of every mean.
    beta : float, default=1.0
        The weight of recall in the F-score, ``>= 0``: ``F = (1 + b^2) tp / ((1 + b^2) tp + b^2 fn + fp)``.
        ``beta=0`` gives precision, ``beta=np.inf`` recall.
    zero_division : {"warn", 0, 1, np.nan}, default="warn"
        The value of a score whose denominator is zero. "warn" gives 0.0 and emits a ``UserWarning``.

    Returns
    -------
    precision, recall, fscore : np.ndarray of shape (n_labels,), or float when averaged
    support : np.ndarray of int of shape (n_labels,) (the number of true samples of each label), or None when
        averaged

    Raises
    ------
    ValueError
        Empty input, different lengths, an unknown ``average`` or ``zero_division``, ``beta < 0``,
        ``average="binary"`` on multiclass targets, or a ``pos_label`` that is not one of two present labels.
    """
    return _prfs(
        y_true,
        y_pred,
        labels=labels,
        pos_label=pos_label,
        average=average,
        beta=beta,
        zero_division=zero_division,
        warn_for=("precision", "recall", "f-score"),
    )


def f1_score(
    y_true: Sequence[Any] | np.ndarray,
    y_pred: Sequence[Any] | np.ndarray,
    *,
    labels: Sequence[Any] | np.ndarray | None = None,
    pos_label: Any = 1,
    average: str | None = "binary",
    zero_division: str | float = "warn",
) -> Any:
    """F1 score, the harmonic mean of precision and recall, as ``sklearn.metrics.f1_score`` computes it.

    Parameters
    ----------
    y_true, y_pred, labels, pos_label, zero_division
        As in :func:`precision_recall_fscore_support`.
    average : {None, "binary", "micro", "macro", "weighted"}, default="binary"
        As in :func:`precision_recall_fscore_support`.

    Returns
    -------
    float, or np.ndarray of shape (n_labels,) when ``average=None``

    Raises
    ------
    ValueError
        As :func:`precision_recall_fscore_support`.
    """
    _, _, fscore, _ = _prfs(
        y_true,
        y_pred,
        labels=labels,
        pos_label=pos_label,
        average=average,
        beta=1.0,
        zero_division=zero_division,
        warn_for=("f-score",),
    )
    return fscore
