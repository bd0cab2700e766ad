"""Confusion matrix, accuracy, precision, recall and F-beta, computed exactly as scikit-learn does."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np


class UndefinedMetricWarning(UserWarning):
    """A metric is ill-defined (a zero denominator) and ``zero_division="warn"`` set it to 0.0."""


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
    # TODO(task 1): validate, find the labels, count (true, predicted) pairs, then normalize if asked.
    raise NotImplementedError


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
    # TODO(task 2): validate, then count the matches.
    raise NotImplementedError


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
    # TODO(task 3): count tp, predicted and true per label (in the order of `labels`), divide.
    # TODO(task 4): binary / micro / macro / weighted averaging; support is None when averaged.
    # TODO(task 5): zero denominators give zero_division (and a warning for "warn"); F is ill-defined only
    #               when tp + fp + fn == 0.
    # TODO(task 6): raise ValueError as the docstring says.
    raise NotImplementedError


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
    # TODO(task 4): the F-score of precision_recall_fscore_support with beta=1.
    raise NotImplementedError
