"""The CLI end to end: real ``mlkata`` processes, the sandboxed worker, the result JSON of the contract."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from mlkata.catalog import load_catalog

ROOT = Path(__file__).resolve().parents[1]
MINIREPO = Path(__file__).parent / "minirepo"


def mlkata(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mlkata.cli", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=600, check=False)  # fmt: skip


def learner_folder(tmp_path: Path, root: Path, which: str) -> Path:
    """A learner repository in the release layout, holding every kata's reference or stub."""
    folder = tmp_path / which
    for kata in load_catalog(root):
        target = folder / "katas" / kata.topic / kata.id / f"{kata.id}.py"
        target.parent.mkdir(parents=True)
        shutil.copy(kata.solution if which == "reference" else kata.stub, target)
    return folder


def test_list_json_is_the_track():
    out = mlkata("list", "--format", "json")
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert [r["id"] for r in rows] == list(load_catalog(ROOT).ids)
    assert {"id", "title", "topic", "difficulty", "points"} <= rows[0].keys()


def test_grade_one_file_json_contract():
    reference = MINIREPO / "solutions/math/toy_sum/toy_sum.py"
    out = mlkata("--root", str(MINIREPO), "grade", "toy_sum", str(reference), "--format", "json")
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert {"kata", "score", "max_score", "status", "duration_s", "tests"} <= result.keys()
    assert result["kata"] == "toy_sum"
    assert result["score"] == result["max_score"] == 6
    assert result["status"] == "passed"
    assert {"name", "score", "max_score", "status", "message"} <= result["tests"][0].keys()
    assert result["environment"]["torch"].startswith("2.")


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["grade", "no_such_kata", "x.py"], "unknown kata"),
        (["grade", "toy_sum", "missing.py"], "no such file"),
        (["grade", "--learner", "no/such/dir"], "no such learner folder"),
        (["grade"], "give KATA_ID FILE"),
    ],
)
def test_usage_errors_exit_2(args, needle):
    out = mlkata("--root", str(MINIREPO), *args)
    assert out.returncode == 2
    assert needle in out.stderr


def test_learner_folder_json_and_junit(tmp_path):
    folder = learner_folder(tmp_path, MINIREPO, "reference")
    (folder / "katas/math/toy_scale/toy_scale.py").write_text(
        "def scale(x, k, rng=None):\n    while True:\n        pass\n"
    )
    out = mlkata("--root", str(MINIREPO), "grade", "--learner", str(folder), "--format", "json")
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["learner"] == "reference"
    statuses = {k["kata"]: k["status"] for k in result["katas"]}
    assert statuses == {"toy_sum": "passed", "toy_scale": "timeout"}
    assert result["score"] == 6
    assert result["max_score"] == 8

    junit = tmp_path / "report.xml"
    out = mlkata(
        "--root", str(MINIREPO), "grade", "--learner", str(folder), "--format", "junit", "--out", str(junit)
    )
    assert out.returncode == 0, out.stderr
    suites = ET.parse(junit).getroot()
    assert [s.get("name") for s in suites] == ["toy_sum", "toy_scale"]
    assert suites[1].get("errors") == "1"


@pytest.mark.parametrize("which", ["reference", "stub"])
def test_every_kata_through_the_cli_and_sandbox(tmp_path, which):
    """Every kata of the repository, graded as a learner's folder by the real CLI in the sandboxed worker."""
    folder = learner_folder(tmp_path, ROOT, which)
    out = mlkata("grade", "--learner", str(folder), "--format", "json")
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    for kata in result["katas"]:
        if which == "reference":
            assert kata["status"] == "passed", json.dumps(kata, indent=1)[:3000]
            assert kata["score"] == kata["max_score"]
        else:
            assert kata["score"] == 0, json.dumps(kata, indent=1)[:3000]
