"""Hidden grader for classification_metrics.

The oracle is scikit-learn 1.9.1, called in this trusted process with every parameter pinned:
``sklearn.metrics.confusion_matrix``, ``accuracy_score``, ``precision_recall_fscore_support`` and
``f1_score`` (``sample_weight=None``; ``warn_for`` pinned to the public functions' own). The named edge cases
are those of sklearn's ``metrics/tests/test_classification.py``, re-run on 1.9.1: the empty-prediction rule
F = [0, 2/3, 1, 0] for every zero_division, F undefined only when tp + fp + fn = 0, extra labels, the
pathological all-wrong macro case. Results are compared by value: lists or arrays, int or float counts, Python
or NumPy floats are all accepted.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np
import pytest
import sklearn.metrics as skm
from hypothesis import given, settings
from hypothesis import strategies as st

from mlkata.grading import checks
from mlkata.reprs import short_repr

pytestmark = pytest.mark.filterwarnings("ignore")

NAN = float("nan")
NAMES = ("precision", "recall", "fscore", "support")
PRFS_ORACLE = "sklearn.metrics.precision_recall_fscore_support"
ALPHABETS: dict[str, list[Any]] = {
    "int": [-1, 0, 1, 2, 10],
    "bool": [False, True],
    "str": ["ant", "bird", "cat", "dog"],
}
AVERAGES = [None, "binary", "micro", "macro", "weighted"]
ZERO_DIVISIONS = ["warn", 0, 1, NAN]

HINT_F_FROM_COUNTS = (
    "compute F from the counts, (1 + b^2) tp / ((1 + b^2) tp + b^2 fn + fp); it is only undefined when "
    "tp + fp + fn = 0"
)


# -- helpers -----------------------------------------------------------------------------------------------


def _arg(value: Any) -> str:
    if isinstance(value, np.ndarray) and value.ndim == 1 and value.size <= 40:
        return f"np.array({value.tolist()!r})"
    if isinstance(value, list) and len(value) <= 40:
        return repr(value)
    if isinstance(value, float) and math.isnan(value):
        return "np.nan"
    return short_repr(value)


def call(name: str, *args: Any, **kwargs: Any) -> str:
    """The call as the learner can paste it, inputs in full."""
    parts = [_arg(a) for a in args] + [f"{k}={_arg(v)}" for k, v in kwargs.items()]
    return f"{name}({', '.join(parts)})"


def quiet(fn: Any, *args: Any, **kwargs: Any) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(*args, **kwargs)


def sk_prfs(y_true, y_pred, *, labels=None, pos_label=1, average=None, beta=1.0, zero_division="warn"):
    return quiet(
        skm.precision_recall_fscore_support,
        y_true,
        y_pred,
        labels=labels,
        pos_label=pos_label,
        average=average,
        beta=beta,
        zero_division=zero_division,
        sample_weight=None,
        warn_for=("precision", "recall", "f-score"),
    )


def sk_f1(y_true, y_pred, *, labels=None, pos_label=1, average="binary", zero_division="warn"):
    return quiet(
        skm.f1_score,
        y_true,
        y_pred,
        labels=labels,
        pos_label=pos_label,
        average=average,
        zero_division=zero_division,
        sample_weight=None,
    )


def sk_cm(y_true, y_pred, *, labels=None, normalize=None):
    return quiet(skm.confusion_matrix, y_true, y_pred, labels=labels, normalize=normalize, sample_weight=None)


def sk_accuracy(y_true, y_pred, *, normalize=True):
    return quiet(skm.accuracy_score, y_true, y_pred, normalize=normalize, sample_weight=None)


def oracle_or_error(fn: Any, *args: Any, **kwargs: Any) -> tuple[Any, str | None]:
    """(value, None), or (None, message) where the oracle raises ValueError."""
    try:
        return fn(*args, **kwargs), None
    except ValueError as exc:
        return None, str(exc).split("\n")[0]


def check_prfs(got: Any, expected: tuple[Any, ...], label: str, *, hint: str | None = None) -> None:
    """Compare a (precision, recall, fscore, support) result with the oracle's, element by element."""
    __tracebackhide__ = True
    if not isinstance(got, (tuple, list)) or len(got) != 4:
        checks.fail(
            label,
            f"Returned {short_repr(got)}",
            "a tuple (precision, recall, fscore, support)",
            "return the four results together, as sklearn does",
        )
    averaged = expected[3] is None
    for i, name in enumerate(NAMES[:3]):
        where = f"{label}[{i}] (the {name})"
        if averaged:
            checks.close(got[i], expected[i], where, rtol=1e-9, oracle=PRFS_ORACLE, hint=hint)
        else:
            checks.array_close(got[i], expected[i], where, rtol=1e-9, oracle=PRFS_ORACLE, hint=hint)
    where = f"{label}[3] (the support)"
    if averaged:
        if got[3] is not None:
            checks.fail(
                where,
                f"Returned {short_repr(got[3])}",
                "None",
                "an averaged result has no support: return None",
            )
    else:
        checks.array_close(
            got[3],
            expected[3],
            where,
            rtol=0,
            atol=0,
            oracle=PRFS_ORACLE,
            hint="the support of a label is the number of samples whose true label it is",
        )


def check_f1(got: Any, expected: Any, label: str, *, hint: str | None = None) -> None:
    __tracebackhide__ = True
    if np.ndim(expected) == 0:
        checks.close(got, expected, label, rtol=1e-9, oracle="sklearn.metrics.f1_score", hint=hint)
    else:
        checks.array_close(got, expected, label, rtol=1e-9, oracle="sklearn.metrics.f1_score", hint=hint)


def check_cm(got: Any, expected: np.ndarray, label: str, *, hint: str | None = None) -> None:
    __tracebackhide__ = True
    exact = expected.dtype.kind in "iub"
    checks.array_close(
        got,
        expected,
        label,
        rtol=0 if exact else 1e-9,
        atol=0 if exact else 1e-12,
        oracle="sklearn.metrics.confusion_matrix",
        hint=hint,
    )


def all_finite_or_fail(values: Any, label: str, hint: str) -> None:
    __tracebackhide__ = True
    for i, value in enumerate(values):
        if value is None:
            continue
        arr = checks.as_array(value, label)
        if not np.all(np.isfinite(arr.astype(np.float64))):
            checks.fail(
                f"{label}[{i}]", f"Returned {short_repr(value)}", "finite values (no NaN, no inf)", hint
            )


# -- hypothesis strategies ---------------------------------------------------------------------------------


def _container(draw: Any, values: list[Any], kind: str) -> Any:
    if draw(st.booleans()):
        return values
    dtype = {"int": np.int64, "bool": np.bool_, "str": np.str_}[kind]
    return np.array(values, dtype=dtype)


@st.composite
def targets(draw: Any, *, max_classes: int = 4, max_size: int = 20) -> tuple[str, list[Any], Any, Any]:
    """(kind, alphabet, y_true, y_pred): labels of one kind, each sequence a list or an array.

    Hypothesis picks the kind, the number of classes, the length and a seed; the seed draws the labels (with
    unbalanced class frequencies, and predictions right with a random accuracy), so that examples stay varied.
    """
    kind = draw(st.sampled_from(sorted(ALPHABETS)))
    alphabet = ALPHABETS[kind]
    k = draw(st.integers(1, min(max_classes, len(alphabet))))
    n = draw(st.integers(1, max_size))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    classes = [alphabet[i] for i in rng.permutation(len(alphabet))[:k]]
    freq = rng.dirichlet(np.ones(k))
    y_true = [classes[i] for i in rng.choice(k, size=n, p=freq)]
    right = rng.uniform(0.0, 1.0)
    y_pred = [t if rng.random() < right else classes[rng.integers(k)] for t in y_true]
    return kind, alphabet, _container(draw, y_true, kind), _container(draw, y_pred, kind)


def draw_labels(draw: Any, alphabet: list[Any]) -> list[Any] | None:
    """None, or a non-empty part of the alphabet in random order (possibly labels absent from the data)."""
    if draw(st.booleans()):
        return None
    perm = draw(st.permutations(alphabet))
    return perm[: draw(st.integers(1, len(perm)))]


BETAS = st.sampled_from([1.0, 0.5, 2.0, 1 / 3, 3.0, 0.0])
ZD = st.sampled_from(["warn", 0, 1, NAN, 0.0, 1.0])


# -- task: confusion ---------------------------------------------------------------------------------------


@pytest.mark.task("confusion", points=1)
def test_worked_example_confusion_matrix(learner):
    y_true, y_pred = [2, 0, 2, 2, 0, 1], [0, 0, 2, 2, 0, 2]
    got = learner.confusion_matrix(y_true, y_pred)
    check_cm(
        got,
        np.array([[2, 0, 0], [0, 0, 1], [1, 0, 2]]),
        call("confusion_matrix", y_true, y_pred),
        hint="C[i, j] counts samples whose TRUE label is labels[i] and PREDICTED label is labels[j]; "
        "labels default to the sorted union of y_true and y_pred",
    )


@pytest.mark.task("confusion", points=1)
def test_confusion_orientation_rows_true_columns_predicted(learner):
    y_true, y_pred = [0, 1, 0, 1, 1], [1, 1, 1, 0, 1]
    got = learner.confusion_matrix(y_true, y_pred)
    # tn=0, fp=2, fn=1, tp=2
    check_cm(
        got,
        np.array([[0, 2], [1, 2]]),
        call("confusion_matrix", y_true, y_pred),
        hint="rows are true labels and columns predicted ones: in the binary case [[tn, fp], [fn, tp]]",
    )
    y_true = np.array(["cat", "ant", "cat", "cat", "ant", "bird"])
    y_pred = np.array(["ant", "ant", "cat", "cat", "ant", "cat"])
    got = learner.confusion_matrix(y_true, y_pred)
    check_cm(
        got,
        sk_cm(y_true, y_pred, labels=None),
        call("confusion_matrix", y_true, y_pred),
        hint="string labels are sorted too: ant, bird, cat",
    )


@pytest.mark.task("confusion", points=1)
def test_confusion_labels_order_and_subset(learner):
    y_true, y_pred = [2, 0, 2, 2, 0, 1], [0, 0, 2, 2, 0, 2]
    for labels in ([2, 0], [0, 2, 1], [1, 0, 2, 5]):
        got = learner.confusion_matrix(y_true, y_pred, labels=labels)
        check_cm(
            got,
            sk_cm(y_true, y_pred, labels=labels),
            call("confusion_matrix", y_true, y_pred, labels=labels),
            hint="labels fixes the order of rows and columns; samples whose true or predicted label is not "
            "in labels are left out, and a label absent from the data gets a row and column of zeros",
        )


@pytest.mark.task("confusion", points=1)
@pytest.mark.parametrize("normalize", ["true", "pred", "all"])
def test_confusion_normalize_zero_sums_give_zero(learner, normalize):
    # label 2 never occurs in y_true (a zero row), label 3 never occurs at all (a zero row and column);
    # labels=[1, 0] leaves out the samples predicted 2, and the normalisation counts only the samples kept
    y_true, y_pred = [0, 0, 1, 1, 1, 0], [0, 2, 1, 1, 0, 2]
    axis = {"true": "row", "pred": "column", "all": "grand total"}[normalize]
    for labels in ([0, 1, 2, 3], [1, 0]):
        got = learner.confusion_matrix(y_true, y_pred, labels=labels, normalize=normalize)
        label = call("confusion_matrix", y_true, y_pred, labels=labels, normalize=normalize)
        expected = sk_cm(y_true, y_pred, labels=labels, normalize=normalize)
        arr = checks.as_array(got, label)
        if arr.dtype.kind in "fc" and arr.shape == expected.shape and not np.all(np.isfinite(arr)):
            checks.fail(
                label,
                f"Returned {short_repr(arr)}",
                f"{short_repr(expected)} (sklearn.metrics.confusion_matrix)",
                "a row or column that sums to zero stays zero: never compute 0/0",
            )
        check_cm(
            got,
            expected,
            label,
            hint=f'normalize="{normalize}" divides each entry by its {axis} sum, taken over the matrix '
            "itself (the samples left out by labels= do not count)",
        )


@pytest.mark.task("confusion", points=1)
@settings(max_examples=30)
@given(data=st.data(), normalize=st.sampled_from([None, None, "true", "pred", "all"]))
def test_confusion_matches_sklearn(learner, data, normalize):
    _, alphabet, y_true, y_pred = data.draw(targets())
    labels = draw_labels(data.draw, alphabet)
    if labels is not None and not any(lab in list(y_true) for lab in labels):
        labels = [*labels, y_true[0].item() if isinstance(y_true, np.ndarray) else y_true[0]]
    expected = sk_cm(y_true, y_pred, labels=labels, normalize=normalize)
    got = learner.confusion_matrix(y_true, y_pred, labels=labels, normalize=normalize)
    check_cm(
        got,
        expected,
        call("confusion_matrix", y_true, y_pred, labels=labels, normalize=normalize),
        hint="rows true, columns predicted, in the order of labels (default: sorted union); samples outside "
        "labels are left out",
    )


# -- task: accuracy ----------------------------------------------------------------------------------------


@pytest.mark.task("accuracy", points=1)
def test_worked_example_accuracy(learner):
    y_true, y_pred = [2, 0, 2, 2, 0, 1], [0, 0, 2, 2, 0, 2]
    checks.close(
        learner.accuracy(y_true, y_pred),
        2 / 3,
        call("accuracy", y_true, y_pred),
        oracle="sklearn.metrics.accuracy_score",
        hint="the fraction of samples with y_pred == y_true",
    )
    checks.close(
        learner.accuracy(y_true, y_pred, normalize=False),
        4.0,
        call("accuracy", y_true, y_pred, normalize=False),
        oracle="sklearn.metrics.accuracy_score",
        hint="normalize=False returns the number of correct predictions, not the fraction",
    )


@pytest.mark.task("accuracy", points=1)
def test_accuracy_string_and_bool_labels(learner):
    cases = [
        (["spam", "ham", "spam"], ["spam", "spam", "spam"]),
        (np.array([True, False, True, True]), np.array([True, True, False, True])),
        (np.array([-1, 7, 7]), [-1, 7, 7]),
    ]
    for y_true, y_pred in cases:
        checks.close(
            learner.accuracy(y_true, y_pred),
            sk_accuracy(y_true, y_pred, normalize=True),
            call("accuracy", y_true, y_pred),
            oracle="sklearn.metrics.accuracy_score",
            hint="labels may be strings, booleans or any integers; compare them element by element",
        )


@pytest.mark.task("accuracy", points=1)
@settings(max_examples=25)
@given(data=st.data(), normalize=st.booleans())
def test_accuracy_matches_sklearn(learner, data, normalize):
    _, _, y_true, y_pred = data.draw(targets(max_size=30))
    got = learner.accuracy(y_true, y_pred, normalize=normalize)
    checks.close(
        got,
        sk_accuracy(y_true, y_pred, normalize=normalize),
        call("accuracy", y_true, y_pred, normalize=normalize),
        oracle="sklearn.metrics.accuracy_score",
        hint="normalize=True: correct / n; normalize=False: the count of correct predictions",
    )


# -- task: per_class ---------------------------------------------------------------------------------------


@pytest.mark.task("per_class", points=1)
def test_worked_example_per_label(learner):
    y_true, y_pred = [2, 0, 2, 2, 0, 1], [0, 0, 2, 2, 0, 2]
    got = learner.precision_recall_fscore_support(y_true, y_pred, average=None, zero_division=0)
    expected = (
        np.array([2 / 3, 0.0, 2 / 3]),
        np.array([1.0, 0.0, 2 / 3]),
        np.array([0.8, 0.0, 2 / 3]),
        np.array([2, 1, 3]),
    )
    check_prfs(
        got,
        expected,
        call("precision_recall_fscore_support", y_true, y_pred, average=None, zero_division=0),
        hint="per label: precision = tp / (tp + fp), recall = tp / (tp + fn), support = tp + fn",
    )


@pytest.mark.task("per_class", points=1)
def test_labels_sorted_not_in_order_of_appearance(learner):
    cases = [
        ([2, 0, 1, 2, 2, 1], [2, 1, 0, 2, 1, 1]),
        ([10, 2, -1, 10, 2], [10, 10, 2, -1, 2]),
        (["dog", "cat", "ant", "dog"], ["dog", "ant", "ant", "cat"]),
        ([0, 0, 1, 1, 0], [0, 2, 1, 2, 0]),
    ]
    for y_true, y_pred in cases:
        got = learner.precision_recall_fscore_support(y_true, y_pred, average=None, zero_division=0)
        check_prfs(
            got,
            sk_prfs(y_true, y_pred, average=None, zero_division=0),
            call("precision_recall_fscore_support", y_true, y_pred, average=None, zero_division=0),
            hint="without labels=, per-label results follow the SORTED union of y_true and y_pred (a label "
            "that is only predicted counts too), not the order in which labels first appear",
        )


@pytest.mark.task("per_class", points=1)
def test_explicit_labels_order_permutes_results(learner):
    y_true, y_pred = [0, 1, 2, 0, 1, 2, 1], [0, 2, 1, 0, 0, 1, 1]
    for labels in ([0, 2, 1], [2, 1, 0], [1]):
        got = learner.precision_recall_fscore_support(
            y_true, y_pred, labels=labels, average=None, zero_division=0
        )
        check_prfs(
            got,
            sk_prfs(y_true, y_pred, labels=labels, average=None, zero_division=0),
            call(
                "precision_recall_fscore_support",
                y_true,
                y_pred,
                labels=labels,
                average=None,
                zero_division=0,
            ),
            hint="labels= fixes which labels are scored and in what order",
        )


@pytest.mark.task("per_class", points=1)
def test_extra_labels_without_support(learner):
    y_true, y_pred, labels = [1, 3, 3, 2], [1, 1, 3, 2], [0, 1, 2, 3, 4]
    got = learner.precision_recall_fscore_support(
        y_true, y_pred, labels=labels, average=None, zero_division=0
    )
    expected = sk_prfs(y_true, y_pred, labels=labels, average=None, zero_division=0)
    # recall = [0, 1, 1, 0.5, 0], support = [0, 1, 1, 2, 0]
    check_prfs(
        got,
        expected,
        call("precision_recall_fscore_support", y_true, y_pred, labels=labels, average=None, zero_division=0),
        hint="a label in labels= that never occurs still gets an entry: counts of zero, scores from "
        "zero_division",
    )


@pytest.mark.task("per_class", points=1)
def test_binary_string_labels_pos_label(learner):
    y_true = ["spam", "ham", "spam", "spam", "ham", "ham"]
    y_pred = ["spam", "spam", "spam", "ham", "ham", "spam"]
    for pos_label in ("spam", "ham"):
        got = learner.precision_recall_fscore_support(y_true, y_pred, pos_label=pos_label, average="binary")
        check_prfs(
            got,
            sk_prfs(y_true, y_pred, pos_label=pos_label, average="binary"),
            call("precision_recall_fscore_support", y_true, y_pred, pos_label=pos_label, average="binary"),
            hint="average='binary' scores pos_label alone, whichever label it is",
        )
        got = learner.f1_score(y_true, y_pred, pos_label=pos_label)
        check_f1(
            got,
            sk_f1(y_true, y_pred, pos_label=pos_label),
            call("f1_score", y_true, y_pred, pos_label=pos_label),
            hint="f1_score defaults to average='binary' and scores pos_label",
        )


@pytest.mark.task("per_class", points=1)
def test_integer_pos_label_zero(learner):
    y_true, y_pred = [0, 0, 0, 1, 1], [0, 1, 0, 1, 0]
    got = learner.f1_score(y_true, y_pred, pos_label=0)
    check_f1(
        got,
        sk_f1(y_true, y_pred, pos_label=0),
        call("f1_score", y_true, y_pred, pos_label=0),
        hint="pos_label=0 makes 0 the positive class: tp counts samples with y_true == y_pred == 0",
    )


@pytest.mark.task("per_class", points=1)
def test_bool_labels(learner):
    y_true = np.array([True, False, True, True, False])
    y_pred = np.array([True, True, False, True, False])
    got = learner.precision_recall_fscore_support(y_true, y_pred, average=None)
    check_prfs(
        got,
        sk_prfs(y_true, y_pred, average=None),
        call("precision_recall_fscore_support", y_true, y_pred, average=None),
        hint="booleans are labels like any other: False sorts before True",
    )
    got = learner.f1_score(y_true, y_pred)
    check_f1(
        got,
        sk_f1(y_true, y_pred),
        call("f1_score", y_true, y_pred),
        hint="with boolean labels the default pos_label=1 is True",
    )


@pytest.mark.task("per_class", points=1)
@pytest.mark.parametrize(
    ("beta", "hint"),
    [
        (2.0, "F-beta = (1 + b^2) tp / ((1 + b^2) tp + b^2 fn + fp): beta > 1 weighs recall more"),
        (0.5, "F-beta = (1 + b^2) tp / ((1 + b^2) tp + b^2 fn + fp): beta < 1 weighs precision more"),
        (0.0, "beta = 0 gives precision: (1 + 0) tp / (tp + fp)"),
        (
            math.inf,
            "beta = np.inf gives recall (the limit); (1 + inf) tp / (inf (tp + fn) + ...) would be inf/inf",
        ),
    ],
    ids=["2", "0.5", "0", "inf"],
)
def test_fbeta(learner, beta, hint):
    y_true = [0, 1, 1, 1, 0, 2, 2, 1]
    y_pred = [0, 1, 0, 2, 1, 2, 2, 2]
    got = learner.precision_recall_fscore_support(y_true, y_pred, average=None, beta=beta)
    check_prfs(
        got,
        sk_prfs(y_true, y_pred, average=None, beta=beta),
        call("precision_recall_fscore_support", y_true, y_pred, average=None, beta=beta),
        hint=hint,
    )


@pytest.mark.task("per_class", points=1)
@settings(max_examples=40)
@given(data=st.data(), beta=BETAS, zero_division=ZD)
def test_per_label_matches_sklearn(learner, data, beta, zero_division):
    _, alphabet, y_true, y_pred = data.draw(targets())
    labels = draw_labels(data.draw, alphabet)
    kwargs = {"labels": labels, "average": None, "beta": beta, "zero_division": zero_division}
    got = learner.precision_recall_fscore_support(y_true, y_pred, **kwargs)
    check_prfs(
        got,
        sk_prfs(y_true, y_pred, **kwargs),
        call("precision_recall_fscore_support", y_true, y_pred, **kwargs),
        hint="per label in the order of labels (default: sorted union); " + HINT_F_FROM_COUNTS,
    )


@pytest.mark.task("per_class", points=1)
@settings(max_examples=20)
@given(data=st.data(), zero_division=ZD)
def test_swapping_true_and_pred_swaps_precision_and_recall(learner, data, zero_division):
    _, alphabet, y_true, y_pred = data.draw(targets())
    labels = sorted(alphabet)
    a = learner.precision_recall_fscore_support(y_true, y_pred, labels=labels, zero_division=zero_division)
    first = call(
        "precision_recall_fscore_support", y_true, y_pred, labels=labels, zero_division=zero_division
    )
    b = learner.precision_recall_fscore_support(y_pred, y_true, labels=labels, zero_division=zero_division)
    second = call(
        "precision_recall_fscore_support", y_pred, y_true, labels=labels, zero_division=zero_division
    )
    for got in (a, b):
        if not isinstance(got, (tuple, list)) or len(got) != 4:
            checks.fail(first, f"Returned {short_repr(got)}", "a tuple (precision, recall, fscore, support)")
    checks.array_close(
        b[1],
        checks.as_array(a[0], first),
        f"{second}[1] (the recall)",
        rtol=1e-12,
        hint=f"swapping y_true and y_pred swaps fp and fn, so this recall must equal the precision "
        f"of {first}",
    )
    checks.array_close(
        b[2],
        checks.as_array(a[2], first),
        f"{second}[2] (the fscore)",
        rtol=1e-12,
        hint="F1 is symmetric in fp and fn, so swapping y_true and y_pred must not change it",
    )


# -- task: averages ----------------------------------------------------------------------------------------


@pytest.mark.task("averages", points=1)
@pytest.mark.parametrize(
    ("average", "hint"),
    [
        ("micro", "micro sums tp, tp + fp and tp + fn over all labels, then divides once"),
        ("macro", "macro is the unweighted mean of the per-label scores"),
        ("weighted", "weighted is the mean of the per-label scores weighted by each label's support"),
    ],
    ids=["micro", "macro", "weighted"],
)
def test_worked_example_averages(learner, average, hint):
    y_true, y_pred = [2, 0, 2, 2, 0, 1], [0, 0, 2, 2, 0, 2]
    got = learner.precision_recall_fscore_support(y_true, y_pred, average=average, zero_division=0)
    check_prfs(
        got,
        sk_prfs(y_true, y_pred, average=average, zero_division=0),
        call("precision_recall_fscore_support", y_true, y_pred, average=average, zero_division=0),
        hint=hint,
    )


@pytest.mark.task("averages", points=1)
def test_micro_average_is_pooled_not_mean_of_labels(learner):
    y_true = [0, 0, 0, 0, 0, 0, 1, 2, 2, 1]
    y_pred = [0, 0, 0, 0, 0, 1, 2, 2, 1, 1]
    for labels in (None, [1, 2], [0, 1, 2, 3]):
        got = learner.precision_recall_fscore_support(y_true, y_pred, labels=labels, average="micro")
        check_prfs(
            got,
            sk_prfs(y_true, y_pred, labels=labels, average="micro"),
            call("precision_recall_fscore_support", y_true, y_pred, labels=labels, average="micro"),
            hint="micro pools the counts of the scored labels (all of them, or those in labels=): "
            "sum tp, tp + fp, tp + fn first, then divide; it is not the mean of per-label scores",
        )


@pytest.mark.task("averages", points=1)
def test_extra_labels_change_macro(learner):
    y_true, y_pred, labels = [1, 3, 3, 2], [1, 1, 3, 2], [0, 1, 2, 3, 4]
    for average in ("macro", "weighted"):
        got = learner.precision_recall_fscore_support(y_true, y_pred, labels=labels, average=average)
        check_prfs(
            got,
            sk_prfs(y_true, y_pred, labels=labels, average=average),
            call("precision_recall_fscore_support", y_true, y_pred, labels=labels, average=average),
            hint="labels with no support still count in a macro mean (with their zero_division scores); "
            "in a weighted mean their weight is 0",
        )
    y_true, y_pred, labels = [0, 0, 1], [2, 2, 1], [2, 3]
    kwargs = {"labels": labels, "average": "weighted", "zero_division": 1}
    got = learner.precision_recall_fscore_support(y_true, y_pred, **kwargs)
    check_prfs(
        got,
        sk_prfs(y_true, y_pred, **kwargs),
        call("precision_recall_fscore_support", y_true, y_pred, **kwargs),
        hint="no scored label occurs in y_true, so every weight is 0: sklearn then takes the plain mean",
    )


@pytest.mark.task("averages", points=1)
def test_pathological_all_wrong_macro_is_zero_without_nan(learner):
    y_true, y_pred = [0, 1, 2, 0, 1, 2], [2, 0, 1, 1, 2, 0]
    for average in ("macro", "micro", "weighted", None):
        got = learner.precision_recall_fscore_support(y_true, y_pred, average=average)
        label = call("precision_recall_fscore_support", y_true, y_pred, average=average)
        if isinstance(got, (tuple, list)):
            all_finite_or_fail(
                got[:3],
                label,
                "every label is predicted and occurs, so nothing is undefined; "
                "with tp = 0, P = R = 0 and 2PR/(P+R) is 0/0: " + HINT_F_FROM_COUNTS,
            )
        check_prfs(got, sk_prfs(y_true, y_pred, average=average), label, hint=HINT_F_FROM_COUNTS)
    got = learner.f1_score(y_true, y_pred, average="macro")
    check_f1(got, 0.0, call("f1_score", y_true, y_pred, average="macro"), hint=HINT_F_FROM_COUNTS)


@pytest.mark.task("averages", points=1)
@settings(max_examples=50)
@given(
    data=st.data(),
    average=st.sampled_from(["binary", "micro", "macro", "weighted"]),
    beta=BETAS,
    zero_division=ZD,
)
def test_averages_match_sklearn(learner, data, average, beta, zero_division):
    _, alphabet, y_true, y_pred = data.draw(targets(max_classes=2 if average == "binary" else 4))
    kwargs = {
        "labels": draw_labels(data.draw, alphabet),
        "average": average,
        "beta": beta,
        "zero_division": zero_division,
    }
    if average == "binary":
        kwargs["pos_label"] = data.draw(st.sampled_from(alphabet))
    label = call("precision_recall_fscore_support", y_true, y_pred, **kwargs)
    expected, error = oracle_or_error(sk_prfs, y_true, y_pred, **kwargs)
    if error is not None:
        with checks.raises(ValueError, label, hint=f"sklearn raises ValueError here ({error})"):
            learner.precision_recall_fscore_support(y_true, y_pred, **kwargs)
        return
    got = learner.precision_recall_fscore_support(y_true, y_pred, **kwargs)
    check_prfs(
        got, expected, label, hint=f"average={average!r}: see the README; NaN scores are left out of means"
    )


@pytest.mark.task("averages", points=1)
@settings(max_examples=40)
@given(data=st.data(), average=st.sampled_from(AVERAGES), zero_division=ZD)
def test_f1_score_matches_sklearn(learner, data, average, zero_division):
    _, alphabet, y_true, y_pred = data.draw(targets(max_classes=2 if average == "binary" else 4))
    kwargs = {"labels": draw_labels(data.draw, alphabet), "average": average, "zero_division": zero_division}
    if average == "binary" and data.draw(st.booleans()):
        kwargs["pos_label"] = data.draw(st.sampled_from(alphabet))
    label = call("f1_score", y_true, y_pred, **kwargs)
    expected, error = oracle_or_error(sk_f1, y_true, y_pred, **kwargs)
    if error is not None:
        with checks.raises(ValueError, label, hint=f"sklearn raises ValueError here ({error})"):
            learner.f1_score(y_true, y_pred, **kwargs)
        return
    check_f1(
        learner.f1_score(y_true, y_pred, **kwargs),
        expected,
        label,
        hint="f1_score is the fscore of precision_recall_fscore_support with beta=1",
    )


@pytest.mark.task("averages", points=1)
@settings(max_examples=20)
@given(data=st.data())
def test_micro_equals_accuracy_over_all_labels(learner, data):
    _, _, y_true, y_pred = data.draw(targets())
    acc = sk_accuracy(y_true, y_pred, normalize=True)
    got = learner.precision_recall_fscore_support(y_true, y_pred, average="micro")
    label = call("precision_recall_fscore_support", y_true, y_pred, average="micro")
    check_prfs(
        got,
        (acc, acc, acc, None),
        label,
        hint="over all labels every error is one fp (of the predicted label) and one fn (of the true one), "
        "so micro precision = micro recall = micro F = accuracy",
    )


# -- task: zero_division -----------------------------------------------------------------------------------


@pytest.mark.task("zero_division", points=1)
def test_all_negative(learner):
    for y in ([0, 0, 0], [-1, -1]):
        for zero_division, expected in (("warn", 0.0), (0, 0.0), (1, 1.0), (NAN, NAN)):
            got = learner.f1_score(y, y, zero_division=zero_division)
            check_f1(
                got,
                expected,
                call("f1_score", y, y, zero_division=zero_division),
                hint="pos_label=1 never occurs: tp + fp + fn = 0, so F is undefined and takes zero_division "
                "(never a NaN from 0/0 unless zero_division=np.nan); with one label present, a missing "
                "pos_label is not an error",
            )
    y = [0, 0, 0]
    got = learner.precision_recall_fscore_support(y, y, average="binary", zero_division=0)
    check_prfs(
        got,
        (0.0, 0.0, 0.0, None),
        call("precision_recall_fscore_support", y, y, average="binary", zero_division=0),
        hint="precision and recall of an absent pos_label have zero denominators: zero_division",
    )


@pytest.mark.task("zero_division", points=1)
def test_single_class(learner):
    y = [1, 1, 1]
    check_f1(
        learner.f1_score(y, y),
        1.0,
        call("f1_score", y, y),
        hint="a perfect prediction of pos_label has F1 = 1",
    )
    y = ["spam", "spam"]
    got = learner.precision_recall_fscore_support(y, y, average=None)
    check_prfs(
        got,
        sk_prfs(y, y, average=None),
        call("precision_recall_fscore_support", y, y, average=None),
        hint="a single label gives arrays of length 1",
    )
    y_true, y_pred = [2, 2, 2], [2, 2, 2]
    got = learner.precision_recall_fscore_support(
        y_true, y_pred, labels=[2, 5], average="macro", zero_division=1
    )
    check_prfs(
        got,
        sk_prfs(y_true, y_pred, labels=[2, 5], average="macro", zero_division=1),
        call(
            "precision_recall_fscore_support", y_true, y_pred, labels=[2, 5], average="macro", zero_division=1
        ),
        hint="label 5 never occurs nor is predicted: all its scores take zero_division=1",
    )


@pytest.mark.task("zero_division", points=1)
def test_f_for_small_binary_inputs_with_zero_division(learner):
    # sklearn's test_f1_for_small_binary_inputs_with_zero_division
    for y_true, y_pred, expected in (
        ([0, 1], [1, 0], 0.0),
        ([0, 1], [0, 1], 1.0),
        ([0, 1], [0, 0], 0.0),
        ([0, 0], [0, 0], 1.0),
    ):
        got = learner.f1_score(y_true, y_pred, zero_division=1)
        check_f1(
            got,
            expected,
            call("f1_score", y_true, y_pred, zero_division=1),
            hint=HINT_F_FROM_COUNTS
            + "; f1_score([0, 1], [0, 0]) has precision undefined but tp + fp + fn = 1, so F = 0",
        )


@pytest.mark.task("zero_division", points=1)
@pytest.mark.parametrize("zero_division", ZERO_DIVISIONS, ids=["warn", "0", "1", "nan"])
def test_empty_prediction_f_all_zero_division(learner, zero_division):
    # label 0 occurs but is never predicted; label 3 is predicted but never occurs
    y_true, y_pred, labels = [0, 1, 1, 2], [3, 1, 3, 2], [0, 1, 2, 3]
    kwargs = {"labels": labels, "average": None, "zero_division": zero_division}
    got = learner.precision_recall_fscore_support(y_true, y_pred, **kwargs)
    label = call("precision_recall_fscore_support", y_true, y_pred, **kwargs)
    if isinstance(got, (tuple, list)) and len(got) == 4:
        checks.array_close(
            got[2],
            [0.0, 2 / 3, 1.0, 0.0],
            f"{label}[2] (the fscore)",
            rtol=1e-9,
            oracle=PRFS_ORACLE,
            hint="F = [0, 2/3, 1, 0] for every zero_division: label 0 and label 3 have tp = 0 but "
            "tp + fp + fn > 0, so F = 0 even though their precision or recall is undefined",
        )
    check_prfs(
        got,
        sk_prfs(y_true, y_pred, **kwargs),
        label,
        hint="P = [zero_division, 1, 1, 0], R = [0, 0.5, 1, zero_division]",
    )


@pytest.mark.task("zero_division", points=1)
def test_nan_zero_division_is_left_out_of_means(learner):
    y_true, y_pred, labels = [0, 1, 1, 2], [3, 1, 3, 2], [0, 1, 2, 3]
    for average in ("macro", "weighted", "micro"):
        kwargs = {"labels": labels, "average": average, "zero_division": NAN}
        got = learner.precision_recall_fscore_support(y_true, y_pred, **kwargs)
        check_prfs(
            got,
            sk_prfs(y_true, y_pred, **kwargs),
            call("precision_recall_fscore_support", y_true, y_pred, **kwargs),
            hint="with zero_division=np.nan the undefined scores are NaN and means leave them out "
            "(np.nanmean); a weighted mean also drops their weights",
        )


def warnings_of(fn: Any, *args: Any, **kwargs: Any) -> tuple[Any, list[warnings.WarningMessage]]:
    """Call learner code and return what it returned and the UserWarnings it emitted (re-emitted here)."""
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        got = fn(*args, **kwargs)
    return got, [w for w in record if issubclass(w.category, UserWarning)]


@pytest.mark.task("zero_division", points=1)
def test_warn_emits_a_user_warning(learner):
    y = [0, 0, 0]
    label = call("f1_score", y, y, zero_division="warn")
    got, user = warnings_of(learner.f1_score, y, y, zero_division="warn")
    if not user:
        checks.fail(
            label,
            "No UserWarning was emitted",
            "a UserWarning (F is undefined: tp + fp + fn = 0)",
            'zero_division="warn" gives 0.0 AND calls warnings.warn(...) with a UserWarning (or subclass)',
        )
    check_f1(got, 0.0, label, hint='zero_division="warn" gives 0.0')
    y_true, y_pred = [0, 1, 2, 2], [0, 1, 1, 1]
    label = call("precision_recall_fscore_support", y_true, y_pred, average=None, zero_division="warn")
    got, user = warnings_of(
        learner.precision_recall_fscore_support, y_true, y_pred, average=None, zero_division="warn"
    )
    if not user:
        checks.fail(
            label,
            "No UserWarning was emitted",
            "a UserWarning (the precision of label 2 is undefined)",
            "precision_recall_fscore_support warns when a precision or recall has a zero denominator too",
        )
    check_prfs(
        got,
        sk_prfs(y_true, y_pred, average=None, zero_division="warn"),
        label,
        hint="label 2 is never predicted: its precision is 0.0 with a warning",
    )


@pytest.mark.task("zero_division", points=1)
def test_no_warning_when_defined_or_explicit(learner):
    cases = [
        ("f1_score", ([0, 1, 1, 0], [0, 1, 0, 0]), {"zero_division": "warn"}),
        ("precision_recall_fscore_support", ([0, 1, 2, 2], [0, 2, 1, 2]), {"average": "macro"}),
        ("f1_score", ([0, 0, 0], [0, 0, 0]), {"zero_division": 0}),
        ("precision_recall_fscore_support", ([0, 1, 2, 2], [0, 1, 1, 1]), {"zero_division": 1}),
        ("f1_score", ([0, 1, 2, 2], [0, 1, 1, 1]), {"average": None, "zero_division": NAN}),
    ]
    for name, args, kwargs in cases:
        _, user = warnings_of(getattr(learner, name), *args, **kwargs)
        if user:
            checks.fail(
                call(name, *args, **kwargs),
                f"Warned: {str(user[0].message)[:120]!r}",
                "no warning",
                "warn only when zero_division='warn' and some score actually has a zero denominator",
            )


@pytest.mark.task("zero_division", points=1)
@settings(max_examples=40)
@given(
    data=st.data(),
    average=st.sampled_from(AVERAGES),
    zero_division=st.sampled_from(ZERO_DIVISIONS),
    beta=BETAS,
)
def test_zero_division_matches_sklearn(learner, data, average, zero_division, beta):
    # few samples and every label of the alphabet scored: many labels never occur or are never predicted
    _, alphabet, y_true, y_pred = data.draw(targets(max_classes=2 if average == "binary" else 3, max_size=4))
    labels = sorted(alphabet) if average != "binary" else None
    kwargs = {"labels": labels, "average": average, "beta": beta, "zero_division": zero_division}
    if average == "binary":
        kwargs["pos_label"] = data.draw(st.sampled_from(alphabet))
    label = call("precision_recall_fscore_support", y_true, y_pred, **kwargs)
    expected, error = oracle_or_error(sk_prfs, y_true, y_pred, **kwargs)
    if error is not None:
        with checks.raises(ValueError, label, hint=f"sklearn raises ValueError here ({error})"):
            learner.precision_recall_fscore_support(y_true, y_pred, **kwargs)
        return
    got = learner.precision_recall_fscore_support(y_true, y_pred, **kwargs)
    check_prfs(
        got,
        expected,
        label,
        hint="a zero denominator gives zero_division; " + HINT_F_FROM_COUNTS + "; means leave NaN scores out",
    )


# -- task: errors ------------------------------------------------------------------------------------------


def _all_functions(learner: Any) -> list[tuple[str, Any, dict[str, Any]]]:
    return [
        ("confusion_matrix", learner.confusion_matrix, {}),
        ("accuracy", learner.accuracy, {}),
        ("precision_recall_fscore_support", learner.precision_recall_fscore_support, {"average": "macro"}),
        ("f1_score", learner.f1_score, {"average": "macro"}),
    ]


@pytest.mark.task("errors", points=1)
def test_empty_input_raises(learner):
    for name, fn, kwargs in _all_functions(learner):
        with checks.raises(
            ValueError,
            call(name, [], [], **kwargs),
            hint="there is nothing to score: raise ValueError instead of returning NaN",
        ):
            fn([], [], **kwargs)


@pytest.mark.task("errors", points=1)
def test_mismatched_lengths_raise(learner):
    for name, fn, kwargs in _all_functions(learner):
        for y_true, y_pred in (([0, 1, 1], [0, 1]), ([0, 1], [0, 1, 1])):
            with checks.raises(
                ValueError,
                call(name, y_true, y_pred, **kwargs),
                hint="check len(y_true) == len(y_pred) before counting (zip silently truncates)",
            ):
                fn(y_true, y_pred, **kwargs)


@pytest.mark.task("errors", points=1)
def test_binary_average_on_multiclass_raises(learner):
    for y_true, y_pred in (([0, 1, 2], [0, 1, 1]), ([0, 1, 1], [0, 1, 2])):
        with checks.raises(
            ValueError,
            call("f1_score", y_true, y_pred),
            hint="average='binary' (f1_score's default) needs at most two distinct labels in y_true "
            "and y_pred together",
        ):
            learner.f1_score(y_true, y_pred)
        with checks.raises(
            ValueError,
            call("precision_recall_fscore_support", y_true, y_pred, average="binary"),
            hint="average='binary' on multiclass targets is an error",
        ):
            learner.precision_recall_fscore_support(y_true, y_pred, average="binary")


@pytest.mark.task("errors", points=1)
def test_pos_label_not_present_raises(learner):
    y_true, y_pred = [0, 1, 1], [0, 1, 0]
    with checks.raises(
        ValueError,
        call("f1_score", y_true, y_pred, pos_label=2),
        hint="with two labels present, pos_label must be one of them",
    ):
        learner.f1_score(y_true, y_pred, pos_label=2)
    y_true, y_pred = ["ham", "spam"], ["spam", "spam"]
    with checks.raises(
        ValueError,
        call("f1_score", y_true, y_pred),
        hint="the default pos_label=1 is not one of 'ham', 'spam': raise ValueError",
    ):
        learner.f1_score(y_true, y_pred)


@pytest.mark.task("errors", points=1)
def test_invalid_options_raise(learner):
    y_true, y_pred = [0, 1, 1, 2], [0, 1, 2, 2]
    cases = [
        (
            "precision_recall_fscore_support",
            {"average": "samples"},
            "average must be None, 'binary', 'micro', 'macro' or 'weighted'",
        ),
        ("f1_score", {"average": "mean"}, "average must be None, 'binary', 'micro', 'macro' or 'weighted'"),
        ("precision_recall_fscore_support", {"average": "macro", "beta": -1.0}, "beta must be >= 0"),
        (
            "f1_score",
            {"average": "macro", "zero_division": 2},
            "zero_division must be 'warn', 0, 1 or np.nan",
        ),
        (
            "precision_recall_fscore_support",
            {"average": None, "zero_division": "nan"},
            "zero_division must be 'warn', 0, 1 or np.nan (the float, not the string)",
        ),
        ("confusion_matrix", {"normalize": "rows"}, "normalize must be None, 'true', 'pred' or 'all'"),
    ]
    for name, kwargs, hint in cases:
        with checks.raises(ValueError, call(name, y_true, y_pred, **kwargs), hint=hint):
            getattr(learner, name)(y_true, y_pred, **kwargs)
