"""Worked examples from the README. The hidden grader checks much more."""

import numpy as np
import pytest
from classification_metrics import accuracy, confusion_matrix, f1_score, precision_recall_fscore_support

Y_TRUE = [2, 0, 2, 2, 0, 1]
Y_PRED = [0, 0, 2, 2, 0, 2]


def test_confusion_matrix_rows_are_true_labels() -> None:
    expected = [[2, 0, 0], [0, 0, 1], [1, 0, 2]]
    np.testing.assert_array_equal(confusion_matrix(Y_TRUE, Y_PRED), expected)


def test_confusion_matrix_with_labels_and_normalize() -> None:
    np.testing.assert_array_equal(confusion_matrix(Y_TRUE, Y_PRED, labels=[2, 0]), [[2, 1], [0, 2]])
    expected = [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [1 / 3, 0.0, 2 / 3]]
    np.testing.assert_allclose(confusion_matrix(Y_TRUE, Y_PRED, normalize="true"), expected)


def test_accuracy() -> None:
    assert accuracy(Y_TRUE, Y_PRED) == pytest.approx(2 / 3)
    assert accuracy(Y_TRUE, Y_PRED, normalize=False) == 4


def test_per_label_scores() -> None:
    p, r, f, s = precision_recall_fscore_support(Y_TRUE, Y_PRED, zero_division=0)
    np.testing.assert_allclose(p, [2 / 3, 0.0, 2 / 3])
    np.testing.assert_allclose(r, [1.0, 0.0, 2 / 3])
    np.testing.assert_allclose(f, [0.8, 0.0, 2 / 3])
    np.testing.assert_array_equal(s, [2, 1, 3])


@pytest.mark.parametrize(
    ("average", "expected"),
    [
        ("macro", (4 / 9, 5 / 9, 22 / 45)),
        ("micro", (2 / 3, 2 / 3, 2 / 3)),
        ("weighted", (5 / 9, 2 / 3, 0.6)),
    ],
)
def test_averages(average: str, expected: tuple[float, float, float]) -> None:
    p, r, f, s = precision_recall_fscore_support(Y_TRUE, Y_PRED, average=average, zero_division=0)
    assert (p, r, f) == pytest.approx(expected)
    assert s is None


def test_binary_string_labels_and_beta() -> None:
    t = ["spam", "ham", "spam", "spam", "ham", "ham"]
    p = ["spam", "spam", "spam", "ham", "ham", "spam"]
    assert f1_score(t, p, pos_label="spam") == pytest.approx(4 / 7)
    prec, rec, f2, support = precision_recall_fscore_support(t, p, average="binary", pos_label="spam", beta=2)
    assert (prec, rec, f2) == pytest.approx((0.5, 2 / 3, 0.625))
    assert support is None


def test_f_is_zero_when_only_precision_is_undefined() -> None:
    assert f1_score([0, 1], [0, 0], zero_division=1) == 0.0
    assert f1_score([0, 0], [0, 0], zero_division=1) == 1.0


def test_binary_average_on_multiclass_raises() -> None:
    with pytest.raises(ValueError):  # noqa: PT011 (any message will do)
        f1_score([0, 1, 2], [0, 1, 1])
