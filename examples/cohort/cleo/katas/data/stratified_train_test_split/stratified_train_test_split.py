"""Train/test splits, plain and stratified, with sklearn's sizes, rounding and errors."""

from __future__ import annotations

from typing import Any

import numpy as np


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
    # TODO(task 1): validate test_size / train_size and turn them into n_train, n_test (sklearn's rules).
    # TODO(task 2): shuffle=False layout; otherwise one permutation from the generator made from rng.
    # TODO(task 3): stratify: per-class counts (train first, then test from the rest), then rows per class.
    # TODO(task 5): raise ValueError with sklearn's messages (see the README).
    raise NotImplementedError


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
    # TODO(task 4): one split_indices call, then every array's rows by position, in the array's own type.
    # TODO(task 5): no arrays, or arrays of different lengths: ValueError (sklearn's messages).
    raise NotImplementedError
