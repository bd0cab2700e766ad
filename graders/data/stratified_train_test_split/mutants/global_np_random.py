"""MUTANT global_np_random: uses NumPy's global random state (seeded with np.random.seed) and ignores a
Generator."""

from __future__ import annotations

import math
from typing import Any

import numpy as np


def _as_generator(rng: Any) -> np.random.Generator:
    """``None`` -> fresh entropy, an int -> a seeded generator, a Generator -> itself (it advances)."""
    if not isinstance(rng, np.random.Generator):
        np.random.seed(rng)
    return np.random.mtrand._rand
    if rng is None or (isinstance(rng, (int, np.integer)) and not isinstance(rng, (bool, np.bool_))):
        return np.random.default_rng(rng)
    raise TypeError(f"rng must be None, an int seed or a np.random.Generator, got {rng!r}")


def _validate_sizes(
    n_samples: int, test_size: Any, train_size: Any, default_test_size: float = 0.25
) -> tuple[int, int]:
    """``(n_train, n_test)`` for ``n_samples`` rows, as sklearn's ``_validate_shuffle_split`` finds them."""
    if test_size is None and train_size is None:
        test_size = default_test_size

    # The kind of the value decides its meaning: 'i' is a count, 'f' a fraction, anything else is invalid.
    test_kind = np.asarray(test_size).dtype.kind
    train_kind = np.asarray(train_size).dtype.kind

    if (test_kind == "i" and (test_size >= n_samples or test_size <= 0)) or (
        test_kind == "f" and (test_size <= 0 or test_size >= 1)
    ):
        raise ValueError(
            f"test_size={test_size} should be either positive and smaller than the number of samples "
            f"{n_samples} or a float in the (0, 1) range"
        )
    if (train_kind == "i" and (train_size >= n_samples or train_size <= 0)) or (
        train_kind == "f" and (train_size <= 0 or train_size >= 1)
    ):
        raise ValueError(
            f"train_size={train_size} should be either positive and smaller than the number of samples "
            f"{n_samples} or a float in the (0, 1) range"
        )
    if train_size is not None and train_kind not in ("i", "f"):
        raise ValueError(f"Invalid value for train_size: {train_size}")
    if test_size is not None and test_kind not in ("i", "f"):
        raise ValueError(f"Invalid value for test_size: {test_size}")

    if train_kind == "f" and test_kind == "f" and train_size + test_size > 1:
        raise ValueError(
            f"The sum of test_size and train_size = {train_size + test_size}, should be in the (0, 1) range. "
            "Reduce test_size and/or train_size."
        )

    # Fractions: the test side rounds up, the train side rounds down, both in floating point.
    n_test: int | None = None
    n_train: int | None = None
    if test_kind == "f":
        n_test = math.ceil(test_size * n_samples)
    elif test_kind == "i":
        n_test = int(test_size)
    if train_kind == "f":
        n_train = math.floor(train_size * n_samples)
    elif train_kind == "i":
        n_train = int(train_size)
    if n_train is None:
        n_train = n_samples - n_test
    elif n_test is None:
        n_test = n_samples - n_train

    if n_train + n_test > n_samples:
        raise ValueError(
            f"The sum of train_size and test_size = {n_train + n_test}, should be smaller than the number of "
            f"samples {n_samples}. Reduce test_size and/or train_size."
        )
    if n_train == 0:
        raise ValueError(
            f"With n_samples={n_samples}, test_size={test_size} and train_size={train_size}, "
            "the resulting train set will be empty. Adjust any of the aforementioned parameters."
        )
    return n_train, n_test


def _approximate_mode(class_counts: np.ndarray, n_draws: int, rng: np.random.Generator) -> np.ndarray:
    """Per-class draws: the floor of each proportional share, leftovers to the largest fractional parts.

    Integer arithmetic keeps the shares exact; ties between equal fractional parts are broken at random.
    """
    total = int(class_counts.sum())
    scaled = class_counts.astype(np.int64) * n_draws
    drawn = scaled // total
    remainder = scaled % total  # the fractional part of each share, times total
    leftover = n_draws - int(drawn.sum())
    if leftover > 0:
        # Largest remainder first; a random key breaks ties.
        order = np.lexsort((rng.random(len(class_counts)), -remainder))
        drawn[order[:leftover]] += 1
    return drawn


def split_indices(
    n_samples: int,
    *,
    test_size: float | int | None = None,
    train_size: float | int | None = None,
    stratify: Any = None,
    shuffle: bool = True,
    rng: int | np.random.Generator | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Row indices of a train/test split of ``n_samples`` rows, as sklearn's ``train_test_split`` makes them.

    Parameters
    ----------
    n_samples : int
        Number of rows to split.
    test_size : float or int, optional
        A float in (0, 1) is a fraction (``ceil(test_size * n_samples)`` rows); an int is a count. When both
        sizes are None, ``test_size`` is 0.25; when only ``train_size`` is given, the test set is the rest.
    train_size : float or int, optional
        A float in (0, 1) is a fraction (``floor(train_size * n_samples)`` rows); an int is a count. When
        None, the train set is the rest.
    stratify : array-like of shape (n_samples,), optional
        Class labels: each class is split in the proportions of the whole.
    shuffle : bool, default=True
        If False, train is the first ``n_train`` rows and test the ``n_test`` rows that follow.
    rng : None, int or np.random.Generator, optional
        Source of randomness: None (fresh entropy), an int seed, or a Generator (which advances).

    Returns
    -------
    train_idx, test_idx : np.ndarray of int
        Disjoint row indices, in random order when ``shuffle`` is True.

    Raises
    ------
    ValueError
        For invalid sizes, ``stratify`` with ``shuffle=False``, a class with fewer than 2 members, or fewer
        train or test rows than classes (sklearn's messages).

    Examples
    --------
    >>> train, test = split_indices(10, rng=0)
    >>> len(train), len(test)
    (7, 3)
    >>> split_indices(10, test_size=2, train_size=5, shuffle=False)
    (array([0, 1, 2, 3, 4]), array([5, 6]))
    """
    n_train, n_test = _validate_sizes(n_samples, test_size, train_size)

    if not shuffle:
        if stratify is not None:
            raise ValueError("Stratified train/test split is not implemented for shuffle=False")
        return np.arange(n_train), np.arange(n_train, n_train + n_test)

    gen = _as_generator(rng)
    if stratify is None:
        permutation = gen.permutation(n_samples)
        return permutation[n_test : n_test + n_train], permutation[:n_test]

    y = np.asarray(stratify)
    if y.ndim != 1 or y.shape[0] != n_samples:
        raise ValueError(
            f"Found input variables with inconsistent numbers of samples: {[n_samples, int(np.shape(y)[0])]}"
        )
    classes, y_codes, class_counts = np.unique(y, return_inverse=True, return_counts=True)
    if class_counts.min() < 2:
        raise ValueError(
            "The least populated classes in y have only 1 member, which is too few. The minimum number of "
            "groups for any class cannot be less than 2. Classes with too few members are: "
            f"{classes[class_counts < 2].tolist()}"
        )
    n_classes = len(classes)
    if n_train < n_classes:
        raise ValueError(
            f"The train_size = {n_train} should be greater or equal to the number of classes = {n_classes}"
        )
    if n_test < n_classes:
        raise ValueError(
            f"The test_size = {n_test} should be greater or equal to the number of classes = {n_classes}"
        )

    # Train first, then test from what is left of each class.
    train_counts = _approximate_mode(class_counts, n_train, gen)
    test_counts = _approximate_mode(class_counts - train_counts, n_test, gen)

    train_parts, test_parts = [], []
    for k in range(n_classes):
        members = gen.permutation(np.flatnonzero(y_codes == k))
        train_parts.append(members[: train_counts[k]])
        test_parts.append(members[train_counts[k] : train_counts[k] + test_counts[k]])
    # Shuffle across classes, so that rows do not come grouped by class.
    return gen.permutation(np.concatenate(train_parts)), gen.permutation(np.concatenate(test_parts))


def _n_rows(array: Any) -> int:
    shape = getattr(array, "shape", None)
    if shape is not None and len(shape) > 0:
        return int(shape[0])
    return len(array)


def _take(array: Any, idx: np.ndarray) -> Any:
    """Rows ``idx`` of ``array`` by position: pandas keeps its index, a list stays a list."""
    if hasattr(array, "iloc"):
        return array.iloc[idx]
    if isinstance(array, list):
        return [array[i] for i in idx.tolist()]
    return np.asarray(array)[idx]


def train_test_split(
    *arrays: Any,
    test_size: float | int | None = None,
    train_size: float | int | None = None,
    stratify: Any = None,
    shuffle: bool = True,
    rng: int | np.random.Generator | None = None,
) -> list[Any]:
    """Split arrays into train and test rows, as ``sklearn.model_selection.train_test_split``.

    Parameters
    ----------
    *arrays : NumPy arrays, lists, pandas DataFrames or Series, all with the same number of rows
        The data to split; every array is split with the same row indices.
    test_size, train_size, stratify, shuffle, rng
        As in :func:`split_indices`.

    Returns
    -------
    list
        ``[a_train, a_test, b_train, b_test, ...]``: each input's rows taken by position, of the input's type
        (a DataFrame or Series keeps its index, a list stays a list).

    Raises
    ------
    ValueError
        If no array is given, if the arrays have different numbers of rows, or as :func:`split_indices`.

    Examples
    --------
    >>> X, y = np.arange(20).reshape(10, 2), np.arange(10)
    >>> X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, rng=0)
    >>> X_train.shape, X_test.shape, y_train.shape, y_test.shape
    ((7, 2), (3, 2), (7,), (3,))
    """
    if not arrays:
        raise ValueError("At least one array required as input")
    lengths = [_n_rows(a) for a in arrays]
    if len(set(lengths)) > 1:
        raise ValueError(f"Found input variables with inconsistent numbers of samples: {lengths}")
    train, test = split_indices(
        lengths[0], test_size=test_size, train_size=train_size, stratify=stratify, shuffle=shuffle, rng=rng
    )
    out: list[Any] = []
    for array in arrays:
        out.extend([_take(array, train), _take(array, test)])
    return out
