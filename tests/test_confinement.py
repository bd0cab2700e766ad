"""Confinement: bubblewrap where it works, a clear warning (or a refusal, on request) where it does not."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from mlkata.worker.confine import bwrap_works

MINIREPO = Path(__file__).parent / "minirepo"
REFERENCE = MINIREPO / "solutions/math/toy_sum/toy_sum.py"
HAS_BWRAP = bwrap_works()  # installed and able to start a sandbox here


def grade(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mlkata.cli", "--root", str(MINIREPO), "grade", *args],
        capture_output=True, text=True, timeout=300, check=False, env=env,
    )  # fmt: skip


def without_bwrap() -> dict[str, str]:
    """An environment whose PATH has no bwrap (a folder with just the tools the host needs)."""
    env = dict(os.environ)
    env["PATH"] = "/nonexistent"
    return env


def test_missing_bubblewrap_warns_once_and_still_grades():
    out = grade("toy_sum", str(REFERENCE), "--format", "json", env=without_bwrap())
    assert out.returncode == 0, out.stderr
    assert out.stderr.count("bubblewrap (bwrap) is not installed") == 1
    result = json.loads(out.stdout)
    assert result["score"] == 6
    assert result["environment"]["confinement"] == "rlimits-only"


def test_required_confinement_refuses_without_bubblewrap():
    out = grade("toy_sum", str(REFERENCE), "--confinement", "require", env=without_bwrap())
    assert out.returncode == 1
    assert "confinement is required but unavailable" in out.stderr


def test_confinement_off_is_silent():
    out = grade("toy_sum", str(REFERENCE), "--format", "json", "--confinement", "off")
    assert out.returncode == 0
    assert "warning" not in out.stderr
    assert json.loads(out.stdout)["environment"]["confinement"] == "rlimits-only"


PROBE = """
import os, socket
import numpy as np


def total(xs):
    seen = {}
    for path in PATHS:
        seen[path] = os.path.exists(path)
    try:
        socket.create_connection(("127.0.0.1", PORT), timeout=2).close()
        seen["network"] = True
    except OSError:
        seen["network"] = False
    try:
        with open(OUTSIDE, "w") as handle:
            handle.write("escaped")
        seen["wrote_outside"] = True
    except OSError:
        seen["wrote_outside"] = False
    seen["pid_namespace"] = max(int(p) for p in os.listdir("/proc") if p.isdigit()) < 100
    seen["uid"] = os.getuid()
    raise ValueError(repr(sorted(seen.items())))


def running(xs):
    return np.array(xs)


class Counter:
    pass
"""


@pytest.mark.skipif(not HAS_BWRAP, reason="bubblewrap cannot confine on this machine (CI installs it)")
def test_sandbox_hides_the_repository_the_network_and_the_host(tmp_path):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    port = listener.getsockname()[1]
    outside = tmp_path / "escaped.txt"
    secret_cohort = tmp_path / "other_learner"
    secret_cohort.mkdir()
    (secret_cohort / "answer.py").write_text("secret")
    hidden = [
        str(MINIREPO / "graders"),
        str(MINIREPO / "solutions"),
        str(secret_cohort / "answer.py"),
        "/root/.ssh",
    ]
    probe = tmp_path / "probe.py"
    probe.write_text(
        PROBE.replace("PATHS", repr(hidden)).replace("PORT", str(port)).replace("OUTSIDE", repr(str(outside)))
    )
    out = grade("toy_sum", str(probe), "--format", "json", "--confinement", "require")
    listener.close()
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["environment"]["confinement"] == "bubblewrap"
    message = next(t["message"] for t in result["tests"] if t["name"] == "test_total_small")
    for path in hidden:
        assert f"('{path}', False)" in message, message
    assert "('network', False)" in message
    assert "('wrote_outside', False)" in message
    assert "('pid_namespace', True)" in message
    assert "('uid', 65534)" in message
    assert not outside.exists()
