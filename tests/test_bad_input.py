"""Bad input gets a clear per-kata verdict, through the real host, zygote and worker processes.

Each submission below is graded against the toy kata of ``tests/minirepo`` (2 s time limit, 256 MB memory) in one
sandboxed grading pool; the verdicts are the contract of the foundation issue's table.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from mlkata.grading.host import GradingPool
from mlkata.grading.job import Job
from mlkata.results import KataResult

MINIREPO = Path(__file__).parent / "minirepo"
REFERENCE = (MINIREPO / "solutions/math/toy_sum/toy_sum.py").read_text()

SUBMISSIONS: dict[str, str] = {
    "reference": REFERENCE,
    "stub": (MINIREPO / "katas/math/toy_sum/toy_sum.py").read_text(),
    "syntax_error": REFERENCE.replace("def running(xs):", "def running(xs)"),
    "missing_name": REFERENCE.replace("class Counter:", "class Tally:"),
    "wrong_type": REFERENCE.replace(
        "return float(np.sum(np.asarray(xs, dtype=float)))", 'return "six and a half"'
    ).replace("return np.array(out)", "return None"),
    "wrong_shape": REFERENCE.replace("return np.array(out)", "return np.array(out)[:, None]"),
    "infinite_loop": REFERENCE.replace(
        '    """Running sums of xs, as an array."""', '    """Running sums."""\n    while True:\n        pass'
    ),
    "sleeps_forever": REFERENCE.replace(
        '    """Running sums of xs, as an array."""',
        '    """Running sums."""\n    import time\n    time.sleep(3600)',
    ),
    "memory_bomb": REFERENCE.replace(
        '    """Running sums of xs, as an array."""',
        '    """Running sums."""\n    hog = [bytearray(10**8) for _ in range(100)]',
    ),
    "sys_exit_in_call": REFERENCE.replace(
        '    """Running sums of xs, as an array."""',
        '    """Running sums."""\n    import sys\n    sys.exit(3)',
    ),
    "sys_exit_at_import": REFERENCE + "\nimport sys\nsys.exit(0)\n",
    "os_exit": REFERENCE.replace(
        '    """Running sums of xs, as an array."""',
        '    """Running sums."""\n    import os\n    os._exit(7)',
    ),
    "segfault": REFERENCE.replace(
        '    """Running sums of xs, as an array."""',
        '    """Running sums."""\n    import ctypes\n    ctypes.string_at(0)',
    ),
    "raises_at_import": REFERENCE + "\nraise RuntimeError('boom at import')\n",
    "imports_missing_module": "import definitely_not_installed_pkg\n" + REFERENCE,
    "forbidden_import": REFERENCE.replace(
        "import numpy as np", "import numpy as np\nfrom sklearn.metrics import f1_score"
    ),
    "forbidden_via_importlib": REFERENCE.replace(
        "    return np.array(out)",
        "    import importlib\n    return importlib.import_module('num' + 'py').cumsum(xs)",
    ),
    "forbidden_via_dunder_import": REFERENCE.replace(
        "    return np.array(out)", "    return getattr(__import__('numpy'), 'cum' + 'sum')(xs)"
    ),
    "forbidden_via_sys_modules": REFERENCE.replace(
        "    return np.array(out)",
        "    import sys\n    return sys.modules['sklearn.metrics'].r2_score(xs, xs)",
    ),
    "forbidden_via_eval": REFERENCE.replace(
        "    return np.array(out)", "    return eval('__imp' + 'ort__(\"numpy\").cum' + 'sum')(xs)"
    ),
    "rigged_eq": REFERENCE.replace(
        "return float(np.sum(np.asarray(xs, dtype=float)))",
        "class Anything:\n        def __eq__(self, other):\n            return True\n"
        "        def __float__(self):\n            return 6.5\n    return Anything()",
    ),
    "rigged_float_subclass": REFERENCE.replace(
        "return float(np.sum(np.asarray(xs, dtype=float)))",
        "class F(float):\n        def __eq__(self, other):\n            return True\n"
        "        __hash__ = float.__hash__\n    return F(-1.0)",
    ),
    "patches_numpy_and_pytest": REFERENCE.replace("return np.array(out)", "return np.array(out) + 1")
    + textwrap.dedent(
        """
        import numpy, sys
        numpy.isclose = lambda *a, **k: numpy.ones(numpy.shape(a[0]), dtype=bool)
        numpy.allclose = lambda *a, **k: True
        try:
            import pytest
            pytest.fail = lambda *a, **k: None
        except ImportError:
            pass
        """
    ),
    "prints_a_flood": REFERENCE.replace(
        '    """Running sums of xs, as an array."""', '    """Running sums."""\n    print("x" * 10**7)'
    ),
}


@pytest.fixture(scope="module")
def verdicts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, KataResult]:
    folder = tmp_path_factory.mktemp("submissions")
    jobs = []
    for name, source in SUBMISSIONS.items():
        path = folder / f"{name}.py"
        path.write_text(source)
        jobs.append(Job(job_id=name, kata_id="toy_sum", submission=str(path)))
    jobs.append(
        Job(
            job_id="other_kata",
            kata_id="toy_scale",
            submission=str(MINIREPO / "solutions/math/toy_scale/toy_scale.py"),
        )
    )
    with GradingPool(MINIREPO, jobs=2, backend="sandbox") as pool:
        return {job.job_id: result for job, result in pool.grade(jobs)}


def test_reference_full_marks_and_stub_zero(verdicts):
    assert verdicts["reference"].status == "passed"
    assert verdicts["reference"].score == verdicts["reference"].max_score == 6
    assert verdicts["stub"].status == "failed"
    assert verdicts["stub"].score == 0
    assert "Not implemented yet" in verdicts["stub"].tests[0].message


def test_other_kata_is_graded_beside_the_attacks(verdicts):
    assert verdicts["other_kata"].status == "passed"
    assert verdicts["other_kata"].score == 2


def test_syntax_error_names_the_line(verdicts):
    result = verdicts["syntax_error"]
    assert result.status == "error"
    assert result.score == 0
    line = REFERENCE.splitlines().index("def running(xs):") + 1
    assert f"line {line}" in result.message


def test_missing_name_is_named(verdicts):
    result = verdicts["missing_name"]
    assert result.status == "error"
    assert "Counter" in result.message


@pytest.mark.parametrize("name", ["wrong_type", "wrong_shape"])
def test_wrong_return_fails_with_what_came_back(verdicts, name):
    result = verdicts[name]
    assert result.status == "failed"
    failed = {t.name: t.message for t in result.tests if t.status == "failed"}
    assert "test_running" in failed
    assert "Called running(" in failed["test_running"]
    assert "expected" in failed["test_running"]
    if name == "wrong_shape":
        assert "shape (3, 1)" in failed["test_running"]
        assert result.score == 4  # the sums that are right still count
    else:
        assert "Returned None" in failed["test_running"]


@pytest.mark.parametrize("name", ["infinite_loop", "sleeps_forever"])
def test_hangs_time_out_and_keep_honest_points(verdicts, name):
    result = verdicts[name]
    assert result.status == "timeout"
    assert "time limit" in result.message
    assert result.score == 4  # total() and Counter work; running() hangs
    assert result.duration_s < 30


def test_memory_bomb_is_an_error(verdicts):
    result = verdicts["memory_bomb"]
    assert result.status == "error"
    assert "memory" in result.message
    assert result.score == 4


@pytest.mark.parametrize(
    ("name", "needle"),
    [("sys_exit_in_call", "sys.exit(3)"), ("os_exit", "exit status 7"), ("segfault", "segmentation fault")],
)
def test_exits_and_crashes_are_errors(verdicts, name, needle):
    result = verdicts[name]
    assert result.status == "error"
    assert needle in result.message
    assert result.score == 4


@pytest.mark.parametrize(
    ("name", "needle"),
    [
        ("sys_exit_at_import", "sys.exit(0)"),
        ("raises_at_import", "boom at import"),
        ("imports_missing_module", "definitely_not_installed_pkg"),
    ],
)
def test_import_failures_are_errors(verdicts, name, needle):
    result = verdicts[name]
    assert result.status == "error"
    assert result.score == 0
    assert needle in result.message


def test_missing_module_says_the_environment_lacks_it(verdicts):
    assert "grading environment does not have" in verdicts["imports_missing_module"].message


@pytest.mark.parametrize(
    ("name", "needle"),
    [
        ("forbidden_import", "sklearn.metrics"),
        ("forbidden_via_importlib", "numpy.cumsum"),
        ("forbidden_via_dunder_import", "numpy.cumsum"),
        ("forbidden_via_sys_modules", "sklearn.metrics"),
        ("forbidden_via_eval", "numpy.cumsum"),
    ],
)
def test_forbidden_apis_are_rejected_by_name(verdicts, name, needle):
    result = verdicts[name]
    assert result.status == "rejected", result.message
    assert result.score == 0
    assert needle in result.message


@pytest.mark.parametrize("name", ["rigged_eq", "rigged_float_subclass"])
def test_rigged_objects_earn_nothing(verdicts, name):
    result = verdicts[name]
    by_name = {t.name: t for t in result.tests}
    assert by_name["test_total_small"].status == "failed"
    assert by_name["test_total_empty"].status == "failed"


def test_patching_numpy_or_pytest_in_learner_code_changes_nothing(verdicts):
    result = verdicts["patches_numpy_and_pytest"]
    by_name = {t.name: t for t in result.tests}
    assert by_name["test_running"].status == "failed"
    assert result.score == 4


def test_printing_a_flood_is_harmless(verdicts):
    assert verdicts["prints_a_flood"].status == "passed"


def test_every_result_records_the_environment(verdicts):
    for result in verdicts.values():
        assert result.environment["numpy"]
        assert result.environment["torch"]
        assert result.environment["mlkata"]
