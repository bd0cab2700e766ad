"""Hidden grader for stratified_train_test_split.

Oracle: scikit-learn 1.9.1. Sizes and their errors are sklearn's ``_validate_shuffle_split`` (in
``sklearn.model_selection._split``, called with ``default_test_size=0.25`` pinned, as ``train_test_split``
does); stratified counts are the rule of ``StratifiedShuffleSplit`` (``_approximate_mode`` for train, then for
test from the remaining members), checked as properties in exact integer arithmetic: every class gets the
floor or the ceiling of its share, totals are exact, and the rounded-up classes are those with the largest
fractional parts (exact ties either way: sklearn breaks them at random, and some deterministically through
float arithmetic). sklearn's own permutation is never demanded: a learner draws from their own generator.
Randomness is checked as behaviour: same seed -> same split, a Generator advances, different seeds and
``rng=None`` differ, every row is equally likely to be a test row, and the rows come shuffled (not sorted,
not grouped by class).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.model_selection._split import _validate_shuffle_split

from mlkata.grading import checks

pytestmark = pytest.mark.filterwarnings("ignore")

SKLEARN = "sklearn.model_selection.train_test_split"


# -- helpers ----------------------------------------------------------------------------------------------


def sklearn_sizes(n: int, test_size, train_size) -> tuple[int, int] | None:
    """(n_train, n_test) as sklearn computes them, or None where sklearn raises ValueError."""
    try:
        return _validate_shuffle_split(n, test_size, train_size, default_test_size=0.25)
    except ValueError:
        return None


def index_array(value, call: str, name: str) -> np.ndarray:
    arr = checks.as_array(value, call, what=f"{name} as a 1-D array of integer row indices")
    if arr.ndim != 1:
        checks.fail(call, f"Returned {name} of shape {arr.shape}", "a 1-D array of row indices")
    if arr.dtype.kind not in "iu":
        checks.fail(
            call,
            f"Returned {name} of dtype {arr.dtype}",
            "an integer dtype (row indices)",
            "return positions such as np.arange(...) or a permutation, not floats or a boolean mask",
        )
    return arr.astype(np.int64)


def as_pair(out, call: str) -> tuple[np.ndarray, np.ndarray]:
    if not isinstance(out, (tuple, list)) or len(out) != 2:
        checks.fail(
            call,
            f"Returned a {type(out).__name__}",
            "a pair (train_idx, test_idx)",
            "return two index arrays: return train_idx, test_idx",
        )
    return index_array(out[0], call, "train_idx"), index_array(out[1], call, "test_idx")


def split(learner, n: int, **kwargs) -> tuple[np.ndarray, np.ndarray, str]:
    out = learner.split_indices(n, **kwargs)
    call = learner.last_call
    train, test = as_pair(out, call)
    return train, test, call


def check_sizes(train, test, sizes: tuple[int, int], call: str, hint: str | None = None) -> None:
    n_train, n_test = sizes
    got = (len(train), len(test))
    if got != (n_train, n_test):
        checks.fail(
            call,
            f"Returned {got[0]} train and {got[1]} test indices",
            f"{n_train} train and {n_test} test indices ({SKLEARN})",
            hint
            or "n_test = ceil(test_size * n) for a float, n_train = floor(train_size * n); "
            "an int is a count; the missing size is the rest",
        )


def check_partition(train, test, n: int, sizes: tuple[int, int], call: str) -> None:
    """Exact sizes, indices in range, no repeats, disjoint train and test (complete if the sizes sum to n)."""
    check_sizes(train, test, sizes, call)
    for name, idx in (("train_idx", train), ("test_idx", test)):
        if idx.size and (idx.min() < 0 or idx.max() >= n):
            checks.fail(
                call,
                f"Returned {name} with values from {idx.min()} to {idx.max()}",
                f"row indices in [0, {n})",
                "indices are positions 0 .. n_samples-1",
            )
        values, counts = np.unique(idx, return_counts=True)
        if (counts > 1).any():
            checks.fail(
                call,
                f"Returned {name} with row {int(values[counts > 1][0])} {int(counts.max())} times",
                "every row at most once",
                "draw without replacement: take slices of one permutation",
            )
    both = np.intersect1d(train, test)
    if both.size:
        checks.fail(
            call,
            f"Returned rows {both[:5].tolist()} in both train_idx and test_idx",
            "disjoint train and test sets",
            "cut one permutation: no row may be in both sets",
        )


def counts_of(y: np.ndarray, idx: np.ndarray, classes: np.ndarray) -> np.ndarray:
    return np.array([int(np.sum(y[idx] == c)) for c in classes], dtype=np.int64)


def check_allocation(got, population, n_draws: int, call: str, *, classes, what: str, largest: bool) -> None:
    """Per-class counts of ``what``: floor or ceiling of the proportional share, exact total, and (if
    ``largest``) the rounded-up classes are those with the largest fractional parts, in exact integers."""
    classes = np.asarray(classes).tolist()
    got = np.asarray(got, dtype=np.int64)
    pop = np.asarray(population, dtype=np.int64)
    total = int(pop.sum())
    floor = pop * n_draws // total
    rem = pop * n_draws % total  # fractional part of each share, times total
    ceil = floor + (rem > 0)
    if what == "train":
        source, population_label = "the members each class has", "Class counts"
    else:
        source, population_label = "the members each class has left after train", "Members left after train"
    if int(got.sum()) != n_draws:
        checks.fail(
            call,
            f"Returned {what} class counts {got.tolist()} (total {int(got.sum())})",
            f"a total of {n_draws}",
            "round per class, then give the rows still missing to the classes "
            "with the largest fractional parts, so that the totals are exact",
        )
    bad = (got < floor) | (got > ceil)
    if bad.any():
        k = int(np.argmax(bad))
        share = pop[k] * n_draws / total
        checks.fail(
            call,
            f"Returned {int(got[k])} {what} rows of class {classes[k]!r} ({what} counts {got.tolist()})",
            f"floor or ceil of its share {pop[k]} * {n_draws} / {total} = {share:.4g}",
            f"each class gets its proportional share of {source}, rounded down or up",
            detail=f"Classes {classes}; {population_label.lower()}: {pop.tolist()}.",
        )
    if largest:
        up = got > floor
        down = ~up & (rem > 0)
        if up.any() and down.any() and rem[up].min() < rem[down].max():
            i = int(np.flatnonzero(up)[np.argmin(rem[up])])
            j = int(np.flatnonzero(down)[np.argmax(rem[down])])
            checks.fail(
                call,
                f"Rounded up class {classes[i]!r} (share {pop[i] * n_draws / total:.4g}) but down "
                f"class {classes[j]!r} (share {pop[j] * n_draws / total:.4g}) in the {what} counts "
                f"{got.tolist()}",
                f"the leftover rows to the largest fractional parts first ({rem[j] / total:.3g} before "
                f"{rem[i] / total:.3g})",
                "sort the classes by the fractional part of their share, largest first",
                detail=f"Classes {classes}; {population_label.lower()}: {pop.tolist()}.",
            )


def check_stratified(learner, y, kwargs, n_train: int, n_test: int, *, largest: bool):
    y = np.asarray(y)
    train, test, call = split(learner, len(y), stratify=y, **kwargs)
    check_partition(train, test, len(y), (n_train, n_test), call)
    classes, counts = np.unique(y, return_counts=True)
    got_train = counts_of(y, train, classes)
    check_allocation(got_train, counts, n_train, call, classes=classes, what="train", largest=largest)
    got_test = counts_of(y, test, classes)
    check_allocation(
        got_test, counts - got_train, n_test, call, classes=classes, what="test", largest=largest
    )
    return train, test, got_train, got_test, call


def as_output_list(out, call: str, n_arrays: int) -> list:
    if not isinstance(out, (list, tuple)) or len(out) != 2 * n_arrays:
        what = f"a {type(out).__name__}" + (f" of {len(out)} items" if isinstance(out, (list, tuple)) else "")
        checks.fail(
            call,
            f"Returned {what}",
            f"a list of {2 * n_arrays} items [a_train, a_test, b_train, ...]",
            "return one train part and one test part per input array, in order",
        )
    return list(out)


def positions(value, call: str, name: str, n: int) -> np.ndarray:
    """The row positions that came back in a split of np.arange(n)."""
    arr = checks.as_array(value, call, what=f"{name} as a 1-D array")
    if arr.ndim != 1 or (arr.size and (arr.dtype.kind not in "iuf" or arr.min() < 0 or arr.max() >= n)):
        checks.fail(
            call,
            f"Returned {name} = {arr.tolist()[:8]}...",
            f"rows of np.arange({n})",
            "return [a_train, a_test, b_train, b_test, ...]: each array's train part, then its test part",
        )
    return arr.astype(np.int64)


def same_values(got, expected, call: str, what: str, hint: str) -> None:
    got_list = list(got)
    expected_list = list(expected)
    if got_list != expected_list:
        k = next(
            (i for i, (a, b) in enumerate(zip(got_list, expected_list, strict=False)) if a != b),
            min(len(got_list), len(expected_list)),
        )
        checks.fail(
            call,
            f"Returned {what} {got_list[:6]}...",
            f"{expected_list[:6]}...",
            hint,
            detail=f"First difference at position {k} (lengths {len(got_list)} and {len(expected_list)}).",
        )


# -- worked examples: sizes ---------------------------------------------------------------------------------


@pytest.mark.task("sizes", points=1)
@pytest.mark.parametrize(
    ("n", "kwargs", "n_train", "n_test"),
    [(10, {}, 7, 3), (7, {"test_size": 0.3}, 4, 3), (5, {"test_size": 0.5}, 2, 3)],
    ids=["n10_default", "n7_test0.3", "n5_test0.5"],
)
def test_worked_example_sizes(learner, n, kwargs, n_train, n_test):
    train, test, call = split(learner, n, rng=0, **kwargs)
    check_sizes(
        train,
        test,
        (n_train, n_test),
        call,
        hint="the test set rounds up: n_test = ceil(test_size * n) (default test_size 0.25), "
        "and n_train = n - n_test",
    )


# -- named edge cases: sizes --------------------------------------------------------------------------------


@pytest.mark.task("sizes", points=1)
def test_train_size_alone_and_both_sizes(learner):
    cases = [
        ({"train_size": 0.55}, 5, 5),
        ({"train_size": 6}, 6, 4),
        ({"train_size": 5, "test_size": 2}, 5, 2),
        ({"train_size": 0.5, "test_size": 0.2}, 5, 2),
        ({"train_size": 0.39, "test_size": 0.41}, 3, 5),
    ]
    for kwargs, n_train, n_test in cases:
        train, test, call = split(learner, 10, rng=0, **kwargs)
        check_sizes(
            train,
            test,
            (n_train, n_test),
            call,
            hint="train_size rounds down (floor); with only train_size the test set is the rest; "
            "with both, use both as given even if they do not add up to n",
        )


@pytest.mark.task("sizes", points=1)
def test_int_counts_float_fractions_and_numpy_scalars(learner):
    cases = [
        (10, {"test_size": 1}, 9, 1),
        (10, {"test_size": 0.1}, 9, 1),
        (10, {"test_size": 9}, 1, 9),
        (100, {"test_size": 0.07}, 92, 8),
        (10, {"test_size": np.int64(4)}, 6, 4),
        (10, {"test_size": np.float64(0.25)}, 7, 3),
        (10, {"train_size": np.int64(3), "test_size": np.float64(0.5)}, 3, 5),
    ]
    for n, kwargs, n_train, n_test in cases:
        train, test, call = split(learner, n, rng=0, **kwargs)
        check_sizes(
            train,
            test,
            (n_train, n_test),
            call,
            hint="an int (Python or NumPy) is a count, a float a fraction; compute ceil(test_size * n) "
            "in floating point as written (0.07 * 100 == 7.000000000000001, so 8 test rows)",
        )


# -- oracle agreement: sizes --------------------------------------------------------------------------------


@st.composite
def size_cases(draw):
    n = draw(st.integers(1, 120))

    def size():
        return draw(
            st.one_of(
                st.none(),
                st.integers(-1, n + 1),
                st.integers(-2, 22).map(lambda k: k / 20),
                st.integers(1, 99).map(lambda k: k / 100),
                st.floats(0, 1, exclude_min=True, exclude_max=True),
            )
        )

    return n, size(), size()


@pytest.mark.task("sizes", points=2)
@settings(max_examples=100)
@given(case=size_cases(), seed=st.integers(0, 2**32 - 1))
def test_sizes_agree_with_sklearn(learner, case, seed):
    n, test_size, train_size = case
    expected = sklearn_sizes(n, test_size, train_size)
    label = f"split_indices({n}, test_size={test_size!r}, train_size={train_size!r}, rng={seed})"
    if expected is None:
        with checks.raises(
            ValueError, label, hint="sklearn refuses these sizes; see the README's error table"
        ):
            learner.split_indices(n, test_size=test_size, train_size=train_size, rng=seed)
        return
    train, test, call = split(learner, n, test_size=test_size, train_size=train_size, rng=seed)
    check_sizes(train, test, (expected[0], expected[1]), call)


# -- worked examples and edge cases: split_indices ---------------------------------------------------------


@pytest.mark.task("split_indices", points=1)
@pytest.mark.parametrize(
    ("kwargs", "train", "test"),
    [({}, list(range(7)), [7, 8, 9]), ({"train_size": 5, "test_size": 2}, [0, 1, 2, 3, 4], [5, 6])],
    ids=["default_sizes", "sizes_not_summing_to_n"],
)
def test_no_shuffle_layout(learner, kwargs, train, test):
    got_train, got_test, call = split(learner, 10, shuffle=False, rng=0, **kwargs)
    hint = "shuffle=False: train = arange(n_train), test = arange(n_train, n_train + n_test), nothing random"
    if len(test) < 10 - len(train):
        hint += " (the test rows follow the train rows; they are not the tail of the data)"
    checks.array_close(got_train, train, call, rtol=0, atol=0, oracle=SKLEARN, hint=hint)
    checks.array_close(got_test, test, call, rtol=0, atol=0, oracle=SKLEARN, hint=hint)


@st.composite
def valid_sizes(draw):
    n = draw(st.integers(2, 200))
    n_test = draw(st.integers(1, n - 1))
    n_train = draw(st.integers(1, n - n_test))
    form = draw(st.sampled_from(["test", "train", "both"]))
    if form == "test":
        return n, {"test_size": n_test}, n - n_test, n_test
    if form == "train":
        return n, {"train_size": n_train}, n_train, n - n_train
    return n, {"test_size": n_test, "train_size": n_train}, n_train, n_test


@pytest.mark.task("split_indices", points=1)
@settings(max_examples=50)
@given(case=valid_sizes(), seed=st.integers(0, 2**32 - 1))
def test_split_is_disjoint_with_exact_sizes(learner, case, seed):
    n, kwargs, n_train, n_test = case
    train, test, call = split(learner, n, rng=seed, **kwargs)
    check_partition(train, test, n, (n_train, n_test), call)


@pytest.mark.task("split_indices", points=1)
def test_same_int_seed_gives_same_split(learner):
    y = np.repeat([0, 1, 2], [10, 6, 4])
    for kwargs in ({"test_size": 0.3}, {"test_size": 0.3, "stratify": y}):
        first_train, first_test, call = split(learner, 20, rng=42, **kwargs)
        again_train, again_test, _ = split(learner, 20, rng=42, **kwargs)
        hint = "build the generator from the seed (np.random.default_rng(seed)) and draw only from it"
        checks.array_close(again_train, first_train, f"{call}, twice", rtol=0, atol=0, hint=hint)
        checks.array_close(again_test, first_test, f"{call}, twice", rtol=0, atol=0, hint=hint)


@pytest.mark.task("split_indices", points=1)
def test_generator_advances_and_reproduces(learner):
    gen = np.random.default_rng(11)
    before = gen.bit_generator.state
    first_train, first_test, call = split(learner, 30, test_size=0.3, rng=gen)
    if gen.bit_generator.state == before:
        checks.fail(
            call,
            "Left the Generator's state unchanged",
            "the split drawn from the Generator, so that it advances",
            "use the Generator you are given as it is; do not copy or reseed it",
        )
    _, second_test, _ = split(learner, 30, test_size=0.3, rng=gen)
    if set(second_test.tolist()) == set(first_test.tolist()):
        checks.fail(
            f"{call}, twice with one Generator",
            "Returned the same test set twice",
            "a new split on the second call",
            "the Generator advances, so the next split differs",
        )
    again_train, again_test, again_call = split(learner, 30, test_size=0.3, rng=np.random.default_rng(11))
    hint = "a Generator in the same state must give the same split: draw only from it"
    checks.array_close(again_train, first_train, again_call, rtol=0, atol=0, hint=hint)
    checks.array_close(again_test, first_test, again_call, rtol=0, atol=0, hint=hint)


@pytest.mark.task("split_indices", points=1)
def test_different_seeds_and_none_give_different_splits(learner):
    sets = []
    for seed in (0, 1, 2):
        _, test, _ = split(learner, 100, rng=seed)
        sets.append(frozenset(test.tolist()))
    if len(set(sets)) < 3:
        checks.fail(
            "split_indices(100, rng=seed) for seeds 0, 1, 2",
            "Returned the same test set for two seeds",
            "a different test set for each seed",
            "the seed must decide the permutation",
        )
    nones = []
    for _ in range(2):
        split(learner, 100, rng=7)  # a seeded call in between must not make rng=None repeatable
        _, test, _ = split(learner, 100)
        nones.append(frozenset(test.tolist()))
    if nones[0] == nones[1]:
        checks.fail(
            "split_indices(100, rng=7); split_indices(100), twice",
            "Returned the same test set for both rng=None calls",
            "a fresh random split every time rng is None",
            "rng=None means fresh entropy (np.random.default_rng()); never seed or use the global state",
        )


@pytest.mark.task("split_indices", points=1)
def test_every_row_is_equally_likely_to_be_test(learner):
    n, trials = 40, 60
    hits = np.zeros(n, dtype=np.int64)
    for seed in range(trials):
        _, test, _ = split(learner, n, test_size=0.5, rng=seed)
        hits[test] += 1
    # Each row is a test row with probability 1/2: 30 of 60 on average (sd 3.9); [8, 52] is about 5.7 sd.
    low, high = int(hits.argmin()), int(hits.argmax())
    if hits[low] < 8 or hits[high] > 52:
        k = low if hits[low] < 8 else high
        checks.fail(
            f"split_indices({n}, test_size=0.5, rng=seed) for {trials} seeds",
            f"Row {k} was a test row {int(hits[k])} times",
            "about 30 times for every row (half of the rows are test rows)",
            "every row must be equally likely to land in the test set: take the first n_test entries of "
            "a uniform permutation",
            detail=f"Test counts per row: {hits.tolist()}.",
        )


@pytest.mark.task("split_indices", points=1)
def test_shuffled_indices_come_in_random_order(learner):
    train, test, call = split(learner, 100, rng=0)
    for name, idx in (("train_idx", train), ("test_idx", test)):
        if np.all(np.diff(idx) > 0):
            checks.fail(
                call,
                f"Returned {name} in increasing order",
                "rows in random order (as sklearn's)",
                "shuffle=True shuffles the rows: return slices of the permutation, do not sort them",
            )


# -- worked examples and edge cases: stratify ---------------------------------------------------------------


@pytest.mark.task("stratify", points=1)
def test_worked_example_stratified_counts(learner):
    y = np.array([0] * 8 + [1] * 2)
    train, test, call = split(learner, 10, test_size=0.3, stratify=y, rng=0)
    check_partition(train, test, 10, (7, 3), call)
    checks.array_close(
        np.bincount(y[train], minlength=2),
        [6, 1],
        f"{call}: class counts of y[train]",
        rtol=0,
        atol=0,
        oracle="sklearn.model_selection.StratifiedShuffleSplit",
        hint="train shares are 8*7/10 = 5.6 and 2*7/10 = 1.4: floors 5 and 1, and the one row "
        "left goes to the largest fractional part (0.6)",
    )
    checks.array_close(
        np.bincount(y[test], minlength=2),
        [2, 1],
        f"{call}: class counts of y[test]",
        rtol=0,
        atol=0,
        oracle="sklearn.model_selection.StratifiedShuffleSplit",
        hint="the test counts are shared out from what train left: [2, 1]",
    )


@pytest.mark.task("stratify", points=1)
def test_rare_class_with_two_members(learner):
    y = np.array([0] * 7 + [1] * 2 + [2] * 3)
    rng = np.random.default_rng(0)
    y = y[rng.permutation(len(y))]
    for seed in range(5):
        train, test, call = split(learner, 12, test_size=3, stratify=y, rng=seed)
        check_partition(train, test, 12, (9, 3), call)
        checks.array_close(
            np.bincount(y[train], minlength=3),
            [5, 2, 2],
            f"{call}: class counts of y[train]",
            rtol=0,
            atol=0,
            oracle="sklearn.model_selection.StratifiedShuffleSplit",
            hint="train shares are 5.25, 1.5, 2.25: floors 5, 1, 2 and the one row left goes to "
            "the largest fractional part (class 1), even though that leaves none of it for test",
        )
        checks.array_close(
            np.bincount(y[test], minlength=3),
            [2, 0, 1],
            f"{call}: class counts of y[test]",
            rtol=0,
            atol=0,
            oracle="sklearn.model_selection.StratifiedShuffleSplit",
            hint="the test counts come from what train left: [2, 0, 1]",
        )


@pytest.mark.task("stratify", points=1)
def test_test_counts_come_from_what_train_left(learner):
    y = np.array([0, 1, 0] * 3)  # six of class 0, three of class 1
    train, test, call = split(learner, 9, train_size=4, test_size=4, stratify=y, rng=0)
    check_partition(train, test, 9, (4, 4), call)
    checks.array_close(
        np.bincount(y[train], minlength=2),
        [3, 1],
        f"{call}: class counts of y[train]",
        rtol=0,
        atol=0,
        oracle="sklearn.model_selection.StratifiedShuffleSplit",
        hint="train shares are 6*4/9 = 2.67 and 3*4/9 = 1.33",
    )
    checks.array_close(
        np.bincount(y[test], minlength=2),
        [2, 2],
        f"{call}: class counts of y[test]",
        rtol=0,
        atol=0,
        oracle="sklearn.model_selection.StratifiedShuffleSplit",
        hint="train left [3, 2], so the test shares are 3*4/5 = 2.4 and 2*4/5 = 1.6, not the shares "
        "of the original counts",
    )


@pytest.mark.task("stratify", points=1)
def test_ties_accept_any_floor_or_ceil_allocation(learner):
    cases = [
        (np.repeat(["cat", "dog", "eel", "fox"], 3), {"test_size": 0.5}, 6, 6),
        # Three equal fractional parts (1/3) for one leftover row; sklearn's float arithmetic picks one.
        (np.repeat([1, 2, 3], [2, 2, 5]), {"train_size": 6, "test_size": 3}, 6, 3),
        (np.repeat([0, 1, 2], [2, 3, 3]), {"train_size": 4, "test_size": 3}, 4, 3),
    ]
    for y, kwargs, n_train, n_test in cases:
        for seed in range(6):
            check_stratified(learner, y, {"rng": seed, **kwargs}, n_train, n_test, largest=True)


# -- oracle properties on generated inputs: stratify ---------------------------------------------------------


@st.composite
def stratified_cases(draw):
    n_classes = draw(st.integers(1, 5))
    counts = draw(st.lists(st.integers(2, 30), min_size=n_classes, max_size=n_classes))
    labels = draw(
        st.sampled_from([np.arange(n_classes) * 3 - 2, np.array(["no", "yes", "maybe", "n/a", "?"])])
    )
    y = np.repeat(labels[:n_classes], counts)
    y = y[np.random.default_rng(draw(st.integers(0, 2**32 - 1))).permutation(len(y))]
    n = len(y)
    grid = st.integers(1, 19).map(lambda k: k / 20)
    test_size = draw(st.one_of(st.none(), grid, st.integers(1, n - 1)))
    train_size = draw(st.one_of(st.none(), grid, st.integers(1, n - 1)))
    return y, test_size, train_size


def run_stratified_case(learner, case, seed, *, largest):
    y, test_size, train_size = case
    sizes = sklearn_sizes(len(y), test_size, train_size)
    n_classes = len(np.unique(y))
    kwargs = {"test_size": test_size, "train_size": train_size, "rng": seed}
    if sizes is None or min(sizes) < n_classes:
        label = f"split_indices({len(y)}, test_size={test_size!r}, train_size={train_size!r}, stratify=y)"
        with checks.raises(ValueError, label, hint="sklearn refuses these sizes for these classes (README)"):
            learner.split_indices(len(y), stratify=y, **kwargs)
        return
    check_stratified(learner, y, kwargs, sizes[0], sizes[1], largest=largest)


@pytest.mark.task("stratify", points=2)
@settings(max_examples=60)
@given(case=stratified_cases(), seed=st.integers(0, 2**32 - 1))
def test_stratified_counts_are_floor_or_ceil_of_shares(learner, case, seed):
    run_stratified_case(learner, case, seed, largest=False)


@pytest.mark.task("stratify", points=1)
@settings(max_examples=60)
@given(case=stratified_cases(), seed=st.integers(0, 2**32 - 1))
def test_leftovers_go_to_largest_fractional_parts(learner, case, seed):
    run_stratified_case(learner, case, seed, largest=True)


# -- invariants: stratify ------------------------------------------------------------------------------------


@pytest.mark.task("stratify", points=1)
def test_members_of_a_class_are_chosen_at_random(learner):
    y = np.array([0, 1] * 20)
    trials = 60
    hits = np.zeros(len(y), dtype=np.int64)
    for seed in range(trials):
        _, test, _ = split(learner, 40, test_size=0.5, stratify=y, rng=seed)
        hits[test] += 1
    # 10 of the 20 members of each class are test rows: 30 of 60 on average (sd 3.9); [8, 52] is about 5.7 sd.
    low, high = int(hits.argmin()), int(hits.argmax())
    if hits[low] < 8 or hits[high] > 52:
        k = low if hits[low] < 8 else high
        checks.fail(
            f"split_indices(40, test_size=0.5, stratify=[0, 1] * 20, rng=seed) for {trials} seeds",
            f"Row {k} was a test row {int(hits[k])} times",
            "about 30 times for every row (10 of the 20 members of each class)",
            "within each class, pick the test members from a random permutation of that class's rows",
            detail=f"Test counts per row: {hits.tolist()}.",
        )


@pytest.mark.task("stratify", points=1)
def test_stratified_rows_are_not_grouped_by_class(learner):
    y = np.repeat([0, 1, 2], 30)
    train, test, call = split(learner, 90, test_size=0.3, stratify=y, rng=0)
    check_partition(train, test, 90, (63, 27), call)
    for name, idx, minimum in (("train_idx", train, 12), ("test_idx", test, 6)):
        changes = int(np.sum(y[idx][1:] != y[idx][:-1]))
        if changes < minimum:
            checks.fail(
                call,
                f"Returned {name} with the classes in {changes + 1} blocks (y[{name}] = "
                f"{y[idx][:10].tolist()}...)",
                "rows in random order, classes mixed (as sklearn's)",
                "after picking each class's rows, shuffle the concatenated indices once more",
            )


# -- train_test_split ----------------------------------------------------------------------------------------


@pytest.mark.task("train_test_split", points=1)
def test_several_arrays_stay_aligned(learner):
    n = 30
    pos = np.arange(n)
    X = np.column_stack([pos * 10.0, pos * 10.0 + 1])
    names = [f"row{i}" for i in range(n)]
    weights = pd.Series(pos * 2.0, index=pos + 1000, name="w")
    out = learner.train_test_split(X, pos, names, weights, test_size=0.2, rng=3)
    call = learner.last_call
    parts = as_output_list(out, call, 4)
    p_train = positions(parts[2], call, "the train part of the 2nd array", n)
    p_test = positions(parts[3], call, "the test part of the 2nd array", n)
    check_partition(p_train, p_test, n, (24, 6), call)
    hint = "split every array with the same row indices: one split, then take those rows from each array"
    for k, p in ((0, p_train), (1, p_test)):
        part = "train" if k == 0 else "test"
        checks.array_close(parts[k], X[p], f"{call}: the {part} part of X", rtol=0, atol=0, hint=hint)
        same_values(parts[4 + k], [names[i] for i in p], call, f"the {part} part of the list", hint)
        got = checks.as_array(parts[6 + k], call, what="a Series")
        checks.array_close(
            got, weights.to_numpy()[p], f"{call}: the {part} part of the Series", rtol=0, atol=0, hint=hint
        )


@pytest.mark.task("train_test_split", points=1)
def test_list_in_list_out(learner):
    n = 12
    words = [f"w{i}" for i in range(n)]
    rows = [[i, -i] for i in range(n)]
    out = learner.train_test_split(words, rows, list(range(n)), test_size=0.25, rng=5)
    call = learner.last_call
    parts = as_output_list(out, call, 3)
    for k, name in enumerate(
        ["words_train", "words_test", "rows_train", "rows_test", "pos_train", "pos_test"]
    ):
        if type(parts[k]) is not list:
            checks.fail(
                call,
                f"Returned {name} as a {type(parts[k]).__name__}",
                "a list (a list in gives a list out)",
                "take the rows of a list with a list comprehension: [a[i] for i in idx]",
            )
    p_train = positions(parts[4], call, "pos_train", n)
    p_test = positions(parts[5], call, "pos_test", n)
    check_partition(p_train, p_test, n, (9, 3), call)
    hint = "every list is split with the same row indices"
    same_values(parts[0], [words[i] for i in p_train], call, "words_train", hint)
    same_values(parts[1], [words[i] for i in p_test], call, "words_test", hint)
    same_values([list(r) for r in parts[2]], [rows[i] for i in p_train], call, "rows_train", hint)
    same_values([list(r) for r in parts[3]], [rows[i] for i in p_test], call, "rows_test", hint)


def check_frame(got, expected: pd.DataFrame, call: str, what: str) -> None:
    if not isinstance(got, pd.DataFrame):
        checks.fail(
            call,
            f"Returned {what} as a {type(got).__name__}",
            "a pandas DataFrame",
            "a DataFrame in gives DataFrames out: df.iloc[idx]",
        )
    same_values(
        list(got.columns),
        list(expected.columns),
        call,
        f"the columns of {what}",
        "keep the DataFrame's columns",
    )
    same_values(
        got.index.tolist(),
        expected.index.tolist(),
        call,
        f"the index of {what}",
        "take rows by position with .iloc (not .loc), and keep the original index (no reset_index)",
    )
    for col in expected.columns:
        same_values(
            got[col].tolist(),
            expected[col].tolist(),
            call,
            f"column {col!r} of {what}",
            "take whole rows by position: df.iloc[idx]",
        )


@pytest.mark.task("train_test_split", points=1)
def test_dataframe_keeps_its_index_and_columns(learner):
    n = 16
    pos = np.arange(n)
    # The index is the positions reversed: .loc[idx] and .iloc[idx] pick different rows.
    df = pd.DataFrame({"x": pos * 1.5, "count": pos * 3, "tag": [f"t{i}" for i in pos]}, index=n - 1 - pos)
    out = learner.train_test_split(df, pos, test_size=0.25, rng=2)
    call = learner.last_call
    parts = as_output_list(out, call, 2)
    p_train = positions(parts[2], call, "the train part of np.arange(16)", n)
    p_test = positions(parts[3], call, "the test part of np.arange(16)", n)
    check_partition(p_train, p_test, n, (12, 4), call)
    check_frame(parts[0], df.iloc[p_train], call, "df_train")
    check_frame(parts[1], df.iloc[p_test], call, "df_test")


@pytest.mark.task("train_test_split", points=1)
def test_series_keeps_its_index_and_name(learner):
    n = 20
    pos = np.arange(n)
    s = pd.Series(pos * 0.5, index=[f"id{i}" for i in pos], name="target")
    out = learner.train_test_split(pos, s, test_size=5, rng=8)
    call = learner.last_call
    parts = as_output_list(out, call, 2)
    p_train = positions(parts[0], call, "the train part of np.arange(20)", n)
    p_test = positions(parts[1], call, "the test part of np.arange(20)", n)
    check_partition(p_train, p_test, n, (15, 5), call)
    for got, p, what in ((parts[2], p_train, "s_train"), (parts[3], p_test, "s_test")):
        if not isinstance(got, pd.Series):
            checks.fail(
                call,
                f"Returned {what} as a {type(got).__name__}",
                "a pandas Series",
                "a Series in gives Series out: s.iloc[idx]",
            )
        checks.equal(got.name, "target", f"{call}: {what}.name", hint="keep the Series' name")
        same_values(
            got.index.tolist(),
            s.index[p].tolist(),
            call,
            f"the index of {what}",
            "take rows by position with .iloc and keep the original index",
        )
        checks.array_close(
            got.to_numpy(),
            s.to_numpy()[p],
            f"{call}: {what}",
            rtol=0,
            atol=0,
            hint="take rows by position with .iloc",
        )


@pytest.mark.task("train_test_split", points=1)
def test_stratify_and_no_shuffle_apply_to_arrays(learner):
    X = np.arange(40.0).reshape(20, 2)
    y = np.array([0, 0, 1, 0, 2] * 4)  # twelve 0s, four 1s, four 2s
    out = learner.train_test_split(X, y, test_size=0.25, stratify=y, rng=1)
    call = learner.last_call
    parts = as_output_list(out, call, 2)
    y_train = checks.as_array(parts[2], call).astype(np.int64)
    y_test = checks.as_array(parts[3], call).astype(np.int64)
    checks.array_close(
        np.bincount(y_train, minlength=3),
        [9, 3, 3],
        f"{call}: class counts of y_train",
        rtol=0,
        atol=0,
        oracle=SKLEARN,
        hint="stratify=y splits every class in the proportions of the whole",
    )
    checks.array_close(
        np.bincount(y_test, minlength=3),
        [3, 1, 1],
        f"{call}: class counts of y_test",
        rtol=0,
        atol=0,
        oracle=SKLEARN,
        hint="stratify=y splits every class in the proportions of the whole",
    )
    out = learner.train_test_split(X, y, train_size=5, test_size=2, shuffle=False)
    call = learner.last_call
    parts = as_output_list(out, call, 2)
    hint = "shuffle=False: the first n_train rows, then the next n_test rows"
    checks.array_close(parts[0], X[:5], call, rtol=0, atol=0, oracle=SKLEARN, hint=hint)
    checks.array_close(parts[1], X[5:7], call, rtol=0, atol=0, oracle=SKLEARN, hint=hint)
    checks.array_close(parts[2], y[:5], call, rtol=0, atol=0, oracle=SKLEARN, hint=hint)
    checks.array_close(parts[3], y[5:7], call, rtol=0, atol=0, oracle=SKLEARN, hint=hint)


# -- error contract ------------------------------------------------------------------------------------------


def expect_error(learner, n, match, hint, **kwargs):
    args = ", ".join([str(n), *(f"{k}={v!r}" for k, v in kwargs.items())])
    with checks.raises(ValueError, f"split_indices({args})", match=match, hint=hint):
        learner.split_indices(n, **kwargs)


@pytest.mark.task("errors", points=1)
def test_sizes_out_of_range_raise(learner):
    hint = "an int size must be in [1, n_samples - 1] and a float in (0, 1); use sklearn's message (README)"
    for name, value in (
        ("test_size", 0),
        ("test_size", 0.0),
        ("test_size", 1.0),
        ("test_size", 10),
        ("test_size", -1),
        ("test_size", -0.2),
        ("train_size", 0),
        ("train_size", 1.0),
        ("train_size", 10),
        ("train_size", 1.5),
    ):
        # sklearn's _validate_shuffle_split message; the public function's own check is accepted too.
        match = (
            f"{name}={value} should be either positive and smaller than the number of samples 10"
            f"|The '{name}' parameter of \\w+ must be"
        )
        expect_error(learner, 10, match, hint, **{name: value}, rng=0)


@pytest.mark.task("errors", points=1)
def test_sizes_that_do_not_fit_raise(learner):
    expect_error(
        learner,
        10,
        r"The sum of test_size and train_size = 1\.2, should be in the \(0, 1\) range",
        "two float sizes may not sum to more than 1",
        test_size=0.6,
        train_size=0.6,
        rng=0,
    )
    for kwargs in ({"test_size": 5, "train_size": 6}, {"test_size": 0.5, "train_size": 6}):
        expect_error(
            learner,
            10,
            "The sum of train_size and test_size = 11, should be smaller than the number of samples 10",
            "n_train + n_test may not exceed n_samples",
            **kwargs,
            rng=0,
        )
    expect_error(
        learner,
        10,
        "resulting train set will be empty",
        "floor(0.05 * 10) = 0 train rows",
        train_size=0.05,
        rng=0,
    )
    expect_error(
        learner,
        1,
        "resulting train set will be empty",
        "one row: ceil(0.25) = 1 test row, no train row",
        rng=0,
    )


@pytest.mark.task("errors", points=1)
def test_sizes_that_are_not_numbers_raise(learner):
    hint = "a size is an int, a float or None; a string or a bool is refused (README)"
    for name, value in (("test_size", "0.3"), ("test_size", True), ("train_size", "half")):
        match = f"Invalid value for {name}|The '{name}' parameter of \\w+ must be"
        expect_error(learner, 10, match, hint, **{name: value}, rng=0)


@pytest.mark.task("errors", points=1)
def test_stratify_without_shuffle_or_of_wrong_length_raises(learner):
    y = [0, 1] * 5
    expect_error(
        learner,
        10,
        "Stratified train/test split is not implemented for shuffle=False",
        "sklearn has no stratified split without shuffling",
        stratify=y,
        shuffle=False,
    )
    expect_error(
        learner,
        10,
        r"inconsistent numbers of samples: \[10, 8\]",
        "stratify needs one label per row",
        stratify=[0, 1] * 4,
        rng=0,
    )


@pytest.mark.task("errors", points=1)
def test_class_with_one_member_raises(learner):
    expect_error(
        learner,
        10,
        "least populated class",
        "a class with a single member cannot be split",
        stratify=[0] * 9 + [1],
        rng=0,
    )
    expect_error(
        learner,
        12,
        r"least populated class.*\['b'\]",
        "name the classes with too few members",
        stratify=["a"] * 6 + ["b"] + ["c"] * 5,
        test_size=0.5,
        rng=0,
    )


@pytest.mark.task("errors", points=1)
def test_fewer_rows_than_classes_raises(learner):
    y = [0, 1, 2] * 3 + [0]
    expect_error(
        learner,
        10,
        "The test_size = 2 should be greater or equal to the number of classes = 3",
        "every class needs a test row: n_test >= n_classes",
        stratify=y,
        test_size=2,
        rng=0,
    )
    expect_error(
        learner,
        10,
        "The train_size = 2 should be greater or equal to the number of classes = 3",
        "every class needs a train row: n_train >= n_classes",
        stratify=y,
        train_size=2,
        rng=0,
    )
    expect_error(
        learner,
        10,
        "The test_size = 2 should be greater or equal to the number of classes = 3",
        "0.15 * 10 rounds up to 2 test rows, fewer than 3 classes",
        stratify=y,
        test_size=0.15,
        rng=0,
    )


@pytest.mark.task("errors", points=1)
def test_train_test_split_needs_arrays_of_one_length(learner):
    with checks.raises(
        ValueError,
        "train_test_split()",
        match="At least one array required as input",
        hint="with no arrays there is nothing to split",
    ):
        learner.train_test_split()
    with checks.raises(
        ValueError,
        "train_test_split(np.arange(10), np.arange(9))",
        match=r"inconsistent numbers of samples: \[10, 9\]",
        hint="every array must have the same number of rows",
    ):
        learner.train_test_split(np.arange(10), np.arange(9), rng=0)
