"""Worked examples from the README. The hidden grader checks much more."""

import numpy as np
import pytest
from stratified_train_test_split import split_indices, train_test_split


@pytest.mark.parametrize(
    ("n", "kwargs", "sizes"),
    [
        (10, {}, (7, 3)),
        (7, {"test_size": 0.3}, (4, 3)),
        (5, {"test_size": 0.5}, (2, 3)),
        (10, {"train_size": 0.55}, (5, 5)),
        (10, {"train_size": 5, "test_size": 2}, (5, 2)),
    ],
)
def test_sizes_table(n, kwargs, sizes) -> None:
    train, test = split_indices(n, rng=0, **kwargs)
    assert (len(train), len(test)) == sizes


def test_split_is_a_partition() -> None:
    train, test = split_indices(10, rng=0)
    assert sorted(np.concatenate([train, test]).tolist()) == list(range(10))


def test_no_shuffle_layout() -> None:
    train, test = split_indices(10, test_size=2, train_size=5, shuffle=False)
    np.testing.assert_array_equal(train, [0, 1, 2, 3, 4])
    np.testing.assert_array_equal(test, [5, 6])


def test_same_seed_same_split() -> None:
    first = split_indices(20, rng=3)
    second = split_indices(20, rng=3)
    np.testing.assert_array_equal(first[0], second[0])
    np.testing.assert_array_equal(first[1], second[1])


def test_stratified_counts() -> None:
    y = np.array([0] * 8 + [1] * 2)
    train, test = split_indices(10, test_size=0.3, stratify=y, rng=0)
    assert np.bincount(y[train]).tolist() == [6, 1]
    assert np.bincount(y[test]).tolist() == [2, 1]


def test_train_test_split_keeps_rows_aligned() -> None:
    X = np.arange(20).reshape(10, 2)
    y = np.arange(10)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, rng=0)
    assert X_train.shape == (7, 2)
    assert X_test.shape == (3, 2)
    np.testing.assert_array_equal(X_train[:, 0] // 2, y_train)
    np.testing.assert_array_equal(X_test[:, 0] // 2, y_test)


def test_class_with_one_member_raises() -> None:
    with pytest.raises(ValueError, match="least populated class"):
        split_indices(10, stratify=[0] * 9 + [1], rng=0)
