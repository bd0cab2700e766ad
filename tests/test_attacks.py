"""The attack suite: one submission per attack in ``tests/attacks/``, each with the verdict it must get.

Every attack starts from the honest toy_sum solution (``attacks/_base.py``, inlined: learner code arrives as one
module) and replaces what it attacks with. All are graded in one sandboxed pool beside an honest submission,
which must still get full marks: no attack costs anyone else anything. Honest parts keep their honest points,
and no attack earns a point it did not earn honestly.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import threading
from pathlib import Path

import pytest

from mlkata.grading.host import GradingPool
from mlkata.grading.job import Job
from mlkata.results import KataResult
from mlkata.worker.confine import bwrap_works

MINIREPO = Path(__file__).parent / "minirepo"
ATTACKS = Path(__file__).parent / "attacks"
HAS_BWRAP = bwrap_works()  # installed and able to start a sandbox here
FULL = 6.0
# total() is worth 2 points, running() 2, Counter 2.
EXPECTED: dict[str, tuple[set[str], float, float]] = {
    # attack: (allowed statuses, min score, max score)
    "patch_pytest": ({"failed"}, 4, 4),
    "patch_numpy": ({"failed"}, 4, 4),
    "patch_engine": ({"failed"}, 0, 2),  # it breaks its own side of the codec: only itself
    "rigged_objects": ({"failed"}, 2, 2),
    "rigged_subclasses": ({"failed"}, 2, 2),
    "nan_everywhere": ({"failed"}, 2, 2),
    "frame_reader": ({"failed"}, 2, 2),
    "grader_source_reader": ({"failed"}, 2, 2),
    "forbidden_getattr_string": ({"rejected"}, 0, 0),
    "forbidden_exec": ({"rejected"}, 0, 0),
    "forbidden_module_attribute": ({"rejected"}, 0, 0),
    "forbidden_importlib": ({"rejected"}, 0, 0),
    "result_file_writer": ({"failed"}, 2, 2),
    "output_flood": ({"passed"}, FULL, FULL),
    "outliving_process": ({"passed"}, FULL, FULL),
    "outliving_thread": ({"failed", "error"}, 0, 4),
    "cwd_and_environment": ({"passed"}, FULL, FULL),
    "kill_others": ({"passed"}, FULL, FULL),
    "kill_self": ({"error"}, 4, 4),
    "ignore_signals_and_loop": ({"timeout"}, 4, 4),
    "deep_recursion": ({"error", "failed", "timeout"}, 4, 4),
}
CONFINED_ONLY: dict[str, tuple[set[str], float, float]] = {
    # Only meaningful inside bubblewrap: outside it nothing bounds them (see the README's table).
    "disk_fill": ({"passed", "timeout"}, 0, FULL),
    "fork_bomb": ({"timeout", "error"}, 4, 4),
    "network_call": ({"failed"}, 4, 4),
}


def submission(name: str) -> str:
    """The attack as one module: the honest base, then the attack's own definitions."""
    base = (ATTACKS / "_base.py").read_text()
    attack = (ATTACKS / f"{name}.py").read_text()
    attack = attack.replace("from _base import total as _total", "_total = total")
    attack = re.sub(r"^from _base import .*$", "", attack, flags=re.MULTILINE)
    return base + "\n" + attack


def test_every_attack_file_has_an_expectation():
    files = {p.stem for p in ATTACKS.glob("*.py") if not p.name.startswith("_")}
    assert files == set(EXPECTED) | set(CONFINED_ONLY)


@pytest.fixture(scope="module")
def answer_server():
    """A server on 127.0.0.1 that would give the right answer to anyone who could reach it."""
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 8765))
    listener.listen()
    listener.settimeout(0.2)
    stop = threading.Event()
    contacts = []

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            contacts.append(1)
            conn.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: 3\r\n\r\n6.5")
            conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield contacts
    stop.set()
    thread.join()
    listener.close()


@pytest.fixture(scope="module")
def verdicts(tmp_path_factory: pytest.TempPathFactory, answer_server) -> dict[str, KataResult]:
    folder = tmp_path_factory.mktemp("attacks")
    names = list(EXPECTED) + (list(CONFINED_ONLY) if HAS_BWRAP else [])
    jobs = [Job("honest", "toy_sum", str(MINIREPO / "solutions/math/toy_sum/toy_sum.py"))]
    for name in names:
        path = folder / f"{name}.py"
        path.write_text(submission(name))
        jobs.append(Job(name, "toy_sum", str(path)))
    jobs.append(Job("honest_after", "toy_sum", str(MINIREPO / "solutions/math/toy_sum/toy_sum.py")))
    cwd_before = set(os.listdir("."))
    with GradingPool(MINIREPO, jobs=2, backend="sandbox") as pool:
        results = {job.job_id: result for job, result in pool.grade(jobs)}
    assert set(os.listdir(".")) == cwd_before, "an attack left a file in the grader's working directory"
    return results


@pytest.mark.parametrize("name", list(EXPECTED))
def test_attack_gets_its_verdict(verdicts, name):
    statuses, low, high = EXPECTED[name]
    result = verdicts[name]
    assert result.status in statuses, (result.status, result.message, [t.message for t in result.tests])
    assert low <= result.score <= high, (result.score, [(t.name, t.message) for t in result.tests])


@pytest.mark.skipif(not HAS_BWRAP, reason="bubblewrap cannot confine on this machine (CI installs it)")
@pytest.mark.parametrize("name", list(CONFINED_ONLY))
def test_confined_attack_gets_its_verdict(verdicts, name, answer_server):
    statuses, low, high = CONFINED_ONLY[name]
    result = verdicts[name]
    assert result.status in statuses, (result.status, result.message)
    assert low <= result.score <= high
    if name == "network_call":
        assert not answer_server, "learner code reached a server on the grader's loopback"


def test_honest_submissions_beside_the_attacks_get_full_marks(verdicts):
    for name in ("honest", "honest_after"):
        assert verdicts[name].status == "passed"
        assert verdicts[name].score == FULL


def test_forbidden_verdicts_name_what_was_used(verdicts):
    assert "numpy.cumsum" in verdicts["forbidden_getattr_string"].message
    assert "sklearn.metrics" in verdicts["forbidden_module_attribute"].message


def test_no_process_outlives_the_grading_run(verdicts):
    survivors = subprocess.run(["pgrep", "-f", "sleep 4242"], capture_output=True, text=True, check=False)
    assert survivors.stdout.strip() == ""


def test_kill_and_timeouts_are_named(verdicts):
    assert "SIGKILL" in verdicts["kill_self"].message or "killed" in verdicts["kill_self"].message
    assert "time limit" in verdicts["ignore_signals_and_loop"].message
