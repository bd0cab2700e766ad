"""The proxy: calls, objects, generators, callbacks, warnings and gradients, on both backends."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Callable, Iterator

import numpy as np
import pytest
import torch

from mlkata.proxy import (
    FaultLog,
    InProcessTransport,
    Learner,
    LearnerError,
    LearnerFault,
    SocketTransport,
    Transport,
    UngradableValue,
)

SOURCE = textwrap.dedent(
    """
    import warnings
    import numpy as np

    def noisy(x, rng):
        return np.asarray(x, dtype=float) + rng.normal(size=np.shape(x))

    def apply(f, x):
        return f(x) + 1

    def warn_and_return(x):
        warnings.warn("careful", RuntimeWarning)
        return x

    def strange():
        return object()

    def square(t):
        return (t ** 2).sum(dim=-1)

    def crash():
        import os
        os._exit(1)

    def check(x):
        if x < 0:
            raise ValueError(f"negative: {x}")
        return x

    class Box:
        def __init__(self, value):
            self.value = value

        def doubled(self):
            return Box(self.value * 2)

        def bigger_than(self, other):
            return self.value > other.value

        def __call__(self, k):
            return self.value * k
    """
)
EXPORTS = ["noisy", "apply", "warn_and_return", "strange", "square", "crash", "check", "Box"]


def load_request() -> dict[str, object]:
    return {"op": "load", "source": SOURCE, "filename": "mod.py", "module": "mod", "exports": EXPORTS,
            "memory_mb": 512}  # fmt: skip


@pytest.fixture(scope="module")
def zygote_socket() -> Iterator[str]:
    folder = tempfile.mkdtemp()
    path = os.path.join(folder, "worker.sock")
    proc = subprocess.Popen([sys.executable, "-m", "mlkata.worker", "--socket", path, "--preload", "numpy,torch"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE)  # fmt: skip
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == b"ready"
    yield path
    assert proc.stdin is not None
    proc.stdin.close()
    proc.wait(timeout=10)
    proc.stdout.close()


@pytest.fixture(params=["inprocess", "sandbox"])
def learner(request: pytest.FixtureRequest) -> Iterator[Learner]:
    connect: Callable[[], Transport]
    if request.param == "sandbox":
        path = request.getfixturevalue("zygote_socket")

        def connect() -> Transport:
            return SocketTransport(path)
    else:
        connect = InProcessTransport
    handle = Learner(load_request(), connect, 5.0, FaultLog())
    yield handle
    handle.close()


def test_generator_state_is_synchronised(learner):
    gen = np.random.default_rng(1)
    first = learner.noisy([0.0, 0.0], gen)
    second = learner.noisy([0.0, 0.0], gen)
    expected = np.random.default_rng(1)
    np.testing.assert_allclose(first, expected.normal(size=2))
    np.testing.assert_allclose(second, expected.normal(size=2))


def test_callbacks_run_in_the_grader(learner):
    assert learner.apply(lambda x: x * 10, 4) == 41


def test_exceptions_keep_their_builtin_type(learner):
    with pytest.raises(ValueError, match="negative: -1") as info:
        learner.check(-1)
    assert isinstance(info.value, LearnerError)
    assert "line" in info.value.learner_traceback


def test_warnings_are_reemitted(learner):
    with pytest.warns(RuntimeWarning, match="careful"):
        assert learner.warn_and_return(3) == 3


def test_unknown_objects_cannot_cross(learner):
    with pytest.raises(UngradableValue, match="cannot be graded"):
        learner.strange()


def test_remote_objects_methods_attributes_and_handles(learner):
    box = learner.Box(3)
    assert box.value == 3
    bigger = box.doubled()
    assert bigger.value == 6
    assert bigger.bigger_than(box) is True
    box.value = 10
    assert box.value == 10


def test_gradients_are_taken_on_the_learner_side(learner):
    t = torch.tensor([[1.0, 2.0], [3.0, -1.0]], dtype=torch.float64)
    out, (grad,) = learner.square.with_grad(t, wrt=(0,))
    assert torch.allclose(out, torch.tensor([5.0, 10.0], dtype=torch.float64))
    assert torch.allclose(grad, 2 * t)


def test_unknown_export_is_refused(learner):
    with pytest.raises(AttributeError, match="not one of this kata's exports"):
        learner.not_there  # noqa: B018


def test_crash_loses_objects_but_the_next_call_works(zygote_socket):
    log = FaultLog()
    handle = Learner(load_request(), lambda: SocketTransport(zygote_socket), 5.0, log)
    box = handle.Box(1)
    with pytest.raises(LearnerFault, match="exit status 1"):
        handle.crash()
    with pytest.raises(LearnerFault, match="lost"):
        box.doubled()
    assert handle.check(2) == 2
    assert [f["kind"] for f in log.faults] == ["exit"]
    handle.close()


def test_remote_objects_can_be_called(learner):
    assert learner.Box(3)(2) == 6
